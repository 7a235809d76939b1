package indicator

import (
	"context"
	"strconv"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
)

// Store persists indicators and their entries. *store.DB implements it.
type Store interface {
	// Unit returns a unit, or ENotFound.
	Unit(ctx context.Context, code string) (org.Unit, error)
	// CreateDefinition stores d with its defined event in one transaction;
	// a code already defined is EConflict.
	CreateDefinition(ctx context.Context, d *Definition, actor string) error
	// UpdateDefinition stores d over the stored version version with its
	// changed event, in one transaction, and increments d.Version; a stale
	// version is EConflict.
	UpdateDefinition(ctx context.Context, d *Definition, version int, actor string, before Definition) error
	// Definition returns one definition, or ENotFound.
	Definition(ctx context.Context, code string) (Definition, error)
	// Definitions returns every definition, by code.
	Definitions(ctx context.Context) ([]Definition, error)
	// CreateEntries stores every entry as CreateEntry does, then the
	// events of also, in one transaction.
	CreateEntries(ctx context.Context, es []*Entry, also []eventlog.Event) error
	// CreateEntry stores e with its entered event in one transaction,
	// superseding the current entry of its indicator, unit and month
	// (setting e.Supersedes), and assigns e.ID.
	CreateEntry(ctx context.Context, e *Entry) error
	// Entry returns one entry, or ENotFound.
	Entry(ctx context.Context, id int64) (Entry, error)
	// Entries lists the entries f selects, latest month first, with their
	// total.
	Entries(ctx context.Context, f Filter) (Page, error)
	// EachEntry calls fn with every entry f selects, oldest first,
	// without a page or a count.
	EachEntry(ctx context.Context, f Filter, fn func(Entry) error) error
	// CurrentEntries returns the current entries of the months first to
	// last (YYYY-MM, inclusive, "" open) of the units (nil: all).
	CurrentEntries(ctx context.Context, first, last string, units []string) ([]Entry, error)
}

