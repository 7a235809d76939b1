package reporting

import (
	"context"
	"fmt"
	"testing"

	"minyi"
	"minyi/org"
)

func TestRankBranches(t *testing.T) {
	done, onTime := FigureKey{"matters", "done"}, FigureKey{"matters", "on_time"}
	row := func(code string, d, o int64) BranchRow {
		return BranchRow{Branch: code, Figures: map[string]Figures{"matters": {"done": d, "on_time": o}}}
	}
	for _, tt := range []struct {
		name string
		rows []BranchRow
		want string // branch:rank in order
	}{
		{"none", nil, "[]"},
		{"most done first", []BranchRow{row("a", 1, 1), row("b", 3, 0), row("c", 2, 2)}, "[b:1 c:2 a:3]"},
		{"then on time", []BranchRow{row("a", 2, 1), row("b", 2, 2)}, "[b:1 a:2]"},
		{"ties share a rank, by code", []BranchRow{row("z", 0, 0), row("m", 5, 5), row("a", 0, 0), row("k", 0, 0)}, "[m:1 a:2 k:2 z:2]"},
		{"a register not answered counts 0", []BranchRow{{Branch: "x"}, row("y", 1, 0)}, "[y:1 x:2]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			RankBranches(tt.rows, []FigureKey{done, onTime})
			got := []string{}
			for _, r := range tt.rows {
				got = append(got, fmt.Sprintf("%s:%d", r.Branch, r.Rank))
			}
			if fmt.Sprint(got) != tt.want {
				t.Errorf("got %v, want %s", got, tt.want)
			}
		})
	}
}

// branchSource is a fakeSource that counts by branch too.
type branchSource struct {
	fakeSource
	by map[string]Figures
}

func (s *branchSource) FiguresByBranch(_ context.Context, f Filter) (map[string]Figures, error) {
	s.got = f
	return s.by, nil
}

func TestBranchRanking(t *testing.T) {
	matters := &branchSource{fakeSource: fakeSource{name: "matters"}, by: map[string]Figures{"a1": {"done": 1}, "b1": {"done": 2}}}
	points := &fakeSource{name: "service_points"} // no branches: not in the rows
	svc := &Service{Ledgers: []Source{matters, points}, RankBy: []FigureKey{{"matters", "done"}}}
	branches := []org.Branch{{Code: "a1", UnitCode: "a"}, {Code: "a2", UnitCode: "a"}, {Code: "b1", UnitCode: "b"}}
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		u    org.User
		f    Filter
		want string
		code string
	}{
		{"leader", leader, Filter{From: "2021-01-01", To: "2021-12-31"}, "[b1:1:2 a1:2:1 a2:3:0]", ""},
		{"leader, unit a", leader, Filter{From: "2021-01-01", To: "2021-12-31", Unit: "a"}, "[a1:1:1 a2:2:0]", ""},
		{"head of a", headA, Filter{From: "2021-01-01", To: "2021-12-31"}, "[a1:1:1 a2:2:0]", ""},
		{"head of a, unit b", headA, Filter{From: "2021-01-01", To: "2021-12-31", Unit: "b"}, "", minyi.EForbidden},
		{"bad period", leader, Filter{From: "2021-12-31", To: "2021-01-01"}, "", minyi.EInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := svc.BranchRanking(ctx, tt.u, tt.f, branches)
			if minyi.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
			if err != nil {
				return
			}
			got := []string{}
			for _, r := range rows {
				if _, ok := r.Figures["service_points"]; ok {
					t.Errorf("a source without branches has figures in %+v", r)
				}
				got = append(got, fmt.Sprintf("%s:%d:%d", r.Branch, r.Rank, r.Figure(FigureKey{"matters", "done"})))
			}
			if fmt.Sprint(got) != tt.want {
				t.Errorf("got %v, want %s", got, tt.want)
			}
		})
	}
}

// unitSource is a fakeSource that counts by unit too, as items do.
type unitSource struct {
	fakeSource
	by map[string]Figures
}

func (s *unitSource) FiguresByUnit(_ context.Context, f Filter) (map[string]Figures, error) {
	s.got = f
	return s.by, nil
}

// TestBranchRankingUnitSource checks that a branch shows its unit's
// figures of a source counting by unit, with the rates of a tally's, and
// that they do not rank.
func TestBranchRankingUnitSource(t *testing.T) {
	tally := Tally{Valid: 4, Answered: 4, Visited: 4, Satisfied: 2, BasicSatisfied: 1, Unsatisfied: 1}.Figures()
	items := &unitSource{fakeSource: fakeSource{name: "items"}, by: map[string]Figures{"a": tally}}
	other := &unitSource{fakeSource: fakeSource{name: "other"}, by: map[string]Figures{"b": {"n": 7}}}
	matters := &branchSource{fakeSource: fakeSource{name: "matters"}, by: map[string]Figures{"b1": {"done": 1}}}
	svc := &Service{Sources: []Source{items, other, matters}, Ledgers: []Source{matters}, RankBy: []FigureKey{{"matters", "done"}}}
	branches := []org.Branch{{Code: "a1", UnitCode: "a"}, {Code: "a2", UnitCode: "a"}, {Code: "b1", UnitCode: "b"}}
	rows, err := svc.BranchRanking(context.Background(), org.User{Name: "l", Role: org.RoleLeader}, Filter{From: "2021-01-01", To: "2021-12-31"}, branches)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, r := range rows {
		rate := "nil"
		if s := r.Rates["items"].Satisfaction; s != nil {
			rate = fmt.Sprint(*s)
		}
		_, otherRated := r.Rates["other"]
		got = append(got, fmt.Sprintf("%s:%d answered=%d n=%d rate=%s otherRated=%v", r.Branch, r.Rank,
			r.Figure(FigureKey{"items", "answered"}), r.Figure(FigureKey{"other", "n"}), rate, otherRated))
	}
	want := "[b1:1 answered=0 n=7 rate=nil otherRated=false a1:2 answered=4 n=0 rate=0.75 otherRated=false a2:2 answered=4 n=0 rate=0.75 otherRated=false]"
	if fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %s", got, want)
	}
}
