package report

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // photos may be GIF or WebP: a .docx wants PNG or JPEG
	"image/png"
	"io"

	_ "golang.org/x/image/webp"

	"minyi/docx"
)

// DOCXOptions give DOCX what the document does not hold.
type DOCXOptions struct {
	// Link makes a figure's list (a path and query on the site) a link
	// a reader of the file can follow (absolute); nil links nothing.
	Link func(list string) string
	// Photo reads a photo of a story's matter; nil shows no photos.
	Photo func(matter, photo int64) ([]byte, error)
}

// photoWidthMM is the printed width of a story's photo: two thirds of the
// text width, so a portrait photo stays on the page with its story.
const photoWidthMM = 100

// DOCX writes d as a Word document: the title and period, each section's
// heading, prose (figures in bold, linked to their lists), table, chart (a
// PNG whose bars are labelled by codes where the image cannot draw Chinese,
// with the table of codes under it) and the photos of its stories, then the
// figures with their keys.
func DOCX(w io.Writer, d Document, o DOCXOptions) error {
	t := func(zh, en string) string {
		if d.Lang == En {
			return en
		}
		return zh
	}
	doc := docx.Document{Title: d.Title, Author: d.UnitName}
	if d.Subtitle != "" {
		doc.Blocks = append(doc.Blocks, docx.Paragraph{Runs: []docx.Run{{Text: d.Subtitle}}, Center: true})
	}
	for _, s := range d.Sections {
		if s.Heading != "" {
			doc.Blocks = append(doc.Blocks, docx.Heading{Level: 1, Text: s.Heading})
		}
		for _, p := range s.Paragraphs {
			var runs []docx.Run
			for _, sp := range p {
				r := docx.Run{Text: sp.Text}
				if sp.Figure != "" {
					r.Bold = true
					if f, _ := d.Figure(sp.Figure); f.List != "" && o.Link != nil {
						r.Link = o.Link(f.List)
					}
				}
				runs = append(runs, r)
			}
			doc.Blocks = append(doc.Blocks, docx.Paragraph{Runs: runs})
		}
		if s.Table != nil {
			doc.Blocks = append(doc.Blocks, docx.Table{Caption: s.Table.Caption, Header: s.Table.Head, Rows: s.Table.Rows})
		}
		if c := s.Chart; c != nil {
			bars := c.Bars()
			img, legend, err := bars.PNG()
			if err != nil {
				return fmt.Errorf("report: the chart %s: %w", c.Key, err)
			}
			doc.Blocks = append(doc.Blocks, docx.Image{Data: img, Alt: c.Title + "。" + bars.Desc, Caption: c.Title})
			if len(legend) > 0 {
				key := docx.Table{Header: []string{t("图中代号", "Code"), t("含义", "Stands for")}, Widths: []float64{1, 4}}
				for _, k := range legend {
					key.Rows = append(key.Rows, []string{k.Code, k.Label})
				}
				doc.Blocks = append(doc.Blocks, key)
			}
		}
		if o.Photo != nil {
			for _, st := range s.Stories {
				for _, id := range st.Photos {
					data, err := o.Photo(st.Matter, id)
					if err != nil {
						return fmt.Errorf("report: photo %d of matter %d: %w", id, st.Matter, err)
					}
					// The matters judge a photo's type by its first bytes
					// only; one no decoder can read is left out rather
					// than refusing the whole report.
					if data, err = docxPhoto(data); err != nil {
						continue
					}
					doc.Blocks = append(doc.Blocks, docx.Image{Data: data, WidthMM: photoWidthMM, Alt: st.Title, Caption: st.Unit + "：" + st.Title})
				}
			}
		}
	}
	figures := docx.Table{Header: []string{t("指标", "Figure"), t("键", "Key"), t("数值", "Value")}, Widths: []float64{4, 3, 1.4}}
	for _, f := range d.Figures {
		figures.Rows = append(figures.Rows, []string{f.Label, f.Key, f.Text})
	}
	doc.Blocks = append(doc.Blocks, docx.Heading{Level: 1, Text: t("数据来源", "Figures")}, figures)
	return docx.Write(w, doc)
}

// docxPhoto is a photo as a .docx can hold it: JPEG and PNG as they are,
// GIF and WebP (which the matters accept too) redrawn as PNG.
func docxPhoto(data []byte) ([]byte, error) {
	_, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if format == "jpeg" || format == "png" {
		return data, nil
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
