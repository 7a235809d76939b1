// Package matter is the register of practical matters (實事台賬): what the
// bureau did for citizens, led by a named officer of a unit and a party
// branch, for a beneficiary, answering opinions filed as items. A matter is
// planned, started, followed by dated progress entries and completed with
// an outcome story and counted outcomes (or dropped, with the reason);
// every change is an event of the one log (eventlog), written with the
// matter in one transaction.
package matter

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/outcome"
	"minyi/register"
)

// Register is the matters' name in the event log and in reports.
const Register = "matters"

// Limits on a matter.
const (
	MaxTitleRunes        = 100
	MaxDescriptionRunes  = 5000
	MaxStoryRunes        = 10000
	MaxProgressRunes     = 2000
	MaxReasonRunes       = 500
	MaxParticipants      = 100
	MaxItems             = 50
	MaxBeneficiaryRunes  = 100
	MaxDueDays           = calendar.MaxLimitDays
	MaxOutcome           = 1_000_000_000 // a billion yuan is no matter of a police station
	MaxProgressEntries   = 500
	dayLayout            = "2006-01-02"
	fieldOutcomes        = "outcomes"
	fieldBeneficiaryKind = "beneficiary.kind"
)

// MaxPhotos is how many photos a progress entry or the outcome story may
// carry, sent with the action that writes it: as many as an item's.
const MaxPhotos = archive.MaxPhotos

// Status is where a matter stands.
type Status string

// Matter states.
const (
	StatusPlanned    Status = "planned"     // 已計劃
	StatusInProgress Status = "in_progress" // 辦理中
	StatusDone       Status = "done"        // 已辦結
	StatusDropped    Status = "dropped"     // 已終止
)

// Statuses lists every state, in lifecycle order.
var Statuses = []Status{StatusPlanned, StatusInProgress, StatusDone, StatusDropped}

// Valid reports whether s is a known state.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// Terminal reports whether nothing more happens to a matter in state s.
func (s Status) Terminal() bool { return s == StatusDone || s == StatusDropped }

// Label is the state's Chinese name.
func (s Status) Label() string {
	return map[Status]string{StatusPlanned: "已计划", StatusInProgress: "办理中", StatusDone: "已办结", StatusDropped: "已终止"}[s]
}

// BeneficiaryKind says who a matter was done for.
type BeneficiaryKind string

// Kinds of beneficiary.
const (
	BeneficiaryPerson    BeneficiaryKind = "person"    // 個人
	BeneficiaryHousehold BeneficiaryKind = "household" // 戶
	BeneficiaryVillage   BeneficiaryKind = "village"   // 村（嘎查）
	BeneficiaryGroup     BeneficiaryKind = "group"     // 群體
)

// Personal reports whether the beneficiary is a person or a household, whose
// name, phone and ID number are personal data.
func (k BeneficiaryKind) Personal() bool { return k == BeneficiaryPerson || k == BeneficiaryHousehold }

// Beneficiary is who a matter was done for. A person's or household's
// contact is personal data, masked like an item's (archive.MaskContact)
// for every reader.
type Beneficiary struct {
	Kind     BeneficiaryKind `json:"kind"`
	Name     string          `json:"name,omitempty"`
	Phone    string          `json:"phone,omitempty"`
	IDNumber string          `json:"id_number,omitempty"`
	// Place is the township or village, e.g. 巴彥塔拉鎮東村.
	Place string `json:"place,omitempty"`
}

// Masked returns the beneficiary with its personal data masked as items'
// contacts are; a village or group is named, not masked.
func (b Beneficiary) Masked() Beneficiary {
	if !b.Kind.Personal() {
		return b
	}
	c := archive.MaskContact(archive.Contact{Name: b.Name, Phone: b.Phone, IDNumber: b.IDNumber})
	b.Name, b.Phone, b.IDNumber = c.Name, c.Phone, c.IDNumber
	return b
}

