package onestop

import (
	"context"
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
)

// Store persists services and cases. *store.DB implements it.
type Store interface {
	// Lookups find the units and staff a service or case names.
	register.Lookups
	// CreateService stores d and its defined event in one transaction;
	// it assigns d.ID and sets d.Version to 1. A code already taken is a
	// conflict naming code.
	CreateService(ctx context.Context, d *Definition) error
	// UpdateService stores d, read at version, with events, in one
	// transaction: conflict when the stored version is no longer version.
	UpdateService(ctx context.Context, d *Definition, version int, events []eventlog.Event) error
	// Service returns one service, or not_found.
	Service(ctx context.Context, id int64) (Definition, error)
	// Services lists the services f selects, in the order defined, with Total.
	Services(ctx context.Context, f DefinitionFilter) (register.Page[Definition], error)
	// CreateCase stores c with its steps, search terms, counters and its
	// opened event in one transaction; it assigns c.ID and sets c.Version
	// to 1.
	CreateCase(ctx context.Context, c *Case) error
	// UpdateCase stores c, read at version, with events and the notices
	// the first of them causes (the applicant's SMS), its steps, search
	// terms and counters in one transaction: conflict when the stored
	// version is no longer version, and nothing is written.
	UpdateCase(ctx context.Context, c *Case, version int, events []eventlog.Event, notices []archive.Notice) error
	// Case returns one case with its steps, or not_found.
	Case(ctx context.Context, id int64) (Case, error)
	// Cases lists the cases f selects, newest first, with Total.
	Cases(ctx context.Context, f Filter) (register.Page[Case], error)
	// EachCase calls fn with every case f selects (no search words), with
	// its steps (each Brief when f.Brief is set), in the order filed (by
	// id), without a page or a count.
	EachCase(ctx context.Context, f Filter, fn func(Case) error) error
	// CaseEvents returns a case's events from the log, oldest first.
	CaseEvents(ctx context.Context, id int64) ([]eventlog.Event, error)
	// CaseFigures counts the cases of f (Service.Figures).
	CaseFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
}

// DefinitionFilter selects services for a list.
type DefinitionFilter struct {
	register.Filter
	// Active selects the services open for new cases (nil: all).
	Active *bool
	// Unit selects the services with a step of this unit.
	Unit string
}

// Filter selects cases for a list.
type Filter struct {
	register.Filter
	// See restricts the list to the cases with a step of this unit (the
	// reader's, for those who do not see all: org.User.CanSeeCrossAgency);
	// empty: every case. Proxied adds the cases that user handles for the
	// applicant.
	See, Proxied string
	Service      int64
	Status       Status
	// Unit selects the open cases whose current step is this unit's.
	Unit string
	// Proxy and Green select cases handled by an officer for the applicant,
	// or through the green channel (nil: either).
	Proxy, Green *bool
	// Overdue selects the open cases past their current step's due time at
	// Now.
	Overdue bool
	Now     time.Time
	// From and To bound the day opened, YYYY-MM-DD, inclusive.
	From, To string
	// DoneFrom and DoneTo bound the day done, inclusive: the day Figures
	// counts done and proxy by, so a report's figure links to its cases.
	DoneFrom, DoneTo string
	// Brief: Each gives the cases Brief, each read with its current step
	// alone (the ledgers' workbook); the lists ignore it.
	Brief bool
}

// Check refuses a filter naming an unknown status or a bad day.
func (f Filter) Check() error {
	var p minyi.Problems
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "未知的状态（open、done、cancelled）", "status must be one of open, done, cancelled")
	}
	if f.Service < 0 {
		p.Add("service", "服务编号须为正整数", "service must be a positive number")
	}
	for _, d := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}, {"done_from", f.DoneFrom}, {"done_to", f.DoneTo}} {
		if _, err := time.Parse(dayLayout, d.v); d.v != "" && err != nil {
			p.Add(d.field, d.field+"须为YYYY-MM-DD格式的日期", d.field+" must be a date YYYY-MM-DD")
		}
	}
	if f.Limit < 0 || f.Limit > 100 {
		p.Add("limit", "每页条数须在1到100之间", "limit must be between 1 and 100")
	}
	return p.Err()
}

// Service defines one-stop services and keeps their cases. Its clock,
// working-day calendar and the signature of its SMS are the items'
// (archive.Service).
type Service struct {
	Store Store
	Items *archive.Service
}

