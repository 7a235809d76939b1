package measure

import (
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
)

// Action is a step of a measure's lifecycle.
type Action string

// Lifecycle actions.
const (
	ActImplement Action = "implement" // researched → implemented, on a day
	ActWithdraw  Action = "withdraw"  // researched → withdrawn, with the reason
)

// Actions lists the lifecycle's actions, in the order pages offer them.
var Actions = []Action{ActImplement, ActWithdraw}

// Event types of a measure.
const (
	EventCreated     = "created"
	EventEdited      = "edited"
	EventImplemented = "implemented"
	EventWithdrawn   = "withdrawn"
)

// actEdit is the right to change a measure's fields (Service.Edit), in any
// state: a wording is corrected after the measure is in place. It is not
// an action of Decide.
const actEdit Action = "edit"

var (
	workers  = []org.Role{org.RoleUnitHead, org.RoleOfficer, org.RoleAuxiliary}
	deciders = []org.Role{org.RoleUnitHead, org.RoleOfficer}
)

// rules: auxiliary police write measures up, an officer says whether they
// are put in place; partners read only.
var rules = map[Action]register.Rule[Status]{
	ActImplement: {From: []Status{StatusResearched}, Roles: deciders},
	ActWithdraw:  {From: []Status{StatusResearched}, Roles: deciders},
	actEdit:      {From: Statuses, Roles: workers},
}

// Noun names a measure in refusals.
var Noun = register.Noun{Zh: "便民措施", En: "measure"}

var lifecycle = register.Table[Action, Status]{
	Rules:      rules,
	Terminal:   Status.Terminal,
	Record:     Noun,
	StateLabel: Status.Label,
}

// MaySee returns nil when u may see a measure of unit, else a refusal.
func MaySee(u org.User, unit string) error { return lifecycle.MaySee(u, unit) }

// MayEdit returns nil when actor may change a measure of unit.
func MayEdit(actor register.Actor, unit string) error { return lifecycle.Permit(actEdit, actor, unit) }

// Command asks for one lifecycle action.
type Command struct {
	Action Action `json:"action"`
	// Day is the day of implementation, YYYY-MM-DD; today when empty.
	Day string `json:"day,omitempty"`
	// Reason is why a measure is withdrawn.
	Reason string `json:"reason,omitempty"`
}

type decision struct {
	m        Measure
	cmd      Command
	now      time.Time
	problems minyi.Problems
	ev       eventlog.Event
}

var steps = map[Action]func(*decision){
	ActImplement: decideImplement,
	ActWithdraw:  decideWithdraw,
}

// Decide checks that actor may take cmd on m now and returns the event that
// follows. Refusals: forbidden (the actor), illegal (the state), invalid
// (the command's fields, each named).
func Decide(m Measure, cmd Command, actor register.Actor, now time.Time) ([]eventlog.Event, error) {
	step, ok := steps[cmd.Action]
	if !ok {
		return nil, minyi.Invalid("action", "未知的操作（implement、withdraw）", "unknown action (implement, withdraw)")
	}
	if err := lifecycle.Check(cmd.Action, actor, m.Unit, m.Status); err != nil {
		return nil, err
	}
	d := &decision{m: m, cmd: cmd, now: now}
	d.ev = eventlog.Event{Register: Register, RecordID: m.ID, Record: m.record(), Actor: actor.Name, At: now,
		From: string(m.Status), To: string(m.Status)}
	step(d)
	if err := d.problems.Err(); err != nil {
		return nil, err
	}
	return []eventlog.Event{d.ev}, nil
}

// decideImplement: a measure is in place on a day not in the future nor
// before it was researched.
func decideImplement(d *decision) {
	d.ev.Type, d.ev.To, d.ev.Public = EventImplemented, string(StatusImplemented), true
	day := archive.CheckDay(&d.problems, "day", "实施日期", d.cmd.Day, d.now)
	if day != "" && day < d.m.ResearchedOn {
		d.problems.Add("day", "实施日期不能早于研究日期", "day cannot be before researched_on")
	}
	d.ev.Data = map[string]string{"day": day}
}

func decideWithdraw(d *decision) {
	d.ev.Type, d.ev.To = EventWithdrawn, string(StatusWithdrawn)
	d.ev.Body = archive.CheckNamedText(&d.problems, "reason", "撤回原因", d.cmd.Reason, MaxReasonRunes, true)
	d.ev.Data = map[string]string{"day": archive.ChinaDay(d.now).Format(dayLayout)}
}

var applies = map[string]func(Measure, eventlog.Event) Measure{
	EventImplemented: func(m Measure, e eventlog.Event) Measure {
		m.ImplementedOn = e.Data["day"]
		return m
	},
	EventWithdrawn: func(m Measure, e eventlog.Event) Measure {
		m.WithdrawnOn, m.WithdrawReason = e.Data["day"], e.Body
		return m
	},
}

// Apply returns m after e, an event of Decide: its new state and what the
// event adds. The version is the store's to move.
func Apply(m Measure, e eventlog.Event) Measure {
	if f, ok := applies[e.Type]; ok {
		m = f(m, e)
	}
	if e.To != "" {
		m.Status = Status(e.To)
	}
	m.UpdatedAt = e.At
	return m
}

// Available reports which lifecycle actions actor can take on m now.
func Available(m Measure, actor register.Actor, now time.Time) map[Action]bool {
	return register.Available(Actions, func(a Action) error {
		_, err := Decide(m, Command{Action: a}, actor, now)
		return err
	})
}
