package measure

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/matter"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
)

// Store persists measures. *store.DB implements it.
type Store interface {
	// Lookups find the units, branches and staff a record names.
	register.Lookups
	// CreateMeasure stores m with its item and matter links, search terms
	// and its created event (Measure.Created) in one transaction; it
	// assigns m.ID and sets m.Version to 1.
	CreateMeasure(ctx context.Context, m *Measure) error
	// CreateMeasures stores every measure as CreateMeasure does, each
	// followed by its history (events decided before it had an id: the
	// store fills in their record), then the events of also, all in one
	// transaction.
	CreateMeasures(ctx context.Context, ms []*Measure, history [][]eventlog.Event, also []eventlog.Event) error
	// UpdateMeasure stores m, read at version, with events, in one
	// transaction: conflict when the stored version is no longer version.
	// It sets m.Version to the new version.
	UpdateMeasure(ctx context.Context, m *Measure, version int, events []eventlog.Event) error
	// Measure returns one measure, or not_found.
	Measure(ctx context.Context, id int64) (Measure, error)
	// Measures lists the measures f selects, newest first, with Total.
	Measures(ctx context.Context, f Filter) (register.Page[Measure], error)
	// EachMeasure calls fn with every measure f selects (no search
	// words), with its links, oldest first, without a page or a count.
	EachMeasure(ctx context.Context, f Filter, fn func(Measure) error) error
	// MeasureFigures counts the measures of f for reports (Service.Figures).
	MeasureFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
	Item(ctx context.Context, number string) (archive.Item, error)
	Matter(ctx context.Context, id int64) (matter.Matter, error)
	// CampaignExists reports whether a campaign of that id exists.
	CampaignExists(ctx context.Context, id int64) (bool, error)
}

// Filter selects measures for a list.
type Filter struct {
	register.Filter
	Units  []string // visibility: only these units' measures (nil: all)
	Status Status
	Unit   string
	Branch string
	// From and To bound the day of implementation, YYYY-MM-DD, inclusive.
	From, To string
	// Campaign selects the measures of one campaign (0: any).
	Campaign int64
}

// Check refuses a filter naming an unknown status or a bad day.
func (f Filter) Check() error {
	var p minyi.Problems
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "未知的状态（researched、implemented、withdrawn）", "status must be one of researched, implemented, withdrawn")
	}
	for _, d := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}} {
		if _, err := time.Parse(dayLayout, d.v); d.v != "" && err != nil {
			p.Add(d.field, d.field+"须为YYYY-MM-DD格式的日期", d.field+" must be a date YYYY-MM-DD")
		}
	}
	if f.Limit < 0 || f.Limit > 100 {
		p.Add("limit", "每页条数须在1到100之间", "limit must be between 1 and 100")
	}
	return p.Err()
}

