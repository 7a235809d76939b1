package publicity

import (
	"context"
	"slices"
	"strconv"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/pubchannel"
	"minyi/register"
	"minyi/reporting"
)

// Store persists publicity pieces. *store.DB implements it.
type Store interface {
	// Lookups find the units and branches a piece names.
	register.Lookups
	// CreatePiece stores pc with its recorded event (Piece.Recorded) in one
	// transaction, assigning pc.ID and pc.Version.
	CreatePiece(ctx context.Context, pc *Piece) error
	// CreatePieces stores every piece as CreatePiece does, then the events
	// of also, in one transaction.
	CreatePieces(ctx context.Context, ps []*Piece, also []eventlog.Event) error
	// UpdatePiece stores pc over the stored version version with events,
	// in one transaction, and increments pc.Version; a stale version is
	// EConflict.
	UpdatePiece(ctx context.Context, pc *Piece, version int, events []eventlog.Event) error
	// Piece returns one piece, or ENotFound.
	Piece(ctx context.Context, id int64) (Piece, error)
	// Pieces lists the pieces f selects, latest first, with their total.
	Pieces(ctx context.Context, f Filter) (Page, error)
	// EachPiece calls fn with every piece f selects (no search words),
	// with the matters it reports, oldest first, without a page or a
	// count.
	EachPiece(ctx context.Context, f Filter, fn func(Piece) error) error
	// PieceFigures counts the pieces of f's period and units: pieces and
	// channel_<code> for every channel pieces were published on.
	PieceFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
	// CampaignExists reports whether a campaign of that id exists.
	CampaignExists(ctx context.Context, id int64) (bool, error)
	// MatterUnits returns the unit of each of the matters ids that exists.
	MatterUnits(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Service records, changes and reads publicity pieces. Who sees and
// changes what is the ledgers' rule: a unit's staff their own unit's
// pieces, partners read only, leaders and admins all.
type Service struct {
	Store Store
	// Settings holds the bureau's list of channels (pubchannel.Field); nil,
	// or the setting unset, is DefaultChannels. Read per call, so that
	// every server follows an administrator's change at once.
	Settings Settings
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Settings reads the bureau's settings by name ("" when never set); the
// store keeps them and archive.Config checks what admins write.
type Settings interface {
	Setting(ctx context.Context, name string) (string, error)
}

// Channels returns the channels a piece may be published on now, with
// their names, in the bureau's order.
func (s *Service) Channels(ctx context.Context) ([]ChannelInfo, error) {
	if s.Settings == nil {
		return DefaultChannels, nil
	}
	v, err := s.Settings.Setting(ctx, pubchannel.Field)
	if err != nil {
		return nil, err
	}
	return pubchannel.Parse(v)
}

// ChannelName returns the names of the channel code: as the bureau lists
// it, or, for a channel since dropped from the list, its code as both
// names (pieces published on it stay readable).
func (s *Service) ChannelName(ctx context.Context, code Channel) (ChannelInfo, error) {
	cs, err := s.Channels(ctx)
	if err != nil {
		return ChannelInfo{}, err
	}
	if c, ok := pubchannel.Find(cs, string(code)); ok && c.Code == string(code) {
		return c, nil
	}
	return ChannelInfo{Code: string(code), Zh: string(code), En: string(code)}, nil
}

func (s *Service) now() time.Time { return register.Now(s.Now) }

// Create validates pc and stores it, recorded by staff. A piece from a
// page form (its Form) is recorded once per form (archive.FileOnce): sent
// again, it is the piece recorded first.
func (s *Service) Create(ctx context.Context, staff org.User, pc Piece) (Piece, error) {
	return archive.FileOnce(ctx, s.Store, Register, &pc.Form,
		func(id int64) (Piece, error) { return s.Get(ctx, staff, id) },
		func() (Piece, error) { return s.create(ctx, staff, pc) })
}

// CreateMany checks every piece as Create does and stores them all, with
// also (an import's own event), in one transaction, or none: refused[i] is
// the refusal of ps[i], and nothing is written while any is refused, nor
// on a dry run.
func (s *Service) CreateMany(ctx context.Context, staff org.User, ps []Piece, also []eventlog.Event, dryRun bool) ([]Piece, []error, error) {
	c := *s
	c.Store = batchStore{register.Cached(s.Store), storeBelow{s.Store}}
	// The bureau's channels are read once for the file.
	cs, err := s.Channels(ctx)
	if err != nil {
		return nil, nil, err
	}
	c.Settings = fixedChannels(pubchannel.Format(cs))
	now := c.now()
	out, refused, bad, err := register.CheckRows(ps, func(pc Piece) (Piece, error) {
		forbidden := archive.MayFile(staff, "unit", pc.Unit)
		pc, err := c.check(ctx, staff, pc, nil, now)
		if err := register.Both(forbidden, err); err != nil {
			return pc, err
		}
		pc.ID, pc.CreatedBy, pc.CreatedAt, pc.UpdatedAt = 0, staff.Name, now, now
		return pc, nil
	})
	if err != nil || bad || dryRun {
		return out, refused, err
	}
	ptrs := make([]*Piece, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.Store.CreatePieces(ctx, ptrs, also); err != nil {
		return nil, nil, err
	}
	return out, refused, nil
}

// fixedChannels answers the channels' setting with the list it holds.
type fixedChannels string

func (f fixedChannels) Setting(context.Context, string) (string, error) { return string(f), nil }

// batchStore is the Store of one CreateMany: the units and branches its
// pieces name are looked up once (register.Cached), the rest is the
// Store's.
type batchStore struct {
	register.Lookups
	storeBelow
}

// storeBelow puts the Store one level below batchStore, so that the cached
// Lookups answer its lookups.
type storeBelow struct{ Store }

// create is Create of a piece not yet recorded.
func (s *Service) create(ctx context.Context, staff org.User, pc Piece) (Piece, error) {
	if err := archive.MayFile(staff, "unit", pc.Unit); err != nil {
		return Piece{}, err
	}
	now := s.now()
	pc, err := s.check(ctx, staff, pc, nil, now)
	if err != nil {
		return Piece{}, err
	}
	pc.ID, pc.CreatedBy, pc.CreatedAt, pc.UpdatedAt = 0, staff.Name, now, now
	if err := s.Store.CreatePiece(ctx, &pc); err != nil {
		return Piece{}, err
	}
	return pc, nil
}

// Update changes the piece id, last read at version, by p. A version
// other than the stored one is a conflict: someone changed it meanwhile.
func (s *Service) Update(ctx context.Context, staff org.User, id int64, version int, p Patch) (Piece, error) {
	var now time.Time
	before, after, err := register.Change[Piece]{Record: Noun, Version: version,
		Read:    func() (Piece, error) { return s.Get(ctx, staff, id) },
		Held:    func(pc Piece) (string, int) { return pc.Unit, pc.Version },
		MayFile: func(unit string) error { return archive.MayFile(staff, "unit", unit) },
		Apply:   p.Apply,
		Check: func(after, before Piece) (Piece, error) {
			now = s.now()
			return s.check(ctx, staff, after, &before, now)
		},
	}.Run()
	if err != nil {
		return Piece{}, err
	}
	after.UpdatedAt = now
	e, changed := after.Changed(before, staff.Name)
	if !changed {
		return before, nil
	}
	if err := s.Store.UpdatePiece(ctx, &after, version, []eventlog.Event{e}); err != nil {
		return Piece{}, err
	}
	return after, nil
}

// check validates pc and that its unit, branch, campaign and matters exist
// and that staff may see the matters it names. A change (before not nil)
// checks only the references it adds, so that an edit of the title is not
// blocked by what has changed around the piece since it was written.
func (s *Service) check(ctx context.Context, staff org.User, pc Piece, before *Piece, now time.Time) (Piece, error) {
	var p minyi.Problems
	pc, err := pc.Validate(now)
	if err := archive.AddProblems(&p, "", err); err != nil {
		return Piece{}, err
	}
	// A piece keeps the channel it was published on though the bureau has
	// since dropped it from its list; a new piece, or one moved, names a
	// channel listed now.
	if pc.Channel != "" && (before == nil || pc.Channel != before.Channel) && pubchannel.ValidCode(string(pc.Channel)) {
		cs, err := s.Channels(ctx)
		if err != nil {
			return Piece{}, err
		}
		if !slices.Contains(pubchannel.Codes(cs), string(pc.Channel)) {
			p.Add("channel", "发布渠道无效，请选择现有渠道", "unknown channel: choose one of the bureau's channels")
		}
	}
	var was *register.UnitBranch
	if before != nil {
		was = &register.UnitBranch{Unit: before.Unit, Branch: before.Branch}
	}
	if err := register.CheckUnitBranch(ctx, &p, s.Store, "单位", register.UnitBranch{Unit: pc.Unit, Branch: pc.Branch}, was); err != nil {
		return Piece{}, err
	}
	if before == nil || pc.Campaign != before.Campaign {
		if err := register.CheckCampaign(ctx, &p, s.Store.CampaignExists, pc.Campaign); err != nil {
			return Piece{}, err
		}
	}
	var added []int64
	for _, id := range pc.Matters {
		if before == nil || !slices.Contains(before.Matters, id) {
			added = append(added, id)
		}
	}
	if len(added) > 0 {
		units, err := s.Store.MatterUnits(ctx, added)
		if err != nil {
			return Piece{}, err
		}
		for _, id := range added {
			unit, ok := units[id]
			if !ok {
				p.Add("matters", "实事"+strconv.FormatInt(id, 10)+"不存在", "matter "+strconv.FormatInt(id, 10)+" does not exist")
			} else if !staff.CanSeeUnit(unit) {
				p.Add("matters", "实事"+strconv.FormatInt(id, 10)+"不属于您可查看的单位", "matter "+strconv.FormatInt(id, 10)+" belongs to a unit you cannot see")
			}
		}
	}
	return pc, p.Err()
}

// Get returns a piece u may see.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Piece, error) {
	pc, err := s.Store.Piece(ctx, id)
	if err != nil {
		return Piece{}, err
	}
	if !u.CanSeeUnit(pc.Unit) {
		return Piece{}, minyi.Errorf(minyi.EForbidden, "该宣传报道不属于您的单位 / this publicity piece belongs to another unit")
	}
	return pc, nil
}

// List returns a page of the pieces u may see that f selects.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (Page, error) {
	if err := checkFilter(f); err != nil {
		return Page{}, err
	}
	f.Units = u.VisibleUnits()
	return s.Store.Pieces(ctx, f)
}

// Each calls fn with every piece of f that u may see, as List shows them,
// oldest first rather than latest first, read without pages or counts: an
// export of a year's pieces (the ledgers' workbook). f's page and cursor
// are ignored.
func (s *Service) Each(ctx context.Context, u org.User, f Filter, fn func(Piece) error) error {
	f.Limit, f.Cursor = 0, ""
	if err := checkFilter(f); err != nil {
		return err
	}
	f.Units = u.VisibleUnits()
	return s.Store.EachPiece(ctx, f, fn)
}

// checkFilter refuses a filter whose from or to is not a day, or whose
// channel is unknown.
func checkFilter(f Filter) error {
	var p minyi.Problems
	for _, d := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}} {
		if d.v != "" {
			if _, err := time.Parse(dayLayout, d.v); err != nil {
				p.Add(d.field, "日期格式应为YYYY-MM-DD", d.field+" must be YYYY-MM-DD")
			}
		}
	}
	if f.Channel != "" && !pubchannel.ValidCode(string(f.Channel)) {
		p.Add("channel", "发布渠道无效", "unknown channel")
	}
	return p.Err()
}

// The publicity register is a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for the pieces published in f's period by f's
// units: pieces, and channel_<code> (e.g. channel_wechat) for every
// channel the bureau lists, zero included, and for any channel since
// dropped that pieces of the period were published on.
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	cs, err := s.Channels(ctx)
	if err != nil {
		return nil, err
	}
	out, err := s.Store.PieceFigures(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if _, ok := out["channel_"+c.Code]; !ok {
			out["channel_"+c.Code] = 0
		}
	}
	return out, nil
}
