// Package outcome is the counted outcomes a practical matter may report on
// completion (5 cattle, 53 sheep returned): a codelist.List whose keys have,
// besides a code and names in Chinese and English, an optional unit word. A
// bureau keeps its own list as a setting (archive.SettingMatterOutcomes),
// one key a line `code|中文|English|unit`; without one the Defaults apply.
//
// A key dropped from the list stays readable: matters that reported it keep
// it, and the ledger summary still sums it, but new completions may report
// only the keys listed now. Dropping a key is thus never refused, and no
// record changes when the list does.
package outcome

import (
	"strings"

	"minyi/codelist"
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
const CodePattern = codelist.CodePattern

// List is the outcomes' list: its fourth column is the unit, and a Chinese
// name cannot hold the separators the ledger import reads outcomes by
// (牛=5、羊=3).
var List = &codelist.List[Key]{
	Field: Field, Defaults: Defaults, Max: MaxKeys,
	TooMany: func(max string) (string, string) {
		return "成效指标最多" + max + "项", "at most " + max + " outcome keys"
	},
	CheckZh: func(n, zh string) (string, string) {
		if strings.ContainsAny(zh, "=、,，;；") {
			return "第" + n + "行的中文名不能含有＝、逗号或分号（导入时用作分隔）", "line " + n + ": the Chinese name cannot hold =, commas or semicolons (the import separates with them)"
		}
		return "", ""
	},
	Columns: []codelist.Column{{Zh: "单位", En: "unit", Check: func(n, unit string) (string, string) {
		if len([]rune(unit)) > 4 {
			return "第" + n + "行的单位最多4个字", "line " + n + ": the unit is at most 4 characters"
		}
		return "", ""
	}}},
	Split: func(k Key) (codelist.Entry, []string) {
		return codelist.Entry{Code: k.Code, Zh: k.Zh, En: k.En}, []string{k.Unit}
	},
	Join: func(e codelist.Entry, more []string) Key { return Key{e.Code, e.Zh, e.En, more[0]} },
}

// Codes returns the keys' codes in order.
func Codes(keys []Key) []string { return List.Codes(keys) }

// Find returns the key whose code or Chinese name is s (牛 or cattle), so
// that a spreadsheet may name a key either way.
func Find(keys []Key, s string) (Key, bool) { return List.Find(keys, s) }

// Label is the key's Chinese name with its unit, 牛（头）.
func (k Key) Label() string {
	if k.Unit == "" {
		return k.Zh
	}
	return k.Zh + "（" + k.Unit + "）"
}

// Format writes keys as the setting keeps them, one `code|中文|English|unit`
// a line.
func Format(keys []Key) string { return List.Format(keys) }

// Parse reads the setting: an empty one is the Defaults; every problem
// names its line (matter_outcomes.<n>).
func Parse(text string) ([]Key, error) { return List.Parse(text) }

// Check is the setting's check: the list as stored, or why it cannot be one.
func Check(text string) (string, error) { return List.Check(text) }
