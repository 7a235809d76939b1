// Package indicator is the register of period indicators (工作指标): figures
// a bureau reports but does not manage case by case in minyi, such as
// criminal cases solved. Admins define the indicators; a unit's staff
// enter one value per indicator, unit and month. An entry is never edited:
// a correction is a new entry that supersedes the one before it for the
// same indicator, unit and month, so the old stays in the history and the
// latest counts.
package indicator

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/register"
)

// Register is the indicators' name in the event log, for definitions and
// entries alike.
const Register = "indicators"

// Noun names an indicator definition in the register's messages.
var Noun = register.Noun{Zh: "工作指标", En: "indicator"}

// The types of the register's events.
const (
	EventDefined = "defined"
	EventChanged = "changed"
	EventEntered = "entered"
)

// Aggregation is how an indicator's monthly values make a period's figure.
type Aggregation string

// The aggregations: the sum of the period's months, or the value of its
// last month that has one.
const (
	Sum  Aggregation = "sum"
	Last Aggregation = "last"
)

// Limits on definitions and entries.
const (
	MaxNameRunes    = 50
	MaxMeasureRunes = 10
	MaxNoteRunes    = 1000
	MaxValue        = 1_000_000_000
	monthLayout     = "2006-01"
)

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Definition is an indicator: what is counted, in what unit of measure,
// and how months add up.
type Definition struct {
	Code        string      `json:"code"`
	Name        string      `json:"name"`
	NameEn      string      `json:"name_en"`
	Measure     string      `json:"measure"`
	Aggregation Aggregation `json:"aggregation"`
	// Active is false once an admin retired the indicator: it takes no new
	// entries, while its entries stay and count.
	Active    bool      `json:"active"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks a definition and returns it trimmed.
func (d Definition) Validate() (Definition, error) {
	var p minyi.Problems
	d.Code = strings.TrimSpace(d.Code)
	if !codePattern.MatchString(d.Code) {
		p.Add("code", "指标代码须为2至40位小写字母、数字或下划线，以字母开头",
			"code must be 2 to 40 lowercase letters, digits or underscores, starting with a letter")
	}
	d.Name = archive.CheckNamedText(&p, "name", "指标名称", d.Name, MaxNameRunes, true)
	d.NameEn = archive.CheckNamedText(&p, "name_en", "英文名称", d.NameEn, MaxNameRunes*2, true)
	d.Measure = archive.CheckNamedText(&p, "measure", "计量单位", d.Measure, MaxMeasureRunes, true)
	if d.Aggregation != Sum && d.Aggregation != Last {
		p.Add("aggregation", "汇总方式须为sum（求和）或last（期末值）", "aggregation must be sum or last")
	}
	return d, p.Err()
}

// DefinitionPatch is a change to a definition: nil fields stay as they
// are. The code never changes: entries and figures are keyed by it.
type DefinitionPatch struct {
	Name        *string      `json:"name"`
	NameEn      *string      `json:"name_en"`
	Measure     *string      `json:"measure"`
	Aggregation *Aggregation `json:"aggregation"`
	Active      *bool        `json:"active"`
}

// Apply returns d with p's fields set.
func (p DefinitionPatch) Apply(d Definition) Definition {
	register.SetIf(&d.Name, p.Name)
	register.SetIf(&d.NameEn, p.NameEn)
	register.SetIf(&d.Measure, p.Measure)
	register.SetIf(&d.Aggregation, p.Aggregation)
	register.SetIf(&d.Active, p.Active)
	return d
}

func (d Definition) fields() map[string]string {
	return map[string]string{"name": d.Name, "name_en": d.NameEn, "measure": d.Measure, "aggregation": string(d.Aggregation),
		"active": strconv.FormatBool(d.Active)}
}

// Defined returns the log's event of a new definition, made by actor.
func (d Definition) Defined(actor string) eventlog.Event {
	return eventlog.Event{Register: Register, Record: d.Code, Type: EventDefined, Actor: actor, At: d.CreatedAt, Data: d.fields()}
}

// Changed returns the log's event of the change from before to d, made by
// actor at d.UpdatedAt; ok is false when nothing changed.
func (d Definition) Changed(before Definition, actor string) (eventlog.Event, bool) {
	old, now := before.fields(), d.fields()
	data := map[string]string{}
	for k, v := range now {
		if old[k] != v {
			data[k] = v
		}
	}
	if len(data) == 0 {
		return eventlog.Event{}, false
	}
	return eventlog.Event{Register: Register, Record: d.Code, Type: EventChanged, Actor: actor, At: d.UpdatedAt, Data: data}, true
}

// Entry is one unit's value of an indicator for one month.
type Entry struct {
	ID        int64  `json:"id"`
	Indicator string `json:"indicator"`
	Unit      string `json:"unit"`
	// Month is YYYY-MM, China time.
	Month string `json:"month"`
	Value int64  `json:"value"`
	Note  string `json:"note,omitempty"`
	// Supersedes is the id of the entry this one corrects; 0: none.
	Supersedes int64 `json:"supersedes,omitempty"`
	// Current is false once a later entry superseded this one.
	Current   bool      `json:"current"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`

	// Form is the page form the entry is made through, if any
	// (archive.FileOnce): a form sent twice makes one entry, not a second
	// that supersedes the first.
	archive.Form `json:"-"`
}

// Validate checks an entry (not that its indicator and unit exist, which
// is the Service's) and returns it trimmed. A month after now's is refused.
func (e Entry) Validate(now time.Time) (Entry, error) {
	var p minyi.Problems
	e.Indicator = strings.TrimSpace(e.Indicator)
	if e.Indicator == "" {
		p.Add("indicator", "请选择指标", "indicator is required")
	}
	e.Unit = strings.TrimSpace(e.Unit)
	if e.Unit == "" {
		p.Add("unit", "请选择单位", "unit is required")
	}
	e.Month = strings.TrimSpace(e.Month)
	if e.Month == "" {
		p.Add("month", "请填写月份", "month is required")
	} else if m, err := time.ParseInLocation(monthLayout, e.Month, calendar.Zone); err != nil {
		p.Add("month", "月份格式应为YYYY-MM", "month must be YYYY-MM")
	} else if m.After(archive.ChinaDay(now)) {
		p.Add("month", "月份不能晚于本月", "month cannot be in the future")
	} else if m.Year() < 2000 {
		p.Add("month", "月份过早", "month is too early")
	}
	if e.Value < 0 || e.Value > MaxValue {
		p.Add("value", "数值须在0到"+strconv.Itoa(MaxValue)+"之间", "value must be between 0 and "+strconv.Itoa(MaxValue))
	}
	e.Note = archive.CheckNamedText(&p, "note", "备注", e.Note, MaxNoteRunes, false)
	return e, p.Err()
}

// Entered returns the log's event of a stored entry (e.ID assigned).
func (e Entry) Entered() eventlog.Event {
	data := map[string]string{"indicator": e.Indicator, "unit": e.Unit, "month": e.Month,
		"value": strconv.FormatInt(e.Value, 10)}
	if e.Supersedes != 0 {
		data["supersedes"] = strconv.FormatInt(e.Supersedes, 10)
	}
	return eventlog.Event{Register: Register, RecordID: e.ID, Record: e.Indicator + "/" + e.Unit + "/" + e.Month,
		Type: EventEntered, Actor: e.CreatedBy, At: e.CreatedAt, Body: e.Note, Data: data}
}

// Filter selects entries for a list.
type Filter struct {
	register.Filter
	Units     []string // visibility: only these units' entries (nil: all)
	Indicator string
	Unit      string
	From, To  string // YYYY-MM, inclusive
	// History lists superseded entries too; otherwise only current ones.
	History bool
}

// Page is one page of entries, latest month first.
type Page = register.Page[Entry]

// Figure folds the current entries of one indicator in a period (one per
// unit and month) by its aggregation: Sum adds them all; Last adds, over
// the units, each unit's value of its latest month.
func Figure(agg Aggregation, entries []Entry) int64 {
	var total int64
	if agg != Last {
		for _, e := range entries {
			total += e.Value
		}
		return total
	}
	latest := map[string]Entry{}
	for _, e := range entries {
		if l, ok := latest[e.Unit]; !ok || e.Month > l.Month {
			latest[e.Unit] = e
		}
	}
	for _, e := range latest {
		total += e.Value
	}
	return total
}

// PeriodMonths returns the months counted in the period [from, to]
// (YYYY-MM-DD, either may be empty): a month counts when its first day is
// within the period, so a period that cuts a month counts it in the period
// holding its first day and no other.
func PeriodMonths(from, to string) (first, last string) {
	if len(from) >= 10 {
		first = from[:7]
		if from[8:] != "01" {
			t, _ := time.Parse(monthLayout, first)
			first = t.AddDate(0, 1, 0).Format(monthLayout)
		}
	}
	if len(to) >= 7 {
		last = to[:7]
	}
	return first, last
}
