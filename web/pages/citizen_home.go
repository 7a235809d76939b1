package pages

import (
	"net/http"

	"minyi/archive"
	"minyi/survey"
)

// homePage is the citizen's front door: write to us, the online desk, and
// tracking, in plain words, with the latest answered questions.
func (s *Pages) homePage(w http.ResponseWriter, r *http.Request) error {
	desk, err := s.Items.DeskSorted(r.Context(), "", "", "", 5)
	if err != nil {
		return err
	}
	// The questionnaires open today get a card each: a citizen who came
	// without the poster's code finds them too.
	var open []survey.PublicSurvey
	if s.Svc.Surveys != nil {
		if open, err = s.Svc.Surveys.OpenNow(r.Context(), 2); err != nil {
			return err
		}
	}
	v := s.NewView(w, r, "", struct {
		Desk    []archive.DeskEntry
		Surveys []survey.PublicSurvey
	}{desk.Entries, open})
	s.Render(w, r, http.StatusOK, "home", s.withEmergency(r, v))
	return nil
}
