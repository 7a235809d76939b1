// Package onestop is the register of one-stop services and cases (一件事一次办):
// admins define a service (Definition) as a sequence of steps, each owned by
// a unit — the bureau's own or a partner agency's such as the government
// service centre (政务服务中心) — with the checklist of materials it collects
// and its time limit in working days; a case is opened for an applicant and
// moves from step to step, each hand-off an event naming the units it passes
// between, until the last step's unit completes it (the applicant is sent an
// SMS) or it is cancelled.
//
// A case keeps the steps its service had when it was opened (they are copied
// into the case, with what each step received and its due time), so an admin
// who edits a service changes the cases opened afterwards, never the open
// ones.
//
// Who acts on a step and who sees a case are org's rules of cross-agency
// work (org.User.CanActForUnit, org.User.CanSeeCrossAgency): partners, who
// only read elsewhere, do the work of their own unit's steps here.
package onestop

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
	"minyi/org"
	"minyi/register"
)

// Register is the cases' name in the event log and in reports.
const Register = "cases"

// ServicesRegister is the services' name in the event log.
const ServicesRegister = "services"

// Limits on a service and a case.
const (
	MaxNameRunes        = 100
	MaxDescriptionRunes = 2000
	MaxSteps            = 20
	MaxMaterials        = 30
	MaxMaterialRunes    = 60
	MaxLimitDays        = 60
	MaxApplicantRunes   = 50
	MaxNoteRunes        = 2000
	MaxReasonRunes      = 500
	dayLayout           = "2006-01-02"
)

// Step is one step of a service: what it is called, the unit that does it,
// the materials it collects (its checklist) and its time limit.
type Step struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
	// Materials is the checklist of what the step collects from the
	// applicant, e.g. 出生医学证明; a step may collect nothing.
	Materials []string `json:"materials"`
	// LimitDays is the step's time limit in working days (calendar).
	LimitDays int `json:"limit_days"`
}

// Definition is a one-stop service as admins define it (政务服务事项).
type Definition struct {
	ID int64 `json:"id"`
	// Code names the service in figures (done.<code>) and links.
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Active      bool      `json:"active"`
	Steps       []Step    `json:"steps"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`

	// Form is the page form the service is created through (archive.FileOnce).
	archive.Form `json:"-"`
}

// Shown returns the service as answers show it.
func (d Definition) Shown() Definition {
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.In(calendar.Zone), d.UpdatedAt.In(calendar.Zone)
	if d.Steps == nil {
		d.Steps = []Step{}
	}
	for i := range d.Steps {
		if d.Steps[i].Materials == nil {
			d.Steps[i].Materials = []string{}
		}
	}
	return d
}

// Units are the units of the service's steps, in order, each once.
func (d Definition) Units() []string { return stepUnits(d.Steps) }

func stepUnits(steps []Step) []string {
	out := []string{}
	for _, s := range steps {
		if !slices.Contains(out, s.Unit) {
			out = append(out, s.Unit)
		}
	}
	return out
}

// Validate checks a service as an admin wrote it and returns it cleaned.
// That the steps' units exist is the Service's to check.
func (d Definition) Validate() (Definition, error) {
	var p minyi.Problems
	d.Code = strings.TrimSpace(d.Code)
	if !org.ValidCode(d.Code) {
		p.Add("code", "服务代码须为1–40位小写字母、数字、-或_", "code must be 1–40 lower-case letters, digits, - or _")
	}
	d.Name = archive.CheckNamedText(&p, "name", "服务名称", d.Name, MaxNameRunes, true)
	d.Description = archive.CheckNamedText(&p, "description", "服务说明", d.Description, MaxDescriptionRunes, false)
	switch {
	case len(d.Steps) == 0:
		p.Add("steps", "请至少设置一个办理环节", "steps: a service has at least one step")
	case len(d.Steps) > MaxSteps:
		p.Add("steps", "办理环节最多"+itoa(MaxSteps)+"个", "steps: at most "+itoa(MaxSteps))
	}
	for i := range d.Steps {
		d.Steps[i] = checkStep(&p, i, d.Steps[i])
	}
	return d, p.Err()
}

