package api

import (
	"context"
	"maps"
	"net/http"
	"strconv"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/reporting"
	"minyi/survey"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The questionnaires' doors (调查问卷): staff list, build, change, publish
// and close questionnaires and read their results; anyone reads a
// published one and answers it without a token.

// surveyRoutes are the routes of the questionnaires.
func (s *API) surveyRoutes() []route {
	id := []param{{"id", "path", "questionnaire id"}}
	period := []param{{"id", "path", "questionnaire id"}, {"township", "query", "only the answers naming this township"},
		{"from", "query", "answered on or after, YYYY-MM-DD"}, {"to", "query", "answered on or before, YYYY-MM-DD"}}
	return []route{
		{method: "GET", pattern: "/api/v1/surveys", handler: s.listSurveys, auth: "staff", exports: true, summary: "List and search the questionnaires (调查问卷) of the units the caller may see, newest first, with the total of all matches", response: "SurveyPage", status: 200,
			params: []param{{"q", "query", "full-text search of title and introduction, simplified or traditional Chinese"}, {"unit", "query", "unit code"},
				{"status", "query", "draft, published or closed"}, campaignFilter,
				{"from", "query", "with to: the period (YYYY-MM-DD, by the day answered) whose answers each questionnaire and the page carry as answers_in_period"},
				{"to", "query", "with from: the period's last day, YYYY-MM-DD"},
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "POST", pattern: "/api/v1/surveys", handler: s.createSurvey, auth: "staff", summary: "Build a questionnaire, as a draft (officers and unit heads into their own unit, leaders and admins into any; partners and auxiliary police never, 403)", request: "SurveyRequest", response: "Survey", status: 201},
		{method: "GET", pattern: "/api/v1/surveys/{id}", handler: s.getSurvey, auth: "optional", summary: "One questionnaire: the staff view with a token; without one, a published or closed questionnaire as citizens read it (PublicSurvey; a draft is 404)", response: "Survey|PublicSurvey", status: 200, params: id},
		{method: "PATCH", pattern: "/api/v1/surveys/{id}", handler: s.patchSurvey, auth: "staff", summary: "Change a questionnaire: the fields sent change (400 without version, 409 on a stale version). Once it has answers only wording may change (title, introduction, question texts, option labels, dates); a change of the questions' shape is 400 naming questions", request: "SurveyChange", response: "Survey", status: 200, params: id},
		{method: "POST", pattern: "/api/v1/surveys/{id}/actions", handler: s.actOnSurvey, auth: "staff", summary: "Publish (draft → published, with at least one question) or close (published → closed) a questionnaire; 400 without version, 409 on a stale version, 422 on an illegal transition", request: "SurveyAction", response: "Survey", status: 200, params: id},
		{method: "POST", pattern: "/api/v1/surveys/{id}/answers", handler: s.answerSurvey, auth: "optional", summary: "Answer a published questionnaire, without a token: one answer per device (device_token) or, when a phone is given, per phone (409 for a second); answers to questions a skip rule passes over are left out; each refusal names its question (answers.q3); 422 when the questionnaire takes no answers (closed, or outside its dates)", request: "SurveyAnswerRequest", response: "SurveyAnswer", status: 201, params: id,
			limited: "anonymous answers per client address (serve --intake-limit, counted apart from the items)"},
		{method: "GET", pattern: "/api/v1/surveys/{id}/results", handler: s.surveyResults, auth: "staff", summary: "A questionnaire's results for a township and period, from counters kept with each answer: the answers, each option's count and share, each scale's distribution and mean, the latest free-text answers (phone and ID numbers masked) with the items they became, and the answers by township", response: "SurveyResults", status: 200, params: period},
		{method: "GET", pattern: "/api/v1/surveys/{id}/results.xlsx", handler: s.surveyWorkbook, auth: "staff", summary: "The results as an .xlsx workbook: a summary sheet and every answer (masked), for a township and period", response: "xlsx", status: 200, params: period},
		{method: "POST", pattern: "/api/v1/surveys/{id}/answers/{answer}/item", handler: s.convertAnswer, auth: "staff", summary: "Turn a free-text answer into an archive item (channel survey, the questionnaire's unit, received when answered), linked both ways; once only: 201 with the new item, then 200 with the same item", request: "SurveyConversion", response: "SurveyConverted", status: 201,
			params: []param{{"id", "path", "questionnaire id"}, {"answer", "path", "answer id"}}},
	}
}

var surveyRecords = records{BadID: "问卷编号无效", Location: "/api/v1/surveys/"}

// surveyPage is a page of the questionnaires' list; with a period
// (?from=&to=) each questionnaire carries the answers it received in the
// period, and the page the answers received in it to every questionnaire
// of the unit and campaign asked, as the staff list shows them and the
// report counts surveys.answers.
type surveyPage struct {
	survey.Page
	Items           []surveyInPeriod `json:"items"`
	AnswersInPeriod *int64           `json:"answers_in_period,omitempty"`
}

// surveyInPeriod is a questionnaire with the answers it received in the
// period asked.
type surveyInPeriod struct {
	survey.Survey
	AnswersInPeriod *int64 `json:"answers_in_period,omitempty"`
}

func (s *API) listSurveys(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	period := from != "" || to != ""
	return listRecordsWith(s.Base, w, r, surveyRecords, core.SurveysExport, func(r *http.Request, p *minyi.Problems) survey.Filter {
		if period {
			// Both days, as the counters' figure takes them; refused here,
			// before anything is read.
			for _, d := range []struct{ field, v string }{{"from", from}, {"to", to}} {
				if _, err := time.Parse(time.DateOnly, d.v); err != nil {
					p.Add(d.field, d.field+"须为YYYY-MM-DD格式的日期", d.field+" must be a date YYYY-MM-DD (from and to go together)")
				}
			}
		}
		return survey.Filter{Filter: pageFilter(r, p), Unit: q.Get("unit"), Status: survey.Status(q.Get("status")), Campaign: campaignParam(r, p)}
	}, s.Svc.Surveys.List, func(ctx context.Context, u org.User, f survey.Filter, page survey.Page) (any, error) {
		out := surveyPage{Page: page, Items: make([]surveyInPeriod, len(page.Items))}
		for i, sv := range page.Items {
			out.Items[i].Survey = sv
		}
		if !period {
			return out, nil
		}
		total, err := s.Svc.Surveys.AnswersIn(ctx, u, reporting.Filter{From: from, To: to, Unit: f.Unit, Campaign: f.Campaign})
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(page.Items))
		for i, sv := range page.Items {
			ids[i] = sv.ID
		}
		each, err := s.Svc.Surveys.AnswersOf(ctx, u, ids, from, to)
		if err != nil {
			return nil, err
		}
		for i := range out.Items {
			n := each[out.Items[i].ID]
			out.Items[i].AnswersInPeriod = &n
		}
		out.AnswersInPeriod = &total
		return out, nil
	})
}

func (s *API) createSurvey(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, surveyRecords, s.Svc.Surveys.Create, func(sv survey.Survey) int64 { return sv.ID })
}

