package dispute

import (
	"reflect"
	"testing"
)

func TestTallyDelta(t *testing.T) {
	open := Dispute{Unit: "a", FoundOn: "2021-03-01", Status: StatusMediating}
	resolved := open
	resolved.Status, resolved.ClosedOn, resolved.Level = StatusResolved, "2021-03-09", LevelVillage
	moved := resolved
	moved.FoundOn, moved.Campaign = "2021-02-20", 7
	referred := open
	referred.Status, referred.ClosedOn = StatusReferred, "2021-03-01"
	for _, tc := range []struct {
		name          string
		before, after *Dispute
		want          []Contribution
	}{
		{"found", nil, &open, []Contribution{{Key: TallyKey{"a", "2021-03-01", 0}, Tally: Tally{Found: 1}}}},
		{"resolved at village level, days later", &open, &resolved,
			[]Contribution{{Key: TallyKey{"a", "2021-03-09", 0}, Tally: Tally{Resolved: 1, ResolvedVillage: 1}}}},
		{"referred the day found", &open, &referred, []Contribution{{Key: TallyKey{"a", "2021-03-01", 0}, Tally: Tally{Referred: 1}}}},
		{"the day found corrected and a campaign joined", &resolved, &moved, []Contribution{
			{Key: TallyKey{"a", "2021-02-20", 7}, Tally: Tally{Found: 1}},
			{Key: TallyKey{"a", "2021-03-01", 0}, Tally: Tally{Found: -1}},
			{Key: TallyKey{"a", "2021-03-09", 0}, Tally: Tally{Resolved: -1, ResolvedVillage: -1}},
			{Key: TallyKey{"a", "2021-03-09", 7}, Tally: Tally{Resolved: 1, ResolvedVillage: 1}}}},
		{"nothing counted changed", &open, &open, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before []Contribution
			if tc.before != nil {
				before = TallyOf(*tc.before)
			}
			if got := TallyDelta(before, TallyOf(*tc.after)); !reflect.DeepEqual(got, tc.want) && (len(got) > 0 || len(tc.want) > 0) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
