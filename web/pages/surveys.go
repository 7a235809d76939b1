package pages

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"minyi"
	"minyi/archive"
	"minyi/chart"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
	"minyi/survey"
	"minyi/web/core"
)

// The questionnaires' staff pages (调查问卷): the list, a new
// questionnaire, the builder (questions added, removed, moved and edited
// with submit buttons, no script), publishing and closing, the poster, and
// the live results with their bars drawn as SVG on the server, the export
// and the button that turns a free-text answer into an item.

var surveyLedger = ledger{survey.Register, "surveys", "survey", "questionnaire"}

// surveyRoutes are the questionnaires' pages, the staff's and the
// citizens' (surveys_citizen.go).
func (s *Pages) surveyRoutes() []route {
	return []route{
		{"GET", "/staff/surveys", s.surveysPage, "staff"},
		{"GET", "/staff/surveys/new", s.surveyNewPage, "staff"},
		{"POST", "/staff/surveys", s.createSurvey, "staff"},
		{"GET", "/staff/surveys/{id}", s.surveyPage, "staff"},
		{"POST", "/staff/surveys/{id}", s.editSurvey, "staff"},
		{"POST", "/staff/surveys/{id}/act", s.actOnSurvey, "staff"},
		{"GET", "/staff/surveys/{id}/results", s.surveyResultsPage, "staff"},
		{"GET", "/staff/surveys/{id}/results.xlsx", s.surveyWorkbook, "staff"},
		{"POST", "/staff/surveys/{id}/answers/{answer}/item", s.convertSurveyAnswer, "staff"},
		{"GET", "/staff/surveys/{id}/poster", s.surveyPosterPage, "staff"},
		{"GET", "/surveys/{id}", s.citizenSurveyPage, "public"},
		{"POST", "/surveys/{id}", s.answerSurveyForm, "public"},
		{"GET", "/surveys/{id}/thanks", s.surveyThanksPage, "public"},
		{"GET", "/surveys/{id}/code.svg", s.surveyCodeSVG, "public"},
	}
}

type surveysData struct {
	ledgerListPage
	Page survey.Page
	// Answers, when a period is asked (?from=&to=), are the answers
	// received in it to the questionnaires of the unit and campaign asked,
	// as the report counts surveys.answers.
	Answers  int64
	Answered bool
}

// surveyFilter reads the questionnaires' list filter.
func surveyFilter(r *http.Request) (survey.Filter, map[string]string, error) {
	rf, params := listQuery(r, "status", "unit", "campaign", "from", "to")
	camp, err := listCampaign(params)
	return survey.Filter{Filter: rf, Status: survey.Status(params["status"]), Unit: params["unit"], Campaign: camp}, params, err
}

// surveysPage lists the questionnaires the user may see, newest first,
// by status, unit, campaign and words, with the count of all that match.
func (s *Pages) surveysPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, params, done, err := listOrExport(s, w, r, core.SurveysExport, surveyFilter, s.Svc.Surveys.List)
	if done || err != nil {
		return err
	}
	l, err := listPage(ctx, s, u, params, page)
	if err != nil {
		return err
	}
	d := surveysData{ledgerListPage: l, Page: page}
	if params["from"] != "" || params["to"] != "" {
		f, _, _ := surveyFilter(r)
		d.Answers, err = s.Svc.Surveys.AnswersIn(ctx, u, reporting.Filter{From: params["from"], To: params["to"], Unit: f.Unit, Campaign: f.Campaign})
		if err != nil {
			return err
		}
		d.Answered = true
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("survey.title")
	s.Render(w, r, http.StatusOK, "surveys", v)
	return nil
}

// surveyNewForm is the new questionnaire's form: what it is called, for
// whom, and in which campaign; its questions are the builder's.
type surveyNewForm struct {
	Title, Intro, Unit, Campaign, Branch string
	Version                              int
}

type surveyNewData struct {
	ledgerFormPage
	Form surveyNewForm
}

func (s *Pages) showSurveyNew(w http.ResponseWriter, r *http.Request, status int, u org.User, f surveyNewForm, errs map[string]string) {
	v, page, ok := surveyLedger.formView(s, w, r, status, u, 0, f.Title, f.Campaign, errs)
	if !ok {
		return
	}
	v.Data = surveyNewData{ledgerFormPage: page, Form: f}
	s.Render(w, r, status, "survey_new", v)
}

// surveyNewPage shows the form of a new questionnaire.
func (s *Pages) surveyNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !u.CanFile() {
		return readOnly()
	}
	s.showSurveyNew(w, r, http.StatusOK, u, surveyNewForm{Unit: u.UnitCode, Campaign: r.URL.Query().Get("campaign")}, nil)
	return nil
}

