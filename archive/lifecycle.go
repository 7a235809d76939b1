package archive

import (
	"slices"
	"strconv"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/org"
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
)

// Actor is whoever issues a command: a member of staff, or the citizen who
// holds the item's access code (Role empty).
type Actor struct {
	Name     string
	Role     org.Role
	UnitCode string
}

// Citizen is the actor for a citizen using an access code.
var Citizen = Actor{Name: ActorCitizen}

// ActorFor returns the actor for a member of staff.
func ActorFor(u org.User) Actor { return Actor{Name: u.Name, Role: u.Role, UnitCode: u.UnitCode} }

func (a Actor) citizen() bool { return a.Role == "" }

func (a Actor) seesAll() bool { return a.Role == org.RoleAdmin || a.Role == org.RoleLeader }

// Command is one request to change an item.
type Command struct {
	Action       Action          `json:"action"`
	Version      int             `json:"version"`
	Body         string          `json:"body,omitempty"`
	Unit         string          `json:"unit,omitempty"`
	Satisfaction Satisfaction    `json:"satisfaction,omitempty"`
	Extension    *calendar.Limit `json:"extension,omitempty"`
	Into         string          `json:"into,omitempty"`
	Publish      *bool           `json:"publish,omitempty"`
	// Desk edits the public version when publishing (set_publish with
	// publish true); an empty field keeps the draft's (Item.DeskDraft).
	Desk *DeskVersion `json:"desk,omitempty"`
}

// Roles allowed to act, besides the admin and leaders who may do everything
// staff may do.
var (
	handlers   = []org.Role{org.RoleUnitHead, org.RoleOfficer}
	helpers    = []org.Role{org.RoleUnitHead, org.RoleOfficer, org.RoleAuxiliary}
	commanders = []org.Role{} // admin and leader only
)

// rule says from which states an action is legal, who may take it, and
// whether the actor must belong to the item's unit.
type rule struct {
	from  []Status // nil: any state that is not terminal
	roles []org.Role
	// citizen: the access-code holder may take it (and staff may not).
	citizen bool
}

var rules = map[Action]rule{
	ActDispatch:         {from: []Status{StatusReceived, StatusReturned}, roles: commanders},
	ActSign:             {from: []Status{StatusDispatched}, roles: helpers},
	ActStart:            {from: []Status{StatusSigned}, roles: helpers},
	ActReply:            {from: []Status{StatusSigned, StatusInProgress}, roles: handlers},
	ActNote:             {roles: helpers},
	ActAnswer:           {from: []Status{StatusSigned, StatusInProgress}, roles: handlers},
	ActTransfer:         {from: []Status{StatusDispatched, StatusSigned, StatusInProgress}, roles: []org.Role{org.RoleUnitHead}},
	ActReturn:           {from: []Status{StatusDispatched, StatusSigned, StatusInProgress}, roles: handlers},
	ActRequestExtension: {from: []Status{StatusDispatched, StatusSigned, StatusInProgress}, roles: handlers},
	ActGrantExtension:   {from: []Status{StatusDispatched, StatusSigned, StatusInProgress}, roles: commanders},
	ActRefuseExtension:  {from: []Status{StatusDispatched, StatusSigned, StatusInProgress}, roles: commanders},
	ActSupervise:        {from: OpenStatuses, roles: commanders},
	ActRemind:           {from: OpenStatuses, roles: commanders},
	ActVisit:            {from: []Status{StatusAnswered}, roles: helpers},
	ActRate:             {from: []Status{StatusAnswered, StatusVisited}, citizen: true},
	ActReopen:           {from: []Status{StatusAnswered, StatusVisited, StatusClosed}, roles: commanders},
	ActClose:            {from: []Status{StatusAnswered, StatusVisited}, roles: handlers},
	ActMerge:            {from: OpenStatuses, roles: commanders},
	ActInvalidate:       {from: OpenStatuses, roles: commanders},
	ActRevealContact:    {from: allStatuses(), roles: handlers},
	ActSetPublish:       {from: allStatuses(), roles: commanders},
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
}

// Allowed reports whether actor may take action on it in its current state;
// pages use it to offer only the buttons that will work.
func Allowed(it Item, a Action, actor Actor) bool {
	r, ok := rules[a]
	return ok && permitted(r, it, actor) == nil && legalFrom(r, it.Status)
}

func legalFrom(r rule, s Status) bool {
	if r.from == nil {
		return !s.Terminal()
	}
	for _, f := range r.from {
		if f == s {
			return true
		}
	}
	return false
}

