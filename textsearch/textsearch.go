// Package textsearch is minyi's one Chinese search tokenizer.
//
// The same Go code produces the terms stored by both databases, so that
// SQLite and PostgreSQL return the same rows for the same search:
//
//   - SQLite: an FTS5 column with tokenize='unicode61' (the default options)
//     holds IndexText(s), and is searched with MATCH FTS5Match(Query(q)).
//   - PostgreSQL: a tsvector column holds array_to_tsvector(Tokens(s)), and is
//     searched with @@ $1::tsquery where $1 is TSQuery(Query(q)), passed as a
//     bind parameter.
//
// Text is first folded by Normalize (NFKC, traditional → simplified Chinese
// with OpenCC t2s, lower case), so 投訴 finds 投诉, ＡＢＣ finds abc and the
// reverse. Then it is cut into runs of token characters:
//
//   - A run of Han characters (also kana, Hangul and private-use characters,
//     which GBK-era systems used for rare ideographs) is indexed as every
//     character and every overlapping pair of characters, so that one- and
//     two-character words are found (a trigram index would miss them). A
//     query needs a run's pairs, or its one character if it has only one.
//   - Any other run of letters and digits is one token, with diacritics
//     removed and cut to MaxTokenRunes runes.
//   - Everything else (punctuation, symbols, spaces, controls, combining
//     marks) separates runs and never appears in a token.
//
// The contract with unicode61: every token is exactly one unicode61 token
// that the tokenizer folds to itself, so FTS5 re-tokenizing IndexText stores
// the very strings that PostgreSQL stores. Hence a token character must be
// in a category that unicode61 keeps by default (L*, N*, Co); diacritics are
// removed here rather than left to unicode61 (which would remove them on
// the SQLite side only); final sigma is folded to σ as unicode61 folds it;
// and the few letters that SQLite's tables still class as marks are
// separators (see sqliteSeparator). For example 〇 (U+3007, Nl) and 々
// (U+3005, Lm) are Han token characters, while the middle dots · (U+00B7)
// and ・ (U+30FB) are punctuation and so separators, in SQLite and here.
// This was checked code point by code point against the unicode61 of
// SQLite 3.54.1 (modernc.org/sqlite v1.62.0) with Go's Unicode 15 tables;
// a newer Unicode in either may need the check redone. Tokens never
// contain a space, a quote or a backslash, so IndexText needs no escaping.
package textsearch

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/unicode/norm"
)

// MaxTokenRunes is the longest token, in runes, that a non-Han run yields.
const MaxTokenRunes = 32

// MaxQueryTokens is the largest number of tokens that Query returns.
const MaxQueryTokens = 32

// maxConvertPasses bounds the t2s fixpoint loop; OpenCC's data needs two
// passes at most (薴 → 苧 → 苎), the rest is a safety margin.
const maxConvertPasses = 4

// t2s builds the OpenCC converter once: it parses its dictionaries into
// tries, which takes milliseconds, far more than converting a text.
var t2s = sync.OnceValues(func() (*opencc.OpenCC, error) {
	return opencc.New("t2s")
})

func converter() *opencc.OpenCC {
	cc, err := t2s()
	if err != nil {
		// The dictionaries are embedded in the binary, so this is a
		// build defect rather than a condition callers could handle.
		panic("textsearch: cannot load the embedded OpenCC t2s converter: " + err.Error())
	}
	return cc
}

// Simplified converts the traditional Chinese in s to simplified, to show
// text in the script a reader of simplified Chinese chose. Unlike Normalize
// it keeps everything else as written: case, width, punctuation.
func Simplified(s string) string {
	if isASCII(s) {
		return s
	}
	out, err := converter().Convert(strings.ToValidUTF8(s, "\uFFFD"))
	if err != nil {
		return s
	}
	return out
}

