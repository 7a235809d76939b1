package archive

import (
	"testing"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/org"
	"minyi/reporting"
)

var (
	t0     = time.Date(2021, 3, 1, 9, 0, 0, 0, calendar.Zone)
	policy = Policy{Calendar: calendar.Default()}
	admin  = Actor{Name: "admin", Role: org.RoleAdmin}
)

func yes() *bool { b := true; return &b }

// fullCommand returns a command for action with every field it could need.
func fullCommand(a Action) Command {
	return Command{Action: a, Body: "理由 reason", Unit: "station-b", Satisfaction: Satisfied,
		Extension: &calendar.Limit{Amount: 2, Unit: calendar.WorkingDays}, Into: "2021-000999", Publish: yes()}
}

// legal is the lifecycle written out by hand, independent of the rules
// table, so that a change to either shows up here.
var legal = map[Action][]Status{
	ActDispatch:         {StatusReceived, StatusReturned},
	ActSign:             {StatusDispatched},
	ActStart:            {StatusSigned},
	ActReply:            {StatusSigned, StatusInProgress},
	ActNote:             {StatusReceived, StatusReturned, StatusDispatched, StatusSigned, StatusInProgress, StatusAnswered, StatusVisited},
	ActAnswer:           {StatusSigned, StatusInProgress},
	ActTransfer:         {StatusDispatched, StatusSigned, StatusInProgress},
	ActReturn:           {StatusDispatched, StatusSigned, StatusInProgress},
	ActRequestExtension: {StatusDispatched, StatusSigned, StatusInProgress},
	ActGrantExtension:   {StatusDispatched, StatusSigned, StatusInProgress},
	ActRefuseExtension:  {StatusDispatched, StatusSigned, StatusInProgress},
	ActSupervise:        {StatusReceived, StatusReturned, StatusDispatched, StatusSigned, StatusInProgress},
	ActRemind:           {StatusReceived, StatusReturned, StatusDispatched, StatusSigned, StatusInProgress},
	ActVisit:            {StatusAnswered},
	ActReopen:           {StatusAnswered, StatusVisited, StatusClosed},
	ActClose:            {StatusAnswered, StatusVisited},
	ActMerge:            {StatusReceived, StatusReturned, StatusDispatched, StatusSigned, StatusInProgress},
	ActInvalidate:       {StatusReceived, StatusReturned, StatusDispatched, StatusSigned, StatusInProgress},
	ActRevealContact:    allStatuses(),
	ActSetPublish:       allStatuses(),
}

func contains(ss []Status, s Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestEveryTransition tries every staff action in every state: legal ones
// produce events, all others fail with EIllegal and no events.
func TestEveryTransition(t *testing.T) {
	for action, from := range legal {
		for _, st := range allStatuses() {
			t.Run(string(action)+"/"+string(st), func(t *testing.T) {
				it := Item{Number: "2021-000001", Status: st, UnitCode: "station-a", DueAt: t0.AddDate(0, 0, 5), Version: 3}
				if action == ActGrantExtension || action == ActRefuseExtension {
					it.Pending = &Extension{Amount: 2, Unit: "working_days"}
				}
				// Closing needs an unreachable citizen or a visit; keep it about state alone.
				evs, err := Decide(it, fullCommand(action), admin, t0, policy, func(string) bool { return true })
				if contains(from, st) {
					if err != nil {
						t.Fatalf("legal transition refused: %v", err)
					}
					if len(evs) == 0 {
						t.Fatal("no events")
					}
					for _, e := range evs {
						if e.From == "" && e.Type != EventReceived {
							t.Errorf("event %s lacks from-state", e.Type)
						}
						if e.Actor == "" || e.At.IsZero() {
							t.Errorf("event %s lacks who or when", e.Type)
						}
					}
					return
				}
				if minyi.ErrorCode(err) != minyi.EIllegal {
					t.Fatalf("illegal transition: got err %v, events %v; want EIllegal", err, evs)
				}
				if evs != nil {
					t.Fatal("illegal transition produced events")
				}
			})
		}
	}
	if len(legal) != len(rules)-1 { // rate is the citizen's, tested below
		t.Fatalf("legal table covers %d actions, rules have %d", len(legal), len(rules))
	}
}

func TestCitizenMayOnlyRate(t *testing.T) {
	it := Item{Number: "2021-000001", Status: StatusAnswered, UnitCode: "a"}
	for _, a := range Actions() {
		_, err := Decide(it, fullCommand(a), Citizen, t0, policy, nil)
		if a == ActRate {
			if err != nil {
				t.Errorf("rate refused: %v", err)
			}
			continue
		}
		if minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("%s by citizen: got %v, want forbidden", a, err)
		}
	}
	staff := Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "a"}
	if _, err := Decide(it, fullCommand(ActRate), staff, t0, policy, nil); minyi.ErrorCode(err) != minyi.EForbidden {
		t.Errorf("staff rating for the citizen: got %v, want forbidden", err)
	}
}

