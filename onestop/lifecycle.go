package onestop

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
)

// Action is a step of a case's lifecycle.
type Action string

// Lifecycle actions.
const (
	// ActAdvance: the current step's unit has finished its step (every
	// material of its checklist received) and hands the case to the next
	// step's unit.
	ActAdvance Action = "advance"
	// ActReturn: the current step's unit sends the case back to an
	// earlier step, with the reason (a material to be corrected, …).
	ActReturn Action = "return"
	// ActComplete: the last step's unit has finished it: the case is done
	// and the applicant is sent an SMS.
	ActComplete Action = "complete"
	// ActCancel: the applicant withdrew, or the case cannot go on; with the
	// reason. Bureau staff only.
	ActCancel Action = "cancel"
)

// Actions lists the lifecycle's actions, in the order pages offer them.
var Actions = []Action{ActAdvance, ActComplete, ActReturn, ActCancel}

// actEdit is the right to change an open case's applicant, proxy, green
// channel, note and the current step's received materials (Service.Edit);
// not an action of Decide.
const actEdit Action = "edit"

// Noun names a case in refusals.
var Noun = register.Noun{Zh: "一件事办件", En: "case"}

// ServiceNoun names a service in refusals.
var ServiceNoun = register.Noun{Zh: "一件事服务", En: "service"}

// lifecycle says from which states each action is legal. Who may take it is
// not a role of the table but org's rule of cross-agency work (permit).
var lifecycle = register.Table[Action, Status]{
	Rules: map[Action]register.Rule[Status]{
		ActAdvance:  {From: []Status{StatusOpen}},
		ActReturn:   {From: []Status{StatusOpen}},
		ActComplete: {From: []Status{StatusOpen}},
		ActCancel:   {From: []Status{StatusOpen}},
		actEdit:     {From: []Status{StatusOpen}},
	},
	Terminal:   Status.Terminal,
	Record:     Noun,
	StateLabel: Status.Label,
}

// permit returns nil when actor may take action a on c, whatever its state:
// the work of the current step is its unit's (org.Role.CanActForUnit,
// partners included); a case is cancelled by bureau staff of the current
// step's unit or of the unit that opened it, never by a partner.
func permit(a Action, actor register.Actor, c Case) error {
	if actor.IsCitizen() {
		return minyi.Errorf(minyi.EForbidden, "此操作须由工作人员办理 / this action is for staff only")
	}
	unit := c.Current().Unit
	if a == ActCancel {
		if actor.Role == org.RolePartner {
			return minyi.Errorf(minyi.EForbidden, "协作单位不能撤销办件 / partners may not cancel a case")
		}
		if actor.Role.CanActForUnit(actor.UnitCode, unit) || actor.Role.CanActForUnit(actor.UnitCode, c.Unit) {
			return nil
		}
	} else if actor.Role.CanActForUnit(actor.UnitCode, unit) {
		return nil
	}
	return minyi.Errorf(minyi.EForbidden, "当前环节由其他单位办理 / the current step is another unit's")
}

// check refuses, in this order, an actor who may not take a (so nobody
// learns a case's state from an action they may not take) and a state a
// is not legal in.
func check(a Action, actor register.Actor, c Case) error {
	if _, ok := lifecycle.Rules[a]; !ok {
		return unknownAction()
	}
	if err := permit(a, actor, c); err != nil {
		return err
	}
	if !lifecycle.Legal(a, c.Status) {
		return minyi.Errorf(minyi.EIllegal, "当前状态（%s）不能执行“%s” / action %q is not allowed in status %q", c.Status.Label(), a, a, c.Status)
	}
	return nil
}

func unknownAction() error {
	return minyi.Invalid("action", "未知的操作（advance、return、complete、cancel）", "unknown action (advance, return, complete, cancel)")
}

// MayEdit returns nil when actor may change the fields of c (Service.Edit).
func MayEdit(actor register.Actor, c Case) error { return check(actEdit, actor, c) }

// DueFunc computes the due time of a step of limit working days starting
// at start (the working-day calendar).
type DueFunc func(start time.Time, days int) time.Time

// Command asks for one lifecycle action.
type Command struct {
	Action Action `json:"action"`
	// Received lists materials of the current step's checklist received
	// with this action (advance, complete), added to those already in.
	Received []string `json:"received,omitempty"`
	// Step is the step a case is returned to, numbered from 1.
	Step *int `json:"step,omitempty"`
	// Reason is why a case is returned or cancelled.
	Reason string `json:"reason,omitempty"`
}