// checkStep checks the i-th step (fields named steps[i].name, …).
func checkStep(p *minyi.Problems, i int, s Step) Step {
	f := "steps[" + itoa(i) + "]."
	n := "第" + itoa(i+1) + "环节"
	s.Name = archive.CheckNamedText(p, f+"name", n+"名称", s.Name, MaxNameRunes, true)
	s.Unit = strings.TrimSpace(s.Unit)
	if s.Unit == "" {
		p.Add(f+"unit", "请选择"+n+"的办理单位", f+"unit is required")
	}
	if len(s.Materials) > MaxMaterials {
		p.Add(f+"materials", n+"材料清单最多"+itoa(MaxMaterials)+"项", f+"materials: at most "+itoa(MaxMaterials))
	}
	materials := []string{}
	for _, m := range s.Materials {
		m = archive.CheckNamedText(p, f+"materials", n+"材料名称", m, MaxMaterialRunes, true)
		if m != "" && !slices.Contains(materials, m) {
			materials = append(materials, m)
		}
	}
	s.Materials = materials
	if s.LimitDays < 1 || s.LimitDays > MaxLimitDays {
		p.Add(f+"limit_days", n+"办理时限须为1到"+itoa(MaxLimitDays)+"个工作日", f+"limit_days must be 1 to "+itoa(MaxLimitDays)+" working days")
	}
	return s
}

func (d Definition) record() string { return d.Code }

// fields are a service's values as its events record them.
func (d Definition) fields() map[string]string {
	steps := make([]string, len(d.Steps))
	for i, s := range d.Steps {
		steps[i] = s.Name + "@" + s.Unit + "/" + itoa(s.LimitDays) + "d[" + strings.Join(s.Materials, "、") + "]"
	}
	return map[string]string{"code": d.Code, "name": d.Name, "active": strconv.FormatBool(d.Active),
		"steps": strings.Join(steps, " → ")}
}

// Service event types.
const (
	EventDefined   = "defined"
	EventRedefined = "redefined"
)

// Defined returns the log's event of a stored service (ID assigned).
func (d Definition) Defined() eventlog.Event {
	return eventlog.Event{Register: ServicesRegister, RecordID: d.ID, Record: d.record(), Type: EventDefined,
		Actor: d.CreatedBy, At: d.CreatedAt, Body: d.Description, Data: d.fields()}
}

// Redefined returns the log's event of the change from before to d by
// actor at d.UpdatedAt; ok is false when nothing changed.
func (d Definition) Redefined(before Definition, actor string) (e eventlog.Event, ok bool) {
	data, changed := register.ChangedFields(d.fields(), before.fields(), "code", "name", "active", "steps")
	body := ""
	if d.Description != before.Description {
		changed, body = append(changed, "description"), d.Description
	}
	if len(changed) == 0 {
		return eventlog.Event{}, false
	}
	data["fields"] = strings.Join(changed, ",")
	return eventlog.Event{Register: ServicesRegister, RecordID: d.ID, Record: d.record(), Type: EventRedefined,
		Actor: actor, At: d.UpdatedAt, Body: body, Data: data}, true
}

// DefinitionPatch is a change to a service: nil fields stay as they are;
// Steps replaces the whole list. Version is the version the admin read.
type DefinitionPatch struct {
	Version     *int    `json:"version"`
	Code        *string `json:"code,omitempty"`
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Active      *bool   `json:"active,omitempty"`
	Steps       *[]Step `json:"steps,omitempty"`
}

