package onestop

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
	t0      = time.Date(2021, 3, 8, 9, 0, 0, 0, calendar.Zone)
	clerk   = register.Actor{Name: "zwzx-clerk", Role: org.RolePartner, UnitCode: "zwzx"}
	centre  = register.Actor{Name: "spzx-officer", Role: org.RoleOfficer, UnitCode: "spzx"}
	leader  = register.Actor{Name: "boss", Role: org.RoleLeader}
	station = register.Actor{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
)

func due(start time.Time, days int) time.Time { return start.AddDate(0, 0, days) }

// twoSteps is a newborn case at step (0 or 1) in state s, the first step's
// checklist received.
func twoSteps(step int, s Status) Case {
	return Case{ID: 7, Service: 1, ServiceCode: "newborn", Unit: "zwzx", Status: s, Step: step, Steps: []CaseStep{
		{Step: Step{Name: "收件", Unit: "zwzx", Materials: []string{"出生医学证明", "结婚证"}, LimitDays: 1},
			Received: []string{"出生医学证明", "结婚证"}, StartedAt: t0, DueAt: t0.Add(24 * time.Hour)},
		{Step: Step{Name: "审批登记", Unit: "spzx", LimitDays: 3}, Received: []string{}}}}
}

// legal is the lifecycle written out by hand, independent of the rules
// table and the step functions: each action, the states and step positions
// (of a two-step case) it is legal from, and the state it leads to.
var legal = []struct {
	action Action
	status Status
	step   int
	to     Status
	toStep int
}{
	{ActAdvance, StatusOpen, 0, StatusOpen, 1},
	{ActReturn, StatusOpen, 1, StatusOpen, 0},
	{ActComplete, StatusOpen, 1, StatusDone, 1},
	{ActCancel, StatusOpen, 0, StatusCancelled, 0},
	{ActCancel, StatusOpen, 1, StatusCancelled, 1},
}

func full(a Action) Command {
	one := 1
	return Command{Action: a, Step: &one, Reason: "材料不全"}
}

func TestEveryTransition(t *testing.T) {
	for _, a := range Actions {
		for _, s := range Statuses {
			for step := range 2 {
				t.Run(string(a)+"/"+string(s)+"/"+itoa(step), func(t *testing.T) {
					c := twoSteps(step, s)
					evs, err := Decide(c, full(a), leader, t0, due)
					i := slices.IndexFunc(legal, func(l struct {
						action Action
						status Status
						step   int
						to     Status
						toStep int
					}) bool {
						return l.action == a && l.status == s && l.step == step
					})
					if i < 0 {
						if code := minyi.ErrorCode(err); code != minyi.EIllegal || evs != nil {
							t.Fatalf("got %v, %v; want illegal", evs, err)
						}
						return
					}
					if err != nil || len(evs) != 1 {
						t.Fatalf("refused: %v", err)
					}
					got := Apply(c, evs[0])
					if got.Status != legal[i].to || got.Step != legal[i].toStep {
						t.Errorf("leads to %s at step %d, want %s at %d", got.Status, got.Step, legal[i].to, legal[i].toStep)
					}
					if evs[0].Register != Register || evs[0].RecordID != 7 || evs[0].From != string(s) {
						t.Errorf("event %+v", evs[0])
					}
				})
			}
		}
	}
}

