package pages

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"minyi/booking"
	"minyi/org"
	"minyi/servicepoint"
	"minyi/web/core"
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
	// Slots are the point's bookable weekly slots, as the reader reads
	// them; none: the point takes no bookings.
	Slots []slotLine
}

// slotLine is a slot of a point's schedule in the reader's language:
// 周一至周五 12:00–14:30 错时服务.
type slotLine struct {
	Days, Start, End string
	Kind             booking.Kind
}

// slotLines are a point's slots for the public page.
func (s *Pages) slotLines(r *http.Request, slots []booking.Slot) []slotLine {
	lang := core.PreferredLang(r)
	var out []slotLine
	for _, sl := range slots {
		var days []string
		for _, d := range sl.Weekdays {
			days = append(days, s.Catalog.T(lang, "book.weekday."+strconv.Itoa(d)))
		}
		out = append(out, slotLine{Days: strings.Join(days, s.Catalog.T(lang, "book.weekday_sep")), Start: sl.Start, End: sl.End, Kind: sl.Kind})
	}
	return out
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
		pp := newPublicPoint(p)
		slots, err := s.Svc.Bookings.Slots(ctx, p.ID)
		if err != nil {
			return err
		}
		pp.Slots = s.slotLines(r, slots)
		d.Towns[i].Points = append(d.Towns[i].Points, pp)
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
