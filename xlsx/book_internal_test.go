package xlsx

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// escapeRef is appendText as it was first written, a byte at a time after
// sanitize: the reference its scan by classes must match. Dropping a
// character can join its neighbours into an escape of Excel's ("_x00",
// a byte that is not UTF-8, "41_"), so the escaping follows the dropping.
func escapeRef(s string) string {
	var b strings.Builder
	s = sanitize(s)
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\r':
			b.WriteString("&#xD;")
		case '_':
			if isEscapeAt(s, i) {
				b.WriteString("_x005F")
			}
			b.WriteByte('_')
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// TestAppendText: texts made of pieces a text could hold (escapes,
// controls, Chinese, other scripts, bytes that are not UTF-8, cut
// characters, U+FFFE and U+FFFF, surrogates) are escaped as the reference
// escapes them.
func TestAppendText(t *testing.T) {
	pieces := []string{"a", " ", "&", "<", ">", "\r", "\n", "\t", "_", "_x000D_", "_x00", "x", "\x01", "\x1f", "\x7f",
		"长", "户籍", "，", "（", "é", "Ж", "😀", "\u3000", "\uFF0C", "\uFFFE", "\uFFFF", "\uFFFD"[:2], "\xff", "\xe4\xb8",
		"\xe4", "\xb8", "\xed\xa0\x80", "\xef\xbf", "\xef", "\xc0\xaf", "\xf4\x90\x80\x80", "ᠮᠣᠩᠭᠣᠯ"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := string(appendText([]byte("前"), s)), "前"+escapeRef(s); got != want {
			t.Fatalf("appendText(%q) = %q, want %q", s, got, want)
		}
	}
	// U+FFFD is a character XML holds: kept, though it is also what a
	// byte that is not UTF-8 decodes as.
	if got := string(appendText(nil, "a\uFFFDb")); got != "a\uFFFDb" {
		t.Errorf("U+FFFD: %q", got)
	}
}

// TestEdgeSpace: white space at an end, past what appendText drops there
// (controls, bytes that are not UTF-8, U+FFFE, U+FFFF), is kept
// (xml:space="preserve"); and edgeSpace agrees with the written text.
func TestEdgeSpace(t *testing.T) {
	for s, want := range map[string]bool{"": false, "a": false, " a": true, "a ": true, "\ta": true, "a\n": true,
		"\ra": true, "\x01 a": true, "a \x02": true, "\x01": false, "a b": false, "\x01a\x02": false, "　a": false,
		"a \xff": true, "\xff a": true, "a\xff": false, "\xff": false, "\xff\xfe": false, "a \uFFFE": true, "\uFFFF b": true,
		"\uFFFE\uFFFF": false, "a\uFFFE": false, "a \xe4\xb8": true, "\xed\xa0\x80 a": true, "a \x01\xff\uFFFF": true,
		"\xc0\xaf\x01\uFFFE a \x7f": true, "a\x7f\xff": false, "a\uFFFD": false, "\uFFFD ": true, "两端 \xef\xbf": true} {
		if got := edgeSpace(s); got != want {
			t.Errorf("edgeSpace(%q) = %v, want %v", s, got, want)
		}
	}
	// Against what is written: random texts of the pieces appendText is
	// tested with.
	pieces := []string{"a", " ", "\t", "\n", "\r", "\x01", "\x7f", "长", "\u3000", "\uFFFE", "\uFFFF", "\uFFFD", "\xff",
		"\xe4\xb8", "\xe4", "\xb8", "\xed\xa0\x80", "\xef\xbf", "\xc0\xaf", "\xf4\x90\x80\x80", "😀"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20_000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		w := sanitize(s)
		want := w != "" && (strings.ContainsRune(" \t\n\r", rune(w[0])) || strings.ContainsRune(" \t\n\r", rune(w[len(w)-1])))
		if got := edgeSpace(s); got != want {
			t.Fatalf("edgeSpace(%q) = %v, want %v (written %q)", s, got, want, w)
		}
	}
}
