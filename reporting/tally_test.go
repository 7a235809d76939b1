package reporting

import (
	"cmp"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestRates(t *testing.T) {
	tests := []struct {
		name string
		t    Tally
		want map[string]float64 // rate → value; absent rates must be nil
	}{
		{"nothing received", Tally{}, map[string]float64{}},
		{"all well", Tally{Received: 4, Valid: 4, Responded: 4, Answered: 4, OnTime: 4, Closed: 4, Visited: 2, Satisfied: 2},
			map[string]float64{"response": 1, "resolution": 1, "satisfaction": 1, "on_time": 1, "return": 0, "redo": 0}},
		{"thirds round to four places", Tally{Received: 3, Valid: 3, Responded: 1, Answered: 3, OnTime: 2, Closed: 2, Visited: 3, Satisfied: 1, BasicSatisfied: 1, Unsatisfied: 1, Returned: 1, Redone: 1},
			map[string]float64{"response": 0.3333, "resolution": 0.6667, "satisfaction": 0.6667, "on_time": 0.6667, "return": 0.3333, "redo": 0.3333}},
		{"invalid items count as received only", Tally{Received: 2, Valid: 1, Responded: 1},
			map[string]float64{"response": 1, "resolution": 0, "return": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.t.Rates()
			got := map[string]float64{}
			for name, v := range map[string]*float64{"response": r.Response, "resolution": r.Resolution, "satisfaction": r.Satisfaction,
				"on_time": r.OnTime, "return": r.Return, "redo": r.Redo} {
				if v != nil {
					got[name] = *v
				}
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("rates %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTallyAdd(t *testing.T) {
	a := Tally{Received: 1, Valid: 1, Answered: 1, OnTime: 1, Closed: 1, Redone: 1}
	b := Tally{Received: 1, Valid: 1, Responded: 1, Visited: 1, Unsatisfied: 1, Returned: 1}
	var sum Tally
	sum.Add(a, 1)
	sum.Add(b, 1)
	sum.Add(a, -1)
	if sum != b {
		t.Errorf("a + b - a = %+v, want %+v", sum, b)
	}
}

// TestTallyFigures checks that every count of a tally is a figure under its
// JSON name, so that a report and the stats API use the same words.
func TestTallyFigures(t *testing.T) {
	tl := Tally{Received: 1, Valid: 2, Responded: 3, Answered: 4, OnTime: 5, Closed: 6, Visited: 7, Satisfied: 8,
		BasicSatisfied: 9, Unsatisfied: 10, Returned: 11, Redone: 12}
	b, err := json.Marshal(tl)
	if err != nil {
		t.Fatal(err)
	}
	var byJSON map[string]int64
	if err := json.Unmarshal(b, &byJSON); err != nil {
		t.Fatal(err)
	}
	if got := tl.Figures(); !maps.Equal(map[string]int64(got), byJSON) {
		t.Errorf("figures %v, want %v", got, byJSON)
	}
}

// TestDelta checks the counters' change between a record's two states: one
// change a row, rows that cancel out dropped, in the order of their keys.
func TestDelta(t *testing.T) {
	type key struct{ unit, day string }
	order := func(a, b key) int { return cmp.Or(strings.Compare(a.unit, b.unit), strings.Compare(a.day, b.day)) }
	type c = Contribution[key, Tally]
	for _, tc := range []struct {
		name          string
		before, after []c
		want          []c
	}{
		{"a new record", nil, []c{{key{"b", "2"}, Tally{Received: 1}}, {key{"a", "1"}, Tally{Received: 1}}},
			[]c{{key{"a", "1"}, Tally{Received: 1}}, {key{"b", "2"}, Tally{Received: 1}}}},
		{"unchanged", []c{{key{"a", "1"}, Tally{Received: 1}}}, []c{{key{"a", "1"}, Tally{Received: 1}}}, nil},
		{"moved a day, answered", []c{{key{"a", "1"}, Tally{Received: 1}}},
			[]c{{key{"a", "2"}, Tally{Received: 1}}, {key{"a", "2"}, Tally{Answered: 1}}},
			[]c{{key{"a", "1"}, Tally{Received: -1}}, {key{"a", "2"}, Tally{Received: 1, Answered: 1}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Delta(tc.before, tc.after, order); !slices.Equal(got, tc.want) {
				t.Errorf("Delta = %v, want %v", got, tc.want)
			}
		})
	}
}
