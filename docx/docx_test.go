package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/internal/officetest"
)

// testPNG is a w×h PNG.
func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, h/2, color.RGBA{R: 0x0b, G: 0x57, B: 0xa4, A: 0xff})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sample has every kind of block, Chinese text, characters XML must escape
// and control characters it cannot carry.
func sample(t *testing.T) Document {
	return Document{
		Title: "鄂托克旗公安局工作综述", Author: "minyi", Created: time.Date(2021, 11, 2, 9, 0, 0, 0, time.UTC),
		Blocks: []Block{
			Heading{Level: 1, Text: "一、矛盾纠纷排查化解"},
			Paragraph{Runs: []Run{{Text: "累计排查矛盾纠纷"}, {Text: "173", Bold: true}, {Text: "起，已化解矛盾纠纷156起。"}}},
			Heading{Level: 2, Text: "（一）分项"},
			Heading{Level: 7, Text: "第三级"},
			Paragraph{Runs: []Run{{Text: "见", Link: ""}, {Text: "纠纷台账", Link: "https://minyi.example/staff/disputes?from=2021-01-01&to=2021-11-02"},
				{Text: "与站内链接", Link: "/staff/disputes"}, {Text: "脚本", Link: "javascript:alert(1)"}}},
			Paragraph{Runs: []Run{{Text: "a<b>&\"c\" 'd'\x00\x01\x0b\ufffe 第二行\n第三行\t制表"}}},
			Table{Caption: "表1 各单位", Header: []string{"单位", "排查", "化解"},
				Rows: [][]string{{"乌兰镇派出所", "173", "156"}, {"棋盘井派出所"}, {"a", "b", "c", "多出的一格"}}, Widths: []float64{2, 1}},
			Table{},
			Image{Data: testPNG(t, 400, 100), WidthMM: 120, Alt: "各月收件<图>", Caption: "图1 各月收件、答复、办结"},
			PageBreak{},
			Image{Data: testJPEG(t, 2000, 1000)},
			Text("完"),
		},
	}
}

func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type unpacked map[string][]byte

func unzip(t *testing.T, b []byte) unpacked {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := unpacked{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if out[f.Name], err = io.ReadAll(r); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	return out
}

// elements are the elements of an XML part, in order.
func elements(t *testing.T, name string, b []byte) (out []xml.StartElement) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for tok, err := d.Token(); err != io.EOF; tok, err = d.Token() {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if e, ok := tok.(xml.StartElement); ok {
			out = append(out, e.Copy())
		}
	}
	return out
}

type rels struct {
	Rels []struct {
		ID         string `xml:"Id,attr"`
		Target     string `xml:",attr"`
		TargetMode string `xml:",attr"`
	} `xml:"Relationship"`
}

