package archive

import (
	"slices"
	"strings"
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
		Extension: &calendar.Limit{Amount: 2, Unit: calendar.WorkingDays}, Into: "2021-000999", Publish: yes(),
		Assignee: "staff"} // the actor of TestPermissions: an officer may only claim
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
	ActAssign:           {StatusDispatched, StatusSigned, StatusInProgress},
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
	if len(legal) != len(rules)-len(citizenActions) { // the citizen's are tested below
		t.Fatalf("legal table covers %d actions, rules have %d", len(legal), len(rules))
	}
}

// citizenActions are the actions only the holder of the access code takes.
var citizenActions = map[Action]bool{ActRate: true, ActAddInfo: true, ActWithdraw: true}

// TestCitizenActions: the citizen rates, adds to and withdraws their item,
// each in its states (withdraw only before the answer), and nothing else;
// staff take none of the three for them.
func TestCitizenActions(t *testing.T) {
	for _, st := range []Status{StatusReceived, StatusAnswered} {
		it := Item{Number: "2021-000001", Status: st, UnitCode: "a"}
		for _, a := range Actions() {
			_, err := Decide(it, fullCommand(a), Citizen, t0, policy, nil)
			switch {
			case !citizenActions[a]:
				if minyi.ErrorCode(err) != minyi.EForbidden {
					t.Errorf("%s by citizen in %s: got %v, want forbidden", a, st, err)
				}
			case (a == ActRate && st == StatusReceived) || (a == ActWithdraw && st == StatusAnswered):
				if minyi.ErrorCode(err) != minyi.EIllegal {
					t.Errorf("%s by citizen in %s: got %v, want illegal", a, st, err)
				}
			case err != nil:
				t.Errorf("%s by citizen in %s refused: %v", a, st, err)
			}
		}
	}
	staff := Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "a"}
	for a := range citizenActions {
		it := Item{Number: "2021-000001", Status: StatusAnswered, UnitCode: "a"}
		if a == ActWithdraw {
			it.Status = StatusReceived
		}
		if _, err := Decide(it, fullCommand(a), staff, t0, policy, nil); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("staff taking %s for the citizen: got %v, want forbidden", a, err)
		}
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

// transitions is the lifecycle as docs/API.md ("Lifecycle actions") states
// it, written out by hand as a grid rather than taken from the rules table:
// x marks a status an action may be taken from. Grant and refuse are tried
// with a pending request, and close with a citizen who cannot be reached,
// so that the grid is about the status alone.
const transitions = `
                     received  dispatched  signed  in_progress  returned  answered  visited  closed  invalid  merged  withdrawn
dispatch                x          .         .          .          x         .         .       .        .       .      .
sign                    .          x         .          .          .         .         .       .        .       .      .
start                   .          .         x          .          .         .         .       .        .       .      .
reply                   .          .         x          x          .         .         .       .        .       .      .
note                    x          x         x          x          x         x         x       .        .       .      .
answer                  .          .         x          x          .         .         .       .        .       .      .
transfer                .          x         x          x          .         .         .       .        .       .      .
return                  .          x         x          x          .         .         .       .        .       .      .
request_extension       .          x         x          x          .         .         .       .        .       .      .
grant_extension         .          x         x          x          .         .         .       .        .       .      .
refuse_extension        .          x         x          x          .         .         .       .        .       .      .
supervise               x          x         x          x          x         .         .       .        .       .      .
remind                  x          x         x          x          x         .         .       .        .       .      .
visit                   .          .         .          .          .         x         .       .        .       .      .
rate                    .          .         .          .          .         x         x       .        .       .      .
reopen                  .          .         .          .          .         x         x       x        .       .      .
close                   .          .         .          .          .         x         x       .        .       .      .
merge                   x          x         x          x          x         .         .       .        .       .      .
invalidate              x          x         x          x          x         .         .       .        .       .      .
reveal_contact          x          x         x          x          x         x         x       x        x       x      x
set_publish             x          x         x          x          x         x         x       x        x       x      x
assign                  .          x         x          x          .         .         .       .        .       .      .
add_info                x          x         x          x          x         x         x       .        .       .      .
withdraw                x          x         x          x          x         .         .       .        .       .      .
`

