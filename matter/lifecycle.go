package matter

import (
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
)

// Action is a step of a matter's lifecycle.
type Action string

// Lifecycle actions.
const (
	ActStart    Action = "start"    // planned → in_progress
	ActProgress Action = "progress" // a dated progress entry; planned or in_progress
	ActComplete Action = "complete" // in_progress → done, with the outcome story
	ActDrop     Action = "drop"     // planned or in_progress → dropped, with the reason
)

// Actions lists the lifecycle's actions, in the order pages offer them.
var Actions = []Action{ActStart, ActProgress, ActComplete, ActDrop}

// Event types of a matter.
const (
	EventCreated    = "created"
	EventEdited     = "edited"
	EventStarted    = "started"
	EventProgressed = "progressed"
	EventCompleted  = "completed"
	EventDropped    = "dropped"
	EventRevealed   = "beneficiary_revealed"
)

// actEdit is the right to change a matter's fields (Service.Edit), in any
// state: a done matter is still published, or its beneficiary's consent
// recorded; what else a done or dropped matter may change is editLegal's
// to say. It is not an action of Decide.
const actEdit Action = "edit"

// actReveal is the right to see the beneficiary's personal data unmasked
// (Service.Reveal), recorded as an event like items' reveal_contact.
const actReveal Action = "reveal_beneficiary"

var (
	workers  = []org.Role{org.RoleUnitHead, org.RoleOfficer, org.RoleAuxiliary}
	deciders = []org.Role{org.RoleUnitHead, org.RoleOfficer}
	open     = []Status{StatusPlanned, StatusInProgress}
)

// rules: auxiliary police claim and carry out matters (民辅警领办实事) but
// the final word, done or dropped, is an officer's; partners read only.
var rules = map[Action]register.Rule[Status]{
	ActStart:    {From: []Status{StatusPlanned}, Roles: workers},
	ActProgress: {From: open, Roles: workers},
	ActComplete: {From: []Status{StatusInProgress}, Roles: deciders},
	ActDrop:     {From: open, Roles: deciders},
	actEdit:     {From: Statuses, Roles: workers},
	actReveal:   {From: Statuses, Roles: deciders},
}

var lifecycle = register.Table[Action, Status]{
	Rules:      rules,
	Terminal:   Status.Terminal,
	Record:     register.Noun{Zh: "实事", En: "matter"},
	StateLabel: Status.Label,
}

// MaySee returns nil when u may see a matter of unit, else a refusal.
func MaySee(u org.User, unit string) error { return lifecycle.MaySee(u, unit) }

// MayEdit returns nil when actor may change a matter of unit.
func MayEdit(actor register.Actor, unit string) error { return lifecycle.Permit(actEdit, actor, unit) }

// MayReveal returns nil when actor may see a matter's beneficiary of unit
// unmasked (Service.Reveal), so that pages offer the button only then.
func MayReveal(actor register.Actor, unit string) error {
	return lifecycle.Permit(actReveal, actor, unit)
}

// Command asks for one lifecycle action.
type Command struct {
	Action Action `json:"action"`
	// Day is the day of a progress entry or of completion, YYYY-MM-DD;
	// today when empty.
	Day string `json:"day,omitempty"`
	// Text is a progress entry's text.
	Text string `json:"text,omitempty"`
	// Story and Outcomes are the outcome story of complete.
	Story    string           `json:"story,omitempty"`
	Outcomes map[string]int64 `json:"outcomes,omitempty"`
	// Reason is why a matter is dropped.
	Reason string `json:"reason,omitempty"`
	// Photos go with a progress entry or the outcome story, at most
	// MaxPhotos; the event records their sums (archive.PhotoSums).
	Photos []archive.Photo `json:"-"`
}

type decision struct {
	m        Matter
	cmd      Command
	now      time.Time
	keys     []string
	problems minyi.Problems
	ev       eventlog.Event
}

var steps = map[Action]func(*decision){
	ActStart:    decideStart,
	ActProgress: decideProgress,
	ActComplete: decideComplete,
	ActDrop:     decideDrop,
}

