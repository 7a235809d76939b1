package codelist

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"minyi"
)

// plain is a list of bare entries, found by English names too.
var plain = &List[Entry]{
	Field: "things", Max: 3, FindEnglish: true,
	Defaults: []Entry{{Code: "a", Zh: "甲", En: "Alpha"}},
	TooMany:  func(max string) (string, string) { return "最多" + max + "项", "at most " + max },
}

// withUnit is a list whose entries carry a fourth column, checked.
type withUnit struct {
	Entry Entry
	Unit  string
}

var units = &List[withUnit]{
	Field: "keys", Max: 40,
	TooMany: func(max string) (string, string) { return "最多" + max, "at most " + max },
	CheckZh: func(n, zh string) (string, string) {
		if strings.Contains(zh, "、") {
			return "第" + n + "行不能有、", "line " + n + ": no 、"
		}
		return "", ""
	},
	Columns: []Column{{Zh: "单位", En: "unit", Check: func(n, v string) (string, string) {
		if len([]rune(v)) > 2 {
			return "第" + n + "行单位太长", "line " + n + ": unit too long"
		}
		return "", ""
	}}},
	Split: func(w withUnit) (Entry, []string) { return w.Entry, []string{w.Unit} },
	Join:  func(e Entry, more []string) withUnit { return withUnit{e, more[0]} },
}

// fields are the fields err names, in order.
func fields(err error) []string {
	var e *minyi.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		if f.Zh == "" || f.En == "" {
			out = append(out, "untranslated "+f.Field)
			continue
		}
		out = append(out, f.Field)
	}
	return out
}

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		list   interface{ Check(string) (string, error) }
		text   string
		stored string   // what Check stores when accepted
		fields []string // what a refusal names
	}{
		{"blank is stored blank", plain, " \n\r\n", "", nil},
		{"trimmed, blank lines skipped", plain, "\n b | 乙 | Beta \r\n\r\nc|丙|Gamma", "b|乙|Beta\nc|丙|Gamma\n", nil},
		{"missing parts are empty", units, "a|甲|Alpha", "a|甲|Alpha|\n", nil},
		{"fourth column kept", units, " a|甲|Alpha| 头 ", "a|甲|Alpha|头\n", nil},
		{"uppercase code", plain, "A|甲|Alpha", "", []string{"things.1"}},
		{"Chinese code", plain, "甲|甲|Alpha", "", []string{"things.1"}},
		{"long code", plain, "a" + strings.Repeat("b", 32) + "|甲|Alpha", "", []string{"things.1"}},
		{"repeated code names its line", plain, "a|甲|A\n\nb|乙|B\na|丙|C", "", []string{"things.4"}},
		{"repeated Chinese name", plain, "a|甲|A\nb|甲|B", "", []string{"things.2"}},
		{"no Chinese name", plain, "a||A", "", []string{"things.1"}},
		{"long Chinese name", plain, "a|" + strings.Repeat("甲", 21) + "|A", "", []string{"things.1"}},
		{"no English name", plain, "a|甲|", "", []string{"things.1"}},
		{"long English name", plain, "a|甲|" + strings.Repeat("e", 61), "", []string{"things.1"}},
		{"too many parts", plain, "a|甲|A|x", "", []string{"things.1"}},
		{"too many parts with a column", units, "a|甲|A|头|x", "", []string{"keys.1"}},
		{"the list's check of the Chinese name", units, "a|甲、乙|A", "", []string{"keys.1"}},
		{"the column's check", units, "a|甲|A|头头头", "", []string{"keys.1"}},
		{"one problem a line, every line", plain, "A|甲|A\nb||B\nc|丙|C", "", []string{"things.1", "things.2"}},
		{"too many entries", plain, "a|甲|A\nb|乙|B\nc|丙|C\nd|丁|D", "", []string{"things"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored, err := tt.list.Check(tt.text)
			if got := fields(err); !slices.Equal(got, tt.fields) {
				t.Fatalf("fields %v, want %v (%v)", got, tt.fields, err)
			}
			if stored != tt.stored {
				t.Errorf("stored %q, want %q", stored, tt.stored)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	_, err := units.Parse("a|甲|A|头|x\nb|乙|B\nb|丙|C")
	var e *minyi.Error
	if !errors.As(err, &e) || len(e.Fields) != 2 {
		t.Fatalf("Parse = %v", err)
	}
	for i, want := range [][2]string{
		{"第1行多于4项：代码|中文名|英文名|单位", "line 1 has more than 4 parts: code|Chinese|English|unit"},
		{"第3行的代码b与第2行重复", "line 3: code b repeats line 2"},
	} {
		if e.Fields[i].Zh != want[0] || e.Fields[i].En != want[1] {
			t.Errorf("message %d = %q / %q, want %q / %q", i, e.Fields[i].Zh, e.Fields[i].En, want[0], want[1])
		}
	}
}

func TestReadAndFind(t *testing.T) {
	ds, err := plain.Parse("")
	if err != nil || !slices.Equal(plain.Codes(ds), []string{"a"}) {
		t.Fatalf("Parse(blank) = %v, %v; want the defaults", ds, err)
	}
	stored, err := units.Check("b|乙|Beta|只\na|甲|Alpha")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := units.Parse(stored)
	if err != nil || units.Format(ws) != stored || !slices.Equal(units.Codes(ws), []string{"b", "a"}) {
		t.Fatalf("Parse(Check) = %v, %v", ws, err)
	}
	for _, tt := range []struct {
		name string
		find func(string) (string, bool)
		s    string
		code string // "" when not found
	}{
		{"by code", func(s string) (string, bool) { w, ok := units.Find(ws, s); return w.Entry.Code, ok }, " b ", "b"},
		{"by Chinese name", func(s string) (string, bool) { w, ok := units.Find(ws, s); return w.Entry.Code, ok }, "甲", "a"},
		{"not by English unless the list says", func(s string) (string, bool) { w, ok := units.Find(ws, s); return w.Entry.Code, ok }, "Alpha", ""},
		{"by English in any case", func(s string) (string, bool) { e, ok := plain.Find(ds, s); return e.Code, ok }, "ALPHA", "a"},
		{"not listed", func(s string) (string, bool) { e, ok := plain.Find(ds, s); return e.Code, ok }, "z", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code, ok := tt.find(tt.s); code != tt.code || ok != (tt.code != "") {
				t.Errorf("Find(%q) = %q, %v; want %q", tt.s, code, ok, tt.code)
			}
		})
	}
	for i, s := range []string{"a", "a_1", "a" + strings.Repeat("b", 31)} {
		if !ValidCode(s) {
			t.Errorf("ValidCode(%q) #%s = false", s, strconv.Itoa(i))
		}
	}
	for _, s := range []string{"", "1a", "_a", "A", "a-b", "a" + strings.Repeat("b", 32)} {
		if ValidCode(s) {
			t.Errorf("ValidCode(%q) = true", s)
		}
	}
}
