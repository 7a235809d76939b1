package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"minyi"
	"minyi/archive"
	"minyi/org"
)

// A QR poster (扫码留言) opens the write-in form with the channel, the unit
// and the service point or paper box preset, so an item scanned at a
// station reaches that station without anyone sorting it.

type qrData struct {
	Units []org.Unit
	Unit  org.Unit
	Point string
	Link  string // what the code opens
	Code  string // path of the code's SVG
}

// qrIndexPage lists the units with links to their posters and a form for a
// poster of a named service point or paper box.
func (s *Pages) qrIndexPage(w http.ResponseWriter, r *http.Request) error {
	units, err := s.Org.Units(r.Context())
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", qrData{Units: units})
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
	if len([]rune(point)) > 60 {
		return qrData{}, minyi.Invalid("point", "服务点名称不能超过60字", "point must be at most 60 characters")
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

// qrGo turns the poster form's choice into the poster's address.
func (s *Pages) qrGo(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	target := "/qr/" + url.PathEscape(q.Get("unit"))
	if p := strings.TrimSpace(q.Get("point")); p != "" {
		target += "?" + url.Values{"point": {p}}.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
