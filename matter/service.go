package matter

import (
	"context"
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/codelist"
	"minyi/eventlog"
	"minyi/org"
	"minyi/outcome"
	"minyi/register"
	"minyi/reporting"
)

// Store persists matters. *store.DB implements it.
type Store interface {
	// Lookups find the units, branches and staff a record names.
	register.Lookups
	// LogEvents appends events to the log without changing a record: the
	// reveals of an export (Filter.Reveal).
	LogEvents(ctx context.Context, events []eventlog.Event) error
	// CreateMatter stores m with its participants, item links, search
	// terms and its created event (Matter.Created) in one transaction;
	// it assigns m.ID and sets m.Version to 1.
	CreateMatter(ctx context.Context, m *Matter) error
	// CreateMatters stores every matter as CreateMatter does, each
	// followed by its history (events decided before it had an id: the
	// store fills in their record), then the events of also, all in one
	// transaction.
	CreateMatters(ctx context.Context, ms []*Matter, history [][]eventlog.Event, also []eventlog.Event) error
	// UpdateMatter stores m, read at version, with events, in one
	// transaction: conflict when the stored version is no longer
	// version. It sets m.Version to the new version.
	UpdateMatter(ctx context.Context, m *Matter, version int, events []eventlog.Event) error
	// Matter returns one matter, or not_found.
	Matter(ctx context.Context, id int64) (Matter, error)
	// Matters lists the matters f selects, newest first, with Total.
	Matters(ctx context.Context, f Filter) (register.Page[Matter], error)
	// EachMatter calls fn with every matter f selects (no search words),
	// with its details, oldest first, without a page or a count.
	EachMatter(ctx context.Context, f Filter, fn func(Matter) error) error
	// MatterOutcomeSum adds up the values of the counted outcome
	// f.Outcome of the matters f selects (its words aside).
	MatterOutcomeSum(ctx context.Context, f Filter) (int64, error)
	// MatterFigures counts the matters of f for reports (Service.Figures).
	MatterFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
	// MatterFiguresByBranch counts done, led and on_time of f's matters
	// by party branch (Service.FiguresByBranch).
	MatterFiguresByBranch(ctx context.Context, f reporting.Filter) (map[string]reporting.Figures, error)
	Item(ctx context.Context, number string) (archive.Item, error)
	// Units lists the units: the public page's townships (Service.Published).
	Units(ctx context.Context) ([]org.Unit, error)
	// CampaignExists reports whether a campaign of that id exists.
	CampaignExists(ctx context.Context, id int64) (bool, error)
	// RecordPhoto returns a photo, with its bytes, of a record of the
	// register (a ledger's, e.g. Register), or not_found.
	RecordPhoto(ctx context.Context, register string, record, photo int64) (archive.Photo, error)
}

// Filter selects matters for a list.
type Filter struct {
	register.Filter
	Units  []string // visibility: only these units' matters (nil: all)
	Status Status
	Unit   string
	Branch string
	Lead   string
	// Led selects the matters led by a named officer (any lead), as
	// Figures counts led.
	Led bool
	// Participant selects the matters a member of staff took part in
	// (a participant, not the lead), by user name.
	Participant string
	Class       archive.Class
	// Item selects the matters that answer the item with this tracking
	// number (an item's page lists them).
	Item string
	// From and To bound the day of completion, YYYY-MM-DD, inclusive.
	From, To string
	// Published selects the published matters only (the public page).
	Published bool
	// Township selects the matters in a township (TownshipOf): their
	// beneficiary's place begins with it, or begins with none of
	// Townships and their unit covers it.
	Township  string
	Townships []string
	// Campaign selects the matters of one campaign (0: any).
	Campaign int64
	// Outcome selects the matters with a counted outcome of this key
	// (e.g. cattle), whose values OutcomeSum adds up as the report's
	// matters.outcome_<key> does.
	Outcome string
	// Reveal, when set, lists the beneficiaries in full for an export the
	// user asked to reveal, and names it (its filter) in the events
	// recording that the user read them (List); empty: masked.
	Reveal string
	// NoTotal reads the page alone, its Total nil: a reader that wants a
	// few records (a report's outcome stories) need not count a year's.
	NoTotal bool
}

