// Package outcome is the counted outcomes a practical matter may report on
// completion (5 cattle, 53 sheep returned): each a key with a code, its
// names in Chinese and English and an optional unit word. A bureau keeps its
// own list as a setting (archive.SettingMatterOutcomes), one key a line
// `code|中文|English|unit`; without one the Defaults apply.
//
// A key dropped from the list stays readable: matters that reported it keep
// it, and the ledger summary still sums it, but new completions may report
// only the keys listed now. Dropping a key is thus never refused, and no
// record changes when the list does.
package outcome

import (
	"regexp"
	"strconv"
	"strings"

	"minyi"
)

// Key is one counted outcome.
type Key struct {
	Code string `json:"code"`           // ASCII, e.g. cattle
	Zh   string `json:"zh"`             // simplified Chinese, e.g. 牛
	En   string `json:"en"`             // English, e.g. Cattle
	Unit string `json:"unit,omitempty"` // the Chinese unit word, e.g. 头; optional
}

// Defaults are the keys of a bureau that set none; their codes are those
// matters have always been able to report, so existing data stays valid.
var Defaults = []Key{
	{"cattle", "牛", "Cattle", "头"},
	{"sheep", "羊", "Sheep", "只"},
	{"horses", "马", "Horses", "匹"},
	{"camels", "骆驼", "Camels", "峰"},
	{"households", "帮助户数", "Households helped", "户"},
	{"people", "帮助人数", "People helped", "人"},
	{"students", "资助学生", "Students helped", "人"},
	{"money_yuan", "金额", "Money (yuan)", "元"},
	{"vehicles", "车辆", "Vehicles", "辆"},
	{"jobs", "就业岗位", "Jobs", "个"},
}

// MaxKeys is how many keys a bureau may configure: the completion form
// shows each as a field.
const MaxKeys = 40

// Field is the setting's field name in errors; a line's errors name it as
// matter_outcomes.<line>, numbered from 1.
const Field = "matter_outcomes"

// CodePattern is what a key's code looks like: ASCII, so that it can be a
// JSON key, a figure's name (matters.outcome_<code>) and a form field's.
const CodePattern = `^[a-z][a-z0-9_]{0,31}$`

var codePattern = regexp.MustCompile(CodePattern)

// Codes returns the keys' codes in order.
func Codes(keys []Key) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Code
	}
	return out
}

// Find returns the key whose code or Chinese name is s (牛 or cattle), so
// that a spreadsheet may name a key either way.
func Find(keys []Key, s string) (Key, bool) {
	s = strings.TrimSpace(s)
	for _, k := range keys {
		if k.Code == s || k.Zh == s {
			return k, true
		}
	}
	return Key{}, false
}

// Label is the key's Chinese name with its unit, 牛（头）.
func (k Key) Label() string {
	if k.Unit == "" {
		return k.Zh
	}
	return k.Zh + "（" + k.Unit + "）"
}

// Format writes keys as the setting keeps them, one `code|中文|English|unit`
// a line.
func Format(keys []Key) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k.Code + "|" + k.Zh + "|" + k.En + "|" + k.Unit + "\n")
	}
	return b.String()
}

// Parse reads the setting: an empty one is the Defaults. Blank lines are
// skipped; every problem names its line (matter_outcomes.<n>).
func Parse(text string) ([]Key, error) {
	if strings.TrimSpace(text) == "" {
		return Defaults, nil
	}
	var (
		p    minyi.Problems
		keys []Key
		seen = map[string]int{}
	)
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n := strconv.Itoa(i + 1)
		field := Field + "." + n
		parts := strings.Split(line, "|")
		for len(parts) < 4 {
			parts = append(parts, "")
		}
		if len(parts) > 4 {
			p.Add(field, "第"+n+"行多于4项：代码|中文名|英文名|单位", "line "+n+" has more than 4 parts: code|Chinese|English|unit")
			continue
		}
		k := Key{strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2]), strings.TrimSpace(parts[3])}
		switch {
		case !codePattern.MatchString(k.Code):
			p.Add(field, "第"+n+"行的代码须以小写英文字母开头，只含小写字母、数字和下划线，最多32个字符",
				"line "+n+": the code must start with a lowercase letter and hold only lowercase letters, digits and _, at most 32")
		case seen[k.Code] > 0:
			p.Add(field, "第"+n+"行的代码"+k.Code+"与第"+strconv.Itoa(seen[k.Code])+"行重复",
				"line "+n+": code "+k.Code+" repeats line "+strconv.Itoa(seen[k.Code]))
		case k.Zh == "" || len([]rune(k.Zh)) > 20:
			p.Add(field, "第"+n+"行须有中文名（最多20字）", "line "+n+" needs a Chinese name (at most 20 characters)")
		case seen["zh:"+k.Zh] > 0:
			p.Add(field, "第"+n+"行的中文名"+k.Zh+"与第"+strconv.Itoa(seen["zh:"+k.Zh])+"行重复",
				"line "+n+": Chinese name "+k.Zh+" repeats line "+strconv.Itoa(seen["zh:"+k.Zh]))
		case strings.ContainsAny(k.Zh, "=、,，;；"):
			p.Add(field, "第"+n+"行的中文名不能含有＝、逗号或分号（导入时用作分隔）", "line "+n+": the Chinese name cannot hold =, commas or semicolons (the import separates with them)")
		case k.En == "" || len(k.En) > 60:
			p.Add(field, "第"+n+"行须有英文名（最多60个字符）", "line "+n+" needs an English name (at most 60 characters)")
		case len([]rune(k.Unit)) > 4:
			p.Add(field, "第"+n+"行的单位最多4个字", "line "+n+": the unit is at most 4 characters")
		default:
			seen[k.Code], seen["zh:"+k.Zh] = i+1, i+1
			keys = append(keys, k)
		}
	}
	if len(keys) > MaxKeys {
		p.Add(Field, "成效指标最多"+strconv.Itoa(MaxKeys)+"项", "at most "+strconv.Itoa(MaxKeys)+" outcome keys")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return Defaults, nil
	}
	return keys, nil
}

// Check is the setting's check: the list as stored (each line trimmed, in
// the one form Format writes), or why it cannot be one.
func Check(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	keys, err := Parse(text)
	if err != nil {
		return "", err
	}
	return Format(keys), nil
}
