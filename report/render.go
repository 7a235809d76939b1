package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
)

// Renderers: Markdown, and HTML (a whole printable page, or its body for a
// page of the site). JSON is the Document itself.

// Markdown writes d as Markdown: headings, paragraphs with every figure
// that has a list as a link to it, tables, each chart as a table of its
// values, and the figures with their keys and lists at the end.
func Markdown(w io.Writer, d Document) error {
	var b strings.Builder
	en := d.Lang == En
	t := func(zh, e string) string {
		if en {
			return e
		}
		return zh
	}
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(d.Title))
	if d.Subtitle != "" {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(d.Subtitle))
	}
	for _, s := range d.Sections {
		if s.Heading != "" {
			fmt.Fprintf(&b, "## %s\n\n", mdEscape(s.Heading))
		}
		for _, p := range s.Paragraphs {
			for _, sp := range p {
				f, _ := d.Figure(sp.Figure)
				if sp.Figure != "" && f.List != "" {
					fmt.Fprintf(&b, "[%s](%s)", mdEscape(sp.Text), f.List)
				} else {
					b.WriteString(mdEscape(sp.Text))
				}
			}
			b.WriteString("\n\n")
		}
		if s.Table != nil {
			mdTable(&b, s.Table.Caption, s.Table.Head, s.Table.Rows)
		}
		if c := s.Chart; c != nil {
			head := append([]string{""}, c.Labels...)
			var rows [][]string
			for _, se := range c.Series {
				row := []string{se.Name}
				for _, v := range se.Values {
					row = append(row, strconv.FormatInt(v, 10))
				}
				rows = append(rows, row)
			}
			mdTable(&b, c.Title, head, rows)
		}
	}
	fmt.Fprintf(&b, "## %s\n\n", t("数据来源", "Figures"))
	var rows [][]string
	for _, f := range d.Figures {
		list := ""
		if f.List != "" {
			list = "[" + t("清单", "list") + "](" + f.List + ")"
		}
		rows = append(rows, []string{"`" + f.Key + "`", f.Label, f.Text, list})
	}
	mdTable(&b, "", []string{t("键", "Key"), t("指标", "Figure"), t("数值", "Value"), t("清单", "List")}, rows)
	_, err := io.WriteString(w, b.String())
	return err
}

// mdTable writes a Markdown table, its caption as a line of bold text.
func mdTable(b *strings.Builder, caption string, head []string, rows [][]string) {
	if caption != "" {
		fmt.Fprintf(b, "**%s**\n\n", mdEscape(caption))
	}
	cell := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
	b.WriteString("|")
	for _, h := range head {
		b.WriteString(" " + cell(h) + " |")
	}
	b.WriteString("\n|")
	for range head {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("|")
		for _, c := range r {
			b.WriteString(" " + cell(c) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// mdEscape escapes the characters Markdown would read as markup.
var mdEscape = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "`", "\\`", "#", `\#`, "<", "&lt;", ">", "&gt;").Replace

//go:embed report.html
var htmlText string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"figure":   func(d Document, key string) Figure { f, _ := d.Figure(key); return f },
	"printcss": PrintCSS,
	"t": func(d Document, zh, en string) string {
		if d.Lang == En {
			return en
		}
		return zh
	},
}).Parse(htmlText))

// htmlData is what the HTML template reads.
type htmlData struct {
	D    Document
	Lang string
}

// HTML writes d as a whole printable HTML page: A4, page numbers where
// the browser supports them, no buttons when printed; every figure that has
// a list links to it; charts as SVG (package chart) with their values in a
// table beside.
func HTML(w io.Writer, d Document) error {
	return htmlTemplate.ExecuteTemplate(w, "page", htmlData{D: d, Lang: htmlLang(d)})
}

// HTMLBody is the report's body for a page of the site, which brings its
// own head and styles.
func HTMLBody(d Document) (template.HTML, error) {
	var buf bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&buf, "body", htmlData{D: d, Lang: htmlLang(d)}); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // html/template escaped it
}

// PrintCSS are the report's print styles, for a page of the site too.
func PrintCSS() template.CSS {
	return template.CSS(printCSS)
}

const printCSS = `@page { size: A4; margin: 20mm 18mm 22mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
@media print { .no-print, nav, header, footer, button, form { display: none !important; } .report a { color: inherit; text-decoration: none; } .report section { break-inside: auto; } .report h2 { break-after: avoid; } .report table, .report figure { break-inside: avoid; } }`

func htmlLang(d Document) string {
	switch {
	case d.Lang == En:
		return "en"
	case d.Script == Hant:
		return "zh-Hant"
	}
	return "zh-Hans"
}
