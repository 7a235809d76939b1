// Package chart lays out minyi's bar charts once — the dashboard's, the
// questionnaire results' and the report's — as shapes (rectangles, lines,
// texts) with an accessible title and description, and draws that one
// layout as SVG for the pages and as PNG for documents.
//
// Chinese labels stay in the SVG, where the reader's browser has the fonts.
// The PNG is drawn with the Go fonts, which have no Chinese glyphs (and a CJK
// font would add megabytes to the binary), so there a label the font cannot
// draw becomes a short code and the legend says what each code stands for:
// the caller prints it as a table or caption beside the image.
package chart

import (
	"cmp"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Point is one value of a series.
type Point struct {
	Value float64
	// None marks a value that does not exist (a rate of nothing): no bar is
	// drawn and its text is a dash.
	None bool
	// Text is the value as shown at the bar's end; empty shows Value.
	Text string
	// Tip is the bar's title, read out by screen readers and shown on
	// hover; empty gives "category series：text".
	Tip string
}

// Series is a row of values, one per category, drawn in one colour.
type Series struct {
	Name string
	// Class is the CSS class of its bars; Color fills them where no
	// stylesheet does (PNG, a downloaded report). An empty Color takes the
	// palette's colour for the series' position.
	Class, Color string
	Points       []Point
}

// Bars is a bar chart as data: categories along one axis, each with a bar
// per series.
type Bars struct {
	// ID prefixes the ids of the SVG's title and description, so a page
	// with several charts labels each one by its own.
	ID          string
	Title, Desc string
	// Horizontal draws a row per category with bars to the right (rankings,
	// long names); otherwise a column per category (periods).
	Horizontal bool
	// Nested draws each series inside the one before it, narrower, for
	// parts of a whole (answered of received); otherwise side by side.
	Nested bool
	// Percent takes values as shares of 1 on an axis from 0 to 100%.
	Percent bool
	// Values writes each value's text at its bar's end.
	Values bool
	// Width is the width of the chart's coordinate system; 0 is the
	// package's Width. A page may draw a narrower one for phones, whose
	// texts then stay legible when it is scaled to the screen.
	Width      float64
	Categories []string
	Series     []Series
}

// Palette colours the series that name no colour of their own, in order.
var Palette = []string{"#0b57a4", "#1a7f37", "#9a6700", "#8250df", "#bc4c00", "#123f73", "#a8c7ea"}

// Width is the width of every chart's coordinate system; pages scale it with
// CSS, documents print it at the width they choose.
const Width = 720

const (
	fontSize   = 12.0 // labels
	smallSize  = 11.0 // axis and value texts
	maxLabelPx = 200.0
	ellipsis   = "…"
	ink        = "#1b1f24"
	muted      = "#57606a"
	gridColor  = "#d0d7de"
)

// Drawing is a chart laid out as shapes in a Width × Height box.
type Drawing struct {
	ID, Title, Desc string
	Width, Height   float64
	Rects           []Rect
	Lines           []Line
	Texts           []Text
	// Legend says what each code drawn instead of a label stands for; it
	// is empty when every label could be drawn as it is.
	Legend []Key
}

// Rect is a filled rectangle: a bar or a legend's swatch.
type Rect struct {
	X, Y, W, H  float64
	Class, Fill string
	Tip         string
}

// Line is a grid line.
type Line struct {
	X1, Y1, X2, Y2 float64
	Class          string
}

// Text is a label, an axis number or a value; Full is the whole label when
// Text had to be shortened to fit.
type Text struct {
	X, Y   float64
	Anchor string // start, middle, end
	Class  string // label, axis, value
	Size   float64
	Text   string
	Full   string
}

// Key is a line of a legend: a code drawn in the chart and the label it
// stands for, with the series' colour when it names a series.
type Key struct {
	Code, Label, Color string
}

// textWidth estimates the width of s at size: a wide (CJK) character takes a
// full em, anything else a little more than half.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if wide(r) {
			w += size
		} else {
			w += size * 0.58
		}
	}
	return w
}

func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x30ff) || (r >= 0xff00 && r <= 0xffef)
}

// fit shortens s with an ellipsis to at most width at size.
func fit(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	limit := width - textWidth(ellipsis, size)
	w := 0.0
	for i, r := range s {
		rw := textWidth(string(r), size)
		if w+rw > limit {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace) + ellipsis
		}
		w += rw
	}
	return s
}

// NiceScale rounds a chart's maximum up to four steps of 1, 2 or 5 times a
// power of ten, so the grid lines fall on round numbers.
func NiceScale(peak float64) (scale, step float64) {
	for mag := 1.0; ; mag *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if step = m * mag; step*4 >= peak {
				return step * 4, step
			}
		}
	}
}

