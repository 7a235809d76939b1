package matter

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/register"
)

var (
	t0      = time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone)
	officer = register.Actor{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
)

// fullCommand returns a command for a with every field it could need.
func fullCommand(a Action) Command {
	return Command{Action: a, Day: "2021-09-13", Text: "走访牧户", Story: "追回被盗牛羊", Reason: "群众已自行解决",
		Outcomes: map[string]int64{"cattle": 5, "sheep": 53}}
}

// legal is the lifecycle written out by hand, independent of the rules
// table, so that a change to either shows up here.
var legal = map[Action][]Status{
	ActStart:    {StatusPlanned},
	ActProgress: {StatusPlanned, StatusInProgress},
	ActComplete: {StatusInProgress},
	ActDrop:     {StatusPlanned, StatusInProgress},
}

// after is the state each action leads to.
var after = map[Action]Status{ActStart: StatusInProgress, ActComplete: StatusDone, ActDrop: StatusDropped}

func TestEveryTransition(t *testing.T) {
	leader := register.Actor{Name: "boss", Role: org.RoleLeader}
	for _, a := range Actions {
		for _, s := range Statuses {
			m := Matter{ID: 7, Unit: "a", Status: s, OpenedOn: "2021-09-01"}
			evs, err := Decide(m, fullCommand(a), leader, t0, DefaultOutcomeKeys)
			if slices.Contains(legal[a], s) {
				if err != nil || len(evs) != 1 {
					t.Fatalf("%s from %s refused: %v", a, s, err)
				}
				want := s
				if to, ok := after[a]; ok {
					want = to
				}
				if got := Apply(m, evs[0]).Status; got != want {
					t.Errorf("%s from %s leads to %s, want %s", a, s, got, want)
				}
				if evs[0].Register != Register || evs[0].RecordID != 7 || evs[0].From != string(s) {
					t.Errorf("%s: event %+v", a, evs[0])
				}
				continue
			}
			if minyi.ErrorCode(err) != minyi.EIllegal || evs != nil {
				t.Errorf("%s from %s: got %v, %v; want illegal", a, s, evs, err)
			}
		}
	}
	if len(legal) != len(Actions) {
		t.Errorf("legal covers %d actions, the lifecycle has %d", len(legal), len(Actions))
	}
}

func TestRoles(t *testing.T) {
	aux := register.Actor{Name: "x", Role: org.RoleAuxiliary, UnitCode: "a"}
	partner := register.Actor{Name: "p", Role: org.RolePartner, UnitCode: "a"}
	other := register.Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "b"}
	tests := []struct {
		actor  register.Actor
		action Action
		status Status
		code   string
	}{
		{aux, ActStart, StatusPlanned, ""},
		{aux, ActProgress, StatusInProgress, ""},
		{aux, ActComplete, StatusInProgress, minyi.EForbidden},
		{aux, ActDrop, StatusPlanned, minyi.EForbidden},
		{officer, ActComplete, StatusInProgress, ""},
		{partner, ActProgress, StatusInProgress, minyi.EForbidden},
		{other, ActStart, StatusPlanned, minyi.EForbidden},
	}
	for _, tt := range tests {
		m := Matter{ID: 1, Unit: "a", Status: tt.status, OpenedOn: "2021-09-01"}
		_, err := Decide(m, fullCommand(tt.action), tt.actor, t0, DefaultOutcomeKeys)
		if got := minyi.ErrorCode(err); got != tt.code {
			t.Errorf("%s %s from %s: %v, want %q", tt.actor.Role, tt.action, tt.status, err, tt.code)
		}
	}
	if err := MayEdit(partner, "a"); minyi.ErrorCode(err) != minyi.EForbidden {
		t.Errorf("partner may edit: %v", err)
	}
	if err := MayEdit(aux, "a"); err != nil {
		t.Errorf("auxiliary may not edit: %v", err)
	}
	for _, tt := range []struct {
		actor register.Actor
		ok    bool
	}{{officer, true}, {aux, false}, {partner, false}, {other, false}, {register.Actor{Name: "l", Role: org.RoleLeader}, true}} {
		if err := lifecycle.Permit(actReveal, tt.actor, "a"); (err == nil) != tt.ok {
			t.Errorf("%s of %s reveals: %v, want ok %v", tt.actor.Role, tt.actor.UnitCode, err, tt.ok)
		}
	}
}

