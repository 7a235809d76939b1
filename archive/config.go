package archive

import (
	"context"
	"fmt"
	"strings"

	"minyi"
	"minyi/calendar"
	"minyi/org"
)

// CategoryStore persists categories.
type CategoryStore interface {
	CreateCategory(ctx context.Context, c *Category) error
	Unit(ctx context.Context, code string) (org.Unit, error)
}

func validCode(s string) bool { return org.ValidCode(s) }

// Validate checks a category before it is stored.
func (c Category) Validate() error {
	var p minyi.Problems
	if !validCode(c.Code) {
		p.Add("code", "代码须为1–40位小写字母、数字、-或_", "code must be 1–40 lower-case letters, digits, - or _")
	}
	checkText(&p, "name", c.Name, MaxShortRunes, true)
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

// AddCategory validates and stores a category; its unit must exist.
func AddCategory(ctx context.Context, s CategoryStore, c *Category) error {
	c.Name = strings.TrimSpace(c.Name)
	if err := c.Validate(); err != nil {
		return err
	}
	if c.UnitCode != "" {
		if _, err := s.Unit(ctx, c.UnitCode); minyi.ErrorCode(err) == minyi.ENotFound {
			return minyi.Invalid("unit", "单位不存在", "unit not found")
		} else if err != nil {
			return err
		}
	}
	return s.CreateCategory(ctx, c)
}

// CalendarStore persists the holiday calendar.
type CalendarStore interface {
	Holidays(ctx context.Context) ([]calendar.Entry, error)
	PutHolidays(ctx context.Context, entries []calendar.Entry) error
}

// LoadCalendar returns the stored calendar, or the embedded default when the
// installation has not stored one.
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

// UpdateCalendar merges entries into the stored calendar (seeding it with
// the default on first use), stores it and puts it in force.
func UpdateCalendar(ctx context.Context, svc *Service, s CalendarStore, entries []calendar.Entry) (*calendar.Calendar, error) {
	if len(entries) == 0 {
		// An empty change is a client's mistake (a null or {} body), not a
		// request to keep the calendar: say so rather than answer success.
		return nil, minyi.Invalid("entries", "请至少提供一天", "give at least one day")
	}
	current := svc.Policy().Calendar.Entries()
	byDate := map[string]calendar.Entry{}
	for _, e := range current {
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
	if err := s.PutHolidays(ctx, c.Entries()); err != nil {
		return nil, err
	}
	p := svc.Policy()
	p.Calendar = c
	svc.SetPolicy(p)
	return c, nil
}