func TestWriteParts(t *testing.T) {
	b, err := Bytes(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	// XMLText parses every part; the elements are read again here.
	docText, files := officetest.XMLText(t, b)
	elems := map[string][]xml.StartElement{}
	for name, data := range files {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			elems[name] = elements(t, name, data)
		}
	}

	t.Run("content types", func(t *testing.T) {
		var ct struct {
			Defaults []struct {
				Extension string `xml:",attr"`
			} `xml:"Default"`
			Overrides []struct {
				PartName string `xml:",attr"`
			} `xml:"Override"`
		}
		if err := xml.Unmarshal(files["[Content_Types].xml"], &ct); err != nil {
			t.Fatal(err)
		}
		typed := map[string]bool{}
		for _, d := range ct.Defaults {
			typed["."+d.Extension] = true
		}
		for _, o := range ct.Overrides {
			if _, ok := files[strings.TrimPrefix(o.PartName, "/")]; !ok {
				t.Errorf("content type for %s, which is not in the package", o.PartName)
			}
			typed["/"+strings.TrimPrefix(o.PartName, "/")] = true
		}
		for name := range files {
			if name != "[Content_Types].xml" && !typed["/"+name] && !typed[path.Ext(name)] {
				t.Errorf("%s has no content type", name)
			}
		}
	})

	t.Run("relationships resolve", func(t *testing.T) {
		ids := map[string]map[string]bool{}
		for name, data := range files {
			if !strings.HasSuffix(name, ".rels") {
				continue
			}
			var r rels
			if err := xml.Unmarshal(data, &r); err != nil {
				t.Fatal(err)
			}
			// _rels/.rels is the package's; word/_rels/document.xml.rels
			// is word/document.xml's, its targets relative to word/.
			source := path.Join(path.Dir(path.Dir(name)), strings.TrimSuffix(path.Base(name), ".rels"))
			ids[source] = map[string]bool{}
			for _, rel := range r.Rels {
				if ids[source][rel.ID] {
					t.Errorf("%s: id %s twice", name, rel.ID)
				}
				ids[source][rel.ID] = true
				if rel.TargetMode == "External" {
					if !strings.HasPrefix(rel.Target, "https://") {
						t.Errorf("%s: external target %q", name, rel.Target)
					}
					continue
				}
				if _, ok := files[path.Join(path.Dir(source), rel.Target)]; !ok {
					t.Errorf("%s: %s points to %s, not in the package", name, rel.ID, rel.Target)
				}
			}
		}
		for _, part := range []string{"word/document.xml", "word/footer1.xml"} {
			for _, e := range elems[part] {
				for _, a := range e.Attr {
					if a.Name.Space == relNS && !ids[part][a.Value] {
						t.Errorf("%s: <%s r:%s=%q> has no relationship", part, e.Name.Local, a.Name.Local, a.Value)
					}
				}
			}
		}
		if n := len(ids["word/document.xml"]); n != 4+2+1 {
			t.Errorf("document has %d relationships, want 4 parts, 2 images and 1 link (the relative and javascript: links stay text)", n)
		}
	})

	t.Run("text", func(t *testing.T) {
		got := docText
		for _, want := range []string{"鄂托克旗公安局工作综述", "累计排查矛盾纠纷173起", "纠纷台账与站内链接脚本",
			`a<b>&"c" 'd' 第二行第三行制表`, "乌兰镇派出所\n173\n156", "多出的一格", "图1 各月收件、答复、办结", "完"} {
			if !strings.Contains(got, want) {
				t.Errorf("document text lacks %q:\n%s", want, got)
			}
		}
		if strings.ContainsAny(got, "\x00\x01\x0b\ufffe") {
			t.Error("control characters kept")
		}
		if !bytes.Contains(files["docProps/core.xml"], []byte("<dc:title>鄂托克旗公安局工作综述</dc:title>")) {
			t.Error("title not in the core properties")
		}
		if !bytes.Contains(files["word/footer1.xml"], []byte(`w:instr=" PAGE "`)) {
			t.Error("no page number in the footer")
		}
	})

	t.Run("structure", func(t *testing.T) {
		count := map[string]int{}
		styles := map[string]int{}
		var extents [][2]int
		for _, e := range elems["word/document.xml"] {
			count[e.Name.Local]++
			for _, a := range e.Attr {
				switch {
				case e.Name.Local == "pStyle" && a.Name.Local == "val":
					styles[a.Value]++
				case e.Name.Local == "extent" && a.Name.Local == "cx":
					cx, _ := strconv.Atoi(a.Value)
					extents = append(extents, [2]int{cx, 0})
				case e.Name.Local == "extent" && a.Name.Local == "cy":
					extents[len(extents)-1][1], _ = strconv.Atoi(a.Value)
				}
			}
		}
		for name, want := range map[string]int{"tbl": 1, "tblHeader": 1, "tr": 4, "tc": 16, "drawing": 2, "hyperlink": 1, "br": 2, "tab": 1, "pgSz": 1, "footerReference": 1} {
			if count[name] != want {
				t.Errorf("%d <w:%s>, want %d", count[name], name, want)
			}
		}
		for name, want := range map[string]int{"Title": 1, "Heading1": 1, "Heading2": 1, "Heading3": 1, "Caption": 2, "TableText": 16} {
			if styles[name] != want {
				t.Errorf("%d paragraphs of style %s, want %d", styles[name], name, want)
			}
		}
		// 120 mm wide, a quarter as high; the wide image fills the text
		// width (A4 less the margins), half as high.
		want := [][2]int{{120 * emuPerMM, 30 * emuPerMM}, {textW * emuPerTwip, textW * emuPerTwip / 2}}
		if len(extents) != 2 || extents[0] != want[0] || extents[1] != want[1] {
			t.Errorf("image extents %v, want %v", extents, want)
		}
		// Centred pictures do not take body text's first-line indent.
		if n := strings.Count(string(files["word/document.xml"]), `<w:keepNext/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>`); n != 2 {
			t.Errorf("%d pictures without an indent, want 2", n)
		}
		// Every style the document uses is defined.
		defined := map[string]bool{}
		for _, e := range elems["word/styles.xml"] {
			for _, a := range e.Attr {
				if e.Name.Local == "style" && a.Name.Local == "styleId" {
					defined[a.Value] = true
				}
			}
		}
		for s := range styles {
			if !defined[s] {
				t.Errorf("style %s is used but not defined", s)
			}
		}
		if !bytes.Contains(files["word/styles.xml"], []byte(`w:eastAsia="宋体"`)) || !bytes.Contains(files["word/fontTable.xml"], []byte(`<w:altName w:val="SimSun"/>`)) {
			t.Error("no East Asian font with its fallback")
		}
	})
}

func TestWriteRefusesABadImage(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not an image", []byte("%PDF-1.4")},
		{"GIF", gifBytes(t)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Bytes(Document{Blocks: []Block{Text("a"), Image{Data: tt.data}}})
			if err == nil || !strings.Contains(err.Error(), "block 2") {
				t.Errorf("err = %v, want one naming block 2", err)
			}
		})
	}
}

// TestLibreOffice has LibreOffice open the document and read its text back,
// and keep its images.
func TestLibreOffice(t *testing.T) {
	officetest.Require(t)
	b, err := Bytes(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("text", func(t *testing.T) {
		got := officetest.Text(t, b)
		for _, want := range []string{"鄂托克旗公安局工作综述", "一、矛盾纠纷排查化解", "累计排查矛盾纠纷173起，已化解矛盾纠纷156起。",
			"纠纷台账", "第二行", "乌兰镇派出所", "棋盘井派出所", "多出的一格", "图1 各月收件、答复、办结", "完"} {
			if !strings.Contains(got, want) {
				t.Errorf("LibreOffice's text lacks %q:\n%s", want, got)
			}
		}
	})
	t.Run("images", func(t *testing.T) {
		odt := unzip(t, officetest.Convert(t, b, "docx", "odt", "odt"))
		n := 0
		for name := range odt {
			if strings.HasPrefix(name, "Pictures/") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("LibreOffice kept %d pictures, want 2", n)
		}
		if !bytes.Contains(odt["content.xml"], []byte("各月收件&lt;图&gt;")) {
			t.Error("LibreOffice lost the image's description")
		}
	})
}
