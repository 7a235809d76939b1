package archive

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"minyi"
	"minyi/eventlog"
	"minyi/org"
	"minyi/ratelimit"
	"minyi/register"
	"minyi/reporting"
)

// Store persists items. Implementations write an item's events, its current
// row, its search text and its counters in one transaction, and refuse an
// update whose before.Version is stale with an EConflict error.
type Store interface {
	// CreateItem assigns it.ID and it.Number (unique across processes) and
	// stores the item with its events (the received event first, then the
	// dispatch of an item addressed to its unit) and photos.
	CreateItem(ctx context.Context, it *Item, events []Event, photos []Photo) error
	// UpdateItem stores after and appends events if the stored version still
	// equals before.Version; after.Version becomes before.Version+1.
	UpdateItem(ctx context.Context, before Item, after *Item, events []Event) error
	Item(ctx context.Context, number string) (Item, error)
	ItemEvents(ctx context.Context, itemID int64) ([]Event, error)
	FindItems(ctx context.Context, f Filter) (ItemPage, error)
	// DeskEntries lists the online desk newest first, each question once
	// for all who asked it (SameQuestion of the public title): the newest
	// of them, with how many asked; Total counts the entries.
	DeskEntries(ctx context.Context, cursor string, limit int) (DeskItems, error)
	// DeskAsked lists, newest first, the questions on the desk asking the
	// same as item number, it among them; Total counts them (0: number is
	// not on the desk).
	DeskAsked(ctx context.Context, number, cursor string, limit int) (DeskItems, error)
	// EachItem calls fn with every item f matches, in f's order, read
	// without pages (f's page and cursor ignored), each Brief when f.Brief
	// is set; fn's error ends it.
	EachItem(ctx context.Context, f Filter, fn func(Item) error) error
	// CountOpen counts the open and answered items of f.Units at f.Now.
	CountOpen(ctx context.Context, f Filter) (OpenCounts, error)
	// Stats sums the counters of f's period and units and counts the items
	// overdue at f.Now: the items register's figures for reporting.
	Stats(ctx context.Context, f reporting.Filter) (reporting.Stats, error)
	Photo(ctx context.Context, itemID, photoID int64) (Photo, error)
	// ItemAttachments lists the files of an item's answers, without
	// their bytes; ItemAttachment returns one with them.
	ItemAttachments(ctx context.Context, itemID int64) ([]AttachmentInfo, error)
	ItemAttachment(ctx context.Context, itemID, id int64) (Attachment, error)
	Category(ctx context.Context, code string) (Category, error)
	Unit(ctx context.Context, code string) (org.Unit, error)
	// UserByName returns a member of staff, for the officer put in charge
	// of an item (assign).
	UserByName(ctx context.Context, name string) (org.User, error)
	// Users lists every account, for the officers of a unit (Handlers).
	Users(ctx context.Context) ([]org.User, error)
	// Workload counts, per officer in charge, the unit's open items, those
	// overdue at now, and those first answered since since.
	Workload(ctx context.Context, unit string, now, since time.Time) ([]Workload, error)
	// Open311Events returns the events citizens may see (Event.PublicView)
	// of the items readable through Open311, in f's window, by sequence.
	Open311Events(ctx context.Context, f EventFilter) ([]Open311Event, error)
	// LogEvents appends events to the log without changing a record: the
	// reveals of an export (Filter.Reveal).
	LogEvents(ctx context.Context, events []eventlog.Event) error
	// PublicUpdated returns when the last event citizens may see
	// (Event.PublicView) of each of the items ids happened, by item id.
	PublicUpdated(ctx context.Context, ids []int64) (map[int64]time.Time, error)
}

