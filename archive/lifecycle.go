package archive

import (
	"slices"
	"strconv"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/org"
	"minyi/register"
)

// Action is a command verb of the item lifecycle (the API's "action" field).
type Action string

// Lifecycle actions.
const (
	ActDispatch         Action = "dispatch"          // 派單
	ActSign             Action = "sign"              // 簽收
	ActStart            Action = "start"             // 開始辦理
	ActReply            Action = "reply"             // 公開回覆 (interim)
	ActNote             Action = "note"              // 內部備註
	ActAnswer           Action = "answer"            // 答覆
	ActTransfer         Action = "transfer"          // 轉辦
	ActReturn           Action = "return"            // 退回
	ActRequestExtension Action = "request_extension" // 申請延期
	ActGrantExtension   Action = "grant_extension"   // 批准延期
	ActRefuseExtension  Action = "refuse_extension"  // 不予延期
	ActSupervise        Action = "supervise"         // 督辦
	ActRemind           Action = "remind"            // 催辦
	ActVisit            Action = "visit"             // 回訪
	ActRate             Action = "rate"              // 群眾評價
	ActReopen           Action = "reopen"            // 重辦
	ActClose            Action = "close"             // 銷號
	ActMerge            Action = "merge"             // 合併
	ActInvalidate       Action = "invalidate"        // 無效
	ActRevealContact    Action = "reveal_contact"    // 查看聯繫方式
	ActSetPublish       Action = "set_publish"       // 公開/取消公開 on the online desk
	ActAssign           Action = "assign"            // 指定承辦人 (or claim: 認領)
	ActAddInfo          Action = "add_info"          // 群眾補充: the citizen adds information or photos
	ActWithdraw         Action = "withdraw"          // 群眾撤回: the citizen takes the item back
)

// Actor is whoever issues a command (register.Actor): a member of staff, or
// the citizen who holds the item's access code or an Open311 client (Role
// empty).
type Actor = register.Actor

// Citizen is the actor for a citizen using an access code.
var Citizen = Actor{Name: ActorCitizen}

// Command is one request to change an item.
type Command struct {
	Action       Action       `json:"action"`
	Version      int          `json:"version"`
	Body         string       `json:"body,omitempty"`
	Unit         string       `json:"unit,omitempty"`
	Satisfaction Satisfaction `json:"satisfaction,omitempty"`
	// Marks are the rating's optional marks (visit and rate); a rating
	// below satisfied gives its reason in Body.
	Marks     Marks           `json:"marks,omitzero"`
	Extension *calendar.Limit `json:"extension,omitempty"`
	Into      string          `json:"into,omitempty"`
	// Assignee is the user name of the officer put in charge (assign);
	// "me" is the actor.
	Assignee string `json:"assignee,omitempty"`
	Publish  *bool  `json:"publish,omitempty"`
	// Desk edits the public version when publishing (set_publish with
	// publish true); an empty field keeps the draft's (Item.DeskDraft).
	Desk *DeskVersion `json:"desk,omitempty"`
	// Attachments are the photos and PDF documents an answer comes with
	// (CheckAttachments); no other action takes any.
	Attachments []Attachment `json:"attachments,omitempty"`
	// Photos are the photos a citizen adds with add_info (pages only).
	Photos []Photo `json:"-"`
}

// Roles allowed to act, besides the admin and leaders who may do everything
// staff may do.
var (
	handlers   = []org.Role{org.RoleUnitHead, org.RoleOfficer}
	helpers    = []org.Role{org.RoleUnitHead, org.RoleOfficer, org.RoleAuxiliary}
	commanders = []org.Role{} // admin and leader only
)

// lifecycle is the items' rules table with the words of its refusals.
var lifecycle = register.Table[Action, Status]{
	Rules:      rules,
	Terminal:   Status.Terminal,
	Record:     register.Noun{Zh: "件", En: "item"},
	StateLabel: func(s Status) string { return LabelOf(Statuses, string(s)) },
}

