package matter

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"minyi/archive"
)

// storyMatter is a done matter for a herder's household, whose texts name
// the household's head as staff write them.
func storyMatter() Matter {
	return Matter{ID: 7, Title: "帮助牧户追回被盗牛羊", Description: "牧民反映牛羊被盗", Unit: "a", Branch: "a-branch",
		Lead: "li.officer", Participants: []string{"wang.officer"}, Class: archive.ClassUrgent,
		Beneficiary: Beneficiary{Kind: BeneficiaryHousehold, Name: "巴特尔", Phone: "13912345678", IDNumber: "150624198001011234", Place: "蒙西镇东村"},
		Items:       []string{"2021-000001", "2021-000002"}, Status: StatusDone, OpenedOn: "2021-09-01", DueAt: t0,
		DoneOn: "2021-09-13", Story: "民警连夜追查，为巴特尔家追回牛5头、羊53只。",
		Progress: []Progress{{Day: "2021-09-05", Text: "走访牧户，调取监控", Actor: "li.officer", At: t0},
			{Day: "2021-09-10", Text: "与巴特尔通话（13912345678）核实", Actor: "wang.officer", At: t0}},
		Outcomes: map[string]int64{"cattle": 5, "sheep": 53}, Published: true, CreatedBy: "creator.user", Version: 9}
}

// refs are the references of a page read already, so that public needs no
// store: the branch's name, the lead's display name, one item on the
// online desk and one not.
func refs() *publicRefs {
	return &publicRefs{townships: []string{"乌兰镇", "蒙西镇"}, unitTown: map[string]string{"a": "乌兰镇"},
		branches: map[string]string{"a-branch": "甲所党支部"}, leads: map[string]string{"li.officer": "李警官"},
		opinions: map[string]PublicOpinion{"2021-000001": {Number: "2021-000001", Title: "牛羊被盗求助"}, "2021-000002": {}}}
}

func TestPublicMatterWithholdsTheBeneficiary(t *testing.T) {
	tests := []struct {
		name      string
		consent   bool
		wantName  string
		wantStory bool // the story, which names the household's head, shows
	}{
		{"no consent", false, "", false},
		{"consent", true, "巴特尔", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := storyMatter()
			m.BeneficiaryConsent = tt.consent
			p, err := refs().public(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if p.Beneficiary.Name != tt.wantName || p.Beneficiary.Kind != BeneficiaryHousehold || p.Beneficiary.Township != "蒙西镇" {
				t.Errorf("beneficiary %+v, want name %q, kind and township", p.Beneficiary, tt.wantName)
			}
			if (p.Beneficiary.Place != "") != tt.consent {
				t.Errorf("place %q shown with consent %v", p.Beneficiary.Place, tt.consent)
			}
			if p.Story.Withheld == tt.wantStory || (p.Story.Text != "") != tt.wantStory {
				t.Errorf("story %+v, want shown %v", p.Story, tt.wantStory)
			}
			// The phone is never shown, consent or not.
			if !p.Progress[1].Text.Withheld || p.Progress[1].Text.Text != "" || p.Progress[0].Text.Text != "走访牧户，调取监控" {
				t.Errorf("progress %+v", p.Progress)
			}
			b, _ := json.Marshal(p)
			for _, leak := range []string{"13912345678", "150624198001011234", "li.officer", "wang.officer", "creator.user"} {
				if strings.Contains(string(b), leak) {
					t.Errorf("public matter holds %q: %s", leak, b)
				}
			}
			if !tt.consent && strings.Contains(string(b), "巴特尔") {
				t.Errorf("public matter names the beneficiary without consent: %s", b)
			}
			if p.LeadName != "李警官" || p.Branch != "甲所党支部" || p.Share != 100 || p.DueOn != "2021-09-13" {
				t.Errorf("lead %q, branch %q, share %d, due %q", p.LeadName, p.Branch, p.Share, p.DueOn)
			}
			if len(p.Answers) != 2 || p.Answers[0].Title != "牛羊被盗求助" || p.Answers[1] != (PublicOpinion{}) {
				t.Errorf("answers %+v: the desk's public title, else nothing", p.Answers)
			}
		})
	}
}

