package reporting

import (
	"context"
	"slices"
	"testing"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/org"
)

func TestCheckPeriod(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		fields   []string
	}{
		{"a year", "2021-01-01", "2021-12-31", nil},
		{"one day", "2021-03-01", "2021-03-01", nil},
		{"longest", "2021-01-01", "2024-01-03", nil}, // 1098 days
		{"too long", "2021-01-01", "2024-01-04", []string{"to"}},
		{"no such day", "2021-02-30", "2021-03-31", []string{"from"}},
		{"not a date", "2021-03-01", "31/03/2021", []string{"to"}},
		{"both missing", "", "", []string{"from", "to"}},
		{"backwards", "2021-03-31", "2021-03-01", []string{"to"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Filter{From: tt.from, To: tt.to}.CheckPeriod()
			if got := problemFields(err); !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v (%v)", got, tt.fields, err)
			}
		})
	}
}

func problemFields(err error) []string {
	e, ok := err.(*minyi.Error)
	if !ok || e == nil {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func pct(f float64) *float64 { return &f }

func row(unit string, satisfaction, resolution, response *float64, overdue int64) UnitRow {
	return UnitRow{UnitStats: UnitStats{Unit: unit, Rates: Rates{Satisfaction: satisfaction, Resolution: resolution, Response: response}}, Overdue: overdue}
}

func TestRankUnits(t *testing.T) {
	tests := []struct {
		name      string
		rows      []UnitRow
		wantOrder []string
		wantRanks []int
	}{
		{"satisfaction first",
			[]UnitRow{row("a", pct(0.8), pct(1), pct(1), 0), row("b", pct(0.9), pct(0.5), pct(0.5), 3)},
			[]string{"b", "a"}, []int{1, 2}},
		{"then resolution, then response",
			[]UnitRow{row("a", pct(1), pct(0.5), pct(1), 0), row("b", pct(1), pct(0.6), pct(0.1), 0), row("c", pct(1), pct(0.5), pct(0.9), 0)},
			[]string{"b", "a", "c"}, []int{1, 2, 3}},
		{"then fewer overdue",
			[]UnitRow{row("a", pct(1), pct(1), pct(1), 4), row("b", pct(1), pct(1), pct(1), 1)},
			[]string{"b", "a"}, []int{1, 2}},
		{"ties share a rank",
			[]UnitRow{row("c", pct(0.5), pct(0.5), pct(0.5), 0), row("b", pct(1), pct(1), pct(1), 0), row("a", pct(1), pct(1), pct(1), 0)},
			[]string{"a", "b", "c"}, []int{1, 1, 3}},
		{"competition ranking: 1, 2, 2, 4",
			[]UnitRow{row("d", pct(0.5), pct(0.5), pct(0.5), 2), row("c", pct(0.9), pct(0.8), pct(1), 1), row("b", pct(0.9), pct(0.8), pct(1), 1), row("a", pct(1), pct(1), pct(1), 0)},
			[]string{"a", "b", "c", "d"}, []int{1, 2, 2, 4}},
		{"a tie on rates is broken by fewer overdue",
			[]UnitRow{row("a", pct(1), pct(1), pct(1), 2), row("b", pct(1), pct(1), pct(1), 0), row("c", pct(1), pct(1), pct(1), 2)},
			[]string{"b", "a", "c"}, []int{1, 2, 2}},
		{"no rate after any rate",
			[]UnitRow{row("a", nil, pct(1), pct(1), 0), row("b", pct(0), pct(0), pct(0), 9)},
			[]string{"b", "a"}, []int{1, 2}},
		{"unassigned last and unranked",
			[]UnitRow{row("", pct(1), pct(1), pct(1), 0), row("a", pct(0.5), nil, nil, 0)},
			[]string{"a", ""}, []int{1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := slices.Clone(tt.rows)
			RankUnits(rows)
			var order []string
			var ranks []int
			for _, r := range rows {
				order, ranks = append(order, r.Unit), append(ranks, r.Rank)
			}
			if !slices.Equal(order, tt.wantOrder) || !slices.Equal(ranks, tt.wantRanks) {
				t.Errorf("order %q ranks %v, want %q %v", order, ranks, tt.wantOrder, tt.wantRanks)
			}
		})
	}
}

func TestWeekOf(t *testing.T) {
	tests := []struct{ day, week, monday string }{
		{"2021-01-01", "2020-W53", "2020-12-28"}, // a Friday in the last ISO week of 2020
		{"2021-01-04", "2021-W01", "2021-01-04"},
		{"2021-01-10", "2021-W01", "2021-01-04"}, // Sunday ends the week
		{"2021-03-08", "2021-W10", "2021-03-08"},
		{"2024-12-30", "2025-W01", "2024-12-30"},
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			d, _ := time.Parse(time.DateOnly, tt.day)
			if week, monday := WeekOf(d); week != tt.week || monday != tt.monday {
				t.Errorf("WeekOf(%s) = %s, %s; want %s, %s", tt.day, week, monday, tt.week, tt.monday)
			}
		})
	}
}

