package dispute

import (
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/dispute/kind"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/register"
)

var (
	t0      = time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone)
	officer = register.Actor{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
	kinds   = kind.Codes(kind.Defaults)
)

// legal is the lifecycle written out by hand, independent of the rules
// table, so that a change to either shows up here.
var legal = map[Action][]Status{
	ActMediate:    {StatusFound, StatusMediating},
	ActResolve:    {StatusFound, StatusMediating},
	ActRefer:      {StatusFound, StatusMediating},
	ActNotResolve: {StatusFound, StatusMediating},
	ActFollowUp:   {StatusResolved},
}

// after is the state each action leads to.
var after = map[Action]Status{ActMediate: StatusMediating, ActResolve: StatusResolved, ActRefer: StatusReferred,
	ActNotResolve: StatusUnresolved, ActFollowUp: StatusResolved}

// full is a command of action a with every field it needs.
func full(a Action) Command {
	return Command{Action: a, Day: "2021-09-10", With: []Participant{WithPolice, WithVillage}, Notes: "双方到场",
		Agreement: "赔偿五只羊", Level: LevelVillage, To: ToCourt, Whom: "鄂托克旗人民法院", Reason: "一方不同意", Result: "协议已履行"}
}

func TestEveryTransition(t *testing.T) {
	leader := register.Actor{Name: "boss", Role: org.RoleLeader}
	for _, a := range Actions {
		for _, s := range Statuses {
			t.Run(string(a)+"/"+string(s), func(t *testing.T) {
				d := Dispute{ID: 7, Unit: "a", Status: s, FoundOn: "2021-09-01", ClosedOn: "2021-09-05"}
				evs, err := Decide(d, full(a), leader, t0)
				if !slices.Contains(legal[a], s) {
					if minyi.ErrorCode(err) != minyi.EIllegal || evs != nil {
						t.Errorf("got %v, %v; want illegal", evs, err)
					}
					return
				}
				if err != nil || len(evs) != 1 {
					t.Fatalf("refused: %v", err)
				}
				if got := Apply(d, evs[0]).Status; got != after[a] {
					t.Errorf("leads to %s, want %s", got, after[a])
				}
				if evs[0].Register != Register || evs[0].RecordID != 7 || evs[0].From != string(s) {
					t.Errorf("event %+v", evs[0])
				}
			})
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
	for _, tt := range []struct {
		actor  register.Actor
		action Action
		code   string
	}{
		{officer, ActMediate, ""},
		{officer, ActResolve, ""},
		{aux, ActMediate, ""},
		{aux, ActResolve, minyi.EForbidden},
		{aux, ActRefer, minyi.EForbidden},
		{partner, ActMediate, minyi.EForbidden},
		{other, ActMediate, minyi.EForbidden},
	} {
		t.Run(string(tt.actor.Role)+"/"+string(tt.action), func(t *testing.T) {
			d := Dispute{ID: 1, Unit: "a", Status: StatusFound, FoundOn: "2021-09-01"}
			if _, err := Decide(d, full(tt.action), tt.actor, t0); minyi.ErrorCode(err) != tt.code {
				t.Errorf("%v, want %q", err, tt.code)
			}
		})
	}
	if MayEdit(aux, "a") != nil || MayEdit(partner, "a") == nil || MayEdit(other, "a") == nil {
		t.Error("edit: auxiliaries of the unit may, partners and other units may not")
	}
}

func TestDecideFields(t *testing.T) {
	d := Dispute{ID: 1, Unit: "a", Status: StatusMediating, FoundOn: "2021-09-01",
		Mediations: []Mediation{{Day: "2021-09-05", With: []Participant{WithPolice}}}}
	resolved := Dispute{ID: 1, Unit: "a", Status: StatusResolved, FoundOn: "2021-09-01", ClosedOn: "2021-09-08"}
	for _, tt := range []struct {
		name  string
		d     Dispute
		cmd   Command
		field string
	}{
		{"future day", d, Command{Action: ActMediate, Day: "2021-09-14", With: []Participant{WithPolice}, Notes: "x"}, "day"},
		{"before found", d, Command{Action: ActResolve, Day: "2021-08-31", Agreement: "x", Level: LevelVillage}, "day"},
		{"before last mediation", d, Command{Action: ActMediate, Day: "2021-09-04", With: []Participant{WithPolice}, Notes: "x"}, "day"},
		{"nobody took part", d, Command{Action: ActMediate, Notes: "x"}, "with"},
		{"unknown participant", d, Command{Action: ActMediate, With: []Participant{"mayor"}, Notes: "x"}, "with"},
		{"no notes", d, Command{Action: ActMediate, With: []Participant{WithLawyer}}, "notes"},
		{"no agreement", d, Command{Action: ActResolve, Level: LevelVillage}, "agreement"},
		{"no level", d, Command{Action: ActResolve, Agreement: "x"}, "level"},
		{"nowhere", d, Command{Action: ActRefer}, "to"},
		{"agency unnamed", d, Command{Action: ActRefer, To: ToAgency}, "whom"},
		{"no reason", d, Command{Action: ActNotResolve, Reason: " "}, "reason"},
		{"long reason", d, Command{Action: ActNotResolve, Reason: strings.Repeat("因", MaxReasonRunes+1)}, "reason"},
		{"no result", resolved, Command{Action: ActFollowUp}, "result"},
		{"visit before resolved", resolved, Command{Action: ActFollowUp, Day: "2021-09-07", Result: "x"}, "day"},
		{"unknown", d, Command{Action: "close"}, "action"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decide(tt.d, tt.cmd, officer, t0)
			if got := testkit.Fields(err); !slices.Equal(got, []string{tt.field}) {
				t.Errorf("fields %v, want %s (%v)", got, tt.field, err)
			}
		})
	}
	evs, err := Decide(d, Command{Action: ActMediate, With: []Participant{WithMediation, WithMediation, WithPolice}, Notes: " 达成初步意见 "}, officer, t0)
	if err != nil {
		t.Fatal(err)
	}
	m := Apply(d, evs[0])
	if len(m.Mediations) != 2 || m.Mediations[1].Day != "2021-09-13" || !slices.Equal(m.Mediations[1].With, []Participant{WithMediation, WithPolice}) ||
		m.Mediations[1].Notes != "达成初步意见" || len(d.Mediations) != 1 {
		t.Errorf("mediated: %+v", m.Mediations)
	}
	evs, _ = Decide(m, Command{Action: ActResolve, Agreement: "协议", Level: LevelVillage}, officer, t0)
	if r := Apply(m, evs[0]); r.ClosedOn != "2021-09-13" || r.Level != LevelVillage || r.Agreement != "协议" {
		t.Errorf("resolved: %+v", r)
	}
}

func TestAvailable(t *testing.T) {
	d := Dispute{Unit: "a", Status: StatusFound, FoundOn: "2021-09-01"}
	got := Available(d, officer, t0)
	if !got[ActMediate] || !got[ActResolve] || !got[ActRefer] || !got[ActNotResolve] || got[ActFollowUp] {
		t.Errorf("found: %v", got)
	}
	d.Status = StatusResolved
	got = Available(d, officer, t0)
	if got[ActMediate] || got[ActResolve] || !got[ActFollowUp] {
		t.Errorf("resolved: %v", got)
	}
}

func TestValidate(t *testing.T) {
	ok := Dispute{FoundOn: "2021-06-01", Kind: "land", Township: "苏米图苏木", Village: "查干淖尔嘎查", Unit: "a",
		Risk: RiskMedium, Source: SourceVisit, Summary: "两户草场边界争议", Parties: []Party{{Name: "巴特尔", Phone: "13912345678", Role: PartyApplicant}}}
	for _, tt := range []struct {
		name   string
		edit   func(*Dispute)
		fields []string
	}{
		{"fine", func(*Dispute) {}, nil},
		{"future", func(d *Dispute) { d.FoundOn = "2021-09-14" }, []string{"found_on"}},
		{"unknown kind", func(d *Dispute) { d.Kind = "war" }, []string{"kind"}},
		{"no township", func(d *Dispute) { d.Township = " " }, []string{"township"}},
		{"no summary", func(d *Dispute) { d.Summary = "" }, []string{"summary"}},
		{"control", func(d *Dispute) { d.Summary = "a\x00b" }, []string{"summary"}},
		{"no unit", func(d *Dispute) { d.Unit = "" }, []string{"unit"}},
		{"no risk", func(d *Dispute) { d.Risk = "" }, []string{"risk"}},
		{"bad source", func(d *Dispute) { d.Source = "rumour" }, []string{"source"}},
		{"item source without item", func(d *Dispute) { d.Source = SourceItem }, []string{"item"}},
		{"no parties", func(d *Dispute) { d.Parties = nil }, []string{"parties"}},
		{"many parties", func(d *Dispute) { d.Parties = make([]Party, MaxParties+1) }, []string{"parties"}},
		{"party unnamed", func(d *Dispute) { d.Parties = []Party{{Phone: "13912345678"}} }, []string{"parties[0].name"}},
		{"bad phone", func(d *Dispute) { d.Parties = append(d.Parties, Party{Name: "张", Phone: "12"}) }, []string{"parties[1].phone"}},
		{"bad role", func(d *Dispute) { d.Parties = []Party{{Name: "张", Role: "judge"}} }, []string{"parties[0].role"}},
		{"due days", func(d *Dispute) { d.DueDays = -1 }, []string{"due_days"}},
		{"after closed", func(d *Dispute) { d.ClosedOn = "2021-05-01" }, []string{"found_on"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := ok
			tt.edit(&d)
			_, err := d.Validate(t0, kinds)
			if got := testkit.Fields(err); !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v (%v)", got, tt.fields, err)
			}
		})
	}
	got, err := ok.Validate(t0, kinds)
	if err != nil || got.DueDays != DefaultDueDays {
		t.Errorf("due days default: %+v %v", got, err)
	}
	if f := testkit.Fields(Filter{Status: "done", Risk: "x", From: "x"}.Check()); !slices.Equal(f, []string{"from", "risk", "status"}) {
		t.Errorf("filter: %v", f)
	}
}

