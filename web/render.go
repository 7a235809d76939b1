package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"minyi"
	"minyi/locale"
	"minyi/org"
)

//go:embed templates static
var assets embed.FS

// chinaTime is the zone every date on the pages is shown in.
var chinaTime = time.FixedZone("CST", 8*3600)

// view is what every page template receives: the reader's preferences and
// identity around the page's own data.
type view struct {
	Lang   locale.Lang
	Large  bool // elder-friendly mode (大字版)
	User   *org.User
	CSRF   string
	Agency string
	Path   string // the request's path and query, to come back to after a switch
	Title  string
	Flash  string
	Errors map[string]string // field → message, for forms
	Data   any
	Now    time.Time
	// DutyPhone is the bureau's duty phone, on the pages that show the
	// emergency notice (withEmergency).
	DutyPhone string
	cat       *locale.Catalog
}

// T translates a message key into the reader's language.
func (v *view) T(key string, args ...any) string { return v.cat.T(v.Lang, key, args...) }

// Conv shows text stored in simplified Chinese in the reader's script.
func (v *view) Conv(text string) string { return v.cat.Convert(v.Lang, text) }

// Label names a code (kind, channel, status, …) in the reader's language.
func (v *view) Label(group string, code any) string {
	c := fmt.Sprint(code)
	if c == "" {
		return ""
	}
	return v.T(group + "." + c)
}

// Langs lists the language switch's choices.
func (v *view) Langs() []locale.Lang { return locale.Langs }

// Err returns the message for a form field, if it was refused.
func (v *view) Err(field string) string { return v.Errors[field] }

var templateFuncs = template.FuncMap{
	"datetime": func(t any) string { return formatTime(t, "2006-01-02 15:04") },
	"date":     func(t any) string { return formatTime(t, "2006-01-02") },
	"isoTime":  func(t any) string { return formatTime(t, time.RFC3339) },
	"add":      func(a, b int) int { return a + b },
	"percent": func(f float64) string {
		return fmt.Sprintf("%.1f%%", f*100)
	},
	"fields":    strings.Fields,
	"formToken": newFormToken,
	"tel":       telURL,
	"lines":     func(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") },
	"query": func(pairs ...string) template.URL {
		var b strings.Builder
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(urlEscape(pairs[i]) + "=" + urlEscape(pairs[i+1]))
		}
		return template.URL(b.String())
	},
}

func formatTime(t any, layout string) string {
	switch t := t.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.In(chinaTime).Format(layout)
	case *time.Time:
		if t == nil || t.IsZero() {
			return ""
		}
		return t.In(chinaTime).Format(layout)
	}
	return ""
}

// pages holds one template set per page: the layout and partials, plus the
// page's own file, so that pages can each define "main" without clashing.
type pages map[string]*template.Template

func loadPages() (pages, error) {
	base, err := template.New("").Funcs(templateFuncs).ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(assets, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := pages{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(assets, f)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return out, nil
}

// newView gathers what every page needs from the request.
func (s *Server) newView(w http.ResponseWriter, r *http.Request, title string, data any) *view {
	v := &view{
		Lang:   preferredLang(r),
		Large:  prefersLarge(r),
		CSRF:   csrfToken(r),
		Agency: s.config.AgencyName,
		Path:   r.URL.RequestURI(),
		Title:  title,
		Data:   data,
		Now:    time.Now(),
		cat:    s.catalog,
	}
	if u, ok := userFrom(r.Context()); ok {
		v.User = &u
	}
	v.Flash = s.popFlash(w, r)
	return v
}

// render writes a page. It renders into a buffer first so that a template
// failure becomes a clean error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	t, ok := s.pages[page]
	if !ok {
		s.pageError(w, r, minyi.Internal(errors.New("no page template "+page)))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.ErrorContext(r.Context(), "render", "page", page, "err", err)
		http.Error(w, "内部错误 / internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageError shows err as a page in the reader's language with the status
// the API would use for it.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status := status(w, err)
	s.failed(w, r, status, err)
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+urlEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	v := s.newView(w, r, "", nil)
	v.Title = v.T("error.title")
	v.Data = map[string]any{"Status": status, "Message": localMessage(v.Lang, minyi.ErrorMessage(err))}
	s.render(w, r, status, "error", v)
}

// fieldErrors turns a validation error into per-field messages in the
// reader's language, or nil when err is not about fields.
func fieldErrors(cat *locale.Catalog, l locale.Lang, err error) map[string]string {
	var e *minyi.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		if l == locale.En {
			out[f.Field] = f.En
		} else {
			out[f.Field] = cat.Convert(l, f.Zh)
		}
	}
	return out
}

// formErrors is what a refused form shows: the problems by field, or the
// whole message under "form" when the error is not about one field.
func formErrors(cat *locale.Catalog, l locale.Lang, err error) map[string]string {
	if err == nil {
		return nil
	}
	if fe := fieldErrors(cat, l, err); fe != nil {
		return fe
	}
	return map[string]string{"form": localMessage(l, minyi.ErrorMessage(err))}
}

// localMessage picks one half of a bilingual "中文 / English" message.
func localMessage(l locale.Lang, msg string) string {
	zh, en, ok := strings.Cut(msg, " / ")
	if !ok {
		return msg
	}
	if l == locale.En {
		return en
	}
	return locale.Default().Convert(l, zh)
}
