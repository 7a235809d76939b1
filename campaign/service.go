package campaign

import (
	"context"
	"sort"
	"strconv"
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

// Store persists campaigns. *store.DB implements it.
type Store interface {
	// CreateCampaign stores c with its created event (Campaign.Created) in
	// one transaction, assigning c.ID and setting c.Version to 1.
	CreateCampaign(ctx context.Context, c *Campaign) error
	// UpdateCampaign stores c, read at version, with events in one
	// transaction: conflict when the stored version is no longer version.
	// It sets c.Version to the new version.
	UpdateCampaign(ctx context.Context, c *Campaign, version int, events []eventlog.Event) error
	// Campaign returns one campaign with its meetings and documents (not
	// their bytes), or not_found.
	Campaign(ctx context.Context, id int64) (Campaign, error)
	// Campaigns lists the campaigns f selects, latest start first, with
	// the total, without meetings and documents.
	Campaigns(ctx context.Context, f Filter) (register.Page[Campaign], error)
	// AddCampaignMeeting stores m, a meeting of the campaign c, with its
	// event (Campaign.MeetingAdded) in one transaction, assigning m.ID;
	// a campaign holding MaxMeetings already is TooManyMeetings, counted in
	// the transaction. m's form is noted in it (archive.FileOnce).
	AddCampaignMeeting(ctx context.Context, c Campaign, m *Meeting) error
	// AddCampaignDocument stores d with its bytes data, attached to c,
	// with its event (Campaign.DocumentAdded) in one transaction,
	// assigning d.ID; over MaxDocuments is TooManyDocuments, as for
	// meetings.
	AddCampaignDocument(ctx context.Context, c Campaign, d *Document, data []byte) error
	// CampaignDocument returns a document of campaign id with its bytes,
	// or not_found.
	CampaignDocument(ctx context.Context, id, doc int64) (Document, []byte, error)
}

// Summary answers the ledger summary (reporting.Service implements it).
type Summary interface {
	Summary(ctx context.Context, u org.User, f reporting.Filter) (reporting.Report, error)
}

// Filter selects campaigns for a list.
type Filter struct {
	register.Filter
	// On selects the campaigns whose period holds this day, YYYY-MM-DD.
	On string
	// From and To select the campaigns whose period meets [From, To]
	// (YYYY-MM-DD, inclusive; either may be empty).
	From, To string
}

// Service records and reads campaigns. A campaign is the bureau's: leaders
// and admins create and change it, every member of staff (partners too)
// reads it.
type Service struct {
	Store Store
	// Ledgers is the ledger summary the targets and the progress read.
	Ledgers Summary
	// Extra are target keys the summary answers only when they are not
	// zero, e.g. "matters.outcome_cattle".
	Extra []string
	// ExtraKeys, when set, returns more such keys, read per call because a
	// bureau may change them (the matters' counted outcomes it configures).
	ExtraKeys func(context.Context) ([]string, error)
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time { return register.Now(s.Now) }

// mayRead refuses anybody who is not staff or a partner with an account.
func mayRead(u org.User) error {
	if u.Name == "" || !u.Role.Valid() {
		return minyi.Errorf(minyi.EForbidden, "请先登录 / log in first")
	}
	return nil
}

// mayWrite refuses anybody but leaders and admins with an enabled account.
func mayWrite(u org.User) error {
	if u.Disabled || !u.SeesAll() {
		return minyi.Errorf(minyi.EForbidden, "只有局领导和管理员可以管理活动 / only leaders and admins manage campaigns")
	}
	return nil
}

// Keys returns the figure keys a target may name: every key of the ledger
// summary ("register.figure") and Extra, sorted.
func (s *Service) Keys(ctx context.Context, u org.User) ([]string, error) {
	day := archive.ChinaDay(s.now()).Format(dayLayout)
	rep, err := s.Ledgers.Summary(ctx, u, reporting.Filter{From: day, To: day})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var keys []string
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for reg, figs := range rep.Registers {
		for k := range figs {
			add(reg + "." + k)
		}
	}
	for _, k := range s.Extra {
		add(k)
	}
	if s.ExtraKeys != nil {
		more, err := s.ExtraKeys(ctx)
		if err != nil {
			return nil, err
		}
		for _, k := range more {
			add(k)
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// Create validates a new campaign and stores it with its created event.
// A record from a page form (its Form) is created once per form
// (archive.FileOnce): sent again, it is the record created first.
func (s *Service) Create(ctx context.Context, u org.User, c Campaign) (Campaign, error) {
	return archive.FileOnce(ctx, s.Store, Register, &c.Form,
		func(id int64) (Campaign, error) { return s.Get(ctx, u, id) },
		func() (Campaign, error) { return s.create(ctx, u, c) })
}

// create is Create of a record not yet created.
func (s *Service) create(ctx context.Context, u org.User, c Campaign) (Campaign, error) {
	if err := mayWrite(u); err != nil {
		return Campaign{}, err
	}
	keys, err := s.Keys(ctx, u)
	if err != nil {
		return Campaign{}, err
	}
	c, err = c.Validate(keys)
	if err != nil {
		return Campaign{}, err
	}
	now := s.now()
	c.ID, c.Meetings, c.Documents = 0, nil, nil
	c.CreatedBy, c.CreatedAt, c.UpdatedAt = u.Name, now, now
	if err := s.Store.CreateCampaign(ctx, &c); err != nil {
		return Campaign{}, err
	}
	return c.Shown(), nil
}

// Get returns a campaign with its meetings and documents.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Campaign, error) {
	if err := mayRead(u); err != nil {
		return Campaign{}, err
	}
	c, err := s.Store.Campaign(ctx, id)
	if err != nil {
		return Campaign{}, err
	}
	return c.Shown(), nil
}

// List returns a page of the campaigns f selects, latest start first.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (register.Page[Campaign], error) {
	if err := mayRead(u); err != nil {
		return register.Page[Campaign]{}, err
	}
	var p minyi.Problems
	for _, d := range []struct{ field, v string }{{"on", f.On}, {"from", f.From}, {"to", f.To}} {
		if _, err := time.Parse(dayLayout, d.v); d.v != "" && err != nil {
			p.Add(d.field, d.field+"须为YYYY-MM-DD格式的日期", d.field+" must be a date YYYY-MM-DD")
		}
	}
	if f.Limit < 0 || f.Limit > 100 {
		p.Add("limit", "每页条数须在1到100之间", "limit must be between 1 and 100")
	}
	if err := p.Err(); err != nil {
		return register.Page[Campaign]{}, err
	}
	page, err := s.Store.Campaigns(ctx, f)
	for i := range page.Items {
		page.Items[i] = page.Items[i].Shown()
	}
	return page, err
}

// Edit changes the fields p holds of a campaign, against the version u
// read: conflict when it is stale. Nothing changed is no edit.
func (s *Service) Edit(ctx context.Context, u org.User, id int64, p Patch) (Campaign, error) {
	if err := mayWrite(u); err != nil {
		return Campaign{}, err
	}
	if p.Version == nil {
		return Campaign{}, register.MissingVersion()
	}
	before, err := s.Store.Campaign(ctx, id)
	if err != nil {
		return Campaign{}, err
	}
	if before.Version != *p.Version {
		return Campaign{}, register.Stale(Noun)
	}
	keys, err := s.Keys(ctx, u)
	if err != nil {
		return Campaign{}, err
	}
	// A target already set stays valid even if its ledger has gone since:
	// an edit of the name must not fail on it.
	keys = append(keys, before.TargetKeys()...)
	c, err := p.Apply(before).Validate(keys)
	if err != nil {
		return Campaign{}, err
	}
	c.UpdatedAt = s.now()
	e, changed := c.Edited(before, u.Name)
	if !changed {
		return before.Shown(), nil
	}
	if err := s.Store.UpdateCampaign(ctx, &c, before.Version, []eventlog.Event{e}); err != nil {
		return Campaign{}, err
	}
	return c.Shown(), nil
}

// AddMeeting records a mobilisation meeting of campaign id.
func (s *Service) AddMeeting(ctx context.Context, u org.User, id int64, m Meeting) (Campaign, error) {
	if err := mayWrite(u); err != nil {
		return Campaign{}, err
	}
	c, err := s.Store.Campaign(ctx, id)
	if err != nil {
		return Campaign{}, err
	}
	// Refused at once when full; the store counts again in its
	// transaction, against two at once.
	if len(c.Meetings) >= MaxMeetings {
		return Campaign{}, TooManyMeetings()
	}
	// A meeting from a page form is recorded once per form: sent again, it
	// leads to the campaign.
	return archive.FileOnce(ctx, s.Store, MeetingForms, &m.Form,
		func(int64) (Campaign, error) { return s.Get(ctx, u, id) },
		func() (Campaign, error) {
			now := s.now()
			form := m.Form
			m, err := m.Validate(now)
			if err != nil {
				return Campaign{}, err
			}
			m.ID, m.CreatedBy, m.CreatedAt, m.Form = 0, u.Name, now, form
			if err := s.Store.AddCampaignMeeting(ctx, c, &m); err != nil {
				return Campaign{}, err
			}
			return s.Get(ctx, u, id)
		})
}

// AddDocument attaches a plan document, named name, of the bytes data, to
// campaign id, and returns its record. One uploaded through a page form
// (form) is attached once per form: sent again, it is the document the
// form attached first.
func (s *Service) AddDocument(ctx context.Context, u org.User, id int64, form archive.Form, name string, data []byte) (Document, error) {
	if err := mayWrite(u); err != nil {
		return Document{}, err
	}
	c, err := s.Store.Campaign(ctx, id)
	if err != nil {
		return Document{}, err
	}
	if len(c.Documents) >= MaxDocuments {
		return Document{}, TooManyDocuments()
	}
	return archive.FileOnce(ctx, s.Store, DocumentForms, &form,
		func(doc int64) (Document, error) {
			d, _, err := s.Document(ctx, u, id, doc)
			return d, err
		},
		func() (Document, error) {
			d, err := NewDocument(name, data, u.Name, s.now())
			if err != nil {
				return Document{}, err
			}
			d.Form = form
			if err := s.Store.AddCampaignDocument(ctx, c, &d, data); err != nil {
				return Document{}, err
			}
			d.CreatedAt = d.CreatedAt.In(calendar.Zone)
			return d, nil
		})
}

// Document returns a document of campaign id with its bytes.
func (s *Service) Document(ctx context.Context, u org.User, id, doc int64) (Document, []byte, error) {
	if err := mayRead(u); err != nil {
		return Document{}, nil, err
	}
	d, data, err := s.Store.CampaignDocument(ctx, id, doc)
	d.CreatedAt = d.CreatedAt.In(calendar.Zone)
	return d, data, err
}

// Summary answers the ledger summary of f for the records of campaign id:
// the period, when f names none, is the campaign's. An unknown campaign is
// refused naming the field campaign.
func (s *Service) Summary(ctx context.Context, u org.User, id int64, f reporting.Filter) (reporting.Report, error) {
	if err := mayRead(u); err != nil {
		return reporting.Report{}, err
	}
	c, err := s.Store.Campaign(ctx, id)
	if minyi.ErrorCode(err) == minyi.ENotFound {
		return reporting.Report{}, minyi.Invalid("campaign", "活动不存在", "campaign: no such campaign")
	} else if err != nil {
		return reporting.Report{}, err
	}
	if f.From == "" {
		f.From = c.From
	}
	if f.To == "" {
		f.To = c.To
	}
	f.Campaign = c.ID
	return s.Ledgers.Summary(ctx, u, f)
}

// Target is one target of a campaign with the figure reached.
type Target struct {
	Key    string `json:"key"`
	Target int64  `json:"target"`
	Actual int64  `json:"actual"`
	Met    bool   `json:"met"`
	// Percent is Actual of Target, at most 100; 100 for a target of 0.
	Percent int `json:"percent"`
}

// Progress is a campaign's targets against the figures its records give
// over its period.
type Progress struct {
	Campaign int64    `json:"campaign"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Targets  []Target `json:"targets"`
}

// Progress returns each target of campaign id with the figure of the
// ledger summary over the campaign's period and records, counted over the
// units u may see (a unit's staff see their unit's share).
func (s *Service) Progress(ctx context.Context, u org.User, id int64) (Progress, error) {
	c, err := s.Get(ctx, u, id)
	if err != nil {
		return Progress{}, err
	}
	rep, err := s.Summary(ctx, u, id, reporting.Filter{})
	if err != nil {
		return Progress{}, err
	}
	out := Progress{Campaign: c.ID, From: rep.From, To: rep.To, Targets: []Target{}}
	for _, k := range c.TargetKeys() {
		reg, fig, _ := strings.Cut(k, ".")
		t := Target{Key: k, Target: c.Targets[k], Actual: rep.Figure(reg, fig)}
		t.Met = t.Actual >= t.Target
		t.Percent = 100
		if t.Target > 0 && !t.Met {
			t.Percent = int(t.Actual * 100 / t.Target)
		}
		out.Targets = append(out.Targets, t)
	}
	return out, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