// Filter selects items for lists and search; its page size is PageSize.
type Filter struct {
	register.Filter
	Units    []string // visibility: only these units (nil: all)
	Unit     string   // a chosen unit
	Statuses []Status // any of these
	Kind     Kind     // one kind
	Class    Class    // one concern class
	Channel  Channel  // one channel
	// Channels selects the items of any of these channels (as the
	// report's opinions collected count boxes, QR codes, questionnaires
	// and forums together).
	Channels []Channel
	Category string // one category
	// Assignee is the officer in charge (承辦人), by user name; "me"
	// (AssigneeMe) is the reader, "none" (AssigneeNone) selects the open
	// items dispatched to a unit (dispatched, signed, in progress) that no
	// officer holds (未派).
	Assignee string
	Overdue  bool       // open and past due at Now
	DueSoon  bool       // open and due within DueSoonWindow of Now
	From, To *time.Time // received in [From, To)
	Public   bool       // published on the online desk and answered
	// Answered selects the valid items answered (AnsweredAt set, whatever
	// came after), as the counters count answered (TallyOf): with a
	// period of receipt, the report's items answered.
	Answered bool
	// AnsweredFrom and AnsweredTo select the items first answered
	// (AnsweredAt) in [AnsweredFrom, AnsweredTo), ClosedFrom and ClosedTo
	// those closed (ClosedAt, the last closure: a reopened item is not
	// closed) in [ClosedFrom, ClosedTo), whatever the day of receipt: the
	// work of a period rather than the fate of its intake. Each reads its
	// partial index (store migration 0054).
	AnsweredFrom, AnsweredTo *time.Time
	ClosedFrom, ClosedTo     *time.Time

	Open311 bool   // readable through Open311: filed through it, or Public (Item.Open311Visible)
	Sort    string // relevance (default with Query), newest (default), oldest, due; filed read whole only (SortFiled)
	Now     time.Time
	// Reveal, when set, lists the contacts in full for an export the user
	// asked to reveal, and names it (its filter) in the events recording
	// that the user read them (List); empty: masked.
	Reveal string
	// Brief: Each gives the items Brief, read from those columns only (the
	// ledgers' workbook); the lists ignore it.
	Brief bool
}

// Page sizes of the lists of items (Filter.Size).
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// PageSize is the page size to read: Limit, at most MaxLimit, DefaultLimit
// when unset.
func (f Filter) PageSize() int { return f.Size(DefaultLimit, MaxLimit) }

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
	SortOldest    = "oldest"
	SortDue       = "due"
	// SortFiled is the order filed (by id, so by number within a year),
	// for an archive read whole (Service.Each: the ledgers' workbook) and
	// not a list's: a ledger read in its order of filing reads the
	// table's rows in turn.
	SortFiled = "filed"
)

// ItemPage is one page of a list of items. Its Total is counted only
// where the counters answer it exactly (store: itemTallyTotal): the items
// received in whole days, of some channels or any, all or only the closed.
type ItemPage = register.Page[Item]

// Service is the archive's front door: it authorises, validates, decides and
// stores. Every caller (web, command line, demo loader) goes through it.
type Service struct {
	Store Store
	Now   func() time.Time
	// Notices fills the texts of messages to citizens; when nil no notice
	// is written (tools that load history send nothing).
	Notices *NoticeSettings
	// SMSRate caps the receipts sent by SMS to one phone number, counted by
	// Limits: beyond it the item is still filed, without the SMS, so that
	// nobody can flood a stranger's phone by writing in with their number.
	// The zero rate sends every receipt.
	SMSRate ratelimit.Rate
	Limits  ratelimit.Limiter

	mu     sync.RWMutex
	policy Policy
}

// NewService returns a service over store with the given policy.
func NewService(store Store, p Policy) *Service {
	return &Service{Store: store, policy: p}
}

// Policy returns the rules in force.
func (s *Service) Policy() Policy {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.policy
}

// SetPolicy replaces the rules, e.g. after an admin edits the calendar.
// Items already filed keep their due times.
func (s *Service) SetPolicy(p Policy) {
	s.mu.Lock()
	s.policy = p
	s.mu.Unlock()
}