// Service records and reads convenience measures. Who sees and changes
// what is the items' rule: a unit's staff their own unit's measures,
// partners read only, leaders and admins all.
type Service struct {
	Store Store
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time { return register.Now(s.Now) }

// Create validates a new measure and stores it, researched, with its
// created event. Staff create into their own unit; leaders and admins
// into any; partners none.
// A record from a page form (its Form) is created once per form
// (archive.FileOnce): sent again, it is the record created first.
func (s *Service) Create(ctx context.Context, staff org.User, m Measure) (Measure, error) {
	return archive.FileOnce(ctx, s.Store, Register, &m.Form,
		func(id int64) (Measure, error) { return s.Get(ctx, staff, id) },
		func() (Measure, error) { return s.create(ctx, staff, m) })
}

// create is Create of a record not yet created.
func (s *Service) create(ctx context.Context, staff org.User, m Measure) (Measure, error) {
	if err := archive.MayFile(staff, "unit", m.Unit); err != nil {
		return Measure{}, err
	}
	now := s.now()
	m.ID, m.Status, m.ImplementedOn, m.WithdrawnOn, m.WithdrawReason = 0, StatusResearched, "", "", ""
	m, err := s.check(ctx, staff, m, nil, now)
	if err != nil {
		return Measure{}, err
	}
	m.CreatedBy, m.CreatedAt, m.UpdatedAt = staff.Name, now, now
	if err := s.Store.CreateMeasure(ctx, &m); err != nil {
		return Measure{}, err
	}
	return m.Shown(), nil
}

// CreateMany checks every measure as Create does and stores them all, with
// also (an import's own event), in one transaction, or none: refused[i] is
// the refusal of ms[i], and nothing is written while any is refused, nor
// on a dry run. A measure may be recorded as it stands in a bureau's ledger:
// implemented on its ImplementedOn, or withdrawn for its WithdrawReason
// (today), through the lifecycle's own Decide, so the log tells how it got
// there and the importer needs the right to take those steps.
func (s *Service) CreateMany(ctx context.Context, staff org.User, ms []Measure, also []eventlog.Event, dryRun bool) ([]Measure, []error, error) {
	c := *s
	c.Store = batchStore{register.Cached(s.Store), storeBelow{s.Store}}
	s = &c
	now := s.now()
	history := make([][]eventlog.Event, len(ms))
	at := 0
	out, refused, bad, err := register.CheckRows(ms, func(want Measure) (Measure, error) {
		i := at
		at++
		forbidden := archive.MayFile(staff, "unit", want.Unit)
		m := want
		m.ID, m.Status, m.ImplementedOn, m.WithdrawnOn, m.WithdrawReason = 0, StatusResearched, "", "", ""
		if want.Status == StatusImplemented {
			m.ImplementedOn = want.ImplementedOn // researched_on is checked against it
		}
		m, err := s.check(ctx, staff, m, nil, now)
		if err := register.Both(forbidden, err); err != nil {
			return m, err
		}
		m.ImplementedOn = ""
		m.CreatedBy, m.CreatedAt, m.UpdatedAt = staff.Name, now, now
		var cmd Command
		switch want.Status {
		case "", StatusResearched:
			return m, nil
		case StatusImplemented:
			cmd = Command{Action: ActImplement, Day: want.ImplementedOn}
		case StatusWithdrawn:
			cmd = Command{Action: ActWithdraw, Reason: want.WithdrawReason}
		default:
			return m, minyi.Invalid("status", "状态须为已研究、已实施或已撤回", "status must be researched, implemented or withdrawn")
		}
		events, err := Decide(m, cmd, register.ActorFor(staff), now)
		if err != nil {
			return m, register.Renamed(err, map[string]string{"day": "implemented_on", "reason": "withdraw_reason"})
		}
		history[i] = events
		for _, e := range events {
			m = Apply(m, e)
		}
		return m, nil
	})
	if err != nil || bad || dryRun {
		for i := range out {
			out[i] = out[i].Shown()
		}
		return out, refused, err
	}
	ptrs := make([]*Measure, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.Store.CreateMeasures(ctx, ptrs, history, also); err != nil {
		return nil, nil, err
	}
	for i := range out {
		out[i] = out[i].Shown()
	}
	return out, refused, nil
}

// check validates m and that its unit, branch, items and matters exist and
// that staff may see the items and matters. A change (before not nil)
// checks only the references it adds, so that a unit's edit of the title
// is not blocked by what has changed around the measure since.
func (s *Service) check(ctx context.Context, staff org.User, m Measure, before *Measure, now time.Time) (Measure, error) {
	var p minyi.Problems
	m, err := m.Validate(now)
	if err := archive.AddProblems(&p, "", err); err != nil {
		return Measure{}, err
	}
	var was *register.UnitBranch
	if before != nil {
		was = &register.UnitBranch{Unit: before.Unit, Branch: before.Branch}
	}
	if err := register.CheckUnitBranch(ctx, &p, s.Store, "实施单位", register.UnitBranch{Unit: m.Unit, Branch: m.Branch}, was); err != nil {
		return Measure{}, err
	}
	if before == nil || m.Campaign != before.Campaign {
		if err := register.CheckCampaign(ctx, &p, s.Store.CampaignExists, m.Campaign); err != nil {
			return Measure{}, err
		}
	}
	for _, number := range m.Items {
		if before != nil && slices.Contains(before.Items, number) {
			continue
		}
		it, err := s.Store.Item(ctx, number)
		switch {
		case minyi.ErrorCode(err) == minyi.ENotFound:
			p.Add("items", "群众意见"+number+"不存在", "items: no item numbered "+number)
		case err != nil:
			return Measure{}, err
		case !staff.CanSeeUnit(it.UnitCode):
			p.Add("items", "群众意见"+number+"不属于您的单位", "items: item "+number+" belongs to another unit")
		}
	}
	for _, id := range m.Matters {
		if before != nil && slices.Contains(before.Matters, id) {
			continue
		}
		n := strconv.FormatInt(id, 10)
		mt, err := s.Store.Matter(ctx, id)
		switch {
		case minyi.ErrorCode(err) == minyi.ENotFound:
			p.Add("matters", "实事"+n+"不存在", "matters: no matter numbered "+n)
		case err != nil:
			return Measure{}, err
		case !staff.CanSeeUnit(mt.Unit):
			p.Add("matters", "实事"+n+"不属于您的单位", "matters: matter "+n+" belongs to another unit")
		}
	}
	return m, p.Err()
}

// Get returns a measure u may see.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Measure, error) {
	m, err := s.Store.Measure(ctx, id)
	if err != nil {
		return Measure{}, err
	}
	if err := MaySee(u, m.Unit); err != nil {
		return Measure{}, err
	}
	return m.Shown(), nil
}

// List returns a page of the measures u may see that f selects, with the
// count of all of them.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (register.Page[Measure], error) {
	if err := f.Check(); err != nil {
		return register.Page[Measure]{}, err
	}
	f.Units = u.VisibleUnits()
	page, err := s.Store.Measures(ctx, f)
	for i := range page.Items {
		page.Items[i] = page.Items[i].Shown()
	}
	return page, err
}

