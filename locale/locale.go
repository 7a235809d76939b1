// Package locale holds every user-facing string of the pages in one message
// catalogue: simplified Chinese (the default), traditional Chinese, English
// and Mongolian in the traditional script. Traditional Chinese is derived from the simplified catalogue with
// OpenCC, so translators only maintain two files; zh-Hant.json overrides the
// few phrases where Taiwan and Hong Kong usage differs from a character-by-
// character conversion.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/longbridgeapp/opencc"
)

// Lang is a language of the pages, as a BCP 47 tag.
type Lang string

// The languages minyi speaks.
const (
	Hans Lang = "zh-Hans" // 简体中文, the default
	Hant Lang = "zh-Hant" // 繁體中文
	En   Lang = "en"      // English
	Mn   Lang = "mn-Mong" // ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ, Mongolian in the traditional script
)

// Langs lists the languages in the order the language switch shows them.
var Langs = []Lang{Hans, Hant, En, Mn}

// Parse returns the language named by s, accepting the common tags
// browsers send (zh-CN, zh-TW, zh-HK, en-GB, …).
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return "", false
	case s == "zh-hant" || strings.HasPrefix(s, "zh-hant-") || s == "zh-tw" || s == "zh-hk" || s == "zh-mo":
		return Hant, true
	case s == "zh" || strings.HasPrefix(s, "zh-"):
		return Hans, true
	case s == "en" || strings.HasPrefix(s, "en-"):
		return En, true
	case s == "mn" || strings.HasPrefix(s, "mn-"):
		// The pages speak Mongolian only in the traditional script, the
		// script of the region's public signage; a browser asking for
		// Mongolian in any script gets it.
		return Mn, true
	}
	return "", false
}

// Negotiate picks the language from an explicit choice (the language cookie)
// or else from the browser's Accept-Language header, defaulting to
// simplified Chinese.
func Negotiate(choice, acceptLanguage string) Lang {
	if l, ok := Parse(choice); ok {
		return l
	}
	// Accept-Language is ordered by preference in practice; q-values other
	// than descending order are rare enough not to sort by.
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, _, _ := strings.Cut(part, ";")
		if l, ok := Parse(tag); ok {
			return l
		}
	}
	return Hans
}

// Name is the language's name in itself, for the language switch.
func (l Lang) Name() string {
	switch l {
	case Hant:
		return "繁體"
	case En:
		return "English"
	case Mn:
		return "ᠮᠣᠩᠭᠣᠯ"
	}
	return "简体"
}

// HTMLTag is the value for the lang attribute of <html>.
func (l Lang) HTMLTag() string {
	switch l {
	case Hant:
		return "zh-Hant"
	case En:
		return "en"
	case Mn:
		return "mn-Mong"
	}
	return "zh-Hans"
}

// Vertical reports whether l is written in vertical columns, top to bottom
// and left to right, as Mongolian in its traditional script is: its pages
// get the vertical layout and the Mongolian font.
func (l Lang) Vertical() bool { return l == Mn }

// The catalogue is one file per area of the product, each key carrying its
// simplified Chinese and English side by side, so that a page and its
// translations change together.
//
//go:embed messages/*.json overrides/zh-Hant.json errors.json
var files embed.FS

// Catalog maps message keys to text in each language.
type Catalog struct {
	msgs map[Lang]map[string]string
	s2t  *opencc.OpenCC
	// unreviewed lists the keys whose Mongolian text no human reviewer has
	// yet marked "ok": machine translations stay visible to translators.
	unreviewed []string

	// errors maps the Chinese text (or format) of a service's error to
	// its Mongolian text; exactErrors holds those without verbs, as
	// rendered (errors.go).
	errors, exactErrors map[string]string
	unreviewedErrors    []string
	patternsOnce        sync.Once
	patterns            []errorPattern
}

var defaultCatalog = sync.OnceValues(func() (*Catalog, error) { return load() })