// permissions is who may take each action on their own unit's item, as
// docs/API.md states it (its "who" column), written out by hand: x marks a
// role that may. The citizen is the holder of the access code.
const permissions = `
                     unit_head  officer  auxiliary  partner  leader  admin  citizen
dispatch                 .         .         .         .        x      x       .
sign                     x         x         x         .        x      x       .
start                    x         x         x         .        x      x       .
reply                    x         x         .         .        x      x       .
note                     x         x         x         .        x      x       .
answer                   x         x         .         .        x      x       .
transfer                 x         .         .         .        x      x       .
return                   x         x         .         .        x      x       .
request_extension        x         x         .         .        x      x       .
grant_extension          .         .         .         .        x      x       .
refuse_extension         .         .         .         .        x      x       .
supervise                .         .         .         .        x      x       .
remind                   .         .         .         .        x      x       .
visit                    x         x         x         .        x      x       .
rate                     .         .         .         .        .      .       x
reopen                   .         .         .         .        x      x       .
close                    x         x         .         .        x      x       .
merge                    .         .         .         .        x      x       .
invalidate               .         .         .         .        x      x       .
reveal_contact           x         x         .         .        x      x       .
set_publish              .         .         .         .        x      x       .
assign                   x         x         .         .        x      x       .
add_info                 .         .         .         .        .      .       x
withdraw                 .         .         .         .        .      .       x
`

// grid reads a grid of x and . marks: the columns named by its first line,
// and for each action the columns it marks.
func grid(t *testing.T, text string) (columns []string, marked map[Action]map[string]bool) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(text), "\n")
	columns = strings.Fields(lines[0])
	marked = map[Action]map[string]bool{}
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) != len(columns)+1 {
			t.Fatalf("row %q has %d marks, want %d", f[0], len(f)-1, len(columns))
		}
		row := map[string]bool{}
		for i, m := range f[1:] {
			row[columns[i]] = m == "x"
		}
		marked[Action(f[0])] = row
	}
	for _, a := range Actions() {
		if marked[a] == nil {
			t.Fatalf("action %s is not in the grid", a)
		}
	}
	if len(marked) != len(Actions()) {
		t.Fatalf("the grid has %d actions, want %d", len(marked), len(Actions()))
	}
	return columns, marked
}

// legalItem is an item of unit a in status st on which action a depends on
// the status alone: a pending request for grant and refuse (and none for
// a new request), a citizen who cannot be visited for close.
func legalItem(a Action, st Status) Item {
	it := Item{Number: "2021-000001", Status: st, UnitCode: "a", DueAt: t0.AddDate(0, 0, 5), Version: 3,
		Contact: Contact{Anonymous: true}, Pending: &Extension{Amount: 2, Unit: "working_days"}}
	if a == ActRequestExtension {
		it.Pending = nil
	}
	return it
}

// TestLegalTransitions runs Decide for every action from every status and
// compares with the grid: a legal action produces events, any other is
// illegal (422) and produces none.
func TestLegalTransitions(t *testing.T) {
	statuses, legal := grid(t, transitions)
	if len(statuses) != len(Statuses) {
		t.Fatalf("the grid has %d statuses, want %d", len(statuses), len(Statuses))
	}
	for a, from := range legal {
		for _, st := range statuses {
			t.Run(string(a)+"/"+st, func(t *testing.T) {
				if !Status(st).Valid() {
					t.Fatalf("unknown status %s", st)
				}
				actor := admin
				if citizenActions[a] {
					actor = Citizen
				}
				evs, err := Decide(legalItem(a, Status(st)), fullCommand(a), actor, t0, policy, func(string) bool { return true })
				switch {
				case from[st] && (err != nil || len(evs) == 0):
					t.Fatalf("legal transition refused: %v", err)
				case !from[st] && (minyi.ErrorCode(err) != minyi.EIllegal || evs != nil):
					t.Fatalf("got %v and %d events, want illegal", err, len(evs))
				}
			})
		}
	}
}

