package ledgerimport

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"minyi/calendar"
	"minyi/outcome"
	"minyi/textsearch"
)

// A row under construction: its cells by field, and the problems found
// reading them, each naming the row and column.
type row struct {
	n      int               // the row number as Excel shows it
	cells  map[string]string // by field
	spec   *spec
	refs   *refs
	errors []RowError
}

func (r *row) fail(field, zh, en string) {
	r.errors = append(r.errors, RowError{Row: r.n, Column: r.spec.header(field), Field: field, MessageZh: zh, MessageEn: en})
}

// failed reports whether reading field already found a problem, so the
// record's own check does not repeat it (an unreadable date is also a
// missing one).
func (r *row) failed(field string) bool {
	for _, e := range r.errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

func (r *row) text(field string) string { return r.cells[field] }

// day reads a date written as YYYY-MM-DD (or with / or . between, or as
// 2021年9月13日) or stored by Excel as a serial day number.
func (r *row) day(field string) string {
	s := strings.TrimSpace(r.cells[field])
	if s == "" {
		return ""
	}
	if d, ok := parseDay(s); ok {
		return d
	}
	r.fail(field, "日期格式不正确（应为YYYY-MM-DD，如2021-09-13）："+s, "not a date (YYYY-MM-DD, e.g. 2021-09-13): "+s)
	return ""
}

// excelEpoch is day 0 of Excel's serial dates (1900 system, after its
// 1900-02-29 that never was).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, calendar.Zone)

func parseDay(s string) (string, bool) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 1 || f > 2958465 || math.IsNaN(f) {
			return "", false
		}
		return excelEpoch.AddDate(0, 0, int(math.Floor(f))).Format(dayLayout), true
	}
	t := strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	if i := strings.IndexAny(t, " T"); i > 0 { // a date and time: the day
		t = t[:i]
	}
	d, err := time.ParseInLocation("2006-1-2", t, calendar.Zone)
	if err != nil {
		return "", false
	}
	return d.Format(dayLayout), true
}

// integer reads a whole number (Excel may store 53 as 53.0).
func (r *row) integer(field string) int {
	s := strings.TrimSpace(r.cells[field])
	if s == "" {
		return 0
	}
	n, ok := parseInt(s)
	if !ok {
		r.fail(field, "须为整数："+s, "must be a whole number: "+s)
	}
	return int(n)
}

func parseInt(s string) (int64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e15 {
		return 0, false
	}
	return int64(f), true
}

// number reads a decimal number; nil when the cell is empty.
func (r *row) number(field string) *float64 {
	s := strings.TrimSpace(r.cells[field])
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		r.fail(field, "须为数字："+s, "must be a number: "+s)
		return nil
	}
	return &f
}

// list splits a cell of several values, separated by 、 , ， ; ； or line
// breaks.
func (r *row) list(field string) []string {
	return splitList(r.cells[field])
}

func splitList(s string) []string {
	out := []string{}
	for _, v := range strings.FieldsFunc(s, func(c rune) bool { return strings.ContainsRune("、,，;；\n\r", c) }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// yes reads 是/否 (or yes/no, y/n, true/false, 1/0, √/×); empty is no.
func (r *row) yes(field string) bool {
	switch strings.ToLower(strings.TrimSpace(r.cells[field])) {
	case "", "否", "no", "n", "false", "0", "×", "x":
		return false
	case "是", "yes", "y", "true", "1", "√", "✓":
		return true
	}
	r.fail(field, "须填写“是”或“否”："+r.cells[field], "must be 是 (yes) or 否 (no): "+r.cells[field])
	return false
}

// Choice is one allowed value of a column: its code and the Chinese words
// that name it.
type Choice struct {
	Code  string
	Words []string
}

// choice reads one of choices, by its code or any of its words, in
// simplified or traditional Chinese; empty is "".
func (r *row) choice(field string, choices []Choice) string {
	s := strings.TrimSpace(r.cells[field])
	if s == "" {
		return ""
	}
	if c, ok := pick(s, choices); ok {
		return c
	}
	r.fail(field, "不是可选的值："+s+"（可填："+describe(choices, "、")+"）", "not an allowed value: "+s+" (allowed: "+codes(choices)+")")
	return ""
}

func pick(s string, choices []Choice) (string, bool) {
	for _, c := range choices {
		if strings.EqualFold(s, c.Code) || slices.Contains(c.Words, s) {
			return c.Code, true
		}
	}
	n := normalized(s)
	for _, c := range choices {
		for _, w := range c.Words {
			if n == normalized(w) {
				return c.Code, true
			}
		}
	}
	return "", false
}

// normalForms remembers textsearch.Normalize of the few words and names a
// file repeats thousands of times (OpenCC's conversion is the costly part),
// up to maxNormalForms of them, so that no file can fill the memory.
var (
	normalForms     sync.Map
	normalFormCount atomic.Int64
)

const maxNormalForms = 10000

func normalized(s string) string {
	if n, ok := normalForms.Load(s); ok {
		return n.(string)
	}
	n := textsearch.Normalize(s)
	if len(s) <= 200 && normalFormCount.Load() < maxNormalForms {
		if _, loaded := normalForms.LoadOrStore(s, n); !loaded {
			normalFormCount.Add(1)
		}
	}
	return n
}

func describe(choices []Choice, sep string) string {
	s := make([]string, len(choices))
	for i, c := range choices {
		s[i] = c.Words[0]
	}
	return strings.Join(s, sep)
}

func codes(choices []Choice) string {
	s := make([]string, len(choices))
	for i, c := range choices {
		s[i] = c.Code
	}
	return strings.Join(s, ", ")
}

// outcomes reads counted outcomes as key=number pairs, a key by its code or
// its Chinese name: cattle=5、sheep=53 or 牛=5、羊=53. A key the bureau does
// not list is kept as written, for the register to refuse naming it.
func (r *row) outcomes(field string) map[string]int64 {
	parts := r.list(field)
	if len(parts) == 0 {
		return nil
	}
	out := map[string]int64{}
	for _, p := range parts {
		k, v, ok := strings.Cut(strings.NewReplacer("：", "=", ":", "=", "＝", "=").Replace(p), "=")
		n, isInt := parseInt(strings.TrimSpace(v))
		if !ok || !isInt {
			r.fail(field, "成效数量须写成“指标=数量”，如cattle=5、sheep=53："+p, "outcomes are key=number, e.g. cattle=5, sheep=53: "+p)
			return nil
		}
		k = strings.TrimSpace(k)
		if key, ok := outcome.Find(r.refs.outcomes, k); ok {
			k = key.Code
		}
		if _, twice := out[k]; twice {
			r.fail(field, "成效指标重复："+p, "an outcome named twice: "+p)
			return nil
		}
		out[k] = n
	}
	return out
}