// createSurvey stores a new draft once per form and opens its builder.
func (s *Pages) createSurvey(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := surveyNewForm{Title: r.PostFormValue("title"), Intro: r.PostFormValue("intro"), Unit: r.PostFormValue("unit"),
		Campaign: r.PostFormValue("campaign")}
	if !u.SeesAll() && f.Unit == "" {
		f.Unit = u.UnitCode
	}
	var p minyi.Problems
	sv := survey.Survey{Title: f.Title, Intro: f.Intro, Unit: f.Unit, Campaign: formCampaign(&p, f.Campaign)}
	return surveyLedger.create(s, w, r, p, func(form archive.Form) (int64, error) {
		sv.Form = form
		got, err := s.Svc.Surveys.Create(ctx, u, sv)
		return got.ID, err
	}, func(status int, errs map[string]string) {
		s.showSurveyNew(w, r, status, u, f, errs)
	})
}

// builderQuestion is one question as the builder shows it.
type builderQuestion struct {
	survey.Question
	Index int
	// Options are the option lines: a label, and "=> q3" or "=> end" for
	// a skip.
	Options string
	// Earlier are the ids of the questions before it, which a
	// "show only if" may name.
	Earlier []string
	ShowIfQ string
	ShowIfO string
}

type surveyPageData struct {
	// ledgerChoices offer the units and campaigns of the settings: a
	// leader may hand the questionnaire to another unit, and any editor
	// file it under a campaign or take it out of one.
	ledgerChoices
	Survey    survey.Survey
	Questions []builderQuestion
	Kinds     []survey.Kind
	UnitName  string
	Actions   map[string]bool
	CanEdit   bool
	// Answered: the questions' shape is fixed; only wording may change.
	Answered bool
	Summary  []string
	Conflict bool
	Link     string
	// New is the add-a-question part as it was filled.
	NewKind, NewText, NewOptions string
}

// optionLines writes a question's options one per line, a skip after "=>".
func optionLines(os []survey.Option) string {
	lines := make([]string, len(os))
	for i, o := range os {
		lines[i] = o.Label
		if o.SkipTo != "" {
			lines[i] += " => " + o.SkipTo
		}
	}
	return strings.Join(lines, "\n")
}

// parseOptions reads option lines (optionLines) back.
func parseOptions(text string) []survey.Option {
	var out []survey.Option
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		label, skip, _ := strings.Cut(line, "=>")
		out = append(out, survey.Option{Label: strings.TrimSpace(label), SkipTo: strings.TrimSpace(skip)})
	}
	return out
}

func builderQuestions(qs []survey.Question) []builderQuestion {
	out := make([]builderQuestion, len(qs))
	for i, q := range qs {
		b := builderQuestion{Question: q, Index: i, Options: optionLines(q.Options)}
		for _, e := range qs[:i] {
			b.Earlier = append(b.Earlier, e.ID)
		}
		if q.ShowIf != nil {
			b.ShowIfQ = q.ShowIf.Question
			opts := make([]string, len(q.ShowIf.Options))
			for j, o := range q.ShowIf.Options {
				opts[j] = strconv.Itoa(o)
			}
			b.ShowIfO = strings.Join(opts, ",")
		}
		out[i] = b
	}
	return out
}

