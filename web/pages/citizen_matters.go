package pages

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/matter"
	"minyi/org"
	"minyi/outcome"
	"minyi/register"
)

// The citizens' accountability page (我们办的实事): the practical matters
// the bureau published, what became of them and the opinions they answer,
// as matter.PublicMatter allows anybody to read them.

// outcomeRow is one counted outcome of a matter, in the keys' order.
type outcomeRow struct {
	Key   outcome.Key
	Value int64
}

type citizenMattersData struct {
	Class, Unit, Township string
	Page                  register.Page[matter.PublicMatter]
	Total                 int
	Classes               []archive.Label
	Units                 []org.Unit // the filter's choices: the bureau's own units
	UnitNames             map[string]string
	Townships             []string
	Outcomes              map[int64][]outcomeRow
	Stories               map[int64]string // the story's beginning, when it may be shown
	First                 bool             // no cursor: the first page
}

// citizenMattersPage lists the published matters, newest first, filtered
// by concern class, unit and township.
func (s *Pages) citizenMattersPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := citizenMattersData{Class: strings.TrimSpace(q.Get("class")), Unit: strings.TrimSpace(q.Get("unit")),
		Township: strings.TrimSpace(q.Get("township")), Classes: archive.Classes, First: q.Get("cursor") == ""}
	page, err := s.Svc.Matters.Published(ctx, matter.PublicFilter{Class: archive.Class(d.Class), Unit: d.Unit,
		Township: d.Township, Limit: 20, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	d.Page = page
	if page.Total != nil {
		d.Total = *page.Total
	}
	if d.Townships, err = s.Svc.Matters.PublicTownships(ctx); err != nil {
		return err
	}
	if d.Units, d.UnitNames, err = s.publicUnits(ctx); err != nil {
		return err
	}
	keys, err := s.Svc.Matters.Outcomes(ctx)
	if err != nil {
		return err
	}
	d.Outcomes, d.Stories = map[int64][]outcomeRow{}, map[int64]string{}
	for _, m := range page.Items {
		d.Outcomes[m.ID] = outcomeRows(keys, m.Outcomes)
		d.Stories[m.ID] = excerpt(m.Story.Text, storyExcerptRunes)
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("acc.title")
	s.Render(w, r, http.StatusOK, "citizen_matters", s.withEmergency(r, v))
	return nil
}

// citizenMatterPage shows one published matter: its story, progress and
// the opinions it answers. A matter not published is not found.
func (s *Pages) citizenMatterPage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return minyi.Errorf(minyi.ENotFound, "没有这件公开的实事 / no such published matter")
	}
	m, err := s.Svc.Matters.PublishedMatter(r.Context(), id)
	if err != nil {
		return err
	}
	names, err := s.unitNames(r)
	if err != nil {
		return err
	}
	keys, err := s.Svc.Matters.Outcomes(r.Context())
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", struct {
		Matter    matter.PublicMatter
		UnitNames map[string]string
		Outcomes  []outcomeRow
	}{m, names, outcomeRows(keys, m.Outcomes)})
	if m.Title.Withheld {
		v.Title = v.T("acc.withheld_title")
	} else {
		v.Title = v.Conv(m.Title.Text)
	}
	s.Render(w, r, http.StatusOK, "citizen_matter", s.withEmergency(r, v))
	return nil
}

// outcomeRows orders counted outcomes as the bureau's keys are ordered,
// keys no longer configured last, by code (named by it alone).
func outcomeRows(keys []outcome.Key, o map[string]int64) []outcomeRow {
	var rows []outcomeRow
	seen := map[string]bool{}
	for _, k := range keys {
		if v, ok := o[k.Code]; ok {
			rows, seen[k.Code] = append(rows, outcomeRow{k, v}), true
		}
	}
	var rest []string
	for k := range o {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		rows = append(rows, outcomeRow{outcome.Key{Code: k}, o[k]})
	}
	return rows
}

// storyExcerptRunes is how much of a story the list shows; the matter's
// page has the rest.
const storyExcerptRunes = 120

// excerpt is the beginning of text, at most n characters, with an ellipsis
// when it goes on.
func excerpt(text string, n int) string {
	rs := []rune(strings.TrimSpace(text))
	if len(rs) <= n {
		return string(rs)
	}
	return strings.TrimSpace(string(rs[:n])) + "…"
}

// publicUnits are the units the public pages filter by, every unit but the
// partners, and the names of all units, for showing records.
func (s *Pages) publicUnits(ctx context.Context) ([]org.Unit, map[string]string, error) {
	units, err := s.Org.Units(ctx)
	if err != nil {
		return nil, nil, err
	}
	var public []org.Unit
	names := map[string]string{}
	for _, u := range units {
		names[u.Code] = u.Name
		if u.Kind != org.UnitPartner {
			public = append(public, u)
		}
	}
	return public, names, nil
}