// rules says, for each action, from which states it is legal and who may
// take it (register.Rule); a rule without states is legal in any state that
// is not terminal.
var rules = map[Action]register.Rule[Status]{
	ActDispatch:         {From: []Status{StatusReceived, StatusReturned}, Roles: commanders},
	ActSign:             {From: []Status{StatusDispatched}, Roles: helpers},
	ActStart:            {From: []Status{StatusSigned}, Roles: helpers},
	ActReply:            {From: []Status{StatusSigned, StatusInProgress}, Roles: handlers},
	ActNote:             {Roles: helpers},
	ActAnswer:           {From: []Status{StatusSigned, StatusInProgress}, Roles: handlers},
	ActTransfer:         {From: []Status{StatusDispatched, StatusSigned, StatusInProgress}, Roles: []org.Role{org.RoleUnitHead}},
	ActReturn:           {From: []Status{StatusDispatched, StatusSigned, StatusInProgress}, Roles: handlers},
	ActRequestExtension: {From: []Status{StatusDispatched, StatusSigned, StatusInProgress}, Roles: handlers},
	ActGrantExtension:   {From: []Status{StatusDispatched, StatusSigned, StatusInProgress}, Roles: commanders},
	ActRefuseExtension:  {From: []Status{StatusDispatched, StatusSigned, StatusInProgress}, Roles: commanders},
	ActSupervise:        {From: OpenStatuses, Roles: commanders},
	ActRemind:           {From: OpenStatuses, Roles: commanders},
	ActVisit:            {From: []Status{StatusAnswered}, Roles: helpers},
	ActRate:             {From: []Status{StatusAnswered, StatusVisited}, Citizen: true},
	ActReopen:           {From: []Status{StatusAnswered, StatusVisited, StatusClosed}, Roles: commanders},
	ActClose:            {From: []Status{StatusAnswered, StatusVisited}, Roles: handlers},
	ActMerge:            {From: OpenStatuses, Roles: commanders},
	ActInvalidate:       {From: OpenStatuses, Roles: commanders},
	ActRevealContact:    {From: allStatuses(), Roles: handlers},
	ActSetPublish:       {From: allStatuses(), Roles: commanders},
	ActAssign:           {From: []Status{StatusDispatched, StatusSigned, StatusInProgress}, Roles: handlers},
	// The citizen may add to the item until it is crossed off, and
	// withdraw it until it is answered: after the answer, they rate it.
	ActAddInfo:  {Citizen: true},
	ActWithdraw: {From: OpenStatuses, Citizen: true},
}

func allStatuses() []Status {
	s := make([]Status, len(Statuses))
	for i, l := range Statuses {
		s[i] = Status(l.Code)
	}
	return s
}

// Actions lists every action code, for the API description.
func Actions() []Action {
	return slices.Clone(actionOrder)
}

var actionOrder = []Action{
	ActDispatch, ActSign, ActStart, ActReply, ActNote, ActAnswer, ActTransfer, ActReturn,
	ActRequestExtension, ActGrantExtension, ActRefuseExtension, ActSupervise, ActRemind,
	ActVisit, ActRate, ActReopen, ActClose, ActMerge, ActInvalidate, ActRevealContact, ActSetPublish,
	ActAssign, ActAddInfo, ActWithdraw,
}

// Allowed reports whether the rules table lets actor take action on it in
// its current state. It does not look at the other preconditions Decide
// checks (a pending extension, a visit owed): pages that offer buttons use
// Available.
func Allowed(it Item, a Action, actor Actor) bool {
	return lifecycle.Allowed(a, actor, it.UnitCode, it.Status)
}

// Available reports which actions actor can take on it now: Decide is run
// for each with a command naming only the action (register.Available), so
// that a page offers exactly the buttons that can work and never restates
// a rule. p and now are those Decide would be given.
func Available(it Item, actor Actor, now time.Time, p Policy) map[Action]bool {
	return register.Available(actionOrder, func(a Action) error {
		_, err := Decide(it, Command{Action: a, Version: it.Version}, actor, now, p, nil)
		return err
	})
}

// Decide checks cmd against the rules and returns the events that follow.
// It never changes it; pass each event to Apply. units tells whether a unit
// code exists (for dispatch and transfer); it may be nil when not needed.
//
// The rules table decides who may act and from which state; the action's
// own step (steps) then checks its fields and its other preconditions and
// completes the event. A step refuses a precondition at once (illegal),
// before the problems of the fields, which are all reported together.
func Decide(it Item, cmd Command, actor Actor, now time.Time, p Policy, unitExists func(string) bool) ([]Event, error) {
	if err := lifecycle.Check(cmd.Action, actor, it.UnitCode, it.Status); err != nil {
		return nil, err
	}
	d := &decision{it: it, cmd: cmd, actor: actor, now: now, policy: p, unitExists: unitExists}
	body := checkText(&d.problems, "body", cmd.Body, MaxTextRunes, needsBody(cmd, it))
	d.ev = newEvent(it, actor.Name, now, it.Status, body)
	if len(cmd.Attachments) > 0 && cmd.Action != ActAnswer {
		d.problems.Add("attachments", "只有答复可以带附件", "only an answer may carry attachments")
	}
	if err := steps[cmd.Action](d); err != nil {
		return nil, err
	}
	if err := d.problems.Err(); err != nil {
		return nil, err
	}
	return append([]Event{d.ev}, d.then...), nil
}