// Progress is one dated entry of a matter's progress, with the photos
// sent with it.
type Progress struct {
	Day    string              `json:"day"` // YYYY-MM-DD, China time
	Text   string              `json:"text"`
	Actor  string              `json:"actor"`
	At     time.Time           `json:"at"`
	Photos []archive.PhotoInfo `json:"photos"`
}

// DefaultOutcomeKeys are the codes of the counted outcomes a matter may
// report until a bureau configures its own (Service.Outcomes).
var DefaultOutcomeKeys = outcome.Codes(outcome.Defaults)

// Matter is one practical matter of the ledger.
type Matter struct {
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Unit        string `json:"unit"`
	// Branch is the party branch's code; optional.
	Branch string `json:"branch,omitempty"`
	// Lead is the user name of the officer who claimed the matter (領辦人); optional.
	Lead         string        `json:"lead,omitempty"`
	Participants []string      `json:"participants"`
	Beneficiary  Beneficiary   `json:"beneficiary"`
	Class        archive.Class `json:"class"`
	// Items are the tracking numbers of the opinions the matter answers.
	Items  []string `json:"items"`
	Status Status   `json:"status"`
	// OpenedOn is the day the matter was taken on; DueDays working days
	// from it is DueAt (the working-day calendar, as items').
	OpenedOn   string           `json:"opened_on"`
	DueDays    int              `json:"due_days"`
	DueAt      time.Time        `json:"due_at"`
	DoneOn     string           `json:"done_on,omitempty"`
	DropReason string           `json:"drop_reason,omitempty"`
	Progress   []Progress       `json:"progress"`
	Story      string           `json:"story,omitempty"`
	Outcomes   map[string]int64 `json:"outcomes,omitempty"`
	Published  bool             `json:"published"`
	// BeneficiaryConsent: the beneficiary agreed to be named in public.
	BeneficiaryConsent bool      `json:"beneficiary_consent"`
	CreatedBy          string    `json:"created_by"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	Version            int       `json:"version"`

	// Campaign is the id of the campaign the matter belongs to; 0: none.
	Campaign int64 `json:"campaign,omitempty"`
	// StoryPhotos are the photos of the outcome story, sent with complete.
	StoryPhotos []archive.PhotoInfo `json:"story_photos"`
	// NewPhotos are the photos the change being stored adds (Service.Act),
	// for the store to write in its transaction; never read back.
	NewPhotos []archive.NewPhoto `json:"-"`

	// Form is the page form the record is created through, if any
	// (archive.FileOnce).
	archive.Form `json:"-"`
}

// PhotosPublic reports whether the matter's photos may be shown to anybody
// (the citizens' accountability page, GET /matters/{id}/photos/{photo}):
// the matter is published and its beneficiary is a village or group, or
// the person or household consented to be shown. Staff choose the photos
// of a matter knowing that a published one shows them.
func (m Matter) PhotosPublic() bool {
	return m.Published && (!m.Beneficiary.Kind.Personal() || m.BeneficiaryConsent)
}

// Masked returns the matter as readers see it: the beneficiary's personal
// data masked.
func (m Matter) Masked() Matter {
	m.Beneficiary = m.Beneficiary.Masked()
	m.DueAt, m.CreatedAt, m.UpdatedAt = m.DueAt.In(calendar.Zone), m.CreatedAt.In(calendar.Zone), m.UpdatedAt.In(calendar.Zone)
	m.Progress = append([]Progress{}, m.Progress...)
	for i := range m.Progress {
		m.Progress[i].At = m.Progress[i].At.In(calendar.Zone)
		m.Progress[i].Photos = nonNil(m.Progress[i].Photos)
	}
	m.StoryPhotos, m.NewPhotos = nonNil(m.StoryPhotos), nil
	if m.Participants == nil {
		m.Participants = []string{}
	}
	if m.Items == nil {
		m.Items = []string{}
	}
	return m
}

// nonNil is photos, or an empty list: the answer's lists are never null.
func nonNil(photos []archive.PhotoInfo) []archive.PhotoInfo {
	if photos == nil {
		return []archive.PhotoInfo{}
	}
	return photos
}

// ClassDueDays is how many working days a matter of each concern class has
// unless it says otherwise: the items' class limits (archive.ClassLimits),
// at least one day, since a matter is more than an answer.
func ClassDueDays(c archive.Class) int {
	if l, ok := archive.ClassLimits[c]; ok && l.Unit == calendar.WorkingDays && l.Amount > 0 {
		return l.Amount
	}
	return 1
}

// validClass reports whether c is one of the four concern classes.
func validClass(c archive.Class) bool {
	_, ok := archive.ClassLimits[c]
	return ok
}

// checkText trims s and records a problem naming the field when it is
// required and empty, too long, or holds control characters.
func checkText(p *minyi.Problems, field, zh, s string, max int, required bool) string {
	if !utf8.ValidString(s) {
		p.Add(field, zh+"含有无效的字符编码", field+" must be valid UTF-8")
		return ""
	}
	for _, r := range s {
		if (unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r') || r == '\u2028' || r == '\u2029' {
			p.Add(field, zh+"含有不允许的控制字符", field+" must not contain control characters")
			return ""
		}
	}
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		p.Add(field, "请填写"+zh, field+" is required")
	case n > max:
		p.Add(field, zh+"不能超过"+itoa(max)+"字", field+" must be at most "+itoa(max)+" characters")
	}
	return s
}

// Validate checks what staff wrote of a matter and returns it cleaned. That
// the unit, branch, people and items exist is the Service's to check, and
// so is the due time. now is the time of writing.
func (m Matter) Validate(now time.Time) (Matter, error) {
	var p minyi.Problems
	m.Title = checkText(&p, "title", "标题", m.Title, MaxTitleRunes, true)
	m.Description = checkText(&p, "description", "内容", m.Description, MaxDescriptionRunes, false)
	m.Unit = strings.TrimSpace(m.Unit)
	if m.Unit == "" {
		p.Add("unit", "请选择责任单位", "unit is required")
	}
	m.Branch = strings.TrimSpace(m.Branch)
	m.Lead = strings.TrimSpace(m.Lead)
	if len(m.Participants) > MaxParticipants {
		p.Add("participants", "参与人员最多"+itoa(MaxParticipants)+"人", "participants: at most "+itoa(MaxParticipants))
	}
	if len(m.Items) > MaxItems {
		p.Add("items", "关联的群众意见最多"+itoa(MaxItems)+"件", "items: at most "+itoa(MaxItems))
	}
	// Counted before duplicates are dropped: a list over the limit is
	// refused whatever it repeats.
	m.Participants, m.Items = register.Names(m.Participants), register.Names(m.Items)
	m.Beneficiary = checkBeneficiary(&p, m.Beneficiary)
	if !validClass(m.Class) {
		p.Add("class", "请选择诉求类别（烦心事、忧心事、操心事、揪心事）", "class must be one of urgent, hard, worrying, hopeful")
	}
	m.OpenedOn = archive.CheckDay(&p, "opened_on", "立项日期", m.OpenedOn, now)
	switch {
	case m.DueDays == 0:
		m.DueDays = ClassDueDays(m.Class) // an unknown class is refused above
	case m.DueDays < 1 || m.DueDays > MaxDueDays:
		p.Add("due_days", "办理时限须在1到"+itoa(MaxDueDays)+"个工作日之间", "due_days must be between 1 and "+itoa(MaxDueDays)+" working days")
	}
	return m, p.Err()
}

func checkBeneficiary(p *minyi.Problems, b Beneficiary) Beneficiary {
	if b == (Beneficiary{}) {
		p.Add("beneficiary", "请填写受益对象", "beneficiary is required")
		return b
	}
	switch b.Kind {
	case BeneficiaryPerson, BeneficiaryHousehold, BeneficiaryVillage, BeneficiaryGroup:
	default:
		p.Add(fieldBeneficiaryKind, "请选择受益对象类型（个人、家庭、村、群体）", "beneficiary.kind must be one of person, household, village, group")
	}
	b.Name = checkText(p, "beneficiary.name", "受益对象名称", b.Name, MaxBeneficiaryRunes, false)
	b.Place = checkText(p, "beneficiary.place", "受益对象所在地", b.Place, MaxBeneficiaryRunes, false)
	b.Phone = strings.TrimSpace(b.Phone)
	if b.Phone != "" && (len(b.Phone) > archive.MaxPhoneRunes || !phonePattern.MatchString(b.Phone)) {
		p.Add("beneficiary.phone", "受益对象电话号码格式不正确", "beneficiary.phone is not a phone number")
	}
	b.IDNumber = strings.ToUpper(strings.TrimSpace(b.IDNumber))
	if b.IDNumber != "" && !archive.ValidIDNumber(b.IDNumber) {
		p.Add("beneficiary.id_number", "受益对象身份证号码不正确", "beneficiary.id_number is not a valid ID number")
	}
	if (b.Kind == BeneficiaryVillage || b.Kind == BeneficiaryGroup) && (b.Phone != "" || b.IDNumber != "") {
		p.Add("beneficiary.kind", "村或群体不能填写电话或身份证号", "a village or group has no phone or ID number")
	}
	return b
}

var phonePattern = regexp.MustCompile(archive.PhonePattern)

// CheckOutcomes checks counted outcomes: known keys, non-negative integers
// of a sane size.
func CheckOutcomes(p *minyi.Problems, outcomes map[string]int64, keys []string) map[string]int64 {
	known := map[string]bool{}
	for _, k := range keys {
		known[k] = true
	}
	out := map[string]int64{}
	for _, k := range sortedKeys(outcomes) {
		v := outcomes[k]
		switch {
		case !known[k]:
			p.Add(fieldOutcomes+"."+k, "未知的成效指标："+k+"（可用："+strings.Join(keys, "、")+"）",
				"unknown outcome "+k+" (known: "+strings.Join(keys, ", ")+")")
		case v < 0 || v > MaxOutcome:
			p.Add(fieldOutcomes+"."+k, "成效数量须为0到"+strconv.Itoa(MaxOutcome)+"之间的整数",
				"outcome "+k+" must be an integer between 0 and "+strconv.Itoa(MaxOutcome))
		case v > 0:
			out[k] = v
		}
	}
	return out
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// encodeOutcomes is the outcomes as the log keeps them: canonical JSON.
func encodeOutcomes(o map[string]int64) string {
	if len(o) == 0 {
		return ""
	}
	b, _ := json.Marshal(o) // keys sorted
	return string(b)
}

func decodeOutcomes(s string) map[string]int64 {
	if s == "" {
		return nil
	}
	var o map[string]int64
	_ = json.Unmarshal([]byte(s), &o) // written by encodeOutcomes
	return o
}

// record is the matter's number as people cite it in the log.
func (m Matter) record() string { return strconv.FormatInt(m.ID, 10) }

// Created returns the log's event of a stored matter (ID assigned).
func (m Matter) Created() eventlog.Event {
	data := map[string]string{"title": m.Title, "unit": m.Unit, "class": string(m.Class),
		"opened_on": m.OpenedOn, "due_days": itoa(m.DueDays), "beneficiary_kind": string(m.Beneficiary.Kind),
		"published": strconv.FormatBool(m.Published), "beneficiary_consent": strconv.FormatBool(m.BeneficiaryConsent)}
	if m.Campaign != 0 {
		data["campaign"] = strconv.FormatInt(m.Campaign, 10)
	}
	for k, v := range map[string]string{"branch": m.Branch, "lead": m.Lead,
		"participants": strings.Join(m.Participants, ","), "items": strings.Join(m.Items, ",")} {
		if v != "" {
			data[k] = v
		}
	}
	return eventlog.Event{Register: Register, RecordID: m.ID, Record: m.record(), Type: EventCreated,
		Actor: m.CreatedBy, At: m.CreatedAt, To: string(StatusPlanned), Body: m.Description, Data: data}
}

func itoa(n int) string { return strconv.Itoa(n) }