func (s *Service) now() time.Time {
	if s.Items == nil {
		return time.Now()
	}
	return s.Items.Clock()
}

// Due is the due time of a step of days working days starting at start, on
// the items' working-day calendar.
func (s *Service) Due(start time.Time, days int) time.Time {
	var cal *calendar.Calendar
	if s.Items != nil {
		cal = s.Items.Policy().Calendar
	}
	if cal == nil {
		cal = calendar.Default()
	}
	return cal.Due(start, calendar.Limit{Amount: days, Unit: calendar.WorkingDays}).At
}

// CreateDefinition validates a new service and stores it with its defined
// event: admins only (org.CheckManage). Sent again from the same page form,
// it is the service created first (archive.FileOnce).
func (s *Service) CreateDefinition(ctx context.Context, admin org.User, d Definition) (Definition, error) {
	return archive.FileOnce(ctx, s.Store, ServicesRegister, &d.Form,
		func(id int64) (Definition, error) { return s.Definition(ctx, admin, id) },
		func() (Definition, error) {
			if err := org.CheckManage(admin); err != nil {
				return Definition{}, err
			}
			d.ID = 0
			d, err := s.checkDefinition(ctx, d, nil)
			if err != nil {
				return Definition{}, err
			}
			now := s.now()
			d.CreatedBy, d.CreatedAt, d.UpdatedAt = admin.Name, now, now
			if err := s.Store.CreateService(ctx, &d); err != nil {
				return Definition{}, err
			}
			return d.Shown(), nil
		})
}

// checkDefinition validates d and that the units of its steps exist; of a
// change (before not nil), only the units it adds.
func (s *Service) checkDefinition(ctx context.Context, d Definition, before *Definition) (Definition, error) {
	var p minyi.Problems
	d, err := d.Validate()
	if err := archive.AddProblems(&p, "", err); err != nil {
		return Definition{}, err
	}
	for i, st := range d.Steps {
		if st.Unit == "" || (before != nil && slices.Contains(before.Units(), st.Unit)) {
			continue
		}
		if _, err := s.Store.Unit(ctx, st.Unit); minyi.ErrorCode(err) == minyi.ENotFound {
			p.Add("steps["+itoa(i)+"].unit", "第"+itoa(i+1)+"环节的办理单位不存在", "steps["+itoa(i)+"].unit: unknown unit")
		} else if err != nil {
			return Definition{}, err
		}
	}
	return d, p.Err()
}

// EditDefinition changes the fields p holds of a service against the
// version the admin read. Open cases keep the steps they were opened with.
func (s *Service) EditDefinition(ctx context.Context, admin org.User, id int64, p DefinitionPatch) (Definition, error) {
	if p.Version == nil {
		return Definition{}, register.MissingVersion()
	}
	if err := org.CheckManage(admin); err != nil {
		return Definition{}, err
	}
	before, err := s.Store.Service(ctx, id)
	if err != nil {
		return Definition{}, err
	}
	if before.Version != *p.Version {
		return Definition{}, register.Stale(ServiceNoun)
	}
	d, err := s.checkDefinition(ctx, p.Apply(before), &before)
	if err != nil {
		return Definition{}, err
	}
	d.UpdatedAt = s.now()
	e, changed := d.Redefined(before, admin.Name)
	if !changed {
		return before.Shown(), nil
	}
	if err := s.Store.UpdateService(ctx, &d, before.Version, []eventlog.Event{e}); err != nil {
		return Definition{}, err
	}
	return d.Shown(), nil
}

// Definition returns one service: every member of staff and every partner
// may read the services, which are what the bureau offers the public.
func (s *Service) Definition(ctx context.Context, u org.User, id int64) (Definition, error) {
	if u.Disabled {
		return Definition{}, disabled()
	}
	d, err := s.Store.Service(ctx, id)
	return d.Shown(), err
}

// Definitions lists the services f selects.
func (s *Service) Definitions(ctx context.Context, u org.User, f DefinitionFilter) (register.Page[Definition], error) {
	if u.Disabled {
		return register.Page[Definition]{}, disabled()
	}
	if f.Limit < 0 || f.Limit > 100 {
		return register.Page[Definition]{}, minyi.Invalid("limit", "每页条数须在1到100之间", "limit must be between 1 and 100")
	}
	page, err := s.Store.Services(ctx, f)
	for i := range page.Items {
		page.Items[i] = page.Items[i].Shown()
	}
	return page, err
}