func (s *Pages) showSurvey(w http.ResponseWriter, r *http.Request, status int, u org.User, sv survey.Survey, edited *survey.Survey, errs map[string]string, add [3]string) {
	actions, canEdit := s.Svc.Surveys.Available(u, sv)
	shown := sv
	if edited != nil {
		shown = *edited // what was sent, shown again beside its problems
	}
	acts := map[string]bool{}
	for a, ok := range actions {
		acts[string(a)] = ok
	}
	c, err := s.ledgerChoicesKeeping(r.Context(), u, campaignValue(shown.Campaign))
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	d := surveyPageData{ledgerChoices: c, Survey: shown, Questions: builderQuestions(shown.Questions), Kinds: survey.Kinds, Actions: acts,
		CanEdit: canEdit && !u.Disabled, Answered: sv.Answers > 0, Conflict: status == http.StatusConflict,
		Link: s.PublicURL(r) + "/surveys/" + strconv.FormatInt(sv.ID, 10), NewKind: add[0], NewText: add[1], NewOptions: add[2]}
	d.Survey.Version, d.Survey.Status, d.Survey.Answers = sv.Version, sv.Status, sv.Answers
	if unit, err := s.Org.Unit(r.Context(), sv.Unit); err == nil {
		d.UnitName = unit.Name
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("survey.builder_title", v.Conv(sv.Title))
	v.Errors = errs
	d.Summary = errorSummary(v, errs)
	v.Data = d
	s.Render(w, r, status, "survey", v)
}

// surveyPage is the builder of a questionnaire, and its status and doors.
func (s *Pages) surveyPage(w http.ResponseWriter, r *http.Request) error {
	u, _, sv, err := ledgerRecord(r, survey.Noun, s.Svc.Surveys.Get)
	if err != nil {
		return err
	}
	s.showSurvey(w, r, http.StatusOK, u, sv, nil, nil, [3]string{})
	return nil
}

// readBuilder reads the builder's form: the questionnaire's fields and its
// questions, each as questions[i].<field>, with the problems of what
// cannot be read.
func readBuilder(r *http.Request, sv survey.Survey) (survey.Survey, minyi.Problems) {
	var p minyi.Problems
	sv.Title, sv.Intro = r.PostFormValue("title"), r.PostFormValue("intro")
	sv.OpensOn, sv.ClosesOn = r.PostFormValue("opens_on"), r.PostFormValue("closes_on")
	if unit := r.PostFormValue("unit"); unit != "" {
		sv.Unit = unit // only a leader's form offers it; the service checks who may
	}
	if _, ok := r.PostForm["campaign"]; ok {
		sv.Campaign = formCampaign(&p, r.PostFormValue("campaign"))
	}
	n, _ := strconv.Atoi(r.PostFormValue("count"))
	n = min(max(n, 0), survey.MaxQuestions)
	qs := make([]survey.Question, 0, n)
	for i := range n {
		key := func(f string) string { return "questions[" + strconv.Itoa(i) + "]." + f }
		q := survey.Question{ID: r.PostFormValue(key("id")), Kind: survey.Kind(r.PostFormValue(key("kind"))),
			Text: r.PostFormValue(key("text")), Required: r.PostFormValue(key("required")) != "",
			Options: parseOptions(r.PostFormValue(key("options")))}
		if mc := strings.TrimSpace(r.PostFormValue(key("max_choices"))); mc != "" {
			if q.MaxChoices, _ = strconv.Atoi(mc); q.MaxChoices <= 0 && mc != "0" {
				p.Add(key("max_choices"), "最多可选项数须为数字", "max_choices must be a number")
			}
		}
		if on := r.PostFormValue(key("show_if")); on != "" {
			c := &survey.Condition{Question: on}
			for _, o := range strings.FieldsFunc(r.PostFormValue(key("show_if_options")), func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
				n, err := strconv.Atoi(o)
				if err != nil {
					p.Add(key("show_if"), "显示条件的选项须为数字，如1,2", "show_if options are numbers, e.g. 1,2")
					continue
				}
				c.Options = append(c.Options, n)
			}
			q.ShowIf = c
		}
		if !q.Kind.Choice() {
			q.Options = nil
		}
		qs = append(qs, q)
	}
	sv.Questions = qs
	return sv, p
}

// editSurvey answers the builder: op save keeps what was typed, add adds
// the new question, remove:i, up:i and down:i remove or move question i;
// each against the version the page was built from.
func (s *Pages) editSurvey(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, id, before, err := ledgerRecord(r, survey.Noun, s.Svc.Surveys.Get)
	if err != nil {
		return err
	}
	version := 0
	if v := formVersion(r); v != nil {
		version = *v
	}
	sv, p := readBuilder(r, before)
	add := [3]string{r.PostFormValue("new_kind"), r.PostFormValue("new_text"), r.PostFormValue("new_options")}
	op, arg, _ := strings.Cut(r.PostFormValue("op"), ":")
	i, _ := strconv.Atoi(arg)
	inRange := i >= 0 && i < len(sv.Questions)
	switch {
	case op == "add":
		q := survey.Question{Kind: survey.Kind(add[0]), Text: add[1]}
		if q.Kind.Choice() {
			q.Options = parseOptions(add[2])
		}
		sv.Questions = append(sv.Questions, q)
	case op == "remove" && inRange:
		sv.Questions = slices.Delete(sv.Questions, i, i+1)
	case op == "up" && inRange && i > 0:
		sv.Questions[i-1], sv.Questions[i] = sv.Questions[i], sv.Questions[i-1]
	case op == "down" && inRange && i+1 < len(sv.Questions):
		sv.Questions[i+1], sv.Questions[i] = sv.Questions[i], sv.Questions[i+1]
	}
	err = p.Err()
	if err == nil {
		_, err = s.Svc.Surveys.Update(ctx, u, id, version, survey.Patch{Title: &sv.Title, Intro: &sv.Intro, Unit: &sv.Unit,
			Campaign: &sv.Campaign, OpensOn: &sv.OpensOn, ClosesOn: &sv.ClosesOn, Questions: &sv.Questions})
	}
	if err != nil {
		status := refused(err)
		if status == 0 {
			return err
		}
		now, gerr := s.Svc.Surveys.Get(ctx, u, id)
		if gerr != nil {
			return gerr
		}
		s.showSurvey(w, r, status, u, now, &sv, core.FormErrors(s.Catalog, core.PreferredLang(r), err), add)
		return nil
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "survey.changed"))
	http.Redirect(w, r, surveyLedger.path(id), http.StatusSeeOther)
	return nil
}

