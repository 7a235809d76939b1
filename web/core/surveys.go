package core

import (
	"context"
	"net/http"
	"net/url"

	"minyi/org"
	"minyi/ratelimit"
	"minyi/survey"
	"minyi/xlsx"
)

// SurveyAnswerUse is the use of the answers' abuse limit by an answer from
// the client's address, counted in the answer's transaction: the intake
// rate, counted apart from the items' (a questionnaire handed round a
// village hall must not stop its visitors from writing in); staff answer
// without a limit.
func (s *Base) SurveyAnswerUse(r *http.Request) []ratelimit.Use {
	if _, ok := UserFrom(r.Context()); ok {
		return nil
	}
	if use, ok := s.Limiter.Use("survey-answer", s.Config.Limits.Intake, LimitSubject(r), true); ok {
		return []ratelimit.Use{use}
	}
	return nil
}

// WriteSurveyWorkbook answers the results of questionnaire id for u and f
// as an .xlsx: the summary sheet and the raw answers, masked.
func (s *Base) WriteSurveyWorkbook(ctx context.Context, w http.ResponseWriter, u org.User, id int64, f survey.ResultFilter) error {
	title, summary, raw, err := s.Svc.Surveys.Export(ctx, u, id, f)
	if err != nil {
		return err
	}
	b, err := xlsx.Write([]xlsx.Sheet{
		{Name: "汇总", Rows: summary, Widths: widths(summary)},
		{Name: "答卷", Rows: raw, Bold: true, Widths: widths(raw)},
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(title+"结果.xlsx"))
	NoStore(w)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b)
	return err
}
