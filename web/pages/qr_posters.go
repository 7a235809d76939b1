package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/register"
	"minyi/servicepoint"
	"minyi/web/core"
)

// A QR poster (扫码留言) opens the write-in form with the channel, the unit
// and the service point or paper box preset, so an item scanned at a
// station reaches that station without anyone sorting it.

type qrData struct {
	Units []org.Unit
	// Points are one page of the active service points the user may see
	// (those PointQuery finds), each with its poster; PointsTotal counts
	// all of them and NextCursor leads to the next page.
	Points      []servicepoint.Point
	PointsTotal int
	PointQuery  string
	Cursor      string
	NextCursor  string
	UnitNames   map[string]string
	Unit        org.Unit
	Point       string
	Link        string // what the code opens
	Code        string // path of the code's SVG
}

// qrPointsPage is how many service points the poster list shows at once.
const qrPointsPage = 50

// qrIndexPage lists the units with links to their posters, a form for a
// poster of a named service point or paper box, and the active service
// points page by page (cursor), found by their words (q), with their
// count: a bureau with more points than a page reaches every one.
func (s *Pages) qrIndexPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	units, err := s.Org.Units(ctx)
	if err != nil {
		return err
	}
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	d := qrData{Units: units, PointQuery: strings.TrimSpace(q.Get("q")), Cursor: q.Get("cursor")}
	points, err := s.Svc.Points.List(ctx, u, servicepoint.Filter{Status: servicepoint.StatusActive,
		Filter: register.Filter{Query: d.PointQuery, Limit: qrPointsPage, Cursor: d.Cursor}})
	if err != nil {
		return err
	}
	d.Points, d.NextCursor = points.Items, points.NextCursor
	if points.Total != nil {
		d.PointsTotal = *points.Total
	}
	d.UnitNames = map[string]string{}
	for _, u := range units {
		d.UnitNames[u.Code] = u.Name
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("qr.title")
	s.Render(w, r, http.StatusOK, "qr_index", v)
	return nil
}

// qrPosterPage is a printable A4 poster for one unit or service point.
func (s *Pages) qrPosterPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.qrTarget(r)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("qr.poster_title", v.Conv(d.Unit.Name))
	v.Mongolian = true // the poster speaks Mongolian beside Chinese
	s.Render(w, r, http.StatusOK, "qr_poster", s.withEmergency(r, v))
	return nil
}

// qrCodeSVG draws the code as SVG, which prints sharp at any size.
func (s *Pages) qrCodeSVG(w http.ResponseWriter, r *http.Request) error {
	d, err := s.qrTarget(r)
	if err != nil {
		return err
	}
	code, err := qrcode.New(d.Link, qrcode.Medium)
	if err != nil {
		return minyi.Internal(err)
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(qrSVG(code.Bitmap()))
	return nil
}

func (s *Pages) qrTarget(r *http.Request) (qrData, error) {
	u, err := s.Org.Unit(r.Context(), r.PathValue("unit"))
	if err != nil {
		return qrData{}, err
	}
	point := strings.TrimSpace(r.URL.Query().Get("point"))
	if len([]rune(point)) > servicepoint.MaxNameRunes {
		return qrData{}, minyi.Invalid("point", "服务点名称不能超过"+strconv.Itoa(servicepoint.MaxNameRunes)+"字",
			"point must be at most "+strconv.Itoa(servicepoint.MaxNameRunes)+" characters")
	}
	q := url.Values{"channel": {string(archive.ChannelQRCode)}, "unit": {u.Code}}
	if point != "" {
		q.Set("point", point)
	}
	code := "/qr/" + u.Code + "/code.svg"
	if point != "" {
		code += "?" + url.Values{"point": {point}}.Encode()
	}
	return qrData{Unit: u, Point: point, Link: s.PublicURL(r) + "/write?" + q.Encode(), Code: code}, nil
}

// qrSVG draws a QR bitmap (which includes its quiet zone) as one path.
func qrSVG(bits [][]bool) []byte {
	n := len(bits)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img"><title>QR</title><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n, n, n)
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String())
}

// qrGo turns the poster form's choice into the poster's address; with
// service_point, the poster of that service point (its unit and name),
// which a point's page links to.
func (s *Pages) qrGo(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if id := q.Get("service_point"); id != "" {
		return s.qrGoPoint(w, r, id)
	}
	target := "/qr/" + url.PathEscape(q.Get("unit"))
	if p := strings.TrimSpace(q.Get("point")); p != "" {
		target += "?" + url.Values{"point": {p}}.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// qrGoPoint sends the user to the poster of service point id, one they may
// see.
func (s *Pages) qrGoPoint(w http.ResponseWriter, r *http.Request, id string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return minyi.Invalid("service_point", "便民服务站点编号无效", "service_point must be a service point's id")
	}
	u, _ := core.UserFrom(r.Context())
	p, err := s.Svc.Points.Get(r.Context(), u, n)
	if err != nil {
		return err
	}
	http.Redirect(w, r, qrPointPoster(p), http.StatusSeeOther)
	return nil
}

// qrPointPoster is the address of a service point's poster: its unit's,
// with the point's name, which the code carries to the write-in form.
func qrPointPoster(p servicepoint.Point) string {
	return "/qr/" + url.PathEscape(p.Unit) + "?" + url.Values{"point": {p.Name}}.Encode()
}
