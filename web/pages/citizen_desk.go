package pages

import (
	"net/http"
	"strings"

	"minyi/archive"
)

type deskData struct {
	Query string
	// Sort is the order asked for: newest first unless the reader asks a
	// search for the most relevant (archive.SortRelevance).
	Sort string
	// SortParam is Sort in the page's links: "" for the default.
	SortParam string
	Page      archive.DeskPage
	Entries   []deskShown
	// Counted says the store counted the questions shown or found: Count.
	Counted bool
	Count   int
	First   bool // no cursor: the first page
	// Same is the question whose askers the page lists (?same=): the
	// others asking the same, reached from its entry's count.
	Same string
}

// deskPage is the 24-hour online desk (24小時警局): published questions and
// the officers' public answers, newest first, each question once for all
// who asked it, searchable in either script, with how many there are or
// were found; ?same=NUMBER lists all who asked what NUMBER asks.
func (s *Pages) deskPage(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	cursor := r.URL.Query().Get("cursor")
	same := strings.TrimSpace(r.URL.Query().Get("same"))
	sort := archive.SortNewest
	if r.URL.Query().Get("sort") == archive.SortRelevance && q != "" {
		sort = archive.SortRelevance
	}
	var page archive.DeskPage
	var err error
	if same != "" {
		q, sort = "", archive.SortNewest
		page, err = s.Items.DeskAsked(r.Context(), same, cursor, 20)
	} else {
		page, err = s.Items.DeskSorted(r.Context(), q, sort, cursor, 20)
	}
	if err != nil {
		return err
	}
	units, err := s.unitNames(r)
	if err != nil {
		return err
	}
	d := deskData{Query: q, Sort: sort, Page: page, First: cursor == "", Same: same}
	if sort == archive.SortRelevance {
		d.SortParam = sort
	}
	if page.Total != nil {
		d.Counted, d.Count = true, *page.Total
	}
	v := s.NewView(w, r, "", nil)
	d.Entries = deskEntries(v, units, page.Entries, q)
	v.Data = d
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
	v := s.NewView(w, r, "", nil)
	shown := deskEntries(v, units, []archive.DeskEntry{e}, "")[0]
	v.Data = shown
	v.Title = inScript(v, e.Title)
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