// Check refuses a filter naming an unknown status or class or a bad day.
func (f Filter) Check() error {
	var p minyi.Problems
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "未知的状态（planned、in_progress、done、dropped）", "status must be one of planned, in_progress, done, dropped")
	}
	if f.Class != "" && !validClass(f.Class) {
		p.Add("class", "未知的诉求类别", "class must be one of urgent, hard, worrying, hopeful")
	}
	for field, s := range map[string]string{"from": f.From, "to": f.To} {
		if _, err := time.Parse(dayLayout, s); s != "" && err != nil {
			p.Add(field, field+"须为YYYY-MM-DD格式的日期", field+" must be a date YYYY-MM-DD")
		}
	}
	if f.Outcome != "" && !codelist.ValidCode(f.Outcome) {
		p.Add("outcome", "成效代码无效", "outcome must be an outcome's code")
	}
	if f.Limit < 0 || f.Limit > 100 {
		p.Add("limit", "每页条数须在1到100之间", "limit must be between 1 and 100")
	}
	return p.Err()
}

// Service records and reads matters. Its clock and working-day calendar
// are the items' (archive.Service).
type Service struct {
	Store Store
	Items *archive.Service
	// Settings holds the bureau's list of counted outcomes
	// (archive.SettingMatterOutcomes); nil, or the setting unset, is
	// outcome.Defaults. Read per call, so that every server follows an
	// administrator's change at once.
	Settings Settings
}

// Settings reads the bureau's settings by name ("" when never set); the
// store keeps them and archive.Config checks what admins write.
type Settings interface {
	Setting(ctx context.Context, name string) (string, error)
}

// Outcomes returns the counted outcomes a matter may report now, with
// their names, in the bureau's order.
func (s *Service) Outcomes(ctx context.Context) ([]outcome.Key, error) {
	if s.Settings == nil {
		return outcome.Defaults, nil
	}
	v, err := s.Settings.Setting(ctx, archive.SettingMatterOutcomes)
	if err != nil {
		return nil, err
	}
	return outcome.Parse(v)
}

// TargetKeys returns the figure keys of the counted outcomes a matter may
// report now (matters.outcome_cattle), which a campaign's target may name
// though the ledger summary answers them only when they are not zero.
func (s *Service) TargetKeys(ctx context.Context) ([]string, error) {
	keys, err := s.Keys(ctx)
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		keys[i] = Register + ".outcome_" + k
	}
	return keys, nil
}

// Keys returns the codes of the counted outcomes a matter may report now.
func (s *Service) Keys(ctx context.Context) ([]string, error) {
	keys, err := s.Outcomes(ctx)
	if err != nil {
		return nil, err
	}
	return outcome.Codes(keys), nil
}

// Create validates a new matter and stores it, planned, with its created
// event. Staff create into their own unit; leaders and admins into any;
// partners none.
// A record from a page form (its Form) is created once per form
// (archive.FileOnce): sent again, it is the record created first.
func (s *Service) Create(ctx context.Context, staff org.User, m Matter) (Matter, error) {
	return archive.FileOnce(ctx, s.Store, Register, &m.Form,
		func(id int64) (Matter, error) { return s.Get(ctx, staff, id) },
		func() (Matter, error) { return s.create(ctx, staff, m) })
}

// create is Create of a record not yet created.
func (s *Service) create(ctx context.Context, staff org.User, m Matter) (Matter, error) {
	m.Unit = strings.TrimSpace(m.Unit)
	if m.Unit != "" {
		if err := archive.MayFile(staff, "unit", m.Unit); err != nil {
			return Matter{}, err
		}
	} else if !staff.CanFile() {
		return Matter{}, archive.MayFile(staff, "unit", m.Unit)
	}
	m, err := s.prepare(ctx, staff, m, s.Items.Clock())
	if err != nil {
		return Matter{}, err
	}
	if err := s.Store.CreateMatter(ctx, &m); err != nil {
		return Matter{}, err
	}
	return m.Masked(), nil
}

