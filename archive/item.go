// Package archive is the public-opinion archive (民意檔案): items (件) from
// intake to close-out (銷號), their lifecycle rules, time limits and each
// item's contribution to the counters behind the three rates (三率), which
// package reporting keeps.
//
// The rules are pure: Decide says whether a command may happen and which
// events follow; Apply folds an event into the item. Persistence and HTTP
// live elsewhere and reach this package only through the Store interface.
package archive

import (
	"minyi/ratelimit"
	"strconv"
	"time"
)

// Kind is what the citizen is doing by writing in.
type Kind string

// Item kinds.
const (
	KindSuggestion   Kind = "suggestion"   // 建議
	KindComplaint    Kind = "complaint"    // 投訴
	KindHelp         Kind = "help"         // 求助
	KindConsultation Kind = "consultation" // 諮詢
	KindReport       Kind = "report"       // 舉報
	KindPraise       Kind = "praise"       // 表揚
)

// Channel is how an item reached the agency.
type Channel string

// Intake channels.
const (
	ChannelPaperBox   Channel = "paper_box"   // 意見箱
	ChannelOnlineBox  Channel = "online_box"  // 網上意見箱
	ChannelQRCode     Channel = "qr_code"     // 掃碼留言
	ChannelSurvey     Channel = "survey"      // 調查問卷
	ChannelForum      Channel = "forum"       // 座談會
	ChannelOnlineDesk Channel = "online_desk" // 24小時警局
	ChannelVisit      Channel = "visit"       // 走訪
	ChannelPhone      Channel = "phone"       // 電話
	ChannelWalkIn     Channel = "walk_in"     // 來訪
	ChannelOpen311    Channel = "open311"     // 開放接口: another system, through Open311
)

// Class is one of the four kinds of concern named in the seed, each with its
// own handling rule and time limit.
type Class string

// Concern classes.
const (
	ClassUrgent   Class = "urgent"   // 煩心事 → 急事速辦
	ClassHard     Class = "hard"     // 憂心事 → 難事易辦
	ClassWorrying Class = "worrying" // 操心事 → 愁事實辦
	ClassHopeful  Class = "hopeful"  // 揪心事 → 盼事速辦
)

// Status is where an item stands in its lifecycle.
type Status string

// Lifecycle states.
const (
	StatusReceived   Status = "received"    // 已受理
	StatusDispatched Status = "dispatched"  // 已派單
	StatusSigned     Status = "signed"      // 已簽收
	StatusInProgress Status = "in_progress" // 辦理中
	StatusReturned   Status = "returned"    // 已退回 (to the dispatcher)
	StatusAnswered   Status = "answered"    // 已答覆
	StatusVisited    Status = "visited"     // 已回訪
	StatusClosed     Status = "closed"      // 已銷號
	StatusInvalid    Status = "invalid"     // 無效件
	StatusMerged     Status = "merged"      // 已合併
	// StatusWithdrawn is an item its citizen took back before it was
	// answered (ActWithdraw): nothing more happens to it, and it leaves the
	// rates as an invalid item does (TallyOf).
	StatusWithdrawn Status = "withdrawn" // 已撤回
)

// Satisfaction is the citizen's verdict at the return visit: one of the
// five levels of the national 政務服務"好差評". The three levels of the
// years before it (satisfied, basic_satisfied, unsatisfied) keep their
// codes and meaning; the two new ones sharpen the ends (Group).
type Satisfaction string

// Satisfaction levels, best first.
const (
	VerySatisfied   Satisfaction = "very_satisfied"   // 非常滿意
	Satisfied       Satisfaction = "satisfied"        // 滿意
	BasicSatisfied  Satisfaction = "basic_satisfied"  // 基本滿意
	Unsatisfied     Satisfaction = "unsatisfied"      // 不滿意
	VeryUnsatisfied Satisfaction = "very_unsatisfied" // 非常不滿意
)

