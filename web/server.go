// Package web serves minyi over HTTP: the JSON API under /api/v1, health and
// metrics, and the pages. Every route is listed in routes.go; handlers stay
// thin and call the domain services, which check authorisation.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"

	"minyi/archive"
	"minyi/calendar"
	"minyi/locale"
	"minyi/org"
	"minyi/outbox"
	"minyi/ratelimit"
	"minyi/reporting"
)

// Store is what the web layer needs beyond its services: the
// configuration tables. *store.DB implements it.
type Store interface {
	// Unit is what archive.AddCategory checks a category's unit with.
	Unit(ctx context.Context, code string) (org.Unit, error)
	CreateCategory(ctx context.Context, c *archive.Category) error
	Categories(ctx context.Context) ([]archive.Category, error)
	Holidays(ctx context.Context) ([]calendar.Entry, error)
	PutHolidays(ctx context.Context, entries []calendar.Entry) error

	// Canned replies (常用答复) offered on the item desk.
	CannedReplies(ctx context.Context, category string) ([]archive.CannedReply, error)
	AllCannedReplies(ctx context.Context) ([]archive.CannedReply, error)
	CreateCannedReply(ctx context.Context, c *archive.CannedReply) error
	UpdateCannedReply(ctx context.Context, c archive.CannedReply) error

	// Administration pages (page_admin.go).
	UpdateCategory(ctx context.Context, c archive.Category) error
	DeskCandidates(ctx context.Context, limit int) ([]archive.Item, error)

	// Outside systems: partner webhooks and the outbox of notices and
	// deliveries (page_admin_outbound.go).
	outbox.WebhookStore
	Notices(ctx context.Context, f outbox.NoticeFilter) ([]archive.Notice, error)
	Deliveries(ctx context.Context, f outbox.DeliveryFilter) ([]outbox.Delivery, error)
	OutboxCounts(ctx context.Context, table string) (map[string]int64, error)

	// The bureau's settings that admins change (page_admin_settings.go).
	Setting(ctx context.Context, name string) (string, error)
	SetSetting(ctx context.Context, name, value, by string) error
}

// Services are what the web layer serves: the domain services, which
// check authorisation and validate, and the few stores of its own
// machinery. Handlers call these, never a database.
type Services struct {
	// Items is the archive of items.
	Items *archive.Service
	// Org is the organisation: units, accounts, logins, tokens and keys.
	Org *org.Service
	// Reports answers the stats API and the dashboard; it shares Items'
	// clock, or the overdue counts and the overdue list disagree.
	Reports *reporting.Service
	// Store is what the pages still reach without a service; it shrinks
	// as services take its parts over.
	Store Store

	// Sessions keeps staff web sessions, shared by every server.
	Sessions scs.CtxStore
	// Limits keeps the counts of the abuse limits, shared by every server
	// (limits.go).
	Limits ratelimit.Counter
	// Ping checks that the database answers (/healthz).
	Ping func(ctx context.Context) error
	// WriteFailure is the last write's error while the database refuses
	// writes (full, unreachable); nil when writes work.
	WriteFailure func() error
}

// Config holds the web layer's settings.
type Config struct {
	// MaxBodyBytes is the largest request body accepted; larger gets 413.
	MaxBodyBytes int64
	// AgencyName is shown on the pages.
	AgencyName string
	// Dialect names the database for /healthz.
	Dialect string
	// SessionIdle ends a staff session after this long without a request;
	// SessionMax ends it regardless. Defaults: 30 minutes and 12 hours.
	SessionIdle, SessionMax time.Duration
	// SecureCookies marks cookies Secure; set it when serving over HTTPS.
	SecureCookies bool
	// PublicURL is where citizens reach the server (for QR codes and SMS
	// links), e.g. https://minyi.example.gov.cn; default: the request's host.
	PublicURL string
	// RequireAdminTOTP sends administrators without a second login factor
	// (TOTP) to set one up before any other staff page works.
	RequireAdminTOTP bool
	// Jurisdiction is the Open311 jurisdiction_id accepted; requests naming
	// another get 404. Empty: any id is accepted.
	Jurisdiction string
	// Limits are the abuse limits; the zero value limits nothing.
	Limits Limits
	// TrustedProxies are the proxies whose X-Forwarded-For is believed
	// when working out a client's address (clientAddress).
	TrustedProxies []netip.Prefix
	// Now is the clock of the limits and logins; nil is time.Now.
	Now func() time.Time
	// WebhookAllow are the intranet networks webhooks may point at
	// (serve --webhook-allow); by default only the public Internet.
	WebhookAllow outbox.AllowList
}

// DefaultMaxBodyBytes fits a submission with its photos (4 × 5 MB, base64).
const DefaultMaxBodyBytes = 32 << 20

// Server is the HTTP front of minyi.
type Server struct {
	svc      Services
	items    *archive.Service
	org      *org.Service
	reports  *reporting.Service
	store    Store
	config   Config
	log      *slog.Logger
	metrics  *metrics
	handler  http.Handler
	started  time.Time
	catalog  *locale.Catalog
	pages    pages
	sessions *scs.SessionManager
	// limits counts in the database, shared by every server; local counts
	// in this process's memory (Open311 reads and clients' keys).
	limits, local ratelimit.Limiter
	o311Touched   o311Touches // when each Open311 key's use was last recorded
	failures      failureLog  // throttles the log of a failing database (failure.go)
}

// New builds a server over svc; call Handler to serve it.
func New(svc Services, cfg Config, log *slog.Logger) (*Server, error) {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.AgencyName == "" {
		cfg.AgencyName = "民意"
	}
	if log == nil {
		log = slog.Default()
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 30 * time.Minute
	}
	if cfg.SessionMax <= 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	pg, err := loadPages()
	if err != nil {
		return nil, err
	}
	sm := scs.New()
	sm.Store = newSessionStore(svc.Sessions, sm.Codec, cfg.SessionIdle)
	sm.IdleTimeout, sm.Lifetime = cfg.SessionIdle, cfg.SessionMax
	sm.Cookie.Name = "minyi_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.HashTokenInStore = true // a copy of the database must not hold live session tokens
	s := &Server{svc: svc, items: svc.Items, org: svc.Org, reports: svc.Reports, store: svc.Store, config: cfg, log: log, started: time.Now(),
		metrics: newMetrics(prometheus.NewRegistry()), catalog: locale.Default(), pages: pg, sessions: sm}
	s.limits = ratelimit.Limiter{Counter: svc.Limits, Now: s.now}
	s.local = ratelimit.Limiter{Counter: &ratelimit.Memory{}, Now: s.now}
	// A session that cannot be read or saved is the database's failure:
	// answered like any other (503 while it is unreachable).
	sm.ErrorFunc = s.pageError
	s.handler = s.routes()
	return s, nil
}

// now is the configured clock.
func (s *Server) now() time.Time {
	if s.config.Now != nil {
		return s.config.Now()
	}
	return time.Now()
}

// Handler returns the root handler with all middleware.
func (s *Server) Handler() http.Handler { return s.handler }
