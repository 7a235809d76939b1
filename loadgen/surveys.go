package loadgen

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"minyi/calendar"
	"minyi/store"
	"minyi/survey"
)

// The questionnaires' share of the benchmarks (issue 13: 500,000 answers,
// one questionnaire of 50,000; its live results ≤ 50 ms): questionnaires
// of the generator's units, published, and answers spread over the
// generator's days and the units' townships, each checked by the
// register's own rules (survey.Survey.Check) and stored as an answer from
// a page is, with its counters.

// surveyQuestions are the generated questionnaires' questions.
var surveyQuestions = []survey.Question{
	{ID: "q1", Kind: survey.KindSingle, Text: "您近一年是否到公安机关办过事？", Required: true,
		Options: []survey.Option{{Label: "办过"}, {Label: "没办过", SkipTo: "q4"}}},
	{ID: "q2", Kind: survey.KindMultiple, Text: "您办过哪些业务？", Options: []survey.Option{{Label: "户籍"}, {Label: "身份证"},
		{Label: "交通管理"}, {Label: "出入境"}, {Label: "其他"}}},
	{ID: "q3", Kind: survey.KindScale, Text: "请为办事体验打分", Required: true},
	{ID: "q4", Kind: survey.KindSingle, Text: "您对治安状况是否满意？", Required: true,
		Options: []survey.Option{{Label: "满意"}, {Label: "基本满意"}, {Label: "不满意"}}},
	{ID: "q5", Kind: survey.KindScale, Text: "总体评价"},
	{ID: "q6", Kind: survey.KindText, Text: "意见建议"},
}

var surveyTexts = []string{"希望延长户籍窗口办理时间", "建议夜间加强巡逻", "希望多开展反诈宣传", "停车位太少", "民警服务态度很好"}

// GeneratedSurvey is a generated questionnaire and how many answers it got.
type GeneratedSurvey struct {
	ID      int64
	Answers int
}

// GenerateSurveys stores answers questionnaire answers in all: the first
// questionnaire gets big of them, the others at most big each, batch
// answers to a transaction, calling progress after each batch with the
// answers stored. It returns the questionnaires, the big one first.
func (g *Ledgers) GenerateSurveys(ctx context.Context, db *store.DB, answers, big, batch int, progress func(done int)) ([]GeneratedSurvey, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	var towns []string
	for _, u := range units {
		if u.Township != "" && !slices.Contains(towns, u.Township) {
			towns = append(towns, u.Township)
		}
	}
	big = max(min(big, answers), 1)
	var out []GeneratedSurvey
	done := 0
	for n := 0; done < answers; n++ {
		want := min(big, answers-done)
		sv, err := g.survey(ctx, db, n)
		if err != nil {
			return out, err
		}
		for got := 0; got < want; {
			size := min(batch, want-got)
			as := make([]*survey.Answer, size)
			for i := range as {
				a, err := g.answer(sv, towns, done+got+i)
				if err != nil {
					return out, err
				}
				as[i] = &a
			}
			if err := db.CreateAnswers(ctx, sv, as); err != nil {
				return out, err
			}
			got += size
			if progress != nil {
				progress(done + got)
			}
		}
		out = append(out, GeneratedSurvey{ID: sv.ID, Answers: want})
		done += want
	}
	return out, nil
}

// survey stores the n-th generated questionnaire, published on a day of
// the generator's span.
func (g *Ledgers) survey(ctx context.Context, db *store.DB, n int) (survey.Survey, error) {
	unit := g.units[n%len(g.units)]
	at := g.Start.AddDate(0, 0, g.rng.IntN(max(g.Days-SurveyDays, 1))).Add(8 * time.Hour)
	day := at.In(calendar.Zone).Format(time.DateOnly)
	sv := survey.Survey{Title: fmt.Sprintf("群众满意度调查问卷（第%d期）", n+1), Unit: unit, Status: survey.StatusPublished,
		Questions: slices.Clone(surveyQuestions), PublishedOn: day, CreatedBy: "loadgen", CreatedAt: at, UpdatedAt: at}
	if staff := g.staff[unit]; len(staff) > 0 {
		sv.CreatedBy = pick(g.rng, staff)
	}
	if err := db.CreateSurvey(ctx, &sv); err != nil {
		return sv, err
	}
	return sv, nil
}

// SurveyDays is how long a generated questionnaire takes answers: half a
// year from its publication, as a campaign's questionnaire does.
const SurveyDays = 182

// answer draws the i-th answer to sv, on a day of its half year.
func (g *Ledgers) answer(sv survey.Survey, towns []string, i int) (survey.Answer, error) {
	r := g.rng
	start := sv.CreatedAt.Truncate(24 * time.Hour)
	at := start.Add(time.Duration(r.IntN(SurveyDays))*24*time.Hour + time.Duration(8+r.IntN(12))*time.Hour)
	vs := map[string]survey.Value{}
	if r.IntN(4) > 0 {
		vs["q1"] = survey.Value{Choices: []int{1}}
		vs["q2"] = survey.Value{Choices: []int{1 + r.IntN(5)}}
		vs["q3"] = survey.Value{Scale: 1 + r.IntN(5)}
	} else {
		vs["q1"] = survey.Value{Choices: []int{2}}
	}
	vs["q4"] = survey.Value{Choices: []int{1 + r.IntN(3)}}
	vs["q5"] = survey.Value{Scale: 1 + r.IntN(5)}
	if r.IntN(10) == 0 {
		vs["q6"] = survey.Value{Text: pick(r, surveyTexts)}
	}
	town := ""
	if len(towns) > 0 && r.IntN(10) > 0 {
		town = pick(r, towns)
	}
	a, err := sv.Check(survey.Answer{DeviceToken: "loadgen-device-" + strconv.Itoa(i) + "-" + strconv.FormatInt(sv.ID, 10),
		Township: town, Answers: vs})
	if err != nil {
		return a, fmt.Errorf("loadgen: answer %d: %w", i, err) // the generator's own answers
	}
	a.Survey, a.CreatedAt, a.Day = sv.ID, at, at.In(calendar.Zone).Format(time.DateOnly)
	return a, nil
}

// SurveyMix returns the questionnaires benchmark's requests: the live
// results of the big questionnaire id (all, by township, by month) and the
// list, with the /healthz floor between them as in LedgerMix.
func SurveyMix(id int64, towns []string, year int) []Query {
	var qs []Query
	add := func(class, path string) {
		qs = append(qs, Query{class, path})
		if len(qs)%4 == 3 {
			qs = append(qs, Query{"floor", "/healthz"})
		}
	}
	base := "/api/v1/surveys/" + strconv.FormatInt(id, 10) + "/results"
	y := fmt.Sprint(year)
	add("results", base)
	add("results", base+"?from="+y+"-01-01&to="+y+"-12-31")
	for m := 1; m <= 12; m += 3 {
		add("results", fmt.Sprintf("%s?from=%s-%02d-01&to=%s-%02d-28", base, y, m, y, m))
	}
	for _, t := range towns {
		add("results", base+"?township="+urlQuery(t))
	}
	add("list", "/api/v1/surveys?limit=20")
	add("list", "/api/v1/surveys?status=published&limit=20")
	return qs
}
