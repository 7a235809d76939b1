package report

import (
	"context"
	"strings"
	"time"

	"minyi"
	"minyi/org"
)

// Register is the name of the report templates' register in the event
// log: every save is an event of it.
const Register = "report_template"

// StoredTemplate is one saved version of the report template.
type StoredTemplate struct {
	Version   int       `json:"version"`
	Text      string    `json:"text"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

// TemplateStore keeps the versions of the report template; a save is an
// event of Register in the event log, in the same transaction.
type TemplateStore interface {
	// ReportTemplates returns the latest versions, newest first, at most
	// limit of them.
	ReportTemplates(ctx context.Context, limit int) ([]StoredTemplate, error)
	// SaveReportTemplate stores t as the version after base; when the
	// latest version is not base it stores nothing and returns an
	// EConflict error.
	SaveReportTemplate(ctx context.Context, t StoredTemplate, base int) (StoredTemplate, error)
}

// TemplateState is the template in use and how it came to be: the latest
// stored version that parses, or the default.
type TemplateState struct {
	Version   int       `json:"version"` // 0: the default, no version stored
	Text      string    `json:"text"`
	Author    string    `json:"author,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	// Default is the built-in template's text, for the editor to start
	// again from.
	Default string `json:"default"`
	// Latest is the latest version stored; newer than Version only when
	// that one no longer parses (a function it names was removed).
	Latest int `json:"latest"`
}

// checkedVersions is how many versions back Current looks for one that
// parses.
const checkedVersions = 20

// Current returns the template reports are written with: the latest
// stored version that parses, or the default.
func (s *Service) Current(ctx context.Context) (*Template, error) {
	st, err := s.state(ctx)
	if err != nil || st.Version == 0 {
		return DefaultTemplate(), err
	}
	t, err := ParseTemplate(st.Text)
	if err != nil {
		return DefaultTemplate(), nil
	}
	t.Version = st.Version
	return t, nil
}

// state finds the latest stored version that parses.
func (s *Service) state(ctx context.Context) (TemplateState, error) {
	out := TemplateState{Text: defaultText, Default: defaultText}
	if s.Templates == nil {
		return out, nil
	}
	list, err := s.Templates.ReportTemplates(ctx, checkedVersions)
	if err != nil {
		return out, err
	}
	if len(list) > 0 {
		out.Latest = list[0].Version
	}
	for _, t := range list {
		if _, err := ParseTemplate(t.Text); err == nil {
			out.Version, out.Text, out.Author, out.CreatedAt = t.Version, t.Text, t.Author, t.CreatedAt
			break
		}
	}
	return out, nil
}

// mayEdit admits the admins, who alone change the template.
func mayEdit(u org.User) error {
	if u.Disabled || !u.CanManage() {
		return minyi.Errorf(minyi.EForbidden, "仅管理员可修改报告模板 / only admins may change the report template")
	}
	return nil
}

// Template returns the template in use, for the admins' editor.
func (s *Service) Template(ctx context.Context, u org.User) (TemplateState, error) {
	if err := mayEdit(u); err != nil {
		return TemplateState{}, err
	}
	return s.state(ctx)
}

// SaveTemplate stores text as the next version after base (the version the
// editor started from; 0 when it started from the default). A template
// that does not parse, names an unknown figure or fails on a report is
// refused naming the line, and nothing is stored; a base that is not the
// latest version is a conflict.
func (s *Service) SaveTemplate(ctx context.Context, u org.User, text string, base int) (TemplateState, error) {
	if err := mayEdit(u); err != nil {
		return TemplateState{}, err
	}
	if s.Templates == nil {
		return TemplateState{}, minyi.Errorf(minyi.EInternal, "报告模板无处保存 / no store for report templates")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if strings.TrimSpace(text) == "" {
		return TemplateState{}, minyi.Invalid("text", "模板不能为空", "template must not be empty")
	}
	if _, err := ParseTemplate(text); err != nil {
		return TemplateState{}, templateError(err).AsProblem()
	}
	if base < 0 {
		return TemplateState{}, minyi.Invalid("version", "版本号无效", "version must not be negative")
	}
	if _, err := s.Templates.SaveReportTemplate(ctx, StoredTemplate{Text: text, Author: u.Name}, base); err != nil {
		return TemplateState{}, err
	}
	return s.state(ctx)
}

// Preview writes the report of spec for u with text as the template,
// storing nothing: the editor's preview. Only admins preview templates.
func (s *Service) Preview(ctx context.Context, u org.User, spec Spec, text string) (Document, error) {
	if err := mayEdit(u); err != nil {
		return Document{}, err
	}
	if strings.TrimSpace(text) == "" {
		return Document{}, minyi.Invalid("text", "模板不能为空", "template must not be empty")
	}
	tpl, err := ParseTemplate(strings.ReplaceAll(text, "\r\n", "\n"))
	if err != nil {
		return Document{}, templateError(err).AsProblem()
	}
	in, err := s.Inputs(ctx, u, spec)
	if err != nil {
		return Document{}, err
	}
	doc, err := Build(in, tpl)
	if err != nil {
		return Document{}, templateError(err).AsProblem()
	}
	return doc, nil
}