// decision is a command being decided: what a step reads, the event it
// completes, the events that follow it, and the problems of its fields.
type decision struct {
	it         Item
	cmd        Command
	actor      Actor
	now        time.Time
	policy     Policy
	unitExists func(string) bool

	ev       Event   // the action's event; From, To (the same state), Body set
	then     []Event // events that follow it
	problems minyi.Problems
}

// newEvent is an event of it by actor at now, from its current state to to.
func newEvent(it Item, actor string, now time.Time, to Status, body string) Event {
	return Event{ItemID: it.ID, ItemNumber: it.Number, Actor: actor, At: now, From: it.Status, To: to, Body: body}
}

// illegal refuses an action the item's state forbids beyond the rules table.
func illegal(zh, en string) error { return minyi.Errorf(minyi.EIllegal, "%s / %s", zh, en) }

// steps holds each action's step of Decide: one function per action or
// family of actions, run after the rules table allowed it.
var steps = map[Action]func(*decision) error{
	ActDispatch:         decideRouting,
	ActTransfer:         decideRouting,
	ActSign:             moves(EventSigned, StatusSigned),
	ActStart:            moves(EventStarted, StatusInProgress),
	ActReply:            decideReply,
	ActNote:             records(EventNoted),
	ActAnswer:           decideAnswer,
	ActReturn:           decideReturn,
	ActRequestExtension: decideRequestExtension,
	ActGrantExtension:   decideExtension,
	ActRefuseExtension:  decideExtension,
	ActSupervise:        records(EventSupervised),
	ActRemind:           records(EventReminded),
	ActVisit:            decideVisit,
	ActRate:             decideVisit,
	ActReopen:           moves(EventReopened, StatusInProgress),
	ActClose:            decideClose,
	ActMerge:            decideMerge,
	ActInvalidate:       moves(EventInvalidated, StatusInvalid),
	ActRevealContact:    records(EventContactRevealed),
	ActSetPublish:       decideSetPublish,
	ActAssign:           decideAssign,
	ActAddInfo:          decideAddInfo,
	ActWithdraw:         decideWithdraw,
}

// moves is the step of an action that only moves the item to status to.
func moves(t EventType, to Status) func(*decision) error {
	return func(d *decision) error {
		d.ev.Type, d.ev.To = t, to
		return nil
	}
}

// records is the step of an action that leaves the state as it is.
func records(t EventType) func(*decision) error {
	return func(d *decision) error {
		d.ev.Type = t
		return nil
	}
}

// decideRouting sends the item to a unit: dispatch from the bureau's queue,
// or transfer from one unit to another.
func decideRouting(d *decision) error {
	cmd := d.cmd
	switch {
	case cmd.Unit == "":
		d.problems.Add("unit", "请选择承办单位", "unit is required")
	case d.unitExists != nil && !d.unitExists(cmd.Unit):
		d.problems.Add("unit", "承办单位不存在", "unknown unit")
	case cmd.Action == ActTransfer && cmd.Unit == d.it.UnitCode:
		d.problems.Add("unit", "转办单位不能是当前单位", "transfer to a different unit")
	}
	d.ev.Type, d.ev.To = EventDispatched, StatusDispatched
	if cmd.Action == ActTransfer {
		d.ev.Type = EventTransferred
	}
	d.ev.Data = map[string]string{"unit": cmd.Unit, "from_unit": d.it.UnitCode}
	return nil
}

