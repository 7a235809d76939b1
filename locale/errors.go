package locale

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// The services' errors carry their text in Chinese and English
// (minyi.FieldError, minyi.Errorf's "中文 / English"), written where the
// error is found. Their Mongolian texts live apart, in errors.json, keyed by
// the Chinese text, so that no service changes for a fourth language: the
// pages look the Chinese text up when they render for a Mongolian reader.
// A text the code fills in is keyed by its format ("第%s行须有中文名") and
// matched as a pattern; the values stay as they came, except a value that is
// itself a known text (a field's Chinese name), which is translated too.
//
// TestErrorTexts reads the source for every error text and fails on one
// without a Mongolian entry.

// errorEntry is one Mongolian error text in errors.json.
type errorEntry struct {
	Mn string `json:"mn"`
	// MnReview is "machine" for a draft and "ok" once reviewed, as in the
	// message catalogue.
	MnReview string `json:"mn_review"`
}

// errorPattern is an errors.json text with verbs, matched against a
// rendered text.
type errorPattern struct {
	re *regexp.Regexp
	mn string
	// literal counts the pattern's own characters: the more, the more
	// specific, and the earlier it is tried.
	literal int
	// longest is the pattern's longest run of own text, which a text must
	// contain to match: a cheap test before the regular expression.
	longest string
}

// match returns the values of the pattern's verbs in zh, or nil.
func (p errorPattern) match(zh string) []string {
	if !strings.Contains(zh, p.longest) {
		return nil
	}
	return p.re.FindStringSubmatch(zh)
}

func loadErrors(c *Catalog) error {
	b, err := files.ReadFile("errors.json")
	if err != nil {
		return err
	}
	var entries map[string]errorEntry
	if err := json.Unmarshal(b, &entries); err != nil {
		return fmt.Errorf("errors.json: %w", err)
	}
	c.errors = make(map[string]string, len(entries))
	c.exactErrors = make(map[string]string, len(entries))
	for zh, e := range entries {
		if e.Mn == "" {
			return fmt.Errorf("errors.json: %q has no Mongolian text", zh)
		}
		switch e.MnReview {
		case ReviewOK:
		case ReviewMachine, "":
			c.unreviewedErrors = append(c.unreviewedErrors, zh)
		default:
			return fmt.Errorf("errors.json: %q has mn_review %q, want %q or %q", zh, e.MnReview, ReviewMachine, ReviewOK)
		}
		c.errors[zh] = e.Mn
		if !hasVerb(zh) {
			c.exactErrors[strings.ReplaceAll(zh, "%%", "%")] = strings.ReplaceAll(e.Mn, "%%", "%")
		}
	}
	sort.Strings(c.unreviewedErrors)
	return nil
}

var formatVerb = regexp.MustCompile(`%[-+# 0-9.]*(?:\[\d+\])?[a-zA-Z%]`)

func hasVerb(format string) bool {
	for _, v := range formatVerb.FindAllString(format, -1) {
		if v != "%%" {
			return true
		}
	}
	return false
}

// errorPatterns compiles the texts with verbs once, on the first Mongolian
// reader's error.
func (c *Catalog) errorPatterns() []errorPattern {
	c.patternsOnce.Do(func() {
		for zh, mn := range c.errors {
			if !hasVerb(zh) {
				continue
			}
			var re strings.Builder
			re.WriteString(`^(?s)`)
			literal, last, longest := 0, 0, ""
			for _, loc := range formatVerb.FindAllStringIndex(zh, -1) {
				lit := zh[last:loc[0]]
				re.WriteString(regexp.QuoteMeta(lit))
				literal += utf8.RuneCountInString(lit)
				if len(lit) > len(longest) {
					longest = lit
				}
				switch v := zh[loc[0]:loc[1]]; v[len(v)-1] {
				case '%':
					re.WriteString("%")
					literal++
				case 'd':
					re.WriteString(`([-+]?\d+)`)
				default:
					re.WriteString(`(.+?)`)
				}
				last = loc[1]
			}
			re.WriteString(regexp.QuoteMeta(zh[last:]))
			re.WriteString(`$`)
			literal += utf8.RuneCountInString(zh[last:])
			if len(zh[last:]) > len(longest) {
				longest = zh[last:]
			}
			c.patterns = append(c.patterns, errorPattern{re: regexp.MustCompile(re.String()), mn: mn, literal: literal,
				longest: strings.ReplaceAll(longest, "%%", "%")})
		}
		sort.Slice(c.patterns, func(i, j int) bool {
			a, b := c.patterns[i], c.patterns[j]
			if a.literal != b.literal {
				return a.literal > b.literal
			}
			return a.re.String() < b.re.String()
		})
	})
	return c.patterns
}