// CreateMany checks every matter as Create does and stores them all, with
// also (an import's own event), in one transaction, or none: refused[i] is
// the refusal of ms[i], and nothing is written while any is refused, nor on
// a dry run. A matter may be recorded as it stands in a bureau's ledger: in
// progress, done on its DoneOn with its Story and Outcomes, or dropped for
// its DropReason, through the lifecycle's own Decide, so the log tells how
// it got there and the importer needs the right to take those steps.
func (s *Service) CreateMany(ctx context.Context, staff org.User, ms []Matter, also []eventlog.Event, dryRun bool) ([]Matter, []error, error) {
	c := *s
	c.Store = batchStore{register.Cached(s.Store), storeBelow{s.Store}}
	s = &c
	now := s.Items.Clock()
	keys, err := s.Keys(ctx)
	if err != nil {
		return nil, nil, err
	}
	history := make([][]eventlog.Event, len(ms))
	at := 0
	out, refused, bad, err := register.CheckRows(ms, func(want Matter) (Matter, error) {
		i := at
		at++
		forbidden := archive.MayFile(staff, "unit", strings.TrimSpace(want.Unit))
		var cmds []Command
		switch want.Status {
		case "", StatusPlanned:
		case StatusInProgress:
			cmds = []Command{{Action: ActStart}}
		case StatusDone:
			cmds = []Command{{Action: ActStart}, {Action: ActComplete, Day: want.DoneOn, Story: want.Story, Outcomes: want.Outcomes}}
		case StatusDropped:
			cmds = []Command{{Action: ActDrop, Reason: want.DropReason}}
		default:
			return want, minyi.Invalid("status", "状态须为已计划、办理中、已办结或已终止", "status must be planned, in_progress, done or dropped")
		}
		m, err := s.prepare(ctx, staff, want, now)
		if err := register.Both(forbidden, err); err != nil {
			return m, err
		}
		for _, cmd := range cmds {
			events, err := Decide(m, cmd, register.ActorFor(staff), now, keys)
			if err != nil {
				return m, register.Renamed(err, map[string]string{"day": "done_on", "reason": "drop_reason"})
			}
			history[i] = append(history[i], events...)
			for _, e := range events {
				m = Apply(m, e)
			}
		}
		return m, nil
	})
	if err != nil || bad || dryRun {
		for i := range out { // a dry run's preview is read as any matter is
			out[i] = out[i].Masked()
		}
		return out, refused, err
	}
	ptrs := make([]*Matter, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.Store.CreateMatters(ctx, ptrs, history, also); err != nil {
		return nil, nil, err
	}
	for i := range out {
		out[i] = out[i].Masked()
	}
	return out, refused, nil
}

// prepare checks a new matter as Create does (fields, references) and
// returns it planned, due and created by staff now, not yet stored.
func (s *Service) prepare(ctx context.Context, staff org.User, m Matter, now time.Time) (Matter, error) {
	m.ID, m.Status, m.Progress, m.Story, m.Outcomes, m.DoneOn, m.DropReason = 0, StatusPlanned, nil, "", nil, "", ""
	m, err := m.Validate(now)
	var p minyi.Problems
	p.Merge(err)
	if err := s.checkRefs(ctx, &p, staff, m); err != nil {
		return Matter{}, err
	}
	if err := p.Err(); err != nil {
		return Matter{}, err
	}
	m.DueAt = s.due(m, now)
	m.CreatedBy, m.CreatedAt, m.UpdatedAt = staff.Name, now, now
	return m, nil
}

// due is DueDays working days from the day the matter was taken on: from
// now when that is today, else from the start of that day.
func (s *Service) due(m Matter, now time.Time) time.Time {
	start := now
	if d, err := time.ParseInLocation(dayLayout, m.OpenedOn, calendar.Zone); err == nil && d.Before(archive.ChinaDay(now)) {
		start = d
	}
	cal := s.Items.Policy().Calendar
	if cal == nil {
		return start.AddDate(0, 0, m.DueDays)
	}
	return cal.Due(start, calendar.Limit{Amount: m.DueDays, Unit: calendar.WorkingDays}).At
}

// checkRefs adds a problem for every unit, branch, person and item m names
// that does not exist, or that staff may not see (an item).
func (s *Service) checkRefs(ctx context.Context, p *minyi.Problems, staff org.User, m Matter) error {
	if err := register.CheckUnitBranch(ctx, p, s.Store, "责任单位", register.UnitBranch{Unit: m.Unit, Branch: m.Branch}, nil); err != nil {
		return err
	}
	if m.Lead != "" {
		if err := register.CheckStaff(ctx, p, s.Store.UserByName, "lead", "领办人", m.Lead); err != nil {
			return err
		}
	}
	for _, name := range m.Participants {
		if err := register.CheckStaff(ctx, p, s.Store.UserByName, "participants", "参与人员", name); err != nil {
			return err
		}
	}
	if err := register.CheckCampaign(ctx, p, s.Store.CampaignExists, m.Campaign); err != nil {
		return err
	}
	for _, number := range m.Items {
		it, err := s.Store.Item(ctx, number)
		switch {
		case minyi.ErrorCode(err) == minyi.ENotFound:
			p.Add("items", "群众意见"+number+"不存在", "items: no item numbered "+number)
		case err != nil:
			return err
		case !staff.CanSeeUnit(it.UnitCode):
			p.Add("items", "群众意见"+number+"不属于您的单位", "items: item "+number+" belongs to another unit")
		}
	}
	return nil
}

// Get returns a matter u may see, the beneficiary masked.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Matter, error) {
	m, err := s.Store.Matter(ctx, id)
	if err != nil {
		return Matter{}, err
	}
	if err := MaySee(u, m.Unit); err != nil {
		return Matter{}, err
	}
	return m.Masked(), nil
}

