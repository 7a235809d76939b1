package campaign

import (
	"archive/zip"
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testkit"
)

var known = []string{"matters.done", "measures.implemented", "service_points.active", "volunteer_activities.activities"}

func TestValidate(t *testing.T) {
	ok := Campaign{Name: " 我为群众办实事 ", From: "2021-03-01", To: "2021-11-02",
		Targets: map[string]int64{"matters.done": 400, "measures.implemented": 25}}
	for _, tc := range []struct {
		name   string
		change func(*Campaign)
		want   []string // the fields refused; none: valid
	}{
		{"valid", func(*Campaign) {}, nil},
		{"no name", func(c *Campaign) { c.Name = "  " }, []string{"name"}},
		{"name too long", func(c *Campaign) { c.Name = strings.Repeat("办", MaxNameRunes+1) }, []string{"name"}},
		{"no period", func(c *Campaign) { c.From, c.To = "", "" }, []string{"from", "to"}},
		{"bad day", func(c *Campaign) { c.From = "2021-13-01" }, []string{"from"}},
		{"to before from", func(c *Campaign) { c.To = "2021-02-01" }, []string{"to"}},
		{"too long a period", func(c *Campaign) { c.To = "2027-01-01" }, []string{"to"}},
		{"unknown target", func(c *Campaign) { c.Targets = map[string]int64{"matters.nonsense": 1} }, []string{"targets.matters.nonsense"}},
		{"negative target", func(c *Campaign) { c.Targets = map[string]int64{"matters.done": -1} }, []string{"targets.matters.done"}},
		{"huge target", func(c *Campaign) { c.Targets = map[string]int64{"matters.done": MaxTarget + 1} }, []string{"targets.matters.done"}},
		{"control character in plan", func(c *Campaign) { c.Plan = "a\x00b" }, []string{"plan"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			c.Targets = map[string]int64{}
			for k, v := range ok.Targets {
				c.Targets[k] = v
			}
			tc.change(&c)
			got, err := c.Validate(known)
			if f := testkit.Fields(err); !slices.Equal(f, tc.want) {
				t.Fatalf("refused %v (%v), want %v", f, err, tc.want)
			}
			if err == nil && got.Name != "我为群众办实事" {
				t.Errorf("name not trimmed: %q", got.Name)
			}
		})
	}
}

func TestMeetingValidate(t *testing.T) {
	now := time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone)
	for _, tc := range []struct {
		name string
		m    Meeting
		want []string
	}{
		{"valid", Meeting{Day: "2021-03-02", Kind: KindMobilisation, Attendees: "局党委委员"}, nil},
		{"unknown kind", Meeting{Day: "2021-03-02", Kind: "party", Attendees: "x"}, []string{"kind"}},
		{"no attendees", Meeting{Day: "2021-03-02", Kind: KindStudy}, []string{"attendees"}},
		{"in the future", Meeting{Day: "2021-09-14", Kind: KindProgress, Attendees: "x"}, []string{"day"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.m.Validate(now)
			if f := testkit.Fields(err); !slices.Equal(f, tc.want) {
				t.Fatalf("refused %v (%v), want %v", f, err, tc.want)
			}
		})
	}
}

// zipOf is a zip archive holding one empty file of each name.
func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, n := range names {
		if _, err := z.Create(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNewDocumentJudgesTheBytes(t *testing.T) {
	now := time.Now()
	docx, xlsx, other := zipOf(t, "[Content_Types].xml", "word/document.xml"), zipOf(t, "[Content_Types].xml", "xl/workbook.xml"), zipOf(t, "a.txt")
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string // content type; "" refused
	}{
		{"pdf", "方案.pdf", []byte("%PDF-1.7\n"), TypePDF},
		{"png named jpg", "a.jpg", []byte("\x89PNG\r\n\x1a\nxxxx"), TypePNG},
		{"jpeg", "a.jpg", []byte("\xff\xd8\xff\xe0xxxx"), TypeJPEG},
		{"text", "通知.txt", []byte("关于开展活动的通知\n"), TypeText},
		{"old word", "a.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), TypeDOC},
		{"old office, no extension", "a.bin", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), ""},
		{"executable named pdf", "a.pdf", []byte("MZ\x90\x00\x03\x00"), ""},
		{"word", "方案.docx", docx, TypeDOCX},
		{"excel named docx", "方案.docx", xlsx, TypeXLSX},
		{"zip of something else", "a.docx", other, ""},
		{"broken zip", "a.docx", []byte("PK\x03\x04garbage"), ""},
		{"empty", "a.txt", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDocument(tc.file, tc.data, "leader", now)
			if tc.want == "" {
				if err == nil || !slices.Contains(testkit.Fields(err), "document") {
					t.Fatalf("accepted %+v, %v", d, err)
				}
				return
			}
			if err != nil || d.ContentType != tc.want || d.Size != int64(len(tc.data)) {
				t.Fatalf("got %+v, %v; want %s", d, err, tc.want)
			}
		})
	}
	if _, err := NewDocument("big.txt", make([]byte, MaxDocumentBytes+1), "leader", now); !slices.Contains(testkit.Fields(err), "document") {
		t.Errorf("too large: %v", err)
	}
}
