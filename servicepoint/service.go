package servicepoint

import (
	"context"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
)

// Store persists service points. *store.DB implements it.
type Store interface {
	// Lookups find the units, branches and staff a record names.
	register.Lookups
	// CreatePoint stores p with its recorded event (Point.Recorded) in one
	// transaction, assigning p.ID and p.Version.
	CreatePoint(ctx context.Context, p *Point) error
	// CreatePoints stores every point as CreatePoint does, then the events
	// of also, all in one transaction.
	CreatePoints(ctx context.Context, ps []*Point, also []eventlog.Event) error
	// UpdatePoint stores p over the stored version version with events, in
	// one transaction, and increments p.Version; a stale version is
	// EConflict.
	UpdatePoint(ctx context.Context, p *Point, version int, events []eventlog.Event) error
	// Point returns one point, or ENotFound.
	Point(ctx context.Context, id int64) (Point, error)
	// Points lists the points f selects, newest first, with their total.
	Points(ctx context.Context, f Filter) (Page, error)
	// EachPoint calls fn with every point f selects (no search words),
	// oldest first, without a page or a count.
	EachPoint(ctx context.Context, f Filter, fn func(Point) error) error
	// PointFigures counts the points of f's units.
	PointFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
	// PointTownships lists the townships of the active points, each once,
	// in order.
	PointTownships(ctx context.Context) ([]string, error)
	// CampaignExists reports whether a campaign of that id exists.
	CampaignExists(ctx context.Context, id int64) (bool, error)
}

