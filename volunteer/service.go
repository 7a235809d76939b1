package volunteer

import (
	"context"
	"slices"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
)

// Store persists volunteer activities. *store.DB implements it.
type Store interface {
	// Lookups find the units, branches and staff a record names.
	register.Lookups
	// CreateActivity stores a with its recorded event (Activity.Recorded)
	// in one transaction, assigning a.ID and a.Version.
	CreateActivity(ctx context.Context, a *Activity) error
	// CreateActivities stores every activity as CreateActivity does, then
	// the events of also, all in one transaction.
	CreateActivities(ctx context.Context, as []*Activity, also []eventlog.Event) error
	// UpdateActivity stores a over the stored version version with events,
	// in one transaction, and increments a.Version; a stale version is
	// EConflict.
	UpdateActivity(ctx context.Context, a *Activity, version int, events []eventlog.Event) error
	// Activity returns one activity, or ENotFound.
	Activity(ctx context.Context, id int64) (Activity, error)
	// Activities lists the activities f selects, latest first, with their
	// total.
	Activities(ctx context.Context, f Filter) (Page, error)
	// EachActivity calls fn with every activity f selects (no search
	// words), with its participants and photos, oldest first, without a
	// page or a count.
	EachActivity(ctx context.Context, f Filter, fn func(Activity) error) error
	// ActivityFigures counts the activities of f's period and units.
	ActivityFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
	// ActivityFiguresByBranch counts the figures of ActivityFigures by
	// party branch.
	ActivityFiguresByBranch(ctx context.Context, f reporting.Filter) (map[string]reporting.Figures, error)
	// CampaignExists reports whether a campaign of that id exists.
	CampaignExists(ctx context.Context, id int64) (bool, error)
	// RecordPhoto returns a photo, with its bytes, of a record of the
	// register (Register), or ENotFound.
	RecordPhoto(ctx context.Context, register string, record, photo int64) (archive.Photo, error)
}