// TestPermissions asks Decide whether each role may take each action on an
// item of its own unit in a status the action is legal from (the first of
// the transitions grid), and whether staff of another unit may: only
// leaders and admins.
func TestPermissions(t *testing.T) {
	statuses, legal := grid(t, transitions)
	roles, may := grid(t, permissions)
	for a, who := range may {
		var from Status
		for _, st := range statuses {
			if legal[a][st] {
				from = Status(st)
				break
			}
		}
		it := legalItem(a, from)
		for _, role := range roles {
			actor := Actor{Name: "staff", Role: org.Role(role), UnitCode: "a"}
			if role == "citizen" {
				actor = Citizen
			}
			t.Run(string(a)+"/"+role, func(t *testing.T) {
				_, err := Decide(it, fullCommand(a), actor, t0, policy, func(string) bool { return true })
				if who[role] != (err == nil) || (err != nil && minyi.ErrorCode(err) != minyi.EForbidden) {
					t.Fatalf("got %v, want allowed %v (else forbidden)", err, who[role])
				}
				if actor.IsCitizen() || !who[role] {
					return
				}
				other := actor
				other.UnitCode = "b"
				_, err = Decide(it, fullCommand(a), other, t0, policy, func(string) bool { return true })
				if seesAll := role == "leader" || role == "admin"; seesAll != (err == nil) {
					t.Fatalf("of another unit: got %v, want allowed %v", err, seesAll)
				}
			})
		}
	}
}

// TestAvailable: the actions offered are those Decide would take with the
// fields filled in, preconditions beyond the status included, written out
// by hand.
func TestAvailable(t *testing.T) {
	head := Actor{Name: "h", Role: org.RoleUnitHead, UnitCode: "a"}
	officer := Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "a"}
	leader := Actor{Name: "l", Role: org.RoleLeader}
	pending := &Extension{Amount: 2, Unit: "working_days"}
	reachable := Contact{Name: "王某", Phone: "13900001111"}
	unreachable := Contact{Anonymous: true}
	tests := []struct {
		name  string
		it    Item
		actor Actor
		want  []Action
	}{
		{"officer, dispatched", Item{Status: StatusDispatched}, officer,
			[]Action{ActSign, ActNote, ActReturn, ActRequestExtension, ActRevealContact, ActAssign}},
		{"officer, someone else's", Item{Status: StatusDispatched, Assignee: "x"}, officer,
			[]Action{ActSign, ActNote, ActReturn, ActRequestExtension, ActRevealContact}},
		{"officer, their own", Item{Status: StatusDispatched, Assignee: "o"}, officer,
			[]Action{ActSign, ActNote, ActReturn, ActRequestExtension, ActRevealContact}},
		{"head, someone else's", Item{Status: StatusDispatched, Assignee: "x"}, head,
			[]Action{ActSign, ActNote, ActTransfer, ActReturn, ActRequestExtension, ActRevealContact, ActAssign}},
		{"officer, another unit's", Item{Status: StatusDispatched, UnitCode: "b"}, officer, nil},
		{"officer, signed, extension pending", Item{Status: StatusSigned, Pending: pending}, officer,
			[]Action{ActStart, ActReply, ActNote, ActAnswer, ActReturn, ActRevealContact, ActAssign}},
		{"leader, signed, extension pending", Item{Status: StatusSigned, Pending: pending}, leader,
			[]Action{ActStart, ActReply, ActNote, ActAnswer, ActTransfer, ActReturn, ActGrantExtension, ActRefuseExtension,
				ActSupervise, ActRemind, ActMerge, ActInvalidate, ActRevealContact, ActSetPublish, ActAssign}},
		{"leader, in progress", Item{Status: StatusInProgress}, leader,
			[]Action{ActReply, ActNote, ActAnswer, ActTransfer, ActReturn, ActRequestExtension,
				ActSupervise, ActRemind, ActMerge, ActInvalidate, ActRevealContact, ActSetPublish, ActAssign}},
		{"head, answered, citizen reachable", Item{Status: StatusAnswered, Contact: reachable}, head,
			[]Action{ActNote, ActVisit, ActRevealContact}},
		{"head, answered, citizen unreachable", Item{Status: StatusAnswered, Contact: unreachable}, head,
			[]Action{ActNote, ActVisit, ActClose, ActRevealContact}},
		{"head, answered again after a redo", Item{Status: StatusAnswered, Contact: unreachable, Satisfaction: Unsatisfied}, head,
			[]Action{ActNote, ActVisit, ActRevealContact}},
		{"head, visited", Item{Status: StatusVisited, Contact: reachable, Satisfaction: Satisfied}, head,
			[]Action{ActNote, ActClose, ActRevealContact}},
		{"leader, closed", Item{Status: StatusClosed}, leader, []Action{ActReopen, ActRevealContact, ActSetPublish}},
		{"citizen, answered", Item{Status: StatusAnswered, Contact: reachable}, Citizen, []Action{ActRate, ActAddInfo}},
		{"citizen, received", Item{Status: StatusReceived}, Citizen, []Action{ActAddInfo, ActWithdraw}},
		{"citizen, withdrawn", Item{Status: StatusWithdrawn}, Citizen, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := tt.it
			it.Number, it.Version, it.DueAt = "2021-000001", 3, t0.AddDate(0, 0, 5)
			if it.UnitCode == "" {
				it.UnitCode = "a"
			}
			got := Available(it, tt.actor, t0, policy)
			for _, a := range Actions() {
				if want := slices.Contains(tt.want, a); got[a] != want {
					t.Errorf("%s available %v, want %v", a, got[a], want)
				}
			}
		})
	}
}