func TestDecideFields(t *testing.T) {
	inProgress := Matter{ID: 1, Unit: "a", Status: StatusInProgress, OpenedOn: "2021-09-01"}
	tests := []struct {
		name   string
		cmd    Command
		fields []string
	}{
		{"complete without story", Command{Action: ActComplete}, []string{"story"}},
		{"complete with unknown outcome", Command{Action: ActComplete, Story: "s", Outcomes: map[string]int64{"goats": 1}}, []string{"outcomes.goats"}},
		{"complete with negative outcome", Command{Action: ActComplete, Story: "s", Outcomes: map[string]int64{"sheep": -1}}, []string{"outcomes.sheep"}},
		{"complete in the future", Command{Action: ActComplete, Story: "s", Day: "2021-09-14"}, []string{"day"}},
		{"complete before opened", Command{Action: ActComplete, Story: "s", Day: "2021-08-31"}, []string{"day"}},
		{"progress without text", Command{Action: ActProgress, Day: "13/09/2021"}, []string{"day", "text"}},
		{"progress before opened", Command{Action: ActProgress, Text: "走访", Day: "2021-08-31"}, []string{"day"}},
		{"drop without reason", Command{Action: ActDrop}, []string{"reason"}},
		{"unknown action", Command{Action: "finish"}, []string{"action"}},
	}
	for _, tt := range tests {
		_, err := Decide(inProgress, tt.cmd, officer, t0, DefaultOutcomeKeys)
		if minyi.ErrorCode(err) != minyi.EInvalid || !slices.Equal(testkit.Fields(err), tt.fields) {
			t.Errorf("%s: %v, fields %v, want %v", tt.name, err, testkit.Fields(err), tt.fields)
		}
	}
}

func TestCompleteApplies(t *testing.T) {
	m := Matter{ID: 1, Unit: "a", Status: StatusInProgress, OpenedOn: "2021-09-01"}
	evs, err := Decide(m, fullCommand(ActComplete), officer, t0, DefaultOutcomeKeys)
	if err != nil {
		t.Fatal(err)
	}
	m = Apply(m, evs[0])
	if m.Status != StatusDone || m.DoneOn != "2021-09-13" || m.Story != "追回被盗牛羊" || m.Outcomes["cattle"] != 5 || m.Outcomes["sheep"] != 53 {
		t.Errorf("completed matter %+v", m)
	}
	evs, _ = Decide(Matter{ID: 1, Unit: "a", Status: StatusInProgress}, Command{Action: ActProgress, Text: "  入户走访 "}, officer, t0, nil)
	m = Apply(Matter{}, evs[0])
	if len(m.Progress) != 1 || !reflect.DeepEqual(m.Progress[0], Progress{Day: "2021-09-13", Text: "入户走访", Actor: "li", At: t0}) {
		t.Errorf("progress %+v", m.Progress)
	}
}

func TestAvailable(t *testing.T) {
	got := Available(Matter{Unit: "a", Status: StatusInProgress}, officer, t0)
	want := map[Action]bool{ActStart: false, ActProgress: true, ActComplete: true, ActDrop: true}
	for a, w := range want {
		if got[a] != w {
			t.Errorf("%s available %v, want %v", a, got[a], w)
		}
	}
}

func valid() Matter {
	return Matter{Title: " 帮助牧民秋收 ", Unit: "a", Class: archive.ClassUrgent,
		Beneficiary: Beneficiary{Kind: BeneficiaryHousehold, Name: "巴特尔", Phone: "13912345678"}}
}

