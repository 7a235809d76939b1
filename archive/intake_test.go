package archive

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"minyi"
)

func fieldsOf(err error) []string {
	e, ok := err.(*minyi.Error)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestSubmissionValidation(t *testing.T) {
	good := Submission{Kind: KindHelp, Channel: ChannelOnlineBox, Text: "我家的牛丢了"}
	lat, badLat := 39.1, 95.0
	tests := []struct {
		name   string
		edit   func(*Submission)
		staff  bool
		fields []string
	}{
		{"good", func(*Submission) {}, false, nil},
		{"markup is text, accepted", func(s *Submission) { s.Text = "<script>alert(1)</script>" }, false, nil},
		{"missing text", func(s *Submission) { s.Text = "  " }, false, []string{"text"}},
		{"unknown kind", func(s *Submission) { s.Kind = "rant" }, false, []string{"kind"}},
		{"unknown channel", func(s *Submission) { s.Channel = "fax" }, false, []string{"channel"}},
		{"unknown class", func(s *Submission) { s.Class = "sad" }, false, []string{"class"}},
		{"text too long", func(s *Submission) { s.Text = strings.Repeat("字", MaxTextRunes+1) }, false, []string{"text"}},
		{"control character", func(s *Submission) { s.Text = "a\x00b" }, false, []string{"text"}},
		{"invalid utf-8", func(s *Submission) { s.Title = "\xff\xfe" }, false, []string{"title"}},
		{"bad phone", func(s *Submission) { s.Contact.Phone = "12345" }, false, []string{"contact.phone"}},
		{"bad id number", func(s *Submission) { s.Contact.IDNumber = "152728199001011234" }, false, []string{"contact.id_number"}},
		{"good id number", func(s *Submission) { s.Contact.IDNumber = "11010519491231002X" }, false, nil},
		{"anonymous with a name", func(s *Submission) { s.Contact = Contact{Anonymous: true, Name: "王"} }, false, []string{"contact.anonymous"}},
		{"lat without lng", func(s *Submission) { s.Location.Lat = &lat }, false, []string{"location"}},
		{"lat out of range", func(s *Submission) { s.Location.Lat, s.Location.Lng = &badLat, &lat }, false, []string{"location.lat"}},
		{"consent to share the location outside Open311", func(s *Submission) { s.Location.ShareLocation = true }, false, []string{"location.share_location"}},
		{"consent to share the location through Open311", func(s *Submission) { s.Channel, s.Location.ShareLocation = ChannelOpen311, true }, false, nil},
		{"citizen backdates", func(s *Submission) { at := t0; s.ReceivedAt = &at }, false, []string{"received_at"}},
		{"staff backdates", func(s *Submission) { at := t0; s.ReceivedAt = &at }, true, nil},
		{"photo not an image", func(s *Submission) { s.Photos = []Photo{{Data: []byte("hello")}} }, false, []string{"photos[0]"}},
		{"too many photos", func(s *Submission) { s.Photos = make([]Photo, MaxPhotos+1) }, false, []string{"photos", "photos[0]", "photos[1]", "photos[2]", "photos[3]", "photos[4]"}},
		{"several problems at once", func(s *Submission) { s.Kind, s.Text = "", "" }, false, []string{"kind", "text"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := good
			tc.edit(&s)
			_, err := s.Validate(tc.staff, t0.AddDate(0, 1, 0))
			got := fieldsOf(err)
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Fatalf("fields %v, want %v (err %v)", got, tc.fields, err)
			}
			if err != nil {
				e := err.(*minyi.Error)
				for _, f := range e.Fields {
					if f.Zh == "" || f.En == "" {
						t.Errorf("field %s lacks a Chinese or English message", f.Field)
					}
				}
			}
		})
	}
}

func TestMaskContact(t *testing.T) {
	got := MaskContact(Contact{Name: "刘某某", Phone: "13912345678", IDNumber: "11010519491231002X"})
	if got.Name != "刘*" || got.Phone != "139****5678" || got.IDNumber != "110105***********X" {
		t.Fatalf("masked %+v", got)
	}
	if MaskContact(Contact{}).Phone != "" {
		t.Fatal("empty phone should stay empty")
	}
}

// TestTextPatternsAgreeWithCheckText holds the patterns the API's schemas
// publish to what checkText does, for every rune: a client validating
// against the schema must accept and refuse what the server does.
func TestTextPatternsAgreeWithCheckText(t *testing.T) {
	optional, required := regexp.MustCompile(TextPattern), regexp.MustCompile(RequiredTextPattern)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue // surrogates are not characters of valid UTF-8
		}
		s := "甲" + string(r) + "乙"
		var p minyi.Problems
		checkText(&p, "f", s, 10, true)
		if accepted := p == nil; accepted != optional.MatchString(s) {
			t.Errorf("U+%04X: checkText accepts %v, TextPattern matches %v", r, accepted, !accepted)
		}
		p = nil
		checkText(&p, "f", string(r), 10, true)
		if accepted := p == nil; accepted != required.MatchString(string(r)) {
			t.Errorf("U+%04X alone: checkText accepts %v, RequiredTextPattern matches %v", r, accepted, !accepted)
		}
	}
	if !required.MatchString("\u3000答\n") || required.MatchString("\u3000 \t") || required.MatchString("") {
		t.Error("RequiredTextPattern: text that is all white space must not match, text with a word must")
	}
}

func TestPublicLocation(t *testing.T) {
	lat, lng := 39.8, 109.9
	full := Location{Township: "乌兰镇", Village: "新村", Address: "幸福路8号", Lat: &lat, Lng: &lng}
	coarse := Location{Township: "乌兰镇", Village: "新村"}
	consenting := full
	consenting.ShareLocation = true
	tests := []struct {
		name string
		it   Item
		want Location
	}{
		{"Open311 without consent", Item{Channel: ChannelOpen311, Location: full}, coarse},
		{"Open311 with consent", Item{Channel: ChannelOpen311, Location: consenting}, consenting},
		{"Open311 with consent, published on the desk", Item{Channel: ChannelOpen311, Location: consenting, Publish: true}, coarse},
		{"desk question", Item{Channel: ChannelOnlineDesk, Location: full, Publish: true}, coarse},
		{"desk question claiming consent", Item{Channel: ChannelOnlineDesk, Location: consenting, Publish: true}, coarse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.it.PublicLocation(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PublicLocation = %+v, want %+v", got, tt.want)
			}
		})
	}
}