// Service records, changes and reads service points. Who sees and changes
// what is the items' rule: a unit's staff their own unit's points,
// partners read only, leaders and admins all.
type Service struct {
	Store Store
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time { return register.Now(s.Now) }

// Create validates p and stores it, recorded by staff.
// A record from a page form (its Form) is created once per form
// (archive.FileOnce): sent again, it is the record created first.
func (s *Service) Create(ctx context.Context, staff org.User, p Point) (Point, error) {
	return archive.FileOnce(ctx, s.Store, Register, &p.Form,
		func(id int64) (Point, error) { return s.Get(ctx, staff, id) },
		func() (Point, error) { return s.create(ctx, staff, p) })
}

// create is Create of a record not yet created.
func (s *Service) create(ctx context.Context, staff org.User, p Point) (Point, error) {
	if err := archive.MayFile(staff, "unit", p.Unit); err != nil {
		return Point{}, err
	}
	// A new point serves until it is closed; a change must name its status
	// (an empty one must not reopen a closed point).
	if p.Status == "" {
		p.Status = StatusActive
	}
	p, err := s.check(ctx, p, nil)
	if err != nil {
		return Point{}, err
	}
	now := s.now()
	p.ID, p.CreatedBy, p.CreatedAt, p.UpdatedAt = 0, staff.Name, now, now
	if err := s.Store.CreatePoint(ctx, &p); err != nil {
		return Point{}, err
	}
	return p, nil
}

// CreateMany checks every point as Create does and stores them all, with
// also (an import's own event), in one transaction, or none: refused[i] is
// the refusal of ps[i], and nothing is written while any is refused, nor on
// a dry run. Its error is a failure of the whole.
func (s *Service) CreateMany(ctx context.Context, staff org.User, ps []Point, also []eventlog.Event, dryRun bool) ([]Point, []error, error) {
	c := *s
	c.Store = batchStore{register.Cached(s.Store), storeBelow{s.Store}}
	s = &c
	now := s.now()
	out, refused, bad, err := register.CheckRows(ps, func(p Point) (Point, error) {
		forbidden := archive.MayFile(staff, "unit", p.Unit)
		if p.Status == "" {
			p.Status = StatusActive
		}
		p, err := s.check(ctx, p, nil)
		p.ID, p.CreatedBy, p.CreatedAt, p.UpdatedAt = 0, staff.Name, now, now
		return p, register.Both(forbidden, err)
	})
	if err != nil || bad || dryRun {
		return out, refused, err
	}
	ptrs := make([]*Point, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.Store.CreatePoints(ctx, ptrs, also); err != nil {
		return nil, nil, err
	}
	return out, refused, nil
}

// Update changes the point id, last read at version, by c. A version other
// than the stored one is a conflict: someone changed it meanwhile.
func (s *Service) Update(ctx context.Context, staff org.User, id int64, version int, c Patch) (Point, error) {
	before, after, err := register.Change[Point]{Record: Noun, Version: version,
		Read:    func() (Point, error) { return s.Get(ctx, staff, id) },
		Held:    func(p Point) (string, int) { return p.Unit, p.Version },
		MayFile: func(unit string) error { return archive.MayFile(staff, "unit", unit) },
		Apply:   c.Apply,
		Check:   func(after, before Point) (Point, error) { return s.check(ctx, after, &before) },
	}.Run()
	if err != nil {
		return Point{}, err
	}
	after.UpdatedAt = s.now()
	e, changed := after.Changed(before, staff.Name)
	if !changed {
		return before, nil
	}
	if err := s.Store.UpdatePoint(ctx, &after, version, []eventlog.Event{e}); err != nil {
		return Point{}, err
	}
	return after, nil
}

// check validates p and that its unit exists; a change (before not nil)
// checks the unit only when it moves the point to another.
func (s *Service) check(ctx context.Context, p Point, before *Point) (Point, error) {
	var pr minyi.Problems
	p, err := p.Validate(s.now())
	if err := archive.AddProblems(&pr, "", err); err != nil {
		return Point{}, err
	}
	var was *register.UnitBranch
	if before != nil {
		was = &register.UnitBranch{Unit: before.Unit}
	}
	if err := register.CheckUnitBranch(ctx, &pr, s.Store, "单位", register.UnitBranch{Unit: p.Unit}, was); err != nil {
		return Point{}, err
	}
	if before == nil || p.Campaign != before.Campaign {
		if err := register.CheckCampaign(ctx, &pr, s.Store.CampaignExists, p.Campaign); err != nil {
			return Point{}, err
		}
	}
	return p, pr.Err()
}

// Get returns a point u may see.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Point, error) {
	p, err := s.Store.Point(ctx, id)
	if err != nil {
		return Point{}, err
	}
	if !u.CanSeeUnit(p.Unit) {
		return Point{}, minyi.Errorf(minyi.EForbidden, "该便民服务站点不属于您的单位 / this service point belongs to another unit")
	}
	return p, nil
}

// List returns a page of the points u may see that f selects.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (Page, error) {
	if err := checkFilter(f); err != nil {
		return Page{}, err
	}
	f.Units = u.VisibleUnits()
	return s.Store.Points(ctx, f)
}

// Each calls fn with every point of f that u may see, as List shows them,
// oldest first rather than newest first, read without pages or counts:
// the ledgers' workbook. f's page and cursor are ignored.
func (s *Service) Each(ctx context.Context, u org.User, f Filter, fn func(Point) error) error {
	f.Limit, f.Cursor = 0, ""
	if err := checkFilter(f); err != nil {
		return err
	}
	f.Units = u.VisibleUnits()
	return s.Store.EachPoint(ctx, f, fn)
}

// checkFilter refuses an unknown status or an open_on that is not a day.
func checkFilter(f Filter) error {
	if f.Status != "" && !f.Status.Valid() {
		return minyi.Invalid("status", "状态须为active或closed", "status must be active or closed")
	}
	if _, err := time.Parse(time.DateOnly, f.OpenOn); f.OpenOn != "" && err != nil {
		return minyi.Invalid("open_on", "日期格式应为YYYY-MM-DD", "open_on must be a date YYYY-MM-DD")
	}
	return nil
}

// The service points register is a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for f's units: active, the points open at the
// end of f's period (opened by then and not closed by then).
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	return s.Store.PointFigures(ctx, f)
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
