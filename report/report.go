// Package report writes the periodic summary report (工作综述) from the
// records: for a period, a unit (or the whole bureau) and optionally a
// campaign, it asks reporting for the figures every register answers
// (Service.Report and Service.Summary, the same calls as the ledger
// summary and /staff/figures) and the items' overview (rates, units ranked,
// channels, months), reads one or two outcome stories of each of the four
// concerns from the practical matters, and builds a Document in the
// source's structure. The prose comes from a text/template that admins may
// edit (Template); figures in it are spans that the renderers turn into
// links to the list that counts them.
//
// The package knows no web page and no store: the web layer renders a
// Document (Markdown, HTML, JSON here; DOCX elsewhere) and keeps the
// templates through TemplateStore.
package report

import (
	"minyi"
)

// Scripts a report is written in.
const (
	Hans = "hans" // simplified Chinese, as the default template is written
	Hant = "hant" // traditional Chinese, converted from the rendered text
)

// Langs of a report's headings and labels.
const (
	Zh = "zh"
	En = "en" // the headings and labels in English; the prose stays Chinese
)

// Spec says which report to write.
type Spec struct {
	From, To string // YYYY-MM-DD, inclusive; empty: this year (or the campaign's period)
	Unit     string // a unit's code; empty: the whole bureau
	Campaign int64  // only the ledgers' records of this campaign; 0: all
	Script   string // Hans (default) or Hant
	Lang     string // Zh (default) or En
}

// Check refuses an unknown script or language, naming the field.
func (s Spec) Check() error {
	var p minyi.Problems
	if s.Script != "" && s.Script != Hans && s.Script != Hant {
		p.Add("script", "字形只能是hans（简体）或hant（繁体）", "script must be hans or hant")
	}
	if s.Lang != "" && s.Lang != Zh && s.Lang != En {
		p.Add("lang", "语言只能是zh或en", "lang must be zh or en")
	}
	return p.Err()
}

// Figure is one figure of a report: its key ("register.key", as the ledger
// summary and the campaign targets name it), label, value and the staff
// list whose total is that figure (path and query), "" when no list
// counts exactly these records.
type Figure struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value int64  `json:"value"`
	// Unit is "‰" for a rate (Value per thousand); "" for a count.
	Unit string `json:"unit,omitempty"`
	// Text is the value as the report prints it: digits, or a percentage.
	Text string `json:"text"`
	List string `json:"list,omitempty"`
}

// Span is a piece of a paragraph: text, or a figure (Figure names its key
// and Text is its printed value).
type Span struct {
	Text   string `json:"text"`
	Figure string `json:"figure,omitempty"`
}

// Paragraph is a paragraph of prose.
type Paragraph []Span

// String is the paragraph's plain text.
func (p Paragraph) String() string {
	var n int
	for _, s := range p {
		n += len(s.Text)
	}
	b := make([]byte, 0, n)
	for _, s := range p {
		b = append(b, s.Text...)
	}
	return string(b)
}

// Table is a table of a section; cells are text.
type Table struct {
	Caption string     `json:"caption,omitempty"`
	Head    []string   `json:"head"`
	Rows    [][]string `json:"rows"`
}

// Series is one named line of values of a chart, one per label.
type Series struct {
	Name   string  `json:"name"`
	Values []int64 `json:"values"`
}

// Chart is a chart as data only: labels along one axis, one or more series
// of counts. Renderers draw it (SVG in HTML, PNG in DOCX).
type Chart struct {
	Key    string   `json:"key"` // months, units or channels
	Title  string   `json:"title"`
	Labels []string `json:"labels"`
	Series []Series `json:"series"`
}

// Section is one part of the report in the source's order.
type Section struct {
	Key        string      `json:"key"`
	Heading    string      `json:"heading"`
	Paragraphs []Paragraph `json:"paragraphs"`
	Table      *Table      `json:"table,omitempty"`
	Chart      *Chart      `json:"chart,omitempty"`
	// Stories are the outcome stories a concern's section tells (its
	// prose may quote them), with their photos.
	Stories []Story `json:"stories,omitempty"`
}

// Story is the outcome story of one done practical matter.
type Story struct {
	Matter int64  `json:"matter"`
	Title  string `json:"title"`
	Unit   string `json:"unit"` // the unit's name
	DoneOn string `json:"done_on"`
	Text   string `json:"text"`
	// Photos are the ids of the story's photos (the matter's
	// /staff/matters/{matter}/photos/{id}), for a document to show.
	Photos []int64 `json:"photos,omitempty"`
}

// Document is a written report.
type Document struct {
	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	From     string `json:"from"`
	To       string `json:"to"`
	Unit     string `json:"unit,omitempty"`
	UnitName string `json:"unit_name"` // the unit's name, or the bureau's
	Campaign int64  `json:"campaign,omitempty"`
	// CampaignName is the campaign's name when one was asked for.
	CampaignName string `json:"campaign_name,omitempty"`
	Script       string `json:"script"`
	Lang         string `json:"lang"`
	// Empty is true when no record of any register counts in the period:
	// the report says so rather than printing a page of zeros.
	Empty bool `json:"empty"`
	// TemplateVersion is the version of the template the prose comes
	// from; 0 for the built-in default.
	TemplateVersion int       `json:"template_version"`
	Sections        []Section `json:"sections"`
	// Figures are every figure of the report, in the order first used.
	Figures []Figure `json:"figures"`
}

// Figure returns the report's figure with key; ok is false when the
// report has none.
func (d Document) Figure(key string) (Figure, bool) {
	for _, f := range d.Figures {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}
