package web

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
func (s *Server) deskPage(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	cursor := r.URL.Query().Get("cursor")
	page, err := s.items.Desk(r.Context(), q, cursor, 20)
	if err != nil {
		return err
	}
	units, err := s.unitNames(r)
	if err != nil {
		return err
	}
	v := s.newView(w, r, "", deskData{Query: q, Page: page, Units: units, First: cursor == ""})
	v.Title = v.T("desk.title")
	s.render(w, r, http.StatusOK, "desk", s.withEmergency(r, v))
	return nil
}

// deskQuestionPage shows one published question and its answer.
func (s *Server) deskQuestionPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.items.DeskQuestion(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	units, err := s.unitNames(r)
	if err != nil {
		return err
	}
	v := s.newView(w, r, "", struct {
		Entry archive.DeskEntry
		Units map[string]string
	}{e, units})
	v.Title = v.Conv(e.Title)
	s.render(w, r, http.StatusOK, "desk_question", v)
	return nil
}

// activeCategories lists the categories citizens and staff may file under.
func (s *Server) activeCategories(r *http.Request) ([]archive.Category, error) {
	cats, err := s.svc.Config.Categories(r.Context())
	if err != nil {
		return nil, err
	}
	active := cats[:0]
	for _, c := range cats {
		if c.Active {
			active = append(active, c)
		}
	}
	return active, nil
}

// unitNames maps unit codes to names for display.
func (s *Server) unitNames(r *http.Request) (map[string]string, error) {
	units, err := s.org.Units(r.Context())
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		out[u.Code] = u.Name
	}
	return out, nil
}