// decideAssign puts an officer of the item's unit in charge of it (承辦人).
// The unit head (and leaders) assign and reassign anyone; an officer may
// only claim an item nobody is in charge of, for themselves (認領). The
// service has checked that the assignee may handle the unit's items
// (org.User.CanHandle) before the rules run.
func decideAssign(d *decision) error {
	it, actor := d.it, d.actor
	if actor.Role == org.RoleOfficer {
		switch {
		case it.Assignee == actor.Name:
			return illegal("该件已由您承办", "you are already in charge of this item")
		case it.Assignee != "":
			return minyi.Errorf(minyi.EForbidden, "该件已有承办人，改派须由所队长办理 / the item has an officer in charge: the unit head reassigns it")
		case d.cmd.Assignee != "" && d.cmd.Assignee != actor.Name:
			return &minyi.Error{Code: minyi.EForbidden, Message: "民警只能认领给自己，指定他人须由所队长办理 / an officer may only claim an item for themselves: the unit head assigns others",
				Fields: []minyi.FieldError{{Field: "assignee", Zh: "民警只能认领给自己", En: "an officer may only claim an item for themselves"}}}
		}
	}
	switch {
	case d.cmd.Assignee == "":
		d.problems.Add("assignee", "请选择承办人", "assignee is required")
	case d.cmd.Assignee == it.Assignee:
		d.problems.Add("assignee", "该件已由此人承办", "the item is already assigned to this officer")
	}
	d.ev.Type = EventAssigned
	d.ev.Data = map[string]string{"assignee": d.cmd.Assignee, "from_assignee": it.Assignee}
	return nil
}

// decideWithdraw takes the item back for its citizen, only before it was
// ever answered: an item being done again after an unsatisfied rating is
// in an open state, but its answer and the citizen's rating count in the
// unit's rates (and in reports already issued), which a withdrawal, out of
// the rates as an invalid item, would undo.
func decideWithdraw(d *decision) error {
	if d.it.AnsweredAt != nil {
		return illegal("该件已答复，不能撤回；如对答复不满意，请评价", "the item was answered and cannot be withdrawn; rate the answer instead")
	}
	d.ev.Type, d.ev.To = EventWithdrawn, StatusWithdrawn
	return nil
}

// decideAddInfo records what the citizen adds to the item, text and at most
// MaxPhotos photos, which the store writes with the event.
func decideAddInfo(d *decision) error {
	d.ev.Type = EventCitizenAdded
	if len(d.cmd.Photos) > 0 {
		d.ev.Photos = CheckPhotos(&d.problems, "photos", d.cmd.Photos, MaxPhotos)
		d.ev.Data = map[string]string{"photos": PhotoSums(d.ev.Photos)}
	}
	return nil
}

func decideReply(d *decision) error {
	d.ev.Type, d.ev.Public = EventReplied, true
	return nil
}

func decideAnswer(d *decision) error {
	d.ev.Type, d.ev.To, d.ev.Public = EventAnswered, StatusAnswered, true
	defer func() {
		// The files go with the event, and their sums into its data,
		// so that the hash chain covers their bytes.
		if len(d.cmd.Attachments) == 0 {
			return
		}
		d.ev.Attachments = CheckAttachments(&d.problems, "attachments", d.cmd.Attachments)
		if d.ev.Data == nil {
			d.ev.Data = map[string]string{}
		}
		d.ev.Data["attachments"] = AttachmentSums(d.ev.Attachments)
	}()
	if d.it.Publish {
		// The citizen agreed to publication: the answer goes on the
		// desk with the question if neither names them; otherwise the
		// item leaves the desk until staff review it (set_publish).
		v := d.it.DeskDraft()
		v.Answer = d.ev.Body
		d.ev.Data = map[string]string{"desk_answer": ""}
		if len(d.it.CheckDesk(v)) == 0 {
			d.ev.Data = v.data()
		}
	}
	return nil
}

func decideReturn(d *decision) error {
	d.ev.Type, d.ev.To = EventReturned, StatusReturned
	d.ev.Data = map[string]string{"from_unit": d.it.UnitCode}
	return nil
}

func decideRequestExtension(d *decision) error {
	if d.it.Pending != nil {
		return illegal("已有待审批的延期申请", "an extension request is already pending")
	}
	ext := d.cmd.Extension
	if ext == nil {
		d.problems.Add("extension", "请填写延期时长", "extension is required")
	} else if err := ext.Validate(); err != nil || ext.Amount < 1 {
		d.problems.Add("extension", "延期时长无效", "extension must be a positive number of working days or hours")
	} else {
		d.ev.Data = map[string]string{"amount": strconv.Itoa(ext.Amount), "unit": string(ext.Unit)}
	}
	d.ev.Type = EventExtensionAsked
	return nil
}

