package core

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"minyi"
	"minyi/locale"
)

// Cookie names. Preferences are cookies rather than account settings
// because citizens have no account.
const (
	LangCookie  = "minyi_lang"
	LargeCookie = "minyi_large"
	CSRFCookie  = "minyi_csrf"
	flashCookie = "minyi_flash"
	csrfField   = "csrf_token"
)

// PreferredLang is the reader's language: ?lang=, else the cookie, else
// what the browser asks for.
func PreferredLang(r *http.Request) locale.Lang {
	choice := r.URL.Query().Get("lang")
	if choice == "" {
		if c, err := r.Cookie(LangCookie); err == nil {
			choice = c.Value
		}
	}
	return locale.Negotiate(choice, r.Header.Get("Accept-Language"))
}

func prefersLarge(r *http.Request) bool {
	c, err := r.Cookie(LargeCookie)
	return err == nil && c.Value == "1"
}

// LocalPath returns p when it is a path on this site, else fallback, so that
// redirects after login or a switch cannot send the reader elsewhere.
func LocalPath(p, fallback string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return fallback
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return p
}

// URLEscape escapes s for a URL's query.
func URLEscape(s string) string { return url.QueryEscape(s) }

// CSRF protects every page form against cross-site request forgery with
// the double-submit pattern: the reader's token lives in a SameSite cookie
// and every form repeats it in a hidden field, which another site can
// neither read nor set; Go's cross-origin check (Sec-Fetch-Site, Origin)
// stands in front. The JSON API is exempt: it authenticates with bearer
// tokens, which browsers never attach on their own.
func (s *Base) CSRF(next http.Handler) http.Handler {
	crossOrigin := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		token := ""
		if c, err := r.Cookie(CSRFCookie); err == nil && len(c.Value) == 43 {
			token = c.Value
		}
		safe := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions
		if !safe {
			if err := crossOrigin.Check(r); err != nil {
				s.PageError(w, r, minyi.Errorf(minyi.EForbidden, "跨站请求被拒绝 / cross-origin request refused"))
				return
			}
			sent := r.PostFormValue(csrfField)
			if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(sent)) != 1 {
				s.PageError(w, r, minyi.Errorf(minyi.EForbidden, "页面已过期，请返回刷新后重试 / the form has expired: go back, reload and try again"))
				return
			}
		}
		if token == "" {
			b := make([]byte, 32)
			rand.Read(b)
			token = base64.RawURLEncoding.EncodeToString(b)
			http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: token, Path: "/", HttpOnly: true,
				SameSite: http.SameSiteLaxMode, Secure: s.Secure(r)})
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), csrfKey, token)))
	})
}

func csrfToken(r *http.Request) string {
	t, _ := r.Context().Value(csrfKey).(string)
	return t
}

// SetFlash leaves a one-line message for the next page the reader sees,
// after a redirect.
func SetFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func (s *Base) popFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	msg, _ := url.QueryUnescape(c.Value)
	return msg
}

// Secure reports whether cookies must be marked Secure: when configured
// (behind a TLS-terminating proxy the request itself looks plain) or when
// the request came over TLS.
func (s *Base) Secure(r *http.Request) bool { return s.Config.SecureCookies || r.TLS != nil }