// TestWhoActs: the work of a step is its unit's, partners included; a
// cancellation is the bureau's.
func TestWhoActs(t *testing.T) {
	partnerB := register.Actor{Name: "p", Role: org.RolePartner, UnitCode: "other"}
	tests := []struct {
		actor  register.Actor
		action Action
		step   int
		code   string
	}{
		{clerk, ActAdvance, 0, ""},
		{centre, ActAdvance, 0, minyi.EForbidden},
		{station, ActAdvance, 0, minyi.EForbidden},
		{partnerB, ActAdvance, 0, minyi.EForbidden},
		{leader, ActAdvance, 0, ""},
		{centre, ActComplete, 1, ""},
		{clerk, ActComplete, 1, minyi.EForbidden},
		{centre, ActReturn, 1, ""},
		{clerk, ActReturn, 1, minyi.EForbidden},
		{clerk, ActCancel, 0, minyi.EForbidden}, // partners never cancel
		{centre, ActCancel, 1, ""},
		{centre, ActCancel, 0, minyi.EForbidden},
		{station, ActCancel, 0, minyi.EForbidden},
		{register.Actor{Name: "citizen"}, ActAdvance, 0, minyi.EForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.actor.Name+"/"+string(tt.action), func(t *testing.T) {
			_, err := Decide(twoSteps(tt.step, StatusOpen), full(tt.action), tt.actor, t0, due)
			if got := minyi.ErrorCode(err); got != tt.code {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
		})
	}
}

func TestHandOffs(t *testing.T) {
	c := twoSteps(0, StatusOpen)
	c.Steps[0].Received = []string{"出生医学证明"}
	_, err := Decide(c, Command{Action: ActAdvance}, clerk, t0, due)
	if !slices.Equal(testkit.Fields(err), []string{"received"}) {
		t.Fatalf("advance with a material missing: %v", err)
	}
	_, err = Decide(c, Command{Action: ActAdvance, Received: []string{"结婚证", "户口簿"}}, clerk, t0, due)
	if !slices.Equal(testkit.Fields(err), []string{"received"}) {
		t.Fatalf("advance with a material not on the list: %v", err)
	}
	late := t0.Add(48 * time.Hour)
	evs, err := Decide(c, Command{Action: ActAdvance, Received: []string{"结婚证"}}, clerk, late, due)
	if err != nil {
		t.Fatal(err)
	}
	e := evs[0]
	if e.Type != EventAdvanced || e.Data["from_unit"] != "zwzx" || e.Data["to_unit"] != "spzx" || e.Data["from_step"] != "1" ||
		e.Data["to_step"] != "2" || e.Data["late"] != "true" {
		t.Fatalf("hand-off %+v", e)
	}
	c = Apply(c, e)
	if c.Step != 1 || !c.Late || c.Steps[0].FinishedBy != "zwzx-clerk" || !c.Steps[1].StartedAt.Equal(late) ||
		!c.Steps[1].DueAt.Equal(late.AddDate(0, 0, 3)) || len(c.Steps[0].Received) != 2 {
		t.Fatalf("after the hand-off %+v", c)
	}
	if !c.OverdueAt(late.AddDate(0, 0, 4)) || c.OverdueAt(late) {
		t.Error("overdue")
	}
	evs, err = Decide(c, Command{Action: ActReturn, Step: intp(1), Reason: "结婚证不清晰"}, centre, late, due)
	if err != nil {
		t.Fatal(err)
	}
	if c = Apply(c, evs[0]); c.Step != 0 || !c.Steps[1].StartedAt.IsZero() || !c.Steps[0].FinishedAt.IsZero() || len(c.Steps[0].Received) != 2 {
		t.Fatalf("after the return %+v", c)
	}
	if _, err := Decide(twoSteps(1, StatusOpen), Command{Action: ActCancel}, centre, t0, due); !slices.Equal(testkit.Fields(err), []string{"reason"}) {
		t.Fatalf("cancel without reason: %v", err)
	}
}

func TestAvailable(t *testing.T) {
	got := Available(twoSteps(0, StatusOpen), clerk, t0, due)
	want := map[Action]bool{ActAdvance: true, ActComplete: false, ActReturn: false, ActCancel: false}
	for a, w := range want {
		if got[a] != w {
			t.Errorf("%s: %v, want %v", a, got[a], w)
		}
	}
	got = Available(twoSteps(1, StatusOpen), centre, t0, due)
	for a, w := range map[Action]bool{ActAdvance: false, ActComplete: true, ActReturn: true, ActCancel: true} {
		if got[a] != w {
			t.Errorf("at step 2, %s: %v, want %v", a, got[a], w)
		}
	}
}

func TestValidateDefinition(t *testing.T) {
	good := Definition{Code: "newborn", Name: "新生儿落户", Steps: []Step{{Name: "收件", Unit: "zwzx",
		Materials: []string{" 出生医学证明 ", "出生医学证明"}, LimitDays: 1}}}
	d, err := good.Validate()
	if err != nil || !slices.Equal(d.Steps[0].Materials, []string{"出生医学证明"}) {
		t.Fatalf("%+v, %v", d, err)
	}
	tests := []struct {
		name   string
		change func(*Definition)
		fields []string
	}{
		{"code", func(d *Definition) { d.Code = "New Born" }, []string{"code"}},
		{"no steps", func(d *Definition) { d.Steps = nil }, []string{"steps"}},
		{"step", func(d *Definition) { d.Steps = []Step{{LimitDays: 61}} }, []string{"steps[0].limit_days", "steps[0].name", "steps[0].unit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good
			tt.change(&d)
			_, err := d.Validate()
			if !slices.Equal(testkit.Fields(err), tt.fields) {
				t.Fatalf("named %v, want %v (%v)", testkit.Fields(err), tt.fields, err)
			}
		})
	}
}

func TestShownMasks(t *testing.T) {
	spzx := org.User{Name: "spzx-officer", Role: org.RoleOfficer, UnitCode: "spzx"}
	zwzx := org.User{Name: "zwzx-clerk", Role: org.RolePartner, UnitCode: "zwzx"}
	boss := org.User{Name: "boss", Role: org.RoleLeader}
	proxy := org.User{Name: "proxy-a", Role: org.RoleAuxiliary, UnitCode: "a"}
	for _, tt := range []struct {
		name   string
		status Status
		step   int
		u      org.User
		masked bool
	}{
		{"open: the current step's unit", StatusOpen, 1, spzx, false},
		{"open: a finished step's unit", StatusOpen, 1, zwzx, true},
		{"open: a leader", StatusOpen, 1, boss, true},
		{"open: the proxy officer", StatusOpen, 1, proxy, false},
		// Whoever must phone the applicant back once it is done.
		{"done: the unit that completed it", StatusDone, 1, spzx, false},
		{"done: the first step's unit", StatusDone, 1, zwzx, true},
		{"done: a leader", StatusDone, 1, boss, true},
		{"done: the proxy officer", StatusDone, 1, proxy, false},
		{"cancelled at the first step: its unit", StatusCancelled, 0, zwzx, false},
		{"cancelled at the first step: the later unit", StatusCancelled, 0, spzx, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := twoSteps(tt.step, tt.status)
			c.Applicant = Applicant{Name: "乌云其其格", Phone: "13912345678", IDNumber: "11010519491231002X"}
			c.Proxy = "proxy-a"
			got := c.Shown(tt.u, t0)
			if got.Masked != tt.masked || (tt.masked && (got.Applicant.Phone != "139****5678" || got.Applicant.Name != "乌*")) ||
				(!tt.masked && got.Applicant.Phone != "13912345678") {
				t.Errorf("%s sees %+v", tt.u.Name, got.Applicant)
			}
		})
	}
}