// ErrorText returns the text of an error for readers of l, given its
// Chinese text zh (a FieldError's Zh, or the Chinese half of an error's
// message), and whether there is one. Only Mongolian has texts of its own;
// the other languages use the error's Chinese or English as they come.
func (c *Catalog) ErrorText(l Lang, zh string) (string, bool) {
	if l != Mn || zh == "" {
		return "", false
	}
	if mn, ok := c.exactErrors[zh]; ok {
		return mn, true
	}
	for _, p := range c.errorPatterns() {
		m := p.match(zh)
		if m == nil {
			continue
		}
		return fillVerbs(p.mn, func(i int) string {
			if i+1 >= len(m) {
				return ""
			}
			v := m[i+1]
			if mn, ok := c.exactErrors[v]; ok {
				return mn
			}
			return v
		}), true
	}
	// A field's Chinese name before a message ("标题" + "不能为空"), as
	// helpers that check many fields write it: both parts known, the
	// name first as in Mongolian too.
	for i := range zh {
		if i == 0 {
			continue
		}
		name, ok := c.exactErrors[zh[:i]]
		if !ok {
			continue
		}
		if rest, ok := c.errorRest(zh[i:]); ok {
			return name + " " + rest, true
		}
	}
	return "", false
}

// errorRest is ErrorText for the part after a field's name: a whole text or
// a pattern, not another name.
func (c *Catalog) errorRest(zh string) (string, bool) {
	if mn, ok := c.exactErrors[zh]; ok {
		return mn, true
	}
	for _, p := range c.errorPatterns() {
		if m := p.match(zh); m != nil {
			return fillVerbs(p.mn, func(i int) string {
				if i+1 < len(m) {
					return m[i+1]
				}
				return ""
			}), true
		}
	}
	return "", false
}

// fillVerbs replaces the verbs of format, in order or by their explicit
// index (%[2]s), with the values matched in the Chinese text; %% becomes %.
func fillVerbs(format string, value func(i int) string) string {
	var b strings.Builder
	last, next := 0, 0
	for _, loc := range formatVerb.FindAllStringIndex(format, -1) {
		b.WriteString(format[last:loc[0]])
		v := format[loc[0]:loc[1]]
		switch {
		case v == "%%":
			b.WriteByte('%')
		default:
			i := next
			if open := strings.IndexByte(v, '['); open >= 0 {
				if _, err := fmt.Sscanf(v[open:], "[%d]", &i); err == nil {
					i--
				}
			}
			b.WriteString(value(i))
			next = i + 1
		}
		last = loc[1]
	}
	b.WriteString(format[last:])
	return b.String()
}

// UnreviewedErrors lists, in order, the Chinese error texts whose
// Mongolian text no reviewer has marked "ok" in errors.json.
func (c *Catalog) UnreviewedErrors() []string { return append([]string(nil), c.unreviewedErrors...) }

// ErrorKeys lists the Chinese error texts that have a Mongolian text.
func (c *Catalog) ErrorKeys() []string {
	keys := make([]string, 0, len(c.errors))
	for k := range c.errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MongolianError returns the Mongolian text of the Chinese error text zh,
// or "" when it has none: ErrorText for the reviewers' listing.
func (c *Catalog) MongolianError(zh string) string { return c.errors[zh] }
