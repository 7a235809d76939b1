// Package campaign is the register of campaigns (活动), such as 2021's
// 我为群众办实事: a bureau-wide drive with a period, a plan (text and attached
// documents), targets for figures of the ledger summary (matters done,
// measures implemented, ...) and its mobilisation meetings (党委会, 动员大会,
// 中心组学习会, 推进会). Every ledger record may belong to a campaign; the
// campaign's progress is each target against the figure the ledgers give
// for the campaign's period and records. Every change is an event of the
// one log (eventlog), written with the campaign in one transaction.
package campaign

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/register"
)

// Register is the campaigns' name in the event log.
const Register = "campaigns"

// Noun names a campaign in the register's messages.
var Noun = register.Noun{Zh: "活动", En: "campaign"}

// The types of the campaigns' events.
const (
	EventCreated       = "created"
	EventEdited        = "edited"
	EventMeetingAdded  = "meeting_added"
	EventDocumentAdded = "document_added"
)

// Limits on a campaign.
const (
	MaxNameRunes      = 100
	MaxPlanRunes      = 20000
	MaxTargets        = 50
	MaxTarget         = 1_000_000_000
	MaxAttendeesRunes = 1000
	MaxMinutesRunes   = 20000
	MaxMeetings       = 200
	MaxDocuments      = 50
	MaxDocumentBytes  = 10 << 20
	MaxDocNameRunes   = 120
	MaxPeriodYears    = 5
	dayLayout         = "2006-01-02"
)

// Kind is the kind of a mobilisation meeting.
type Kind string

// The kinds of mobilisation meetings.
const (
	KindPartyCommittee Kind = "party_committee" // 党委会
	KindMobilisation   Kind = "mobilisation"    // 动员大会
	KindStudy          Kind = "study"           // 中心组学习会
	KindProgress       Kind = "progress"        // 推进会
)

// Kinds lists every kind of meeting, in the order a campaign holds them.
var Kinds = []Kind{KindPartyCommittee, KindMobilisation, KindStudy, KindProgress}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	return map[Kind]string{KindPartyCommittee: "党委会", KindMobilisation: "动员大会", KindStudy: "中心组学习会", KindProgress: "推进会"}[k]
}

// Campaign is one campaign of the bureau. It belongs to no unit: leaders
// and admins create and change it, all staff read it.
type Campaign struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// From and To are the campaign's first and last day, YYYY-MM-DD.
	From string `json:"from"`
	To   string `json:"to"`
	Plan string `json:"plan,omitempty"`
	// Targets are the figures the campaign aims at, by key
	// "register.figure" as the ledger summary answers them, e.g.
	// "matters.done": 400.
	Targets   map[string]int64 `json:"targets"`
	Meetings  []Meeting        `json:"meetings"`
	Documents []Document       `json:"documents"`
	CreatedBy string           `json:"created_by"`
	CreatedAt time.Time        `json:"created_at"`
	UpdatedAt time.Time        `json:"updated_at"`
	Version   int              `json:"version"`

	// Form is the page form the record is created through, if any
	// (archive.FileOnce).
	archive.Form `json:"-"`
}

// Meeting is one mobilisation meeting of a campaign.
type Meeting struct {
	ID   int64  `json:"id"`
	Day  string `json:"day"`
	Kind Kind   `json:"kind"`
	// Attendees says who attended, as the minutes name them.
	Attendees string    `json:"attendees"`
	Minutes   string    `json:"minutes,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`

	// Form is the page form the meeting is recorded through, if any
	// (archive.FileOnce, of register MeetingForms).
	archive.Form `json:"-"`
}

// MeetingForms and DocumentForms name a campaign's meetings and documents
// to the forms that file them once (archive.FileOnce): a form sent again
// leads to the campaign.
const (
	MeetingForms  = "campaign_meetings"
	DocumentForms = "campaign_documents"
)

// TooManyMeetings and TooManyDocuments refuse one more meeting or
// document of a campaign that holds its most; the store checks the count in
// the write's transaction, so that two at once cannot pass the limit.
func TooManyMeetings() error {
	return minyi.Invalid("meetings", "每个活动最多记录"+itoa(MaxMeetings)+"次会议", "a campaign holds at most "+itoa(MaxMeetings)+" meetings")
}

// TooManyDocuments: see TooManyMeetings.
func TooManyDocuments() error {
	return minyi.Invalid("document", "每个活动最多上传"+itoa(MaxDocuments)+"份文件", "a campaign holds at most "+itoa(MaxDocuments)+" documents")
}

