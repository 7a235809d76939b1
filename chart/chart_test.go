package chart

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"image/png"
	"math"
	"strings"
	"testing"
)

func counts(vs ...float64) []Point {
	out := make([]Point, len(vs))
	for i, v := range vs {
		out[i] = Point{Value: v}
	}
	return out
}

// bars are the drawing's rectangles that carry a tip: the bars, not the
// legend's swatches.
func bars(d Drawing) []Rect {
	var out []Rect
	for _, r := range d.Rects {
		if r.Tip != "" {
			out = append(out, r)
		}
	}
	return out
}

func TestLayoutProportional(t *testing.T) {
	months := []string{"2021-01", "2021-02", "2021-03"}
	series := []Series{
		{Name: "收件", Points: counts(40, 20, 10)},
		{Name: "答复", Points: counts(30, 20, 0)},
		{Name: "办结", Points: counts(20, 10, 5)},
	}
	for _, tt := range []struct {
		name       string
		horizontal bool
		nested     bool
		width      float64
	}{
		{"columns grouped", false, false, 0},
		{"columns nested", false, true, 0},
		{"rows grouped", true, false, 0},
		{"rows nested", true, true, 0},
		{"columns narrow, for a phone", false, false, 360},
		{"rows narrow, for a phone", true, false, 360},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := Bars{ID: "c", Title: "t", Horizontal: tt.horizontal, Nested: tt.nested, Categories: months, Series: series, Width: tt.width}
			d := b.Layout(false)
			if want := cmp.Or(tt.width, Width); d.Width != want {
				t.Errorf("width %v, want %v (0: Width)", d.Width, tt.width)
			}
			got := bars(d)
			if len(got) != 9 {
				t.Fatalf("%d bars, want 9", len(got))
			}
			// Bar lengths divided by their values are one constant: the
			// scale (40 → 40 on a 0–40 axis, in 10s).
			length := func(r Rect) float64 {
				if tt.horizontal {
					return r.W
				}
				return r.H
			}
			unit := length(got[0]) / 40
			if unit <= 0 {
				t.Fatalf("first bar has no length: %+v", got[0])
			}
			i := 0
			for c := range months {
				for s := range series {
					r := got[i]
					i++
					if want := series[s].Points[c].Value * unit; math.Abs(length(r)-want) > 0.01 {
						t.Errorf("%s/%s length %.2f, want %.2f", months[c], series[s].Name, length(r), want)
					}
					if r.X < 0 || r.Y < 0 || r.X+r.W > d.Width+0.01 || r.Y+r.H > d.Height+0.01 {
						t.Errorf("bar %+v outside %vx%v", r, d.Width, d.Height)
					}
				}
			}
			for _, s := range series {
				if !strings.Contains(string(b.SVG()), ">"+s.Name+"</text>") {
					t.Errorf("legend lacks %s", s.Name)
				}
			}
		})
	}
}

func TestLayoutEdges(t *testing.T) {
	long := strings.Repeat("鄂托克旗公安局乌兰镇派出所", 6)
	for _, tt := range []struct {
		name  string
		b     Bars
		nBars int
	}{
		{"empty", Bars{Title: "t"}, 0},
		{"empty rows", Bars{Title: "t", Horizontal: true, Series: []Series{{Name: "a"}}}, 0},
		{"zeros", Bars{Title: "t", Categories: []string{"a", "b"}, Series: []Series{{Points: counts(0, 0)}}}, 2},
		{"one value", Bars{Title: "t", Categories: []string{"a"}, Series: []Series{{Points: counts(7)}}}, 1},
		{"none", Bars{Title: "t", Horizontal: true, Percent: true, Values: true, Categories: []string{"a", "b"},
			Series: []Series{{Points: []Point{{None: true}, {Value: 0.5}}}}}, 1},
		{"long label rows", Bars{Title: "t", Horizontal: true, Categories: []string{long}, Series: []Series{{Points: counts(3)}}}, 1},
		{"long label columns", Bars{Title: "t", Categories: []string{long, long}, Series: []Series{{Points: counts(3, 4)}}}, 2},
		{"negative and over", Bars{Title: "t", Percent: true, Categories: []string{"a", "b"}, Series: []Series{{Points: counts(-1, 3)}}}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.b.Layout(false)
			if got := len(bars(d)); got != tt.nBars {
				t.Errorf("%d bars, want %d", got, tt.nBars)
			}
			if d.Height <= 0 || d.Width != Width {
				t.Errorf("size %vx%v", d.Width, d.Height)
			}
			for _, r := range d.Rects {
				if r.W < 0 || r.H < 0 || r.X < 0 || r.Y < 0 || r.X+r.W > d.Width+0.01 || r.Y+r.H > d.Height+0.01 {
					t.Errorf("rect %+v outside %vx%v", r, d.Width, d.Height)
				}
			}
			for _, tx := range d.Texts {
				w := textWidth(tx.Text, tx.Size)
				left := map[string]float64{"start": tx.X, "middle": tx.X - w/2, "end": tx.X - w}[tx.Anchor]
				if left < -1 || left+w > d.Width+1 {
					t.Errorf("text %q (%.0f wide at %.0f) leaves the chart", tx.Text, w, left)
				}
				if tx.Full != "" && (!strings.HasSuffix(tx.Text, ellipsis) || tx.Full != long) {
					t.Errorf("shortened %q from %q", tx.Text, tx.Full)
				}
			}
			// The SVG is well-formed XML whatever the data.
			if err := xml.Unmarshal([]byte(tt.b.SVG()), new(struct{})); err != nil {
				t.Errorf("SVG: %v\n%s", err, tt.b.SVG())
			}
			if strings.Contains(tt.name, "long") && !strings.Contains(string(tt.b.SVG()), "<title>"+long+"</title>") {
				t.Error("the shortened label's full text is not its title")
			}
		})
	}
}

