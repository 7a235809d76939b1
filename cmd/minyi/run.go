package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/demo"
	"minyi/org"
	"minyi/outbox"
	"minyi/riverqueue"
	"minyi/store"
	"minyi/web"
)

const usage = `minyi — 民意: hear every citizen and prove each voice was answered.

Usage:
  minyi serve [--addr HOST:PORT] [--data DIR] [--database URL] [--demo]
              [--public-url URL] [--require-admin-totp]
  minyi migrate                      create or upgrade the database schema
  minyi demo                         load the demo bureau into an empty database
  minyi user add NAME --role ROLE [--unit CODE] [--display NAME]
                                     add a staff account; prints its initial password
  minyi token create NAME [--label TEXT]
                                     print a new API bearer token for user NAME
  minyi apikey create NAME [--contact TEXT] [--rate N]
                                     print a new API key for an outside system (Open311 client), shown once
  minyi apikey list                  the clients' keys: prefix, rate per minute, created, last used, revoked
  minyi apikey revoke NAME           revoke a client's key at once
  minyi verify                       check the event log's hash chain (exit 1 naming the first bad event)
  minyi backup --to FILE             consistent online copy of the SQLite database
  minyi version
  minyi help

Every subcommand takes:
  --data DIR        SQLite data directory (default ./data; env MINYI_DATA)
  --database URL    postgres://user@host/db to use PostgreSQL instead (env MINYI_DATABASE)
  --log-level LEVEL debug, info, warn or error (env MINYI_LOG_LEVEL)

Roles: admin, leader, unit_head, officer, auxiliary, partner.
`

// run is the whole program; main only supplies the outside world.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageErr("a subcommand is required")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return withDB(ctx, "migrate", rest, getenv, stderr, func(db *store.DB, _ []string) error {
			fmt.Fprintf(stdout, "schema is at version %d (%s)\n", db.SchemaVersion(), db.Dialect())
			return nil
		})
	case "demo":
		return withDB(ctx, "demo", rest, getenv, stderr, func(db *store.DB, _ []string) error {
			return loadDemo(ctx, db, stdout)
		})
	case "user":
		return userCmd(ctx, rest, getenv, stdout, stderr)
	case "token":
		return tokenCmd(ctx, rest, getenv, stdout, stderr)
	case "apikey":
		return apiKeyCmd(ctx, rest, getenv, stdout, stderr)
	case "verify":
		return withDB(ctx, "verify", rest, getenv, stderr, func(db *store.DB, _ []string) error {
			n, err := db.Verify(ctx)
			if err != nil {
				return fmt.Errorf("event log is NOT intact after %d good events: %w", n, err)
			}
			fmt.Fprintf(stdout, "event log intact: %d events, hash chain verified\n", n)
			return nil
		})
	case "backup":
		return backupCmd(ctx, rest, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "minyi", minyi.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usageErr("unknown subcommand %q", cmd)
	}
}

// withDB parses the common flags, opens (and migrates) the database and runs fn.
func withDB(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer, fn func(*store.DB, []string) error) error {
	fs, cfg := flags(name, getenv, stderr)
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.dbURL())
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db, fs.Args())
}

// newService builds the archive service with the calendar the installation
// keeps (or the embedded default).
func newService(ctx context.Context, db *store.DB) (*archive.Service, error) {
	cal, err := archive.LoadCalendar(ctx, db)
	if err != nil {
		return nil, err
	}
	return archive.NewService(db, archive.Policy{Calendar: cal}), nil
}

