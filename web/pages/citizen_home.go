package pages

import (
	"net/http"

	"minyi/archive"
)

// homePage is the citizen's front door: write to us, the online desk, and
// tracking, in plain words, with the latest answered questions.
func (s *Pages) homePage(w http.ResponseWriter, r *http.Request) error {
	desk, err := s.Items.Desk(r.Context(), "", "", 5)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", struct{ Desk []archive.DeskEntry }{desk.Entries})
	s.Render(w, r, http.StatusOK, "home", s.withEmergency(r, v))
	return nil
}