func TestNiceScale(t *testing.T) {
	for _, tt := range []struct{ peak, scale, step float64 }{
		{0, 4, 1}, {1, 4, 1}, {4, 4, 1}, {5, 8, 2}, {9, 20, 5}, {40, 40, 10}, {173, 200, 50}, {1126, 2000, 500},
	} {
		if scale, step := NiceScale(tt.peak); scale != tt.scale || step != tt.step {
			t.Errorf("NiceScale(%v) = %v, %v; want %v, %v", tt.peak, scale, step, tt.scale, tt.step)
		}
	}
}

func TestSVGEscapes(t *testing.T) {
	b := Bars{ID: "x", Title: `<script>&"`, Categories: []string{"a<b>\xff"}, Series: []Series{{Name: "s&t", Points: counts(1)}}}
	svg := string(b.SVG())
	if strings.Contains(svg, "<script>") || strings.Contains(svg, "<b>") {
		t.Errorf("unescaped:\n%s", svg)
	}
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Errorf("SVG: %v\n%s", err, svg)
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="x-title x-desc"`, `<title id="x-title">&lt;script&gt;&amp;&#34;</title>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %s:\n%s", want, svg)
		}
	}
}

func TestPNG(t *testing.T) {
	units := []string{"乌兰镇派出所", "棋盘井派出所", "Unit 3"}
	for _, tt := range []struct {
		name       string
		b          Bars
		wantLegend []Key
	}{
		{"Chinese categories and series", Bars{Horizontal: true, Values: true, Categories: units,
			Series: []Series{{Name: "收件", Points: counts(5, 3, 1)}, {Name: "办结", Color: "#123f73", Points: counts(4, 3, 0)}}},
			[]Key{{"A", "收件", Palette[0]}, {"B", "办结", "#123f73"}, {"1", units[0], ""}, {"2", units[1], ""}, {"3", units[2], ""}}},
		{"Latin labels stay", Bars{Categories: []string{"2021-01", "2021-02"},
			Series: []Series{{Name: "received", Points: counts(5, 3)}}}, nil},
		{"empty", Bars{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw, legend, err := tt.b.PNG()
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			d := tt.b.Layout(true)
			if got := img.Bounds().Size(); got.X != Width*Scale || got.Y != int(d.Height*Scale) {
				t.Errorf("size %v, want %dx%d", got, Width*Scale, int(d.Height*Scale))
			}
			if len(legend) != len(tt.wantLegend) {
				t.Fatalf("legend %v, want %v", legend, tt.wantLegend)
			}
			for i := range legend {
				if legend[i] != tt.wantLegend[i] {
					t.Errorf("legend[%d] = %v, want %v", i, legend[i], tt.wantLegend[i])
				}
			}
			for _, tx := range d.Texts {
				if !drawable(tx.Text) {
					t.Errorf("PNG draws %q, which the font cannot", tx.Text)
				}
			}
			// The first series' first bar is drawn in its colour.
			if bs := bars(d); len(bs) > 0 && bs[0].W > 2 && bs[0].H > 2 {
				r := bs[0]
				c := img.At(int((r.X+r.W/2)*Scale), int((r.Y+r.H/2)*Scale))
				if got, want := toHex(c), tt.b.color(0); got != want {
					t.Errorf("bar's middle is %s, want %s", got, want)
				}
			}
		})
	}
}

func toHex(c interface{ RGBA() (r, g, b, a uint32) }) string {
	r, g, b, _ := c.RGBA()
	const hex = "0123456789abcdef"
	out := []byte{'#'}
	for _, v := range []uint32{r >> 8, g >> 8, b >> 8} {
		out = append(out, hex[v>>4], hex[v&15])
	}
	return string(out)
}