// Normalize folds text for search: NFKC, traditional to simplified Chinese, and lower case.
//
// Invalid UTF-8 becomes U+FFFD. Normalize is idempotent although OpenCC's
// t2s is not: it maps 薴 to 苧 and 苧 to 苎, and 乾清宮 to 乾清宫 but
// 乾清宫 to 干清宫. The conversion is therefore repeated until the text no
// longer changes, so that an already simplified query folds to the same
// text as its traditional original (at the price of folding 薴 with 苧).
func Normalize(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFKC.String(s)
	s = toSimplified(s)
	s = strings.ToLower(s)
	// Lower-casing can make a base letter compose with a following mark
	// where its capital could not (W + U+030A has no precomposed form, but
	// w + U+030A is ẘ), so the result may need composing again.
	for i := 0; i < 3 && !norm.NFKC.IsNormalString(s); i++ {
		s = strings.ToLower(norm.NFKC.String(s))
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// toSimplified converts only the runs of Han characters: every key of the
// t2s dictionaries is made of Han characters, so this gives the same result
// as converting the whole string while sparing OpenCC's slow per-rune
// lookups on everything else.
func toSimplified(s string) string {
	var b strings.Builder
	start := -1 // start of the current Han run, or -1
	last := 0   // end of what has been copied to b
	for i, r := range s {
		if unicode.Is(unicode.Han, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			b.WriteString(s[last:start])
			b.WriteString(convertRun(s[start:i]))
			last, start = i, -1
		}
	}
	if start >= 0 {
		b.WriteString(s[last:start])
		b.WriteString(convertRun(s[start:]))
		last = len(s)
	}
	if last == 0 {
		return s // no Han characters: nothing was copied
	}
	b.WriteString(s[last:])
	return b.String()
}

func convertRun(run string) string {
	cc := converter()
	for range maxConvertPasses {
		out, err := cc.Convert(run)
		if err != nil {
			// Convert fails only when a dictionary is missing.
			panic("textsearch: OpenCC t2s conversion failed: " + err.Error())
		}
		if out == run {
			break
		}
		run = out
	}
	return run
}

// Tokens returns the tokens to index for s: each Han character and pair of characters, and each other word.
//
// Duplicates are kept, since FTS5 ranks by how often a term occurs.
func Tokens(s string) []string {
	var toks []string
	scanRuns(Normalize(s), func(run []rune, han bool) {
		if !han {
			toks = append(toks, string(run))
			return
		}
		for i := range run {
			toks = append(toks, string(run[i]))
			if i+1 < len(run) {
				toks = append(toks, string(run[i:i+2]))
			}
		}
	})
	return toks
}

// IndexText returns the tokens of s joined by spaces, the text stored in the FTS5 column.
func IndexText(s string) string {
	return strings.Join(Tokens(s), " ")
}

// Query returns the tokens that a text must all contain to match the search q.
//
// A Han run of one character needs that character; a longer run needs its
// pairs, which together imply its characters. Other words need the whole
// word. Duplicates are removed keeping the first, and only the first
// MaxQueryTokens tokens are kept, to bound the cost of the search. The
// result is nil when q has no token characters.
func Query(q string) []string {
	return terms(q, MaxQueryTokens, 1)
}

// Gist returns a shorter search for texts like s, for finding duplicates:
// at most max tokens, each a whole search term in the returned text.
//
// A Han run gives pairs that do not overlap, the last one overlapping when
// the run is odd, so that every character still counts (户籍窗口排队 gives
// 户籍 窗口 排队, where Query would also ask for 籍窗 and 口排); other words
// are kept whole. A text holding every term of s holds every term of its
// gist; halving the terms and capping them bounds what the index must
// intersect, which on a large archive is the cost of the search.
func Gist(s string, max int) string {
	return strings.Join(terms(s, max, 2), " ")
}

// terms cuts s into at most max distinct search terms, keeping the first:
// the pairs of each Han run starting every stride characters, plus the
// run's last pair so that every character counts (a run of one character
// gives that character), and other words whole. The result is nil when s
// has no token characters.
func terms(s string, max, stride int) []string {
	var out []string
	seen := make(map[string]bool)
	add := func(t string) {
		if len(out) < max && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	scanRuns(Normalize(s), func(run []rune, han bool) {
		if !han || len(run) == 1 {
			add(string(run))
			return
		}
		for i := 0; i+1 < len(run); i += stride {
			add(string(run[i : i+2]))
		}
		add(string(run[len(run)-2:]))
	})
	return out
}

// FTS5Match renders query tokens as an FTS5 MATCH expression requiring all of them.
//
// Each token is a double-quoted FTS5 string (a quote inside is doubled), so
// FTS5 reads it as a term and never as an operator such as AND or NEAR. It
// returns "" for no tokens, which callers must treat as "no search": an
// empty MATCH expression is a syntax error in FTS5.
func FTS5Match(tokens []string) string {
	parts := make([]string, len(tokens))
	for i, t := range tokens {
		parts[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(parts, " AND ")
}

// tsqueryEscaper doubles the two characters that are special inside a
// quoted tsquery lexeme.
var tsqueryEscaper = strings.NewReplacer(`'`, `''`, `\`, `\\`)

// TSQuery renders query tokens as a PostgreSQL tsquery literal requiring all of them.
//
// The result is meant for a bind parameter cast with ::tsquery, not for
// pasting into SQL. Each token is a quoted lexeme (so it is taken verbatim,
// without parsing or stemming) with ' and \ doubled. It returns "" for no
// tokens; callers must treat that as "no search", since an empty tsquery
// matches nothing.
func TSQuery(tokens []string) string {
	parts := make([]string, len(tokens))
	for i, t := range tokens {
		parts[i] = `'` + tsqueryEscaper.Replace(t) + `'`
	}
	return strings.Join(parts, " & ")
}

// scanRuns calls emit for each run of token characters in the normalized
// text s, with han telling which kind of run it is. Non-Han runs arrive
// with diacritics removed and cut to MaxTokenRunes. The run slice is reused
// between calls.
func scanRuns(s string, emit func(run []rune, han bool)) {
	var run []rune
	runHan := false
	flush := func() {
		if len(run) > 0 {
			if !runHan && len(run) > MaxTokenRunes {
				run = run[:MaxTokenRunes]
			}
			emit(run, runHan)
			run = run[:0]
		}
	}
	for i, r := range s {
		switch {
		case isHanToken(r):
			if !runHan {
				flush()
				runHan = true
			}
			run = append(run, r)
		case isWordToken(r):
			if runHan {
				flush()
				runHan = false
			}
			if len(run) < MaxTokenRunes { // the rest would be cut anyway
				run = appendFolded(run, r, s[i:])
			}
		default:
			flush()
		}
	}
	flush()
}

// isHanToken reports whether r belongs in a run indexed by characters and
// pairs: scripts written without spaces between words, plus private-use
// characters (see the package doc).
func isHanToken(r rune) bool {
	if r < 0x1100 {
		return false // fast path: Hangul jamo is the first of these scripts
	}
	if unicode.Is(unicode.Co, r) {
		return true
	}
	if !isTokenChar(r) {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) ||
		r == 'ー' // prolonged sound mark, script Common but inside katakana words
}

// isWordToken reports whether r belongs in a run indexed as a whole word.
func isWordToken(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return isTokenChar(r)
}

// isTokenChar reports whether r is a character that unicode61 keeps, by
// default, as part of a token.
func isTokenChar(r rune) bool {
	return unicode.In(r, unicode.L, unicode.N) && !sqliteSeparator(r)
}

// sqliteSeparator reports whether r is a letter for Go but a separator for
// unicode61, whose category table still has these as spacing marks (Mc):
// New Tai Lue vowel signs and two Vedic signs. Found by comparing every
// code point with SQLite 3.54's unicode61.
func sqliteSeparator(r rune) bool {
	return 0x19B0 <= r && r <= 0x19C0 || r == 0x19C8 || r == 0x19C9 || r == 0x1CF2 || r == 0x1CF3
}

// appendFolded appends the word character r, whose encoding starts s, as
// unicode61 would fold it, so that FTS5 stores the token unchanged:
// diacritics removed (with its default remove_diacritics=1 it would make
// SQLite find café for cafe while PostgreSQL would not), and final sigma
// case-folded to σ.
func appendFolded(run []rune, r rune, s string) []rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(run, r)
	}
	d := norm.NFD.PropertiesString(s).Decomposition()
	if d == nil {
		return append(run, foldRune(r))
	}
	for len(d) > 0 {
		c, n := utf8.DecodeRune(d)
		d = d[n:]
		if c = foldRune(c); isWordToken(c) {
			run = append(run, c)
		}
	}
	return run
}

// foldRune lower-cases r, mapping the one lower-case letter that
// unicode61's case folding changes.
func foldRune(r rune) rune {
	if r == 'ς' {
		return 'σ'
	}
	return unicode.ToLower(r)
}