// Clock returns the service's time: Now's, or the real time. Services
// that must agree with the archive on what is overdue (reporting) share it.
func (s *Service) Clock() time.Time { return s.now() }

// now is truncated to the microsecond both databases store, so an item read
// back equals the item written.
func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().Truncate(time.Microsecond)
	}
	return time.Now().Truncate(time.Microsecond)
}

// Submit files a new item. staff is nil for a citizen. It returns the stored
// item and the access code the citizen uses to follow it (shown once).
// Staff file under the intake rule (mayFile); a citizen may name the unit a
// QR code preset.
func (s *Service) Submit(ctx context.Context, staff *org.User, sub Submission) (Item, string, error) {
	if staff != nil {
		if err := mayFile(*staff, "unit", sub.Unit); err != nil {
			return Item{}, "", err
		}
	}
	if sub.Channel == ChannelOpen311 {
		return Item{}, "", minyi.Invalid("channel", "开放接口渠道只用于外部系统（Open311）", "channel open311 is for outside systems filing through Open311")
	}
	actor := Citizen
	if staff != nil {
		actor = register.ActorFor(*staff)
	}
	return s.submit(ctx, staff, actor, sub, nil)
}

// mayFile is the one intake rule, on every door staff file through (the JSON
// API, the entry page, meetings, the demo loader): partners and disabled
// accounts never file; leaders and admins file into any unit; other staff
// into their own unit or, naming none, into the bureau's dispatch queue
// (org.User.CanFileInto). A refusal is forbidden (403) and names field, so
// that a form can show it beside the unit it is about.
func mayFile(staff org.User, field, unit string) error {
	unit = strings.TrimSpace(unit)
	switch {
	case staff.Disabled:
		return minyi.Errorf(minyi.EForbidden, "账号已停用 / account disabled")
	case !staff.CanFile():
		return minyi.Errorf(minyi.EForbidden, "协作单位账号只能查看，不能录入 / partner accounts are read-only and cannot file items")
	case !staff.CanFileInto(unit):
		zh, en := "只能交本单位办理，或不选单位交局里派单", "you may file only into your own unit, or leave it empty for the bureau's dispatch queue"
		return &minyi.Error{Code: minyi.EForbidden,
			Message: fmt.Sprintf("%s：%s（本单位：%s） / %s: %s (your unit: %s)", field, zh, staff.UnitCode, field, en, staff.UnitCode),
			Fields:  []minyi.FieldError{{Field: field, Zh: zh, En: en}}}
	}
	return nil
}

// SubmitFromClient files an item sent by an outside system (an Open311
// client named client) with the answers to its category's questions. The
// channel is open311 and the client is recorded as the item's source and
// the actor of its first event.
func (s *Service) SubmitFromClient(ctx context.Context, client string, sub Submission, answers Answers) (Item, string, error) {
	sub.Channel, sub.ChannelDetail = ChannelOpen311, client
	if sub.Category == "" {
		return Item{}, "", minyi.Invalid("service_code", "请选择服务类别", "service_code is required")
	}
	if answers == nil {
		answers = Answers{}
	}
	return s.submit(ctx, nil, Actor{Name: "client:" + client}, sub, answers)
}

