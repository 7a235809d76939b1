// Package measure is the register of convenience measures (便民利民措施):
// what the bureau researched and put in place to make citizens' dealings
// with it easier, by a unit and optionally its party branch, prompted by
// opinions filed as items and by practical matters. A measure is
// researched, then implemented on a day or withdrawn with the reason;
// every change is an event of the one log (eventlog), written with the
// measure in one transaction.
package measure

import (
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/register"
)

// Register is the measures' name in the event log and in reports.
const Register = "measures"

// Limits on a measure.
const (
	MaxTitleRunes   = 100
	MaxChangesRunes = 5000
	MaxReasonRunes  = 500
	MaxItems        = 50
	MaxMatters      = 50
	dayLayout       = "2006-01-02"
)

// Status is where a measure stands.
type Status string

// Measure states.
const (
	StatusResearched  Status = "researched"  // 已研究
	StatusImplemented Status = "implemented" // 已實施
	StatusWithdrawn   Status = "withdrawn"   // 已撤回
)

// Statuses lists every state, in lifecycle order.
var Statuses = []Status{StatusResearched, StatusImplemented, StatusWithdrawn}

// Valid reports whether s is a known state.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// Terminal reports whether nothing more happens to a measure in state s.
func (s Status) Terminal() bool { return s == StatusImplemented || s == StatusWithdrawn }

// Label is the state's Chinese name.
func (s Status) Label() string {
	return map[Status]string{StatusResearched: "已研究", StatusImplemented: "已实施", StatusWithdrawn: "已撤回"}[s]
}