func disabled() error { return minyi.Errorf(minyi.EForbidden, "账号已停用 / account disabled") }

// Opening is what staff write to open a case.
type Opening struct {
	// Service is the id of an active service.
	Service   int64     `json:"service"`
	Applicant Applicant `json:"applicant"`
	// Proxy is the user name of the officer handling the case for the
	// applicant (帮办代办), a member of the bureau's staff; empty: none.
	Proxy string `json:"proxy,omitempty"`
	Green Green  `json:"green,omitempty"`
	Note  string `json:"note,omitempty"`
	// Received lists the materials of the first step's checklist received
	// as the case is opened.
	Received []string `json:"received,omitempty"`

	// Form is the page form the case is opened through (archive.FileOnce).
	archive.Form `json:"-"`
}

// Open opens a case of an active service at its first step, which starts
// now: by a user who may do the first step's work (org.User.CanActForUnit,
// partners included). Sent again from the same page form, it is the case
// opened first (archive.FileOnce).
func (s *Service) Open(ctx context.Context, u org.User, o Opening) (Case, error) {
	return archive.FileOnce(ctx, s.Store, Register, &o.Form,
		func(id int64) (Case, error) { return s.Get(ctx, u, id) },
		func() (Case, error) { return s.open(ctx, u, o) })
}

func (s *Service) open(ctx context.Context, u org.User, o Opening) (Case, error) {
	if u.Disabled {
		return Case{}, disabled()
	}
	if o.Service <= 0 {
		return Case{}, minyi.Invalid("service", "请选择服务事项", "service is required")
	}
	d, err := s.Store.Service(ctx, o.Service)
	switch {
	case minyi.ErrorCode(err) == minyi.ENotFound:
		return Case{}, minyi.Invalid("service", "服务事项不存在", "service: no such service")
	case err != nil:
		return Case{}, err
	case !d.Active:
		return Case{}, minyi.Invalid("service", "该服务事项已停用", "service is not active")
	case len(d.Steps) == 0:
		return Case{}, minyi.Invalid("service", "该服务事项没有办理环节", "service has no steps")
	}
	if !u.CanActForUnit(d.Steps[0].Unit) {
		return Case{}, minyi.Errorf(minyi.EForbidden, "该服务的第一环节由其他单位受理 / the first step of this service is another unit's")
	}
	now := s.now()
	c := Case{Service: d.ID, ServiceCode: d.Code, ServiceName: d.Name, Unit: d.Steps[0].Unit,
		Applicant: o.Applicant, Proxy: o.Proxy, Green: o.Green, Note: o.Note, Status: StatusOpen,
		OpenedOn: archive.ChinaDay(now).Format(dayLayout), Form: o.Form}
	c.Steps = make([]CaseStep, len(d.Steps))
	for i, st := range d.Steps {
		c.Steps[i] = CaseStep{Step: st, Received: []string{}}
		c.Steps[i].Materials = slices.Clone(st.Materials)
	}
	var p minyi.Problems
	c, err = c.Validate()
	if err := archive.AddProblems(&p, "", err); err != nil {
		return Case{}, err
	}
	received := checkMaterials(&p, "received", o.Received)
	checkReceived(&p, "received", c.Steps[0], received)
	c.Steps[0].Received = received
	if err := s.checkProxy(ctx, &p, c.Proxy, ""); err != nil {
		return Case{}, err
	}
	if err := p.Err(); err != nil {
		return Case{}, err
	}
	c.Steps[0].StartedAt, c.Steps[0].DueAt = now, s.Due(now, c.Steps[0].LimitDays)
	c.CreatedBy, c.CreatedAt, c.UpdatedAt = u.Name, now, now
	if err := s.Store.CreateCase(ctx, &c); err != nil {
		return Case{}, err
	}
	return c.Shown(u, now), nil
}

// checkProxy adds a problem naming proxy when name, new or changed from
// was, is no member of the bureau's staff.
func (s *Service) checkProxy(ctx context.Context, p *minyi.Problems, name, was string) error {
	if name == "" || name == was {
		return nil
	}
	return register.CheckStaff(ctx, p, s.Store.UserByName, "proxy", "帮办代办民警", name)
}

