package dispute

import (
	"context"
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/dispute/kind"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
)

// Store persists disputes. *store.DB implements it.
type Store interface {
	// Lookups find the units and branches a dispute names.
	register.Lookups
	// LogEvents appends events to the log without changing a record: the
	// reveals of an export (Filter.Reveal).
	LogEvents(ctx context.Context, events []eventlog.Event) error
	// CreateDispute stores d with its search terms and its created event
	// (Dispute.Created) in one transaction; it assigns d.ID and sets
	// d.Version to 1.
	CreateDispute(ctx context.Context, d *Dispute) error
	// UpdateDispute stores d, read at version, with events, in one
	// transaction: conflict when the stored version is no longer version.
	// It sets d.Version to the new version.
	UpdateDispute(ctx context.Context, d *Dispute, version int, events []eventlog.Event) error
	// Dispute returns one dispute, parties unmasked, or not_found.
	Dispute(ctx context.Context, id int64) (Dispute, error)
	// Disputes lists the disputes f selects, newest first, with Total.
	Disputes(ctx context.Context, f Filter) (register.Page[Dispute], error)
	// EachDispute calls fn with every dispute f selects (no search words),
	// oldest first, without a page or a count.
	EachDispute(ctx context.Context, f Filter, fn func(Dispute) error) error
	// DisputeFigures counts the disputes of f for reports (Service.Figures).
	DisputeFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
	// Item returns an item of the archive by its tracking number.
	Item(ctx context.Context, number string) (archive.Item, error)
	// CampaignExists reports whether a campaign of that id exists.
	CampaignExists(ctx context.Context, id int64) (bool, error)
}

// Settings reads the bureau's settings by name ("" when never set): the
// list of dispute kinds (kind.SettingName).
type Settings interface {
	Setting(ctx context.Context, name string) (string, error)
}

// Filter selects disputes for a list.
type Filter struct {
	register.Filter
	Units    []string // visibility: only these units' disputes (nil: all)
	Status   Status
	Unit     string
	Branch   string
	Kind     string
	Township string
	Risk     Risk
	// Overdue selects the open disputes past their time limit at Now.
	Overdue bool
	// From and To bound the day found, YYYY-MM-DD, inclusive.
	From, To string
	// ClosedFrom and ClosedTo bound the day a dispute ended (resolved,
	// referred or unresolved), inclusive: the day DisputeFigures counts
	// resolved, referred and unresolved by, so a report's figure links to
	// the list of its records.
	ClosedFrom, ClosedTo string
	// Level selects the disputes resolved at this level.
	Level Level
	// Campaign selects the disputes of one campaign (0: any).
	Campaign int64
	// Now is when overdue is judged; the Service sets it.
	Now time.Time
	// Reveal, when set, lists the parties in full for an export the user
	// asked to reveal, and names it (its filter) in the events recording
	// that the user read them (List); empty: masked.
	Reveal string
}

// Check refuses a filter naming an unknown status or risk, or a bad day.
func (f Filter) Check() error {
	var p minyi.Problems
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "未知的状态（found、mediating、resolved、referred、unresolved）", "status must be one of found, mediating, resolved, referred, unresolved")
	}
	if f.Risk != "" && !slices.Contains(Risks, f.Risk) {
		p.Add("risk", "未知的风险等级（low、medium、high）", "risk must be one of low, medium, high")
	}
	if f.Level != "" && !slices.Contains(Levels, f.Level) {
		p.Add("level", "未知的化解层级（village、township、county）", "level must be one of village, township, county")
	}
	for _, d := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}, {"closed_from", f.ClosedFrom}, {"closed_to", f.ClosedTo}} {
		if _, err := time.Parse(dayLayout, d.v); d.v != "" && err != nil {
			p.Add(d.field, d.field+"须为YYYY-MM-DD格式的日期", d.field+" must be a date YYYY-MM-DD")
		}
	}
	if f.Limit < 0 || f.Limit > 100 {
		p.Add("limit", "每页条数须在1到100之间", "limit must be between 1 and 100")
	}
	return p.Err()
}