func TestValidate(t *testing.T) {
	m, err := valid().Validate(t0)
	if err != nil {
		t.Fatal(err)
	}
	if m.Title != "帮助牧民秋收" || m.OpenedOn != "2021-09-13" || m.DueDays != 1 {
		t.Errorf("cleaned %+v", m)
	}
	tests := []struct {
		name   string
		change func(*Matter)
		fields []string
	}{
		{"nothing", func(m *Matter) { *m = Matter{} }, []string{"beneficiary", "class", "title", "unit"}},
		{"long title", func(m *Matter) { m.Title = strings.Repeat("事", MaxTitleRunes+1) }, []string{"title"}},
		{"control characters", func(m *Matter) { m.Description = "a\x00b" }, []string{"description"}},
		{"bad kind", func(m *Matter) { m.Beneficiary.Kind = "family" }, []string{"beneficiary.kind"}},
		{"village with phone", func(m *Matter) { m.Beneficiary.Kind = BeneficiaryVillage }, []string{"beneficiary.kind"}},
		{"bad phone", func(m *Matter) { m.Beneficiary.Phone = "call me" }, []string{"beneficiary.phone"}},
		{"bad id", func(m *Matter) { m.Beneficiary.IDNumber = "123" }, []string{"beneficiary.id_number"}},
		{"bad class", func(m *Matter) { m.Class = "sad" }, []string{"class"}},
		{"opened tomorrow", func(m *Matter) { m.OpenedOn = "2021-09-14" }, []string{"opened_on"}},
		{"negative due", func(m *Matter) { m.DueDays = -1 }, []string{"due_days"}},
		{"long due", func(m *Matter) { m.DueDays = MaxDueDays + 1 }, []string{"due_days"}},
		{"many items", func(m *Matter) {
			m.Items = make([]string, MaxItems+1)
			for i := range m.Items {
				m.Items[i] = strings.Repeat("1", i+1)
			}
		}, []string{"items"}},
	}
	for _, tt := range tests {
		m := valid()
		tt.change(&m)
		_, err := m.Validate(t0)
		if !slices.Equal(testkit.Fields(err), tt.fields) {
			t.Errorf("%s: %v, want fields %v", tt.name, err, tt.fields)
		}
		if err != nil && !strings.Contains(minyi.ErrorMessage(err), tt.fields[0]) {
			t.Errorf("%s: message %q does not name %s", tt.name, minyi.ErrorMessage(err), tt.fields[0])
		}
	}
}

func TestMasked(t *testing.T) {
	b := Beneficiary{Kind: BeneficiaryPerson, Name: "巴特尔", Phone: "13912345678", IDNumber: "150102199001011234"}
	if got := b.Masked(); got.Name != "巴*" || got.Phone != "139****5678" || got.IDNumber != "150102***********4" {
		t.Errorf("masked %+v", got)
	}
	v := Beneficiary{Kind: BeneficiaryVillage, Name: "东村"}
	if v.Masked() != v {
		t.Errorf("a village is masked: %+v", v.Masked())
	}
}

func TestPatch(t *testing.T) {
	m := valid()
	title, pub := "新标题", true
	got, changed := Patch{Title: &title, Published: &pub, Lead: &m.Lead}.Over(m)
	if got.Title != title || !got.Published || !slices.Equal(changed, []string{"title", "published"}) {
		t.Errorf("patched %+v, changed %v", got, changed)
	}
	if _, none := whole(m).Over(m); len(none) != 0 {
		t.Errorf("a matter differs from itself in %v", none)
	}
	ev := got.Edited(changed, "li", t0)
	if ev.Type != EventEdited || ev.Data["fields"] != "title,published" || ev.Data["title"] != title || ev.Data["published"] != "true" {
		t.Errorf("edited event %+v", ev)
	}
	m.Beneficiary.Name = "其他"
	if ev := m.Edited([]string{"beneficiary"}, "li", t0); strings.Contains(ev.Data["beneficiary_kind"]+ev.Body, "其他") || ev.Data["beneficiary_kind"] != "household" {
		t.Errorf("the log holds personal data: %+v", ev)
	}
}

func TestFilterCheck(t *testing.T) {
	if err := (Filter{Status: StatusDone, Class: archive.ClassHard, From: "2021-01-01"}).Check(); err != nil {
		t.Errorf("good filter refused: %v", err)
	}
	err := Filter{Status: "closed", Class: "x", To: "2021-13-01", Filter: register.Filter{Limit: 101}}.Check()
	if !slices.Equal(testkit.Fields(err), []string{"class", "limit", "status", "to"}) {
		t.Errorf("bad filter: %v", err)
	}
}

