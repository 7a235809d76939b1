package textsearch

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"traditional", "投訴", "投诉"},
		{"household", "戶籍", "户籍"},
		{"simplified unchanged", "鄂托克旗公安局", "鄂托克旗公安局"},
		{"full-width", "ＡＢＣ１２３", "abc123"},
		{"mixed", "我要投訴ＷｅＣｈａｔ號碼１２３４５，謝謝！", "我要投诉wechat号码12345,谢谢!"},
		{"ascii", "Hello, World", "hello, world"},
		{"compatibility ideograph", "\uF900", "岂"},
		{"kangxi radical", "⼈", "人"},
		{"empty", "", ""},
		{"invalid utf-8", "a\xffb\xc3", "a\uFFFDb\uFFFD"},
		// OpenCC's t2s is not idempotent; Normalize converts to a fixpoint.
		{"t2s chain", "薴", "苎"},
		{"t2s phrase, then its characters", "乾清宮", "干清宫"},
		{"simplified 乾清宫", "乾清宫", "干清宫"},
		// Lower-casing can create a composable pair: W+ring has no
		// precomposed capital, w+ring is ẘ.
		{"compose after lower", "W\u030A", "ẘ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := Normalize(tt.want); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want it unchanged", tt.want, got)
			}
		})
	}
}

func TestNormalizeConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := Normalize("投訴電話"); got != "投诉电话" {
					t.Errorf("Normalize = %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // exact result, in order
	}{
		{"han run", "投訴電話", []string{"投", "投诉", "诉", "诉电", "电", "电话", "话"}},
		{"latin and digits", "WeChat 12345", []string{"wechat", "12345"}},
		{"one han char", "户", []string{"户"}},
		{"han next to digits", "110报警", []string{"110", "报", "报警", "警"}},
		{"punctuation separates", "投诉，电话", []string{"投", "投诉", "诉", "电", "电话", "话"}},
		{"middle dot separates", "阿·买买提", []string{"阿", "买", "买买", "买", "买提", "提"}},
		{"ideographic zero is han", "二〇二", []string{"二", "二〇", "〇", "〇二", "二"}},
		{"iteration mark is han", "人々", []string{"人", "人々", "々"}},
		{"diacritics removed", "Café Èrduōsī", []string{"cafe", "erduosi"}},
		{"final sigma folded", "ΛΌΓΟΣ λόγος", []string{"λογοσ", "λογοσ"}},
		{"kana", "コーヒー", []string{"コ", "コー", "ー", "ーヒ", "ヒ", "ヒー", "ー"}},
		{"hangul", "한국", []string{"한", "한국", "국"}},
		{"long word truncated", strings.Repeat("x", 40) + " y", []string{strings.Repeat("x", MaxTokenRunes), "y"}},
		{"symbols only", "，。！…★ \t\n·", nil},
		{"empty", "", nil},
		{"quotes and backslash", `a'b"c\d`, []string{"a", "b", "c", "d"}},
		{"unicode61 separator letter", "a\u19B0b", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIndexText(t *testing.T) {
	got := IndexText("投訴 WeChat")
	want := "投 投诉 诉 wechat"
	if got != want {
		t.Errorf("IndexText = %q, want %q", got, want)
	}
}

// matches reports whether a search for q finds text, the way both databases
// decide it: every query token is among the text's tokens.
func matches(text, q string) bool {
	toks := Tokens(text)
	for _, qt := range Query(q) {
		if !slices.Contains(toks, qt) {
			return false
		}
	}
	return true
}

func TestSearch(t *testing.T) {
	tests := []struct {
		text, query string
		match       bool
	}{
		{"我要投訴派出所", "投诉", true},
		{"我要投诉派出所", "投訴", true},
		{"戶籍辦理", "户籍", true},
		{"户", "戶", true},
		{"新生兒落戶", "落户", true},
		{"Ordos 鄂尔多斯", "ORDOS", true},
		{"Ordos 鄂尔多斯", "鄂爾多斯", true},
		{"投诉电话：0477-12345", "12345", true},
		{"乾清宮", "乾清宫", true},
		{"投票", "投诉", false},
		{"户籍", "护照", false},
		{"投诉派出所", "诉派出所长", false},
		{"Ordos", "ord", false},
	}
	for _, tt := range tests {
		t.Run(tt.text+"/"+tt.query, func(t *testing.T) {
			if len(Query(tt.query)) == 0 {
				t.Fatalf("Query(%q) is empty", tt.query)
			}
			if got := matches(tt.text, tt.query); got != tt.match {
				t.Errorf("match(%q, %q) = %v, want %v (text tokens %q, query tokens %q)",
					tt.text, tt.query, got, tt.match, Tokens(tt.text), Query(tt.query))
			}
		})
	}
}

func TestQuery(t *testing.T) {
	long := strings.Repeat("投诉电话派出所户籍办理", 10)
	longWant := Query(long)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"punctuation only", "，。！", nil},
		{"spaces only", "  \t ", nil},
		{"one char", "户", []string{"户"}},
		{"one traditional char", "戶", []string{"户"}},
		{"two chars give the bigram only", "投訴", []string{"投诉"}},
		{"three chars", "派出所", []string{"派出", "出所"}},
		{"mixed", "投訴 WeChat 户", []string{"投诉", "wechat", "户"}},
		{"duplicates removed", "投诉 投訴 投诉投诉", []string{"投诉", "诉投"}},
		{"duplicate words removed", "abc ABC ａｂｃ", []string{"abc"}},
		{"long word truncated", strings.Repeat("Ab", 20), []string{strings.Repeat("ab", MaxTokenRunes/2)}},
		{"capped", long, longWant[:min(len(longWant), MaxQueryTokens)]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Query(tt.in)
			if !slices.Equal(got, tt.want) || (tt.want == nil) != (got == nil) {
				t.Errorf("Query(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}

	t.Run("cap is 32", func(t *testing.T) {
		var words []string
		for i := range 100 {
			words = append(words, strings.Repeat("w", i+1))
		}
		got := Query(strings.Join(words, " "))
		if len(got) != MaxQueryTokens || got[0] != "w" || got[MaxQueryTokens-1] != words[MaxQueryTokens-1] {
			t.Errorf("Query of 100 words gave %d tokens: %q", len(got), got)
		}
	})
}

func TestGist(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"empty", "", 8, ""},
		{"even run", "户籍窗口排队", 8, "户籍 窗口 排队"},
		{"odd run keeps the last character", "派出所", 8, "派出 出所"},
		{"one character", "牛", 8, "牛"},
		{"traditional folded", "戶籍遷移", 8, "户籍 迁移"},
		{"words kept whole", "WeChat 投訴 ABC", 8, "wechat 投诉 abc"},
		{"duplicates once", "户籍户籍 户籍", 8, "户籍"},
		{"capped", "新召：户籍窗口排队时间太长，孩子要上学。", 4, "新召 户籍 窗口 排队"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Gist(tt.in, tt.max)
			if got != tt.want {
				t.Fatalf("Gist(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			// The gist asks for some of the terms the text itself gives.
			terms := Query(tt.in)
			for _, q := range Query(got) {
				if !slices.Contains(terms, q) {
					t.Fatalf("gist term %q is not a term of %q (%q)", q, tt.in, terms)
				}
			}
		})
	}
}

func TestFTS5Match(t *testing.T) {
	tests := []struct {
		name   string
		tokens []string
		want   string
	}{
		{"none", nil, ""},
		{"empty slice", []string{}, ""},
		{"one", []string{"投诉"}, `"投诉"`},
		{"several", []string{"投诉", "wechat", "户"}, `"投诉" AND "wechat" AND "户"`},
		{"operator words stay terms", []string{"and", "near"}, `"and" AND "near"`},
		{"quote doubled", []string{`a"b`}, `"a""b"`},
		{"single quote and backslash kept", []string{`it's`, `a\b`}, `"it's" AND "a\b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FTS5Match(tt.tokens); got != tt.want {
				t.Errorf("FTS5Match(%q) = %s, want %s", tt.tokens, got, tt.want)
			}
		})
	}
}

func TestTSQuery(t *testing.T) {
	tests := []struct {
		name   string
		tokens []string
		want   string
	}{
		{"none", nil, ""},
		{"empty slice", []string{}, ""},
		{"one", []string{"投诉"}, `'投诉'`},
		{"several", []string{"投诉", "wechat", "户"}, `'投诉' & 'wechat' & '户'`},
		{"quote doubled", []string{`it's`}, `'it''s'`},
		{"backslash doubled", []string{`a\b`}, `'a\\b'`},
		{"both", []string{`'\`}, `'''\\'`},
		{"double quote kept", []string{`a"b`}, `'a"b'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TSQuery(tt.tokens); got != tt.want {
				t.Errorf("TSQuery(%q) = %s, want %s", tt.tokens, got, tt.want)
			}
		})
	}
}

// checkTokens fails t if any token breaks the contract that lets tokens go
// unescaped into IndexText and unchanged through unicode61.
func checkTokens(t *testing.T, what string, toks []string) {
	t.Helper()
	for _, tok := range toks {
		switch {
		case tok == "":
			t.Errorf("%s: empty token", what)
		case !utf8.ValidString(tok):
			t.Errorf("%s: invalid UTF-8 token %q", what, tok)
		case strings.ContainsAny(tok, " '\"\\"):
			t.Errorf("%s: token %q contains a space, quote or backslash", what, tok)
		case utf8.RuneCountInString(tok) > MaxTokenRunes:
			t.Errorf("%s: token %q is longer than %d runes", what, tok, MaxTokenRunes)
		}
		for _, r := range tok {
			if !isHanToken(r) && !isWordToken(r) {
				t.Errorf("%s: token %q contains separator %U", what, tok, r)
			}
		}
	}
}

var fuzzSeeds = []string{
	"",
	"投訴電話",
	"我要投訴派出所，電話是０４７７－１２３４５。",
	"新生兒落戶需要帶戶口簿和出生醫學證明",
	"Ordos 鄂尔多斯 WeChat",
	"鄂托克旗公安局·户籍科",
	"二〇二四年 人々 コーヒー 한국어",
	"薴乾清宮么麼",
	"Café ΛΌΓΟΣ W\u030A ẞ ﬁ ℡ ½",
	"a\xffb\xc3\x28",
	strings.Repeat("长", 100) + strings.Repeat("z", 100),
	"'\"\\ \t\n\x00",
}

func FuzzTokens(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		checkTokens(t, "Tokens", toks)
		q := Query(s)
		checkTokens(t, "Query", q)
		if len(q) > MaxQueryTokens {
			t.Errorf("Query gave %d tokens", len(q))
		}
		seen := make(map[string]bool)
		for _, qt := range q {
			if seen[qt] {
				t.Errorf("Query repeats %q", qt)
			}
			seen[qt] = true
			// A text always matches a search for itself.
			if !slices.Contains(toks, qt) {
				t.Errorf("Query token %q not in Tokens %q", qt, toks)
			}
		}
		if (len(q) == 0) != (len(toks) == 0) {
			t.Errorf("Query %q but Tokens %q", q, toks)
		}
		if got, want := IndexText(s), strings.Join(toks, " "); got != want {
			t.Errorf("IndexText = %q, want %q", got, want)
		}
	})
}

func FuzzNormalizeIdempotent(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q, invalid UTF-8", s, n)
		}
		if nn := Normalize(n); nn != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, n, nn)
		}
		if a, b := Tokens(s), Tokens(n); !slices.Equal(a, b) {
			t.Fatalf("Tokens(%q) = %q but Tokens(Normalize) = %q", s, a, b)
		}
	})
}

// paragraph is a typical 12345 hotline record, about 300 characters.
const paragraph = `市民張女士來電反映：其戶籍所在地為鄂爾多斯市鄂托克旗烏蘭鎮，` +
	`新生兒落戶時派出所要求提供出生醫學證明原件及父母雙方的居民身份證、結婚證、戶口簿，` +
	`但其丈夫長期在外地務工，無法按時回來辦理。張女士多次前往派出所諮詢，` +
	`工作人員態度冷淡，未能一次性告知所需材料，導致其往返三次仍未辦成。` +
	`張女士表示對此非常不滿，希望相關部門核實情況，簡化辦理流程，` +
	`允許通過網上授權或委託書的方式代為辦理，並對工作人員的服務態度進行批評教育。` +
	`聯繫電話：139-0477-1234，WeChat同號。來電時間：2024年3月15日上午10時20分。` +
	`工單已轉鄂托克旗公安局處理，要求三個工作日內回覆市民並反饋處理結果。`

func BenchmarkIndexText(b *testing.B) {
	for _, bm := range []struct{ name, text string }{
		{"traditional", paragraph},
		{"simplified", Normalize(paragraph)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(bm.text)))
			for b.Loop() {
				IndexText(bm.text)
			}
		})
	}
}
