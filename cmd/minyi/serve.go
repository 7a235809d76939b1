package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/demo"
	"minyi/internal/wire"
	"minyi/notify"
	"minyi/outbox"
	"minyi/ratelimit"
	"minyi/report"
	"minyi/riverqueue"
	"minyi/store"
	"minyi/web"
)

// serve runs the server until ctx ends: web pages, JSON API, Open311 and
// the outbox, with housekeeping in the background.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("serve", getenv, stderr)
	if err := parse(fs, args, ""); err != nil {
		return err
	}
	cfg.bindDemo(fs, getenv)
	db, err := open(ctx, cfg, mayCreate)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.MemoryLimit > 0 {
		// A soft limit: the collector runs more often near it and the
		// runtime returns freed memory, but it never refuses to allocate.
		debug.SetMemoryLimit(cfg.MemoryLimit << 20)
	}
	log := newLogger(cfg.LogLevel, stderr)
	if err := prepareArchive(ctx, cfg, db, getenv, stdout, log); err != nil {
		return err
	}
	svc, err := serveService(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	agency := agencyName(ctx, cfg.Agency, db)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	public := strings.TrimSuffix(cfg.Public, "/")
	if public == "" {
		public = "http://" + displayAddr(ln.Addr())
	}
	var issuing atomic.Pointer[report.Issuing]
	var notes atomic.Pointer[notify.Service]
	queue, err := startOutbox(ctx, cfg, db, log, scheduledReports(&issuing, log), scheduledAlerts(&notes, log))
	if err != nil {
		ln.Close()
		return err
	}
	defer stopOutbox(queue, log)
	svc.Notices = &archive.NoticeSettings{Bureau: cmp.Or(agency, "民意"), TrackURL: public + "/track"}
	svc.SMSRate, svc.Limits = cfg.SMSLimit, ratelimit.Limiter{Counter: db}
	services := wire.Web(db, svc, wire.Options{WebhookAllow: cfg.WebhookAllow})
	issuing.Store(services.Issued)
	notes.Store(services.Notifications)
	srv, err := web.New(services, webConfig(cfg, agency, db.Dialect()), log)
	if err != nil {
		ln.Close()
		return err
	}
	if cfg.Demo {
		fmt.Fprintln(stdout, demoReach(ln.Addr()))
	}
	fmt.Fprintf(stdout, "minyi %s serving on http://%s (%s)\n", minyi.Version, displayAddr(ln.Addr()), db.Dialect())
	return serveHTTP(ctx, ln, srv.Handler(), db, log)
}

// newLogger logs text to stderr from level on; the level was checked with
// the other settings (config.validate).
func newLogger(level string, stderr io.Writer) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: l}))
}

// prepareArchive readies the archive for serving: its secrets unsealed
// with the key, and for --demo the demo bureau loaded into an empty one.
func prepareArchive(ctx context.Context, cfg *config, db *store.DB, getenv func(string) string, stdout io.Writer, log *slog.Logger) error {
	key, err := secretKey(cfg, getenv, stdout, log)
	if err != nil {
		return err
	}
	if err := prepareSecrets(ctx, db, key, cfg.AdminTOTP, log); err != nil {
		return err
	}
	if !cfg.Demo {
		return nil
	}
	empty, err := db.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		fmt.Fprintf(stdout, "demo: the database already holds data; not loading it again (logins: password %s)\n", demo.Password)
		return nil
	}
	return loadDemo(ctx, db, stdout)
}

// serveService builds the archive service with the settings that only
// serve gives it (--backdate-days), warning of a calendar with years missing.
func serveService(ctx context.Context, cfg *config, db *store.DB, log *slog.Logger) (*archive.Service, error) {
	svc, err := newService(ctx, db)
	if err != nil {
		return nil, err
	}
	p := svc.Policy()
	p.BackdateDays = cfg.BackdateDays
	svc.SetPolicy(p)
	warnCalendar(log, svc)
	return svc, nil
}

// agencyName is the name the pages show: --agency, else the first unit's
// name, else blank (when no unit can be read yet).
func agencyName(ctx context.Context, agency string, db *store.DB) string {
	if agency == "" {
		if units, err := db.Units(ctx); err == nil && len(units) > 0 {
			agency = units[0].Name
		}
	}
	return agency
}

// webConfig is what the web layer is told of the settings.
func webConfig(cfg *config, agency, dialect string) web.Config {
	return web.Config{MaxBodyBytes: cfg.MaxBody, AgencyName: agency, Dialect: dialect,
		PublicURL: cfg.Public, SecureCookies: strings.HasPrefix(cfg.Public, "https://"), RequireAdminTOTP: cfg.AdminTOTP,
		Jurisdiction: jurisdiction(cfg), TrustedProxies: cfg.TrustedProxies,
		Limits: web.Limits{Intake: cfg.IntakeLimit, CodeGuess: cfg.CodeGuessLimit, LoginFailures: cfg.LoginLimit, Open311Read: cfg.Open311ReadLimit}}
}

// jurisdiction is the Open311 jurisdiction_id the server answers to:
// --jurisdiction, else the host name of --public-url.
func jurisdiction(cfg *config) string {
	if cfg.Jurisdiction == "" && cfg.Public != "" {
		if u, err := url.Parse(cfg.Public); err == nil {
			return u.Hostname()
		}
	}
	return cfg.Jurisdiction
}

// serveHTTP serves h on ln, with housekeeping beside it, until the server
// fails or ctx ends; then it lets the requests under way finish.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, db *store.DB, log *slog.Logger) error {
	httpSrv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	go housekeeping(ctx, db, log)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// scheduledReports is the hourly work that issues the reports due