// Apply returns d with p's fields set.
func (p DefinitionPatch) Apply(d Definition) Definition {
	register.SetIf(&d.Code, p.Code)
	register.SetIf(&d.Name, p.Name)
	register.SetIf(&d.Description, p.Description)
	register.SetIf(&d.Active, p.Active)
	if p.Steps != nil {
		d.Steps = slices.Clone(*p.Steps)
	}
	return d
}

// Status is where a case stands.
type Status string

// Case states.
const (
	StatusOpen      Status = "open"      // 办理中
	StatusDone      Status = "done"      // 已办结
	StatusCancelled Status = "cancelled" // 已撤销
)

// Statuses lists every state, in lifecycle order.
var Statuses = []Status{StatusOpen, StatusDone, StatusCancelled}

// Valid reports whether s is a known state.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Terminal reports whether nothing more happens to a case in state s.
func (s Status) Terminal() bool { return s == StatusDone || s == StatusCancelled }

// Label is the state's Chinese name.
func (s Status) Label() string {
	return map[Status]string{StatusOpen: "办理中", StatusDone: "已办结", StatusCancelled: "已撤销"}[s]
}

// Green is how an elderly applicant is served through the green channel
// (老年人绿色通道); empty: not through it.
type Green string

// Green channel kinds.
const (
	GreenNone      Green = ""
	GreenHomeVisit Green = "home_visit" // 上门服务
	GreenPriority  Green = "priority"   // 优先办理
)

// Greens lists the green channel's kinds.
var Greens = []Green{GreenHomeVisit, GreenPriority}

// Valid reports whether g is a kind of the green channel or none.
func (g Green) Valid() bool { return g == GreenNone || slices.Contains(Greens, g) }

// Applicant is who a case is opened for. Their name, phone and ID number
// are personal data, masked as items' contacts are (archive.MaskContact)
// for readers without need to know.
type Applicant struct {
	Name     string `json:"name"`
	Phone    string `json:"phone,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
}

// Masked returns the applicant with their personal data masked.
func (a Applicant) Masked() Applicant {
	c := archive.MaskContact(archive.Contact{Name: a.Name, Phone: a.Phone, IDNumber: a.IDNumber})
	return Applicant{Name: c.Name, Phone: c.Phone, IDNumber: c.IDNumber}
}

// CaseStep is one step of a case: the service's step as it was when the
// case was opened, what it has received, when it started, when it is due
// and who finished it.
type CaseStep struct {
	Step
	// Received lists the materials of the checklist received so far.
	Received   []string  `json:"received"`
	StartedAt  time.Time `json:"started_at,omitzero"`
	DueAt      time.Time `json:"due_at,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	FinishedBy string    `json:"finished_by,omitempty"`
}

// Missing returns the materials of the checklist not yet received.
func (s CaseStep) Missing() []string {
	out := []string{}
	for _, m := range s.Materials {
		if !slices.Contains(s.Received, m) {
			out = append(out, m)
		}
	}
	return out
}

