package core

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"minyi"
)

// InputProblem names the first path, query or form value of r that is not
// text: invalid UTF-8 or a NUL byte. No handler can use such a value, and
// PostgreSQL refuses it in a query with an error that would otherwise be
// answered 500, so every door checks here, once, before its handler runs.
// Path wildcards are named by their pattern names unless renamed (Open311
// calls its {file} a service_code, service_request_id or token). The form
// is checked only when a body was already parsed (pages' CSRF check parses
// it; Open311 parses its own): parsing it here would take over the body
// limit's error from the handler.
func InputProblem(r *http.Request, rename map[string]string) error {
	for _, name := range wildcards(r.Pattern) {
		if !isText(r.PathValue(name)) {
			if n, ok := rename[name]; ok {
				name = n
			}
			return badText(name)
		}
	}
	if field, ok := badValue(r.URL.Query()); !ok {
		return badText(field)
	}
	if r.PostForm != nil {
		if field, ok := badValue(r.PostForm); !ok {
			return badText(field)
		}
	}
	if r.MultipartForm != nil {
		if field, ok := badValue(r.MultipartForm.Value); !ok {
			return badText(field)
		}
	}
	return nil
}

// CheckInput answers a request with a bad value through fail (the door's
// own error format) instead of running h.
func CheckInput(h http.Handler, fail func(http.ResponseWriter, *http.Request, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := InputProblem(r, nil); err != nil {
			fail(w, r, err)
			return
		}
		h.ServeHTTP(w, r)
	}
}

func badText(field string) error {
	return minyi.Invalid(field, "含有无效字符（空字符或非UTF-8编码）", "must be valid UTF-8 text without NUL bytes")
}

// badValue returns the first key of v (in sorted order, so the answer is
// stable) whose name or values are not text; a bad key is named "query".
func badValue(v url.Values) (string, bool) {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !isText(k) {
			return "query", false
		}
		for _, s := range v[k] {
			if !isText(s) {
				return k, false
			}
		}
	}
	return "", true
}

func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// wildcards lists the names of a ServeMux pattern's {wildcards}.
func wildcards(pattern string) []string {
	var out []string
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(pattern[i:], '}')
		if j < 0 {
			return out
		}
		name := strings.TrimSuffix(pattern[i+1:i+j], "...")
		if name != "$" {
			out = append(out, name)
		}
		pattern = pattern[i+j+1:]
	}
}

// URLHost is what the log says of a webhook's address: its host, not a
// token a partner may have put in the path or query.
func URLHost(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Host
	}
	return ""
}