func TestEditLegal(t *testing.T) {
	tests := []struct {
		status  Status
		changed []string
		legal   bool
	}{
		{StatusPlanned, []string{"due_days", "class", "items", "title"}, true},
		{StatusInProgress, []string{"due_days"}, true},
		{StatusDone, []string{"published", "beneficiary_consent"}, true},
		{StatusDropped, []string{"published"}, true},
		{StatusDone, []string{"due_days"}, false},
		{StatusDone, []string{"published", "class"}, false},
		{StatusDone, []string{"items"}, false},
		{StatusDropped, []string{"title"}, false},
		{StatusDropped, []string{"beneficiary"}, false},
	}
	for _, tt := range tests {
		err := editLegal(Matter{Status: tt.status}, tt.changed)
		if tt.legal != (err == nil) {
			t.Errorf("%s changing %v: %v", tt.status, tt.changed, err)
		}
		if err != nil && (minyi.ErrorCode(err) != minyi.EIllegal || !strings.Contains(minyi.ErrorMessage(err), tt.changed[len(tt.changed)-1])) {
			t.Errorf("%s changing %v: %v, want illegal naming the field", tt.status, tt.changed, err)
		}
	}
}

func TestEditedDueAt(t *testing.T) {
	old := Matter{ID: 1, Status: StatusPlanned, DueDays: 1, DueAt: t0}
	m := old
	m.Title = "新"
	if ev := m.editedFrom(old, []string{"title"}, "li", t0); ev.Data["due_at"] != "" {
		t.Errorf("due_at recorded though unchanged: %v", ev.Data)
	}
	m.DueDays, m.DueAt = 5, t0.AddDate(0, 0, 7)
	if ev := m.editedFrom(old, []string{"due_days"}, "li", t0); ev.Data["due_at"] != "2021-09-20T10:00:00+08:00" || ev.Data["due_days"] != "5" {
		t.Errorf("edited event %v", ev.Data)
	}
}

func TestCreatedData(t *testing.T) {
	m := valid()
	m.Published = true
	ev := m.Created()
	if ev.Data["published"] != "true" || ev.Data["beneficiary_consent"] != "false" {
		t.Errorf("created event %v", ev.Data)
	}
}

func TestBeneficiaryPatch(t *testing.T) {
	real := Beneficiary{Kind: BeneficiaryPerson, Name: "巴特尔", Phone: "13912345678", IDNumber: "150102199001011234", Place: "东村"}
	s := func(v string) *string { return &v }
	village := BeneficiaryVillage
	tests := []struct {
		name   string
		patch  BeneficiaryPatch
		want   Beneficiary
		fields []string
	}{
		{"place only", BeneficiaryPatch{Place: s("西村")}, Beneficiary{Kind: BeneficiaryPerson, Name: "巴特尔", Phone: "13912345678", IDNumber: "150102199001011234", Place: "西村"}, nil},
		{"phone cleared", BeneficiaryPatch{Phone: s("")}, Beneficiary{Kind: BeneficiaryPerson, Name: "巴特尔", IDNumber: "150102199001011234", Place: "东村"}, nil},
		{"kind", BeneficiaryPatch{Kind: &village, Name: s("东村"), Phone: s(""), IDNumber: s("")}, Beneficiary{Kind: BeneficiaryVillage, Name: "东村", Place: "东村"}, nil},
		{"masked resent", BeneficiaryPatch{Name: s("巴*"), Phone: s("139****5678"), IDNumber: s("150102***********4"), Place: s("东村")}, real,
			[]string{"beneficiary.id_number", "beneficiary.name", "beneficiary.phone"}},
	}
	for _, tt := range tests {
		v := 1
		p := Patch{Version: &v, Beneficiary: &tt.patch}
		err := p.check()
		if !slices.Equal(testkit.Fields(err), tt.fields) {
			t.Errorf("%s: %v, want fields %v", tt.name, err, tt.fields)
		}
		if err != nil {
			for _, f := range err.(*minyi.Error).Fields {
				if !strings.Contains(f.Zh, "脱敏") || !strings.Contains(f.En, f.Field) || !strings.Contains(f.En, "masked") {
					t.Errorf("%s: message %q", tt.name, f.Message())
				}
			}
			continue
		}
		if got, _ := p.Over(Matter{Beneficiary: real}); got.Beneficiary != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got.Beneficiary, tt.want)
		}
	}
}
