package archive

import (
	"time"

	"minyi/calendar"
)

// Category is a configurable subject area with a default responsible unit
// and time limit (e.g. 户籍 → the approval centre, 3 working days).
type Category struct {
	ID          int64          `json:"id"`
	Code        string         `json:"code"`
	Name        string         `json:"name"`
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

// Policy is everything the rules need to know about the installation.
type Policy struct {
	Calendar *calendar.Calendar
}

// DueAt computes an item's due time from its category, concern class and
// kind: the strictest applicable limit wins. gap reports that the calendar
// had no data for a year the computation touched, so the result is a guess.
func (p Policy) DueAt(received time.Time, kind Kind, class Class, cat *Category) (due time.Time, gap bool) {
	limits := []calendar.Limit{KindLimits[kind]}
	if cat != nil {
		limits = []calendar.Limit{cat.Limit}
	}
	if l, ok := ClassLimits[class]; ok {
		limits = append(limits, l)
	}
	for i, l := range limits {
		d := p.Calendar.Due(received, l)
		if i == 0 || d.At.Before(due) {
			due = d.At
		}
		gap = gap || len(d.UncoveredYears) > 0
	}
	return due, gap
}