// submit files sub for staff (nil for a citizen or an outside client), who
// has passed mayFile.
func (s *Service) submit(ctx context.Context, staff *org.User, actor Actor, sub Submission, answers Answers) (Item, string, error) {
	if sub.FormToken != "" {
		if err := checkFormToken(sub.FormToken); err != nil {
			return Item{}, "", err
		}
		if it, ok, err := s.formItem(ctx, sub.FormToken); ok || err != nil {
			return it, formAccessCode(sub.FormToken), err
		}
	}
	now := s.now()
	sub, err := sub.Validate(staff != nil, now)
	if err != nil {
		return Item{}, "", err
	}
	policy := s.Policy()
	cat, unit, err := s.checkIntake(ctx, staff, actor, &sub, answers, policy, now)
	if err != nil {
		return Item{}, "", err
	}
	code := newAccessCode()
	if sub.FormToken != "" {
		code = formAccessCode(sub.FormToken)
	}
	it, ev := s.newItem(sub, now, policy, cat, actor, code)
	events := []Event{ev}
	if after, e, ok := address(it, unit, addressing(staff, sub), now); ok {
		it, events = after, append(events, e)
	}
	if err := s.Store.CreateItem(ctx, &it, events, sub.Photos); err != nil {
		if sub.FormToken != "" && minyi.ErrorCode(err) == minyi.EConflict {
			// The same form, sent twice at once, was filed by the other sending.
			if first, ok, ferr := s.formItem(ctx, sub.FormToken); ok || ferr != nil {
				return first, code, ferr
			}
		}
		return Item{}, "", err
	}
	return it, code, nil
}

// checkIntake checks what filing a valid sub (Submission.Validate) needs of
// the policy and the store: the day of collection, a channel the actor may
// use, a known active category with its questions answered, a known unit.
// It names every problem at once. The answers become part of sub's text;
// the category returned is the one to file under (intakeCategory), the
// unit the one sub names (zero when it names none).
func (s *Service) checkIntake(ctx context.Context, staff *org.User, actor Actor, sub *Submission, answers Answers, policy Policy, now time.Time) (*Category, org.Unit, error) {
	var p minyi.Problems
	if sub.ReceivedAt != nil {
		policy.checkCollected(&p, "received_at", "收集日期", *sub.ReceivedAt, now)
	}
	if actor == Citizen && !citizenChannel(sub.Channel) {
		p.Add("channel", "群众留言的渠道只能是网上意见箱、扫码留言或24小时警局", "citizens write in through online_box, qr_code or online_desk")
	}
	cat, err := s.intakeCategory(ctx, &p, staff, sub.Category, sub.Unit)
	if err != nil {
		return nil, org.Unit{}, err
	}
	if cat != nil && answers != nil {
		lines, err := cat.CheckAnswers(answers)
		p.Merge(err)
		if lines != "" {
			// The answers become part of the text, which must still fit.
			sub.Text = checkText(&p, "text", sub.Text+"\n\n"+lines, MaxTextRunes, true)
		}
	}
	var unit org.Unit
	if sub.Unit != "" {
		if unit, err = s.Store.Unit(ctx, sub.Unit); minyi.ErrorCode(err) == minyi.ENotFound {
			p.Add("unit", "单位不存在", "unknown unit")
		} else if err != nil {
			return nil, unit, err
		}
	}
	return cat, unit, p.Err()
}

// intakeCategory is the category code an item for unit is filed under:
// nil for none, and for one unknown or retired, which is a problem.
func (s *Service) intakeCategory(ctx context.Context, p *minyi.Problems, staff *org.User, code, unit string) (*Category, error) {
	if code == "" {
		return nil, nil
	}
	c, err := s.Store.Category(ctx, code)
	switch {
	case minyi.ErrorCode(err) == minyi.ENotFound || (err == nil && !c.Active):
		p.Add("category", "分类不存在", "unknown category")
		return nil, nil
	case err != nil:
		return nil, err
	}
	if unit == "" && staff != nil && !staff.CanFileInto(c.UnitCode) {
		// A category's default unit must not carry an officer's item onto
		// another unit's desk: it waits in the dispatch queue instead, and
		// the bureau routes it.
		c.UnitCode = ""
	}
	return &c, nil
}

