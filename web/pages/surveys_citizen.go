package pages

import (
	"net/http"
	"strconv"
	"strings"

	"minyi/survey"
	"minyi/web/core"
)

// The citizens' questionnaire pages: answering on a phone without an
// account (large text for elders is the layout's), a thank-you page, and
// for a closed questionnaire the word that it is closed.

// citizenQuestion is a question as the answer page shows it, with what was
// chosen or written when the page comes back with a problem.
type citizenQuestion struct {
	survey.Question
	Number  int
	Field   string // the form's name of its value: the question's id
	Chosen  map[int]bool
	Written string // what was written in a free-text answer
	Skips   []citizenSkip
	ShowIfN int // the number of the question a "show only if" names
	ShowIfO string
	// Values are a scale's values, 1 to 5.
	Values []int
}

// citizenSkip says which option skips to which question number (0: the end).
type citizenSkip struct {
	Option string
	To     int
}

type citizenSurveyData struct {
	Survey    survey.PublicSurvey
	Open      bool
	Questions []citizenQuestion
	Townships []string
	Township  string
	Phone     string
}

func citizenQuestions(sv survey.Survey, a survey.Answer) []citizenQuestion {
	out := make([]citizenQuestion, len(sv.Questions))
	for i, q := range sv.Questions {
		v := a.Answers[q.ID]
		cq := citizenQuestion{Question: q, Number: i + 1, Field: q.ID, Chosen: map[int]bool{}, Written: v.Text}
		for _, c := range v.Choices {
			cq.Chosen[c] = true
		}
		if q.Kind == survey.KindScale {
			for n := survey.ScaleMin; n <= survey.ScaleMax; n++ {
				cq.Values = append(cq.Values, n)
			}
		}
		if v.Scale != 0 {
			cq.Chosen[v.Scale] = true
		}
		for _, o := range q.Options {
			if o.SkipTo != "" {
				cq.Skips = append(cq.Skips, citizenSkip{Option: o.Label, To: sv.Number(o.SkipTo)})
			}
		}
		if c := q.ShowIf; c != nil {
			cq.ShowIfN = sv.Number(c.Question)
			var labels []string
			if from, ok := sv.Question(c.Question); ok {
				for _, o := range c.Options {
					if from.Kind == survey.KindScale {
						labels = append(labels, strconv.Itoa(o))
					} else if o >= 1 && o <= len(from.Options) {
						labels = append(labels, from.Options[o-1].Label)
					}
				}
			}
			cq.ShowIfO = strings.Join(labels, "、")
		}
		out[i] = cq
	}
	return out
}

func (s *Pages) showCitizenSurvey(w http.ResponseWriter, r *http.Request, status int, sv survey.Survey, a survey.Answer, err error) {
	towns, terr := s.Svc.Surveys.Townships(r.Context())
	if terr != nil {
		s.PageError(w, r, terr)
		return
	}
	d := citizenSurveyData{Survey: sv.Public(), Open: s.Svc.Surveys.OpenToday(sv), Questions: citizenQuestions(sv, a),
		Townships: towns, Township: a.Township, Phone: a.Phone}
	v := s.NewView(w, r, "", d)
	v.Title = v.Conv(sv.Title)
	v.Errors = core.FormErrors(s.Catalog, v.Lang, err)
	s.Render(w, r, status, "survey_answer", s.withEmergency(r, v))
}

// citizenSurveyPage shows a published questionnaire to answer, or says it
// is closed; it gives the device its token (a cookie) first.
func (s *Pages) citizenSurveyPage(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r, survey.Noun)
	if err != nil {
		return err
	}
	sv, err := s.Svc.Surveys.Public(r.Context(), id)
	if err != nil {
		return err
	}
	s.deviceToken(w, r)
	s.showCitizenSurvey(w, r, http.StatusOK, sv, survey.Answer{}, nil)
	return nil
}

// readAnswer reads the answer page's form: each question's value under its
// id (several for a multiple choice), the township and phone.
func readAnswer(r *http.Request, sv survey.Survey) survey.Answer {
	a := survey.Answer{Township: r.PostFormValue("township"), Phone: r.PostFormValue("phone"), Answers: map[string]survey.Value{}}
	for _, q := range sv.Questions {
		var v survey.Value
		switch q.Kind {
		case survey.KindText:
			v.Text = r.PostFormValue(q.ID)
		case survey.KindScale:
			v.Scale, _ = strconv.Atoi(r.PostFormValue(q.ID))
		default:
			for _, x := range r.PostForm[q.ID] {
				n, err := strconv.Atoi(x)
				if err != nil {
					n = -1 // no option: refused, naming the question
				}
				v.Choices = append(v.Choices, n)
			}
		}
		if v.Text != "" || v.Scale != 0 || len(v.Choices) > 0 {
			a.Answers[q.ID] = v
		}
	}
	return a
}

// answerSurveyForm takes the answer (once per form, one per device or
// phone, within the answers' limit) and says thank you
// (Post/Redirect/Get); refused, the page comes back with what was chosen.
func (s *Pages) answerSurveyForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := recordID(r, survey.Noun)
	if err != nil {
		return err
	}
	sv, err := s.Svc.Surveys.Public(ctx, id)
	if err != nil {
		return err
	}
	a := readAnswer(r, sv)
	a.DeviceToken = s.deviceToken(w, r)
	a.FormToken = r.PostFormValue(formTokenField)
	a.Counted = s.SurveyAnswerUse(r)
	if _, err := s.Svc.Surveys.Answer(ctx, id, a); err != nil {
		status := core.Status(w, err)
		if refused(err) == 0 && status != http.StatusTooManyRequests {
			return err
		}
		s.showCitizenSurvey(w, r, status, sv, a, err)
		return nil
	}
	http.Redirect(w, r, "/surveys/"+strconv.FormatInt(id, 10)+"/thanks", http.StatusSeeOther)
	return nil
}

// surveyThanksPage thanks the citizen for answering.
func (s *Pages) surveyThanksPage(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r, survey.Noun)
	if err != nil {
		return err
	}
	sv, err := s.Svc.Surveys.Public(r.Context(), id)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", sv.Public())
	v.Title = v.T("survey.thanks_title")
	s.Render(w, r, http.StatusOK, "survey_thanks", v)
	return nil
}
