// Package kind is the list of dispute kinds (纠纷类型) a bureau records its
// disputes by: each a code with its names in Chinese and English. A bureau
// keeps its own list as a setting (SettingName), one kind a line
// `code|中文|English`; without one the Defaults apply. It is a package of
// its own, importing nothing of the registers, so that the settings' checks
// (archive) can name it without importing the dispute register.
//
// A kind dropped from the list stays readable: disputes recorded with it
// keep it and lists still filter by it, but new disputes may name only the
// kinds listed now. Dropping a kind is thus never refused.
package kind

import (
	"regexp"
	"strconv"
	"strings"

	"minyi"
)

// Kind is one kind of dispute.
type Kind struct {
	Code string `json:"code"` // ASCII, e.g. land
	Zh   string `json:"zh"`   // simplified Chinese, e.g. 土地草场
	En   string `json:"en"`   // English, e.g. land and grassland
}

// Defaults are the kinds of a bureau that set none: those the periodic
// report of a pastoral banner names.
var Defaults = []Kind{
	{"neighbours", "邻里纠纷", "neighbours"},
	{"family", "婚姻家庭", "family and marriage"},
	{"land", "土地草场", "land and grassland"},
	{"labour", "劳资纠纷", "labour and wages"},
	{"debt", "债务纠纷", "debts"},
	{"livestock", "牲畜纠纷", "livestock"},
	{"other", "其他", "other"},
}

// SettingName is the setting's name, and the field its errors name; a
// line's errors name it as dispute_kinds.<line>, numbered from 1.
const SettingName = "dispute_kinds"

// MaxKinds is how many kinds a bureau may configure: the forms offer each.
const MaxKinds = 40

// CodePattern is what a kind's code looks like: ASCII, so that it can be a
// query's value and a form's option.
const CodePattern = `^[a-z][a-z0-9_]{0,31}$`

var codePattern = regexp.MustCompile(CodePattern)

// Codes returns the kinds' codes in order.
func Codes(kinds []Kind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.Code
	}
	return out
}

// Find returns the kind whose code or Chinese name is s, so that a
// spreadsheet or a person may name a kind either way.
func Find(kinds []Kind, s string) (Kind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range kinds {
		if k.Code == s || k.Zh == s {
			return k, true
		}
	}
	return Kind{}, false
}

// Format writes kinds as the setting keeps them, one `code|中文|English` a
// line.
func Format(kinds []Kind) string {
	var b strings.Builder
	for _, k := range kinds {
		b.WriteString(k.Code + "|" + k.Zh + "|" + k.En + "\n")
	}
	return b.String()
}

// Parse reads the setting: an empty one is the Defaults. Blank lines are
// skipped; every problem names its line (dispute_kinds.<n>).
func Parse(text string) ([]Kind, error) {
	if strings.TrimSpace(text) == "" {
		return Defaults, nil
	}
	var (
		p     minyi.Problems
		kinds []Kind
		seen  = map[string]int{}
	)
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n := strconv.Itoa(i + 1)
		field := SettingName + "." + n
		parts := strings.Split(line, "|")
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		if len(parts) > 3 {
			p.Add(field, "第"+n+"行多于3项：代码|中文名|英文名", "line "+n+" has more than 3 parts: code|Chinese|English")
			continue
		}
		k := Kind{strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])}
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
		case k.En == "" || len(k.En) > 60:
			p.Add(field, "第"+n+"行须有英文名（最多60个字符）", "line "+n+" needs an English name (at most 60 characters)")
		default:
			seen[k.Code], seen["zh:"+k.Zh] = i+1, i+1
			kinds = append(kinds, k)
		}
	}
	if len(kinds) > MaxKinds {
		p.Add(SettingName, "纠纷类型最多"+strconv.Itoa(MaxKinds)+"种", "at most "+strconv.Itoa(MaxKinds)+" dispute kinds")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		return Defaults, nil
	}
	return kinds, nil
}

// Check is the setting's check: the list as stored (each line trimmed, in
// the one form Format writes), or why it cannot be one.
func Check(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	kinds, err := Parse(text)
	if err != nil {
		return "", err
	}
	return Format(kinds), nil
}