// List returns a page of the matters u may see that f selects, with the
// count of all of them, the beneficiaries masked. With f.Reveal (an export
// shown in full) they are not, for those who may reveal a beneficiary of
// their unit (MayReveal; others are forbidden before anything is read),
// and each matter of the page with a beneficiary's personal data gets a
// beneficiary_revealed event naming the export, written before the page is
// returned (without moving the matter's version).
func (s *Service) List(ctx context.Context, u org.User, f Filter) (register.Page[Matter], error) {
	if err := f.Check(); err != nil {
		return register.Page[Matter]{}, err
	}
	if f.Reveal != "" {
		if err := register.MayRevealAll(u, MayReveal); err != nil {
			return register.Page[Matter]{}, err
		}
	}
	f.Units = u.VisibleUnits()
	page, err := s.Store.Matters(ctx, f)
	if err != nil {
		return page, err
	}
	var log []eventlog.Event
	now := s.Items.Clock()
	for i, m := range page.Items {
		shown := m.Masked()
		if b := m.Beneficiary; f.Reveal != "" && (b.Name != "" || b.Phone != "" || b.IDNumber != "") {
			shown.Beneficiary = b
			log = append(log, eventlog.Event{Register: Register, RecordID: m.ID, Record: m.record(), Type: EventRevealed, Actor: u.Name,
				At: now, From: string(m.Status), To: string(m.Status), Data: map[string]string{"export": f.Reveal}})
		}
		page.Items[i] = shown
	}
	return page, s.Store.LogEvents(ctx, log)
}

// Each calls fn with every matter of f that u may see, shown to u as List
// shows them (the beneficiary masked: Each never reveals), oldest first
// rather than newest first, read without pages or counts: an export of a
// year's matters (the ledgers' workbook). f's page, cursor and Reveal are
// ignored.
func (s *Service) Each(ctx context.Context, u org.User, f Filter, fn func(Matter) error) error {
	f.Limit, f.Cursor, f.Reveal = 0, "", ""
	if err := f.Check(); err != nil {
		return err
	}
	f.Units = u.VisibleUnits()
	return s.Store.EachMatter(ctx, f, func(m Matter) error { return fn(m.Masked()) })
}

// OutcomeSum adds up the values of the counted outcome f.Outcome of the
// matters f selects that u may see, as the report sums
// matters.outcome_<key> over the matters done in its period. A filter
// with words has no sum (the words select by relevance, not exactly).
func (s *Service) OutcomeSum(ctx context.Context, u org.User, f Filter) (int64, error) {
	if err := f.Check(); err != nil {
		return 0, err
	}
	if f.Outcome == "" || f.Query != "" {
		return 0, minyi.Invalid("outcome", "请指定成效且不带关键词", "outcome is required, without words")
	}
	f.Units = u.VisibleUnits()
	return s.Store.MatterOutcomeSum(ctx, f)
}