// Document is a plan document attached to a campaign; its bytes are read
// apart (Service.Document).
type Document struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`

	// Form is the page form the document is uploaded through, if any
	// (archive.FileOnce, of register DocumentForms).
	archive.Form `json:"-"`
}

// Shown returns the campaign as answers show it: times in China time,
// lists and targets never null.
func (c Campaign) Shown() Campaign {
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.In(calendar.Zone), c.UpdatedAt.In(calendar.Zone)
	if c.Targets == nil {
		c.Targets = map[string]int64{}
	}
	c.Meetings = append([]Meeting{}, c.Meetings...)
	for i := range c.Meetings {
		c.Meetings[i].CreatedAt = c.Meetings[i].CreatedAt.In(calendar.Zone)
	}
	c.Documents = append([]Document{}, c.Documents...)
	for i := range c.Documents {
		c.Documents[i].CreatedAt = c.Documents[i].CreatedAt.In(calendar.Zone)
	}
	return c
}

// Current reports whether day (YYYY-MM-DD) falls in the campaign's period.
func (c Campaign) Current(day string) bool { return c.From <= day && day <= c.To }

// TargetKeys returns the keys of the campaign's targets, sorted.
func (c Campaign) TargetKeys() []string {
	keys := make([]string, 0, len(c.Targets))
	for k := range c.Targets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Validate checks what a leader wrote of a campaign and returns it cleaned.
// known are the figure keys a target may name ("register.figure").
func (c Campaign) Validate(known []string) (Campaign, error) {
	var p minyi.Problems
	c.Name = archive.CheckNamedText(&p, "name", "活动名称", c.Name, MaxNameRunes, true)
	c.Plan = archive.CheckNamedText(&p, "plan", "活动方案", c.Plan, MaxPlanRunes, false)
	c.From = checkDay(&p, "from", "开始日期", c.From)
	c.To = checkDay(&p, "to", "结束日期", c.To)
	if c.From != "" && c.To != "" {
		from, _ := time.Parse(dayLayout, c.From)
		to, _ := time.Parse(dayLayout, c.To)
		switch {
		case to.Before(from):
			p.Add("to", "结束日期不能早于开始日期", "to cannot be before from")
		case to.After(from.AddDate(MaxPeriodYears, 0, 0)):
			p.Add("to", "活动期限不能超过"+strconv.Itoa(MaxPeriodYears)+"年", "a campaign lasts at most "+strconv.Itoa(MaxPeriodYears)+" years")
		}
	}
	c.Targets = CheckTargets(&p, c.Targets, known)
	return c, p.Err()
}

// checkDay checks a required day YYYY-MM-DD, naming field.
func checkDay(p *minyi.Problems, field, zh, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		p.Add(field, "请填写"+zh, field+" is required")
		return ""
	}
	d, err := time.Parse(dayLayout, s)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		p.Add(field, zh+"格式应为YYYY-MM-DD", field+" must be a date YYYY-MM-DD")
		return ""
	}
	return s
}

// CheckTargets checks targets: at most MaxTargets, each of a known key
// ("register.figure", refused naming targets.<key>) and a whole number
// from 0 to MaxTarget.
func CheckTargets(p *minyi.Problems, targets map[string]int64, known []string) map[string]int64 {
	out := map[string]int64{}
	if len(targets) > MaxTargets {
		p.Add("targets", "目标最多"+strconv.Itoa(MaxTargets)+"项", "at most "+strconv.Itoa(MaxTargets)+" targets")
		return out
	}
	ok := map[string]bool{}
	for _, k := range known {
		ok[k] = true
	}
	keys := make([]string, 0, len(targets))
	for k := range targets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := targets[k]
		switch {
		case !ok[k]:
			p.Add("targets."+k, "未知的指标："+k+"（可用："+strings.Join(known, "、")+"）",
				"unknown figure "+k+" (known: "+strings.Join(known, ", ")+")")
		case v < 0 || v > MaxTarget:
			p.Add("targets."+k, "目标值须为0到"+strconv.Itoa(MaxTarget)+"之间的整数",
				"target "+k+" must be an integer between 0 and "+strconv.Itoa(MaxTarget))
		default:
			out[k] = v
		}
	}
	return out
}

// Validate checks a mobilisation meeting and returns it cleaned; now is the
// time of writing (a meeting is recorded after it was held).
func (m Meeting) Validate(now time.Time) (Meeting, error) {
	var p minyi.Problems
	m.Day = archive.CheckDay(&p, "day", "会议日期", m.Day, now)
	if strings.TrimSpace(string(m.Kind)) == "" || !m.Kind.Valid() {
		p.Add("kind", "请选择会议类型（党委会、动员大会、中心组学习会、推进会）", "kind must be one of party_committee, mobilisation, study, progress")
	}
	m.Attendees = archive.CheckNamedText(&p, "attendees", "参会人员", m.Attendees, MaxAttendeesRunes, true)
	m.Minutes = archive.CheckNamedText(&p, "minutes", "会议纪要", m.Minutes, MaxMinutesRunes, false)
	return m, p.Err()
}

// encodeTargets is the targets as stored and logged: canonical JSON.
func encodeTargets(t map[string]int64) string {
	if len(t) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(t) // keys sorted
	return string(b)
}

// EncodeTargets is the targets as the store keeps them: canonical JSON.
func EncodeTargets(t map[string]int64) string { return encodeTargets(t) }

// DecodeTargets reads targets the store kept (EncodeTargets).
func DecodeTargets(s string) (map[string]int64, error) {
	t := map[string]int64{}
	if s == "" {
		return t, nil
	}
	err := json.Unmarshal([]byte(s), &t)
	return t, err
}

func (c Campaign) record() string { return strconv.FormatInt(c.ID, 10) }

// fields are a campaign's values as its events record them.
func (c Campaign) fields() map[string]string {
	return map[string]string{"name": c.Name, "from": c.From, "to": c.To, "targets": encodeTargets(c.Targets)}
}

func (c Campaign) event(typ, actor string, at time.Time, body string, data map[string]string) eventlog.Event {
	return eventlog.Event{Register: Register, RecordID: c.ID, Record: c.record(), Type: typ, Actor: actor, At: at,
		Body: body, Data: data}
}

// Created returns the log's event of a stored campaign (ID assigned).
func (c Campaign) Created() eventlog.Event {
	return c.event(EventCreated, c.CreatedBy, c.CreatedAt, c.Plan, c.fields())
}

// Edited returns the log's event of the change from before to c, made by
// actor at c.UpdatedAt: the fields that changed with their new values, the
// plan as the body when it changed. ok is false when nothing changed.
func (c Campaign) Edited(before Campaign, actor string) (e eventlog.Event, ok bool) {
	data, changed := register.ChangedFields(c.fields(), before.fields(), "name", "from", "to", "targets")
	body := ""
	if c.Plan != before.Plan {
		changed, body = append(changed, "plan"), c.Plan
	}
	if len(changed) == 0 {
		return eventlog.Event{}, false
	}
	data["fields"] = strings.Join(changed, ",")
	return c.event(EventEdited, actor, c.UpdatedAt, body, data), true
}

// MeetingAdded returns the log's event of m (ID assigned) added to c.
func (c Campaign) MeetingAdded(m Meeting) eventlog.Event {
	return c.event(EventMeetingAdded, m.CreatedBy, m.CreatedAt, m.Minutes, map[string]string{
		"meeting": strconv.FormatInt(m.ID, 10), "day": m.Day, "kind": string(m.Kind), "attendees": m.Attendees})
}

// DocumentAdded returns the log's event of d (ID assigned) attached to c:
// its name, type, size and digest, so that the log proves which bytes were
// attached.
func (c Campaign) DocumentAdded(d Document) eventlog.Event {
	return c.event(EventDocumentAdded, d.CreatedBy, d.CreatedAt, "", map[string]string{
		"document": strconv.FormatInt(d.ID, 10), "name": d.Name, "content_type": d.ContentType,
		"size": strconv.FormatInt(d.Size, 10), "sha256": d.SHA256})
}

// Patch is a change to a campaign: nil fields stay as they are. Version is
// the version the writer read, required.
type Patch struct {
	Version *int              `json:"version"`
	Name    *string           `json:"name,omitempty"`
	From    *string           `json:"from,omitempty"`
	To      *string           `json:"to,omitempty"`
	Plan    *string           `json:"plan,omitempty"`
	Targets *map[string]int64 `json:"targets,omitempty"`
}

// Apply returns c with p's fields set.
func (p Patch) Apply(c Campaign) Campaign {
	register.SetIf(&c.Name, p.Name)
	register.SetIf(&c.From, p.From)
	register.SetIf(&c.To, p.To)
	register.SetIf(&c.Plan, p.Plan)
	register.SetIf(&c.Targets, p.Targets)
	return c
}
