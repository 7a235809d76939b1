package dispute

import (
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
)

// Action is a step of a dispute's lifecycle.
type Action string

// Lifecycle actions.
const (
	ActMediate    Action = "mediate"     // found/mediating → mediating, a dated step
	ActResolve    Action = "resolve"     // found/mediating → resolved, with the agreement and level
	ActRefer      Action = "refer"       // found/mediating → referred, to a court, arbitration or agency
	ActNotResolve Action = "not_resolve" // found/mediating → unresolved, with the reason
	ActFollowUp   Action = "follow_up"   // resolved → resolved, a visit after the resolution
)

// Actions lists the lifecycle's actions, in the order pages offer them.
var Actions = []Action{ActMediate, ActResolve, ActRefer, ActNotResolve, ActFollowUp}

// Event types of a dispute.
const (
	EventCreated     = "created"
	EventEdited      = "edited"
	EventMediated    = "mediated"
	EventResolved    = "resolved"
	EventReferred    = "referred"
	EventNotResolved = "not_resolved"
	EventFollowedUp  = "followed_up"
	// EventPartiesRevealed: a member of staff looked at the parties' names
	// and phones unmasked (Service.Reveal), as items' reveal_contact.
	EventPartiesRevealed = "parties_revealed"
)

// actEdit is the right to change a dispute's fields (Service.Edit), in any
// state: a place or a party's phone is corrected after the fact. It is not
// an action of Decide.
const actEdit Action = "edit"

// actReveal is the right to see the parties' personal data unmasked
// (Service.Reveal): those who say how a dispute ends, in any state. It is
// not an action of Decide.
const actReveal Action = "reveal_parties"

var (
	workers  = []org.Role{org.RoleUnitHead, org.RoleOfficer, org.RoleAuxiliary}
	deciders = []org.Role{org.RoleUnitHead, org.RoleOfficer}
	open     = []Status{StatusFound, StatusMediating}
)

// rules: auxiliary police find disputes, take part in mediation and visit
// the parties again; how a dispute ends is said by an officer; partners
// read only.
var rules = map[Action]register.Rule[Status]{
	ActMediate:    {From: open, Roles: workers},
	ActResolve:    {From: open, Roles: deciders},
	ActRefer:      {From: open, Roles: deciders},
	ActNotResolve: {From: open, Roles: deciders},
	ActFollowUp:   {From: []Status{StatusResolved}, Roles: workers},
	actEdit:       {From: Statuses, Roles: workers},
	actReveal:     {From: Statuses, Roles: deciders},
}

// Noun names a dispute in refusals.
var Noun = register.Noun{Zh: "矛盾纠纷", En: "dispute"}

var lifecycle = register.Table[Action, Status]{
	Rules:      rules,
	Terminal:   Status.Terminal,
	Record:     Noun,
	StateLabel: Status.Label,
}

// MaySee returns nil when u may see a dispute of unit, else a refusal.
func MaySee(u org.User, unit string) error { return lifecycle.MaySee(u, unit) }

// MayEdit returns nil when actor may change a dispute of unit.
func MayEdit(actor register.Actor, unit string) error { return lifecycle.Permit(actEdit, actor, unit) }

// MayReveal returns nil when actor may see the parties of a dispute of unit
// unmasked: a unit head or an officer of the unit, leaders and admins.
func MayReveal(actor register.Actor, unit string) error {
	return lifecycle.Permit(actReveal, actor, unit)
}

// Command asks for one lifecycle action; each action reads its own fields.
type Command struct {
	Action Action `json:"action"`
	// Day is the day of the step, YYYY-MM-DD; today when empty.
	Day string `json:"day,omitempty"`
	// With are who took part in a mediation step.
	With []Participant `json:"with,omitempty"`
	// Notes are a mediation step's notes.
	Notes string `json:"notes,omitempty"`
	// Agreement and Level: a resolution's agreement and where it was
	// reached.
	Agreement string `json:"agreement,omitempty"`
	Level     Level  `json:"level,omitempty"`
	// To and Whom: where a dispute is referred.
	To   Referral `json:"to,omitempty"`
	Whom string   `json:"whom,omitempty"`
	// Reason is why a dispute was not resolved.
	Reason string `json:"reason,omitempty"`
	// Result is what a follow-up visit found.
	Result string `json:"result,omitempty"`
}

