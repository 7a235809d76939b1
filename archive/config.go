package archive

import (
	"context"
	"fmt"
	"strings"

	"minyi"
	"minyi/calendar"
	"minyi/org"
)

// ConfigStore persists the archive's configuration. *store.DB implements it.
type ConfigStore interface {
	Categories(ctx context.Context) ([]Category, error)
	Category(ctx context.Context, code string) (Category, error)
	CreateCategory(ctx context.Context, c *Category) error
	// UpdateCategory stores c's fields under its code; nil Attributes keep
	// the stored questions.
	UpdateCategory(ctx context.Context, c Category) error
	// Unit is the unit a category sends its items to by default.
	Unit(ctx context.Context, code string) (org.Unit, error)

	// CannedReplies lists the active replies offered for a category: its
	// own first, then the general ones.
	CannedReplies(ctx context.Context, category string) ([]CannedReply, error)
	AllCannedReplies(ctx context.Context) ([]CannedReply, error)
	CreateCannedReply(ctx context.Context, c *CannedReply) error
	UpdateCannedReply(ctx context.Context, c CannedReply) error

	CalendarStore

	// Setting returns a bureau setting, "" when it was never set.
	Setting(ctx context.Context, name string) (string, error)
	// Settings returns the settings named, "" for those never set, as
	// one SetSettings left them (read at once).
	Settings(ctx context.Context, names ...string) (map[string]string, error)
	// SetSettings stores the settings named in one transaction.
	SetSettings(ctx context.Context, values map[string]string, by string) error

	// DeskCandidates lists, newest first, items that may go on the
	// online desk but are not on it (limit of each sort).
	DeskCandidates(ctx context.Context, limit int) ([]Item, error)
}

// Config is the front door to the archive's configuration: categories with
// their default units and time limits, canned replies, the holiday calendar,
// the bureau's settings, and which questions may go on the online desk. Reading what citizens and staff are offered is
// open to all; changing anything is for administrators (org.CheckManage),
// and everything is validated here, whichever door it comes through.
type Config struct {
	Store ConfigStore
	// Items is the archive whose policy a changed calendar replaces.
	Items *Service
}

// NewConfig returns the configuration over store; a calendar change is put
// in force in items.
func NewConfig(store ConfigStore, items *Service) *Config {
	return &Config{Store: store, Items: items}
}

func validCode(s string) bool { return org.ValidCode(s) }

// clean trims the surrounding spaces of a category's free texts, as stored;
// the code is an identifier and must be valid as given.
func (c *Category) clean() {
	c.Name, c.Description = strings.TrimSpace(c.Name), strings.TrimSpace(c.Description)
	c.NameEn, c.NameMn = strings.TrimSpace(c.NameEn), strings.TrimSpace(c.NameMn)
	c.Group, c.Keywords = strings.TrimSpace(c.Group), strings.TrimSpace(c.Keywords)
}

// Validate checks a category before it is stored.
func (c Category) Validate() error {
	var p minyi.Problems
	if !validCode(c.Code) {
		p.Add("code", "代码须为1–40位小写字母、数字、-或_", "code must be 1–40 lower-case letters, digits, - or _")
	}
	checkText(&p, "name", c.Name, MaxShortRunes, true)
	checkText(&p, "name_en", c.NameEn, MaxShortRunes, false)
	checkText(&p, "name_mn", c.NameMn, MaxShortRunes, false)
	checkText(&p, "description", c.Description, MaxDescriptionRunes, false)
	checkText(&p, "group", c.Group, MaxShortRunes, false)
	checkText(&p, "keywords", c.Keywords, MaxDetailRunes, false)
	if c.Class != "" && !c.Class.Valid() {
		p.Add("class", "类别无效", "unknown class")
	}
	if err := c.Limit.Validate(); err != nil {
		p.Add("limit", "时限无效", "limit: "+err.Error())
	}
	validateAttributes(&p, c.Attributes)
	return p.Err()
}

