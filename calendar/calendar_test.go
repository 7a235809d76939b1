package calendar

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// cst parses "YYYY-MM-DD HH:MM" in Zone.
func cst(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, Zone)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func days(n int) Limit  { return Limit{Amount: n, Unit: WorkingDays} }
func hours(n int) Limit { return Limit{Amount: n, Unit: WorkingHours} }

func TestDefaultYears(t *testing.T) {
	c := Default()
	if got, want := c.Years(), []int{2021, 2026}; !slices.Equal(got, want) {
		t.Errorf("Years() = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		year int
		want bool
	}{{2020, false}, {2021, true}, {2022, false}, {2026, true}} {
		if got := c.HasYear(tc.year); got != tc.want {
			t.Errorf("HasYear(%d) = %v, want %v", tc.year, got, tc.want)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		date string
		want bool
	}{
		{"2021-02-05 12:00", true},  // Friday before Spring Festival
		{"2021-02-06 12:00", false}, // ordinary Saturday
		{"2021-02-07 12:00", true},  // make-up Sunday (调休上班)
		{"2021-02-11 12:00", false}, // Spring Festival, Thursday
		{"2021-02-18 12:00", true},  // first day back
		{"2021-02-20 12:00", true},  // make-up Saturday
		{"2021-09-26 12:00", true},  // National Day make-up Sunday
		{"2021-10-01 12:00", false},
		{"2021-10-07 12:00", false},
		{"2021-10-09 12:00", true},  // National Day make-up Saturday
		{"2021-10-10 12:00", false}, // ordinary Sunday
		{"2023-03-01 12:00", true},  // unknown year: weekday rule
		{"2023-03-04 12:00", false}, // unknown year: Saturday
	}
	c := Default()
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			if got := c.IsWorkingDay(cst(t, tc.date)); got != tc.want {
				t.Errorf("IsWorkingDay = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("judged in Zone", func(t *testing.T) {
		// 2021-02-06 20:00 UTC is already the make-up Sunday in China.
		utc := time.Date(2021, 2, 6, 20, 0, 0, 0, time.UTC)
		if !c.IsWorkingDay(utc) {
			t.Error("IsWorkingDay(2021-02-06T20:00Z) = false, want true")
		}
	})
}

func TestDue(t *testing.T) {
	tests := []struct {
		name      string
		start     time.Time
		limit     Limit
		want      string
		uncovered []int
	}{
		// Spring Festival 2021: 02-11..02-17 off, 02-07 (Sun) and 02-20 (Sat) worked.
		{"spring festival skips the week off", cst(t, "2021-02-10 10:00"), days(1), "2021-02-18 17:30", nil},
		{"make-up Sunday counts", cst(t, "2021-02-05 10:00"), days(1), "2021-02-07 17:30", nil},
		{"make-up Saturday counts", cst(t, "2021-02-18 10:00"), days(2), "2021-02-20 17:30", nil},
		{"receipt time of day does not matter", cst(t, "2021-02-10 23:59"), days(1), "2021-02-18 17:30", nil},

		// National Day 2021: 10-01..10-07 off, 09-26 (Sun) and 10-09 (Sat) worked.
		{"make-up Sunday before National Day", cst(t, "2021-09-24 09:00"), days(1), "2021-09-26 17:30", nil},
		{"National Day week skipped", cst(t, "2021-09-30 09:00"), days(1), "2021-10-08 17:30", nil},
		{"make-up Saturday after National Day", cst(t, "2021-09-30 09:00"), days(2), "2021-10-09 17:30", nil},
		{"ordinary Sunday after make-up Saturday", cst(t, "2021-09-30 09:00"), days(3), "2021-10-11 17:30", nil},
		{"received on a holiday", cst(t, "2021-10-03 09:00"), days(1), "2021-10-08 17:30", nil},

		// Same working day (当日).
		{"same day in office hours", cst(t, "2021-03-01 10:00"), days(0), "2021-03-01 17:30", nil},
		{"same day before office opens", cst(t, "2021-03-01 07:00"), days(0), "2021-03-01 17:30", nil},
		{"same day at office End", cst(t, "2021-03-01 17:30"), days(0), "2021-03-02 17:30", nil},
		{"same day after office hours", cst(t, "2021-03-01 18:00"), days(0), "2021-03-02 17:30", nil},
		{"same day Friday evening", cst(t, "2021-03-05 18:00"), days(0), "2021-03-08 17:30", nil},
		{"same day on a Saturday", cst(t, "2021-03-06 10:00"), days(0), "2021-03-08 17:30", nil},
		{"same day after hours before National Day", cst(t, "2021-09-30 18:00"), days(0), "2021-10-08 17:30", nil},
		{"same day on a make-up Sunday", cst(t, "2021-02-07 10:00"), days(0), "2021-02-07 17:30", nil},

		// Working hours.
		{"hours across a weekend", cst(t, "2021-03-05 16:30"), hours(2), "2021-03-08 09:30", nil},
		{"hours within a day", cst(t, "2021-03-01 09:00"), hours(4), "2021-03-01 13:00", nil},
		{"hours end exactly at office End", cst(t, "2021-03-01 08:30"), hours(9), "2021-03-01 17:30", nil},
		{"hours started before office opens", cst(t, "2021-03-01 07:00"), hours(1), "2021-03-01 09:30", nil},
		{"hours started after office closes", cst(t, "2021-03-01 20:00"), hours(1), "2021-03-02 09:30", nil},
		{"hours started on a Saturday", cst(t, "2021-03-06 12:00"), hours(1), "2021-03-08 09:30", nil},
		{"hours across National Day", cst(t, "2021-09-30 16:00"), hours(4), "2021-10-08 11:00", nil},
		{"hours into a make-up Sunday", cst(t, "2021-02-06 10:00"), hours(2), "2021-02-07 10:30", nil},
		{"hours spanning days", cst(t, "2021-03-01 17:00"), hours(10), "2021-03-03 09:00", nil},

		// Years without entries are flagged, never silently assumed.
		{"unknown year", cst(t, "2023-03-01 10:00"), days(1), "2023-03-02 17:30", []int{2023}},
		{"walk into unknown year", cst(t, "2021-12-30 10:00"), days(5), "2022-01-06 17:30", []int{2022}},
		{"walk out of unknown year", cst(t, "2025-12-31 10:00"), days(1), "2026-01-04 17:30", []int{2025}},
		{"hours into unknown year", cst(t, "2021-12-31 17:00"), hours(1), "2022-01-03 09:00", []int{2022}},
		{"2026 Spring Festival", cst(t, "2026-02-13 10:00"), days(1), "2026-02-14 17:30", nil},

		// The start's location does not matter: 16:30 UTC is 00:30 next day in China.
		{"start in UTC", time.Date(2021, 2, 10, 16, 30, 0, 0, time.UTC), days(0), "2021-02-18 17:30", nil},
	}
	c := Default()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Due(tc.start, tc.limit)
			if want := cst(t, tc.want); !got.At.Equal(want) {
				t.Errorf("Due(%s, %v).At = %s, want %s", tc.start, tc.limit, got.At.Format(time.DateTime), tc.want)
			}
			if got.At.Location() != Zone {
				t.Errorf("At location = %v, want Zone", got.At.Location())
			}
			if !slices.Equal(got.UncoveredYears, tc.uncovered) {
				t.Errorf("UncoveredYears = %v, want %v", got.UncoveredYears, tc.uncovered)
			}
			if got.Incomplete {
				t.Error("Incomplete = true, want false")
			}
		})
	}
}

