package archive

import (
	"fmt"
	"time"

	"minyi"
	"minyi/calendar"
)

// Category is a configurable subject area with a default responsible unit
// and time limit (e.g. 户籍 → the approval centre, 3 working days).
type Category struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
	// NameEn and NameMn name the category for English and Mongolian
	// readers; empty, they read the Chinese name.
	NameEn      string         `json:"name_en,omitempty"`
	NameMn      string         `json:"name_mn,omitempty"`
	Description string         `json:"description,omitempty"`
	Group       string         `json:"group,omitempty"`
	Keywords    string         `json:"keywords,omitempty"`
	Class       Class          `json:"class,omitempty"`
	UnitCode    string         `json:"unit"`
	Limit       calendar.Limit `json:"limit"`
	Active      bool           `json:"active"`
	Attributes  []Attribute    `json:"attributes,omitempty"` // extra questions
}

// ClassLimits are the handling rules of the four concerns as time limits:
// 急事速辦 on the same working day, 盼事速辦 within three, the harder two
// longer. A category's own limit applies when it is stricter.
var ClassLimits = map[Class]calendar.Limit{
	ClassUrgent:   {Amount: 0, Unit: calendar.WorkingDays},
	ClassHopeful:  {Amount: 3, Unit: calendar.WorkingDays},
	ClassHard:     {Amount: 10, Unit: calendar.WorkingDays},
	ClassWorrying: {Amount: 15, Unit: calendar.WorkingDays},
}

// KindLimits apply when an item has no category: the limits Chinese hotlines
// use (咨询 3 working days, 投诉 13 working days, …).
var KindLimits = map[Kind]calendar.Limit{
	KindConsultation: {Amount: 3, Unit: calendar.WorkingDays},
	KindHelp:         {Amount: 1, Unit: calendar.WorkingDays},
	KindComplaint:    {Amount: 13, Unit: calendar.WorkingDays},
	KindReport:       {Amount: 10, Unit: calendar.WorkingDays},
	KindSuggestion:   {Amount: 15, Unit: calendar.WorkingDays},
	KindPraise:       {Amount: 15, Unit: calendar.WorkingDays},
}

// DefaultBackdateDays is how many days before the day of entry staff may
// date a slip's collection unless the installation says otherwise.
const DefaultBackdateDays = 30

// Policy is everything the rules need to know about the installation.
type Policy struct {
	Calendar *calendar.Calendar
	// BackdateDays bounds back-dating: an item entered today may be dated
	// as collected at most this many days back (China time). 0 means
	// DefaultBackdateDays. The bound keeps old slips from rewriting the
	// figures of a period already reported.
	BackdateDays int
}

// EarliestCollection is the earliest an item entered at now may be dated
// as collected: midnight, China time, BackdateDays days before now's day.
func (p Policy) EarliestCollection(now time.Time) time.Time {
	y, m, d := now.In(calendar.Zone).Date()
	return time.Date(y, m, d-p.backdateDays(), 0, 0, 0, 0, calendar.Zone)
}

func (p Policy) backdateDays() int {
	if p.BackdateDays <= 0 {
		return DefaultBackdateDays
	}
	return p.BackdateDays
}

// checkCollected records a problem under field (zh is its Chinese name)
// when at, a day of collection given by staff, lies further back than the
// policy allows at now.
func (p Policy) checkCollected(pr *minyi.Problems, field, zh string, at, now time.Time) {
	if earliest := p.EarliestCollection(now); at.Before(earliest) {
		n, day := p.backdateDays(), earliest.Format("2006-01-02")
		pr.Add(field, fmt.Sprintf("%s（%s）最多只能往前补录%d天，不能早于%s", zh, field, n, day),
			fmt.Sprintf("%s may be at most %d days before the day of entry (not before %s)", field, n, day))
	}
}

// DueAt computes an item's due time from its category, concern class and
// kind, counted from start (the time of entry: a back-dated slip is not
// late for the days it lay in a box): the strictest applicable limit wins. gap reports that the calendar
// had no data for a year the computation touched, so the result is a guess.
func (p Policy) DueAt(start time.Time, kind Kind, class Class, cat *Category) (due time.Time, gap bool) {
	limits := []calendar.Limit{KindLimits[kind]}
	if cat != nil {
		limits = []calendar.Limit{cat.Limit}
	}
	if l, ok := ClassLimits[class]; ok {
		limits = append(limits, l)
	}
	for i, l := range limits {
		d := p.Calendar.Due(start, l)
		if i == 0 || d.At.Before(due) {
			due = d.At
		}
		gap = gap || len(d.UncoveredYears) > 0
	}
	return due, gap
}
