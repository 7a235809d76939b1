package calendar

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// zoneOffset is China Standard Time's offset from UTC in seconds.
const zoneOffset = 8 * 3600

// Zone is China Standard Time (UTC+8, no daylight saving time).
//
// It is a fixed zone rather than Asia/Shanghai so that no tzdata is needed;
// China has not observed daylight saving time since 1991.
var Zone = time.FixedZone("CST", zoneOffset)

// maxWalkDays bounds every walk so a corrupt calendar cannot loop forever;
// three years is far beyond any valid limit (365 working days or 2000
// working hours).
const maxWalkDays = 3 * 366

const secondsPerDay = 24 * 3600

// day is a civil date in Zone, counted in days since 1970-01-01.
type day int64

// dayOf returns the date of t in Zone.
func dayOf(t time.Time) day {
	s := t.Unix() + zoneOffset
	d := s / secondsPerDay
	if s%secondsPerDay < 0 { // round toward minus infinity before 1970
		d--
	}
	return day(d)
}

// midnight returns the start of d in Zone.
func (d day) midnight() time.Time {
	return time.Unix(int64(d)*secondsPerDay-zoneOffset, 0).In(Zone)
}

func (d day) year() int { return d.midnight().Year() }

// OfficeHours is the working time of a day, used for working-hour limits and for the time of day a working-day limit ends.
type OfficeHours struct {
	Start, End time.Duration // offsets from midnight, e.g. 8h30m and 17h30m
}

// DefaultOfficeHours are the usual government office hours, 08:30–17:30.
var DefaultOfficeHours = OfficeHours{Start: 8*time.Hour + 30*time.Minute, End: 17*time.Hour + 30*time.Minute}

func (h OfficeHours) validate() error {
	if h.Start < 0 || h.End > 24*time.Hour || h.End <= h.Start {
		return fmt.Errorf("office hours %v–%v: need 0 ≤ Start < End ≤ 24h", h.Start, h.End)
	}
	return nil
}

// Calendar is an official working-day calendar; it is immutable and safe for concurrent use.
type Calendar struct {
	entries []Entry // sorted by date
	kinds   map[day]DayKind
	years   []int // sorted
	hours   OfficeHours
}

// New builds a Calendar from entries and office hours, rejecting invalid or duplicate entries.
func New(entries []Entry, hours OfficeHours) (*Calendar, error) {
	if err := hours.validate(); err != nil {
		return nil, err
	}
	sorted, err := sortEntries(entries)
	if err != nil {
		return nil, err
	}
	c := &Calendar{
		entries: sorted,
		kinds:   make(map[day]DayKind, len(sorted)),
		hours:   hours,
	}
	for _, e := range sorted {
		d, _ := parseDate(e.Date) // already checked by sortEntries
		c.kinds[d] = e.Kind
		if y := d.year(); !slices.Contains(c.years, y) {
			c.years = append(c.years, y) // stays sorted: entries are
		}
	}
	return c, nil
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := New(defaultEntries(), DefaultOfficeHours)
	if err != nil {
		panic("calendar: embedded cn-holidays.csv: " + err.Error())
	}
	return c
})

// Default returns the calendar of the embedded cn-holidays.csv with DefaultOfficeHours.
func Default() *Calendar { return defaultCalendar() }

// Entries returns a copy of the calendar's entries, sorted by date.
func (c *Calendar) Entries() []Entry { return slices.Clone(c.entries) }

// Years returns the sorted years that have at least one entry; only these years are known.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }

// HasYear reports whether year has at least one entry.
func (c *Calendar) HasYear(year int) bool {
	_, found := slices.BinarySearch(c.years, year)
	return found
}

// Hours returns the calendar's office hours.
func (c *Calendar) Hours() OfficeHours { return c.hours }

// IsWorkingDay reports whether t's date in Zone is a working day; unknown years use the weekday rule.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.isWorking(dayOf(t)) }

func (c *Calendar) isWorking(d day) bool {
	switch c.kinds[d] {
	case Holiday:
		return false
	case Workday:
		return true
	}
	wd := d.midnight().Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// opening returns the instant office hours begin on d.
func (c *Calendar) opening(d day) time.Time { return d.midnight().Add(c.hours.Start) }

// closing returns the instant office hours end on d.
func (c *Calendar) closing(d day) time.Time { return d.midnight().Add(c.hours.End) }

// uncovered lists the years from..to that have no entries.
func (c *Calendar) uncovered(from, to day) []int {
	var years []int
	for y := from.year(); y <= to.year(); y++ {
		if !c.HasYear(y) {
			years = append(years, y)
		}
	}
	return years
}

// Due is a computed due time plus the years the computation had to guess.
type Due struct {
	// At is when the limit ends, in Zone.
	At time.Time
	// UncoveredYears are the years walked through that have no calendar
	// entries, for which the plain weekday rule was assumed.
	UncoveredYears []int
	// Incomplete reports that At is not a real due time: the limit was
	// invalid, or the walk gave up after three years (a corrupt calendar).
	Incomplete bool
}

// Due computes when the limit l starting at start ends; see the package documentation for the rules.
func (c *Calendar) Due(start time.Time, l Limit) Due {
	start = start.In(Zone)
	first := dayOf(start)
	if l.Validate() != nil {
		return Due{At: start, UncoveredYears: c.uncovered(first, first), Incomplete: true}
	}
	var (
		at       time.Time
		last     day
		complete bool
	)
	if l.Unit == WorkingHours {
		at, last, complete = c.addHours(start, l.Amount)
	} else {
		at, last, complete = c.addDays(start, l.Amount)
	}
	return Due{At: at, UncoveredYears: c.uncovered(first, last), Incomplete: !complete}
}

// DueAfterExtension computes the new due time when a limit due at previousDue is extended by extra.
//
// It is Due(previousDue, extra): an extension adds to the current due time,
// not to the original start. A previousDue at office End therefore makes an
// extra of 0 working days move the due time to the next working day's End.
func (c *Calendar) DueAfterExtension(previousDue time.Time, extra Limit) Due {
	return c.Due(previousDue, extra)
}

// addDays returns office End of the n-th working day after start's date (or
// of start's date itself for n == 0, if still possible), the last day walked
// and whether the walk finished within maxWalkDays.
func (c *Calendar) addDays(start time.Time, n int) (time.Time, day, bool) {
	first := dayOf(start)
	if n == 0 {
		if c.isWorking(first) && start.Before(c.closing(first)) {
			return c.closing(first), first, true
		}
		n = 1 // too late today: the next working day is as soon as possible
	}
	d := first
	for count := 0; count < n; {
		if d-first >= maxWalkDays {
			return c.closing(d), d, false
		}
		d++
		if c.isWorking(d) {
			count++
		}
	}
	return c.closing(d), d, true
}

// addHours returns the instant h working hours after start, the last day
// walked and whether the walk finished within maxWalkDays.
func (c *Calendar) addHours(start time.Time, h int) (time.Time, day, bool) {
	remaining := time.Duration(h) * time.Hour
	first := dayOf(start)
	from := start
	for d := first; ; d++ {
		if c.isWorking(d) {
			from = later(from, c.opening(d))
			if end := c.closing(d); from.Before(end) {
				avail := end.Sub(from)
				// <= so that a limit used up exactly at office End ends
				// then, not at the next office Start.
				if remaining <= avail {
					return from.Add(remaining), d, true
				}
				remaining -= avail
			}
		}
		if d-first >= maxWalkDays {
			return c.closing(d), d, false
		}
		from = (d + 1).midnight()
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
