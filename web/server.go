// Package web serves minyi over HTTP: the JSON API under /api/v1, health and
// metrics, and the pages. Every route is listed in routes.go; handlers stay
// thin and call the domain services, which check authorisation.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
)

// Store is what the web layer needs beyond the archive service: the
// organisation and the configuration tables. *store.DB implements it.
type Store interface {
	org.Store
	CreateCategory(ctx context.Context, c *archive.Category) error
	Categories(ctx context.Context) ([]archive.Category, error)
	Holidays(ctx context.Context) ([]calendar.Entry, error)
	PutHolidays(ctx context.Context, entries []calendar.Entry) error
	Ping(ctx context.Context) error
}

// Config holds the web layer's settings.
type Config struct {
	// MaxBodyBytes is the largest request body accepted; larger gets 413.
	MaxBodyBytes int64
	// AgencyName is shown on the pages.
	AgencyName string
	// Dialect names the database for /healthz.
	Dialect string
}

// DefaultMaxBodyBytes fits a submission with its photos (4 × 5 MB, base64).
const DefaultMaxBodyBytes = 32 << 20

// Server is the HTTP front of minyi.
type Server struct {
	items   *archive.Service
	store   Store
	config  Config
	log     *slog.Logger
	metrics *metrics
	handler http.Handler
	started time.Time
}

// New builds a server; call Handler to serve it.
func New(items *archive.Service, store Store, cfg Config, log *slog.Logger) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.AgencyName == "" {
		cfg.AgencyName = "民意"
	}
	if log == nil {
		log = slog.Default()
	}
	s := &Server{items: items, store: store, config: cfg, log: log, started: time.Now(),
		metrics: newMetrics(prometheus.NewRegistry())}
	s.handler = s.routes()
	return s
}

// Handler returns the root handler with all middleware.
func (s *Server) Handler() http.Handler { return s.handler }