// Service records and reads disputes. Who sees and changes what is the
// items' rule: a unit's staff their own unit's disputes, partners read
// only, leaders and admins all. Its clock and working-day calendar are the
// items' (archive.Service).
type Service struct {
	Store Store
	Items *archive.Service
	// Settings holds the bureau's dispute kinds (kind.SettingName); nil,
	// or the setting unset, is kind.Defaults. Read per call, so that every
	// server follows an administrator's change at once.
	Settings Settings
}

func (s *Service) now() time.Time { return s.Items.Clock() }

// Kinds returns the kinds a dispute may be recorded with now, in the
// bureau's order.
func (s *Service) Kinds(ctx context.Context) ([]kind.Kind, error) {
	if s.Settings == nil {
		return kind.Defaults, nil
	}
	v, err := s.Settings.Setting(ctx, kind.SettingName)
	if err != nil {
		return nil, err
	}
	return kind.Parse(v)
}

// Create validates a new dispute and stores it, found, with its created
// event. Staff create into their own unit; leaders and admins into any;
// partners none. A record from a page form (its Form) is created once per
// form (archive.FileOnce): sent again, it is the record created first.
func (s *Service) Create(ctx context.Context, staff org.User, d Dispute) (Dispute, error) {
	return archive.FileOnce(ctx, s.Store, Register, &d.Form,
		func(id int64) (Dispute, error) { return s.Get(ctx, staff, id) },
		func() (Dispute, error) { return s.create(ctx, staff, d) })
}

func (s *Service) create(ctx context.Context, staff org.User, d Dispute) (Dispute, error) {
	if err := archive.MayFile(staff, "unit", strings.TrimSpace(d.Unit)); err != nil {
		return Dispute{}, err
	}
	now := s.now()
	d.ID, d.Status, d.Mediations, d.FollowUps = 0, StatusFound, nil, nil
	d.ClosedOn, d.Agreement, d.Level, d.ReferredTo, d.ReferredWhom, d.Reason = "", "", "", "", "", ""
	d, err := s.check(ctx, staff, d, nil, now)
	if err != nil {
		return Dispute{}, err
	}
	d.DueAt = s.due(d)
	d.CreatedBy, d.CreatedAt, d.UpdatedAt = staff.Name, now, now
	if err := s.Store.CreateDispute(ctx, &d); err != nil {
		return Dispute{}, err
	}
	return d.Shown(now), nil
}

// due is DueDays working days from the start of the day the dispute was
// found, on the items' working-day calendar.
func (s *Service) due(d Dispute) time.Time {
	start, err := time.ParseInLocation(dayLayout, d.FoundOn, calendar.Zone)
	if err != nil {
		return time.Time{} // refused by Validate before
	}
	cal := s.Items.Policy().Calendar
	if cal == nil {
		return start.AddDate(0, 0, d.DueDays)
	}
	return cal.Due(start, calendar.Limit{Amount: d.DueDays, Unit: calendar.WorkingDays}).At
}

// check validates d and that its unit, branch, item and campaign exist and
// that staff may see the item. A change (before not nil) checks only what
// it changes, so that an edit of the summary is not refused for what has
// changed around the dispute since; a kind dropped from the list stays on
// the disputes recorded with it.
func (s *Service) check(ctx context.Context, staff org.User, d Dispute, before *Dispute, now time.Time) (Dispute, error) {
	kinds, err := s.Kinds(ctx)
	if err != nil {
		return Dispute{}, err
	}
	codes := kind.Codes(kinds)
	if before != nil && strings.TrimSpace(d.Kind) == before.Kind {
		codes = append(codes, before.Kind)
	}
	var p minyi.Problems
	d, err = d.Validate(now, codes)
	if err := archive.AddProblems(&p, "", err); err != nil {
		return Dispute{}, err
	}
	var was *register.UnitBranch
	if before != nil {
		was = &register.UnitBranch{Unit: before.Unit, Branch: before.Branch}
	}
	if err := register.CheckUnitBranch(ctx, &p, s.Store, "排查单位", register.UnitBranch{Unit: d.Unit, Branch: d.Branch}, was); err != nil {
		return Dispute{}, err
	}
	if before == nil || d.Campaign != before.Campaign {
		if err := register.CheckCampaign(ctx, &p, s.Store.CampaignExists, d.Campaign); err != nil {
			return Dispute{}, err
		}
	}
	if d.Item != "" && (before == nil || d.Item != before.Item) {
		it, err := s.Store.Item(ctx, d.Item)
		switch {
		case minyi.ErrorCode(err) == minyi.ENotFound:
			p.Add("item", "群众诉求"+d.Item+"不存在", "item: no item numbered "+d.Item)
		case err != nil:
			return Dispute{}, err
		case !staff.CanSeeUnit(it.UnitCode):
			p.Add("item", "群众诉求"+d.Item+"不属于您的单位", "item: item "+d.Item+" belongs to another unit")
		}
	}
	return d, p.Err()
}