func permitted(r rule, it Item, a Actor) error {
	if a.citizen() {
		if r.citizen {
			return nil
		}
		return minyi.Errorf(minyi.EForbidden, "此操作须由工作人员办理 / this action is for staff only")
	}
	if r.citizen {
		return minyi.Errorf(minyi.EForbidden, "此操作须由群众本人办理 / only the citizen can do this")
	}
	if a.seesAll() {
		return nil
	}
	if a.UnitCode != it.UnitCode {
		return minyi.Errorf(minyi.EForbidden, "该件不属于您的单位 / this item belongs to another unit")
	}
	for _, role := range r.roles {
		if role == a.Role {
			return nil
		}
	}
	return minyi.Errorf(minyi.EForbidden, "您的角色不能执行此操作 / your role may not do this")
}

// Decide checks cmd against the rules and returns the events that follow.
// It never changes it; pass each event to Apply. units tells whether a unit
// code exists (for dispatch and transfer); it may be nil when not needed.
func Decide(it Item, cmd Command, actor Actor, now time.Time, p Policy, unitExists func(string) bool) ([]Event, error) {
	r, ok := rules[cmd.Action]
	if !ok {
		return nil, minyi.Invalid("action", "未知的操作", "unknown action")
	}
	if err := permitted(r, it, actor); err != nil {
		return nil, err
	}
	if !legalFrom(r, it.Status) {
		return nil, minyi.Errorf(minyi.EIllegal, "当前状态（%s）不能执行“%s” / action %q is not allowed in status %q",
			LabelOf(Statuses, string(it.Status)), cmd.Action, cmd.Action, it.Status)
	}
	var p0 minyi.Problems
	body := checkText(&p0, "body", cmd.Body, MaxTextRunes, needsBody(cmd, it))
	ev := Event{ItemID: it.ID, ItemNumber: it.Number, Actor: actor.Name, At: now, From: it.Status, To: it.Status, Body: body}
	illegal := func(zh, en string) error { return minyi.Errorf(minyi.EIllegal, "%s / %s", zh, en) }

	switch cmd.Action {
	case ActDispatch, ActTransfer:
		switch {
		case cmd.Unit == "":
			p0.Add("unit", "请选择承办单位", "unit is required")
		case unitExists != nil && !unitExists(cmd.Unit):
			p0.Add("unit", "承办单位不存在", "unknown unit")
		case cmd.Action == ActTransfer && cmd.Unit == it.UnitCode:
			p0.Add("unit", "转办单位不能是当前单位", "transfer to a different unit")
		}
		ev.Type, ev.To = EventDispatched, StatusDispatched
		if cmd.Action == ActTransfer {
			ev.Type = EventTransferred
		}
		ev.Data = map[string]string{"unit": cmd.Unit, "from_unit": it.UnitCode}
	case ActSign:
		ev.Type, ev.To = EventSigned, StatusSigned
	case ActStart:
		ev.Type, ev.To = EventStarted, StatusInProgress
	case ActReply:
		ev.Type, ev.Public = EventReplied, true
	case ActNote:
		ev.Type = EventNoted
	case ActAnswer:
		ev.Type, ev.To, ev.Public = EventAnswered, StatusAnswered, true
		if it.Publish {
			// The citizen agreed to publication: the answer goes on the
			// desk with the question if neither names them; otherwise the
			// item leaves the desk until staff review it (set_publish).
			v := it.DeskDraft()
			v.Answer = body
			ev.Data = map[string]string{"desk_answer": ""}
			if len(it.CheckDesk(v)) == 0 {
				ev.Data = v.data()
			}
		}
	case ActReturn:
		ev.Type, ev.To = EventReturned, StatusReturned
		ev.Data = map[string]string{"from_unit": it.UnitCode}
	case ActRequestExtension:
		if it.Pending != nil {
			return nil, illegal("已有待审批的延期申请", "an extension request is already pending")
		}
		if cmd.Extension == nil {
			p0.Add("extension", "请填写延期时长", "extension is required")
		} else if err := cmd.Extension.Validate(); err != nil || cmd.Extension.Amount < 1 {
			p0.Add("extension", "延期时长无效", "extension must be a positive number of working days or hours")
		} else {
			ev.Data = map[string]string{"amount": strconv.Itoa(cmd.Extension.Amount), "unit": string(cmd.Extension.Unit)}
		}
		ev.Type = EventExtensionAsked
	case ActGrantExtension, ActRefuseExtension:
		if it.Pending == nil {
			return nil, illegal("没有待审批的延期申请", "no extension request is pending")
		}
		ev.Type = EventExtensionRefused
		if cmd.Action == ActGrantExtension {
			ev.Type = EventExtensionGranted
			d := p.Calendar.Due(it.DueAt, calendar.Limit{Amount: it.Pending.Amount, Unit: calendar.Unit(it.Pending.Unit)})
			ev.Data = map[string]string{"due_at": d.At.UTC().Format(time.RFC3339Nano)}
			if len(d.UncoveredYears) > 0 {
				ev.Data["calendar_gap"] = "true"
			}
		}
	case ActSupervise:
		ev.Type = EventSupervised
	case ActRemind:
		ev.Type = EventReminded
	case ActVisit, ActRate:
		if !cmd.Satisfaction.Valid() {
			p0.Add("satisfaction", "请选择满意、基本满意或不满意", "satisfaction must be satisfied, basic_satisfied or unsatisfied")
		}
		ev.Type, ev.To = EventVisited, StatusVisited
		if cmd.Action == ActRate {
			ev.Type = EventRated
		}
		ev.Data = map[string]string{"satisfaction": string(cmd.Satisfaction)}
		if err := p0.Err(); err != nil {
			return nil, err
		}
		if cmd.Satisfaction == Unsatisfied {
			// An unsatisfied citizen is never crossed off: the item goes back
			// to its unit to be done again (重辦).
			redo := Event{ItemID: it.ID, ItemNumber: it.Number, Actor: ActorSystem, At: now,
				Type: EventReopened, From: StatusVisited, To: StatusInProgress, Body: "群众不满意，重办 / unsatisfied: redo"}
			return []Event{ev, redo}, nil
		}
	case ActReopen:
		ev.Type, ev.To = EventReopened, StatusInProgress
	case ActClose:
		if it.Status == StatusAnswered && it.Contact.Reachable() {
			return nil, illegal("须先回访群众才能销号", "visit the citizen back before closing out")
		}
		if it.Satisfaction == Unsatisfied {
			return nil, illegal("群众不满意的件不能销号", "an item the citizen is unsatisfied with cannot be closed")
		}
		ev.Type, ev.To = EventClosed, StatusClosed
	case ActMerge:
		switch {
		case cmd.Into == "":
			p0.Add("into", "请填写合并到的件号", "into is required")
		case cmd.Into == it.Number:
			p0.Add("into", "不能合并到自身", "an item cannot be merged into itself")
		}
		ev.Type, ev.To = EventMerged, StatusMerged
		ev.Data = map[string]string{"into": cmd.Into}
	case ActInvalidate:
		ev.Type, ev.To = EventInvalidated, StatusInvalid
	case ActRevealContact:
		ev.Type = EventContactRevealed
	case ActSetPublish:
		if cmd.Publish == nil {
			p0.Add("publish", "请选择是否公开", "publish is required")
		} else if *cmd.Publish {
			v := it.DeskDraft()
			if cmd.Desk != nil {
				v = v.edited(&p0, *cmd.Desk)
			}
			addFindings(&p0, it.CheckDesk(v))
			ev.Data = v.data()
			ev.Data["publish"] = "true"
		} else {
			ev.Data = map[string]string{"publish": "false"}
		}
		ev.Type = EventPublishingChanged
	}
	if err := p0.Err(); err != nil {
		return nil, err
	}
	return []Event{ev}, nil
}