// Case is one one-stop case.
type Case struct {
	ID          int64  `json:"id"`
	Service     int64  `json:"service"`
	ServiceCode string `json:"service_code"`
	ServiceName string `json:"service_name"`
	// Unit is the unit that opened the case: its first step's. The case's
	// figures count for it.
	Unit      string    `json:"unit"`
	Applicant Applicant `json:"applicant"`
	// Masked says that the applicant's personal data are masked for the
	// reader.
	Masked bool   `json:"masked"`
	Status Status `json:"status"`
	// Step is the position of the current step in Steps, from 0.
	Step  int        `json:"step"`
	Steps []CaseStep `json:"steps"`
	// Proxy is the user name of the officer handling the case for the
	// applicant (帮办代办); empty when the applicant handles it.
	Proxy string `json:"proxy,omitempty"`
	Green Green  `json:"green,omitempty"`
	// Late says that a step was finished after its due time.
	Late bool `json:"late"`
	// Overdue says that the case is open past its current step's due time
	// (at the time it was read).
	Overdue      bool      `json:"overdue"`
	OpenedOn     string    `json:"opened_on"`
	DoneOn       string    `json:"done_on,omitempty"`
	CancelledOn  string    `json:"cancelled_on,omitempty"`
	CancelReason string    `json:"cancel_reason,omitempty"`
	Note         string    `json:"note,omitempty"`
	CreatedBy    string    `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int       `json:"version"`

	// Form is the page form the case is opened through (archive.FileOnce).
	archive.Form `json:"-"`
}

// Brief is c with only what a row of the one-stop ledger shows (web/core's
// CasesExport) and what Shown needs to show it (the current step's due
// time for Overdue, its unit for the masking): its id, its service's
// name, its unit, the applicant's name and phone, its status, proxy and
// green channel, the days opened, done and cancelled and the reason,
// Overdue and Masked as Shown set them, and of its steps the current
// one's name, unit and due time alone, those before it left zero. A year of cases read for the ledgers' workbook
// (Filter.Brief) reads each with its current step by one join, not every
// step with its checklists decoded from JSON.
func (c Case) Brief() Case {
	b := Case{ID: c.ID, ServiceName: c.ServiceName, Unit: c.Unit, Applicant: Applicant{Name: c.Applicant.Name, Phone: c.Applicant.Phone},
		Masked: c.Masked, Status: c.Status, Step: c.Step, Proxy: c.Proxy, Green: c.Green, Overdue: c.Overdue, OpenedOn: c.OpenedOn,
		DoneOn: c.DoneOn, CancelledOn: c.CancelledOn, CancelReason: c.CancelReason}
	if c.Step >= 0 && c.Step < len(c.Steps) {
		cur := c.Steps[c.Step]
		b.Steps = make([]CaseStep, c.Step+1)
		b.Steps[c.Step] = CaseStep{Step: Step{Name: cur.Name, Unit: cur.Unit}, DueAt: cur.DueAt}
	}
	return b
}

// Current returns the case's current step.
func (c Case) Current() CaseStep {
	if c.Step < 0 || c.Step >= len(c.Steps) {
		return CaseStep{}
	}
	return c.Steps[c.Step]
}

// StepUnit is the unit of the current step; empty once the case is closed.
func (c Case) StepUnit() string {
	if c.Status != StatusOpen {
		return ""
	}
	return c.Current().Unit
}

// StepDue is the current step's due time; zero once the case is closed.
func (c Case) StepDue() time.Time {
	if c.Status != StatusOpen {
		return time.Time{}
	}
	return c.Current().DueAt
}

// Units are the units of the case's steps, each once: who sees the case
// (org.User.CanSeeCrossAgency).
func (c Case) Units() []string {
	steps := make([]Step, len(c.Steps))
	for i, s := range c.Steps {
		steps[i] = s.Step
	}
	return stepUnits(steps)
}

// Last reports whether the current step is the case's last.
func (c Case) Last() bool { return c.Step == len(c.Steps)-1 }

// NeedsToKnow reports whether u needs the applicant's personal data: the
// current step's own unit (partners included) — while the case is open, and
// once it is closed the unit of the step it was closed at (the last step's
// unit, which completed it, or the one it was cancelled at), who phones the
// applicant back when they ask about it — and the officer handling it for
// the applicant. Leaders and admins, who may act on any step, see them
// masked like every other reader.
func (c Case) NeedsToKnow(u org.User) bool {
	if u.Disabled {
		return false
	}
	if c.Proxy != "" && u.Name == c.Proxy {
		return true
	}
	return u.UnitCode != "" && u.UnitCode == c.Current().Unit
}

// Shown returns the case as u is shown it at now: times in China time,
// lists never null, overdue computed, the applicant masked unless u needs
// to know.
func (c Case) Shown(u org.User, now time.Time) Case {
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.In(calendar.Zone), c.UpdatedAt.In(calendar.Zone)
	steps := make([]CaseStep, len(c.Steps))
	for i, s := range c.Steps {
		if s.Materials == nil {
			s.Materials = []string{}
		}
		if s.Received == nil {
			s.Received = []string{}
		}
		for _, t := range []*time.Time{&s.StartedAt, &s.DueAt, &s.FinishedAt} {
			if !t.IsZero() {
				*t = t.In(calendar.Zone)
			}
		}
		steps[i] = s
	}
	c.Steps = steps
	c.Overdue = c.OverdueAt(now)
	c.Masked = !c.NeedsToKnow(u)
	if c.Masked {
		c.Applicant = c.Applicant.Masked()
	}
	return c
}

// OverdueAt reports whether the case is open past its current step's due
// time at now.
func (c Case) OverdueAt(now time.Time) bool {
	due := c.StepDue()
	return !due.IsZero() && now.After(due)
}

// SearchText is what a search by words finds a case by: its service, its
// applicant's name and its note.
func (c Case) SearchText() string {
	return c.ServiceName + "\n" + c.Applicant.Name + "\n" + c.Note
}

// Validate checks what staff wrote of a new case or a change and returns
// it cleaned: the applicant, the green channel and the note. That the
// service and the proxy officer exist is the Service's to check.
func (c Case) Validate() (Case, error) {
	var p minyi.Problems
	c.Applicant = checkApplicant(&p, c.Applicant)
	if !c.Green.Valid() {
		p.Add("green", "绿色通道须为上门服务（home_visit）或优先办理（priority）", "green must be home_visit or priority")
	}
	c.Proxy = strings.TrimSpace(c.Proxy)
	c.Note = archive.CheckNamedText(&p, "note", "备注", c.Note, MaxNoteRunes, false)
	return c, p.Err()
}

func checkApplicant(p *minyi.Problems, a Applicant) Applicant {
	a.Name = archive.CheckNamedText(p, "applicant.name", "申请人姓名", a.Name, MaxApplicantRunes, true)
	a.Phone = strings.ReplaceAll(strings.TrimSpace(a.Phone), " ", "")
	if a.Phone != "" && (len(a.Phone) > archive.MaxPhoneRunes || !phonePattern.MatchString(a.Phone)) {
		p.Add("applicant.phone", "申请人电话号码格式不正确", "applicant.phone is not a phone number")
	}
	a.IDNumber = strings.ToUpper(strings.TrimSpace(a.IDNumber))
	if a.IDNumber != "" && !archive.ValidIDNumber(a.IDNumber) {
		p.Add("applicant.id_number", "申请人身份证号码不正确", "applicant.id_number is not a valid ID number")
	}
	return a
}

func (c Case) record() string { return strconv.FormatInt(c.ID, 10) }

// fields are a case's values as its events record them. The applicant's
// personal data stay out of the log, which is kept for ever: an edit names
// which of them changed, not their values.
func (c Case) fields() map[string]string {
	return map[string]string{"service": c.ServiceCode, "unit": c.Unit, "proxy": c.Proxy, "green": string(c.Green)}
}

// Case event types.
const (
	EventOpened    = "opened"
	EventEdited    = "edited"
	EventReceived  = "received" // materials received at the current step (an edit)
	EventAdvanced  = "advanced"
	EventReturned  = "returned"
	EventCompleted = "completed"
	EventCancelled = "cancelled"
)

// Opened returns the log's event of a stored case (ID assigned).
func (c Case) Opened() eventlog.Event {
	// The first step's, whatever the case's state: a case stored with its
	// history (CreateCases) is opened at its first step too.
	first := CaseStep{}
	if len(c.Steps) > 0 {
		first = c.Steps[0]
	}
	data := map[string]string{"steps": itoa(len(c.Steps)), "to_unit": first.Unit,
		"due": first.DueAt.UTC().Format(time.RFC3339)}
	for k, v := range c.fields() {
		if v != "" {
			data[k] = v
		}
	}
	return eventlog.Event{Register: Register, RecordID: c.ID, Record: c.record(), Type: EventOpened,
		Actor: c.CreatedBy, At: c.CreatedAt, To: string(StatusOpen), Body: c.Note, Data: data}
}

// Edited returns the log's event of a change from before to c by actor at
// c.UpdatedAt; ok is false when nothing changed.
func (c Case) Edited(before Case, actor string) (e eventlog.Event, ok bool) {
	data, changed := register.ChangedFields(c.fields(), before.fields(), "proxy", "green")
	for _, f := range []struct {
		name     string
		now, was string
	}{{"applicant.name", c.Applicant.Name, before.Applicant.Name}, {"applicant.phone", c.Applicant.Phone, before.Applicant.Phone},
		{"applicant.id_number", c.Applicant.IDNumber, before.Applicant.IDNumber}} {
		if f.now != f.was {
			changed = append(changed, f.name)
		}
	}
	cur, was := c.Current(), before.Current()
	if !slices.Equal(cur.Received, was.Received) {
		changed = append(changed, "received")
		data["received"] = joinList(cur.Received)
	}
	body := ""
	if c.Note != before.Note {
		changed, body = append(changed, "note"), c.Note
	}
	if len(changed) == 0 {
		return eventlog.Event{}, false
	}
	data["fields"] = strings.Join(changed, ",")
	return eventlog.Event{Register: Register, RecordID: c.ID, Record: c.record(), Type: EventEdited,
		Actor: actor, At: c.UpdatedAt, From: string(c.Status), To: string(c.Status), Body: body, Data: data}, true
}

// Patch is a change to an open case: nil fields stay as they are. Received
// sets the materials the current step has received. Version is the
// version the writer read, required.
type Patch struct {
	Version   *int       `json:"version"`
	Applicant *Applicant `json:"applicant,omitempty"`
	Proxy     *string    `json:"proxy,omitempty"`
	Green     *Green     `json:"green,omitempty"`
	Note      *string    `json:"note,omitempty"`
	Received  *[]string  `json:"received,omitempty"`
}

// Apply returns c with p's fields set.
func (p Patch) Apply(c Case) Case {
	register.SetIf(&c.Applicant, p.Applicant)
	register.SetIf(&c.Proxy, p.Proxy)
	register.SetIf(&c.Green, p.Green)
	register.SetIf(&c.Note, p.Note)
	if p.Received != nil && c.Step < len(c.Steps) {
		steps := slices.Clone(c.Steps)
		steps[c.Step].Received = slices.Clone(*p.Received)
		c.Steps = steps
	}
	return c
}

// checkMaterials adds a problem naming field when list, materials as sent,
// holds too many or one empty or too long; it returns them cleaned
// (trimmed, each once).
func checkMaterials(p *minyi.Problems, field string, list []string) []string {
	if len(list) > MaxMaterials {
		p.Add(field, "材料最多"+itoa(MaxMaterials)+"项", field+": at most "+itoa(MaxMaterials))
	}
	var q minyi.Problems
	for _, m := range list {
		archive.CheckNamedText(&q, field, "材料名称", m, MaxMaterialRunes, true)
	}
	if len(q) > 0 {
		p.Add(q[0].Field, q[0].Zh, q[0].En)
	}
	return register.Names(list)
}

// checkReceived adds a problem naming field for each of received that is
// not on step's checklist.
func checkReceived(p *minyi.Problems, field string, step CaseStep, received []string) {
	for _, m := range received {
		if !slices.Contains(step.Materials, m) {
			p.Add(field, "“"+m+"”不在本环节的材料清单中", field+": "+m+" is not on this step's checklist")
		}
	}
}

var phonePattern = regexp.MustCompile(archive.PhonePattern)

func itoa(n int) string { return strconv.Itoa(n) }