// Edit changes the fields p holds of a matter staff may change, against
// the version staff read: conflict when it is stale. Nothing changed is
// no edit: the matter is answered as it is.
func (s *Service) Edit(ctx context.Context, staff org.User, id int64, p Patch) (Matter, error) {
	if err := p.check(); err != nil {
		return Matter{}, err
	}
	old, err := s.writable(ctx, staff, id, *p.Version)
	if err != nil {
		return Matter{}, err
	}
	now := s.Items.Clock()
	m, _ := p.Over(old)
	m, err = m.Validate(now)
	var probs minyi.Problems
	probs.Merge(err)
	if err := s.checkRefs(ctx, &probs, staff, added(old, m)); err != nil {
		return Matter{}, err
	}
	if err := probs.Err(); err != nil {
		return Matter{}, err
	}
	// Cleaning may have undone a change (a title with spaces around it).
	_, changed := whole(m).Over(old)
	if len(changed) == 0 {
		return old.Masked(), nil
	}
	if err := editLegal(old, changed); err != nil {
		return Matter{}, err
	}
	// The due time moves only with what it is reckoned from: an edit of the
	// title must not recompute it with today's calendar.
	if slices.Contains(changed, "due_days") || slices.Contains(changed, "class") {
		m.DueAt = s.due(m, m.CreatedAt)
	}
	m.UpdatedAt = now
	if err := s.Store.UpdateMatter(ctx, &m, old.Version, []eventlog.Event{m.editedFrom(old, changed, staff.Name, now)}); err != nil {
		return Matter{}, err
	}
	return m.Masked(), nil
}

// added is what m names that old did not: the references an edit must
// check. One already there stays, even if the item it names has since gone
// to another unit: an edit of the title must not fail on it.
func added(old, m Matter) Matter {
	refs := Matter{Unit: m.Unit}
	if m.Branch != old.Branch {
		refs.Branch = m.Branch
	}
	if m.Lead != old.Lead {
		refs.Lead = m.Lead
	}
	if m.Campaign != old.Campaign {
		refs.Campaign = m.Campaign
	}
	for _, p := range m.Participants {
		if !slices.Contains(old.Participants, p) {
			refs.Participants = append(refs.Participants, p)
		}
	}
	for _, it := range m.Items {
		if !slices.Contains(old.Items, it) {
			refs.Items = append(refs.Items, it)
		}
	}
	return refs
}

// Act takes a lifecycle action on a matter, against the version staff
// read.
func (s *Service) Act(ctx context.Context, staff org.User, id int64, version *int, cmd Command) (Matter, error) {
	if version == nil {
		return Matter{}, register.MissingVersion()
	}
	m, err := s.actable(ctx, staff, id)
	if err != nil {
		return Matter{}, err
	}
	now := s.Items.Clock()
	cmd.Photos = archive.DescribePhotos(cmd.Photos) // once: Decide checks them
	keys, err := s.Keys(ctx)
	if err != nil {
		return Matter{}, err
	}
	events, err := Decide(m, cmd, register.ActorFor(staff), now, keys)
	if err != nil {
		return Matter{}, err
	}
	if m.Version != *version {
		return Matter{}, stale()
	}
	read := m.Version
	for _, e := range events {
		m = Apply(m, e)
	}
	m.NewPhotos = newPhotos(m, cmd)
	if err := s.Store.UpdateMatter(ctx, &m, read, events); err != nil {
		return Matter{}, err
	}
	return m.Masked(), nil
}

// newPhotos are the photos of cmd to store with m after it: those of the
// progress entry it added (numbered from 1), or the outcome story's (0).
func newPhotos(m Matter, cmd Command) []archive.NewPhoto {
	entry := 0
	if cmd.Action == ActProgress {
		entry = len(m.Progress)
	}
	out := make([]archive.NewPhoto, len(cmd.Photos))
	for i, p := range cmd.Photos {
		out[i] = archive.NewPhoto{Photo: p, Entry: entry}
	}
	return out
}