func TestRolesAndUnits(t *testing.T) {
	it := Item{Number: "2021-000001", Status: StatusDispatched, UnitCode: "a", DueAt: t0}
	tests := []struct {
		name   string
		actor  Actor
		action Action
		want   string
	}{
		{"officer signs own unit", Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "a"}, ActSign, ""},
		{"officer of another unit", Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "b"}, ActSign, minyi.EForbidden},
		{"officer may not dispatch", Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "a"}, ActSupervise, minyi.EForbidden},
		{"auxiliary may not return", Actor{Name: "x", Role: org.RoleAuxiliary, UnitCode: "a"}, ActReturn, minyi.EForbidden},
		{"partner reads only", Actor{Name: "p", Role: org.RolePartner, UnitCode: "a"}, ActNote, minyi.EForbidden},
		{"unit head transfers", Actor{Name: "h", Role: org.RoleUnitHead, UnitCode: "a"}, ActTransfer, ""},
		{"leader supervises any unit", Actor{Name: "l", Role: org.RoleLeader}, ActSupervise, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decide(it, fullCommand(tc.action), tc.actor, t0, policy, func(string) bool { return true })
			if got := minyi.ErrorCode(err); got != tc.want {
				t.Fatalf("got %q (%v), want %q", got, err, tc.want)
			}
		})
	}
}

// TestFullJourney folds a realistic history and checks the state and tally.
func TestFullJourney(t *testing.T) {
	sub := Submission{Kind: KindComplaint, Channel: ChannelOnlineBox, Text: "派出所窗口排队太久",
		Contact: Contact{Name: "王某", Phone: "13900001111"}}
	sub, err := sub.Validate(false, t0)
	if err != nil {
		t.Fatal(err)
	}
	it, ev := NewItem(sub, t0, policy, nil, Citizen, "h")
	it = Apply(it, ev)
	if want := time.Date(2021, 3, 18, 17, 30, 0, 0, calendar.Zone); !it.DueAt.Equal(want) {
		t.Fatalf("complaint due %v, want %v (13 working days)", it.DueAt, want)
	}
	head := Actor{Name: "h", Role: org.RoleUnitHead, UnitCode: "a"}
	leader := Actor{Name: "l", Role: org.RoleLeader}
	steps := []struct {
		actor Actor
		cmd   Command
		want  Status
	}{
		{leader, Command{Action: ActDispatch, Unit: "a"}, StatusDispatched},
		{head, Command{Action: ActSign}, StatusSigned},
		{head, Command{Action: ActRequestExtension, Body: "需要调查", Extension: &calendar.Limit{Amount: 2, Unit: calendar.WorkingDays}}, StatusSigned},
		{leader, Command{Action: ActGrantExtension}, StatusSigned},
		{head, Command{Action: ActAnswer, Body: "已增开窗口"}, StatusAnswered},
		{Citizen, Command{Action: ActRate, Satisfaction: Unsatisfied, Body: "还是很慢"}, StatusInProgress},
		{head, Command{Action: ActAnswer, Body: "已实行错时延时服务"}, StatusAnswered},
		{head, Command{Action: ActVisit, Satisfaction: Satisfied}, StatusVisited},
		{head, Command{Action: ActClose}, StatusClosed},
	}
	now := t0
	for _, s := range steps {
		now = now.Add(time.Hour)
		evs, err := Decide(it, s.cmd, s.actor, now, policy, func(string) bool { return true })
		if err != nil {
			t.Fatalf("%s: %v", s.cmd.Action, err)
		}
		for _, e := range evs {
			it = Apply(it, e)
		}
		if it.Status != s.want {
			t.Fatalf("after %s: status %s, want %s", s.cmd.Action, it.Status, s.want)
		}
	}
	if want := time.Date(2021, 3, 22, 17, 30, 0, 0, calendar.Zone); !it.DueAt.Equal(want) {
		t.Errorf("due after extension %v, want %v", it.DueAt, want)
	}
	if it.Redos != 1 || it.Extensions != 1 || !it.OnTime || it.Satisfaction != Satisfied || it.ClosedAt == nil {
		t.Errorf("unexpected state %+v", it)
	}
	_, tally := TallyOf(it)
	want := reporting.Tally{Received: 1, Valid: 1, Responded: 1, Answered: 1, OnTime: 1, Closed: 1, Visited: 1, Satisfied: 1, Redone: 1}
	if tally != want {
		t.Errorf("tally %+v, want %+v", tally, want)
	}
}