// actOnSurvey publishes or closes a questionnaire read at the form's
// version.
func (s *Pages) actOnSurvey(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, id, sv, err := ledgerRecord(r, survey.Noun, s.Svc.Surveys.Get)
	if err != nil {
		return err
	}
	version := 0
	if v := formVersion(r); v != nil {
		version = *v
	}
	if _, err := s.Svc.Surveys.Act(ctx, u, id, version, survey.Command{Action: survey.Action(r.PostFormValue("action"))}); err != nil {
		status := refused(err)
		if status == 0 {
			return err
		}
		s.showSurvey(w, r, status, u, sv, nil, core.FormErrors(s.Catalog, core.PreferredLang(r), err), [3]string{})
		return nil
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "survey.done_"+r.PostFormValue("action")))
	http.Redirect(w, r, surveyLedger.path(id), http.StatusSeeOther)
	return nil
}

type resultQuestion struct {
	survey.QuestionResult
	Chart chart.Bars
}

type surveyResultsData struct {
	Survey    survey.Survey
	Results   survey.Results
	Questions []resultQuestion
	Townships []string
	Params    map[string]string
	Export    string
	// TownChart draws the answers by township.
	TownChart chart.Bars
	CanFile   bool
}

// optionChart draws counts as horizontal bars, each with its count and
// share of total; the table beside it gives the same figures.
func optionChart(v *core.View, id, title string, total int64, labels []string, counts []int64) chart.Bars {
	c := chart.Bars{ID: id, Title: title, Desc: v.T("survey.chart_desc", total), Horizontal: true, Values: true,
		Categories: labels, Series: []chart.Series{{}}}
	for _, n := range counts {
		text := strconv.FormatInt(n, 10)
		if total > 0 {
			text += "（" + strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64) + "%）"
		}
		c.Series[0].Points = append(c.Series[0].Points, chart.Point{Value: float64(n), Text: text})
	}
	return c
}

// surveyResultsPage shows the live results of a questionnaire for a
// township and period: charts (SVG bars drawn here, no script), tables,
// the free texts with their items, and the export.
func (s *Pages) surveyResultsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, id, sv, err := ledgerRecord(r, survey.Noun, s.Svc.Surveys.Get)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := survey.ResultFilter{Township: q.Get("township"), From: q.Get("from"), To: q.Get("to")}
	res, err := s.Svc.Surveys.Results(ctx, u, id, f)
	if err != nil {
		return err
	}
	towns, err := s.Svc.Surveys.Townships(ctx)
	if err != nil {
		return err
	}
	d := surveyResultsData{Survey: sv, Results: res, Townships: towns,
		Params:  map[string]string{"township": f.Township, "from": f.From, "to": f.To},
		Export:  "/staff/surveys/" + strconv.FormatInt(id, 10) + "/results.xlsx?" + string(queryOf("township", f.Township, "from", f.From, "to", f.To)),
		CanFile: u.CanFile() && archive.MayFile(u, "unit", sv.Unit) == nil && survey.MayEdit(register.ActorFor(u), sv.Unit) == nil}
	v := s.NewView(w, r, "", &d)
	for _, qr := range res.Questions {
		rq := resultQuestion{QuestionResult: qr}
		if len(qr.Options) > 0 {
			var labels []string
			var counts []int64
			for _, o := range qr.Options {
				label := v.Conv(o.Label)
				if qr.Kind == survey.KindScale {
					label += " " + v.T("survey.points")
				}
				labels, counts = append(labels, label), append(counts, o.Count)
			}
			rq.Chart = optionChart(v, "q-"+strconv.Itoa(qr.Number), v.T("survey.question_n", qr.Number)+" · "+v.Conv(qr.Text), qr.Answered, labels, counts)
		}
		d.Questions = append(d.Questions, rq)
	}
	if len(res.Townships) > 0 {
		var labels []string
		var counts []int64
		var all int64
		for _, t := range res.Townships {
			label := v.T("survey.no_township")
			if t.Township != "" {
				label = v.Conv(t.Township)
			}
			labels, counts, all = append(labels, label), append(counts, t.Answers), all+t.Answers
		}
		d.TownChart = optionChart(v, "towns", v.T("survey.by_township"), all, labels, counts)
	}
	v.Title = v.T("survey.results_title", v.Conv(sv.Title))
	s.Render(w, r, http.StatusOK, "survey_results", v)
	return nil
}