type decision struct {
	c        Case
	cmd      Command
	now      time.Time
	due      DueFunc
	problems minyi.Problems
	ev       eventlog.Event
	illegal  error
}

var steps = map[Action]func(*decision){
	ActAdvance:  decideAdvance,
	ActReturn:   decideReturn,
	ActComplete: decideComplete,
	ActCancel:   decideCancel,
}

// Decide checks that actor may take cmd on c now and returns the event that
// follows. Refusals: forbidden (the actor), illegal (the state, or the
// position of the current step), invalid (the command's fields, each
// named). due gives a step's due time.
func Decide(c Case, cmd Command, actor register.Actor, now time.Time, due DueFunc) ([]eventlog.Event, error) {
	step, ok := steps[cmd.Action]
	if !ok {
		return nil, unknownAction()
	}
	if err := check(cmd.Action, actor, c); err != nil {
		return nil, err
	}
	d := &decision{c: c, cmd: cmd, now: now, due: due}
	d.checkCommand()
	d.ev = eventlog.Event{Register: Register, RecordID: c.ID, Record: c.record(), Actor: actor.Name, At: now,
		From: string(c.Status), To: string(c.Status)}
	step(d)
	if d.illegal != nil {
		return nil, d.illegal
	}
	if err := d.problems.Err(); err != nil {
		return nil, err
	}
	return []eventlog.Event{d.ev}, nil
}

// checkCommand refuses what no action takes, whichever is asked: a step
// number below 1, a reason or a material too long, too many materials.
func (d *decision) checkCommand() {
	if d.cmd.Step != nil && *d.cmd.Step < 1 {
		d.problems.Add("step", "环节序号须为正整数", "step must be a positive number")
	}
	checkMaterials(&d.problems, "received", d.cmd.Received)
	if d.cmd.Action == ActAdvance || d.cmd.Action == ActComplete { // return and cancel check their reason
		archive.CheckNamedText(&d.problems, "reason", "原因", d.cmd.Reason, MaxReasonRunes, false)
	}
}

// finish checks that the current step has its whole checklist with what
// the command brings, and records in the event what it received and
// whether it finished late.
func (d *decision) finish() {
	cur := d.c.Current()
	received := register.Names(d.cmd.Received)
	checkReceived(&d.problems, "received", cur, received)
	all := slices.Clone(cur.Received)
	for _, m := range received {
		if !slices.Contains(all, m) {
			all = append(all, m)
		}
	}
	cur.Received = all
	if missing := cur.Missing(); len(missing) > 0 {
		d.problems.Add("received", "尚缺材料："+strings.Join(missing, "、"), "received: missing "+strings.Join(missing, ", "))
	}
	d.ev.Data = map[string]string{"from_step": itoa(d.c.Step + 1), "from_unit": cur.Unit,
		"received": joinList(all)}
	if !cur.DueAt.IsZero() && d.now.After(cur.DueAt) {
		d.ev.Data["late"] = "true"
	}
}

// decideAdvance: the hand-off from the current step's unit to the next's,
// which starts its step now.
func decideAdvance(d *decision) {
	if d.c.Last() {
		d.illegal = minyi.Errorf(minyi.EIllegal, "已是最后环节，请办结 / this is the last step: complete the case")
		return
	}
	d.finish()
	next := d.c.Steps[d.c.Step+1]
	d.ev.Type = EventAdvanced
	d.ev.Data["to_step"], d.ev.Data["to_unit"] = itoa(d.c.Step+2), next.Unit
	d.ev.Data["due"] = d.due(d.now, next.LimitDays).UTC().Format(time.RFC3339)
}

