// Package dispute is the register of disputes found and mediated
// (矛盾纠纷排查化解台账): a dispute a unit found (排查) on a day, of a kind, in
// a township or village, between parties whose names and phones are
// personal data, with its risk and how it came to light (possibly an item
// of the archive); the mediation steps taken and who took part; and how it
// ended — resolved (化解) with an agreement at village, township or county
// level, referred to a court, arbitration or another agency, or not
// resolved — with follow-up visits after a resolution. A dispute has a time
// limit in working days, as items do, and is overdue while open past it.
// Every change is an event of the one log (eventlog), written with the
// dispute in one transaction.
package dispute

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/register"
)

// Register is the disputes' name in the event log and in reports.
const Register = "disputes"

// Limits on a dispute.
const (
	MaxSummaryRunes   = 5000
	MaxPlaceRunes     = 50
	MaxPartyNameRunes = 50
	MaxParties        = 20
	MaxNotesRunes     = 2000
	MaxAgreementRunes = 5000
	MaxReasonRunes    = 1000
	MaxWhomRunes      = 100
	MaxResultRunes    = 1000
	MaxMediations     = 200
	MaxFollowUps      = 50
	MaxDueDays        = calendar.MaxLimitDays
	// DefaultDueDays is a dispute's time limit unless it says otherwise:
	// about a month of working days, the month a people's mediation is
	// expected to take.
	DefaultDueDays = 20
	dayLayout      = "2006-01-02"
)

// Status is where a dispute stands.
type Status string

// Dispute states.
const (
	StatusFound      Status = "found"      // 已排查
	StatusMediating  Status = "mediating"  // 调解中
	StatusResolved   Status = "resolved"   // 已化解
	StatusReferred   Status = "referred"   // 已移交
	StatusUnresolved Status = "unresolved" // 未化解
)

// Statuses lists every state, in lifecycle order.
var Statuses = []Status{StatusFound, StatusMediating, StatusResolved, StatusReferred, StatusUnresolved}

// Valid reports whether s is a known state.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Open reports whether a dispute in state s is still being worked on: its
// time limit runs.
func (s Status) Open() bool { return s == StatusFound || s == StatusMediating }

// Terminal reports whether nothing more happens to a dispute in state s. A
// resolved dispute is not: it is visited again (follow_up).
func (s Status) Terminal() bool { return s == StatusReferred || s == StatusUnresolved }

// Label is the state's Chinese name.
func (s Status) Label() string {
	return map[Status]string{StatusFound: "已排查", StatusMediating: "调解中", StatusResolved: "已化解",
		StatusReferred: "已移交", StatusUnresolved: "未化解"}[s]
}

// Risk is how likely a dispute is to grow into worse (a case, a group
// incident).
type Risk string

// Risk levels.
const (
	RiskLow    Risk = "low"    // 低
	RiskMedium Risk = "medium" // 中
	RiskHigh   Risk = "high"   // 高
)

// Risks lists the risk levels, lowest first.
var Risks = []Risk{RiskLow, RiskMedium, RiskHigh}

// Source is how a dispute came to light.
type Source string

// Sources of a dispute.
const (
	SourceVisit   Source = "visit"   // 走访排查
	SourceItem    Source = "item"    // 群众诉求（档案中的一件）
	SourceReport  Source = "report"  // 群众反映、报警
	SourceMeeting Source = "meeting" // 会议、座谈
)

// Sources lists how disputes come to light.
var Sources = []Source{SourceVisit, SourceItem, SourceReport, SourceMeeting}

// PartyRole is a party's side in a dispute.
type PartyRole string

// Party roles.
const (
	PartyApplicant  PartyRole = "applicant"  // 申请方
	PartyRespondent PartyRole = "respondent" // 被申请方
	PartyOther      PartyRole = "other"      // 其他当事人
)

// PartyRoles lists the parties' roles.
var PartyRoles = []PartyRole{PartyApplicant, PartyRespondent, PartyOther}

// Party is one party of a dispute. Name and phone are personal data,
// masked as items' contacts (archive.MaskContact) for every reader.
type Party struct {
	Name  string    `json:"name"`
	Phone string    `json:"phone,omitempty"`
	Role  PartyRole `json:"role"`
}

// Participant is who took part in a mediation step.
type Participant string

// Participants of mediation.
const (
	WithPolice     Participant = "police"              // 公安民警
	WithVillage    Participant = "village_committee"   // 村（嘎查）委会
	WithMediation  Participant = "mediation_committee" // 人民调解委员会
	WithLawyer     Participant = "lawyer"              // 律师
	WithOtherParty Participant = "other"               // 其他
)

