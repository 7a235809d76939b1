package pages

import (
	"html/template"
	"strings"
	"sync"
	"time"

	"minyi/archive"
	"minyi/textsearch"
	"minyi/web/core"
)

// deskShown is a question of the online desk as its page shows it: the
// texts in the reader's script with the search's terms marked, how many
// asked the same (Asked, when the store grouped the desk), and the other
// questions of a search's page asking the same (Same), shown under it once
// instead of each again.
type deskShown struct {
	Number, Kind, Unit  string
	ReceivedAt          time.Time
	AnsweredAt          *time.Time
	Title, Text, Answer template.HTML
	Asked               int
	Same                []deskSame
}

// deskSame is another question asking the same as the one shown.
type deskSame struct {
	Number     string
	ReceivedAt time.Time
}

// inScript shows text in the script the reader chose (core.View.Script).
func inScript(v *core.View, text string) string { return v.Script(text) }

// deskEntries readies a page of the desk for the reader: in their script,
// query's terms marked, and questions of the same title grouped under the
// first (the newest, or the most relevant), so that one question is shown
// once. The store groups the whole desk (archive.DeskEntry.Asked); a
// search's questions are grouped here, within its page (a search finds
// questions by their answers too, which the same question's askers need
// not share).
func deskEntries(v *core.View, units map[string]string, entries []archive.DeskEntry, query string) []deskShown {
	terms := highlightTerms(query)
	out := make([]deskShown, 0, len(entries))
	first := map[string]int{}
	for _, e := range entries {
		// Only a search's page is grouped here: the store has grouped the
		// desk, and a page of the askers of one question shows them all.
		key := ""
		if query != "" {
			key = archive.SameQuestion(e.Title)
		}
		if i, ok := first[key]; ok && key != "" {
			out[i].Same = append(out[i].Same, deskSame{Number: e.Number, ReceivedAt: e.ReceivedAt})
			continue
		}
		first[key] = len(out)
		out = append(out, deskShown{
			Number: e.Number, Kind: string(e.Kind), Unit: inScript(v, units[e.UnitCode]),
			ReceivedAt: e.ReceivedAt, AnsweredAt: e.AnsweredAt, Asked: e.Asked,
			Title:  highlight(inScript(v, e.Title), terms),
			Text:   highlight(inScript(v, e.Text), terms),
			Answer: highlight(inScript(v, e.Answer), terms),
		})
	}
	return out
}

// highlightTerms are the runes of the search's terms (textsearch.Query:
// Han pairs and single characters, other words), folded.
func highlightTerms(query string) [][]rune {
	var out [][]rune
	for _, t := range textsearch.Query(query) {
		out = append(out, []rune(t))
	}
	return out
}

// highlight escapes text and marks (<mark>) where the terms occur, each
// character compared as search folds it, so that 戶籍 is marked in 户籍;
// neighbouring and overlapping terms make one mark.
func highlight(text string, terms [][]rune) template.HTML {
	if len(terms) == 0 || text == "" {
		return template.HTML(template.HTMLEscapeString(text))
	}
	runes := []rune(text)
	folded := make([]rune, len(runes))
	for i, r := range runes {
		folded[i] = foldRune(r)
	}
	marked := make([]bool, len(runes))
	for _, t := range terms {
		for i := 0; i+len(t) <= len(folded); i++ {
			if equalRunes(folded[i:i+len(t)], t) {
				for j := i; j < i+len(t); j++ {
					marked[j] = true
				}
			}
		}
	}
	var b strings.Builder
	for i, r := range runes {
		if marked[i] && (i == 0 || !marked[i-1]) {
			b.WriteString("<mark>")
		}
		b.WriteString(template.HTMLEscapeString(string(r)))
		if marked[i] && (i == len(runes)-1 || !marked[i+1]) {
			b.WriteString("</mark>")
		}
	}
	return template.HTML(b.String())
}

// foldedRunes remembers each character as search folds it, for every page:
// folding one (OpenCC) for each character of a search's page was a fifth
// of the page's time at a million items. There are only so many
// characters.
var foldedRunes sync.Map // rune → rune

// foldRune is r as search folds it (textsearch.Normalize), r itself when
// that is not one character.
func foldRune(r rune) rune {
	if f, ok := foldedRunes.Load(r); ok {
		return f.(rune)
	}
	f := r
	if n := []rune(textsearch.Normalize(string(r))); len(n) == 1 {
		f = n[0]
	}
	foldedRunes.Store(r, f)
	return f
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}
