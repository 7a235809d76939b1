// Package docx writes Word documents (.docx, Office Open XML
// WordprocessingML) from a small document model: a title, headings, paragraphs
// of runs (plain, bold, hyperlinks), tables, PNG images with captions, and
// page breaks, on A4 with page numbers in the footer.
//
// The package is a dozen XML parts in a zip archive, written with the
// standard library: no maintained Go library writes .docx under a licence we
// can ship, and the part we need is small and well specified (ECMA-376).
// Every part is written so that Word, WPS and LibreOffice open it: East
// Asian text in 宋体 (headings in 黑体) with their English names as
// fallbacks, every text escaped and stripped of the control characters XML
// cannot carry, and hyperlinks only to absolute http(s) or mailto addresses.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/jpeg" // photos
	_ "image/png"  // charts
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ContentType is the media type of a .docx file.
const ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// Document is what Write writes.
type Document struct {
	// Title opens the document in the title style and names it in its
	// properties.
	Title string
	// Author and Created go into the document's properties.
	Author  string
	Created time.Time
	Blocks  []Block
}

// Block is a heading, a paragraph, a table, an image or a page break.
type Block interface{ block() }

// Heading is a heading of level 1 to 3 (others are taken as the nearest).
type Heading struct {
	Level int
	Text  string
}

// Paragraph is a paragraph of runs.
type Paragraph struct {
	Runs []Run
	// Center centres it (a caption, a signature line).
	Center bool
}

// Run is a piece of text in one format. A line break in Text breaks the
// line; Link makes it a hyperlink when it is an absolute http, https or
// mailto address (anything else stays plain text: Word refuses a document
// whose link it cannot parse).
type Run struct {
	Text string
	Bold bool
	Link string
}

// Table is a table with a header row, repeated at the top of each page it
// runs onto, and borders on every cell.
type Table struct {
	Header []string
	Rows   [][]string
	// Widths are the columns' shares of the text width, in any unit; empty
	// shares it evenly.
	Widths []float64
	// Caption is printed above the table.
	Caption string
}

// Image is a PNG or JPEG picture on a line of its own.
type Image struct {
	Data []byte
	// WidthMM is its printed width in millimetres; 0 or more than the text
	// width fills the text width. The height keeps the picture's aspect.
	WidthMM float64
	// Alt describes it to readers who cannot see it.
	Alt string
	// Caption is printed under it.
	Caption string
}

// PageBreak starts a new page.
type PageBreak struct{}

func (Heading) block()   {}
func (Paragraph) block() {}
func (Table) block()     {}
func (Image) block()     {}
func (PageBreak) block() {}

// Text is a paragraph of one plain run.
func Text(s string) Paragraph { return Paragraph{Runs: []Run{{Text: s}}} }

// A4 in twentieths of a point (twips), with the margins Word uses for A4
// in China: 2.54 cm top and bottom, 3.17 cm left and right.
const (
	pageW, pageH       = 11906, 16838
	marginTB, marginLR = 1440, 1797
	textW              = pageW - 2*marginLR // twips
	emuPerTwip         = 635
	emuPerMM           = 36000
	bodyFont, headFont = "宋体", "黑体"
	bodyAlt, headAlt   = "SimSun", "SimHei"
	latinFont          = "Times New Roman"
)

// Write writes d as a .docx to w. It fails only on an image that is neither
// PNG nor JPEG, or when w does.
func Write(w io.Writer, d Document) error {
	p := &pkg{}
	body, err := p.body(d)
	if err != nil {
		return err
	}
	z := zip.NewWriter(w)
	parts := []struct{ name, text string }{
		{"[Content_Types].xml", p.contentTypes()},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", coreProps(d)},
		{"docProps/app.xml", appProps},
		{"word/document.xml", body},
		{"word/_rels/document.xml.rels", p.documentRels()},
		{"word/styles.xml", styles},
		{"word/settings.xml", settings},
		{"word/fontTable.xml", fontTable},
		{"word/footer1.xml", footer},
	}
	for _, part := range parts {
		f, err := z.Create(part.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, part.text); err != nil {
			return err
		}
	}
	for i, img := range p.images {
		// Both formats are compressed already.
		f, err := z.CreateHeader(&zip.FileHeader{Name: "word/media/" + p.imageName(i), Method: zip.Store})
		if err != nil {
			return err
		}
		if _, err := f.Write(img.data); err != nil {
			return err
		}
	}
	return z.Close()
}

