// Package pages serves minyi's HTML pages: the citizen portal and the
// staff workspace, with their templates and static files embedded. Files
// are named by register (or area) and page; routes.go has one route list
// per register. Handlers stay thin and call the domain services, which
// check authorisation.
package pages

import (
	"io/fs"
	"net/http"
	"strings"

	"minyi/web/core"
)

// Pages is the pages' handlers over the shared state.
type Pages struct {
	*core.Base
}

// New builds the pages over b, whose Templates are LoadTemplates'.
func New(b *core.Base) *Pages { return &Pages{Base: b} }

// Mount registers every page on mux, each behind the session, the
// logged-in user, CSRF and the page headers, staff pages also behind the
// login. A poll's session is read without extending its idle timeout
// (core.NotActivity), so an open tab does not keep a session alive forever.
func (s *Pages) Mount(mux *http.ServeMux) {
	for _, list := range s.routes() {
		for _, r := range list {
			h := http.Handler(s.Instrument(r.pattern, core.CheckInput(s.Page(r.handler), s.PageError)))
			if r.access == "staff" || r.access == "staff-poll" {
				h = s.requireLogin(h)
			}
			h = s.Sessions.LoadAndSave(s.SessionUser(s.CSRF(s.SecurePage(h))))
			if r.access == "staff-poll" {
				h = core.NotActivity(h)
			}
			mux.Handle(r.method+" "+r.pattern, h)
		}
	}
}

// requireLogin sends anonymous visitors of staff pages to the login page,
// and administrators without a second factor to set one up when the
// configuration requires it (RequireAdminTOTP).
func (s *Pages) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := core.UserFrom(r.Context())
		if !ok {
			http.Redirect(w, r, "/login?next="+core.URLEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if s.mustEnrolTOTP(r, u) {
			core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "account.totp_required"))
			http.Redirect(w, r, "/staff/account", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Static serves the embedded stylesheet, script and icons.
func (s *Pages) Static() http.HandlerFunc {
	sub, _ := fs.Sub(assets, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if strings.HasSuffix(r.URL.Path, ".woff2") {
			// Go's own table of types lacks the web font's.
			w.Header().Set("Content-Type", "font/woff2")
		}
		files.ServeHTTP(w, r)
	}
}