func TestCloseRules(t *testing.T) {
	head := Actor{Name: "h", Role: org.RoleUnitHead, UnitCode: "a"}
	tests := []struct {
		name string
		it   Item
		cmd  Command
		want string
	}{
		{"reachable citizen must be visited first", Item{Status: StatusAnswered, UnitCode: "a", Contact: Contact{Phone: "13900001111"}}, Command{Action: ActClose, Body: "x"}, minyi.EIllegal},
		{"anonymous may close with a reason", Item{Status: StatusAnswered, UnitCode: "a", Contact: Contact{Anonymous: true}}, Command{Action: ActClose, Body: "匿名无法回访"}, ""},
		{"anonymous needs the reason", Item{Status: StatusAnswered, UnitCode: "a", Contact: Contact{Anonymous: true}}, Command{Action: ActClose}, minyi.EInvalid},
		{"unsatisfied never closes", Item{Status: StatusVisited, UnitCode: "a", Satisfaction: Unsatisfied}, Command{Action: ActClose}, minyi.EIllegal},
		{"satisfied closes", Item{Status: StatusVisited, UnitCode: "a", Satisfaction: BasicSatisfied}, Command{Action: ActClose}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decide(tc.it, tc.cmd, head, t0, policy, nil)
			if got := minyi.ErrorCode(err); got != tc.want {
				t.Fatalf("got %q (%v), want %q", got, err, tc.want)
			}
		})
	}
}

func TestChainDetectsEdits(t *testing.T) {
	evs := []Event{{ItemNumber: "2021-000001", Type: EventReceived, Actor: "citizen", At: t0, To: StatusReceived},
		{ItemNumber: "2021-000001", Type: EventDispatched, Actor: "l", At: t0, From: StatusReceived, To: StatusDispatched, Data: map[string]string{"unit": "a"}}}
	seq, head := Chain(evs, 0, GenesisHash)
	if seq != 2 || head != evs[1].Hash {
		t.Fatalf("head %d %s", seq, head)
	}
	edited := evs[1]
	edited.Data = map[string]string{"unit": "b"}
	if edited.ComputeHash(evs[0].Hash) == evs[1].Hash {
		t.Fatal("editing data did not change the hash")
	}
	edited = evs[1]
	edited.Actor = "someone else"
	if edited.ComputeHash(evs[0].Hash) == evs[1].Hash {
		t.Fatal("editing the actor did not change the hash")
	}
}