func TestFillWeeks(t *testing.T) {
	weeks := []WeekCount{
		{Week: "2021-W01", Start: "2021-01-04", Received: 5, Answered: 4},
		{Week: "2021-W03", Start: "2021-01-18", Received: 2, Answered: 2},
		{Week: "2021-W09", Start: "2021-03-01", Received: 7}, // outside the period
	}
	got := FillWeeks("2021-01-01", "2021-01-20", weeks)
	want := []WeekCount{
		{Week: "2020-W53", Start: "2020-12-28"},
		{Week: "2021-W01", Start: "2021-01-04", Received: 5, Answered: 4},
		{Week: "2021-W02", Start: "2021-01-11"},
		{Week: "2021-W03", Start: "2021-01-18", Received: 2, Answered: 2},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got := FillWeeks("2021-01-01", "2021-01-01", nil); len(got) != 1 || got[0].Week != "2020-W53" {
		t.Errorf("one day: %+v", got)
	}
}

func TestDaysOverdue(t *testing.T) {
	at := func(day string, hour, min int) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, day, calendar.Zone)
		return d.Add(time.Duration(hour)*time.Hour + time.Duration(min)*time.Minute)
	}
	tests := []struct {
		name     string
		due, now time.Time
		want     int
	}{
		{"half an hour late", at("2021-03-04", 17, 30), at("2021-03-04", 18, 0), 1},
		{"next morning", at("2021-03-04", 17, 30), at("2021-03-05", 7, 0), 1}, // still 4 March in UTC
		{"three days", at("2021-03-04", 17, 30), at("2021-03-07", 9, 0), 3},
		{"across a month", at("2021-02-26", 17, 30), at("2021-03-01", 9, 0), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DaysOverdue(tt.due, tt.now); got != tt.want {
				t.Errorf("DaysOverdue = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestDashboardRefusesEarly checks that refusals come before any reading:
// the service has no store, so reaching it would panic.
func TestDashboardRefusesEarly(t *testing.T) {
	svc := &Service{}
	period := Filter{From: "2021-01-01", To: "2021-10-31"}
	tests := []struct {
		name string
		u    org.User
		f    Filter
		code string
	}{
		{"officer", org.User{Role: org.RoleOfficer, UnitCode: "a"}, period, minyi.EForbidden},
		{"auxiliary", org.User{Role: org.RoleAuxiliary, UnitCode: "a"}, period, minyi.EForbidden},
		{"partner", org.User{Role: org.RolePartner, UnitCode: "p"}, period, minyi.EForbidden},
		{"disabled leader", org.User{Role: org.RoleLeader, Disabled: true}, period, minyi.EForbidden},
		{"unit head without unit", org.User{Role: org.RoleUnitHead}, period, minyi.EForbidden},
		{"another unit", org.User{Role: org.RoleUnitHead, UnitCode: "a"}, Filter{From: period.From, To: period.To, Unit: "b"}, minyi.EForbidden},
		{"bad period", org.User{Role: org.RoleLeader}, Filter{From: "2021-01-01", To: "yesterday"}, minyi.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := svc.Dashboard(context.Background(), tt.u, tt.f); minyi.ErrorCode(err) != tt.code {
				t.Errorf("got %v, want %s", err, tt.code)
			}
		})
	}
}

func TestMayViewDashboard(t *testing.T) {
	tests := []struct {
		u    org.User
		want bool
	}{
		{org.User{Role: org.RoleAdmin}, true},
		{org.User{Role: org.RoleLeader}, true},
		{org.User{Role: org.RoleUnitHead, UnitCode: "a"}, true},
		{org.User{Role: org.RoleOfficer, UnitCode: "a"}, false},
		{org.User{Role: org.RoleAuxiliary, UnitCode: "a"}, false},
		{org.User{Role: org.RolePartner, UnitCode: "p"}, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.u.Role), func(t *testing.T) {
			if got := MayViewDashboard(tt.u); got != tt.want {
				t.Errorf("MayViewDashboard(%s) = %v, want %v", tt.u.Role, got, tt.want)
			}
		})
	}
}

func TestParallel(t *testing.T) {
	bad := minyi.Invalid("from", "开始日期无效", "bad from")
	tests := []struct {
		name string
		fns  []func(context.Context) error
		want error
	}{
		{"all succeed", []func(context.Context) error{
			func(context.Context) error { return nil },
			func(context.Context) error { return nil },
		}, nil},
		// The failure is reported, not the cancellation it caused in the
		// others, and the others are not waited for past it.
		{"one fails", []func(context.Context) error{
			func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() },
			func(context.Context) error { return bad },
		}, bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parallel(context.Background(), tt.fns...); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMonthsOf(t *testing.T) {
	for _, tt := range []struct {
		from, to string
		want     [][2]string
	}{
		{"2021-01-01", "2021-01-31", [][2]string{{"2021-01-01", "2021-01-31"}}},
		{"2021-01-15", "2021-03-02", [][2]string{{"2021-01-15", "2021-01-31"}, {"2021-02-01", "2021-02-28"}, {"2021-03-01", "2021-03-02"}}},
		{"2021-12-31", "2022-01-01", [][2]string{{"2021-12-31", "2021-12-31"}, {"2022-01-01", "2022-01-01"}}},
	} {
		t.Run(tt.from+"…"+tt.to, func(t *testing.T) {
			if got := monthsOf(tt.from, tt.to); !slices.Equal(got, tt.want) {
				t.Errorf("monthsOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPresets(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		want []Preset
	}{
		{"mid-year", time.Date(2026, 5, 17, 10, 0, 0, 0, calendar.Zone), []Preset{
			{"dash.quick_month", "2026-05-01", "2026-05-17"},
			{"dash.quick_last_month", "2026-04-01", "2026-04-30"},
			{"dash.quick_quarter", "2026-04-01", "2026-05-17"},
			{"dash.quick_year", "2026-01-01", "2026-05-17"},
			{"dash.quick_30days", "2026-04-18", "2026-05-17"},
		}},
		{"1 January: last month is December of last year", time.Date(2027, 1, 1, 8, 0, 0, 0, calendar.Zone), []Preset{
			{"dash.quick_month", "2027-01-01", "2027-01-01"},
			{"dash.quick_last_month", "2026-12-01", "2026-12-31"},
			{"dash.quick_quarter", "2027-01-01", "2027-01-01"},
			{"dash.quick_year", "2027-01-01", "2027-01-01"},
			{"dash.quick_30days", "2026-12-03", "2027-01-01"},
		}},
		{"the bureau's date, not UTC's: 31 March 20:00 UTC is 1 April in China", time.Date(2026, 3, 31, 20, 0, 0, 0, time.UTC), []Preset{
			{"dash.quick_month", "2026-04-01", "2026-04-01"},
			{"dash.quick_last_month", "2026-03-01", "2026-03-31"},
			{"dash.quick_quarter", "2026-04-01", "2026-04-01"},
			{"dash.quick_year", "2026-01-01", "2026-04-01"},
			{"dash.quick_30days", "2026-03-03", "2026-04-01"},
		}},
		{"end of a quarter, leap year's February", time.Date(2024, 3, 31, 12, 0, 0, 0, calendar.Zone), []Preset{
			{"dash.quick_month", "2024-03-01", "2024-03-31"},
			{"dash.quick_last_month", "2024-02-01", "2024-02-29"},
			{"dash.quick_quarter", "2024-01-01", "2024-03-31"},
			{"dash.quick_year", "2024-01-01", "2024-03-31"},
			{"dash.quick_30days", "2024-03-02", "2024-03-31"},
		}},
		{"December: the fourth quarter", time.Date(2026, 12, 5, 12, 0, 0, 0, calendar.Zone), []Preset{
			{"dash.quick_month", "2026-12-01", "2026-12-05"},
			{"dash.quick_last_month", "2026-11-01", "2026-11-30"},
			{"dash.quick_quarter", "2026-10-01", "2026-12-05"},
			{"dash.quick_year", "2026-01-01", "2026-12-05"},
			{"dash.quick_30days", "2026-11-06", "2026-12-05"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Presets(tt.now); !slices.Equal(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}