// newItem makes the item sub files and its first event, with the receipt
// notices, counting the receipt's SMS against the phone's budget.
func (s *Service) newItem(sub Submission, now time.Time, policy Policy, cat *Category, actor Actor, code string) (Item, Event) {
	it, ev := NewItem(sub, now, policy, cat, actor, HashAccessCode(code))
	it.FormKey = FormKey(sub.FormToken)
	ev.Notices = s.noticesFor(it, ev, code)
	it.Counted = sub.Counted
	if len(ev.Notices) > 0 {
		// Receipts are the one notice anyone can cause; the others follow
		// what staff do. A landline may be written with or without the
		// hyphen after its area code, or with it elsewhere: count its
		// digits, so that each way of writing one number does not get a
		// budget of its own. The store counts it with the item.
		if use, ok := s.Limits.Use("sms", s.SMSRate, strings.ReplaceAll(it.Contact.Phone, "-", ""), false); ok {
			it.Counted = append(it.Counted, use)
		}
	}
	return it, ev
}

// formItem returns the item a form token filed; ok is false when it filed
// nothing yet.
func (s *Service) formItem(ctx context.Context, token string) (Item, bool, error) {
	r, ok, err := s.formResult(ctx, token)
	if !ok || err != nil || r.Number == "" {
		return Item{}, false, err
	}
	it, err := s.Store.Item(ctx, r.Number)
	return it, err == nil, err
}

func (s *Service) noticesFor(after Item, e Event, code string) []Notice {
	if s.Notices == nil {
		return nil
	}
	return NoticesFor(after, e, code, *s.Notices)
}

// accessAlphabet avoids look-alikes (0/O, 1/I/L) because codes are read off
// paper slips and SMS and typed on phones.
const accessAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func newAccessCode() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return accessCodeOf(b)
}

// accessCodeOf spells random bytes as an access code, one letter a byte.
func accessCodeOf(b []byte) string {
	out := make([]byte, len(b))
	for i := range b {
		out[i] = accessAlphabet[int(b[i])%len(accessAlphabet)]
	}
	return string(out)
}

// HashAccessCode is how access codes are stored: never in the clear.
func HashAccessCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// View is an item as one reader may see it, with its timeline.
type View struct {
	Item   Item    `json:"item"`
	Events []Event `json:"events"`
}

// Get returns an item for a member of staff, contact masked. Revealing the
// contact is a separate, recorded action (Reveal).
func (s *Service) Get(ctx context.Context, u org.User, number string) (View, error) {
	it, err := s.visible(ctx, u, number)
	if err != nil {
		return View{}, err
	}
	evs, err := s.Store.ItemEvents(ctx, it.ID)
	if err != nil {
		return View{}, err
	}
	it.Contact = MaskContact(it.Contact)
	return View{Item: it, Events: evs}, nil
}

// Available returns the actions u can take now on it, an item u was shown
// (Available): pages offer them, and only them.
func (s *Service) Available(u org.User, it Item) map[Action]bool {
	return Available(it, register.ActorFor(u), s.now(), s.Policy())
}

// Reveal returns the unmasked contact and records who looked.
func (s *Service) Reveal(ctx context.Context, u org.User, number string) (Contact, error) {
	it, err := s.Act(ctx, u, number, Command{Action: ActRevealContact}, true)
	if err != nil {
		return Contact{}, err
	}
	return it.Contact, nil
}

// GetForCitizen returns the citizen's own view: public replies and plain
// state changes only, never internal notes, and no staff names.
func (s *Service) GetForCitizen(ctx context.Context, number, accessCode string) (CitizenView, error) {
	it, err := s.byAccessCode(ctx, number, accessCode)
	if err != nil {
		return CitizenView{}, err
	}
	evs, err := s.Store.ItemEvents(ctx, it.ID)
	if err != nil {
		return CitizenView{}, err
	}
	return CitizenViewOf(it, evs), nil
}

