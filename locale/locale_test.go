package locale

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestCatalogue checks that every message exists in every language with
// the same formatting verbs, so no page shows a key or a "%!d(MISSING)".
func TestCatalogue(t *testing.T) {
	c := Default()
	keys := c.Keys(Hans)
	if len(keys) < 100 {
		t.Fatalf("only %d messages", len(keys))
	}
	for _, l := range Langs {
		if got := c.Keys(l); !slices.Equal(got, keys) {
			t.Errorf("%s has %d keys, zh-Hans %d", l, len(got), len(keys))
		}
	}
	for _, k := range keys {
		want := verb.FindAllString(c.T(Hans, k), -1)
		for _, l := range Langs {
			m := c.T(l, k)
			if strings.TrimSpace(m) == "" {
				t.Errorf("%s %s is empty", l, k)
			}
			if got := verb.FindAllString(m, -1); !slices.Equal(got, want) {
				t.Errorf("%s %s has verbs %v, zh-Hans %v", l, k, got, want)
			}
		}
	}
}

func TestTraditionalIsConverted(t *testing.T) {
	c := Default()
	tests := []struct{ key, want string }{
		{"nav.track", "查詢進度"},
		{"home.write", "我要留言"},
		{"kind.complaint", "投訴"},
	}
	for _, tt := range tests {
		if got := c.T(Hant, tt.key); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.key, got, tt.want)
		}
	}
	if got := c.Convert(Hant, "户籍办理"); got != "戶籍辦理" {
		t.Errorf("Convert: %q", got)
	}
	if got := c.Convert(En, "户籍"); got != "户籍" {
		t.Errorf("Convert for English readers changed the text: %q", got)
	}
	if got := c.T(Hans, "no.such.key"); got != "[no.such.key]" {
		t.Errorf("missing key shows %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		choice, accept string
		want           Lang
	}{
		{"", "", Hans},
		{"", "zh-TW,zh;q=0.9", Hant},
		{"", "zh-HK", Hant},
		{"", "zh-Hant-TW", Hant},
		{"", "en-GB,en;q=0.8", En},
		{"", "fr-FR, en;q=0.5", En},
		{"", "fr-FR", Hans},
		{"en", "zh-TW", En},
		{"zh-Hans", "en", Hans},
		{"klingon", "zh-TW", Hant},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.choice, tt.accept); got != tt.want {
			t.Errorf("Negotiate(%q, %q) = %s, want %s", tt.choice, tt.accept, got, tt.want)
		}
	}
}

var templateAction = regexp.MustCompile(`\{\{.*?\}\}`)

// TestMongolian checks that every message has Mongolian text written in the
// traditional script (not a transliteration) with the placeholders and
// template actions of the Chinese text, and that the review flags parse.
func TestMongolian(t *testing.T) {
	c := Default()
	var missing []string
	for _, k := range c.Keys(Hans) {
		m, ok := c.msgs[Mn][k]
		if !ok {
			missing = append(missing, k)
			continue
		}
		t.Run(k, func(t *testing.T) {
			// Text in words must be in the Mongolian script; a name or code
			// the same in every language (URL, Open311) and a message of
			// placeholders and punctuation only are left as they are.
			words := verb.ReplaceAllString(m, "")
			if !strings.ContainsFunc(m, isMongolian) && strings.ContainsFunc(words, unicode.IsLetter) && m != c.T(En, k) {
				t.Errorf("%q has no letter of the Mongolian script", m)
			}
			if strings.ContainsFunc(m, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
				t.Errorf("%q has Cyrillic letters: the pages write Mongolian in its traditional script", m)
			}
			if got, want := templateAction.FindAllString(m, -1), templateAction.FindAllString(c.T(Hans, k), -1); len(got) != len(want) {
				t.Errorf("template actions %v, zh-Hans %v", got, want)
			}
		})
	}
	if len(missing) > 0 {
		t.Errorf("%d messages have no Mongolian text (add \"mn\" and \"mn_review\": \"machine\"), e.g. %v", len(missing), missing[:min(len(missing), 10)])
	}
	for _, k := range c.Unreviewed() {
		if !c.Has(k) {
			t.Errorf("unreviewed key %q is not in the catalogue", k)
		}
	}
}

func isMongolian(r rune) bool { return r >= 0x1820 && r <= 0x18AF }

func TestParseMongolian(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
	}{
		{"mn-Mong", Mn},
		{"mn-CN", Mn},
		{"mn", Mn},
		{"MN-mong-cn", Mn},
	}
	for _, tt := range tests {
		if got, ok := Parse(tt.in); !ok || got != tt.want {
			t.Errorf("Parse(%q) = %s, %v", tt.in, got, ok)
		}
	}
	if got := Negotiate("", "mn-Mong-CN,zh;q=0.8"); got != Mn {
		t.Errorf("Negotiate = %s", got)
	}
	if Mn.HTMLTag() != "mn-Mong" || Mn.Name() != "ᠮᠣᠩᠭᠣᠯ" {
		t.Errorf("Mn: %s %s", Mn.HTMLTag(), Mn.Name())
	}
}
