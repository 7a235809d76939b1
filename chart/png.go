package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Scale is how many PNG pixels a unit of the layout takes: 720 units become
// 1,440 pixels, sharp when printed across an A4 page's text width.
const Scale = 2

var goRegular = sync.OnceValues(func() (*sfnt.Font, error) { return opentype.Parse(goregular.TTF) })

// drawable tells whether the Go font has a glyph for every character of s.
func drawable(s string) bool {
	f, err := goRegular()
	if err != nil {
		return false
	}
	var buf sfnt.Buffer
	for _, r := range s {
		if r == ' ' {
			continue
		}
		if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
			return false
		}
	}
	return true
}

// PNG draws the chart as a PNG image of Width×Scale pixels across, for a
// document; legend says what the codes drawn instead of labels the font
// cannot draw stand for (empty when there are none). The title is not drawn:
// the document captions the image with it.
func (b Bars) PNG() (img []byte, legend []Key, err error) {
	d := b.Layout(true)
	img, err = d.PNG()
	return img, d.Legend, err
}

// PNG draws the drawing on white at Scale pixels per unit.
func (d Drawing) PNG() ([]byte, error) {
	f, err := goRegular()
	if err != nil {
		return nil, fmt.Errorf("chart: the Go font: %w", err)
	}
	w, h := int(d.Width*Scale), int(d.Height*Scale)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	// Every shape is a rectangle along the axes: filled whole pixels, at
	// Scale pixels per unit sharp enough without anti-aliasing.
	fill := func(x, y, rw, rh float64, c color.Color) {
		if rw <= 0 || rh <= 0 {
			return
		}
		r := image.Rect(int(math.Round(x*Scale)), int(math.Round(y*Scale)), int(math.Round((x+rw)*Scale)), int(math.Round((y+rh)*Scale)))
		draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Src)
	}
	grid := hexColor(gridColor)
	for _, l := range d.Lines {
		// Grid lines run along an axis: a rectangle one unit thick.
		fill(min(l.X1, l.X2)-0.5, min(l.Y1, l.Y2)-0.5, max(l.X1, l.X2)-min(l.X1, l.X2)+1, max(l.Y1, l.Y2)-min(l.Y1, l.Y2)+1, grid)
	}
	for _, r := range d.Rects {
		fill(r.X, r.Y, r.W, r.H, hexColor(r.Fill))
	}
	faces := map[float64]font.Face{}
	defer func() {
		for _, face := range faces {
			face.Close()
		}
	}()
	for _, t := range d.Texts {
		face, ok := faces[t.Size]
		if !ok {
			if face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: t.Size * Scale, DPI: 72, Hinting: font.HintingFull}); err != nil {
				return nil, fmt.Errorf("chart: the Go font at %v: %w", t.Size, err)
			}
			faces[t.Size] = face
		}
		c := hexColor(ink)
		if t.Class == "axis" {
			c = hexColor(muted)
		}
		dr := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face}
		x := fixed.Int26_6(t.X * Scale * 64)
		switch adv := dr.MeasureString(t.Text); t.Anchor {
		case "middle":
			x -= adv / 2
		case "end":
			x -= adv
		}
		dr.Dot = fixed.Point26_6{X: x, Y: fixed.Int26_6(t.Y * Scale * 64)}
		dr.DrawString(t.Text)
	}
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, dst); err != nil {
		return nil, fmt.Errorf("chart: encoding the PNG: %w", err)
	}
	return out.Bytes(), nil
}

// hexColor reads #rrggbb; anything else is grey.
func hexColor(s string) color.Color {
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
		}
	}
	return color.RGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
}
