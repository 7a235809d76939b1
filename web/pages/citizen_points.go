package pages

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"minyi/org"
	"minyi/servicepoint"
)

// The "where to get it done" page (哪里办): the active service points by
// township, with their hours (off-peak and extended hours marked), the
// services they offer, a phone to call and where they are.

type pointsTown struct {
	Township string // "" for the points that name none
	Points   []publicPoint
}

// publicPoint is a point with its coordinates as text and as a geo: link,
// which a phone opens in its map application.
type publicPoint struct {
	servicepoint.PublicPoint
	Coords string
	Geo    template.URL
}

func newPublicPoint(p servicepoint.PublicPoint) publicPoint {
	out := publicPoint{PublicPoint: p}
	if p.Lat != nil && p.Lng != nil {
		lat, lng := strconv.FormatFloat(*p.Lat, 'f', -1, 64), strconv.FormatFloat(*p.Lng, 'f', -1, 64)
		out.Coords = lat + ", " + lng
		out.Geo = template.URL("geo:" + lat + "," + lng) // two numbers: nothing to escape
	}
	return out
}

type citizenPointsData struct {
	Township, Unit string
	Towns          []pointsTown
	Total          int
	NextCursor     string
	First          bool
	Townships      []string
	Units          []org.Unit
	UnitNames      map[string]string
}

// citizenPointsPage lists the active service points, grouped by township.
func (s *Pages) citizenPointsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := citizenPointsData{Township: strings.TrimSpace(q.Get("township")), Unit: strings.TrimSpace(q.Get("unit")),
		First: q.Get("cursor") == ""}
	page, err := s.Svc.Points.Active(ctx, servicepoint.PublicFilter{Township: d.Township, Unit: d.Unit, Limit: 100, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	d.NextCursor = page.NextCursor
	if page.Total != nil {
		d.Total = *page.Total
	}
	at := map[string]int{}
	for _, p := range page.Items {
		i, ok := at[p.Township]
		if !ok {
			i = len(d.Towns)
			at[p.Township] = i
			d.Towns = append(d.Towns, pointsTown{Township: p.Township})
		}
		d.Towns[i].Points = append(d.Towns[i].Points, newPublicPoint(p))
	}
	if d.Townships, err = s.Svc.Points.ActiveTownships(ctx); err != nil {
		return err
	}
	// Townships in the filter's order; the points naming none last.
	order := map[string]int{"": len(d.Townships)}
	for i, t := range d.Townships {
		order[t] = i
	}
	slices.SortStableFunc(d.Towns, func(a, b pointsTown) int { return order[a.Township] - order[b.Township] })
	if d.Units, d.UnitNames, err = s.publicUnits(ctx); err != nil {
		return err
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("where.title")
	s.Render(w, r, http.StatusOK, "citizen_points", s.withEmergency(r, v))
	return nil
}