// Measure is one convenience measure of the ledger.
type Measure struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Unit  string `json:"unit"`
	// Branch is the party branch's code; optional, of the unit.
	Branch string `json:"branch,omitempty"`
	// Changes is what the measure changes for citizens.
	Changes string `json:"changes"`
	// Items are the tracking numbers of the opinions that prompted it.
	Items []string `json:"items"`
	// Matters are the ids of the practical matters that prompted it.
	Matters []int64 `json:"matters"`
	Status  Status  `json:"status"`
	// ResearchedOn is the day the measure was decided on, YYYY-MM-DD.
	ResearchedOn   string    `json:"researched_on"`
	ImplementedOn  string    `json:"implemented_on,omitempty"`
	WithdrawnOn    string    `json:"withdrawn_on,omitempty"`
	WithdrawReason string    `json:"withdraw_reason,omitempty"`
	CreatedBy      string    `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Version        int       `json:"version"`

	// Campaign is the id of the campaign the measure belongs to; 0: none.
	Campaign int64 `json:"campaign,omitempty"`

	// Form is the page form the record is created through, if any
	// (archive.FileOnce).
	archive.Form `json:"-"`
}

// Shown returns the measure as answers show it: times in China time, lists
// never null.
func (m Measure) Shown() Measure {
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.In(calendar.Zone), m.UpdatedAt.In(calendar.Zone)
	if m.Items == nil {
		m.Items = []string{}
	}
	if m.Matters == nil {
		m.Matters = []int64{}
	}
	return m
}

// SearchText is what a search by words finds a measure by.
func (m Measure) SearchText() string { return m.Title + "\n" + m.Changes }

// Validate checks what staff wrote of a measure and returns it cleaned.
// That the unit, branch, items and matters exist is the Service's to
// check. now is the time of writing.
func (m Measure) Validate(now time.Time) (Measure, error) {
	var p minyi.Problems
	m.Title = archive.CheckNamedText(&p, "title", "措施名称", m.Title, MaxTitleRunes, true)
	m.Changes = archive.CheckNamedText(&p, "changes", "便民内容", m.Changes, MaxChangesRunes, true)
	m.Unit = strings.TrimSpace(m.Unit)
	if m.Unit == "" {
		p.Add("unit", "请选择实施单位", "unit is required")
	}
	m.Branch = strings.TrimSpace(m.Branch)
	// Counted as sent: a list over the limit is refused whatever it repeats.
	if len(m.Items) > MaxItems {
		p.Add("items", "关联的群众意见最多"+itoa(MaxItems)+"件", "items: at most "+itoa(MaxItems))
	}
	if len(m.Matters) > MaxMatters {
		p.Add("matters", "关联的实事最多"+itoa(MaxMatters)+"件", "matters: at most "+itoa(MaxMatters))
	}
	m.Items = register.Names(m.Items)
	ids := []int64{}
	for _, id := range m.Matters {
		switch {
		case id <= 0:
			p.Add("matters", "实事编号须为正整数", "matters: ids are positive numbers")
		case !contains(ids, id):
			ids = append(ids, id)
		}
	}
	m.Matters = ids
	m.ResearchedOn = archive.CheckDay(&p, "researched_on", "研究日期", m.ResearchedOn, now)
	if m.ImplementedOn != "" && m.ResearchedOn > m.ImplementedOn {
		p.Add("researched_on", "研究日期不能晚于实施日期", "researched_on cannot be after implemented_on")
	}
	if m.WithdrawnOn != "" && m.ResearchedOn > m.WithdrawnOn {
		p.Add("researched_on", "研究日期不能晚于撤销日期", "researched_on cannot be after withdrawn_on")
	}
	return m, p.Err()
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (m Measure) record() string { return strconv.FormatInt(m.ID, 10) }

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// fields are a measure's values as its events record them.
func (m Measure) fields() map[string]string {
	return map[string]string{"title": m.Title, "unit": m.Unit, "branch": m.Branch,
		"items": strings.Join(m.Items, ","), "matters": joinIDs(m.Matters), "researched_on": m.ResearchedOn,
		"campaign": campaignOf(m.Campaign)}
}

// campaignOf is a campaign id as events record it: "" for none.
func campaignOf(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// Created returns the log's event of a stored measure (ID assigned).
func (m Measure) Created() eventlog.Event {
	data := map[string]string{}
	for k, v := range m.fields() {
		if v != "" {
			data[k] = v
		}
	}
	return eventlog.Event{Register: Register, RecordID: m.ID, Record: m.record(), Type: EventCreated,
		Actor: m.CreatedBy, At: m.CreatedAt, To: string(StatusResearched), Body: m.Changes, Data: data}
}

// Edited returns the log's event of the change from before to m, made by
// actor at m.UpdatedAt: the fields that changed, with their new values
// (what it changes for citizens as the body). ok is false when nothing
// changed.
func (m Measure) Edited(before Measure, actor string) (e eventlog.Event, ok bool) {
	data, changed := register.ChangedFields(m.fields(), before.fields(), "title", "unit", "branch", "items", "matters", "researched_on", "campaign")
	body := ""
	if m.Changes != before.Changes {
		changed, body = append(changed, "changes"), m.Changes
	}
	if len(changed) == 0 {
		return eventlog.Event{}, false
	}
	data["fields"] = strings.Join(changed, ",")
	return eventlog.Event{Register: Register, RecordID: m.ID, Record: m.record(), Type: EventEdited,
		Actor: actor, At: m.UpdatedAt, From: string(m.Status), To: string(m.Status), Body: body, Data: data}, true
}

// Patch is a change to a measure: nil fields stay as they are. Version is
// the version the writer read, required.
type Patch struct {
	Version      *int      `json:"version"`
	Title        *string   `json:"title,omitempty"`
	Branch       *string   `json:"branch,omitempty"`
	Changes      *string   `json:"changes,omitempty"`
	Items        *[]string `json:"items,omitempty"`
	Matters      *[]int64  `json:"matters,omitempty"`
	ResearchedOn *string   `json:"researched_on,omitempty"`
	// Campaign moves the measure into a campaign; 0 takes it out of one.
	Campaign *int64 `json:"campaign,omitempty"`
}

// Apply returns m with p's fields set.
func (p Patch) Apply(m Measure) Measure {
	register.SetIf(&m.Title, p.Title)
	register.SetIf(&m.Branch, p.Branch)
	register.SetIf(&m.Changes, p.Changes)
	register.SetIf(&m.Items, p.Items)
	register.SetIf(&m.Matters, p.Matters)
	register.SetIf(&m.ResearchedOn, p.ResearchedOn)
	register.SetIf(&m.Campaign, p.Campaign)
	return m
}

func itoa(n int) string { return strconv.Itoa(n) }