// Bytes is Write into memory.
func Bytes(d Document) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// pkg collects what document.xml refers to: images and links, each a
// relationship of the document part.
type pkg struct {
	images []media
	links  []string
}

// media is an image's bytes and its file extension (png, jpeg).
type media struct {
	data []byte
	ext  string
}

func (p *pkg) imageName(i int) string { return "image" + strconv.Itoa(i+1) + "." + p.images[i].ext }

// rel ids: rId1–rId3 are fixed parts, then the images, then the links.
func (p *pkg) imageID(i int) string { return "rIdImg" + strconv.Itoa(i+1) }
func (p *pkg) linkID(i int) string  { return "rIdLink" + strconv.Itoa(i+1) }

func (p *pkg) contentTypes() string {
	return xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Default Extension="png" ContentType="image/png"/>` +
		`<Default Extension="jpeg" ContentType="image/jpeg"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
		`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
		`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
		`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
		`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
		`</Types>`
}

const relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

const rootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relNS + `/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

func (p *pkg) documentRels() string {
	var b strings.Builder
	b.WriteString(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	b.WriteString(`<Relationship Id="rId1" Type="` + relNS + `/styles" Target="styles.xml"/>`)
	b.WriteString(`<Relationship Id="rId2" Type="` + relNS + `/settings" Target="settings.xml"/>`)
	b.WriteString(`<Relationship Id="rId3" Type="` + relNS + `/fontTable" Target="fontTable.xml"/>`)
	b.WriteString(`<Relationship Id="rId4" Type="` + relNS + `/footer" Target="footer1.xml"/>`)
	for i := range p.images {
		b.WriteString(`<Relationship Id="` + p.imageID(i) + `" Type="` + relNS + `/image" Target="media/` + p.imageName(i) + `"/>`)
	}
	for i, l := range p.links {
		b.WriteString(`<Relationship Id="` + p.linkID(i) + `" Type="` + relNS + `/hyperlink" Target="` + attr(l) + `" TargetMode="External"/>`)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

func coreProps(d Document) string {
	created := d.Created
	if created.IsZero() {
		created = time.Now()
	}
	ts := created.UTC().Format(time.RFC3339)
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + text(d.Title) + `</dc:title><dc:creator>` + text(d.Author) + `</dc:creator>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:modified>` +
		`</cp:coreProperties>`
}

const appProps = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
	`<Application>minyi</Application></Properties>`

const docNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`

