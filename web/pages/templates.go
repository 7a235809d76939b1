package pages

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"minyi/web/core"
)

//go:embed templates static
var assets embed.FS

// chinaTime is the zone every date on the pages is shown in.
var chinaTime = time.FixedZone("CST", 8*3600)

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
	// args passes several named values to a partial: args "View" $ "ID" "x".
	"args": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"query": func(pairs ...string) template.URL {
		var b strings.Builder
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(core.URLEscape(pairs[i]) + "=" + core.URLEscape(pairs[i+1]))
		}
		return template.URL(b.String())
	},
	"current": currentSection,
}

// currentSection marks the staff menu's link to the section the reader is
// in, so the menu says where one is: aria-current="page" on the page itself,
// "true" on a page under it. A pattern ending in "/" covers the paths under
// it; the query is ignored.
func currentSection(path string, patterns ...string) template.HTMLAttr {
	p, _, _ := strings.Cut(path, "?")
	for _, pat := range patterns {
		switch base := strings.TrimSuffix(pat, "/"); {
		case p == base:
			return ` aria-current="page"`
		case base != pat && strings.HasPrefix(p, pat):
			return ` aria-current="true"`
		}
	}
	return ""
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

// LoadTemplates parses the embedded templates: for every page, the layout
// and partials with the page's own file (core.Templates).
func LoadTemplates() (core.Templates, error) {
	base, err := template.New("").Funcs(templateFuncs).ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(assets, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := core.Templates{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(assets, f)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return out, nil
}
