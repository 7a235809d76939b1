package archive

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"minyi"
	"minyi/org"
	"minyi/reporting"
)

// TestFiveLevelRating walks the five levels of 好差评 through the rules: the
// event records the level and the marks given, a level below satisfied
// needs its reason, the two unsatisfied levels send the item back for redo
// and never close, and bad input names each field and decides nothing.
func TestFiveLevelRating(t *testing.T) {
	answered := Item{Number: "2021-000001", Status: StatusAnswered, UnitCode: "a", Version: 3}
	officer := Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "a"}
	tests := []struct {
		name   string
		actor  Actor
		cmd    Command
		fields []string // refused with these field errors (sorted)
		redo   bool
		data   map[string]string
	}{
		{"very satisfied, no reason needed", Citizen, Command{Action: ActRate, Satisfaction: VerySatisfied}, nil, false,
			map[string]string{"satisfaction": "very_satisfied"}},
		{"satisfied with marks", Citizen, Command{Action: ActRate, Satisfaction: Satisfied, Marks: Marks{Speed: 4, Result: 5, Attitude: 5}}, nil, false,
			map[string]string{"satisfaction": "satisfied", "speed": "4", "result": "5", "attitude": "5"}},
		{"one mark only", officer, Command{Action: ActVisit, Satisfaction: Satisfied, Marks: Marks{Attitude: 1}}, nil, false,
			map[string]string{"satisfaction": "satisfied", "attitude": "1"}},
		{"basically satisfied with its reason", Citizen, Command{Action: ActRate, Satisfaction: BasicSatisfied, Body: "慢了些"}, nil, false,
			map[string]string{"satisfaction": "basic_satisfied"}},
		{"basically satisfied needs a reason", Citizen, Command{Action: ActRate, Satisfaction: BasicSatisfied}, []string{"body"}, false, nil},
		{"a visit below satisfied needs the reason heard", officer, Command{Action: ActVisit, Satisfaction: VeryUnsatisfied, Body: "  "}, []string{"body"}, false, nil},
		{"unsatisfied redoes", Citizen, Command{Action: ActRate, Satisfaction: Unsatisfied, Body: "没解决"}, nil, true,
			map[string]string{"satisfaction": "unsatisfied"}},
		{"very unsatisfied redoes", officer, Command{Action: ActVisit, Satisfaction: VeryUnsatisfied, Body: "态度差", Marks: Marks{Attitude: 1}}, nil, true,
			map[string]string{"satisfaction": "very_unsatisfied", "attitude": "1"}},
		{"unknown level", Citizen, Command{Action: ActRate, Satisfaction: "great"}, []string{"satisfaction"}, false, nil},
		{"no level", officer, Command{Action: ActVisit}, []string{"satisfaction"}, false, nil},
		{"marks outside 1-5", Citizen, Command{Action: ActRate, Satisfaction: VeryUnsatisfied, Marks: Marks{Speed: 6, Result: -1}},
			[]string{"body", "marks.result", "marks.speed"}, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs, err := Decide(answered, tc.cmd, tc.actor, t0, policy, nil)
			if tc.fields != nil {
				var e *minyi.Error
				if !errors.As(err, &e) || e.Code != minyi.EInvalid || evs != nil {
					t.Fatalf("got %v %v, want invalid %v", evs, err, tc.fields)
				}
				var got []string
				for _, f := range e.Fields {
					if f.Zh == "" || f.En == "" {
						t.Errorf("field %s lacks its Chinese or English words: %+v", f.Field, f)
					}
					got = append(got, f.Field)
				}
				if !slices.Equal(got, tc.fields) {
					t.Fatalf("fields %v, want %v", got, tc.fields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(evs[0].Data, tc.data) {
				t.Errorf("data %v, want %v", evs[0].Data, tc.data)
			}
			if redo := len(evs) == 2 && evs[1].Type == EventReopened; redo != tc.redo {
				t.Errorf("redo %v, want %v: %+v", redo, tc.redo, evs)
			}
			it := answered
			for _, e := range evs {
				it = Apply(it, e)
			}
			if it.Satisfaction != tc.cmd.Satisfaction {
				t.Errorf("satisfaction %q, want %q", it.Satisfaction, tc.cmd.Satisfaction)
			}
			if got := MarksOf(evs[0]); got != tc.cmd.Marks {
				t.Errorf("MarksOf %+v, want %+v", got, tc.cmd.Marks)
			}
			_, err = Decide(it, Command{Action: ActClose, Version: it.Version}, officer, t0, policy, nil)
			if tc.redo == (err == nil) {
				t.Errorf("close after %s: %v", tc.cmd.Satisfaction, err)
			}
		})
	}
}

// TestRatingGroupsKeepTheirMeaning checks the counters: each level counts
// in one of the three groups the rate has always used, the two ends again
// as themselves, so the groups sum to visited and the rate is the top two
// of the three groups.
func TestRatingGroupsKeepTheirMeaning(t *testing.T) {
	tests := []struct {
		sat  Satisfaction
		want reporting.Tally
	}{
		{VerySatisfied, reporting.Tally{Visited: 1, Satisfied: 1, VerySatisfied: 1}},
		{Satisfied, reporting.Tally{Visited: 1, Satisfied: 1}},
		{BasicSatisfied, reporting.Tally{Visited: 1, BasicSatisfied: 1}},
		{Unsatisfied, reporting.Tally{Visited: 1, Unsatisfied: 1}},
		{VeryUnsatisfied, reporting.Tally{Visited: 1, Unsatisfied: 1, VeryUnsatisfied: 1}},
		{"", reporting.Tally{}},
	}
	var sum reporting.Tally
	for _, tc := range tests {
		t.Run(string(tc.sat)+"_", func(t *testing.T) {
			_, got := TallyOf(Item{Status: StatusVisited, Satisfaction: tc.sat})
			got.Received, got.Valid = 0, 0
			if got != tc.want {
				t.Errorf("tally %+v, want %+v", got, tc.want)
			}
			sum.Add(got, 1)
		})
	}
	if sum.Satisfied+sum.BasicSatisfied+sum.Unsatisfied != sum.Visited {
		t.Errorf("the groups do not sum to visited: %+v", sum)
	}
	if r := sum.Rates().Satisfaction; r == nil || *r != 0.6 {
		t.Errorf("satisfaction rate %v, want 0.6 (3 of 5)", r)
	}
	if got := []Satisfaction{VerySatisfied.Group(), BasicSatisfied.Group(), VeryUnsatisfied.Group()}; !slices.Equal(got, []Satisfaction{Satisfied, BasicSatisfied, Unsatisfied}) {
		t.Errorf("groups %v", got)
	}
}
