// Package kind is the list of dispute kinds (纠纷类型) a bureau records its
// disputes by: a codelist.List of entries with names in Chinese and
// English. A bureau keeps its own list as a setting (SettingName), one kind
// a line `code|中文|English`; without one the Defaults apply. It is a
// package of its own, importing nothing of the registers, so that the
// settings' checks (archive) can name it without importing the dispute
// register.
//
// A kind dropped from the list stays readable: disputes recorded with it
// keep it and lists still filter by it, but new disputes may name only the
// kinds listed now. Dropping a kind is thus never refused.
package kind

import "minyi/codelist"

// Kind is one kind of dispute.
type Kind = codelist.Entry

// Defaults are the kinds of a bureau that set none: those the periodic
// report of a pastoral banner names.
var Defaults = []Kind{
	{Code: "neighbours", Zh: "邻里纠纷", En: "neighbours"},
	{Code: "family", Zh: "婚姻家庭", En: "family and marriage"},
	{Code: "land", Zh: "土地草场", En: "land and grassland"},
	{Code: "labour", Zh: "劳资纠纷", En: "labour and wages"},
	{Code: "debt", Zh: "债务纠纷", En: "debts"},
	{Code: "livestock", Zh: "牲畜纠纷", En: "livestock"},
	{Code: "other", Zh: "其他", En: "other"},
}

// SettingName is the setting's name, and the field its errors name; a
// line's errors name it as dispute_kinds.<line>, numbered from 1.
const SettingName = "dispute_kinds"

// MaxKinds is how many kinds a bureau may configure: the forms offer each.
const MaxKinds = 40

// CodePattern is what a kind's code looks like: ASCII, so that it can be a
// query's value and a form's option.
const CodePattern = codelist.CodePattern

// List is the dispute kinds' list.
var List = &codelist.List[Kind]{
	Field: SettingName, Defaults: Defaults, Max: MaxKinds,
	TooMany: func(max string) (string, string) {
		return "纠纷类型最多" + max + "种", "at most " + max + " dispute kinds"
	},
}

// Codes returns the kinds' codes in order.
func Codes(kinds []Kind) []string { return List.Codes(kinds) }

// Find returns the kind whose code or Chinese name is s, so that a
// spreadsheet or a person may name a kind either way.
func Find(kinds []Kind, s string) (Kind, bool) { return List.Find(kinds, s) }

// Format writes kinds as the setting keeps them, one `code|中文|English` a
// line.
func Format(kinds []Kind) string { return List.Format(kinds) }

// Parse reads the setting: an empty one is the Defaults; every problem
// names its line (dispute_kinds.<n>).
func Parse(text string) ([]Kind, error) { return List.Parse(text) }

// Check is the setting's check: the list as stored, or why it cannot be one.
func Check(text string) (string, error) { return List.Check(text) }
