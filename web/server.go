// Package web serves minyi over HTTP. It assembles the audiences, each a
// package over the shared core (web/core: state, errors, sessions,
// middleware): the JSON API under /api/v1 with health and metrics
// (web/api), Open311 under /open311/v2 (web/open311) and the pages
// (web/pages). routes.go mounts them, the middleware chain around them
// and the answers to unknown addresses.
package web

import (
	"log/slog"
	"net/http"

	"minyi/web/api"
	"minyi/web/core"
	"minyi/web/open311"
	"minyi/web/pages"
)

// Services are what the web layer serves (core.Services).
type Services = core.Services

// Config holds the web layer's settings (core.Config).
type Config = core.Config

// Limits are the abuse limits of citizens' doors (core.Limits).
type Limits = core.Limits

// DefaultMaxBodyBytes fits a submission with its photos (4 × 5 MB, base64).
const DefaultMaxBodyBytes = core.DefaultMaxBodyBytes

// Server is the HTTP front of minyi.
type Server struct {
	base    *core.Base
	api     *api.API
	open311 *open311.Open311
	pages   *pages.Pages
	handler http.Handler
}

// New builds a server over svc; call Handler to serve it.
func New(svc Services, cfg Config, log *slog.Logger) (*Server, error) {
	templates, err := pages.LoadTemplates()
	if err != nil {
		return nil, err
	}
	b := core.NewBase(svc, cfg, log, templates)
	o311 := open311.New(b)
	s := &Server{base: b, api: api.New(b, o311), open311: o311, pages: pages.New(b)}
	s.handler = s.routes()
	return s, nil
}

// Handler returns the root handler with all middleware.
func (s *Server) Handler() http.Handler { return s.handler }