type decision struct {
	d        Dispute
	cmd      Command
	now      time.Time
	problems minyi.Problems
	ev       eventlog.Event
}

var steps = map[Action]func(*decision){
	ActMediate:    decideMediate,
	ActResolve:    decideResolve,
	ActRefer:      decideRefer,
	ActNotResolve: decideNotResolve,
	ActFollowUp:   decideFollowUp,
}

// Decide checks that actor may take cmd on d now and returns the event that
// follows. Refusals: forbidden (the actor), illegal (the state), invalid
// (the command's fields, each named).
func Decide(d Dispute, cmd Command, actor register.Actor, now time.Time) ([]eventlog.Event, error) {
	step, ok := steps[cmd.Action]
	if !ok {
		return nil, minyi.Invalid("action", "未知的操作（mediate、resolve、refer、not_resolve、follow_up）",
			"unknown action (mediate, resolve, refer, not_resolve, follow_up)")
	}
	if err := lifecycle.Check(cmd.Action, actor, d.Unit, d.Status); err != nil {
		return nil, err
	}
	dc := &decision{d: d, cmd: cmd, now: now}
	dc.ev = eventlog.Event{Register: Register, RecordID: d.ID, Record: d.record(), Actor: actor.Name, At: now,
		From: string(d.Status), To: string(d.Status)}
	step(dc)
	if err := dc.problems.Err(); err != nil {
		return nil, err
	}
	return []eventlog.Event{dc.ev}, nil
}

// day checks the command's day: not in the future, nor before the
// dispute was found, nor before its last step of kind (a mediation, a
// follow-up) — a register's steps are in order.
func (dc *decision) day(zh, after string) string {
	day := archive.CheckDay(&dc.problems, "day", zh, dc.cmd.Day, dc.now)
	switch {
	case day != "" && day < dc.d.FoundOn:
		dc.problems.Add("day", zh+"不能早于排查日期", "day cannot be before found_on")
	case day != "" && day < after:
		dc.problems.Add("day", zh+"不能早于上一步的日期（"+after+"）", "day cannot be before the previous step ("+after+")")
	}
	return day
}

// lastMediation is the day of the dispute's last mediation step, "" for
// none.
func (d Dispute) lastMediation() string {
	if len(d.Mediations) == 0 {
		return ""
	}
	return d.Mediations[len(d.Mediations)-1].Day
}

func decideMediate(dc *decision) {
	dc.ev.Type, dc.ev.To = EventMediated, string(StatusMediating)
	day := dc.day("调解日期", dc.d.lastMediation())
	if len(dc.d.Mediations) >= MaxMediations {
		dc.problems.Add("day", "调解记录最多"+itoa(MaxMediations)+"次", "at most "+itoa(MaxMediations)+" mediation steps")
	}
	with := []string{}
	for _, w := range dc.cmd.With {
		switch {
		case !slices.Contains(Participants, w):
			dc.problems.Add("with", "参与方须为公安民警、村委会、人民调解委员会、律师或其他",
				"with must name police, village_committee, mediation_committee, lawyer or other")
			return
		case !slices.Contains(with, string(w)):
			with = append(with, string(w))
		}
	}
	if len(with) == 0 {
		dc.problems.Add("with", "请选择参与调解的各方", "with: name who took part")
	}
	dc.ev.Body = archive.CheckNamedText(&dc.problems, "notes", "调解情况", dc.cmd.Notes, MaxNotesRunes, true)
	dc.ev.Data = map[string]string{"day": day, "with": strings.Join(with, ",")}
}

func decideResolve(dc *decision) {
	dc.ev.Type, dc.ev.To = EventResolved, string(StatusResolved)
	day := dc.day("化解日期", dc.d.lastMediation())
	if !slices.Contains(Levels, dc.cmd.Level) {
		dc.problems.Add("level", "请选择化解层级（村级、乡镇级、旗县级）", "level must be village, township or county")
	}
	dc.ev.Body = archive.CheckNamedText(&dc.problems, "agreement", "调解协议", dc.cmd.Agreement, MaxAgreementRunes, true)
	dc.ev.Data = map[string]string{"day": day, "level": string(dc.cmd.Level)}
}