// Get returns a case u may see — one with a step of u's unit
// (org.User.CanSeeCrossAgency), or that u handles for the applicant — the
// applicant masked unless u needs to know.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Case, error) {
	c, err := s.visible(ctx, u, id)
	if err != nil {
		return Case{}, err
	}
	return c.Shown(u, s.now()), nil
}

func (s *Service) visible(ctx context.Context, u org.User, id int64) (Case, error) {
	if u.Disabled {
		return Case{}, disabled()
	}
	c, err := s.Store.Case(ctx, id)
	if err != nil {
		return Case{}, err
	}
	if !u.CanSeeCrossAgency(c.Units()) && !(c.Proxy != "" && c.Proxy == u.Name) {
		return Case{}, minyi.Errorf(minyi.EForbidden, "该办件没有您单位的办理环节 / this case has no step of your unit")
	}
	return c, nil
}

// View is a case with its timeline and what the reader can do now.
type View struct {
	Case      Case            `json:"case"`
	Events    []TimelineEntry `json:"events"`
	Available map[Action]bool `json:"available"`
	CanEdit   bool            `json:"can_edit"`
}

// TimelineEntry is one event of a case as its page shows it: the
// hand-offs with the units they pass between.
type TimelineEntry struct {
	Type     string    `json:"type"`
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
	FromUnit string    `json:"from_unit,omitempty"`
	ToUnit   string    `json:"to_unit,omitempty"`
	FromStep int       `json:"from_step,omitempty"`
	ToStep   int       `json:"to_step,omitempty"`
	Body     string    `json:"body,omitempty"`
	Fields   string    `json:"fields,omitempty"`
}

// Timeline returns a case u may see with its events and the actions u can
// take on it now.
func (s *Service) Timeline(ctx context.Context, u org.User, id int64) (View, error) {
	c, err := s.visible(ctx, u, id)
	if err != nil {
		return View{}, err
	}
	evs, err := s.Store.CaseEvents(ctx, id)
	if err != nil {
		return View{}, err
	}
	now := s.now()
	v := View{Case: c.Shown(u, now), Events: make([]TimelineEntry, len(evs))}
	for i, e := range evs {
		v.Events[i] = TimelineEntry{Type: e.Type, Actor: e.Actor, At: e.At.In(calendar.Zone), FromUnit: e.Data["from_unit"],
			ToUnit: e.Data["to_unit"], FromStep: atoi(e.Data["from_step"]), ToStep: atoi(e.Data["to_step"]), Body: e.Body,
			Fields: e.Data["fields"]}
	}
	if u.Disabled {
		v.Available = map[Action]bool{}
	} else {
		v.Available = Available(c, register.ActorFor(u), now, s.Due)
		v.CanEdit = MayEdit(register.ActorFor(u), c) == nil
	}
	return v, nil
}

// List returns a page of the cases u may see that f selects, with the
// count of all of them.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (register.Page[Case], error) {
	if u.Disabled {
		return register.Page[Case]{}, disabled()
	}
	if err := f.Check(); err != nil {
		return register.Page[Case]{}, err
	}
	f.See = ""
	if !u.SeesAll() {
		f.See, f.Proxied = u.UnitCode, u.Name
	}
	now := s.now()
	f.Now = now
	page, err := s.Store.Cases(ctx, f)
	for i := range page.Items {
		page.Items[i] = page.Items[i].Shown(u, now)
	}
	return page, err
}

// Each calls fn with every case of f that u may see, shown to u as List
// shows them (the applicant masked unless u needs to know), in the order
// filed (by id) rather than newest first, read without pages or counts: an
// export of a year's cases (the ledgers' workbook), with f.Brief each
// case Brief. f's page and cursor are ignored.
func (s *Service) Each(ctx context.Context, u org.User, f Filter, fn func(Case) error) error {
	if u.Disabled {
		return disabled()
	}
	f.Limit, f.Cursor = 0, ""
	if err := f.Check(); err != nil {
		return err
	}
	f.See, f.Proxied = "", ""
	if !u.SeesAll() {
		f.See, f.Proxied = u.UnitCode, u.Name
	}
	now := s.now()
	f.Now = now
	return s.Store.EachCase(ctx, f, func(c Case) error { return fn(c.Shown(u, now)) })
}