func TestPublicTextVillage(t *testing.T) {
	// A village is named, not personal data: a story naming it shows
	// without consent; a phone number in it never does.
	v := Beneficiary{Kind: BeneficiaryVillage, Name: "东村", Place: "蒙西镇东村"}
	if p := publicText("为东村修通道路", v, false); p.Withheld {
		t.Errorf("village story withheld: %+v", p)
	}
	if p := publicText("联系村委0477-6211234", v, false); !p.Withheld {
		t.Errorf("phone shown: %+v", p)
	}
	// A name already written as reports write it (孙某) names nobody.
	if p := publicText("八旬老人孙某与家人团聚", Beneficiary{Kind: BeneficiaryPerson, Name: "孙某"}, false); p.Withheld {
		t.Errorf("a story naming 孙某 withheld: %+v", p)
	}
	if p := publicText("孙某某与家人团聚，电话13912345678", Beneficiary{Kind: BeneficiaryPerson, Name: "孙某某"}, false); !p.Withheld {
		t.Errorf("a phone shown beside an anonymised name: %+v", p)
	}
	// A name written in traditional script or as a greeting is found too.
	h := Beneficiary{Kind: BeneficiaryPerson, Name: "王小明"}
	for _, text := range []string{"王先生家的玉米已收完", "幫助王小明秋收"} {
		if p := publicText(text, h, false); !p.Withheld {
			t.Errorf("%q shown without consent", text)
		}
	}
}

func TestTownshipOf(t *testing.T) {
	towns := []string{"乌兰镇", "蒙西镇"}
	tests := []struct{ place, unitTown, want string }{
		{"蒙西镇东村", "乌兰镇", "蒙西镇"}, // the place says
		{"东村", "乌兰镇", "乌兰镇"},    // else the unit's township
		{"", "", ""},            // a team of the bureau, no place: none
	}
	for _, tt := range tests {
		if got := TownshipOf(tt.place, tt.unitTown, towns); got != tt.want {
			t.Errorf("TownshipOf(%q, %q) = %q, want %q", tt.place, tt.unitTown, got, tt.want)
		}
	}
}

func TestShare(t *testing.T) {
	want := map[Status]int{StatusPlanned: 0, StatusInProgress: 50, StatusDone: 100, StatusDropped: -1}
	for s, n := range want {
		if got := Share(s); got != n {
			t.Errorf("Share(%s) = %d, want %d", s, got, n)
		}
	}
}

// publicFields decides, for every JSON field of the staff view of a
// matter, whether the public page may show it (perhaps under another name
// or reduced). A field added to Matter fails TestPublicMatterIsAnAllowList
// until it is decided here.
var publicFields = map[string]bool{
	"id": true, "title": true, "description": true, "unit": true, "branch": true, "beneficiary": true, "class": true,
	"status": true, "opened_on": true, "done_on": true, "drop_reason": true, "progress": true, "story": true,
	"outcomes": true, "items": true, "due_at": true, "lead": true, "story_photos": true,

	"participants": false, "due_days": false, "published": false, "beneficiary_consent": false, "campaign": false,
	"created_by": false, "created_at": false, "updated_at": false, "version": false,
}

// fill sets every settable field of v to a value that is not its zero
// value, so that no field of the staff view is left out as empty.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("leak")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		v.SetMapIndex(reflect.ValueOf("leak"), reflect.New(v.Type().Elem()).Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(t0))
			return
		}
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				fill(v.Field(i))
			}
		}
	}
}

func TestPublicMatterIsAnAllowList(t *testing.T) {
	var m Matter
	fill(reflect.ValueOf(&m).Elem())
	m.Lead, m.Items = "li.officer", []string{"2021-000001"} // read from refs, not a store
	var staff, public map[string]json.RawMessage
	b, _ := json.Marshal(m)
	json.Unmarshal(b, &staff)
	p, err := refs().public(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(p)
	json.Unmarshal(b, &public)
	for key := range staff {
		shown, decided := publicFields[key]
		switch {
		case !decided:
			t.Errorf("field %q of Matter: decide whether the public page may show it (publicFields)", key)
		case !shown && public[key] != nil:
			t.Errorf("internal field %q is in the public matter: %s", key, public[key])
		}
	}
}