// decideExtension grants or refuses the pending request for more time; a
// grant moves the due time by the working time asked for.
func decideExtension(d *decision) error {
	it := d.it
	if it.Pending == nil {
		return illegal("没有待审批的延期申请", "no extension request is pending")
	}
	d.ev.Type = EventExtensionRefused
	if d.cmd.Action == ActGrantExtension {
		d.ev.Type = EventExtensionGranted
		due := d.policy.Calendar.Due(it.DueAt, calendar.Limit{Amount: it.Pending.Amount, Unit: calendar.Unit(it.Pending.Unit)})
		d.ev.Data = map[string]string{"due_at": due.At.UTC().Format(time.RFC3339Nano)}
		if len(due.UncoveredYears) > 0 {
			d.ev.Data["calendar_gap"] = "true"
		}
	}
	return nil
}

// decideVisit records the citizen's verdict, heard by staff at the return
// visit or given by the citizen (rate): one of the five levels, the optional
// marks, and the reason of a verdict below satisfied, which tells the unit
// what to do better.
func decideVisit(d *decision) error {
	sat := d.cmd.Satisfaction
	if !sat.Valid() {
		d.problems.Add("satisfaction", "请选择非常满意、满意、基本满意、不满意或非常不满意",
			"satisfaction must be very_satisfied, satisfied, basic_satisfied, unsatisfied or very_unsatisfied")
	}
	d.ev.Type, d.ev.To = EventVisited, StatusVisited
	if d.cmd.Action == ActRate {
		d.ev.Type = EventRated
	}
	d.ev.Data = map[string]string{"satisfaction": string(sat)}
	for _, n := range MarkNames {
		switch m := d.cmd.Marks.get(n); {
		case m == 0:
		case m < 1 || m > 5:
			d.problems.Add("marks."+n, "评分须为1至5分", "a mark must be from 1 to 5")
		default:
			d.ev.Data[n] = strconv.Itoa(m)
		}
	}
	if sat.BelowSatisfied() && d.ev.Body == "" {
		d.problems.Add("body", "评价低于满意时请说明原因", "give the reason of a rating below satisfied")
	}
	if sat.Group() == Unsatisfied {
		// An unsatisfied citizen is never crossed off: the item goes back
		// to its unit to be done again (重辦).
		redo := newEvent(d.it, ActorSystem, d.now, StatusInProgress, "群众不满意，重办 / unsatisfied: redo")
		redo.Type, redo.From = EventReopened, StatusVisited
		d.then = append(d.then, redo)
	}
	return nil
}

func decideClose(d *decision) error {
	it := d.it
	if it.Status == StatusAnswered && it.Contact.Reachable() {
		return illegal("须先回访群众才能销号", "visit the citizen back before closing out")
	}
	if it.Satisfaction.Group() == Unsatisfied {
		return illegal("群众不满意的件不能销号", "an item the citizen is unsatisfied with cannot be closed")
	}
	d.ev.Type, d.ev.To = EventClosed, StatusClosed
	return nil
}

func decideMerge(d *decision) error {
	switch into := d.cmd.Into; {
	case into == "":
		d.problems.Add("into", "请填写合并到的件号", "into is required")
	case into == d.it.Number:
		d.problems.Add("into", "不能合并到自身", "an item cannot be merged into itself")
	}
	d.ev.Type, d.ev.To = EventMerged, StatusMerged
	d.ev.Data = map[string]string{"into": d.cmd.Into}
	return nil
}

// decideSetPublish puts the item on the online desk, with its reviewed
// public version, or takes it off.
func decideSetPublish(d *decision) error {
	switch publish := d.cmd.Publish; {
	case publish == nil:
		d.problems.Add("publish", "请选择是否公开", "publish is required")
	case *publish:
		v := d.it.DeskDraft()
		if d.cmd.Desk != nil {
			v = v.edited(&d.problems, *d.cmd.Desk)
		}
		addFindings(&d.problems, d.it.CheckDesk(v))
		d.ev.Data = v.data()
		d.ev.Data["publish"] = "true"
	default:
		d.ev.Data = map[string]string{"publish": "false"}
	}
	d.ev.Type = EventPublishingChanged
	return nil
}