// Service defines indicators and records and reads their entries. Admins
// define; a unit's staff enter their own unit's values, leaders and admins
// any unit's, partners none; everyone reads what their units let them.
type Service struct {
	Store Store
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time { return register.Now(s.Now) }

// Definitions returns every indicator definition; any member of staff may
// read them.
func (s *Service) Definitions(ctx context.Context, u org.User) ([]Definition, error) {
	return s.Store.Definitions(ctx)
}

// Define stores a new indicator, active; admins only.
func (s *Service) Define(ctx context.Context, admin org.User, d Definition) (Definition, error) {
	if err := org.CheckManage(admin); err != nil {
		return Definition{}, err
	}
	d.Active = true
	d, err := d.Validate()
	if err != nil {
		return Definition{}, err
	}
	now := s.now()
	d.CreatedAt, d.UpdatedAt = now, now
	if err := s.Store.CreateDefinition(ctx, &d, admin.Name); err != nil {
		return Definition{}, err
	}
	return d, nil
}

// Change changes the indicator code, last read at version, by p; admins
// only. A version other than the stored one is a conflict.
func (s *Service) Change(ctx context.Context, admin org.User, code string, version int, p DefinitionPatch) (Definition, error) {
	if err := org.CheckManage(admin); err != nil {
		return Definition{}, err
	}
	if version <= 0 {
		return Definition{}, register.MissingVersion()
	}
	before, err := s.Store.Definition(ctx, code)
	if err != nil {
		return Definition{}, err
	}
	if before.Version != version {
		return Definition{}, register.Stale(Noun)
	}
	after, err := p.Apply(before).Validate()
	if err != nil {
		return Definition{}, err
	}
	if _, changed := after.Changed(before, admin.Name); !changed {
		return before, nil
	}
	after.UpdatedAt = s.now()
	if err := s.Store.UpdateDefinition(ctx, &after, version, admin.Name, before); err != nil {
		return Definition{}, err
	}
	return after, nil
}

// Enter records a unit's value of an indicator for a month. An entry for
// an indicator, unit and month that has one supersedes it; a retired
// indicator takes none. An entry from a page form (its Form) is made once
// per form (archive.FileOnce): sent again, it is the entry made first.
func (s *Service) Enter(ctx context.Context, staff org.User, e Entry) (Entry, error) {
	return archive.FileOnce(ctx, s.Store, Register, &e.Form,
		func(id int64) (Entry, error) { return s.Entry(ctx, staff, id) },
		func() (Entry, error) { return s.enter(ctx, staff, e) })
}

// Entry returns one entry u may see.
func (s *Service) Entry(ctx context.Context, u org.User, id int64) (Entry, error) {
	e, err := s.Store.Entry(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	if !u.CanSeeUnit(e.Unit) {
		return Entry{}, minyi.Errorf(minyi.EForbidden, "该指标数值不属于您的单位 / this indicator entry belongs to another unit")
	}
	return e, nil
}

// enter is Enter of an entry not yet made.
func (s *Service) enter(ctx context.Context, staff org.User, e Entry) (Entry, error) {
	e, err := s.check(ctx, staff, e, s.now())
	if err != nil {
		return Entry{}, err
	}
	if err := s.Store.CreateEntry(ctx, &e); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// check refuses an entry staff may not make (forbidden), else checks it
// and that its indicator takes entries and its unit exists, and returns it
// ready to store at now.
func (s *Service) check(ctx context.Context, staff org.User, e Entry, now time.Time) (Entry, error) {
	if err := archive.MayFile(staff, "unit", e.Unit); err != nil {
		return Entry{}, err
	}
	e, err := e.Validate(now)
	var p minyi.Problems
	if err := archive.AddProblems(&p, "", err); err != nil {
		return Entry{}, err
	}
	if e.Indicator != "" {
		if d, err := s.Store.Definition(ctx, e.Indicator); minyi.ErrorCode(err) == minyi.ENotFound {
			p.Add("indicator", "指标不存在", "unknown indicator")
		} else if err != nil {
			return Entry{}, err
		} else if !d.Active {
			p.Add("indicator", "指标已停用，不再录入", "the indicator is retired and takes no new entries")
		}
	}
	if e.Unit != "" {
		if _, err := s.Store.Unit(ctx, e.Unit); minyi.ErrorCode(err) == minyi.ENotFound {
			p.Add("unit", "单位不存在", "unknown unit")
		} else if err != nil {
			return Entry{}, err
		}
	}
	if err := p.Err(); err != nil {
		return Entry{}, err
	}
	e.ID, e.Supersedes, e.Current, e.CreatedBy, e.CreatedAt = 0, 0, true, staff.Name, now
	return e, nil
}

// EnterMany checks every entry as Enter does and stores them all, with
// also (an import's own event), in one transaction, or none: refused[i] is
// the refusal of es[i], and nothing is written while any is refused, nor
// on a dry run. Two entries of one indicator, unit and month are refused
// (the later names its month): a file gives one value a month, and a
// correction is a file of its own. An entry of a month that has one
// supersedes it, as Enter's does.
func (s *Service) EnterMany(ctx context.Context, staff org.User, es []Entry, also []eventlog.Event, dryRun bool) ([]Entry, []error, error) {
	c := *s
	c.Store = &cachedStore{Store: s.Store, defs: map[string]cachedDef{}, units: map[string]error{}}
	now := s.now()
	seen := map[string]int{}
	at := 0
	out, refused, bad, err := register.CheckRows(es, func(e Entry) (Entry, error) {
		at++
		got, err := c.check(ctx, staff, e, now)
		if err != nil {
			return got, err
		}
		key := got.Indicator + "/" + got.Unit + "/" + got.Month
		if first, ok := seen[key]; ok {
			return got, minyi.Invalid("month", "与第"+strconv.Itoa(first)+"条重复：同一指标、单位和月份只能有一个数值",
				"repeats entry "+strconv.Itoa(first)+": one value per indicator, unit and month")
		}
		seen[key] = at
		return got, nil
	})
	if err != nil || bad || dryRun {
		return out, refused, err
	}
	ptrs := make([]*Entry, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.Store.CreateEntries(ctx, ptrs, also); err != nil {
		return nil, nil, err
	}
	return out, refused, nil
}

// cachedStore is the Store of one EnterMany: each indicator and unit its
// entries name is looked up once.
type cachedStore struct {
	Store
	defs  map[string]cachedDef
	units map[string]error
}

type cachedDef struct {
	d   Definition
	err error
}

func (c *cachedStore) Definition(ctx context.Context, code string) (Definition, error) {
	if d, ok := c.defs[code]; ok {
		return d.d, d.err
	}
	d, err := c.Store.Definition(ctx, code)
	if err == nil || minyi.ErrorCode(err) == minyi.ENotFound {
		c.defs[code] = cachedDef{d, err}
	}
	return d, err
}

func (c *cachedStore) Unit(ctx context.Context, code string) (org.Unit, error) {
	if err, ok := c.units[code]; ok {
		return org.Unit{Code: code}, err
	}
	u, err := c.Store.Unit(ctx, code)
	if err == nil || minyi.ErrorCode(err) == minyi.ENotFound {
		c.units[code] = err
	}
	return u, err
}

// List returns a page of the entries u may see that f selects.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (Page, error) {
	if err := checkMonths(f); err != nil {
		return Page{}, err
	}
	f.Units = u.VisibleUnits()
	return s.Store.Entries(ctx, f)
}

// Each calls fn with every entry of f that u may see, as List shows them,
// oldest first rather than latest month first, read without pages or
// counts: the ledgers' workbook's indicators. f's page and cursor are
// ignored.
func (s *Service) Each(ctx context.Context, u org.User, f Filter, fn func(Entry) error) error {
	f.Limit, f.Cursor = 0, ""
	if err := checkMonths(f); err != nil {
		return err
	}
	f.Units = u.VisibleUnits()
	return s.Store.EachEntry(ctx, f, fn)
}

// checkMonths refuses a filter whose from or to is not a month.
func checkMonths(f Filter) error {
	var p minyi.Problems
	for _, m := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}} {
		if m.v != "" {
			if _, err := time.Parse(monthLayout, m.v); err != nil {
				p.Add(m.field, "月份格式应为YYYY-MM", m.field+" must be YYYY-MM")
			}
		}
	}
	return p.Err()
}

// The indicators register is a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting with one key per indicator code: its figure
// (Figure) over the months whose first day is within f's period
// (PeriodMonths), from the current entry of each unit and month of f's
// units.
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	defs, err := s.Store.Definitions(ctx)
	if err != nil {
		return nil, err
	}
	out := reporting.Figures{}
	for _, d := range defs {
		out[d.Code] = 0
	}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	first, last := PeriodMonths(f.From, f.To)
	if first != "" && last != "" && first > last {
		return out, nil
	}
	units := f.Units
	if f.Unit != "" {
		if units != nil && !containsUnit(units, f.Unit) {
			return out, nil
		}
		units = []string{f.Unit}
	}
	entries, err := s.Store.CurrentEntries(ctx, first, last, units)
	if err != nil {
		return nil, err
	}
	byCode := map[string][]Entry{}
	for _, e := range entries {
		byCode[e.Indicator] = append(byCode[e.Indicator], e)
	}
	for _, d := range defs {
		out[d.Code] = Figure(d.Aggregation, byCode[d.Code])
	}
	return out, nil
}

func containsUnit(units []string, u string) bool {
	for _, x := range units {
		if x == u {
			return true
		}
	}
	return false
}
