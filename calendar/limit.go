package calendar

import "fmt"

// Unit is the unit a Limit is counted in.
type Unit string

const (
	// WorkingDays counts whole working days after the day of receipt.
	WorkingDays Unit = "working_days"
	// WorkingHours counts time inside office hours on working days.
	WorkingHours Unit = "working_hours"
)

// Units lists the units a Limit may be counted in.
var Units = []Unit{WorkingDays, WorkingHours}

// Limit is a time limit such as 3 working days or 4 working hours.
type Limit struct {
	Amount int  `json:"amount"`
	Unit   Unit `json:"unit"`
}

// Bounds on Limit.Amount; they keep every valid walk far inside maxWalkDays.
const (
	MaxLimitDays  = 365
	MaxLimitHours = 2000
)

// Validate reports whether the limit's unit is known and its amount in range.
func (l Limit) Validate() error {
	switch l.Unit {
	case WorkingDays:
		if l.Amount < 0 || l.Amount > MaxLimitDays {
			return fmt.Errorf("limit %d %s: amount must be 0..%d", l.Amount, l.Unit, MaxLimitDays)
		}
	case WorkingHours:
		if l.Amount < 1 || l.Amount > MaxLimitHours {
			return fmt.Errorf("limit %d %s: amount must be 1..%d", l.Amount, l.Unit, MaxLimitHours)
		}
	default:
		return fmt.Errorf("limit unit %q: must be %s or %s", l.Unit, WorkingDays, WorkingHours)
	}
	return nil
}

// String returns the limit in English, e.g. "3 working days".
func (l Limit) String() string {
	switch l.Unit {
	case WorkingDays:
		if l.Amount == 0 {
			return "same working day"
		}
		return plural(l.Amount, "working day")
	case WorkingHours:
		return plural(l.Amount, "working hour")
	}
	return fmt.Sprintf("%d %s", l.Amount, l.Unit)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Label returns the limit in Chinese, e.g. "3个工作日", "4个工作小时" or "当日".
func (l Limit) Label() string {
	switch l.Unit {
	case WorkingDays:
		if l.Amount == 0 {
			return "当日"
		}
		return fmt.Sprintf("%d个工作日", l.Amount)
	case WorkingHours:
		return fmt.Sprintf("%d个工作小时", l.Amount)
	}
	return fmt.Sprintf("%d %s", l.Amount, l.Unit)
}