// needsBody says which actions must explain themselves.
func needsBody(cmd Command, it Item) bool {
	switch cmd.Action {
	case ActReply, ActNote, ActAnswer, ActTransfer, ActReturn, ActRequestExtension,
		ActRefuseExtension, ActSupervise, ActRemind, ActReopen, ActInvalidate:
		return true
	case ActRate:
		return cmd.Satisfaction == Unsatisfied // tell us why, so the redo can fix it
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
	switch e.Type {
	case EventDispatched, EventTransferred:
		it.UnitCode = e.Data["unit"]
	case EventSigned, EventReplied:
		if it.RespondedAt == nil {
			at := e.At
			it.RespondedAt = &at
		}
		if e.Type == EventReplied {
			it.PublicReply = e.Body
		}
	case EventAnswered:
		at := e.At
		if it.RespondedAt == nil {
			it.RespondedAt = &at
		}
		if it.AnsweredAt == nil {
			it.AnsweredAt = &at
			it.OnTime = !e.At.After(it.DueAt)
		}
		it.PublicReply = e.Body
	case EventReturned:
		it.Returns++
	case EventExtensionAsked:
		amount, _ := strconv.Atoi(e.Data["amount"])
		it.Pending = &Extension{Amount: amount, Unit: e.Data["unit"], Reason: e.Body, RequestedBy: e.Actor}
	case EventExtensionGranted:
		if due, err := time.Parse(time.RFC3339Nano, e.Data["due_at"]); err == nil {
			it.DueAt = due
		}
		it.CalendarGap = it.CalendarGap || e.Data["calendar_gap"] == "true"
		it.Extensions++
		it.Pending = nil
	case EventExtensionRefused:
		it.Pending = nil
	case EventSupervised, EventReminded:
		it.Supervisions++
	case EventVisited, EventRated:
		it.Satisfaction = Satisfaction(e.Data["satisfaction"])
	case EventReopened:
		it.Redos++
		it.ClosedAt = nil
	case EventClosed:
		at := e.At
		it.ClosedAt = &at
	case EventMerged:
		it.MergedInto = e.Data["into"]
	case EventPublishingChanged:
		it.Publish = e.Data["publish"] == "true"
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
