package web

import (
	"net/http"
	"strings"

	"minyi"
	"minyi/web/core"
)

// routes mounts every audience on one mux, answers unknown addresses in
// the asker's format, and wraps it all in the middleware chain.
func (s *Server) routes() http.Handler {
	b := s.base
	mux := http.NewServeMux()
	allowed := s.api.Mount(mux)
	known := http.NewServeMux() // the API's paths, whatever the method: tells 405 from 404
	for pattern := range allowed {
		known.Handle(pattern, http.NotFoundHandler())
	}
	s.pages.Mount(mux)
	s.open311.Mount(mux)
	mux.Handle("GET /static/", b.Instrument("/static/", s.pages.Static()))
	// Unknown addresses: JSON for API clients, a page for people.
	// A route of the table asked with another method: 405 with Allow.
	wrongMethod := func(w http.ResponseWriter, r *http.Request) bool {
		_, p := known.Handler(r)
		if p == "" {
			return false
		}
		methods := strings.Join(allowed[p], ", ")
		w.Header().Set("Allow", methods)
		b.ErrorStatus(w, r, http.StatusMethodNotAllowed, minyi.Errorf(minyi.EInvalid,
			"不支持%s方法 / method %s not allowed; use %s", r.Method, r.Method, methods))
		return true
	}
	mux.Handle("/api/", b.Instrument("other", func(w http.ResponseWriter, r *http.Request) {
		if !wrongMethod(w, r) {
			b.Error(w, r, core.NotFoundRoute(r))
		}
	}))
	mux.Handle("/", b.Instrument("other", b.SecurePage(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !wrongMethod(w, r) {
			b.PageError(w, r, minyi.Errorf(minyi.ENotFound, "没有这个页面 / no such page"))
		}
	})).ServeHTTP))
	return b.RecoverPanics(b.ClientAddress(b.LogRequests(s.limitBody(b.Authenticate(mux)))))
}

// limitBody caps request bodies; reading past the cap fails with
// *http.MaxBytesError, which core.DecodeJSON turns into 413. Open311 gets
// its own error shape.
func (s *Server) limitBody(next http.Handler) http.Handler {
	b := s.base
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > b.Config.MaxBodyBytes {
			if strings.HasPrefix(r.URL.Path, "/open311/") {
				s.open311.FailPath(w, r, core.TooLarge(b.Config.MaxBodyBytes))
				return
			}
			b.Error(w, r, core.TooLarge(b.Config.MaxBodyBytes))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, b.Config.MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}