func decideRefer(dc *decision) {
	dc.ev.Type, dc.ev.To = EventReferred, string(StatusReferred)
	day := dc.day("移交日期", dc.d.lastMediation())
	if !slices.Contains(Referrals, dc.cmd.To) {
		dc.problems.Add("to", "请选择移交去向（法院、仲裁、其他部门）", "to must be court, arbitration or agency")
	}
	whom := archive.CheckNamedText(&dc.problems, "whom", "接收单位", dc.cmd.Whom, MaxWhomRunes, dc.cmd.To == ToAgency)
	dc.ev.Body = archive.CheckNamedText(&dc.problems, "reason", "移交原因", dc.cmd.Reason, MaxReasonRunes, false)
	dc.ev.Data = map[string]string{"day": day, "to": string(dc.cmd.To), "whom": whom}
}

func decideNotResolve(dc *decision) {
	dc.ev.Type, dc.ev.To = EventNotResolved, string(StatusUnresolved)
	day := dc.day("认定日期", dc.d.lastMediation())
	dc.ev.Body = archive.CheckNamedText(&dc.problems, "reason", "未化解原因", dc.cmd.Reason, MaxReasonRunes, true)
	dc.ev.Data = map[string]string{"day": day}
}

func decideFollowUp(dc *decision) {
	dc.ev.Type = EventFollowedUp
	after := dc.d.ClosedOn
	if n := len(dc.d.FollowUps); n > 0 && dc.d.FollowUps[n-1].Day > after {
		after = dc.d.FollowUps[n-1].Day
	}
	day := dc.day("回访日期", after)
	if len(dc.d.FollowUps) >= MaxFollowUps {
		dc.problems.Add("day", "回访记录最多"+itoa(MaxFollowUps)+"次", "at most "+itoa(MaxFollowUps)+" follow-up visits")
	}
	dc.ev.Body = archive.CheckNamedText(&dc.problems, "result", "回访情况", dc.cmd.Result, MaxResultRunes, true)
	dc.ev.Data = map[string]string{"day": day}
}

var applies = map[string]func(Dispute, eventlog.Event) Dispute{
	EventMediated: func(d Dispute, e eventlog.Event) Dispute {
		var with []Participant
		for _, w := range strings.Split(e.Data["with"], ",") {
			with = append(with, Participant(w))
		}
		d.Mediations = append(append([]Mediation{}, d.Mediations...),
			Mediation{Day: e.Data["day"], With: with, Notes: e.Body, Actor: e.Actor, At: e.At})
		return d
	},
	EventResolved: func(d Dispute, e eventlog.Event) Dispute {
		d.ClosedOn, d.Agreement, d.Level = e.Data["day"], e.Body, Level(e.Data["level"])
		return d
	},
	EventReferred: func(d Dispute, e eventlog.Event) Dispute {
		d.ClosedOn, d.ReferredTo, d.ReferredWhom, d.Reason = e.Data["day"], Referral(e.Data["to"]), e.Data["whom"], e.Body
		return d
	},
	EventNotResolved: func(d Dispute, e eventlog.Event) Dispute {
		d.ClosedOn, d.Reason = e.Data["day"], e.Body
		return d
	},
	EventFollowedUp: func(d Dispute, e eventlog.Event) Dispute {
		d.FollowUps = append(append([]FollowUp{}, d.FollowUps...), FollowUp{Day: e.Data["day"], Result: e.Body, Actor: e.Actor, At: e.At})
		return d
	},
}

// Apply returns d after e, an event of Decide: its new state and what the
// event adds. The version is the store's to move.
func Apply(d Dispute, e eventlog.Event) Dispute {
	if f, ok := applies[e.Type]; ok {
		d = f(d, e)
	}
	if e.To != "" {
		d.Status = Status(e.To)
	}
	d.UpdatedAt = e.At
	return d
}

// Available reports which lifecycle actions actor can take on d now.
func Available(d Dispute, actor register.Actor, now time.Time) map[Action]bool {
	return register.Available(Actions, func(a Action) error {
		_, err := Decide(d, Command{Action: a}, actor, now)
		return err
	})
}
