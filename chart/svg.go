package chart

import (
	"html/template"
	"math"
	"strconv"
	"strings"
)

// SVG draws the chart as an inline SVG element: role img, labelled by its
// title and description, each bar titled for screen readers and hover. The
// classes let a page's stylesheet restyle it; the presentation attributes
// (fill, font-size) draw it where none does.
func (b Bars) SVG() template.HTML { return b.Layout(false).SVG() }

// SVG writes the drawing as an SVG element.
func (d Drawing) SVG() template.HTML {
	var w strings.Builder
	esc := func(s string) string { return template.HTMLEscapeString(validUTF8(s)) }
	w.WriteString(`<svg class="chart-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + num(d.Width) + " " + num(d.Height) +
		`" width="` + num(d.Width) + `" height="` + num(d.Height) + `" role="img"`)
	if d.ID != "" {
		w.WriteString(` aria-labelledby="` + esc(d.ID) + `-title ` + esc(d.ID) + `-desc">`)
		w.WriteString(`<title id="` + esc(d.ID) + `-title">` + esc(d.Title) + `</title>`)
		w.WriteString(`<desc id="` + esc(d.ID) + `-desc">` + esc(d.Desc) + `</desc>`)
	} else {
		w.WriteString(` aria-label="` + esc(d.Title) + `"><title>` + esc(d.Title) + `</title><desc>` + esc(d.Desc) + `</desc>`)
	}
	w.WriteString("\n")
	for _, l := range d.Lines {
		w.WriteString(`<line x1="` + num(l.X1) + `" y1="` + num(l.Y1) + `" x2="` + num(l.X2) + `" y2="` + num(l.Y2) +
			`" class="` + esc(l.Class) + `" stroke="` + gridColor + `"/>`)
	}
	for _, r := range d.Rects {
		w.WriteString(`<rect x="` + num(r.X) + `" y="` + num(r.Y) + `" width="` + num(r.W) + `" height="` + num(r.H) + `"`)
		if r.Class != "" {
			w.WriteString(` class="` + esc(r.Class) + `"`)
		}
		w.WriteString(` fill="` + esc(r.Fill) + `">`)
		if r.Tip != "" {
			w.WriteString(`<title>` + esc(r.Tip) + `</title>`)
		}
		w.WriteString(`</rect>`)
	}
	for _, t := range d.Texts {
		fill := ink
		if t.Class == "axis" {
			fill = muted
		}
		w.WriteString(`<text x="` + num(t.X) + `" y="` + num(t.Y) + `" text-anchor="` + esc(t.Anchor) + `" class="` + esc(t.Class) +
			`" font-size="` + num(t.Size) + `" fill="` + fill + `">`)
		if t.Full != "" {
			w.WriteString(`<title>` + esc(t.Full) + `</title>`)
		}
		w.WriteString(esc(t.Text) + `</text>`)
	}
	w.WriteString("\n</svg>")
	return template.HTML(w.String()) // #nosec: every text above is escaped
}

// num writes a coordinate to a tenth.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }
