package demo_test

import (
	"context"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/demo"
	"minyi/reporting"
	"minyi/survey"
)

// TestSurvey: the 2021 questionnaire is answered SurveyAnswers times across
// the townships, and its written answers are exactly the opinions the seed
// collected by questionnaire, each filed by turning its answer into an
// item that names the answer.
func TestSurvey(t *testing.T) {
	ctx := context.Background()
	db, _ := load(t)
	items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	svc := &survey.Service{Store: db, Items: items}
	leader, err := db.UserByName(ctx, "leader")
	if err != nil {
		t.Fatal(err)
	}
	page, err := svc.List(ctx, leader, survey.Filter{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("questionnaires: %+v %v", page, err)
	}
	sv := page.Items[0]
	if sv.Title != demo.SurveyTitle || sv.Status != survey.StatusClosed || sv.Answers != demo.SurveyAnswers {
		t.Errorf("the questionnaire: %q %s %d answers", sv.Title, sv.Status, sv.Answers)
	}
	r, err := svc.Results(ctx, leader, sv.ID, survey.ResultFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var byTown int64
	for _, tc := range r.Townships {
		if tc.Township == "" {
			t.Errorf("%d answers name no township", tc.Answers)
		}
		byTown += tc.Answers
	}
	if r.Answers != demo.SurveyAnswers || byTown != r.Answers || len(r.Townships) < 4 {
		t.Errorf("%d answers, %d by %d townships", r.Answers, byTown, len(r.Townships))
	}

	surveyed := all(t, db, archive.Filter{Channel: archive.ChannelSurvey})
	texts := r.Questions[len(r.Questions)-1].Texts
	if len(surveyed) == 0 || len(texts) != len(surveyed) {
		t.Fatalf("%d written answers, %d items of channel survey", len(texts), len(surveyed))
	}
	numbers := map[string]bool{}
	for _, it := range surveyed {
		numbers[it.Number] = true
		if !strings.Contains(it.ChannelDetail, "答卷") || !strings.Contains(it.ChannelDetail, "我为群众办实事") {
			t.Errorf("item %s does not name its answer: %q", it.Number, it.ChannelDetail)
		}
	}
	for _, tx := range texts {
		if !numbers[tx.Item] {
			t.Errorf("answer %d became %q, not an item of channel survey", tx.Answer, tx.Item)
		}
	}
	figs, err := svc.Figures(ctx, reporting.Filter{From: "2021-01-01", To: "2021-11-02"})
	if err != nil || figs["answers"] != demo.SurveyAnswers || figs["published"] != 1 || figs["items_created"] != int64(len(surveyed)) {
		t.Errorf("figures %v %v", figs, err)
	}
}