func (s *API) getSurvey(w http.ResponseWriter, r *http.Request) error {
	if _, ok := core.UserFrom(r.Context()); ok {
		return getRecord(w, r, surveyRecords, s.Svc.Surveys.Get)
	}
	id, err := surveyRecords.id(r)
	if err != nil {
		return err
	}
	sv, err := s.Svc.Surveys.Public(r.Context(), id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, sv.Public())
	return nil
}

type surveyChange struct {
	version
	survey.Patch
}

func (s *API) patchSurvey(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, surveyRecords, func(ctx context.Context, u org.User, id int64, req surveyChange) (survey.Survey, error) {
		return s.Svc.Surveys.Update(ctx, u, id, req.read(), req.Patch)
	})
}

type surveyAction struct {
	version
	survey.Command
}

func (s *API) actOnSurvey(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, surveyRecords, func(ctx context.Context, u org.User, id int64, req surveyAction) (survey.Survey, error) {
		return s.Svc.Surveys.Act(ctx, u, id, req.read(), req.Command)
	})
}

func (s *API) answerSurvey(w http.ResponseWriter, r *http.Request) error {
	id, err := surveyRecords.id(r)
	if err != nil {
		return err
	}
	var a survey.Answer
	if err := core.DecodeJSON(r, &a); err != nil {
		return err
	}
	a.Counted = s.SurveyAnswerUse(r)
	got, err := s.Svc.Surveys.Answer(r.Context(), id, a)
	if err != nil {
		return err
	}
	core.NoStore(w)
	core.WriteJSON(w, http.StatusCreated, got)
	return nil
}

// resultFilter reads a results' township and period.
func resultFilter(r *http.Request) survey.ResultFilter {
	q := r.URL.Query()
	return survey.ResultFilter{Township: q.Get("township"), From: q.Get("from"), To: q.Get("to")}
}

func (s *API) surveyResults(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, surveyRecords, func(ctx context.Context, u org.User, id int64) (survey.Results, error) {
		return s.Svc.Surveys.Results(ctx, u, id, resultFilter(r))
	})
}

func (s *API) surveyWorkbook(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := surveyRecords.id(r)
	if err != nil {
		return err
	}
	return s.WriteSurveyWorkbook(r.Context(), w, u, id, resultFilter(r))
}

// surveyConversion is the JSON of a free-text answer's conversion.
type surveyConversion struct {
	Question string `json:"question"`
	survey.Conversion
}