// TestShown: parties are masked for every reader, an open dispute past its
// limit is overdue, a resolved one never.
func TestShown(t *testing.T) {
	d := Dispute{Status: StatusMediating, DueAt: t0.Add(-time.Hour), Parties: []Party{{Name: "巴特尔", Phone: "13912345678", Role: PartyApplicant}}}
	s := d.Shown(t0)
	if s.Parties[0].Name != "巴*" || s.Parties[0].Phone != "139****5678" || !s.Overdue || d.Parties[0].Name != "巴特尔" {
		t.Errorf("shown: %+v", s)
	}
	d.Status = StatusResolved
	if d.Shown(t0).Overdue {
		t.Error("a resolved dispute is not overdue")
	}
}

func TestEdited(t *testing.T) {
	before := Dispute{ID: 2, Kind: "land", Summary: "x", Status: StatusMediating, Parties: []Party{{Name: "甲"}}}
	if _, ok := before.Edited(before, "li"); ok {
		t.Error("nothing changed is no event")
	}
	d := Patch{Kind: ptr("debt"), Summary: ptr("y"), Parties: &[]Party{{Name: "乙"}}}.Apply(before)
	e, ok := d.Edited(before, "li")
	if !ok || e.Data["fields"] != "kind,parties,summary" || e.Data["kind"] != "debt" || e.Body != "y" || strings.Contains(e.Data["parties"], "乙") {
		t.Errorf("edited: %+v", e)
	}
}

func ptr[T any](v T) *T { return &v }

func TestMayReveal(t *testing.T) {
	for _, tt := range []struct {
		actor register.Actor
		ok    bool
	}{
		{officer, true},
		{register.Actor{Name: "h", Role: org.RoleUnitHead, UnitCode: "a"}, true},
		{register.Actor{Name: "boss", Role: org.RoleLeader}, true},
		{register.Actor{Name: "x", Role: org.RoleAuxiliary, UnitCode: "a"}, false},
		{register.Actor{Name: "p", Role: org.RolePartner, UnitCode: "a"}, false},
		{register.Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "b"}, false},
	} {
		t.Run(string(tt.actor.Role)+"/"+tt.actor.UnitCode, func(t *testing.T) {
			if err := MayReveal(tt.actor, "a"); (err == nil) != tt.ok {
				t.Errorf("MayReveal = %v, want allowed %v", err, tt.ok)
			}
		})
	}
}