// checkCategory is the one check of a new or changed category, on every
// door (the API, the pages, the demo loader): cleaned, valid, and its
// default unit, if any, exists.
func (s *Config) checkCategory(ctx context.Context, c *Category) error {
	c.clean()
	if err := c.Validate(); err != nil {
		return err
	}
	if c.UnitCode == "" {
		return nil
	}
	if _, err := s.Store.Unit(ctx, c.UnitCode); minyi.ErrorCode(err) == minyi.ENotFound {
		return minyi.Invalid("unit", "单位不存在", "unit not found")
	} else if err != nil {
		return err
	}
	return nil
}

// Categories lists every category, in use or not. The list is public:
// citizens choose a category when writing in.
func (s *Config) Categories(ctx context.Context) ([]Category, error) {
	return s.Store.Categories(ctx)
}

// Category returns the category with code; public, as Categories.
func (s *Config) Category(ctx context.Context, code string) (Category, error) {
	return s.Store.Category(ctx, code)
}

// AddCategory validates and stores a new category for actor, an
// administrator.
func (s *Config) AddCategory(ctx context.Context, actor org.User, c *Category) error {
	if err := org.CheckManage(actor); err != nil {
		return err
	}
	if err := s.checkCategory(ctx, c); err != nil {
		return err
	}
	return s.Store.CreateCategory(ctx, c)
}

// ChangeCategory validates and stores a changed category for actor, an
// administrator. A new limit applies to items filed from then on; items
// already filed keep their due times.
func (s *Config) ChangeCategory(ctx context.Context, actor org.User, c Category) error {
	if err := org.CheckManage(actor); err != nil {
		return err
	}
	if err := s.checkCategory(ctx, &c); err != nil {
		return err
	}
	return s.Store.UpdateCategory(ctx, c)
}

// CalendarStore persists the holiday calendar.
type CalendarStore interface {
	Holidays(ctx context.Context) ([]calendar.Entry, error)
	PutHolidays(ctx context.Context, entries []calendar.Entry) error
}

// LoadCalendar returns the stored calendar, or the embedded default when the
// installation has not stored one; servers and tools load it at start.
func LoadCalendar(ctx context.Context, s CalendarStore) (*calendar.Calendar, error) {
	entries, err := s.Holidays(ctx)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return calendar.Default(), nil
	}
	return calendar.New(entries, calendar.DefaultOfficeHours)
}

// Calendar is the calendar in force.
func (s *Config) Calendar() *calendar.Calendar { return s.Items.Policy().Calendar }

// UpdateCalendar merges entries into the calendar in force (the stored one
// or, on first use, the default), stores the result and puts it in force;
// actor must be an administrator.
func (s *Config) UpdateCalendar(ctx context.Context, actor org.User, entries []calendar.Entry) (*calendar.Calendar, error) {
	if err := org.CheckManage(actor); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		// An empty change is a client's mistake (a null or {} body), not a
		// request to keep the calendar: say so rather than answer success.
		return nil, minyi.Invalid("entries", "请至少提供一天", "give at least one day")
	}
	byDate := map[string]calendar.Entry{}
	for _, e := range s.Calendar().Entries() {
		byDate[e.Date] = e
	}
	for _, e := range entries {
		byDate[e.Date] = e
	}
	merged := make([]calendar.Entry, 0, len(byDate))
	for _, e := range byDate {
		merged = append(merged, e)
	}
	c, err := calendar.New(merged, calendar.DefaultOfficeHours)
	if err != nil {
		return nil, minyi.Invalid("entries", "日历数据有误："+err.Error(), fmt.Sprint("calendar: ", err))
	}
	if err := s.Store.PutHolidays(ctx, c.Entries()); err != nil {
		return nil, err
	}
	p := s.Items.Policy()
	p.Calendar = c
	s.Items.SetPolicy(p)
	return c, nil
}

// DeskCandidates lists, newest first, for actor, an administrator, the
// items that may go on the online desk but are not on it: the citizen agreed
// but the answer or its review is missing, or staff withdrew the question.
func (s *Config) DeskCandidates(ctx context.Context, actor org.User, limit int) ([]Item, error) {
	if err := org.CheckManage(actor); err != nil {
		return nil, err
	}
	return s.Store.DeskCandidates(ctx, limit)
}