// Each calls fn with every measure of f that u may see, shown as List
// shows them, oldest first rather than newest first, read without pages
// or counts: an export of a year's measures (the ledgers' workbook). f's
// page and cursor are ignored.
func (s *Service) Each(ctx context.Context, u org.User, f Filter, fn func(Measure) error) error {
	f.Limit, f.Cursor = 0, ""
	if err := f.Check(); err != nil {
		return err
	}
	f.Units = u.VisibleUnits()
	return s.Store.EachMeasure(ctx, f, func(m Measure) error { return fn(m.Shown()) })
}

// Edit changes the fields p holds of a measure staff may change, against
// the version staff read: conflict when it is stale. Nothing changed is no
// edit: the measure is answered as it is.
func (s *Service) Edit(ctx context.Context, staff org.User, id int64, p Patch) (Measure, error) {
	if p.Version == nil {
		return Measure{}, register.MissingVersion()
	}
	before, err := s.Store.Measure(ctx, id)
	if err != nil {
		return Measure{}, err
	}
	if err := s.mayChange(staff, before, *p.Version, MayEdit); err != nil {
		return Measure{}, err
	}
	// On a new measure an empty day means today; in a change it would move
	// the day of research silently, so it must name one.
	if p.ResearchedOn != nil && strings.TrimSpace(*p.ResearchedOn) == "" {
		return Measure{}, minyi.Invalid("researched_on", "研究日期不能为空", "researched_on cannot be empty in a change")
	}
	now := s.now()
	m, err := s.check(ctx, staff, p.Apply(before), &before, now)
	if err != nil {
		return Measure{}, err
	}
	m.UpdatedAt = now
	e, changed := m.Edited(before, staff.Name)
	if !changed {
		return before.Shown(), nil
	}
	if err := s.Store.UpdateMeasure(ctx, &m, before.Version, []eventlog.Event{e}); err != nil {
		return Measure{}, err
	}
	return m.Shown(), nil
}

// Act takes a lifecycle action on a measure, against the version staff
// read.
func (s *Service) Act(ctx context.Context, staff org.User, id int64, version *int, cmd Command) (Measure, error) {
	if version == nil {
		return Measure{}, register.MissingVersion()
	}
	m, err := s.Store.Measure(ctx, id)
	if err != nil {
		return Measure{}, err
	}
	now := s.now()
	decide := func(actor register.Actor, _ string) error {
		_, err := Decide(m, cmd, actor, now)
		return err
	}
	if err := s.mayChange(staff, m, *version, decide); err != nil {
		return Measure{}, err
	}
	events, _ := Decide(m, cmd, register.ActorFor(staff), now)
	read := m.Version
	for _, e := range events {
		m = Apply(m, e)
	}
	if err := s.Store.UpdateMeasure(ctx, &m, read, events); err != nil {
		return Measure{}, err
	}
	return m.Shown(), nil
}

// mayChange refuses, in this order, a measure staff may not see, a
// disabled account, what may refuses (the role, the state, the command),
// and a stale version.
func (s *Service) mayChange(staff org.User, m Measure, version int, may func(register.Actor, string) error) error {
	if err := MaySee(staff, m.Unit); err != nil {
		return err
	}
	if staff.Disabled {
		return minyi.Errorf(minyi.EForbidden, "账号已停用 / account disabled")
	}
	if err := may(register.ActorFor(staff), m.Unit); err != nil {
		return err
	}
	if m.Version != version {
		return register.Stale(Noun)
	}
	return nil
}

// The measures register is a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the measures register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for the measures of f's units: researched
// (recorded as researched in f's period, whatever became of them),
// implemented (by the day of implementation) and withdrawn (by the day of
// withdrawal).
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	return s.Store.MeasureFigures(ctx, f)
}

// batchStore is the Store of one CreateMany: the units, branches and staff
// its records name are looked up once (register.Cached), the rest is the
// Store's.
type batchStore struct {
	register.Lookups
	storeBelow
}

// storeBelow puts the Store one level below batchStore, so that the cached
// Lookups answer its Unit, Branches and UserByName.
type storeBelow struct{ Store }