func loadDemo(ctx context.Context, db *store.DB, stdout io.Writer) error {
	svc, err := newService(ctx, db)
	if err != nil {
		return err
	}
	res, err := demo.Load(ctx, demo.Env{Store: db, Policy: svc.Policy()})
	if err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	fmt.Fprintf(stdout, "demo bureau loaded: %d items\n", res.Items)
	fmt.Fprintf(stdout, "demo logins (password for all: %s — demo only):\n", demo.Password)
	for _, l := range res.Logins {
		fmt.Fprintf(stdout, "  %-16s %-10s %-14s %s\n", l.Name, l.Role, l.Unit, l.DisplayName)
	}
	fmt.Fprintf(stdout, "admin API token: %s\n", res.AdminToken)
	return nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("serve", getenv, stderr)
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	db, err := store.Open(ctx, cfg.dbURL())
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.Demo {
		empty, err := db.Empty(ctx)
		if err != nil {
			return err
		}
		if empty {
			if err := loadDemo(ctx, db, stdout); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(stdout, "demo: the database already holds data; not loading it again (logins: password %s)\n", demo.Password)
		}
	}
	svc, err := newService(ctx, db)
	if err != nil {
		return err
	}
	warnCalendar(log, svc)
	agency := cfg.Agency
	if agency == "" {
		if units, err := db.Units(ctx); err == nil && len(units) > 0 {
			agency = units[0].Name
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	public := strings.TrimSuffix(cfg.Public, "/")
	if public == "" {
		public = "http://" + displayAddr(ln.Addr())
	}
	queue, err := startOutbox(ctx, cfg, db, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := queue.Stop(stopCtx); err != nil {
			log.Warn("job queue did not stop cleanly; unfinished deliveries resume at the next start", "err", err)
		}
	}()
	bureau := agency
	if bureau == "" {
		bureau = "民意"
	}
	svc.Notices = &archive.NoticeSettings{Bureau: bureau, TrackURL: public + "/track"}
	jurisdiction := cfg.Jurisdiction
	if jurisdiction == "" && cfg.Public != "" {
		if u, err := url.Parse(cfg.Public); err == nil {
			jurisdiction = u.Hostname()
		}
	}
	srv, err := web.New(svc, db, web.Config{MaxBodyBytes: cfg.MaxBody, AgencyName: agency, Dialect: db.Dialect(),
		PublicURL: cfg.Public, SecureCookies: strings.HasPrefix(cfg.Public, "https://"), RequireAdminTOTP: cfg.AdminTOTP,
		Jurisdiction: jurisdiction}, log)
	if err != nil {
		ln.Close()
		return err
	}
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	fmt.Fprintf(stdout, "minyi %s serving on http://%s (%s)\n", minyi.Version, displayAddr(ln.Addr()), db.Dialect())
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

// startOutbox starts delivering notices and webhook calls: River works the
// jobs, the SMS gateway (or the log) receives the notices. Deliveries
// written while no server ran (by the command-line tools) are queued first.
func startOutbox(ctx context.Context, cfg *config, db *store.DB, log *slog.Logger) (*riverqueue.Queue, error) {
	var sender outbox.Sender = outbox.LogSender{Log: log}
	if cfg.SMSGateway != "" {
		gw, err := outbox.NewGatewaySender(cfg.SMSGateway, cfg.SMSTemplate)
		if err != nil {
			return nil, usageErr("--sms-template: %v", err)
		}
		sender = gw
	}
	d := &outbox.Deliverer{Store: db, Sender: sender, Log: log}
	queue, err := riverqueue.New(ctx, db, d, riverqueue.Options{Log: log})
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

// housekeeping removes what expires: ended staff sessions and login
// failures older than the lockout window, so neither table grows forever;
// and it marks failed the deliveries that lost their job.
func housekeeping(ctx context.Context, db *store.DB, log *slog.Logger) {
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		sessions, err := db.DeleteExpiredSessions(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: sessions", "err", err)
		}
		failures, err := db.PruneLoginFailures(ctx, time.Now().Add(-24*time.Hour))
		if err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: login failures", "err", err)
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

func userCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageErr("usage: minyi user add NAME --role ROLE [--unit CODE]")
	}
	args = args[1:]
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("usage: minyi user add NAME --role ROLE [--unit CODE]")
	}
	name, args := args[0], args[1:]
	fs, cfg := flags("user add", getenv, stderr)
	role := fs.String("role", "", "admin, leader, unit_head, officer, auxiliary or partner")
	unit := fs.String("unit", "", "unit code (required except for admin and leader)")
	display := fs.String("display", "", "display name")
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.dbURL())
	if err != nil {
		return err
	}
	defer db.Close()
	u := org.User{Name: name, DisplayName: *display, Role: org.Role(*role), UnitCode: *unit}
	password, err := org.AddUser(ctx, db, &u)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s (%s) created; initial password: %s\n", u.Name, u.Role, password)
	return nil
}

func tokenCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 2 || args[0] != "create" || strings.HasPrefix(args[1], "-") {
		return usageErr("usage: minyi token create NAME [--label TEXT]")
	}
	name := args[1]
	fs, cfg := flags("token create", getenv, stderr)
	label := fs.String("label", "cli", "what the token is for")
	if err := fs.Parse(args[2:]); err != nil {
		return usageErr("%v", err)
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.dbURL())
	if err != nil {
		return err
	}
	defer db.Close()
	token, err := org.IssueToken(ctx, db, name, *label)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	return nil
}

func backupCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("backup", getenv, stderr)
	to := fs.String("to", "", "file to write the copy to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if *to == "" {
		return usageErr("usage: minyi backup --to FILE")
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if cfg.Database != "" {
		return usageErr("backup copies the embedded SQLite database; for PostgreSQL use pg_dump (see docs/OPERATIONS.md)")
	}
	db, err := store.Open(ctx, cfg.dbURL())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *to)
	return nil
}