// needsBody says which actions must explain themselves.
func needsBody(cmd Command, it Item) bool {
	switch cmd.Action {
	case ActReply, ActNote, ActAnswer, ActTransfer, ActReturn, ActRequestExtension, ActAddInfo,
		ActRefuseExtension, ActSupervise, ActRemind, ActReopen, ActInvalidate:
		return true
	case ActClose:
		return it.Status == StatusAnswered // closing without a visit needs a reason
	}
	return false
}

// Apply folds one event into the item and returns the new state. It trusts
// the event: Decide has already checked it.
func Apply(it Item, e Event) Item {
	it.Status = e.To
	it.UpdatedAt = e.At
	if fold, ok := folds[e.Type]; ok {
		fold(&it, e)
	}
	if e.Type == EventAnswered || e.Type == EventPublishingChanged {
		// Events before the public version existed carry none of these.
		for key, field := range map[string]*string{"desk_title": &it.DeskTitle, "desk_text": &it.DeskText, "desk_answer": &it.DeskAnswer} {
			if v, ok := e.Data[key]; ok {
				*field = v
			}
		}
	}
	return it
}

// folds holds what each type of event changes in an item beyond its status
// and time of update; events that change nothing more have none.
var folds = map[EventType]func(*Item, Event){
	EventDispatched:       foldRouted,
	EventTransferred:      foldRouted,
	EventSigned:           foldResponded,
	EventReplied:          foldReplied,
	EventAnswered:         foldAnswered,
	EventReturned:         foldReturned,
	EventAssigned:         func(it *Item, e Event) { it.Assignee = e.Data["assignee"] },
	EventExtensionAsked:   foldExtensionAsked,
	EventExtensionGranted: foldExtensionGranted,
	EventExtensionRefused: func(it *Item, _ Event) { it.Pending = nil },
	EventSupervised:       func(it *Item, _ Event) { it.Supervisions++ },
	EventReminded:         func(it *Item, _ Event) { it.Supervisions++ },
	EventVisited:          foldSatisfaction,
	EventRated:            foldSatisfaction,
	EventReopened:         foldReopened,
	EventClosed:           foldClosed,
	EventMerged:           func(it *Item, e Event) { it.MergedInto = e.Data["into"] },
	EventPublishingChanged: func(it *Item, e Event) {
		it.Publish = e.Data["publish"] == "true"
	},
}

// foldRouted moves the item to its new unit, where nobody is in charge of
// it yet: the officer in charge belonged to the unit it left.
func foldRouted(it *Item, e Event) {
	it.UnitCode = e.Data["unit"]
	it.Assignee = ""
}

// foldReturned hands the item back to the bureau, and with it the charge.
func foldReturned(it *Item, _ Event) {
	it.Returns++
	it.Assignee = ""
}

// foldResponded records the first response: signing for the item or a
// public reply.
func foldResponded(it *Item, e Event) {
	if it.RespondedAt == nil {
		at := e.At
		it.RespondedAt = &at
	}
}

func foldReplied(it *Item, e Event) {
	foldResponded(it, e)
	it.PublicReply = e.Body
}

// foldAnswered records the answer; the first answer alone says whether the
// item was answered on time.
func foldAnswered(it *Item, e Event) {
	at := e.At
	if it.RespondedAt == nil {
		it.RespondedAt = &at
	}
	if it.AnsweredAt == nil {
		it.AnsweredAt = &at
		it.OnTime = !e.At.After(it.DueAt)
	}
	it.PublicReply = e.Body
}

func foldExtensionAsked(it *Item, e Event) {
	amount, _ := strconv.Atoi(e.Data["amount"])
	it.Pending = &Extension{Amount: amount, Unit: e.Data["unit"], Reason: e.Body, RequestedBy: e.Actor}
}

func foldExtensionGranted(it *Item, e Event) {
	if due, err := time.Parse(time.RFC3339Nano, e.Data["due_at"]); err == nil {
		it.DueAt = due
	}
	it.CalendarGap = it.CalendarGap || e.Data["calendar_gap"] == "true"
	it.Extensions++
	it.Pending = nil
}

func foldSatisfaction(it *Item, e Event) { it.Satisfaction = Satisfaction(e.Data["satisfaction"]) }

func foldReopened(it *Item, _ Event) {
	it.Redos++
	it.ClosedAt = nil
}

func foldClosed(it *Item, e Event) {
	at := e.At
	it.ClosedAt = &at
}
