package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/demo"
	"minyi/org"
	"minyi/outbox"
	"minyi/ratelimit"
	"minyi/riverqueue"
	"minyi/store"
	"minyi/web"
)

// run is the whole program; main only supplies the outside world.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		writeHelp(stderr, getenv)
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
		return verifyCmd(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return backupCmd(ctx, rest, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "minyi", minyi.Version)
		return nil
	case "help", "-h", "--help":
		writeHelp(stdout, getenv)
		return nil
	default:
		writeHelp(stderr, getenv)
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
	fmt.Fprintf(stdout, "duty phone shown to citizens: %s (a made-up demo value in the settings; admins change it at /staff/admin/settings)\n", demo.DutyPhone)
	return nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("serve", getenv, stderr)
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	cfg.bindDemo(fs, getenv)
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
	key, err := secretKey(cfg, getenv, stdout, log)
	if err != nil {
		return err
	}
	if err := prepareSecrets(ctx, db, key, cfg.AdminTOTP, log); err != nil {
		return err
	}
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
	p := svc.Policy()
	p.BackdateDays = cfg.BackdateDays
	svc.SetPolicy(p)
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
	svc.SMSRate, svc.Limits = cfg.SMSLimit, ratelimit.Limiter{Counter: db}
	jurisdiction := cfg.Jurisdiction
	if jurisdiction == "" && cfg.Public != "" {
		if u, err := url.Parse(cfg.Public); err == nil {
			jurisdiction = u.Hostname()
		}
	}
	srv, err := web.New(svc, db, web.Config{MaxBodyBytes: cfg.MaxBody, AgencyName: agency, Dialect: db.Dialect(),
		PublicURL: cfg.Public, SecureCookies: strings.HasPrefix(cfg.Public, "https://"), RequireAdminTOTP: cfg.AdminTOTP,
		Jurisdiction: jurisdiction, TrustedProxies: cfg.TrustedProxies, WebhookAllow: cfg.WebhookAllow,
		Limits: web.Limits{Intake: cfg.IntakeLimit, CodeGuess: cfg.CodeGuessLimit, LoginFailures: cfg.LoginLimit, Open311Read: cfg.Open311ReadLimit}}, log)
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
	if cfg.Demo {
		fmt.Fprintln(stdout, demoReach(ln.Addr()))
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
	d := &outbox.Deliverer{Store: db, Sender: sender, Allow: cfg.WebhookAllow, Log: log}
	if len(d.Allow) > 0 {
		log.Info("webhooks may be delivered inside these networks", "webhook_allow", d.Allow.String())
	}
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

// userAddOptions are the flags of `minyi user add`.
type userAddOptions struct{ role, unit, display string }

func userAddFlags(fs *flag.FlagSet) *userAddOptions {
	o := &userAddOptions{}
	fs.StringVar(&o.role, "role", "", "`ROLE`: admin, leader, unit_head, officer, auxiliary or partner")
	fs.StringVar(&o.unit, "unit", "", "unit `CODE` (required except for admin and leader)")
	fs.StringVar(&o.display, "display", "", "display `NAME`")
	return o
}

func userCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageErr("minyi user add NAME --role ROLE [--unit CODE]")
	}
	args = args[1:]
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("minyi user add NAME --role ROLE [--unit CODE]")
	}
	name, args := args[0], args[1:]
	fs, cfg := flags("user add", getenv, stderr)
	opt := userAddFlags(fs)
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
	u := org.User{Name: name, DisplayName: opt.display, Role: org.Role(opt.role), UnitCode: opt.unit}
	password, err := org.AddUser(ctx, db, &u)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s (%s) created; initial password: %s\n", u.Name, u.Role, password)
	return nil
}

// backupOptions are the flags of `minyi backup`.
type backupOptions struct{ to string }

func backupFlags(fs *flag.FlagSet) *backupOptions {
	o := &backupOptions{}
	fs.StringVar(&o.to, "to", "", "`FILE` to write the copy to (must not exist)")
	return o
}

func backupCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("backup", getenv, stderr)
	opt := backupFlags(fs)
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	to := &opt.to
	if *to == "" {
		return usageErr("minyi backup --to FILE")
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if cfg.Database != "" {
		return usageErr("backup copies the embedded SQLite database; for PostgreSQL use pg_dump (see docs/OPERATIONS.md)")
	}
	db, err := store.OpenExisting(ctx, cfg.dbURL())
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

// verifyFlags declares the flags of `minyi verify`.
func verifyFlags(fs *flag.FlagSet) *string {
	return fs.String("backup", "", "a backup `FILE` (minyi backup --to FILE) to check instead of the archive: its integrity, then its event log")
}

// verifyCmd checks the archive's event log, or a backup file's: its
// integrity as a database first, then the log. Neither is created when
// missing: a wrong --data must not verify as an empty archive.
func verifyCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("verify", getenv, stderr)
	backup := verifyFlags(fs)
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if *backup == "" && cfg.Database == "" {
		if fi, err := os.Stat(cfg.Data); err == nil && fi.Mode().IsRegular() {
			*backup = cfg.Data // --data naming a file: the file is the backup
		}
	}
	var db *store.DB
	var err error
	if *backup != "" {
		db, err = store.OpenBackup(ctx, *backup)
	} else {
		db, err = store.OpenExisting(ctx, cfg.dbURL())
	}
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Verify(ctx)
	if err != nil {
		return fmt.Errorf("event log is NOT intact after %d good events: %w", n, err)
	}
	if *backup != "" {
		fmt.Fprintf(stdout, "backup %s: database integrity ok\n", *backup)
	}
	fmt.Fprintf(stdout, "event log intact: %d events, hash chain verified\n", n)
	return nil
}
