package indicator_test

import (
	"slices"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/indicator"
	"minyi/internal/testkit"
)

var now = time.Date(2021, 11, 2, 10, 0, 0, 0, calendar.Zone)

func TestEntryValidate(t *testing.T) {
	good := indicator.Entry{Indicator: "criminal_cases_solved", Unit: "a", Month: "2021-10", Value: 31, Note: " 十月 "}
	for _, tc := range []struct {
		name   string
		change func(*indicator.Entry)
		fields []string
	}{
		{"good", func(*indicator.Entry) {}, nil},
		{"this month", func(e *indicator.Entry) { e.Month = "2021-11" }, nil},
		{"zero", func(e *indicator.Entry) { e.Value = 0 }, nil},
		{"no indicator", func(e *indicator.Entry) { e.Indicator = " " }, []string{"indicator"}},
		{"no unit", func(e *indicator.Entry) { e.Unit = "" }, []string{"unit"}},
		{"no month", func(e *indicator.Entry) { e.Month = "" }, []string{"month"}},
		{"month as a day", func(e *indicator.Entry) { e.Month = "2021-10-01" }, []string{"month"}},
		{"month 13", func(e *indicator.Entry) { e.Month = "2021-13" }, []string{"month"}},
		{"next month", func(e *indicator.Entry) { e.Month = "2021-12" }, []string{"month"}},
		{"too early", func(e *indicator.Entry) { e.Month = "1999-12" }, []string{"month"}},
		{"negative", func(e *indicator.Entry) { e.Value = -1 }, []string{"value"}},
		{"too large", func(e *indicator.Entry) { e.Value = indicator.MaxValue + 1 }, []string{"value"}},
		{"all wrong", func(e *indicator.Entry) { *e = indicator.Entry{Value: -3} }, []string{"indicator", "month", "unit", "value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := good
			tc.change(&e)
			got, err := e.Validate(now)
			if f := testkit.Fields(err); !slices.Equal(f, tc.fields) {
				t.Fatalf("fields %v, want %v (%v)", f, tc.fields, err)
			}
			if err == nil && got.Note != "十月" {
				t.Errorf("note %q not trimmed", got.Note)
			}
		})
	}
}

func TestDefinitionValidate(t *testing.T) {
	good := indicator.Definition{Code: "drug_cases", Name: "查处涉毒案件", NameEn: "drug cases", Measure: "起", Aggregation: indicator.Sum}
	for _, tc := range []struct {
		name   string
		change func(*indicator.Definition)
		fields []string
	}{
		{"good", func(*indicator.Definition) {}, nil},
		{"last", func(d *indicator.Definition) { d.Aggregation = indicator.Last }, nil},
		{"code upper case", func(d *indicator.Definition) { d.Code = "Drug" }, []string{"code"}},
		{"code with a space", func(d *indicator.Definition) { d.Code = "drug cases" }, []string{"code"}},
		{"no name", func(d *indicator.Definition) { d.Name = "" }, []string{"name"}},
		{"no English name", func(d *indicator.Definition) { d.NameEn = "" }, []string{"name_en"}},
		{"no measure", func(d *indicator.Definition) { d.Measure = "" }, []string{"measure"}},
		{"average", func(d *indicator.Definition) { d.Aggregation = "avg" }, []string{"aggregation"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := good
			tc.change(&d)
			_, err := d.Validate()
			if f := testkit.Fields(err); !slices.Equal(f, tc.fields) {
				t.Fatalf("fields %v, want %v (%v)", f, tc.fields, err)
			}
		})
	}
}

func TestFigure(t *testing.T) {
	entries := []indicator.Entry{
		{Unit: "a", Month: "2021-01", Value: 3}, {Unit: "a", Month: "2021-03", Value: 5},
		{Unit: "b", Month: "2021-02", Value: 7}, {Unit: "b", Month: "2021-01", Value: 11},
	}
	for _, tc := range []struct {
		agg  indicator.Aggregation
		want int64
	}{{indicator.Sum, 26}, {indicator.Last, 5 + 7}} {
		if got := indicator.Figure(tc.agg, entries); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.agg, got, tc.want)
		}
	}
	if got := indicator.Figure(indicator.Last, nil); got != 0 {
		t.Errorf("last of nothing: %d", got)
	}
}

func TestPeriodMonths(t *testing.T) {
	for _, tc := range []struct{ from, to, first, last string }{
		{"2021-01-01", "2021-10-31", "2021-01", "2021-10"},
		{"2021-01-15", "2021-10-01", "2021-02", "2021-10"}, // January's first day is outside; October's inside
		{"2021-12-02", "2021-12-31", "2022-01", "2021-12"}, // no month's first day: nothing
		{"", "", "", ""},
	} {
		first, last := indicator.PeriodMonths(tc.from, tc.to)
		if first != tc.first || last != tc.last {
			t.Errorf("%s..%s: %s..%s, want %s..%s", tc.from, tc.to, first, last, tc.first, tc.last)
		}
	}
}