// TestEveryActionHasAStep: the rules table and Decide's steps name the same
// actions.
func TestEveryActionHasAStep(t *testing.T) {
	for _, a := range Actions() {
		if _, ok := rules[a]; !ok {
			t.Errorf("%s has no rule", a)
		}
		if steps[a] == nil {
			t.Errorf("%s has no step", a)
		}
	}
	if len(rules) != len(Actions()) || len(steps) != len(Actions()) {
		t.Errorf("%d rules and %d steps for %d actions", len(rules), len(steps), len(Actions()))
	}
}

// The reason shown beside the answer form of an item sent back is the
// citizen's verdict that reopened it, or the leader's reopening, whichever
// was last.
func TestLastRedo(t *testing.T) {
	rated := Event{Seq: 3, Type: EventRated, Actor: ActorCitizen, Body: "民警没来现场", Data: map[string]string{"satisfaction": "unsatisfied"}}
	visited := Event{Seq: 3, Type: EventVisited, Actor: "li", Body: "群众说问题没解决"}
	auto := Event{Seq: 4, Type: EventReopened, Actor: ActorSystem}
	byLeader := Event{Seq: 7, Type: EventReopened, Actor: "leader", Body: "答复不完整，重办"}
	answered := Event{Seq: 2, Type: EventAnswered, Actor: "li", Body: "已处理"}
	for _, tc := range []struct {
		name string
		evs  []Event
		want int64 // the seq of the reason; 0: none
	}{
		{"never sent back", []Event{answered}, 0},
		{"the citizen's rating", []Event{answered, rated, auto}, 3},
		{"heard at the visit", []Event{answered, visited, auto}, 3},
		{"a leader's reopening after the citizen's", []Event{answered, rated, auto, {Seq: 5, Type: EventAnswered}, {Seq: 6, Type: EventClosed}, byLeader}, 7},
		{"a system reopening without a verdict before it", []Event{auto}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := LastRedo(tc.evs)
			if ok != (tc.want != 0) || e.Seq != tc.want {
				t.Fatalf("LastRedo = %+v, %v; want seq %d", e, ok, tc.want)
			}
		})
	}
}