// Participants lists who may take part in mediation.
var Participants = []Participant{WithPolice, WithVillage, WithMediation, WithLawyer, WithOtherParty}

// Level is where a resolved dispute was resolved; the village level is
// "小事不出村".
type Level string

// Levels of resolution.
const (
	LevelVillage  Level = "village"  // 村（嘎查）级
	LevelTownship Level = "township" // 乡镇（苏木）级
	LevelCounty   Level = "county"   // 旗县级
)

// Levels lists the levels of resolution, nearest first.
var Levels = []Level{LevelVillage, LevelTownship, LevelCounty}

// Referral is where a dispute was handed on.
type Referral string

// Referrals.
const (
	ToCourt       Referral = "court"       // 法院
	ToArbitration Referral = "arbitration" // 仲裁
	ToAgency      Referral = "agency"      // 其他部门
)

// Referrals lists where disputes are handed on.
var Referrals = []Referral{ToCourt, ToArbitration, ToAgency}

// Mediation is one dated step of mediation.
type Mediation struct {
	Day   string        `json:"day"` // YYYY-MM-DD, China time
	With  []Participant `json:"with"`
	Notes string        `json:"notes"`
	Actor string        `json:"actor"`
	At    time.Time     `json:"at"`
}

// FollowUp is a visit to the parties after a resolution.
type FollowUp struct {
	Day    string    `json:"day"`
	Result string    `json:"result"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"at"`
}