func TestDueAfterExtension(t *testing.T) {
	c := Default()
	tests := []struct {
		name  string
		prev  string
		extra Limit
		want  string
	}{
		{"days add to the due time", "2021-09-30 17:30", days(2), "2021-10-09 17:30"},
		{"hours start at the next office Start", "2021-09-30 17:30", hours(1), "2021-10-08 09:30"},
		{"zero days from office End moves on a day", "2021-09-29 17:30", days(0), "2021-09-30 17:30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.DueAfterExtension(cst(t, tc.prev), tc.extra)
			if want := cst(t, tc.want); !got.At.Equal(want) {
				t.Errorf("At = %s, want %s", got.At.Format(time.DateTime), tc.want)
			}
		})
	}
}

func TestDueGuards(t *testing.T) {
	// Four years of nothing but holidays: a corrupt calendar.
	var all []Entry
	for d := time.Date(2021, 1, 1, 0, 0, 0, 0, Zone); d.Year() < 2025; d = d.AddDate(0, 0, 1) {
		all = append(all, Entry{Date: d.Format(dateLayout), Kind: Holiday, Name: "x"})
	}
	corrupt, err := New(all, DefaultOfficeHours)
	if err != nil {
		t.Fatal(err)
	}
	start := cst(t, "2021-01-04 10:00")
	tests := []struct {
		name  string
		c     *Calendar
		limit Limit
	}{
		{"corrupt calendar, days", corrupt, days(1)},
		{"corrupt calendar, hours", corrupt, hours(1)},
		{"invalid limit", Default(), days(-1)},
		{"unknown unit", Default(), Limit{Amount: 1, Unit: "weeks"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.c.Due(start, tc.limit)
			if !got.Incomplete {
				t.Errorf("Incomplete = false, want true (At %s)", got.At)
			}
			if got.At.Before(start) {
				t.Errorf("At = %s, before start", got.At)
			}
			if got.At.Sub(start) > 3*367*24*time.Hour {
				t.Errorf("At = %s, walked more than three years", got.At)
			}
		})
	}
}