// Decide checks that actor may take cmd on m now and returns the event that
// follows; keys are the known counted outcomes. Refusals: forbidden (the
// actor), illegal (the state), invalid (the command's fields, each named).
func Decide(m Matter, cmd Command, actor register.Actor, now time.Time, keys []string) ([]eventlog.Event, error) {
	step, ok := steps[cmd.Action]
	if !ok {
		return nil, minyi.Invalid("action", "未知的操作（start、progress、complete、drop）", "unknown action (start, progress, complete, drop)")
	}
	if err := lifecycle.Check(cmd.Action, actor, m.Unit, m.Status); err != nil {
		return nil, err
	}
	d := &decision{m: m, cmd: cmd, now: now, keys: keys}
	d.ev = eventlog.Event{Register: Register, RecordID: m.ID, Record: m.record(), Actor: actor.Name, At: now,
		From: string(m.Status), To: string(m.Status)}
	step(d)
	if len(cmd.Photos) > 0 {
		d.photos()
	}
	if err := d.problems.Err(); err != nil {
		return nil, err
	}
	return []eventlog.Event{d.ev}, nil
}

// photos checks the command's photos, which only a progress entry and the
// outcome story take, and records their sums in the event, so that the
// log's hash chain covers them.
func (d *decision) photos() {
	if d.cmd.Action != ActProgress && d.cmd.Action != ActComplete {
		d.problems.Add("photos", "只有进展记录和成效故事可以附照片", "only progress and complete take photos")
		return
	}
	d.ev.Data["photos"] = archive.PhotoSums(archive.CheckPhotos(&d.problems, "photos", d.cmd.Photos, MaxPhotos))
}

func decideStart(d *decision) {
	d.ev.Type, d.ev.To = EventStarted, string(StatusInProgress)
}

func decideProgress(d *decision) {
	d.ev.Type = EventProgressed
	d.ev.Body = checkText(&d.problems, "text", "进展情况", d.cmd.Text, MaxProgressRunes, true)
	day := archive.CheckDay(&d.problems, "day", "进展日期", d.cmd.Day, d.now)
	if day != "" && day < d.m.OpenedOn {
		d.problems.Add("day", "进展日期不能早于立项日期", "day cannot be before opened_on")
	}
	d.ev.Data = map[string]string{"day": day}
	if len(d.m.Progress) >= MaxProgressEntries {
		d.problems.Add("text", "进展记录最多"+itoa(MaxProgressEntries)+"条", "at most "+itoa(MaxProgressEntries)+" progress entries")
	}
}

// decideComplete: a matter is done only with its story, told on a day not
// before it was taken on.
func decideComplete(d *decision) {
	d.ev.Type, d.ev.To, d.ev.Public = EventCompleted, string(StatusDone), true
	d.ev.Body = checkText(&d.problems, "story", "成效故事", d.cmd.Story, MaxStoryRunes, true)
	day := archive.CheckDay(&d.problems, "day", "办结日期", d.cmd.Day, d.now)
	if day != "" && day < d.m.OpenedOn {
		d.problems.Add("day", "办结日期不能早于立项日期", "day cannot be before opened_on")
	}
	d.ev.Data = map[string]string{"day": day}
	if o := encodeOutcomes(CheckOutcomes(&d.problems, d.cmd.Outcomes, d.keys)); o != "" {
		d.ev.Data["outcomes"] = o
	}
}

func decideDrop(d *decision) {
	d.ev.Type, d.ev.To = EventDropped, string(StatusDropped)
	d.ev.Body = checkText(&d.problems, "reason", "终止原因", d.cmd.Reason, MaxReasonRunes, true)
}

var applies = map[string]func(Matter, eventlog.Event) Matter{
	EventStarted: func(m Matter, _ eventlog.Event) Matter { return m },
	EventProgressed: func(m Matter, e eventlog.Event) Matter {
		m.Progress = append(append([]Progress(nil), m.Progress...), Progress{Day: e.Data["day"], Text: e.Body, Actor: e.Actor, At: e.At})
		return m
	},
	EventCompleted: func(m Matter, e eventlog.Event) Matter {
		m.DoneOn, m.Story, m.Outcomes = e.Data["day"], e.Body, decodeOutcomes(e.Data["outcomes"])
		return m
	},
	EventDropped: func(m Matter, e eventlog.Event) Matter {
		m.DropReason = e.Body
		return m
	},
}

// Apply returns m after e, an event of Decide: its new state and what the
// event adds. The version is the store's to move.
func Apply(m Matter, e eventlog.Event) Matter {
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
func Available(m Matter, actor register.Actor, now time.Time) map[Action]bool {
	return register.Available(Actions, func(a Action) error {
		_, err := Decide(m, Command{Action: a}, actor, now, nil)
		return err
	})
}