// queryOf is a query string of the pairs that are not empty.
func queryOf(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(core.URLEscape(pairs[i]) + "=" + core.URLEscape(pairs[i+1]))
	}
	return b.String()
}

// surveyWorkbook answers the results as an .xlsx.
func (s *Pages) surveyWorkbook(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	id, err := recordID(r, survey.Noun)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	return s.WriteSurveyWorkbook(r.Context(), w, u, id, survey.ResultFilter{Township: q.Get("township"), From: q.Get("from"), To: q.Get("to")})
}

// convertSurveyAnswer turns a free-text answer into an item (转为民意条目)
// and opens the item; a second click opens the same item.
func (s *Pages) convertSurveyAnswer(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, survey.Noun)
	if err != nil {
		return err
	}
	answer, err := strconv.ParseInt(r.PathValue("answer"), 10, 64)
	if err != nil || answer <= 0 {
		return minyi.Errorf(minyi.ENotFound, "答卷不存在 / answer not found")
	}
	c, err := s.Svc.Surveys.Convert(ctx, u, id, answer, r.PostFormValue("question"), survey.Conversion{Kind: archive.Kind(r.PostFormValue("kind"))})
	if err != nil {
		return err
	}
	if c.Created {
		s.Log.InfoContext(ctx, "survey answer converted", "survey", id, "answer", answer, "item", c.Item, "by", u.Name)
		core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "survey.converted", c.Item))
	}
	http.Redirect(w, r, "/staff/items/"+c.Item, http.StatusSeeOther)
	return nil
}

type surveyPosterData struct {
	Survey survey.Survey
	Link   string
	Code   string
}

// surveyPosterPage is a printable A4 poster of a questionnaire: its title
// and the QR code of its answer page.
func (s *Pages) surveyPosterPage(w http.ResponseWriter, r *http.Request) error {
	_, id, sv, err := ledgerRecord(r, survey.Noun, s.Svc.Surveys.Get)
	if err != nil {
		return err
	}
	path := "/surveys/" + strconv.FormatInt(id, 10)
	v := s.NewView(w, r, "", surveyPosterData{Survey: sv, Link: s.PublicURL(r) + path, Code: path + "/code.svg"})
	v.Title = v.T("survey.poster_title", v.Conv(sv.Title))
	s.Render(w, r, http.StatusOK, "survey_poster", s.withEmergency(r, v))
	return nil
}

// surveyCodeSVG draws the QR code of a published questionnaire's page.
func (s *Pages) surveyCodeSVG(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r, survey.Noun)
	if err != nil {
		return err
	}
	if _, err := s.Svc.Surveys.Public(r.Context(), id); err != nil && !s.isStaff(r) {
		return err
	}
	code, err := qrcode.New(s.PublicURL(r)+"/surveys/"+strconv.FormatInt(id, 10), qrcode.Medium)
	if err != nil {
		return minyi.Internal(err)
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(qrSVG(code.Bitmap()))
	return nil
}

// isStaff reports whether the request comes from a member of staff, who
// may print a draft's poster before publishing it.
func (s *Pages) isStaff(r *http.Request) bool {
	_, ok := core.UserFrom(r.Context())
	return ok
}

// surveyDevice is the cookie of the answering device's random token: one
// answer per device (survey.VoterKey keeps its hash only).
const surveyDevice = "minyi_survey_device"

// deviceToken returns the device's token, setting a new one first.
func (s *Pages) deviceToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(surveyDevice); err == nil && len(c.Value) >= 16 {
		return c.Value
	}
	token := newFormToken()
	http.SetCookie(w, &http.Cookie{Name: surveyDevice, Value: token, Path: "/surveys/",
		MaxAge: int((2 * 365 * 24 * time.Hour).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Secure(r)})
	return token
}