// Group returns the three-level verdict a level counts as, so that the
// counters and the satisfaction rate mean what they meant before the five
// levels: 非常滿意 and 滿意 are satisfied, 不滿意 and 非常不滿意 unsatisfied,
// 基本滿意 itself. An unknown level groups as itself.
func (s Satisfaction) Group() Satisfaction {
	switch s {
	case VerySatisfied:
		return Satisfied
	case VeryUnsatisfied:
		return Unsatisfied
	}
	return s
}

// BelowSatisfied reports whether the level is under 滿意 (基本滿意 or
// worse): such a rating must say why (Command.Body).
func (s Satisfaction) BelowSatisfied() bool {
	g := s.Group()
	return g == BasicSatisfied || g == Unsatisfied
}

// Marks are the optional separate marks of a rating, 1 (worst) to 5 (best),
// for the speed (速度), the result (結果) and the attitude (態度) of the
// handling; 0 is a mark not given.
type Marks struct {
	Speed    int `json:"speed,omitempty"`
	Result   int `json:"result,omitempty"`
	Attitude int `json:"attitude,omitempty"`
}

// MarkNames are the marks' keys, in display order: the fields of an
// error, the form's inputs and the rating event's data.
var MarkNames = []string{"speed", "result", "attitude"}

// get returns the mark named n (one of MarkNames).
func (m Marks) get(n string) int {
	switch n {
	case "speed":
		return m.Speed
	case "result":
		return m.Result
	}
	return m.Attitude
}

// MarksOf reads the marks a rating or visit event recorded (none for
// events before marks existed).
func MarksOf(e Event) Marks {
	v := func(n string) int {
		x, _ := strconv.Atoi(e.Data[n])
		return x
	}
	return Marks{Speed: v("speed"), Result: v("result"), Attitude: v("attitude")}
}

// Label pairs an API code with its Chinese display name.
type Label struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Kinds, Channels, Classes, Statuses and Satisfactions list the codes with
// their display labels in display order; they are the single source for
// validation, the API's enums and the pages.
var (
	Kinds = []Label{
		{string(KindSuggestion), "建议"}, {string(KindComplaint), "投诉"}, {string(KindHelp), "求助"},
		{string(KindConsultation), "咨询"}, {string(KindReport), "举报"}, {string(KindPraise), "表扬"},
	}
	Channels = []Label{
		{string(ChannelPaperBox), "意见箱"}, {string(ChannelOnlineBox), "网上意见箱"},
		{string(ChannelQRCode), "扫码留言"}, {string(ChannelSurvey), "调查问卷"},
		{string(ChannelForum), "座谈会"}, {string(ChannelOnlineDesk), "24小时警局"},
		{string(ChannelVisit), "走访"}, {string(ChannelPhone), "电话"}, {string(ChannelWalkIn), "来访"},
		{string(ChannelOpen311), "开放接口"},
	}
	Classes = []Label{
		{string(ClassUrgent), "烦心事（急事速办）"}, {string(ClassHard), "忧心事（难事易办）"},
		{string(ClassWorrying), "操心事（愁事实办）"}, {string(ClassHopeful), "揪心事（盼事速办）"},
	}
	Statuses = []Label{
		{string(StatusReceived), "已受理"}, {string(StatusDispatched), "已派单"},
		{string(StatusSigned), "已签收"}, {string(StatusInProgress), "办理中"},
		{string(StatusReturned), "已退回"}, {string(StatusAnswered), "已答复"},
		{string(StatusVisited), "已回访"}, {string(StatusClosed), "已销号"},
		{string(StatusInvalid), "无效件"}, {string(StatusMerged), "已合并"},
		{string(StatusWithdrawn), "已撤回"},
	}
	Satisfactions = []Label{
		{string(VerySatisfied), "非常满意"}, {string(Satisfied), "满意"}, {string(BasicSatisfied), "基本满意"},
		{string(Unsatisfied), "不满意"}, {string(VeryUnsatisfied), "非常不满意"},
	}
)

func known(list []Label, code string) bool {
	for _, l := range list {
		if l.Code == code {
			return true
		}
	}
	return false
}

