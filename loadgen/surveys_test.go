package loadgen_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/loadgen"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
	"minyi/survey"
)

// TestSurveysGenerate stores generated answers in batches on each
// database: the big questionnaire first, every answer counted in the
// results and the figures, the benchmark's requests asking its results.
func TestSurveysGenerate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		units := []org.Unit{{Code: "a", Name: "甲派出所", Kind: org.UnitStation, Township: "乌兰镇"},
			{Code: "b", Name: "乙派出所", Kind: org.UnitStation, Township: "棋盘井镇"}}
		testkit.Bureau{Units: units, Users: []org.User{{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"},
			{Name: "leader", Role: org.RoleLeader}}}.Seed(t, db)
		g, err := loadgen.NewLedgers(ctx, db, calendar.Default(), 7)
		if err != nil {
			t.Fatal(err)
		}
		var calls int
		got, err := g.GenerateSurveys(ctx, db, 300, 200, 50, func(int) { calls++ })
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Answers != 200 || got[1].Answers != 100 || calls != 6 {
			t.Fatalf("questionnaires %+v, %d progress calls", got, calls)
		}
		leader, err := db.UserByName(ctx, "leader")
		if err != nil {
			t.Fatal(err)
		}
		svc := &survey.Service{Store: db}
		r, err := svc.Results(ctx, leader, got[0].ID, survey.ResultFilter{})
		if err != nil || r.Answers != 200 || r.Questions[0].Answered != 200 || len(r.Townships) < 2 {
			t.Fatalf("results %+v, %v", r, err)
		}
		f, err := svc.Figures(ctx, reporting.Filter{From: "2000-01-01", To: "2099-12-31"})
		if err != nil || f["answers"] != 300 || f["published"] != 2 {
			t.Errorf("figures %v %v", f, err)
		}
		mix := loadgen.SurveyMix(got[0].ID, []string{"乌兰镇"}, 2024)
		if !slices.ContainsFunc(mix, func(q loadgen.Query) bool { return strings.Contains(q.Path, "/results?township=") }) {
			t.Errorf("the mix does not ask a township's results: %v", mix)
		}
	})
}