func (s *Service) byAccessCode(ctx context.Context, number, code string) (Item, error) {
	notFound := minyi.Errorf(minyi.ENotFound, "件号或查询码不正确 / no item with this number and access code")
	it, err := s.Store.Item(ctx, number)
	if minyi.ErrorCode(err) == minyi.ENotFound {
		return Item{}, notFound
	} else if err != nil {
		return Item{}, err
	}
	if subtle.ConstantTimeCompare([]byte(it.AccessHash), []byte(HashAccessCode(code))) != 1 {
		return Item{}, notFound
	}
	return it, nil
}

// visible loads an item if u may see it. Another unit's item is forbidden,
// not hidden: staff know numbers from paper and need to be told why.
func (s *Service) visible(ctx context.Context, u org.User, number string) (Item, error) {
	it, err := s.Store.Item(ctx, number)
	if err != nil {
		return Item{}, err
	}
	if err := lifecycle.MaySee(u, it.UnitCode); err != nil {
		return Item{}, err
	}
	return it, nil
}

// Act applies a lifecycle command from a member of staff. cmd.Version must be
// the version the user saw unless ignoreVersion (for actions that change no
// state the user was looking at, like revealing the contact).
func (s *Service) Act(ctx context.Context, u org.User, number string, cmd Command, ignoreVersion bool) (Item, error) {
	if u.Disabled {
		return Item{}, minyi.Errorf(minyi.EForbidden, "账号已停用 / account disabled")
	}
	it, err := s.visible(ctx, u, number)
	if err != nil {
		return Item{}, err
	}
	if ignoreVersion {
		cmd.Version = it.Version
	}
	actor := register.ActorFor(u)
	if cmd.Action == ActAssign {
		if err := s.checkAssignee(ctx, u, it, &cmd, actor); err != nil {
			return Item{}, err
		}
	}
	return s.decideAndSave(ctx, it, cmd, actor)
}

// ActAsCitizen applies a citizen's command (rate, add_info, withdraw)
// authorised by the access code, and returns the item as the citizen may
// see it. Withdrawing an item already withdrawn changes nothing and is no
// error: the second tap of a slow phone, or a form sent again.
func (s *Service) ActAsCitizen(ctx context.Context, number, accessCode string, cmd Command) (CitizenItem, error) {
	it, err := s.byAccessCode(ctx, number, accessCode)
	if err != nil {
		return CitizenItem{}, err
	}
	if cmd.Action == ActWithdraw && it.Status == StatusWithdrawn {
		return ForCitizen(it), nil
	}
	if cmd.Action == ActAddInfo && cmd.Version == it.Version-1 {
		// The same addition sent twice (a double tap, the form sent again
		// after a slow answer) finds its first sending made: it is that one,
		// not a conflict that invites the citizen to send it a third time.
		events, err := s.Store.ItemEvents(ctx, it.ID)
		if err != nil {
			return CitizenItem{}, err
		}
		if n := len(events); n > 0 && events[n-1].Type == EventCitizenAdded &&
			strings.TrimSpace(events[n-1].Body) == strings.TrimSpace(cmd.Body) &&
			events[n-1].Data["photos"] == PhotoSums(DescribePhotos(cmd.Photos)) {
			return ForCitizen(it), nil
		}
	}
	it, err = s.decideAndSave(ctx, it, cmd, Citizen)
	if err != nil {
		return CitizenItem{}, err
	}
	return ForCitizen(it), nil
}