// Get returns a dispute u may see, its parties masked.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Dispute, error) {
	d, err := s.Store.Dispute(ctx, id)
	if err != nil {
		return Dispute{}, err
	}
	if err := MaySee(u, d.Unit); err != nil {
		return Dispute{}, err
	}
	return d.Shown(s.now()), nil
}

// Each calls fn with every dispute of f that u may see, shown to u as List
// shows them (the parties masked: Each never reveals), oldest first rather
// than newest first, read without pages or counts: an export of a year's
// disputes (the ledgers' workbook). f's page, cursor and Reveal are
// ignored.
func (s *Service) Each(ctx context.Context, u org.User, f Filter, fn func(Dispute) error) error {
	f.Limit, f.Cursor, f.Reveal = 0, "", ""
	if err := f.Check(); err != nil {
		return err
	}
	f.Units, f.Now = u.VisibleUnits(), s.now()
	return s.Store.EachDispute(ctx, f, func(d Dispute) error { return fn(d.Shown(f.Now)) })
}

// List returns a page of the disputes u may see that f selects, with the
// count of all of them, the parties masked. With f.Reveal (an export shown
// in full) they are not, for those who may reveal the parties of their
// unit (MayReveal; others are forbidden before anything is read), and each
// dispute of the page gets a parties_revealed event naming the export,
// written before the page is returned (without moving its version).
func (s *Service) List(ctx context.Context, u org.User, f Filter) (register.Page[Dispute], error) {
	if err := f.Check(); err != nil {
		return register.Page[Dispute]{}, err
	}
	if f.Reveal != "" {
		if err := register.MayRevealAll(u, MayReveal); err != nil {
			return register.Page[Dispute]{}, err
		}
	}
	f.Units, f.Now = u.VisibleUnits(), s.now()
	page, err := s.Store.Disputes(ctx, f)
	if err != nil {
		return page, err
	}
	var log []eventlog.Event
	for i, d := range page.Items {
		shown := d.Shown(f.Now)
		if f.Reveal != "" && len(d.Parties) > 0 {
			shown.Parties = d.Parties
			log = append(log, eventlog.Event{Register: Register, RecordID: d.ID, Record: d.record(), Type: EventPartiesRevealed, Actor: u.Name,
				At: f.Now, From: string(d.Status), To: string(d.Status), Data: map[string]string{"export": f.Reveal}})
		}
		page.Items[i] = shown
	}
	return page, s.Store.LogEvents(ctx, log)
}

// Edit changes the fields p holds of a dispute staff may change, against
// the version staff read: conflict when it is stale. Nothing changed is no
// edit: the dispute is answered as it is.
func (s *Service) Edit(ctx context.Context, staff org.User, id int64, p Patch) (Dispute, error) {
	if p.Version == nil {
		return Dispute{}, register.MissingVersion()
	}
	before, err := s.Store.Dispute(ctx, id)
	if err != nil {
		return Dispute{}, err
	}
	if err := s.mayChange(staff, before, *p.Version, MayEdit); err != nil {
		return Dispute{}, err
	}
	// On a new dispute an empty day means today; in a change it would move
	// the day found silently, so it must name one.
	if p.FoundOn != nil && strings.TrimSpace(*p.FoundOn) == "" {
		return Dispute{}, minyi.Invalid("found_on", "排查日期不能为空", "found_on cannot be empty in a change")
	}
	now := s.now()
	d, err := s.check(ctx, staff, p.Apply(before), &before, now)
	if err != nil {
		return Dispute{}, err
	}
	if d.FoundOn != before.FoundOn || d.DueDays != before.DueDays {
		d.DueAt = s.due(d)
	}
	d.UpdatedAt = now
	e, changed := d.Edited(before, staff.Name)
	if !changed {
		return before.Shown(now), nil
	}
	if err := s.Store.UpdateDispute(ctx, &d, before.Version, []eventlog.Event{e}); err != nil {
		return Dispute{}, err
	}
	return d.Shown(now), nil
}