// Default returns the embedded catalogue. It panics if the embedded files
// are broken, which the package's tests rule out.
func Default() *Catalog {
	c, err := defaultCatalog()
	if err != nil {
		panic(err)
	}
	return c
}

// message is one catalogue entry.
type message struct {
	Zh string `json:"zh"`
	En string `json:"en"`
	Mn string `json:"mn"`
	// MnReview is "ok" once a reviewer has checked the Mongolian text and
	// "machine" while it is a draft nobody has checked.
	MnReview string `json:"mn_review"`
}

// The values of a message's mn_review.
const (
	ReviewMachine = "machine"
	ReviewOK      = "ok"
)

func load() (*Catalog, error) {
	names, err := fs.Glob(files, "messages/*.json")
	if err != nil {
		return nil, err
	}
	hans, en, mn := map[string]string{}, map[string]string{}, map[string]string{}
	var unreviewed []string
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var area map[string]message
		if err := json.Unmarshal(b, &area); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for k, m := range area {
			if _, dup := hans[k]; dup {
				return nil, fmt.Errorf("%s: key %q is also in another file", name, k)
			}
			hans[k], en[k] = m.Zh, m.En
			// A message without Mongolian text falls back to Chinese on the
			// pages; the catalogue test fails on it.
			if m.Mn != "" {
				mn[k] = m.Mn
			}
			switch m.MnReview {
			case ReviewOK:
			case ReviewMachine, "":
				unreviewed = append(unreviewed, k)
			default:
				return nil, fmt.Errorf("%s: key %q has mn_review %q, want %q or %q", name, k, m.MnReview, ReviewMachine, ReviewOK)
			}
		}
	}
	var overrides map[string]string
	b, err := files.ReadFile("overrides/zh-Hant.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &overrides); err != nil {
		return nil, fmt.Errorf("overrides/zh-Hant.json: %w", err)
	}
	s2t, err := opencc.New("s2t")
	if err != nil {
		return nil, err
	}
	hant := make(map[string]string, len(hans))
	for k, v := range hans {
		if o, ok := overrides[k]; ok {
			hant[k] = o
			continue
		}
		if hant[k], err = s2t.Convert(v); err != nil {
			return nil, err
		}
	}
	sort.Strings(unreviewed)
	c := &Catalog{msgs: map[Lang]map[string]string{Hans: hans, Hant: hant, En: en, Mn: mn}, s2t: s2t, unreviewed: unreviewed}
	if err := loadErrors(c); err != nil {
		return nil, err
	}
	return c, nil
}

// T returns the message for key in l, formatted with args as by fmt.Sprintf.
// A missing key shows as the key itself in brackets, which the catalogue
// test and the page tests catch.
func (c *Catalog) T(l Lang, key string, args ...any) string {
	m, ok := c.msgs[l][key]
	if !ok {
		if m, ok = c.msgs[Hans][key]; !ok {
			return "[" + key + "]"
		}
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}

// Has reports whether key is in the catalogue.
func (c *Catalog) Has(key string) bool { _, ok := c.msgs[Hans][key]; return ok }

// Keys lists the keys of l's messages in order.
func (c *Catalog) Keys(l Lang) []string {
	keys := make([]string, 0, len(c.msgs[l]))
	for k := range c.msgs[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Unreviewed lists, in order, the keys whose Mongolian text is a draft no
// reviewer has marked "ok" (mn_review in the catalogue's files).
func (c *Catalog) Unreviewed() []string { return slices.Clone(c.unreviewed) }

// Convert renders text written in simplified Chinese (a unit's name, a
// category, a reply) for readers of l: traditional readers get it converted,
// others get it unchanged.
func (c *Catalog) Convert(l Lang, text string) string {
	if l != Hant || text == "" {
		return text
	}
	out, err := c.s2t.Convert(text)
	if err != nil {
		return text
	}
	return out
}