func (s *Service) decideAndSave(ctx context.Context, it Item, cmd Command, actor Actor) (Item, error) {
	if cmd.Version < 1 {
		// Versions start at 1: a missing one is a malformed request, not a
		// race lost to another writer.
		return Item{}, minyi.Invalid("version", "请提供所见的版本号（version）", "version is required: the item's version you saw")
	}
	if cmd.Version != it.Version {
		return Item{}, staleVersion(cmd.Version, it.Version)
	}
	unitExists := func(code string) bool {
		_, err := s.Store.Unit(ctx, code)
		return err == nil
	}
	if cmd.Action == ActMerge && cmd.Into != "" {
		target, err := s.Store.Item(ctx, cmd.Into)
		switch {
		case minyi.ErrorCode(err) == minyi.ENotFound:
			return Item{}, minyi.Invalid("into", "要合并到的件不存在", "the item to merge into does not exist")
		case err != nil:
			return Item{}, err
		case target.Status.Terminal():
			return Item{}, minyi.Invalid("into", "要合并到的件已办结", "the item to merge into is already finished")
		}
	}
	events, err := Decide(it, cmd, actor, s.now(), s.Policy(), unitExists)
	if err != nil {
		return Item{}, err
	}
	after := it
	for _, e := range events {
		after = Apply(after, e)
	}
	for i := range events {
		events[i].Notices = s.noticesFor(after, events[i], "")
	}
	if err := s.Store.UpdateItem(ctx, it, &after, events); err != nil {
		return Item{}, err
	}
	return after, nil
}

// The assignees a filter may name besides a user: the reader, and nobody.
// User names cannot be either (org.User.Validate).
const (
	AssigneeMe   = "me"
	AssigneeNone = "none"
)

// checkAssignee resolves "me" and refuses, naming assignee, an assignee who
// may not handle the item's unit's items (org.User.CanHandle) — once the
// rules let actor assign at all, so that nobody learns about the staff of a
// unit they may not act for.
func (s *Service) checkAssignee(ctx context.Context, u org.User, it Item, cmd *Command, actor Actor) error {
	if err := lifecycle.Check(ActAssign, actor, it.UnitCode, it.Status); err != nil {
		return err
	}
	if cmd.Assignee == AssigneeMe {
		cmd.Assignee = u.Name
	}
	if cmd.Assignee == "" {
		return nil // Decide names the missing field
	}
	a, err := s.Store.UserByName(ctx, cmd.Assignee)
	if err != nil && minyi.ErrorCode(err) != minyi.ENotFound {
		return err
	}
	if err != nil || !a.CanHandle(it.UnitCode) {
		return minyi.Invalid("assignee", "承办人须是本件所在单位在岗的民警或所队长", "assignee must be an active officer or head of the item's unit")
	}
	return nil
}

func staleVersion(got, have int) error { return register.StaleVersion(lifecycle.Record, got, have) }

// StaleVersion is the error a store returns when an update lost a race.
func StaleVersion(got, have int) error { return staleVersion(got, have) }

// List returns a page of items u may see, contacts masked. With f.Reveal
// (an export shown in full) the contacts are not masked, for those who may
// reveal a contact (ActRevealContact: unit heads and officers of their
// unit, leaders and admins; others are forbidden before anything is read),
// and each item of the page holding one gets a contact_revealed event
// naming the export, written before the page is returned.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (ItemPage, error) {
	if f.Reveal != "" {
		if err := MayRevealAll(u); err != nil {
			return ItemPage{}, err
		}
	}
	f.Units = u.VisibleUnits()
	f.Now = s.now()
	if f.Assignee == AssigneeMe {
		f.Assignee = u.Name
	}
	page, err := s.Store.FindItems(ctx, f)
	if err != nil {
		return page, err
	}
	if f.Reveal != "" {
		var log []eventlog.Event
		for _, it := range page.Items {
			if c := it.Contact; c.Name != "" || c.Phone != "" || c.IDNumber != "" {
				e := newEvent(it, u.Name, f.Now, it.Status, "")
				e.Type, e.Data = EventContactRevealed, map[string]string{"export": f.Reveal}
				log = append(log, e.Log())
			}
		}
		return page, s.Store.LogEvents(ctx, log)
	}
	for i := range page.Items {
		page.Items[i].Contact = MaskContact(page.Items[i].Contact)
	}
	return page, nil
}