// Dispute is one dispute of the register.
type Dispute struct {
	ID int64 `json:"id"`
	// FoundOn is the day the dispute was found, YYYY-MM-DD China time.
	FoundOn string `json:"found_on"`
	// Kind is the code of a dispute kind (package kind).
	Kind     string  `json:"kind"`
	Township string  `json:"township"`
	Village  string  `json:"village,omitempty"`
	Parties  []Party `json:"parties"`
	Risk     Risk    `json:"risk"`
	Source   Source  `json:"source"`
	// Item is the tracking number of the archive's item the dispute came
	// from, if any.
	Item    string `json:"item,omitempty"`
	Unit    string `json:"unit"`
	Branch  string `json:"branch,omitempty"`
	Summary string `json:"summary"`
	Status  Status `json:"status"`
	// DueDays working days from FoundOn is DueAt (the working-day
	// calendar, as items').
	DueDays int       `json:"due_days"`
	DueAt   time.Time `json:"due_at"`
	// Overdue: open past its time limit when read (Shown).
	Overdue    bool        `json:"overdue"`
	Mediations []Mediation `json:"mediations"`
	// ClosedOn is the day the dispute was resolved, referred or found
	// unresolved.
	ClosedOn  string `json:"closed_on,omitempty"`
	Agreement string `json:"agreement,omitempty"`
	Level     Level  `json:"level,omitempty"`
	// ReferredTo and ReferredWhom: where a referred dispute went (the
	// court's or agency's name).
	ReferredTo   Referral   `json:"referred_to,omitempty"`
	ReferredWhom string     `json:"referred_whom,omitempty"`
	Reason       string     `json:"reason,omitempty"`
	FollowUps    []FollowUp `json:"follow_ups"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Version      int        `json:"version"`

	// Campaign is the id of the campaign the dispute belongs to; 0: none.
	Campaign int64 `json:"campaign,omitempty"`

	// Form is the page form the record is created through, if any
	// (archive.FileOnce).
	archive.Form `json:"-"`
}

// Shown returns the dispute as readers see it at now: the parties' names
// and phones masked, times in China time, whether it is overdue, lists
// never null.
func (d Dispute) Shown(now time.Time) Dispute {
	parties := make([]Party, len(d.Parties))
	for i, p := range d.Parties {
		c := archive.MaskContact(archive.Contact{Name: p.Name, Phone: p.Phone})
		parties[i] = Party{Name: c.Name, Phone: c.Phone, Role: p.Role}
	}
	d.Parties = parties
	d.Overdue = d.Status.Open() && !d.DueAt.IsZero() && now.After(d.DueAt)
	d.DueAt, d.CreatedAt, d.UpdatedAt = d.DueAt.In(calendar.Zone), d.CreatedAt.In(calendar.Zone), d.UpdatedAt.In(calendar.Zone)
	d.Mediations = append([]Mediation{}, d.Mediations...)
	for i := range d.Mediations {
		d.Mediations[i].At = d.Mediations[i].At.In(calendar.Zone)
	}
	d.FollowUps = append([]FollowUp{}, d.FollowUps...)
	for i := range d.FollowUps {
		d.FollowUps[i].At = d.FollowUps[i].At.In(calendar.Zone)
	}
	return d
}

// SearchText is what a search by words finds a dispute by: the summary and
// the place, never the parties' names.
func (d Dispute) SearchText() string { return d.Summary + "\n" + d.Township + "\n" + d.Village }

var phonePattern = regexp.MustCompile(archive.PhonePattern)

// Validate checks what staff wrote of a dispute and returns it cleaned.
// kinds are the codes a dispute may name now. That the unit, branch, item
// and campaign exist is the Service's to check. now is the time of writing.
func (d Dispute) Validate(now time.Time, kinds []string) (Dispute, error) {
	var p minyi.Problems
	d.FoundOn = archive.CheckDay(&p, "found_on", "排查日期", d.FoundOn, now)
	d.Kind = strings.TrimSpace(d.Kind)
	if !slices.Contains(kinds, d.Kind) {
		p.Add("kind", "请选择纠纷类型（"+strings.Join(kinds, "、")+"）", "kind must be one of "+strings.Join(kinds, ", "))
	}
	d.Township = archive.CheckNamedText(&p, "township", "乡镇（苏木）", d.Township, MaxPlaceRunes, true)
	d.Village = archive.CheckNamedText(&p, "village", "村（嘎查）", d.Village, MaxPlaceRunes, false)
	d.Summary = archive.CheckNamedText(&p, "summary", "纠纷简要情况", d.Summary, MaxSummaryRunes, true)
	d.Unit = strings.TrimSpace(d.Unit)
	if d.Unit == "" {
		p.Add("unit", "请选择排查单位", "unit is required")
	}
	d.Branch = strings.TrimSpace(d.Branch)
	if !slices.Contains(Risks, d.Risk) {
		p.Add("risk", "请选择风险等级（低、中、高）", "risk must be one of low, medium, high")
	}
	if !slices.Contains(Sources, d.Source) {
		p.Add("source", "请选择发现途径（走访、诉求、群众反映、会议）", "source must be one of visit, item, report, meeting")
	}
	d.Item = strings.TrimSpace(d.Item)
	if d.Source == SourceItem && d.Item == "" {
		p.Add("item", "来自群众诉求的纠纷须填写诉求编号", "item is required when the source is an item")
	}
	d.Parties = checkParties(&p, d.Parties)
	switch {
	case d.DueDays == 0:
		d.DueDays = DefaultDueDays
	case d.DueDays < 1 || d.DueDays > MaxDueDays:
		p.Add("due_days", "化解时限须在1到"+itoa(MaxDueDays)+"个工作日之间", "due_days must be between 1 and "+itoa(MaxDueDays)+" working days")
	}
	if d.ClosedOn != "" && d.FoundOn > d.ClosedOn {
		p.Add("found_on", "排查日期不能晚于办结日期", "found_on cannot be after closed_on")
	}
	if len(d.Mediations) > 0 && d.FoundOn > d.Mediations[0].Day {
		p.Add("found_on", "排查日期不能晚于第一次调解", "found_on cannot be after the first mediation")
	}
	return d, p.Err()
}

// checkParties checks the parties, each problem named parties[i].<field>;
// a dispute has at least one party.
func checkParties(p *minyi.Problems, parties []Party) []Party {
	switch {
	case len(parties) == 0:
		p.Add("parties", "请填写至少一方当事人", "parties: at least one party is required")
		return []Party{}
	case len(parties) > MaxParties:
		p.Add("parties", "当事人最多"+itoa(MaxParties)+"方", "parties: at most "+itoa(MaxParties))
		return parties
	}
	out := make([]Party, len(parties))
	for i, x := range parties {
		f := "parties[" + itoa(i) + "]."
		x.Name = archive.CheckNamedText(p, f+"name", "当事人姓名", x.Name, MaxPartyNameRunes, true)
		x.Phone = strings.TrimSpace(x.Phone)
		if x.Phone != "" && (len(x.Phone) > archive.MaxPhoneRunes || !phonePattern.MatchString(x.Phone)) {
			p.Add(f+"phone", "当事人电话号码格式不正确", f+"phone is not a phone number")
		}
		if x.Role == "" {
			x.Role = PartyOther
		}
		if !slices.Contains(PartyRoles, x.Role) {
			p.Add(f+"role", "当事人身份须为申请方、被申请方或其他", f+"role must be applicant, respondent or other")
		}
		out[i] = x
	}
	return out
}

func (d Dispute) record() string { return strconv.FormatInt(d.ID, 10) }

// fields are a dispute's values as its events record them: never the
// parties' names or phones (personal data stays out of the log), only how
// many there are.
func (d Dispute) fields() map[string]string {
	campaign := ""
	if d.Campaign != 0 {
		campaign = strconv.FormatInt(d.Campaign, 10)
	}
	return map[string]string{"found_on": d.FoundOn, "kind": d.Kind, "township": d.Township, "village": d.Village,
		"parties": itoa(len(d.Parties)), "risk": string(d.Risk), "source": string(d.Source), "item": d.Item,
		"unit": d.Unit, "branch": d.Branch, "due_days": itoa(d.DueDays), "campaign": campaign}
}

// editable are the fields an edit's event names, in order.
var editable = []string{"found_on", "kind", "township", "village", "parties", "risk", "source", "item", "branch", "due_days", "campaign"}

// Created returns the log's event of a stored dispute (ID assigned).
func (d Dispute) Created() eventlog.Event {
	data := map[string]string{}
	for k, v := range d.fields() {
		if v != "" {
			data[k] = v
		}
	}
	return eventlog.Event{Register: Register, RecordID: d.ID, Record: d.record(), Type: EventCreated,
		Actor: d.CreatedBy, At: d.CreatedAt, To: string(StatusFound), Body: d.Summary, Data: data}
}

// Edited returns the log's event of the change from before to d, made by
// actor at d.UpdatedAt; ok is false when nothing changed. A change of the
// parties is named (parties) though its content is not logged.
func (d Dispute) Edited(before Dispute, actor string) (e eventlog.Event, ok bool) {
	data, changed := register.ChangedFields(d.fields(), before.fields(), editable...)
	if !slices.Contains(changed, "parties") && !slices.Equal(d.Parties, before.Parties) {
		changed = append(changed, "parties")
		data["parties"] = itoa(len(d.Parties))
	}
	body := ""
	if d.Summary != before.Summary {
		changed, body = append(changed, "summary"), d.Summary
	}
	if len(changed) == 0 {
		return eventlog.Event{}, false
	}
	data["fields"] = strings.Join(changed, ",")
	return eventlog.Event{Register: Register, RecordID: d.ID, Record: d.record(), Type: EventEdited,
		Actor: actor, At: d.UpdatedAt, From: string(d.Status), To: string(d.Status), Body: body, Data: data}, true
}

// Patch is a change to a dispute: nil fields stay as they are. Version is
// the version the writer read, required. The unit stays: a dispute found
// by one unit is not moved to another's register.
type Patch struct {
	Version  *int     `json:"version"`
	FoundOn  *string  `json:"found_on,omitempty"`
	Kind     *string  `json:"kind,omitempty"`
	Township *string  `json:"township,omitempty"`
	Village  *string  `json:"village,omitempty"`
	Parties  *[]Party `json:"parties,omitempty"`
	Risk     *Risk    `json:"risk,omitempty"`
	Source   *Source  `json:"source,omitempty"`
	Item     *string  `json:"item,omitempty"`
	Branch   *string  `json:"branch,omitempty"`
	Summary  *string  `json:"summary,omitempty"`
	DueDays  *int     `json:"due_days,omitempty"`
	// Campaign moves the dispute into a campaign; 0 takes it out of one.
	Campaign *int64 `json:"campaign,omitempty"`
	// AddParties are parties appended after the stored ones (or after
	// Parties, when both are set). The staff pages add a party with it: they
	// show the parties masked, so they cannot send the whole list back as
	// Parties would need, and reading them in full for that would record a
	// reveal nobody asked for.
	AddParties []Party `json:"-"`
}

// Apply returns d with p's fields set.
func (p Patch) Apply(d Dispute) Dispute {
	register.SetIf(&d.FoundOn, p.FoundOn)
	register.SetIf(&d.Kind, p.Kind)
	register.SetIf(&d.Township, p.Township)
	register.SetIf(&d.Village, p.Village)
	register.SetIf(&d.Parties, p.Parties)
	if len(p.AddParties) > 0 {
		d.Parties = append(slices.Clip(d.Parties), p.AddParties...)
	}
	register.SetIf(&d.Risk, p.Risk)
	register.SetIf(&d.Source, p.Source)
	register.SetIf(&d.Item, p.Item)
	register.SetIf(&d.Branch, p.Branch)
	register.SetIf(&d.Summary, p.Summary)
	register.SetIf(&d.DueDays, p.DueDays)
	register.SetIf(&d.Campaign, p.Campaign)
	return d
}

func itoa(n int) string { return strconv.Itoa(n) }