// LabelOf returns the display label of code in list, or code itself.
func LabelOf(list []Label, code string) string {
	for _, l := range list {
		if l.Code == code {
			return l.Label
		}
	}
	return code
}

// Valid reports whether the code is known.
func (k Kind) Valid() bool { return known(Kinds, string(k)) }

// Valid reports whether the code is known.
func (c Channel) Valid() bool { return known(Channels, string(c)) }

// Valid reports whether the code is known.
func (c Class) Valid() bool { return known(Classes, string(c)) }

// Valid reports whether the code is known.
func (s Status) Valid() bool { return known(Statuses, string(s)) }

// Valid reports whether the code is known.
func (s Satisfaction) Valid() bool { return known(Satisfactions, string(s)) }

// Open reports whether the item still waits for an answer; only open items
// can become overdue.
func (s Status) Open() bool {
	switch s {
	case StatusReceived, StatusDispatched, StatusSigned, StatusInProgress, StatusReturned:
		return true
	}
	return false
}

// Terminal reports whether nothing more happens to the item.
func (s Status) Terminal() bool {
	return s == StatusClosed || s == StatusInvalid || s == StatusMerged || s == StatusWithdrawn
}

// OpenStatuses lists the statuses for which Open is true.
var OpenStatuses = []Status{StatusReceived, StatusReturned, StatusDispatched, StatusSigned, StatusInProgress}

// Contact is how to reach the citizen; every field is optional.
type Contact struct {
	Anonymous bool   `json:"anonymous"`
	Name      string `json:"name,omitempty"`
	Phone     string `json:"phone,omitempty"`
	IDNumber  string `json:"id_number,omitempty"`
}

// Reachable reports whether a return visit is possible.
func (c Contact) Reachable() bool { return !c.Anonymous && c.Phone != "" }

// Location is where the matter is; coordinates are optional.
type Location struct {
	Township string   `json:"township,omitempty"`
	Village  string   `json:"village,omitempty"`
	Address  string   `json:"address,omitempty"`
	Lat      *float64 `json:"lat,omitempty"`
	Lng      *float64 `json:"lng,omitempty"`
	// ShareLocation is the citizen's consent to publish the address and
	// the coordinates through Open311 (Item.PublicLocation); only items
	// filed through Open311 can carry it.
	ShareLocation bool `json:"share_location,omitempty"`
}

// Extension is a pending request for more time.
type Extension struct {
	Amount      int    `json:"amount"`
	Unit        string `json:"unit"`
	Reason      string `json:"reason"`
	RequestedBy string `json:"requested_by"`
}

