package report

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode/utf8"

	"minyi"
)

// The prose of a report comes from a text/template whose sections are
// named templates ({{define "listening"}}…{{end}}, see Sections): each
// renders the paragraphs of its section, one paragraph per block of lines
// separated by a blank line. The data is the report's period and scope
// (templateData) and the functions are those of funcNames, nothing else:
// a template can print figures and stories, never reach anything else.

//go:embed default.tmpl
var defaultText string

// DefaultText is the built-in template's text, in Chinese in the source's
// style.
func DefaultText() string { return defaultText }

// templateName is the name a template is parsed under; errors name it with
// the line.
const templateName = "report"

// MaxTemplateRunes bounds a template's text, in characters.
const MaxTemplateRunes = 32 << 10

// Template is a parsed report template.
type Template struct {
	// Version is the stored version; 0 for the default.
	Version int
	Text    string
	t       *template.Template
}

// figure marks: fig prints its key between these, and Build turns the
// marked key into a span of the figure; both are private-use characters
// no text of a register holds.
const (
	markOpen  = "\uE000"
	markClose = "\uE001"
)

// keyFuncs are the functions whose first argument is a figure's key.
var keyFuncs = []string{"fig", "num", "has", "label"}

// funcs are the functions a template may call; Build binds them to the
// report's figures (see (*builder).funcs). Parsing uses these, which only
// say what is called.
var funcs = template.FuncMap{
	"fig":     func(string) (string, error) { return "", nil },
	"num":     func(string) (int64, error) { return 0, nil },
	"has":     func(string) (bool, error) { return false, nil },
	"label":   func(string) (string, error) { return "", nil },
	"pct":     func(string, string) (string, error) { return "", nil },
	"stories": func(string) ([]Story, error) { return nil, nil },
	"date":    func(string) string { return "" },
	"join":    func([]string, string) string { return "" },
}

// TemplateError is a template that does not parse, names an unknown figure
// or fails when run, with the line of the template at fault (0 when the
// error names none).
type TemplateError struct {
	Line int
	Msg  string
}

func (e *TemplateError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("report template line %d: %s", e.Line, e.Msg)
	}
	return "report template: " + e.Msg
}

// AsProblem turns a template error into a 400 naming the field template
// and the line, in Chinese and English.
func (e *TemplateError) AsProblem() error {
	if e.Line > 0 {
		return minyi.Invalid("text", fmt.Sprintf("模板第%d行有误：%s", e.Line, e.Msg), fmt.Sprintf("template line %d: %s", e.Line, e.Msg))
	}
	return minyi.Invalid("text", "模板有误："+e.Msg, "template: "+e.Msg)
}

// lineRe finds the line in text/template's errors ("template: report:12:5: …").
var lineRe = regexp.MustCompile(`template: ` + templateName + `:(\d+)(?::\d+)?: `)

// templateError turns an error of text/template into a TemplateError.
func templateError(err error) *TemplateError {
	var te *TemplateError
	if errors.As(err, &te) {
		return te
	}
	msg := err.Error()
	m := lineRe.FindStringSubmatchIndex(msg)
	if m == nil {
		return &TemplateError{Msg: strings.TrimPrefix(msg, "template: ")}
	}
	line, _ := strconv.Atoi(msg[m[2]:m[3]])
	rest := msg[m[1]:]
	// "executing "x" at <fig "y">: error calling fig: unknown figure" reads
	// better without text/template's plumbing.
	if i := strings.LastIndex(rest, "error calling "); i >= 0 {
		if j := strings.Index(rest[i:], ": "); j >= 0 {
			rest = rest[i+j+2:]
		}
	}
	return &TemplateError{Line: line, Msg: rest}
}

// ParseTemplate parses text as a report template and checks it: it must
// parse, every figure it names by a literal key must be one a report
// knows (KnownKey), and it must run on a report with no records. The error
// is a *TemplateError naming the line.
func ParseTemplate(text string) (*Template, error) {
	if utf8.RuneCountInString(text) > MaxTemplateRunes {
		return nil, &TemplateError{Msg: fmt.Sprintf("模板过长（最多%d字）/ too long (at most %d characters)", MaxTemplateRunes, MaxTemplateRunes)}
	}
	t, err := template.New(templateName).Funcs(funcs).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, templateError(err)
	}
	for _, tt := range t.Templates() {
		if tt.Tree == nil {
			continue
		}
		if err := checkKeys(tt.Tree, tt.Root); err != nil {
			return nil, err
		}
	}
	tpl := &Template{Text: text, t: t}
	// Run it once on a report without records: a template that fails on
	// real data fails here too, unless it fails only for some figures'
	// values, which Build reports in the same way.
	if _, err := Build(Inputs{Spec: Spec{From: "2021-01-01", To: "2021-12-31"}}, tpl); err != nil {
		return nil, err
	}
	return tpl, nil
}

// checkKeys refuses a call of a key function (fig "x", num "x"…) on a key
// no report knows, naming the key and its line.
func checkKeys(tree *parse.Tree, n parse.Node) error {
	var err error
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		if err != nil || n == nil {
			return
		}
		switch x := n.(type) {
		case *parse.ListNode:
			if x == nil {
				return
			}
			for _, c := range x.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(x.Pipe)
		case *parse.PipeNode:
			if x == nil {
				return
			}
			for _, c := range x.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			if len(x.Args) >= 2 {
				if id, ok := x.Args[0].(*parse.IdentifierNode); ok && slices.Contains(keyFuncs, id.Ident) {
					if s, ok := x.Args[1].(*parse.StringNode); ok && !KnownKey(s.Text) {
						loc, _ := tree.ErrorContext(s)
						err = &TemplateError{Line: lineOf(loc), Msg: fmt.Sprintf("未知的数据项 %q / unknown figure %q", s.Text, s.Text)}
						return
					}
				}
			}
			for _, a := range x.Args {
				walk(a)
			}
		case *parse.IfNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.RangeNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.WithNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.TemplateNode:
			walk(x.Pipe)
		}
	}
	walk(n)
	return err
}

// lineOf reads the line of a location "report:12:5".
func lineOf(loc string) int {
	parts := strings.Split(loc, ":")
	if len(parts) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(parts[1])
	return n
}

// defaultTemplate is the built-in template, parsed once; it is checked by
// a test, so a failure here is a programming error.
var defaultTemplate = func() *Template {
	t, err := template.New(templateName).Funcs(funcs).Option("missingkey=error").Parse(defaultText)
	if err != nil {
		panic(err)
	}
	return &Template{Text: defaultText, t: t}
}()

// DefaultTemplate returns the built-in template.
func DefaultTemplate() *Template { return defaultTemplate }