// Photo returns a photo of a matter u may see.
func (s *Service) Photo(ctx context.Context, u org.User, id, photo int64) (archive.Photo, error) {
	m, err := s.Store.Matter(ctx, id)
	if err != nil {
		return archive.Photo{}, err
	}
	if err := MaySee(u, m.Unit); err != nil {
		return archive.Photo{}, err
	}
	return s.Store.RecordPhoto(ctx, Register, id, photo)
}

// PublicPhoto returns a photo of a matter to anybody when the matter's
// photos are public (Matter.PhotosPublic); any other is not_found, as if
// it did not exist, so that nobody learns of unpublished matters.
func (s *Service) PublicPhoto(ctx context.Context, id, photo int64) (archive.Photo, error) {
	none := minyi.Errorf(minyi.ENotFound, "照片不存在 / no such photo")
	m, err := s.Store.Matter(ctx, id)
	if minyi.ErrorCode(err) == minyi.ENotFound || (err == nil && !m.PhotosPublic()) {
		return archive.Photo{}, none
	} else if err != nil {
		return archive.Photo{}, err
	}
	p, err := s.Store.RecordPhoto(ctx, Register, id, photo)
	if minyi.ErrorCode(err) == minyi.ENotFound {
		return archive.Photo{}, none
	}
	return p, err
}

// Reveal returns the beneficiary of a matter unmasked, to officers, unit
// heads, leaders and admins who may see the matter, and records who looked
// as an event of the log (like items' reveal_contact).
func (s *Service) Reveal(ctx context.Context, staff org.User, id int64) (Beneficiary, error) {
	m, err := s.actable(ctx, staff, id)
	if err != nil {
		return Beneficiary{}, err
	}
	if err := lifecycle.Permit(actReveal, register.ActorFor(staff), m.Unit); err != nil {
		return Beneficiary{}, err
	}
	now := s.Items.Clock()
	e := eventlog.Event{Register: Register, RecordID: m.ID, Record: m.record(), Type: EventRevealed, Actor: staff.Name,
		At: now, From: string(m.Status), To: string(m.Status)}
	read := m.Version
	m.UpdatedAt = now
	if err := s.Store.UpdateMatter(ctx, &m, read, []eventlog.Event{e}); err != nil {
		return Beneficiary{}, err
	}
	return m.Beneficiary, nil
}

// actable reads a matter staff may see, refusing a disabled account: what
// every action on a matter reads first.
func (s *Service) actable(ctx context.Context, staff org.User, id int64) (Matter, error) {
	m, err := s.Store.Matter(ctx, id)
	if err != nil {
		return Matter{}, err
	}
	if err := MaySee(staff, m.Unit); err != nil {
		return Matter{}, err
	}
	if staff.Disabled {
		return Matter{}, minyi.Errorf(minyi.EForbidden, "账号已停用 / account disabled")
	}
	return m, nil
}

// writable reads a matter staff may change, at version.
func (s *Service) writable(ctx context.Context, staff org.User, id int64, version int) (Matter, error) {
	m, err := s.actable(ctx, staff, id)
	if err != nil {
		return Matter{}, err
	}
	if err := MayEdit(register.ActorFor(staff), m.Unit); err != nil {
		return Matter{}, err
	}
	if m.Version != version {
		return Matter{}, stale()
	}
	return m, nil
}

func stale() error {
	return minyi.Errorf(minyi.EConflict, "实事已被他人修改，请刷新后重试 / the matter was changed by someone else; reload and try again")
}

// The matters register is a reporting.Source, by branch too.
var _ reporting.BranchSource = (*Service)(nil)

// Register names the matters register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for the matters of f's units done in f's
// period: done, led (done with a named lead), on_time (done by the day
// they were due), done_<class> per concern class, and outcome_<key> for
// each counted outcome, summed.
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	return s.Store.MatterFigures(ctx, f)
}

// FiguresByBranch answers the branch comparison: done, led and on_time of
// Figures, by the matter's party branch.
func (s *Service) FiguresByBranch(ctx context.Context, f reporting.Filter) (map[string]reporting.Figures, error) {
	return s.Store.MatterFiguresByBranch(ctx, f)
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