// Item is one citizen's voice (件), as its current state: the fold of its events.
type Item struct {
	ID            int64        `json:"-"`
	Number        string       `json:"number"`
	Version       int          `json:"version"`
	Kind          Kind         `json:"kind"`
	Channel       Channel      `json:"channel"`
	ChannelDetail string       `json:"channel_detail,omitempty"`
	Class         Class        `json:"class,omitempty"`
	CategoryCode  string       `json:"category,omitempty"`
	Title         string       `json:"title"`
	Text          string       `json:"text"`
	Status        Status       `json:"status"`
	UnitCode      string       `json:"unit,omitempty"`
	Assignee      string       `json:"assignee,omitempty"` // the officer in charge (承辦人) in the unit, by user name; "" until named
	Contact       Contact      `json:"contact"`
	Location      Location     `json:"location"`
	Publish       bool         `json:"publish"`
	ReceivedAt    time.Time    `json:"received_at"` // collected on: periods and rates count from it
	EnteredAt     time.Time    `json:"entered_at"`  // entered into the archive: the time limit runs from it
	DueAt         time.Time    `json:"due_at"`
	CalendarGap   bool         `json:"calendar_gap,omitempty"`
	RespondedAt   *time.Time   `json:"responded_at,omitempty"`
	AnsweredAt    *time.Time   `json:"answered_at,omitempty"`
	OnTime        bool         `json:"on_time"`
	ClosedAt      *time.Time   `json:"closed_at,omitempty"`
	Satisfaction  Satisfaction `json:"satisfaction,omitempty"`
	Returns       int          `json:"returns"`
	Redos         int          `json:"redos"`
	Extensions    int          `json:"extensions"`
	Supervisions  int          `json:"supervisions"`
	Pending       *Extension   `json:"pending_extension,omitempty"`
	MergedInto    string       `json:"merged_into,omitempty"`
	PublicReply   string       `json:"public_reply,omitempty"`
	// DeskTitle, DeskText and DeskAnswer are the reviewed public version
	// the online desk shows (DeskVersion); empty until it is published.
	DeskTitle  string      `json:"desk_title,omitempty"`
	DeskText   string      `json:"desk_text,omitempty"`
	DeskAnswer string      `json:"desk_answer,omitempty"`
	AccessHash string      `json:"-"`
	Photos     []PhotoInfo `json:"photos,omitempty"`
	UpdatedAt  time.Time   `json:"updated_at"`
	// SMSWithheld is set, on the item Submit returns only, when the
	// receipt was not sent by SMS because its phone number had already
	// had Service.SMSRate receipts; never stored.
	SMSWithheld bool `json:"-"`
	// FormKey, on a new item only, is the hash of the page form's token
	// that files it (form.go); the store records it with the item.
	FormKey string `json:"-"`
	// Counted, on a new item only, are the abuse limits' uses the store
	// counts in the item's own transaction: one that refuses (the intake
	// limit of the client's address) refuses the item past its allowance;
	// one that does not (the receipt SMS limit of the phone) withholds the
	// item's notices and sets SMSWithheld.
	Counted []ratelimit.Use `json:"-"`
}

// Brief is it with only the fields a row of the archive's ledger shows
// (web/core's ItemsExport): its id and number; its times of receipt,
// entry, due, answer and closing, and whether it was answered on time;
// its channel, kind, class and category; its title and text; its unit and
// status; the public reply and the satisfaction; the contact's name and
// phone; the township and village. A year of the archive read for the
// ledgers' workbook (Filter.Brief) reads these 22 columns of each row, not
// the item's 45: each column costs the SQLite driver two or three calls,
// each under the connection's mutex.
func (it Item) Brief() Item {
	return Item{ID: it.ID, Number: it.Number, Kind: it.Kind, Channel: it.Channel, Class: it.Class, CategoryCode: it.CategoryCode,
		Title: it.Title, Text: it.Text, Status: it.Status, UnitCode: it.UnitCode,
		Contact:    Contact{Name: it.Contact.Name, Phone: it.Contact.Phone},
		Location:   Location{Township: it.Location.Township, Village: it.Location.Village},
		ReceivedAt: it.ReceivedAt, EnteredAt: it.EnteredAt, DueAt: it.DueAt, AnsweredAt: it.AnsweredAt, OnTime: it.OnTime,
		ClosedAt: it.ClosedAt, Satisfaction: it.Satisfaction, PublicReply: it.PublicReply}
}

// Overdue reports whether an open item is past its due time at now.
func (it Item) Overdue(now time.Time) bool { return it.Status.Open() && now.After(it.DueAt) }

// DueSoonWindow is how close to its due time an open item counts as due soon.
const DueSoonWindow = 24 * time.Hour

// DueSoon reports whether an open item falls due within DueSoonWindow of now.
func (it Item) DueSoon(now time.Time) bool {
	return it.Status.Open() && !now.After(it.DueAt) && it.DueAt.Sub(now) <= DueSoonWindow
}

// PhotoInfo describes a stored photo without its bytes.
type PhotoInfo struct {
	ID          int64  `json:"id"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	SHA256      string `json:"sha256"`
	// URL is where the API serves the photo, filled in by the API's
	// answers about an item; empty elsewhere.
	URL string `json:"url,omitempty"`
}

// Photo is an uploaded picture with its bytes.
type Photo struct {
	PhotoInfo
	Data []byte `json:"-"`
	// Name is the file name it is saved under (PhotoName), set when it is
	// read as one of an item's photos; empty otherwise.
	Name string `json:"-"`
}
