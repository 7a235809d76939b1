package store

import (
	"slices"
	"testing"
)

// TestCountRanges: a period sums the month counters of the months it holds
// whole and the day counters of the days at its ends.
func TestCountRanges(t *testing.T) {
	m := func(lo, hi string) countRange { return countRange{true, lo, hi} }
	d := func(lo, hi string) countRange { return countRange{false, lo, hi} }
	cases := []struct {
		from, to string
		want     []countRange
	}{
		{"", "", []countRange{m("0001-01", "9999-12")}},
		{"2021-03-01", "2021-05-31", []countRange{m("2021-03", "2021-05")}},
		{"2021-03-15", "2021-05-10", []countRange{m("2021-04", "2021-04"), d("2021-03-15", "2021-03-31"), d("2021-05-01", "2021-05-10")}},
		{"2021-03-15", "2021-03-20", []countRange{d("2021-03-15", "2021-03-20")}},
		{"2021-03-15", "2021-04-10", []countRange{d("2021-03-15", "2021-04-10")}},
		{"2021-02-01", "2021-02-28", []countRange{m("2021-02", "2021-02")}},
		{"2021-12-02", "", []countRange{m("2022-01", "9999-12"), d("2021-12-02", "2021-12-31")}},
		{"", "2021-01-15", []countRange{m("0001-01", "2020-12"), d("2021-01-01", "2021-01-15")}},
	}
	for _, c := range cases {
		t.Run(c.from+"…"+c.to, func(t *testing.T) {
			if got := countRanges(c.from, c.to); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
