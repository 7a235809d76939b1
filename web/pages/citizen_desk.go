package pages

import (
	"net/http"
	"strings"

	"minyi/archive"
)

type deskData struct {
	Query string
	Page  archive.DeskPage
	Units map[string]string
	First bool // no cursor: the first page
}

// deskPage is the 24-hour online desk (24小時警局): published questions and
// the officers' public answers, searchable in either script.
func (s *Pages) deskPage(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	cursor := r.URL.Query().Get("cursor")
	page, err := s.Items.Desk(r.Context(), q, cursor, 20)
	if err != nil {
		return err
	}
	units, err := s.unitNames(r)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", deskData{Query: q, Page: page, Units: units, First: cursor == ""})
	v.Title = v.T("desk.title")
	s.Render(w, r, http.StatusOK, "desk", s.withEmergency(r, v))
	return nil
}

// deskQuestionPage shows one published question and its answer.
func (s *Pages) deskQuestionPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Items.DeskQuestion(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	units, err := s.unitNames(r)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", struct {
		Entry archive.DeskEntry
		Units map[string]string
	}{e, units})
	v.Title = v.Conv(e.Title)
	s.Render(w, r, http.StatusOK, "desk_question", v)
	return nil
}

// unitNames maps unit codes to names for display.
func (s *Pages) unitNames(r *http.Request) (map[string]string, error) {
	units, err := s.Org.Units(r.Context())
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		out[u.Code] = u.Name
	}
	return out, nil
}