// TestTallyOf pins when and for whom a case counts: opened (with the green
// channel and lateness) on the day opened for the unit that opened it; done
// and proxy on the day done for the unit of the last step; cancelled on
// the day cancelled for the unit of the step it stood at.
func TestTallyOf(t *testing.T) {
	opened := func(unit string) Contribution {
		return Contribution{Key: TallyKey{Unit: unit, Day: "2021-03-08", Service: 1}, Tally: Tally{Opened: 1, Green: 1, Late: 1}}
	}
	for _, tt := range []struct {
		name   string
		status Status
		step   int
		want   []Contribution
	}{
		{"open at the second step", StatusOpen, 1, []Contribution{opened("zwzx")}},
		{"done by the approval centre on the day done", StatusDone, 1, []Contribution{opened("zwzx"),
			{Key: TallyKey{Unit: "spzx", Day: "2021-04-02", Service: 1}, Tally: Tally{Done: 1, Proxy: 1}}}},
		{"cancelled at the first step", StatusCancelled, 0, []Contribution{opened("zwzx"),
			{Key: TallyKey{Unit: "zwzx", Day: "2021-03-09", Service: 1}, Tally: Tally{Cancelled: 1}}}},
		{"cancelled at the second step", StatusCancelled, 1, []Contribution{opened("zwzx"),
			{Key: TallyKey{Unit: "spzx", Day: "2021-03-09", Service: 1}, Tally: Tally{Cancelled: 1}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := twoSteps(tt.step, tt.status)
			c.OpenedOn, c.Proxy, c.Green, c.Late = "2021-03-08", "proxy-a", GreenPriority, true
			if tt.status == StatusDone {
				c.DoneOn = "2021-04-02"
			} else if tt.status == StatusCancelled {
				c.CancelledOn = "2021-03-09"
			}
			if got := TallyOf(c); !slices.Equal(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestTallyDelta checks that completing a case moves only the done row and
// that an unchanged case changes nothing.
func TestTallyDelta(t *testing.T) {
	c := twoSteps(1, StatusOpen)
	c.OpenedOn = "2021-03-08"
	done := c
	done.Status, done.DoneOn, done.Proxy = StatusDone, "2021-04-02", "proxy-a"
	got := TallyDelta(TallyOf(c), TallyOf(done))
	want := []Contribution{{Key: TallyKey{Unit: "spzx", Day: "2021-04-02", Service: 1}, Tally: Tally{Done: 1, Proxy: 1}}}
	if !slices.Equal(got, want) {
		t.Fatalf("completed: %+v", got)
	}
	if got := TallyDelta(TallyOf(done), TallyOf(done)); len(got) != 0 {
		t.Fatalf("unchanged: %+v", got)
	}
}

func intp(n int) *int { return &n }

func TestCommandChecks(t *testing.T) {
	for _, tt := range []struct {
		name   string
		cmd    Command
		fields []string
	}{
		{"step below 1 on a cancel", Command{Action: ActCancel, Step: intp(0), Reason: "撤回"}, []string{"step"}},
		{"empty material on a cancel", Command{Action: ActCancel, Received: []string{" "}, Reason: "撤回"}, []string{"received"}},
		{"reason too long", Command{Action: ActCancel, Reason: strings.Repeat("字", MaxReasonRunes+1)}, []string{"reason"}},
		{"return to a later step", Command{Action: ActReturn, Step: intp(2), Reason: "x"}, []string{"step"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decide(twoSteps(1, StatusOpen), tt.cmd, centre, t0, due)
			if !slices.Equal(testkit.Fields(err), tt.fields) {
				t.Fatalf("named %v, want %v (%v)", testkit.Fields(err), tt.fields, err)
			}
		})
	}
}