// format shows a value: a share as a percentage, a count as an integer.
func (b *Bars) format(p Point) string {
	switch {
	case p.Text != "":
		return p.Text
	case p.None:
		return "—"
	case b.Percent:
		return strconv.FormatFloat(p.Value*100, 'f', 1, 64) + "%"
	case p.Value == math.Trunc(p.Value):
		return strconv.FormatFloat(p.Value, 'f', 0, 64)
	}
	return strconv.FormatFloat(p.Value, 'f', 1, 64)
}

func (b *Bars) point(s, c int) Point {
	if c < len(b.Series[s].Points) {
		return b.Series[s].Points[c]
	}
	return Point{None: true}
}

// scale is the axis' maximum and step.
func (b *Bars) scale() (float64, float64) {
	if b.Percent {
		return 1, 0.25
	}
	peak := 0.0
	for s := range b.Series {
		for c := range b.Categories {
			if p := b.point(s, c); !p.None {
				peak = max(peak, p.Value)
			}
		}
	}
	return NiceScale(peak)
}

func (b *Bars) axisText(v float64) string {
	if b.Percent {
		return strconv.FormatFloat(v*100, 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// labels are the texts drawn for the categories and the series: as given,
// or, when latin is set and the font cannot draw one of them, codes with
// their legend.
func (b *Bars) labels(latin bool) (cats, series []string, legend []Key) {
	cats, series = append([]string(nil), b.Categories...), make([]string, len(b.Series))
	for i, s := range b.Series {
		series[i] = s.Name
	}
	if !latin {
		return cats, series, nil
	}
	if !allDrawable(series) {
		for i, s := range b.Series {
			series[i] = string(rune('A' + i%26))
			legend = append(legend, Key{Code: series[i], Label: s.Name, Color: b.color(i)})
		}
	}
	if !allDrawable(cats) {
		for i, c := range b.Categories {
			cats[i] = strconv.Itoa(i + 1)
			legend = append(legend, Key{Code: cats[i], Label: c})
		}
	}
	return cats, series, legend
}

func allDrawable(ss []string) bool {
	for _, s := range ss {
		if !drawable(s) {
			return false
		}
	}
	return true
}

func (b *Bars) color(s int) string {
	if c := b.Series[s].Color; c != "" {
		return c
	}
	return Palette[s%len(Palette)]
}

// tip is a bar's title.
func (b *Bars) tip(s, c int) string {
	p := b.point(s, c)
	if p.Tip != "" {
		return p.Tip
	}
	name := b.Categories[c]
	if sn := b.Series[s].Name; sn != "" {
		name += " " + sn
	}
	return name + "：" + b.format(p)
}

// Layout lays the chart out for SVG (latin false: every label as given) or
// for PNG (latin true: labels the Go font cannot draw become codes, and no
// title, which the document prints as the caption).
func (b Bars) Layout(latin bool) Drawing {
	d := Drawing{ID: b.ID, Title: b.Title, Desc: b.Desc, Width: cmp.Or(b.Width, Width)}
	cats, series, legend := b.labels(latin)
	d.Legend = legend
	top := 12.0
	if len(b.Series) > 1 || (len(b.Series) == 1 && b.Series[0].Name != "") {
		top = 34
	}
	if b.Horizontal {
		b.layoutRows(&d, cats, series, top)
	} else {
		b.layoutColumns(&d, cats, series, top)
	}
	return d
}

func (d *Drawing) rect(x, y, w, h float64, class, fill, tip string) {
	d.Rects = append(d.Rects, Rect{X: x, Y: y, W: max(w, 0), H: max(h, 0), Class: class, Fill: fill, Tip: tip})
}

func (d *Drawing) line(x1, y1, x2, y2 float64) {
	d.Lines = append(d.Lines, Line{X1: x1, Y1: y1, X2: x2, Y2: y2, Class: "grid"})
}

func (d *Drawing) text(x, y float64, anchor, class string, size float64, s string, width float64) {
	t := Text{X: x, Y: y, Anchor: anchor, Class: class, Size: size, Text: s}
	if width > 0 {
		if f := fit(s, width, size); f != s {
			t.Text, t.Full = f, s
		}
	}
	d.Texts = append(d.Texts, t)
}

// legend draws the series' swatches and names in a row at the top, from x.
func (b *Bars) legend(d *Drawing, x float64, names []string) {
	if len(b.Series) < 2 && (len(b.Series) == 0 || b.Series[0].Name == "") {
		return
	}
	for i, n := range names {
		d.rect(x, 8, 12, 12, b.Series[i].Class, b.color(i), "")
		n = fit(n, maxLabelPx, fontSize)
		d.text(x+16, 18, "start", "label", fontSize, n, 0)
		x += 28 + textWidth(n, fontSize)
	}
}

// band places series s within a category's slot of the given thickness:
// its offset and thickness.
func (b *Bars) band(s int, slot float64) (float64, float64) {
	n := float64(len(b.Series))
	if b.Nested {
		// The first fills 80% of the slot, each next one a narrower share,
		// centred, so the parts show inside their whole.
		t := slot * (0.8 - 0.55*float64(s)/n)
		return (slot - t) / 2, t
	}
	inner := slot * 0.8
	t := inner / n
	return slot*0.1 + t*float64(s), t
}

// layoutRows draws a row per category: its label at the left, its bars
// running right against a grid with the axis at the bottom.
func (b *Bars) layoutRows(d *Drawing, cats, series []string, top float64) {
	labelW := 60.0
	for _, c := range cats {
		labelW = max(labelW, min(textWidth(c, fontSize), maxLabelPx, d.Width/3)+12)
	}
	valueW := 0.0
	if b.Values {
		valueW = 60
	}
	plotW := d.Width - labelW - valueW - 12
	n := len(b.Series)
	barH := 16.0
	if n > 1 && !b.Nested {
		barH = 11
	}
	gap := 2.0
	rowH := barH + 12
	if !b.Nested {
		rowH = float64(n)*(barH+gap) - gap + 12
	}
	bottom := top + rowH*float64(len(cats))
	d.Height = math.Ceil(bottom + 24)
	b.legend(d, labelW, series)
	scale, step := b.scale()
	for v := 0.0; v <= scale+step/2; v += step {
		x := labelW + plotW*v/scale
		d.line(x, top, x, bottom)
		d.text(x, bottom+16, "middle", "axis", smallSize, b.axisText(v), 0)
	}
	for c, label := range cats {
		y := top + rowH*float64(c) + 6
		thick := rowH - 12
		d.text(labelW-8, y+thick/2+fontSize*0.35, "end", "label", fontSize, label, labelW-12)
		for s := range b.Series {
			p := b.point(s, c)
			off, t := float64(s)*(barH+gap), barH
			if b.Nested {
				off, t = b.band(s, thick)
			}
			w := 0.0
			if !p.None {
				w = plotW * min(max(p.Value, 0), scale) / scale
				d.rect(labelW, y+off, w, t, b.Series[s].Class, b.color(s), b.tip(s, c))
			}
			if b.Values && (!b.Nested || s == 0) {
				d.text(labelW+w+4, y+off+t/2+smallSize*0.35, "start", "value", smallSize, b.format(p), 0)
			}
		}
	}
}

// layoutColumns draws a column per category: bars rising from the axis at
// the bottom, the categories' labels beneath (as many as fit), the grid's
// numbers at the left.
func (b *Bars) layoutColumns(d *Drawing, cats, series []string, top float64) {
	const plotH, right = 200.0, 12.0
	scale, step := b.scale()
	left := textWidth(b.axisText(scale), smallSize) + 14
	plotW := d.Width - left - right
	bottom := top + plotH
	d.Height = bottom + 30
	b.legend(d, left, series)
	for v := 0.0; v <= scale+step/2; v += step {
		y := bottom - plotH*v/scale
		d.line(left, y, d.Width-right, y)
		d.text(left-6, y+4, "end", "axis", smallSize, b.axisText(v), 0)
	}
	if len(cats) == 0 {
		return
	}
	slot := plotW / float64(len(cats))
	// Labels as wide as the widest (up to 120) with a little room between;
	// every nth is drawn so that they never overlap.
	labelW := 0.0
	for _, c := range cats {
		labelW = max(labelW, min(textWidth(c, smallSize), 120))
	}
	every := max(1, int(math.Ceil((labelW+8)/slot)))
	for c, label := range cats {
		x := left + slot*float64(c)
		for s := range b.Series {
			p := b.point(s, c)
			if p.None {
				continue
			}
			off, t := b.band(s, slot)
			h := plotH * min(max(p.Value, 0), scale) / scale
			d.rect(x+off, bottom-h, t, h, b.Series[s].Class, b.color(s), b.tip(s, c))
			if b.Values && (!b.Nested || s == 0) {
				if v := b.format(p); textWidth(v, smallSize) <= t+2 {
					d.text(x+off+t/2, bottom-h-3, "middle", "value", smallSize, v, 0)
				}
			}
		}
		if c%every == 0 {
			d.text(x+slot/2, bottom+18, "middle", "axis", smallSize, label, max(slot*float64(every)-8, 12))
		}
	}
}

// validUTF8 replaces invalid bytes, so that a label read from anywhere
// cannot break the SVG.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
