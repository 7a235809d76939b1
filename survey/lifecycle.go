package survey

import (
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
)

// Action is a step of a questionnaire's lifecycle.
type Action string

// Lifecycle actions.
const (
	ActPublish Action = "publish" // draft → published: answers are taken
	ActClose   Action = "close"   // published → closed: no more answers
)

// Actions lists the lifecycle's actions, in the order pages offer them.
var Actions = []Action{ActPublish, ActClose}

// actEdit is the right to change a questionnaire (Service.Update) and to
// turn its answers into items: the unit's officers and heads, leaders and
// admins; never partners or auxiliary police. It is no action of Decide.
const actEdit Action = "edit"

var builders = []org.Role{org.RoleUnitHead, org.RoleOfficer}

var rules = map[Action]register.Rule[Status]{
	ActPublish: {From: []Status{StatusDraft}, Roles: builders},
	ActClose:   {From: []Status{StatusPublished}, Roles: builders},
	actEdit:    {From: Statuses, Roles: builders},
}

var lifecycle = register.Table[Action, Status]{
	Rules:      rules,
	Terminal:   Status.Terminal,
	Record:     Noun,
	StateLabel: Status.Label,
}

// MaySee returns nil when u may see a questionnaire of unit, else a refusal.
func MaySee(u org.User, unit string) error { return lifecycle.MaySee(u, unit) }

// MayEdit returns nil when actor may build a questionnaire of unit.
func MayEdit(actor register.Actor, unit string) error { return lifecycle.Permit(actEdit, actor, unit) }

// Command asks for one lifecycle action.
type Command struct {
	Action Action `json:"action"`
}

// Decide checks that actor may take cmd on s now and returns the event that
// follows. Refusals: forbidden (the actor), illegal (the state), invalid (a
// questionnaire without questions cannot be published).
func Decide(s Survey, cmd Command, actor register.Actor, now time.Time) ([]eventlog.Event, error) {
	if _, ok := rules[cmd.Action]; !ok || cmd.Action == actEdit {
		return nil, minyi.Invalid("action", "未知的操作（publish、close）", "unknown action (publish, close)")
	}
	if err := lifecycle.Check(cmd.Action, actor, s.Unit, s.Status); err != nil {
		return nil, err
	}
	day := archive.ChinaDay(now).Format(dayLayout)
	e := s.event("", actor.Name, now, map[string]string{"day": day})
	switch cmd.Action {
	case ActPublish:
		if len(s.Questions) == 0 {
			return nil, minyi.Invalid("questions", "问卷至少要有一道题才能发布", "a questionnaire needs a question to be published")
		}
		e.Type, e.To = EventPublished, string(StatusPublished)
	case ActClose:
		e.Type, e.To = EventClosed, string(StatusClosed)
	}
	return []eventlog.Event{e}, nil
}

// Apply returns s after e, an event of Decide. The version is the store's
// to move.
func Apply(s Survey, e eventlog.Event) Survey {
	switch e.Type {
	case EventPublished:
		s.PublishedOn = e.Data["day"]
	case EventClosed:
		s.ClosedOn = e.Data["day"]
	}
	if e.To != "" {
		s.Status = Status(e.To)
	}
	s.UpdatedAt = e.At
	return s
}

// Available reports which lifecycle actions actor can take on s now.
func Available(s Survey, actor register.Actor, now time.Time) map[Action]bool {
	return register.Available(Actions, func(a Action) error {
		_, err := Decide(s, Command{Action: a}, actor, now)
		return err
	})
}