func TestNew(t *testing.T) {
	ok := []Entry{{Date: "2021-01-01", Kind: Holiday, Name: "元旦"}}
	tests := []struct {
		name    string
		entries []Entry
		hours   OfficeHours
		wantErr string // empty: no error
	}{
		{"valid", ok, DefaultOfficeHours, ""},
		{"no entries", nil, DefaultOfficeHours, ""},
		{"End before Start", ok, OfficeHours{Start: 17 * time.Hour, End: 9 * time.Hour}, "office hours"},
		{"End equals Start", ok, OfficeHours{Start: 9 * time.Hour, End: 9 * time.Hour}, "office hours"},
		{"End past midnight", ok, OfficeHours{Start: 9 * time.Hour, End: 25 * time.Hour}, "office hours"},
		{"bad date", []Entry{{Date: "2021-02-30", Kind: Holiday}}, DefaultOfficeHours, `entry 1: date "2021-02-30"`},
		{"unpadded date", []Entry{{Date: "2021-1-01", Kind: Holiday}}, DefaultOfficeHours, `entry 1: date "2021-1-01"`},
		{"bad kind", []Entry{{Date: "2021-01-01", Kind: "rest"}}, DefaultOfficeHours, `entry 1: kind "rest"`},
		{"duplicate", append(slices.Clone(ok), Entry{Date: "2021-01-01", Kind: Workday}), DefaultOfficeHours, "entry 2: date 2021-01-01: duplicate of entry 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.entries, tc.hours)
			checkErr(t, err, tc.wantErr)
		})
	}
}

func TestEntriesIsSortedCopy(t *testing.T) {
	c, err := New([]Entry{
		{Date: "2026-01-01", Kind: Holiday, Name: "元旦"},
		{Date: "2021-01-01", Kind: Holiday, Name: "元旦"},
	}, DefaultOfficeHours)
	if err != nil {
		t.Fatal(err)
	}
	got := c.Entries()
	if got[0].Date != "2021-01-01" || got[1].Date != "2026-01-01" {
		t.Fatalf("Entries() = %v, want sorted by date", got)
	}
	got[0].Kind = Workday
	if c.Entries()[0].Kind != Holiday {
		t.Error("changing the result of Entries changed the calendar")
	}
	if y := c.Years(); !slices.Equal(y, []int{2021, 2026}) {
		t.Errorf("Years() = %v", y)
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Errorf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("error %q, want it to contain %q", err, want)
	}
}

func TestParseCSVErrors(t *testing.T) {
	const header = "date,kind,name\n"
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{"empty file", "", "line 1: missing header"},
		{"wrong header", "day,kind,name\n2021-01-01,holiday,元旦\n", `line 1: header "day,kind,name"`},
		{"bad date", header + "2021-01-01,holiday,元旦\n2021-13-01,holiday,x\n", `line 3: date "2021-13-01": not a valid YYYY-MM-DD date`},
		{"bad kind", header + "2021-01-01,holiday,a\n2021-01-02,holiday,b\n2021-01-03,holiday,c\n" +
			"2021-02-07,workday,d\n2021-02-11,holiday,e\n2021-02-12,x,f\n", `line 7: kind "x": must be holiday or workday`},
		{"duplicate", header + "2021-01-01,holiday,元旦\n2021-01-02,holiday,元旦\n2021-01-01,workday,x\n", "line 4: date 2021-01-01: duplicate of line 2"},
		{"missing field", header + "2021-01-01,holiday\n", "line 2"},
		{"blank line keeps numbering", header + "\n2021-01-01,bogus,x\n", "line 3: kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCSV(strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.wantErr)
			}
			checkErr(t, err, tc.wantErr)
		})
	}
}

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Entry
	}{
		{"header only", "date,kind,name\n", nil},
		{"byte order mark", "\ufeffdate,kind,name\n2021-01-01,holiday,元旦\n", []Entry{{"2021-01-01", Holiday, "元旦"}}},
		{"CRLF and quoted name", "date,kind,name\r\n2021-02-07,workday,\"春节, 调休\"\r\n", []Entry{{"2021-02-07", Workday, "春节, 调休"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCSV(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCSVRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
	}{
		{"default", DefaultEntries()},
		{"unsorted with awkward names", []Entry{
			{Date: "2026-10-10", Kind: Workday, Name: "国庆节调休上班"},
			{Date: "2021-01-01", Kind: Holiday, Name: `New Year, "元旦"`},
			{Date: "2021-06-14", Kind: Holiday, Name: ""},
		}},
		{"empty", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCSV(&buf, tc.entries); err != nil {
				t.Fatal(err)
			}
			got, err := ParseCSV(&buf)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(tc.entries)
			slices.SortFunc(want, func(a, b Entry) int { return strings.Compare(a.Date, b.Date) })
			if !slices.Equal(got, want) {
				t.Errorf("round trip:\n got %v\nwant %v", got, want)
			}
		})
	}
	t.Run("invalid entries refused", func(t *testing.T) {
		err := WriteCSV(&bytes.Buffer{}, []Entry{{Date: "2021/01/01", Kind: Holiday}})
		checkErr(t, err, `entry 1: date "2021/01/01"`)
	})
}

func TestLimit(t *testing.T) {
	tests := []struct {
		limit   Limit
		wantErr string
		str     string
		label   string
	}{
		{days(0), "", "same working day", "当日"},
		{days(1), "", "1 working day", "1个工作日"},
		{days(3), "", "3 working days", "3个工作日"},
		{days(365), "", "365 working days", "365个工作日"},
		{days(366), "amount must be 0..365", "366 working days", "366个工作日"},
		{days(-1), "amount must be 0..365", "-1 working days", "-1个工作日"},
		{hours(1), "", "1 working hour", "1个工作小时"},
		{hours(4), "", "4 working hours", "4个工作小时"},
		{hours(2000), "", "2000 working hours", "2000个工作小时"},
		{hours(0), "amount must be 1..2000", "0 working hours", "0个工作小时"},
		{hours(2001), "amount must be 1..2000", "2001 working hours", "2001个工作小时"},
		{Limit{Amount: 1, Unit: "weeks"}, `unit "weeks"`, "1 weeks", "1 weeks"},
		{Limit{}, `unit ""`, "0 ", "0 "},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d %s", tc.limit.Amount, tc.limit.Unit), func(t *testing.T) {
			checkErr(t, tc.limit.Validate(), tc.wantErr)
			if got := tc.limit.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
			if got := tc.limit.Label(); got != tc.label {
				t.Errorf("Label() = %q, want %q", got, tc.label)
			}
		})
	}
}

