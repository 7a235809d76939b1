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
	"minyi/locale"
	"minyi/meeting"
	"minyi/org"
	"minyi/outbox"
	"minyi/ratelimit"
	"minyi/reporting"
)

// Services are what the web layer serves: the domain services, which
// check authorisation and validate, and the few values of the database's
// own machinery (its health, the staff sessions, the counts of the abuse
// limits). Handlers call these, never a store: the web layer declares no
// storage interface.
type Services struct {
	// Items is the archive of items.
	Items *archive.Service
	// Org is the organisation: units, accounts, logins, tokens and keys.
	Org *org.Service
	// Meetings is the register of meetings.
	Meetings *meeting.Service
	// Reports answers the stats API and the dashboard; it shares Items'
	// clock, or the overdue counts and the overdue list disagree.
	Reports *reporting.Service
	// Config is the archive's configuration: categories, canned replies,
	// the calendar, the bureau's settings, the desk's candidates.
	Config *archive.Config
	// Outbox is what leaves minyi: webhooks, notices, deliveries.
	Outbox *outbox.Service

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
}

// DefaultMaxBodyBytes fits a submission with its photos (4 × 5 MB, base64).
const DefaultMaxBodyBytes = 32 << 20

// Server is the HTTP front of minyi.
type Server struct {
	svc      Services
	items    *archive.Service
	org      *org.Service
	reports  *reporting.Service
	meetings *meeting.Service
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
	s := &Server{svc: svc, items: svc.Items, org: svc.Org, reports: svc.Reports, meetings: svc.Meetings, config: cfg, log: log, started: time.Now(),
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