// Act takes a lifecycle action on a dispute, against the version staff
// read.
func (s *Service) Act(ctx context.Context, staff org.User, id int64, version *int, cmd Command) (Dispute, error) {
	if version == nil {
		return Dispute{}, register.MissingVersion()
	}
	d, err := s.Store.Dispute(ctx, id)
	if err != nil {
		return Dispute{}, err
	}
	now := s.now()
	var events []eventlog.Event
	decide := func(actor register.Actor, _ string) error {
		events, err = Decide(d, cmd, actor, now)
		return err
	}
	if err := s.mayChange(staff, d, *version, decide); err != nil {
		return Dispute{}, err
	}
	read := d.Version
	for _, e := range events {
		d = Apply(d, e)
	}
	if err := s.Store.UpdateDispute(ctx, &d, read, events); err != nil {
		return Dispute{}, err
	}
	return d.Shown(now), nil
}

// Reveal returns the parties of a dispute unmasked to staff who may see
// them (MayReveal), recording that they looked as an event of the
// dispute's log (which moves its version, as any event does).
func (s *Service) Reveal(ctx context.Context, staff org.User, id int64) ([]Party, error) {
	d, err := s.Store.Dispute(ctx, id)
	if err != nil {
		return nil, err
	}
	reveal := func(actor register.Actor, unit string) error { return MayReveal(actor, unit) }
	if err := s.mayChange(staff, d, d.Version, reveal); err != nil {
		return nil, err
	}
	now := s.now()
	e := eventlog.Event{Register: Register, RecordID: d.ID, Record: d.record(), Type: EventPartiesRevealed, Actor: staff.Name,
		At: now, From: string(d.Status), To: string(d.Status)}
	read := d.Version
	d.UpdatedAt = now
	if err := s.Store.UpdateDispute(ctx, &d, read, []eventlog.Event{e}); err != nil {
		return nil, err
	}
	return d.Parties, nil
}

// mayChange refuses, in this order, a dispute staff may not see, a
// disabled account, what may refuses (the role, the state, the command),
// and a stale version.
func (s *Service) mayChange(staff org.User, d Dispute, version int, may func(register.Actor, string) error) error {
	if err := MaySee(staff, d.Unit); err != nil {
		return err
	}
	if staff.Disabled {
		return minyi.Errorf(minyi.EForbidden, "账号已停用 / account disabled")
	}
	if err := may(register.ActorFor(staff), d.Unit); err != nil {
		return err
	}
	if d.Version != version {
		return register.Stale(Noun)
	}
	return nil
}

// The disputes register is a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the disputes register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// FigureKeys are the keys Figures answers, each a count of disputes of the
// period and units: found (by the day found), resolved, referred and
// unresolved (by the day they ended so), resolved_village (resolved at
// village level: 小事不出村), village_share (resolved_village per thousand
// resolved, ‰, rounded; 0 with none resolved), open (found by the end of
// the period and not ended by then) and overdue (of those, past their time
// limit at the end of the period, or now if that is earlier).
var FigureKeys = []string{"found", "resolved", "referred", "unresolved", "open", "overdue", "resolved_village", "village_share"}

// Figures answers reporting for the disputes of f's units (FigureKeys).
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	if f.Now.IsZero() {
		f.Now = s.now()
	}
	out, err := s.Store.DisputeFigures(ctx, f)
	if err != nil {
		return nil, err
	}
	out["village_share"] = 0
	if out["resolved"] > 0 {
		out["village_share"] = (out["resolved_village"]*1000 + out["resolved"]/2) / out["resolved"]
	}
	return out, nil
}
