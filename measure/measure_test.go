package measure

import (
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/register"
)

var (
	t0      = time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone)
	officer = register.Actor{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
)

// legal is the lifecycle written out by hand, independent of the rules
// table, so that a change to either shows up here.
var legal = map[Action][]Status{
	ActImplement: {StatusResearched},
	ActWithdraw:  {StatusResearched},
}

// after is the state each action leads to.
var after = map[Action]Status{ActImplement: StatusImplemented, ActWithdraw: StatusWithdrawn}

func full(a Action) Command {
	return Command{Action: a, Day: "2021-09-10", Reason: "上级已统一办理"}
}

func TestEveryTransition(t *testing.T) {
	leader := register.Actor{Name: "boss", Role: org.RoleLeader}
	for _, a := range Actions {
		for _, s := range Statuses {
			m := Measure{ID: 7, Unit: "a", Status: s, ResearchedOn: "2021-09-01"}
			evs, err := Decide(m, full(a), leader, t0)
			if slices.Contains(legal[a], s) {
				if err != nil || len(evs) != 1 {
					t.Fatalf("%s from %s refused: %v", a, s, err)
				}
				if got := Apply(m, evs[0]).Status; got != after[a] {
					t.Errorf("%s from %s leads to %s, want %s", a, s, got, after[a])
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
		code   string
	}{
		{officer, ActImplement, ""},
		{officer, ActWithdraw, ""},
		{aux, ActImplement, minyi.EForbidden},
		{partner, ActImplement, minyi.EForbidden},
		{partner, ActWithdraw, minyi.EForbidden},
		{other, ActImplement, minyi.EForbidden},
	}
	for _, tt := range tests {
		m := Measure{ID: 1, Unit: "a", Status: StatusResearched, ResearchedOn: "2021-09-01"}
		_, err := Decide(m, full(tt.action), tt.actor, t0)
		if minyi.ErrorCode(err) != tt.code {
			t.Errorf("%s by %s: %v, want %q", tt.action, tt.actor.Role, err, tt.code)
		}
	}
	if MayEdit(aux, "a") != nil || MayEdit(partner, "a") == nil || MayEdit(other, "a") == nil {
		t.Error("edit: auxiliaries of the unit may, partners and other units may not")
	}
}

func TestDecideFields(t *testing.T) {
	m := Measure{ID: 1, Unit: "a", Status: StatusResearched, ResearchedOn: "2021-09-01"}
	tests := []struct {
		name  string
		cmd   Command
		field string
	}{
		{"future day", Command{Action: ActImplement, Day: "2021-09-14"}, "day"},
		{"before researched", Command{Action: ActImplement, Day: "2021-08-31"}, "day"},
		{"not a day", Command{Action: ActImplement, Day: "13/9/2021"}, "day"},
		{"no reason", Command{Action: ActWithdraw, Reason: "  "}, "reason"},
		{"long reason", Command{Action: ActWithdraw, Reason: strings.Repeat("因", MaxReasonRunes+1)}, "reason"},
		{"unknown", Command{Action: "finish"}, "action"},
	}
	for _, tt := range tests {
		_, err := Decide(m, tt.cmd, officer, t0)
		if got := testkit.Fields(err); !slices.Equal(got, []string{tt.field}) {
			t.Errorf("%s: fields %v, want %s (%v)", tt.name, got, tt.field, err)
		}
	}
	evs, err := Decide(m, Command{Action: ActImplement}, officer, t0)
	if err != nil || Apply(m, evs[0]).ImplementedOn != "2021-09-13" {
		t.Errorf("implement without a day is today: %v %v", evs, err)
	}
	evs, err = Decide(m, Command{Action: ActWithdraw, Reason: " 已统一办理 "}, officer, t0)
	if w := Apply(m, evs[0]); err != nil || w.WithdrawReason != "已统一办理" || w.WithdrawnOn != "2021-09-13" {
		t.Errorf("withdraw: %+v %v", w, err)
	}
}

func TestAvailable(t *testing.T) {
	m := Measure{Unit: "a", Status: StatusResearched, ResearchedOn: "2021-09-01"}
	if got := Available(m, officer, t0); !got[ActImplement] || !got[ActWithdraw] {
		t.Errorf("researched: %v", got)
	}
	m.Status = StatusImplemented
	if got := Available(m, officer, t0); got[ActImplement] || got[ActWithdraw] {
		t.Errorf("implemented: %v", got)
	}
}

func TestValidate(t *testing.T) {
	ok := Measure{Title: "错时延时服务", Unit: "a", Changes: "户籍窗口午间和周末照常办理", ResearchedOn: "2021-06-01"}
	tests := []struct {
		name   string
		edit   func(*Measure)
		fields []string
	}{
		{"fine", func(*Measure) {}, nil},
		{"no title", func(m *Measure) { m.Title = " " }, []string{"title"}},
		{"long title", func(m *Measure) { m.Title = strings.Repeat("便", MaxTitleRunes+1) }, []string{"title"}},
		{"control", func(m *Measure) { m.Title = "a\x00b" }, []string{"title"}},
		{"no changes", func(m *Measure) { m.Changes = "" }, []string{"changes"}},
		{"no unit", func(m *Measure) { m.Unit = "" }, []string{"unit"}},
		{"future", func(m *Measure) { m.ResearchedOn = "2021-09-14" }, []string{"researched_on"}},
		{"after implemented", func(m *Measure) { m.ImplementedOn = "2021-05-01" }, []string{"researched_on"}},
		{"after withdrawn", func(m *Measure) { m.WithdrawnOn = "2021-05-01" }, []string{"researched_on"}},
		{"bad matter", func(m *Measure) { m.Matters = []int64{3, 0} }, []string{"matters"}},
		{"many items", func(m *Measure) { m.Items = make([]string, MaxItems+1) }, []string{"items"}},
		{"many matters", func(m *Measure) {
			for i := 0; i <= MaxMatters; i++ {
				m.Matters = append(m.Matters, 1)
			}
		}, []string{"matters"}},
	}
	for _, tt := range tests {
		m := ok
		tt.edit(&m)
		_, err := m.Validate(t0)
		if got := testkit.Fields(err); !slices.Equal(got, tt.fields) {
			t.Errorf("%s: fields %v, want %v (%v)", tt.name, got, tt.fields, err)
		}
	}
	m := ok
	m.Items, m.Matters, m.Title = []string{" 2021-000001", "2021-000001", ""}, []int64{4, 4, 2}, " 窗口 "
	got, err := m.Validate(t0)
	if err != nil || !slices.Equal(got.Items, []string{"2021-000001"}) || !slices.Equal(got.Matters, []int64{4, 2}) || got.Title != "窗口" {
		t.Errorf("cleaned: %+v %v", got, err)
	}
	if _, err := m.Validate(t0); err != nil {
		t.Fatal(err)
	}
	if f := testkit.Fields(Filter{Status: "done", From: "x"}.Check()); !slices.Equal(f, []string{"from", "status"}) {
		t.Errorf("filter: %v", f)
	}
}

func TestEdited(t *testing.T) {
	before := Measure{ID: 2, Title: "a", Unit: "u", Changes: "x", Status: StatusImplemented}
	if _, ok := before.Edited(before, "li"); ok {
		t.Error("nothing changed is no event")
	}
	m := Patch{Title: ptr("b"), Changes: ptr("y")}.Apply(before)
	e, ok := m.Edited(before, "li")
	if !ok || e.Data["fields"] != "title,changes" || e.Data["title"] != "b" || e.Body != "y" || e.To != "implemented" {
		t.Errorf("edited: %+v", e)
	}
}

func ptr[T any](v T) *T { return &v }