// Service records, changes and reads volunteer activities. Who sees and
// changes what is the items' rule: a unit's staff their own unit's
// activities, partners read only, leaders and admins all.
type Service struct {
	Store Store
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time { return register.Now(s.Now) }

// Create validates a and stores it, recorded by staff.
// A record from a page form (its Form) is created once per form
// (archive.FileOnce): sent again, it is the record created first.
func (s *Service) Create(ctx context.Context, staff org.User, a Activity) (Activity, error) {
	return archive.FileOnce(ctx, s.Store, Register, &a.Form,
		func(id int64) (Activity, error) { return s.Get(ctx, staff, id) },
		func() (Activity, error) { return s.create(ctx, staff, a) })
}

// create is Create of a record not yet created.
func (s *Service) create(ctx context.Context, staff org.User, a Activity) (Activity, error) {
	if err := archive.MayFile(staff, "unit", a.Unit); err != nil {
		return Activity{}, err
	}
	now := s.now()
	a.Photos, a.RemovedPhotos = nil, nil
	a, err := s.check(ctx, a, nil, nil, now)
	if err != nil {
		return Activity{}, err
	}
	a.ID, a.CreatedBy, a.CreatedAt, a.UpdatedAt = 0, staff.Name, now, now
	if err := s.Store.CreateActivity(ctx, &a); err != nil {
		return Activity{}, err
	}
	return a, nil
}

// CreateMany checks every activity as Create does and stores them all,
// with also (an import's own event), in one transaction, or none: refused[i]
// is the refusal of as[i], and nothing is written while any is refused, nor
// on a dry run. Its error is a failure of the whole.
func (s *Service) CreateMany(ctx context.Context, staff org.User, as []Activity, also []eventlog.Event, dryRun bool) ([]Activity, []error, error) {
	c := *s
	c.Store = batchStore{register.Cached(s.Store), storeBelow{s.Store}}
	s = &c
	now := s.now()
	out, refused, bad, err := register.CheckRows(as, func(a Activity) (Activity, error) {
		forbidden := archive.MayFile(staff, "unit", a.Unit)
		a.Photos, a.RemovedPhotos = nil, nil
		a, err := s.check(ctx, a, nil, nil, now)
		a.ID, a.CreatedBy, a.CreatedAt, a.UpdatedAt = 0, staff.Name, now, now
		return a, register.Both(forbidden, err)
	})
	if err != nil || bad || dryRun {
		return out, refused, err
	}
	ptrs := make([]*Activity, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.Store.CreateActivities(ctx, ptrs, also); err != nil {
		return nil, nil, err
	}
	return out, refused, nil
}

// Update changes the activity id, last read at version, by p. A version
// other than the stored one is a conflict: someone changed it meanwhile.
func (s *Service) Update(ctx context.Context, staff org.User, id int64, version int, p Patch) (Activity, error) {
	var now time.Time
	before, after, err := register.Change[Activity]{Record: Noun, Version: version,
		Read:    func() (Activity, error) { return s.Get(ctx, staff, id) },
		Held:    func(a Activity) (string, int) { return a.Unit, a.Version },
		MayFile: func(unit string) error { return archive.MayFile(staff, "unit", unit) },
		Apply:   p.Apply,
		Check: func(after, before Activity) (Activity, error) {
			now = s.now()
			return s.check(ctx, after, &before, p.RemovePhotos, now)
		},
	}.Run()
	if err != nil {
		return Activity{}, err
	}
	after.UpdatedAt = now
	e, changed := after.Changed(before, staff.Name)
	if !changed {
		return before, nil
	}
	if err := s.Store.UpdateActivity(ctx, &after, version, []eventlog.Event{e}); err != nil {
		return Activity{}, err
	}
	return after, nil
}

// check validates a and that its unit, branch and participants exist. A
// change (before not nil) checks only the references it adds, so that a
// unit's edit of the title is not blocked by what has changed around the
// record since it was written.
func (s *Service) check(ctx context.Context, a Activity, before *Activity, remove []int64, now time.Time) (Activity, error) {
	var p minyi.Problems
	field := "photos"
	if before != nil {
		field = "add_photos"
	}
	photos := a.checkPhotos(&p, field, remove)
	a, err := a.Validate(now)
	if err := archive.AddProblems(&p, "", err); err != nil {
		return Activity{}, err
	}
	a.NewPhotos = photos
	var was *register.UnitBranch
	if before != nil {
		was = &register.UnitBranch{Unit: before.Unit, Branch: before.Branch}
	}
	if err := register.CheckUnitBranch(ctx, &p, s.Store, "单位", register.UnitBranch{Unit: a.Unit, Branch: a.Branch}, was); err != nil {
		return Activity{}, err
	}
	if before == nil || a.Campaign != before.Campaign {
		if err := register.CheckCampaign(ctx, &p, s.Store.CampaignExists, a.Campaign); err != nil {
			return Activity{}, err
		}
	}
	for _, name := range a.Participants {
		if before != nil && slices.Contains(before.Participants, name) {
			continue
		}
		if err := register.CheckStaff(ctx, &p, s.Store.UserByName, "participants", "参加民警", name); err != nil {
			return Activity{}, err
		}
	}
	return a, p.Err()
}

// Get returns an activity u may see.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Activity, error) {
	a, err := s.Store.Activity(ctx, id)
	if err != nil {
		return Activity{}, err
	}
	if !u.CanSeeUnit(a.Unit) {
		return Activity{}, minyi.Errorf(minyi.EForbidden, "该志愿服务活动不属于您的单位 / this volunteer activity belongs to another unit")
	}
	return a, nil
}

// Photo returns a photo of an activity u may see.
func (s *Service) Photo(ctx context.Context, u org.User, id, photo int64) (archive.Photo, error) {
	if _, err := s.Get(ctx, u, id); err != nil {
		return archive.Photo{}, err
	}
	return s.Store.RecordPhoto(ctx, Register, id, photo)
}

// List returns a page of the activities u may see that f selects.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (Page, error) {
	if err := checkDays(f); err != nil {
		return Page{}, err
	}
	f.Units = u.VisibleUnits()
	return s.Store.Activities(ctx, f)
}

// Each calls fn with every activity of f that u may see, as List shows
// them, oldest first rather than latest first, read without pages or
// counts: an export of a year's activities (the ledgers' workbook). f's
// page and cursor are ignored.
func (s *Service) Each(ctx context.Context, u org.User, f Filter, fn func(Activity) error) error {
	f.Limit, f.Cursor = 0, ""
	if err := checkDays(f); err != nil {
		return err
	}
	f.Units = u.VisibleUnits()
	return s.Store.EachActivity(ctx, f, fn)
}

// checkDays refuses a filter whose from or to is not a day.
func checkDays(f Filter) error {
	var p minyi.Problems
	for _, d := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}} {
		if d.v != "" {
			if _, err := time.Parse(dayLayout, d.v); err != nil {
				p.Add(d.field, "日期格式应为YYYY-MM-DD", d.field+" must be YYYY-MM-DD")
			}
		}
	}
	return p.Err()
}

// The volunteer activities register is a reporting.Source, by branch too.
var _ reporting.BranchSource = (*Service)(nil)

// Register names the register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for the activities dated in f's period by f's
// units: activities, volunteers (the sum of their volunteers),
// volunteer_hours (hours times volunteers, summed and rounded down to whole
// hours) and served (people served).
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	return s.Store.ActivityFigures(ctx, f)
}

// FiguresByBranch answers the branch comparison: the keys of Figures, by
// the activity's party branch.
func (s *Service) FiguresByBranch(ctx context.Context, f reporting.Filter) (map[string]reporting.Figures, error) {
	return s.Store.ActivityFiguresByBranch(ctx, f)
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