// (report.Issuing.RunSchedule) once the services exist: every server has
// it, River's elected leader runs it, and each report is issued once.
func scheduledReports(issuing *atomic.Pointer[report.Issuing], log *slog.Logger) riverqueue.Periodic {
	return riverqueue.Periodic{Name: "reports", Every: time.Hour, Run: func(ctx context.Context) error {
		s := issuing.Load()
		if s == nil {
			return errors.New("the services are not ready yet") // River tries again shortly
		}
		issued, err := s.RunSchedule(ctx, time.Now())
		for _, r := range issued {
			log.Info("report issued on schedule", "report", r.ID, "kind", r.Kind, "from", r.From, "to", r.To, "unit", r.Unit)
		}
		return err
	}}
}

// AlertsEvery is how often the alerts of items due soon and overdue, and
// the units' digests, are looked for.
const AlertsEvery = 15 * time.Minute

// scheduledAlerts is the periodic work that alerts staff of the items due
// soon and overdue and sends each unit's digest of a working day
// (notify.Service.Run), each alert once by its key.
func scheduledAlerts(notes *atomic.Pointer[notify.Service], log *slog.Logger) riverqueue.Periodic {
	return riverqueue.Periodic{Name: "alerts", Every: AlertsEvery, Run: func(ctx context.Context) error {
		s := notes.Load()
		if s == nil {
			return errors.New("the services are not ready yet") // River tries again shortly
		}
		n, err := s.Run(ctx)
		if n > 0 {
			log.Info("staff alerted", "alerts", n)
		}
		return err
	}}
}

// startOutbox starts delivering notices and webhook calls: River works the
// jobs, the SMS gateway (or the log) receives the notices, and runs the
// periodic work. Deliveries written while no server ran (by the
// command-line tools) are queued first.
func startOutbox(ctx context.Context, cfg *config, db *store.DB, log *slog.Logger, periodic ...riverqueue.Periodic) (*riverqueue.Queue, error) {
	var sender outbox.Sender = outbox.LogSender{Log: log}
	if cfg.SMSGateway != "" {
		gw, err := outbox.NewGatewaySender(cfg.SMSGateway, cfg.SMSTemplate)
		if err != nil {
			return nil, usageErr("--sms-template: %v", err)
		}
		sender = gw
	}
	d := &outbox.Deliverer{Store: db, Sender: sender, Allow: cfg.WebhookAllow, Log: log}
	if len(d.Allow) > 0 {
		log.Info("webhooks may be delivered inside these networks", "webhook_allow", d.Allow.String())
	}
	queue, err := riverqueue.New(ctx, db, d, riverqueue.Options{Log: log, Periodic: periodic})
	if err != nil {
		return nil, err
	}
	db.SetQueue(queue)
	if n, err := db.QueueWaiting(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		log.Info("queued deliveries written while no server ran", "count", n)
	}
	// The queue outlives ctx on purpose: serve stops it gracefully after
	// the HTTP server, so deliveries under way can finish.
	if err := queue.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, err
	}
	return queue, nil
}

// stopOutbox stops the job queue, after the HTTP server, giving the
// deliveries under way a while to finish.
func stopOutbox(queue *riverqueue.Queue, log *slog.Logger) {
	stopCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := queue.Stop(stopCtx); err != nil {
		log.Warn("job queue did not stop cleanly; unfinished deliveries resume at the next start", "err", err)
	}
}

// housekeeping removes what expires: ended staff sessions, login failures
// older than the lockout window, the abuse limits' expired windows and the
// secrets to show once that nobody came to see, so that no table grows
// forever;
// and it marks failed the deliveries that lost their job.
func housekeeping(ctx context.Context, db *store.DB, log *slog.Logger) {
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		sessions, err := db.DeleteExpiredSessions(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: sessions", "err", err)
		}
		failures, err := db.PruneLoginFailures(ctx, time.Now().Add(-loginFailuresKept))
		if err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: login failures", "err", err)
		}
		if _, err := db.PruneRateLimits(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: rate limits", "err", err)
		}
		if _, err := db.PruneShownOnce(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: secrets to show once", "err", err)
		}
		abandoned, err := db.FailAbandoned(ctx, time.Now().Add(-outbox.AbandonAfter))
		if err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: abandoned deliveries", "err", err)
		} else if abandoned > 0 {
			log.Warn("deliveries left without a job were marked failed", "count", abandoned)
		}
		if sessions+failures > 0 {
			log.Debug("housekeeping", "expired_sessions", sessions, "old_login_failures", failures)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// warnCalendar says loudly when due dates this year or next would be guesses.
func warnCalendar(log *slog.Logger, svc *archive.Service) {
	cal := svc.Policy().Calendar
	for _, y := range []int{time.Now().Year(), time.Now().Year() + 1} {
		if !cal.HasYear(y) {
			log.Warn("holiday calendar has no data for this year: due dates only skip weekends until an admin adds it (PUT /api/v1/calendar)", "year", y)
		}
	}
}

// demoReach tells whoever starts the demo who can reach it, since anyone
// who can knows its passwords.
func demoReach(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok && ta.IP.IsLoopback() {
		return "demo: listening on " + a.String() + " only, since its passwords are published; give --addr :8080 to open it to other machines"
	}
	return "demo: WARNING: listening on " + a.String() + ", reachable from other machines, with published passwords and an admin token"
}

func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") {
		return "localhost:" + strings.TrimPrefix(s, "[::]:")
	}
	if strings.HasPrefix(s, "0.0.0.0:") {
		return "localhost:" + strings.TrimPrefix(s, "0.0.0.0:")
	}
	return s
}
