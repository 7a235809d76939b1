// Package core is what every audience of the web layer shares: the
// server's state (Base: the services, the configuration, the log, the
// metrics, the sessions, the limits, the clock), the one mapping of errors
// to HTTP statuses and the JSON and page answers built on it, the reading
// of requests (JSON bodies, input checks, client addresses), the sessions,
// CSRF and the middleware. The audiences (web/api, web/open311, web/pages)
// embed *Base; package web assembles them.
package core

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"

	"minyi/archive"
	"minyi/booking"
	"minyi/campaign"
	"minyi/dispute"
	"minyi/indicator"
	"minyi/ledgerimport"
	"minyi/locale"
	"minyi/matter"
	"minyi/measure"
	"minyi/meeting"
	"minyi/notify"
	"minyi/onestop"
	"minyi/org"
	"minyi/outbox"
	"minyi/publicity"
	"minyi/ratelimit"
	"minyi/report"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/survey"
	"minyi/volunteer"
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
	// Volunteer is the register of volunteer activities.
	Volunteer *volunteer.Service
	// Points is the register of service points.
	Points *servicepoint.Service
	// Matters is the register of practical matters (实事台账).
	Matters *matter.Service
	// Indicators is the register of period indicators (工作指标).
	Indicators *indicator.Service
	// Measures is the register of convenience measures (便民利民措施).
	Measures *measure.Service
	// Publicity is the register of published pieces (宣传报道台账).
	Publicity *publicity.Service
	// Disputes is the register of disputes found and mediated
	// (矛盾纠纷排查化解台账).
	Disputes *dispute.Service
	// OneStop is the register of one-stop services and cases (一件事一次办).
	OneStop *onestop.Service
	// Bookings are the service points' slots and citizens' bookings (预约).
	Bookings *booking.Service
	// Surveys is the register of questionnaires (调查问卷).
	Surveys *survey.Service
	// Campaigns is the register of campaigns (活动).
	Campaigns *campaign.Service
	// Imports reads the ledgers' spreadsheets into the registers above.
	Imports *ledgerimport.Service
	// Reports answers the stats API and the dashboard; it shares Items'
	// clock, or the overdue counts and the overdue list disagree.
	Reports *reporting.Service
	// Report writes the periodic report (工作综述) from Reports' figures
	// and keeps its template.
	Report *report.Service
	// Issued issues reports (签发) by hand and on schedule and reads the
	// issued ones back with what changed since.
	Issued *report.Issuing
	// Config is the archive's configuration: categories, canned replies,
	// the calendar, the bureau's settings, the desk's candidates.
	Config *archive.Config
	// Outbox is what leaves minyi: webhooks, notices, deliveries.
	Outbox *outbox.Service
	// Notifications are staff's own notifications (issue 15 §9).
	Notifications *notify.Service

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
	// when working out a client's address (ClientAddress).
	TrustedProxies []netip.Prefix
	// NotifyPoll is how often a staff page asks for the count of unread
	// notifications while visible; zero is DefaultNotifyPoll.
	NotifyPoll time.Duration
	// ExportMaxRows is the most rows an exported list may hold; zero is
	// DefaultExportMaxRows.
	ExportMaxRows int
	// Now is the clock of the limits and logins; nil is time.Now.
	Now func() time.Time
}

// DefaultMaxBodyBytes fits a submission with its photos (4 × 5 MB, base64).
const DefaultMaxBodyBytes = 32 << 20

// Base is the state every audience shares; each embeds it, so that its
// handlers reach the services as s.Items, s.Org, … and answer through
// s.Error and s.PageError.
type Base struct {
	// Svc are the services the server was built over; Items, Org,
	// Reports and Meetings are four of them, at hand.
	Svc      Services
	Items    *archive.Service
	Org      *org.Service
	Reports  *reporting.Service
	Meetings *meeting.Service
	// Config is the configuration NewBase was given, defaults filled in.
	Config  Config
	Log     *slog.Logger
	Metrics *Metrics
	// Started is when the server was built, for /healthz's uptime.
	Started time.Time
	Catalog *locale.Catalog
	// Templates are the pages' templates (web/pages loads them); PageError
	// shows one of them, whichever door fails.
	Templates Templates
	Sessions  *scs.SessionManager
	// Limiter counts in the database, shared by every server; LocalLimiter
	// counts in this process's memory (Open311 reads and clients' keys).
	Limiter, LocalLimiter ratelimit.Limiter
	failures              failureLog // throttles the log of a failing database (failure.go)
	// importing is the one import this server reads at a time
	// (ImportFile), workbooks the one ledgers' workbook it makes at a time
	// (LedgerBook).
	importing, workbooks slot
}

// NewBase fills in cfg's defaults and builds the shared state over svc,
// showing error pages with templates.
func NewBase(svc Services, cfg Config, log *slog.Logger, templates Templates) *Base {
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
	sm := scs.New()
	sm.Store = newSessionStore(svc.Sessions, sm.Codec, cfg.SessionIdle)
	sm.IdleTimeout, sm.Lifetime = cfg.SessionIdle, cfg.SessionMax
	sm.Cookie.Name = "minyi_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.HashTokenInStore = true // a copy of the database must not hold live session tokens
	s := &Base{Svc: svc, Items: svc.Items, Org: svc.Org, Reports: svc.Reports, Meetings: svc.Meetings, Config: cfg, Log: log, Started: time.Now(),
		Metrics: newMetrics(prometheus.NewRegistry()), Catalog: locale.Default(), Templates: templates, Sessions: sm,
		importing: newSlot(), workbooks: newSlot()}
	s.Limiter = ratelimit.Limiter{Counter: svc.Limits, Now: s.Now}
	s.LocalLimiter = ratelimit.Limiter{Counter: &ratelimit.Memory{}, Now: s.Now}
	// A session that cannot be read or saved is the database's failure:
	// answered like any other (503 while it is unreachable).
	sm.ErrorFunc = s.PageError
	return s
}

// Now is the configured clock.
func (s *Base) Now() time.Time {
	if s.Config.Now != nil {
		return s.Config.Now()
	}
	return time.Now()
}

// ActiveCategories lists the categories citizens and staff may file under.
func (s *Base) ActiveCategories(r *http.Request) ([]archive.Category, error) {
	cats, err := s.Svc.Config.Categories(r.Context())
	if err != nil {
		return nil, err
	}
	active := cats[:0]
	for _, c := range cats {
		if c.Active {
			active = append(active, c)
		}
	}
	return active, nil
}

// PublicURL is the address citizens reach the server at: the configured
// one, or else the one this request came in on.
func (s *Base) PublicURL(r *http.Request) string {
	if s.Config.PublicURL != "" {
		return strings.TrimSuffix(s.Config.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