// decideReturn: back to an earlier step, which starts again now.
func decideReturn(d *decision) {
	if d.c.Step == 0 {
		d.illegal = minyi.Errorf(minyi.EIllegal, "第一环节无法退回 / the first step cannot be returned")
		return
	}
	to := 0
	if d.cmd.Step != nil {
		to = *d.cmd.Step
	}
	if to < 1 || to > d.c.Step {
		d.problems.Add("step", "请选择退回到的前序环节（1到"+itoa(d.c.Step)+"）", "step must be an earlier step, 1 to "+itoa(d.c.Step))
	}
	d.ev.Type = EventReturned
	d.ev.Body = archive.CheckNamedText(&d.problems, "reason", "退回原因", d.cmd.Reason, MaxReasonRunes, true)
	if d.problems.Err() != nil {
		return
	}
	back := d.c.Steps[to-1]
	d.ev.Data = map[string]string{"from_step": itoa(d.c.Step + 1), "from_unit": d.c.Current().Unit,
		"to_step": itoa(to), "to_unit": back.Unit,
		"due": d.due(d.now, back.LimitDays).UTC().Format(time.RFC3339)}
}

// decideComplete: the last step is finished and the case done.
func decideComplete(d *decision) {
	if !d.c.Last() {
		d.illegal = minyi.Errorf(minyi.EIllegal, "尚有后续环节，请移交 / steps remain: advance the case")
		return
	}
	d.finish()
	d.ev.Type, d.ev.To, d.ev.Public = EventCompleted, string(StatusDone), true
	d.ev.Data["day"] = archive.ChinaDay(d.now).Format(dayLayout)
}

func decideCancel(d *decision) {
	d.ev.Type, d.ev.To = EventCancelled, string(StatusCancelled)
	d.ev.Body = archive.CheckNamedText(&d.problems, "reason", "撤销原因", d.cmd.Reason, MaxReasonRunes, true)
	d.ev.Data = map[string]string{"day": archive.ChinaDay(d.now).Format(dayLayout)}
}

// finishCurrent marks the current step finished by e's actor at e's time
// with the materials e says it received.
func finishCurrent(c Case, e eventlog.Event) Case {
	c.Steps = slices.Clone(c.Steps)
	cur := &c.Steps[c.Step]
	cur.Received = splitList(e.Data["received"])
	cur.FinishedAt, cur.FinishedBy = e.At, e.Actor
	if e.Data["late"] == "true" {
		c.Late = true
	}
	return c
}

// start makes step i current, started at e's time and due as e says.
func start(c Case, i int, e eventlog.Event) Case {
	c.Step = i
	s := &c.Steps[i]
	s.StartedAt, s.FinishedAt, s.FinishedBy = e.At, time.Time{}, ""
	s.DueAt, _ = time.Parse(time.RFC3339, e.Data["due"])
	return c
}

var applies = map[string]func(Case, eventlog.Event) Case{
	EventAdvanced: func(c Case, e eventlog.Event) Case {
		c = finishCurrent(c, e)
		return start(c, c.Step+1, e)
	},
	EventReturned: func(c Case, e eventlog.Event) Case {
		c.Steps = slices.Clone(c.Steps)
		to := atoi(e.Data["to_step"]) - 1
		// The steps from the one returned to on are to be done again; what
		// they received stays received.
		for i := to; i < len(c.Steps); i++ {
			c.Steps[i].StartedAt, c.Steps[i].DueAt, c.Steps[i].FinishedAt, c.Steps[i].FinishedBy = time.Time{}, time.Time{}, time.Time{}, ""
		}
		return start(c, to, e)
	},
	EventCompleted: func(c Case, e eventlog.Event) Case {
		c = finishCurrent(c, e)
		c.DoneOn = e.Data["day"]
		return c
	},
	EventCancelled: func(c Case, e eventlog.Event) Case {
		c.CancelledOn, c.CancelReason = e.Data["day"], e.Body
		return c
	},
}

// Apply returns c after e, an event of Decide: its new state and what the
// event adds. The version is the store's to move.
func Apply(c Case, e eventlog.Event) Case {
	if f, ok := applies[e.Type]; ok {
		c = f(c, e)
	}
	if e.To != "" {
		c.Status = Status(e.To)
	}
	c.UpdatedAt = e.At
	return c
}

// Available reports which lifecycle actions actor can take on c now.
func Available(c Case, actor register.Actor, now time.Time, due DueFunc) map[Action]bool {
	return register.Available(Actions, func(a Action) error {
		_, err := Decide(c, Command{Action: a}, actor, now, due)
		return err
	})
}

// joinList and splitList carry a list of materials in an event's data.
func joinList(l []string) string {
	b, _ := json.Marshal(l)
	return string(b)
}

func splitList(s string) []string {
	out := []string{}
	_ = json.Unmarshal([]byte(s), &out) // written by joinList
	return out
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}
