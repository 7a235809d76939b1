package archive

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
)

// Attribute is a question a category asks beyond the text, such as "which
// document is it about" for household registration. Open311 clients see
// them as service attributes.
type Attribute struct {
	Code        string           `json:"code"`
	Datatype    string           `json:"datatype"`    // one of AttributeTypes
	Description string           `json:"description"` // the question, in plain words
	Required    bool             `json:"required"`
	Order       int              `json:"order"`
	Values      []AttributeValue `json:"values,omitempty"` // for the list types
}

// AttributeValue is one choice of a list attribute.
type AttributeValue struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// AttributeTypes are the datatypes of Open311 GeoReport v2.
var AttributeTypes = []string{"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}

// ListTypes are the datatypes answered from a list of values; they need
// values, and the other types must have none.
var ListTypes = []string{"singlevaluelist", "multivaluelist"}

func isList(datatype string) bool { return slices.Contains(ListTypes, datatype) }

// validateAttributes checks a category's questions.
func validateAttributes(p *minyi.Problems, attrs []Attribute) {
	seen := map[string]bool{}
	for i, a := range attrs {
		field := "attributes[" + strconv.Itoa(i) + "]"
		switch {
		case !validCode(a.Code) || seen[a.Code]:
			p.Add(field+".code", "问题代码须唯一，为小写字母、数字、-或_", "attribute codes must be unique lower-case letters, digits, - or _")
		case !slices.Contains(AttributeTypes, a.Datatype):
			p.Add(field+".datatype", "类型须为 "+strings.Join(AttributeTypes, ", "), "datatype must be one of "+strings.Join(AttributeTypes, ", "))
		case strings.TrimSpace(a.Description) == "" || utf8.RuneCountInString(a.Description) > MaxDetailRunes:
			p.Add(field+".description", "问题须为1–200个字", "the question must be 1–200 characters")
		case isList(a.Datatype) != (len(a.Values) > 0):
			p.Add(field+".values", "列表类问题须有选项，其他问题不能有", "list attributes need values and others must have none")
		case slices.ContainsFunc(a.Values, func(v AttributeValue) bool {
			return strings.TrimSpace(v.Key) == "" || strings.TrimSpace(v.Name) == ""
		}):
			// A value without a key cannot be answered; without a name it
			// cannot be shown.
			p.Add(field+".values", "每个选项须有代码和名称", "every value needs a key and a name")
		}
		seen[a.Code] = true
	}
}

// Answers are a citizen's answers to a category's questions, by code; list
// attributes may have several.
type Answers map[string][]string

// CheckAnswers validates answers against the category's questions and
// returns them as lines to append to the item's text ("question: answer"),
// so staff read them and search finds them.
func (c Category) CheckAnswers(answers Answers) (string, error) {
	var p minyi.Problems
	var lines []string
	for code := range answers {
		if !slices.ContainsFunc(c.Attributes, func(a Attribute) bool { return a.Code == code }) {
			p.Add("attribute["+code+"]", "该分类没有这个问题", "this category asks no such question")
		}
	}
	attrs := slices.Clone(c.Attributes)
	slices.SortStableFunc(attrs, func(a, b Attribute) int { return a.Order - b.Order })
	for _, a := range attrs {
		field := "attribute[" + a.Code + "]"
		var vals []string
		for _, v := range answers[a.Code] {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			if a.Required {
				p.Add(field, "请回答："+a.Description, "required: "+a.Description)
			}
			continue
		}
		if a.Datatype != "multivaluelist" && len(vals) > 1 {
			p.Add(field, "只能有一个答案", "only one value is allowed")
			continue
		}
		shown, ok := answerText(a, vals)
		if !ok {
			p.Add(field, "答案不符合要求（"+a.Datatype+"）", "value is not a valid "+a.Datatype)
			continue
		}
		lines = append(lines, a.Description+"："+shown)
	}
	return strings.Join(lines, "\n"), p.Err()
}

func answerText(a Attribute, vals []string) (string, bool) {
	switch a.Datatype {
	case "number":
		_, err := strconv.ParseFloat(vals[0], 64)
		return vals[0], err == nil
	case "datetime":
		_, err := time.Parse(time.RFC3339, vals[0])
		return vals[0], err == nil
	case "string":
		return vals[0], utf8.RuneCountInString(vals[0]) <= 200
	case "text":
		return vals[0], utf8.RuneCountInString(vals[0]) <= 2000
	}
	var names []string
	for _, v := range vals {
		i := slices.IndexFunc(a.Values, func(x AttributeValue) bool { return x.Key == v })
		if i < 0 {
			return "", false
		}
		names = append(names, a.Values[i].Name)
	}
	return strings.Join(names, "、"), true
}