func FuzzDue(f *testing.F) {
	f.Add(int64(0), uint16(1), false)
	f.Add(int64(60*24*70+16*60+30), uint16(2), true) // a Friday 16:30
	f.Add(int64(60*24*365), uint16(365), false)
	f.Add(int64(-1), uint16(0), false)
	c := Default()
	base := time.Date(2020, 12, 1, 0, 0, 0, 0, Zone)
	const span = 7 * 366 * 24 * 60 // minutes: 2020-12 to past 2026
	f.Fuzz(func(t *testing.T, offset int64, amount uint16, inHours bool) {
		offset %= span
		if offset < 0 {
			offset += span
		}
		start := base.Add(time.Duration(offset) * time.Minute)
		l := days(int(amount) % (MaxLimitDays + 1))
		if inHours {
			l = hours(1 + int(amount)%MaxLimitHours)
		}
		got := c.Due(start, l)
		if got.Incomplete {
			t.Fatalf("Due(%s, %v): Incomplete", start, l)
		}
		if got.At.Before(start) {
			t.Fatalf("Due(%s, %v).At = %s, before start", start, l, got.At)
		}
		if !c.IsWorkingDay(got.At) {
			t.Fatalf("Due(%s, %v).At = %s, not on a working day", start, l, got.At)
		}
		midnight := dayOf(got.At).midnight()
		if sinceMidnight := got.At.Sub(midnight); sinceMidnight <= c.hours.Start || sinceMidnight > c.hours.End {
			t.Fatalf("Due(%s, %v).At = %s, outside office hours", start, l, got.At)
		}
		if l.Unit == WorkingDays && got.At.Sub(midnight) != c.hours.End {
			t.Fatalf("Due(%s, %v).At = %s, not at office End", start, l, got.At)
		}
		if !slices.IsSorted(got.UncoveredYears) || len(slices.Compact(slices.Clone(got.UncoveredYears))) != len(got.UncoveredYears) {
			t.Fatalf("UncoveredYears %v not sorted and unique", got.UncoveredYears)
		}
		for _, y := range got.UncoveredYears {
			if c.HasYear(y) || y < start.Year() || y > got.At.Year() {
				t.Fatalf("UncoveredYears %v: %d is known or outside the walk", got.UncoveredYears, y)
			}
		}
		// One more unit ends later; only 当日 after hours equals 1 working day.
		if more := (Limit{Amount: l.Amount + 1, Unit: l.Unit}); more.Validate() == nil {
			next := c.Due(start, more)
			if next.At.Before(got.At) || (l.Amount > 0 && next.At.Equal(got.At)) {
				t.Fatalf("Due(%s, %v + 1).At = %s, ends no later than %s", start, l, next.At, got.At)
			}
		}
	})
}
