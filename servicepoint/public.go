package servicepoint

import (
	"context"
	"strings"

	"minyi/register"
)

// PublicPoint is an active service point as anybody may read it on the
// citizen portal's "where to get it done" page (哪里办). It is an
// allow-list (TestPublicPointIsAnAllowList): who recorded the point and
// when, its version and its status (always active here) stay internal.
type PublicPoint struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Unit         string   `json:"unit"`
	Township     string   `json:"township,omitempty"`
	Village      string   `json:"village,omitempty"`
	Address      string   `json:"address"`
	Lat          *float64 `json:"latitude,omitempty"`
	Lng          *float64 `json:"longitude,omitempty"`
	OpeningHours string   `json:"opening_hours,omitempty"`
	OffPeak      bool     `json:"off_peak"`
	Extended     bool     `json:"extended_hours"`
	Services     []string `json:"services"`
	Phone        string   `json:"phone,omitempty"`
}

// Public is p as anybody may read it.
func (p Point) Public() PublicPoint {
	return PublicPoint{ID: p.ID, Name: p.Name, Unit: p.Unit, Township: p.Township, Village: p.Village,
		Address: p.Address, Lat: p.Lat, Lng: p.Lng, OpeningHours: p.OpeningHours, OffPeak: p.OffPeak,
		Extended: p.Extended, Services: append([]string{}, p.Services...), Phone: p.Phone}
}

// PublicFilter selects active points for the public page.
type PublicFilter struct {
	Township string
	Unit     string
	Limit    int
	Cursor   string
}

// Active lists the active service points f selects, newest first, as
// anybody may read them, with the count of all of them. It needs no user:
// the page is public.
func (s *Service) Active(ctx context.Context, f PublicFilter) (register.Page[PublicPoint], error) {
	page, err := s.Store.Points(ctx, Filter{Filter: register.Filter{Limit: f.Limit, Cursor: f.Cursor},
		Unit: strings.TrimSpace(f.Unit), Township: strings.TrimSpace(f.Township), Status: StatusActive})
	if err != nil {
		return register.Page[PublicPoint]{}, err
	}
	out := register.Page[PublicPoint]{Items: make([]PublicPoint, 0, len(page.Items)), NextCursor: page.NextCursor, Total: page.Total,
		TotalCapped: page.TotalCapped}
	for _, p := range page.Items {
		out.Items = append(out.Items, p.Public())
	}
	return out, nil
}

// ActiveTownships lists the townships of the active points, each once, in
// order: the public page filters by them.
func (s *Service) ActiveTownships(ctx context.Context) ([]string, error) {
	return s.Store.PointTownships(ctx)
}