// Each calls fn with every item of f that u may see, contacts masked, as
// List would give them page after page but read by one query: an export of
// a year's archive (the ledgers' workbook), with f.Brief each item Brief.
// f's page and cursor are ignored; an export that reveals contacts goes
// through List, which logs each reveal.
func (s *Service) Each(ctx context.Context, u org.User, f Filter, fn func(Item) error) error {
	if f.Reveal != "" {
		return minyi.Invalid("reveal", "逐条导出不提供完整个人信息", "an export read whole does not reveal contacts")
	}
	f.Units = u.VisibleUnits()
	f.Now = s.now()
	if f.Assignee == AssigneeMe {
		f.Assignee = u.Name
	}
	return s.Store.EachItem(ctx, f, func(it Item) error {
		it.Contact = MaskContact(it.Contact)
		return fn(it)
	})
}

// MayRevealAll returns nil when u may read in full the contacts of every
// item u sees (an export with reveal): whoever may reveal one in their own
// unit (ActRevealContact), on an account not disabled.
func MayRevealAll(u org.User) error {
	return register.MayRevealAll(u, func(a Actor, unit string) error { return lifecycle.Permit(ActRevealContact, a, unit) })
}

// Photo returns a photo of an item u may see.
func (s *Service) Photo(ctx context.Context, u org.User, number string, id int64) (Photo, error) {
	it, err := s.visible(ctx, u, number)
	if err != nil {
		return Photo{}, err
	}
	return s.itemPhoto(ctx, it, id)
}

// itemPhoto reads photo id of it, named for the item and its place among
// the item's photos (PhotoName).
func (s *Service) itemPhoto(ctx context.Context, it Item, id int64) (Photo, error) {
	ph, err := s.Store.Photo(ctx, it.ID, id)
	if err != nil {
		return ph, err
	}
	for i, p := range it.Photos {
		if p.ID == id {
			ph.Name = PhotoName(it.Number, i+1, ph.ContentType)
		}
	}
	return ph, nil
}

// Attachments lists the files of the answers of an item u may see.
func (s *Service) Attachments(ctx context.Context, u org.User, number string) ([]AttachmentInfo, error) {
	it, err := s.visible(ctx, u, number)
	if err != nil {
		return nil, err
	}
	return s.Store.ItemAttachments(ctx, it.ID)
}

// Attachment returns a file of an answer of an item u may see.
func (s *Service) Attachment(ctx context.Context, u org.User, number string, id int64) (Attachment, error) {
	it, err := s.visible(ctx, u, number)
	if err != nil {
		return Attachment{}, err
	}
	return s.Store.ItemAttachment(ctx, it.ID, id)
}

// AttachmentsForCitizen lists the files of the answers of the citizen's
// own item, which they see with the answer.
func (s *Service) AttachmentsForCitizen(ctx context.Context, number, accessCode string) ([]AttachmentInfo, error) {
	it, err := s.byAccessCode(ctx, number, accessCode)
	if err != nil {
		return nil, err
	}
	return s.Store.ItemAttachments(ctx, it.ID)
}

// AttachmentForCitizen returns a file of an answer of the citizen's own item.
func (s *Service) AttachmentForCitizen(ctx context.Context, number, accessCode string, id int64) (Attachment, error) {
	it, err := s.byAccessCode(ctx, number, accessCode)
	if err != nil {
		return Attachment{}, err
	}
	return s.Store.ItemAttachment(ctx, it.ID, id)
}

// citizenChannel reports whether citizens may file through c themselves; the
// other channels (paper slips, visits, meetings) are entered by staff.
func citizenChannel(c Channel) bool {
	return c == ChannelOnlineBox || c == ChannelQRCode || c == ChannelOnlineDesk
}

// PhotoForCitizen returns a photo of the citizen's own item.
func (s *Service) PhotoForCitizen(ctx context.Context, number, accessCode string, id int64) (Photo, error) {
	it, err := s.byAccessCode(ctx, number, accessCode)
	if err != nil {
		return Photo{}, err
	}
	return s.itemPhoto(ctx, it, id)
}