// Edit changes the fields p holds of an open case, by a user who may do
// its current step's work, against the version they read: conflict when
// it is stale. Nothing changed is no edit.
func (s *Service) Edit(ctx context.Context, u org.User, id int64, p Patch) (Case, error) {
	if p.Version == nil {
		return Case{}, register.MissingVersion()
	}
	before, err := s.visible(ctx, u, id)
	if err != nil {
		return Case{}, err
	}
	if err := MayEdit(register.ActorFor(u), before); err != nil {
		return Case{}, err
	}
	if before.Version != *p.Version {
		return Case{}, register.Stale(Noun)
	}
	var problems minyi.Problems
	c, err := p.Apply(before).Validate()
	if err := archive.AddProblems(&problems, "", err); err != nil {
		return Case{}, err
	}
	if p.Received != nil {
		c.Steps[c.Step].Received = checkMaterials(&problems, "received", *p.Received)
		checkReceived(&problems, "received", c.Current(), c.Current().Received)
	}
	if err := s.checkProxy(ctx, &problems, c.Proxy, before.Proxy); err != nil {
		return Case{}, err
	}
	if err := problems.Err(); err != nil {
		return Case{}, err
	}
	now := s.now()
	c.UpdatedAt = now
	e, changed := c.Edited(before, u.Name)
	if !changed {
		return before.Shown(u, now), nil
	}
	if err := s.Store.UpdateCase(ctx, &c, before.Version, []eventlog.Event{e}, nil); err != nil {
		return Case{}, err
	}
	return c.Shown(u, now), nil
}

// Act takes a lifecycle action on a case against the version u read. A
// completed case sends the applicant an SMS through the outbox, written in
// the same transaction.
func (s *Service) Act(ctx context.Context, u org.User, id int64, version *int, cmd Command) (Case, error) {
	if version == nil {
		return Case{}, register.MissingVersion()
	}
	c, err := s.visible(ctx, u, id)
	if err != nil {
		return Case{}, err
	}
	// A stale version is told first: of two agencies acting at once, the
	// one that lost learns that the case moved on (409), not that the step
	// it saw is no longer its own.
	if c.Version != *version {
		return Case{}, register.Stale(Noun)
	}
	now := s.now()
	events, err := Decide(c, cmd, register.ActorFor(u), now, s.Due)
	if err != nil {
		return Case{}, err
	}
	read := c.Version
	for _, e := range events {
		c = Apply(c, e)
	}
	if err := s.Store.UpdateCase(ctx, &c, read, events, s.notices(c, events)); err != nil {
		return Case{}, err
	}
	return c.Shown(u, now), nil
}

// NoticeCaseDone is the kind of the SMS telling an applicant their case is
// done.
const NoticeCaseDone archive.NoticeKind = "case_done"

// notices are the messages events cause on c after them: the applicant who
// gave a phone is told when their case is done. Without notice settings
// (tools that load history) nothing is sent.
func (s *Service) notices(c Case, events []eventlog.Event) []archive.Notice {
	if s.Items == nil || s.Items.Notices == nil || c.Applicant.Phone == "" {
		return nil
	}
	for _, e := range events {
		if e.Type == EventCompleted {
			return []archive.Notice{DoneNotice(c, s.Items.Notices.Bureau)}
		}
	}
	return nil
}

// DoneNotice is the SMS telling c's applicant that the case is done, signed
// by bureau. Its text names the service and the case's number, nothing
// personal.
func DoneNotice(c Case, bureau string) archive.Notice {
	body := strings.NewReplacer("{bureau}", bureau, "{service}", c.ServiceName, "{number}", c.record()).
		Replace("【{bureau}】您办理的“{service}”（办件号{number}）已办结，请按约定方式领取结果。感谢您的支持。")
	return archive.Notice{Kind: NoticeCaseDone, Phone: c.Applicant.Phone, Body: body, Display: body,
		Status: archive.DeliveryPending}
}

// The cases register is a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the cases register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for the cases opened in f's period by f's
// units (the unit that opened each): opened, done, proxy (done and
// handled by an officer for the applicant), green_channel, cancelled,
// overdue (a step finished late, or open now past its step's due time),
// and per service code done_<code>, proxy_<code> and opened_<code>.
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	if f.Now.IsZero() {
		f.Now = s.now()
	}
	return s.Store.CaseFigures(ctx, f)
}
