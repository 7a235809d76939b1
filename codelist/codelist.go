// Package codelist is a bureau's configurable list of codes: each entry an
// ASCII code with its names in Chinese and English (and, for some lists,
// further columns such as a unit word). A bureau keeps its own list as a
// setting, one entry a line `code|中文|English[|more…]`; without one the
// list's defaults apply. The matters' counted outcomes (outcome/), the
// publicity channels (pubchannel/) and the dispute kinds (dispute/kind) are
// such lists: each describes itself once as a List and keeps only what is
// its own (its defaults, its limit, an extra column).
//
// Every list is read, checked, stored and searched the same way, so that an
// administrator meets the same rules and the same messages on each: a line's
// problem names the setting's field and the line (matter_outcomes.3),
// numbered from 1 counting blank lines, so that an editor can show it beside
// the row typed. An entry dropped from a list is never refused; records that
// named it keep it.
package codelist

import (
	"regexp"
	"strconv"
	"strings"

	"minyi"
)

// Entry is one code of a list with its names.
type Entry struct {
	Code string `json:"code"` // ASCII, e.g. wechat
	Zh   string `json:"zh"`   // simplified Chinese, e.g. 微信公众号
	En   string `json:"en"`   // English, e.g. WeChat official account
}

// CodePattern is what every list's code looks like: ASCII, so that it can be
// a JSON key, a figure's name, a query's value and a form field's name.
const CodePattern = `^[a-z][a-z0-9_]{0,31}$`

var codePattern = regexp.MustCompile(CodePattern)

// ValidCode reports whether s has the form of a code; whether a list names
// it is another matter (List.Find).
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// Column is a column a list keeps after the English name, such as the
// outcomes' unit word. It is optional on every line.
type Column struct {
	Zh, En string // its name in the "more than n parts" message: 单位, unit
	// Check returns why value cannot be the column of line n, in Chinese
	// and English, or two empty strings.
	Check func(n, value string) (zh, en string)
}

// List describes one configurable list of entries of type T: a bare Entry,
// or a type of the list's own that adds columns (outcome.Key's unit).
type List[T any] struct {
	// Field is the setting's name and the field its errors name; a line's
	// errors name Field.<line>.
	Field string
	// Defaults are the entries of a bureau that set none.
	Defaults []T
	// Max is how many entries a bureau may configure (forms offer each).
	Max int
	// TooMany is the message when the list is longer than Max.
	TooMany func(max string) (zh, en string)
	// Columns are the columns after the English name, in order.
	Columns []Column
	// CheckZh, if set, adds a check of a line's Chinese name after it is
	// known to be present and unrepeated; it returns the messages or "".
	CheckZh func(n, zh string) (zhMsg, enMsg string)
	// FindEnglish lets Find match the English name too, in any case.
	FindEnglish bool
	// Split and Join convert T to its entry and further columns and back;
	// both nil when T is Entry.
	Split func(T) (Entry, []string)
	Join  func(Entry, []string) T
}

func (l *List[T]) split(t T) (Entry, []string) {
	if l.Split == nil {
		return any(t).(Entry), nil
	}
	return l.Split(t)
}

func (l *List[T]) join(e Entry, more []string) T {
	if l.Join == nil {
		return any(e).(T)
	}
	return l.Join(e, more)
}

// Codes returns the entries' codes in order.
func (l *List[T]) Codes(ts []T) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		e, _ := l.split(t)
		out[i] = e.Code
	}
	return out
}

// Find returns the entry whose code or Chinese name (or, with FindEnglish,
// English name) is s, so that a spreadsheet or a person may name it either
// way.
func (l *List[T]) Find(ts []T, s string) (T, bool) {
	s = strings.TrimSpace(s)
	for _, t := range ts {
		e, _ := l.split(t)
		if e.Code == s || e.Zh == s || (l.FindEnglish && strings.EqualFold(e.En, s)) {
			return t, true
		}
	}
	var zero T
	return zero, false
}

// Line is one entry as the setting keeps it, without the newline.
func (l *List[T]) Line(t T) string {
	e, more := l.split(t)
	line := e.Code + "|" + e.Zh + "|" + e.En
	for i := range l.Columns {
		v := ""
		if i < len(more) {
			v = more[i]
		}
		line += "|" + v
	}
	return line
}