// body writes document.xml, collecting images and links.
func (p *pkg) body(d Document) (string, error) {
	var b strings.Builder
	b.WriteString(xml.Header + `<w:document ` + docNS + `><w:body>`)
	if d.Title != "" {
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>` + run(d.Title, false, "") + `</w:p>`)
	}
	for i, bl := range d.Blocks {
		switch bl := bl.(type) {
		case Heading:
			level := min(max(bl.Level, 1), 3)
			b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Heading` + strconv.Itoa(level) + `"/></w:pPr>` + run(bl.Text, false, "") + `</w:p>`)
		case Paragraph:
			p.paragraph(&b, bl)
		case Table:
			p.table(&b, bl)
		case Image:
			if err := p.image(&b, bl); err != nil {
				return "", fmt.Errorf("docx: block %d: %w", i+1, err)
			}
		case PageBreak:
			b.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		case nil:
		default:
			return "", fmt.Errorf("docx: block %d: unknown block %T", i+1, bl)
		}
	}
	b.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>` +
		`<w:pgSz w:w="` + strconv.Itoa(pageW) + `" w:h="` + strconv.Itoa(pageH) + `"/>` +
		`<w:pgMar w:top="` + strconv.Itoa(marginTB) + `" w:right="` + strconv.Itoa(marginLR) + `" w:bottom="` + strconv.Itoa(marginTB) +
		`" w:left="` + strconv.Itoa(marginLR) + `" w:header="851" w:footer="992" w:gutter="0"/>` +
		`<w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return b.String(), nil
}

func (p *pkg) paragraph(b *strings.Builder, para Paragraph) {
	b.WriteString(`<w:p>`)
	if para.Center {
		b.WriteString(`<w:pPr>` + noIndent + `<w:jc w:val="center"/></w:pPr>`)
	}
	for _, r := range para.Runs {
		if link := safeLink(r.Link); link != "" {
			p.links = append(p.links, link)
			b.WriteString(`<w:hyperlink r:id="` + p.linkID(len(p.links)-1) + `" w:history="1">` + run(r.Text, r.Bold, "Hyperlink") + `</w:hyperlink>`)
			continue
		}
		b.WriteString(run(r.Text, r.Bold, ""))
	}
	b.WriteString(`</w:p>`)
}

// noIndent takes back body text's first-line indent, for what is centred:
// indented, a centred line sits off centre, and a picture as wide as the
// text runs into the margin.
const noIndent = `<w:ind w:firstLineChars="0" w:firstLine="0"/>`

// safeLink is link if Word can follow it: absolute http, https or mailto.
func safeLink(link string) string {
	u, err := url.Parse(link)
	if link == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") || (u.Scheme != "mailto" && u.Host == "") {
		return ""
	}
	return u.String()
}

// run writes text in one format; line breaks become breaks, tabs tabs.
func run(s string, bold bool, style string) string {
	var b strings.Builder
	b.WriteString(`<w:r>`)
	if bold || style != "" {
		b.WriteString(`<w:rPr>`)
		if style != "" {
			b.WriteString(`<w:rStyle w:val="` + style + `"/>`)
		}
		if bold {
			b.WriteString(`<w:b/><w:bCs/>`)
		}
		b.WriteString(`</w:rPr>`)
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		for j, piece := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString(`<w:tab/>`)
			}
			if piece != "" {
				b.WriteString(`<w:t xml:space="preserve">` + text(piece) + `</w:t>`)
			}
		}
	}
	b.WriteString(`</w:r>`)
	return b.String()
}

func (p *pkg) table(b *strings.Builder, t Table) {
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	if t.Caption != "" {
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Caption"/><w:keepNext/></w:pPr>` + run(t.Caption, false, "") + `</w:p>`)
	}
	widths := make([]int, cols)
	total := 0.0
	for i := range cols {
		if i < len(t.Widths) && t.Widths[i] > 0 {
			total += t.Widths[i]
		}
	}
	for i := range widths {
		if total > 0 && i < len(t.Widths) && t.Widths[i] > 0 {
			widths[i] = int(float64(textW) * t.Widths[i] / total)
		} else {
			widths[i] = textW / cols
		}
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="` + strconv.Itoa(sum(widths)) + `" w:type="dxa"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>` +
		`<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, header bool) {
		b.WriteString(`<w:tr>`)
		if header {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for i := range cols {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(widths[i]) + `" w:type="dxa"/>`)
			if header {
				b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="E7ECF2"/>`)
			}
			b.WriteString(`</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>` + run(c, header, "") + `</w:p></w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	if len(t.Header) > 0 {
		row(t.Header, true)
	}
	for _, r := range t.Rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
	// Word joins two tables in a row into one; a paragraph keeps them apart.
	b.WriteString(`<w:p/>`)
}

func sum(ns []int) (s int) {
	for _, n := range ns {
		s += n
	}
	return s
}

func (p *pkg) image(b *strings.Builder, img Image) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(img.Data))
	if err != nil || (format != "png" && format != "jpeg") {
		return fmt.Errorf("image is neither PNG nor JPEG (%s): %v", format, err)
	}
	if cfg.Width == 0 || cfg.Height == 0 {
		return fmt.Errorf("image has no pixels")
	}
	cx := int64(textW) * emuPerTwip
	if img.WidthMM > 0 {
		cx = min(cx, int64(img.WidthMM*emuPerMM))
	}
	cy := cx * int64(cfg.Height) / int64(cfg.Width)
	p.images = append(p.images, media{img.Data, format})
	n := len(p.images)
	id, ext := strconv.Itoa(n), `cx="`+strconv.FormatInt(cx, 10)+`" cy="`+strconv.FormatInt(cy, 10)+`"`
	alt := attr(img.Alt)
	b.WriteString(`<w:p><w:pPr><w:keepNext/>` + noIndent + `<w:jc w:val="center"/></w:pPr><w:r><w:drawing>` +
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent ` + ext + `/><wp:effectExtent l="0" t="0" r="0" b="0"/>` +
		`<wp:docPr id="` + id + `" name="图片 ` + id + `" descr="` + alt + `"/>` +
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>` +
		`<pic:nvPicPr><pic:cNvPr id="` + id + `" name="` + p.imageName(n-1) + `" descr="` + alt + `"/><pic:cNvPicPr/></pic:nvPicPr>` +
		`<pic:blipFill><a:blip r:embed="` + p.imageID(n-1) + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext ` + ext + `/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
	if img.Caption != "" {
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Caption"/><w:jc w:val="center"/></w:pPr>` + run(img.Caption, false, "") + `</w:p>`)
	}
	return nil
}