func (s *API) convertAnswer(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := surveyRecords.id(r)
	if err != nil {
		return err
	}
	answer, err := strconv.ParseInt(r.PathValue("answer"), 10, 64)
	if err != nil || answer <= 0 {
		return minyi.Invalid("answer", "答卷编号无效", "answer must be a positive number")
	}
	var req surveyConversion
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := s.Svc.Surveys.Convert(r.Context(), u, id, answer, req.Question, req.Conversion)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if c.Created {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/items/"+c.Item)
	}
	surveyRecords.write(w, status, c)
	return nil
}

// surveySchemas are the questionnaires' request and answer schemas; the
// limits come from package survey.
func surveySchemas() map[string]any {
	day := map[string]any{"type": "string", "pattern": `^([0-9]{4}-[0-9]{2}-[0-9]{2})?$`, "description": "YYYY-MM-DD, China time, or empty for none"}
	qid := map[string]any{"type": "string", "pattern": `^q[1-9][0-9]*$`, "description": "a question's id: q and a number"}
	option := closed([]string{"label"}, map[string]any{
		"label": openapi.Text(survey.MaxOptionRunes, true),
		"skip_to": map[string]any{"type": "string", "pattern": `^(q[1-9][0-9]*|end)?$`,
			"description": "single choice only: whoever chooses this option goes on at this later question, or at the end (end)"},
	})
	question := closed([]string{"kind", "text"}, map[string]any{
		"id":       openapi.With(qid, "description", "the question's id, kept when questions move; a new question may leave it out and gets the next free one"),
		"kind":     openapi.EnumOf(survey.Kinds),
		"text":     openapi.Text(survey.MaxQuestionRunes, true),
		"required": openapi.Bool,
		"options": openapi.With(openapi.With(openapi.Arr(option), "maxItems", survey.MaxOptions), "description",
			"the options of a single or multiple choice question, "+strconv.Itoa(survey.MinOptions)+"–"+strconv.Itoa(survey.MaxOptions)+"; none for scale and text"),
		"max_choices": map[string]any{"type": "integer", "minimum": 0, "maximum": survey.MaxOptions, "description": "multiple choice: at most this many options (0: any)"},
		"show_if": closed([]string{"question", "options"}, map[string]any{"question": qid,
			"options": openapi.With(openapi.Arr(map[string]any{"type": "integer", "minimum": 1}), "minItems", 1)}),
	})
	fields := map[string]any{
		"title": openapi.Text(survey.MaxTitleRunes, true), "intro": openapi.Text(survey.MaxIntroRunes, false),
		"unit": code("unit code"), "campaign": campaignRef,
		"opens_on":  openapi.With(day, "description", "the first day answers are taken, YYYY-MM-DD; empty: from publication"),
		"closes_on": openapi.With(day, "description", "the last day answers are taken, YYYY-MM-DD; empty: until closed"),
		"questions": openapi.With(openapi.Arr(question), "maxItems", survey.MaxQuestions),
	}
	sv := openapi.Obj([]string{"id", "version", "title", "unit", "status", "questions"}, withServerSet(map[string]any{
		"title": openapi.Str, "intro": openapi.Str, "unit": openapi.Str, "campaign": openapi.Int, "opens_on": openapi.Str, "closes_on": openapi.Str,
		"status": openapi.EnumOf(survey.Statuses), "questions": openapi.Arr(question),
		"answers":      serverSet(openapi.With(openapi.Int, "description", "answers received")),
		"published_on": serverSet(openapi.Str), "closed_on": serverSet(openapi.Str),
	}))
	svInPeriod := openapi.Obj([]string{"id", "version", "title", "unit", "status", "questions"}, maps.Clone(sv["properties"].(map[string]any)))
	svInPeriod["properties"].(map[string]any)["answers_in_period"] = map[string]any{"type": "integer", "minimum": 0,
		"description": "with from and to: the answers this questionnaire received in the period, from the counters"}
	change := map[string]any{"version": map[string]any{"type": "integer", "minimum": 1, "description": "the version read; a stale one is 409"}}
	for k, v := range fields {
		change[k] = v
	}
	value := closed(nil, map[string]any{
		"choices": openapi.With(openapi.With(openapi.Arr(map[string]any{"type": "integer", "minimum": 1, "maximum": survey.MaxOptions}), "maxItems", survey.MaxOptions),
			"description", "the options chosen, numbered from 1: one for single choice"),
		"scale": map[string]any{"type": "integer", "minimum": survey.ScaleMin, "maximum": survey.ScaleMax},
		"text":  openapi.Text(survey.MaxTextRunes, false),
	})
	answers := map[string]any{"type": "object", "additionalProperties": value, "propertyNames": qid,
		"description": "the answers by question id (q1, q2, …)"}
	phone := map[string]any{"type": "string", "maxLength": archive.MaxPhoneRunes, "pattern": `^(|[0-9 -]+)$`,
		"description": "optional: an 11-digit mobile or a landline; the answer is then one per phone (shown to staff masked)"}
	answerRequest := closed([]string{"answers"}, map[string]any{
		"answers":  answers,
		"township": openapi.With(openapi.Text(archive.MaxShortRunes, false), "description", "optional: one of the bureau's townships"),
		"phone":    phone,
		"device_token": map[string]any{"type": "string", "pattern": `^[A-Za-z0-9_-]{16,128}$`,
			"description": "the answering device's own random token, kept only as a hash; required unless a phone is given"},
	})
	answer := openapi.Obj([]string{"id", "survey", "answers", "day"}, map[string]any{
		"id": openapi.Int, "survey": openapi.Int, "township": openapi.Str, "phone": openapi.With(openapi.Str, "description", "masked"),
		"answers": map[string]any{"type": "object", "additionalProperties": value}, "day": openapi.Str, "created_at": openapi.When,
	})
	optionCount := openapi.Obj([]string{"option", "label", "count", "percent"}, map[string]any{
		"option": openapi.Int, "label": openapi.Str, "count": openapi.Int, "percent": openapi.Num})
	text := openapi.Obj([]string{"answer", "question", "text", "day"}, map[string]any{
		"answer": openapi.Int, "question": openapi.Str, "text": openapi.With(openapi.Str, "description", "phone and ID numbers masked"),
		"township": openapi.Str, "day": openapi.Str, "at": openapi.When,
		"item": openapi.With(openapi.Str, "description", "the number of the item the answer became, if any")})
	results := openapi.Obj([]string{"survey", "title", "status", "answers", "townships", "questions"}, map[string]any{
		"survey": openapi.Int, "title": openapi.Str, "status": openapi.EnumOf(survey.Statuses), "township": openapi.Str,
		"from": openapi.Str, "to": openapi.Str, "answers": openapi.Int,
		"townships": openapi.Arr(openapi.Obj([]string{"township", "answers"}, map[string]any{"township": openapi.Str, "answers": openapi.Int})),
		"questions": openapi.Arr(openapi.Obj([]string{"id", "number", "kind", "text", "answered"}, map[string]any{
			"id": openapi.Str, "number": openapi.Int, "kind": openapi.EnumOf(survey.Kinds), "text": openapi.Str, "answered": openapi.Int,
			"options": openapi.Arr(optionCount), "mean": openapi.Num,
			"texts": openapi.With(openapi.Arr(text), "description", "the latest free-text answers (at most "+strconv.Itoa(survey.MaxTexts)+" in all)")})),
	})
	total := map[string]any{"type": "integer", "minimum": 0, "description": "how many records match, on every page"}
	return map[string]any{
		"Survey": sv,
		"PublicSurvey": openapi.Obj([]string{"id", "title", "status", "questions"}, map[string]any{"id": openapi.Int, "title": openapi.Str,
			"intro": openapi.Str, "opens_on": openapi.Str, "closes_on": openapi.Str, "status": openapi.EnumOf(survey.Statuses), "questions": openapi.Arr(question)}),
		"SurveyRequest": closed([]string{"title", "unit"}, fields),
		"SurveyChange":  closed([]string{"version"}, change),
		"SurveyAction":  closed([]string{"action", "version"}, map[string]any{"action": openapi.EnumOf(survey.Actions), "version": change["version"]}),
		"SurveyPage": openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(svInPeriod), "next_cursor": openapi.Str, "total_capped": openapi.TotalCapped, "total": total,
			"answers_in_period": map[string]any{"type": "integer", "minimum": 0, "description": "with from and to: the answers received in the period (by the day answered) " +
				"to every questionnaire of the unit and campaign asked, on every page, status and q aside, from the counters: the summary's surveys.answers"}}),
		"SurveyAnswerRequest": answerRequest,
		"SurveyAnswer":        answer,
		"SurveyResults":       results,
		"SurveyConversion": closed([]string{"question"}, map[string]any{"question": qid, "kind": enum(archive.Kinds),
			"category": openapi.With(code("category code"), "description", "optional: the item's category"),
			"class":    enum(archive.Classes),
			"dispatch": openapi.With(openapi.Bool, "description", "true: file the item into the bureau's dispatch queue instead of the questionnaire's unit"),
			"title":    openapi.Text(archive.MaxTitleRunes, false)}),
		"SurveyConverted": openapi.Obj([]string{"survey", "answer", "question", "item", "created"}, map[string]any{
			"survey": openapi.Int, "answer": openapi.Int, "question": openapi.Str, "item": openapi.Str, "created": openapi.Bool}),
	}
}