// Format writes entries as the setting keeps them, one line each.
func (l *List[T]) Format(ts []T) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(l.Line(t) + "\n")
	}
	return b.String()
}

// Parse reads the setting: an empty one is the Defaults. Blank lines are
// skipped; every problem names its line (Field.<n>), one per line.
func (l *List[T]) Parse(text string) ([]T, error) {
	if strings.TrimSpace(text) == "" {
		return l.Defaults, nil
	}
	width := 3 + len(l.Columns)
	var (
		p    minyi.Problems
		ts   []T
		seen = map[string]int{}
	)
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n := strconv.Itoa(i + 1)
		field := l.Field + "." + n
		parts := strings.Split(line, "|")
		for len(parts) < width {
			parts = append(parts, "")
		}
		if len(parts) > width {
			p.Add(field, "第"+n+"行多于"+strconv.Itoa(width)+"项："+l.header(true), "line "+n+" has more than "+strconv.Itoa(width)+" parts: "+l.header(false))
			continue
		}
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		e, more := Entry{parts[0], parts[1], parts[2]}, parts[3:]
		if zh, en := l.check(n, e, more, seen); zh != "" {
			p.Add(field, zh, en)
			continue
		}
		seen[e.Code], seen["zh:"+e.Zh] = i+1, i+1
		ts = append(ts, l.join(e, more))
	}
	if len(ts) > l.Max {
		zh, en := l.TooMany(strconv.Itoa(l.Max))
		p.Add(l.Field, zh, en)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return l.Defaults, nil
	}
	return ts, nil
}

// header names a line's parts, 代码|中文名|英文名|单位.
func (l *List[T]) header(zh bool) string {
	names := []string{"code", "Chinese", "English"}
	if zh {
		names = []string{"代码", "中文名", "英文名"}
	}
	for _, c := range l.Columns {
		if zh {
			names = append(names, c.Zh)
		} else {
			names = append(names, c.En)
		}
	}
	return strings.Join(names, "|")
}

// check is why line n cannot be an entry, the first problem only, or "".
func (l *List[T]) check(n string, e Entry, more []string, seen map[string]int) (string, string) {
	switch {
	case !codePattern.MatchString(e.Code):
		return "第" + n + "行的代码须以小写英文字母开头，只含小写字母、数字和下划线，最多32个字符",
			"line " + n + ": the code must start with a lowercase letter and hold only lowercase letters, digits and _, at most 32"
	case seen[e.Code] > 0:
		return "第" + n + "行的代码" + e.Code + "与第" + strconv.Itoa(seen[e.Code]) + "行重复",
			"line " + n + ": code " + e.Code + " repeats line " + strconv.Itoa(seen[e.Code])
	case e.Zh == "" || len([]rune(e.Zh)) > 20:
		return "第" + n + "行须有中文名（最多20字）", "line " + n + " needs a Chinese name (at most 20 characters)"
	case seen["zh:"+e.Zh] > 0:
		return "第" + n + "行的中文名" + e.Zh + "与第" + strconv.Itoa(seen["zh:"+e.Zh]) + "行重复",
			"line " + n + ": Chinese name " + e.Zh + " repeats line " + strconv.Itoa(seen["zh:"+e.Zh])
	}
	if l.CheckZh != nil {
		if zh, en := l.CheckZh(n, e.Zh); zh != "" {
			return zh, en
		}
	}
	if e.En == "" || len(e.En) > 60 {
		return "第" + n + "行须有英文名（最多60个字符）", "line " + n + " needs an English name (at most 60 characters)"
	}
	for j, c := range l.Columns {
		if zh, en := c.Check(n, more[j]); zh != "" {
			return zh, en
		}
	}
	return "", ""
}

// Check is the setting's check: the list as stored (each line trimmed, in
// the one form Format writes), or why it cannot be one. A blank setting is
// stored blank: the Defaults then apply, and follow them if they change.
func (l *List[T]) Check(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	ts, err := l.Parse(text)
	if err != nil {
		return "", err
	}
	return l.Format(ts), nil
}
