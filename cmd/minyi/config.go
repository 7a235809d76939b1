package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"minyi/archive"
	"minyi/outbox"
	"minyi/ratelimit"
	"minyi/store"
	"minyi/web"
)

// config is every setting, read from flags and MINYI_* variables in one
// place and validated before anything starts.
type config struct {
	Data      string // SQLite data directory
	Database  string // postgres://… to use PostgreSQL instead
	Addr      string
	Demo      bool
	MaxBody   int64
	Agency    string
	Public    string
	AdminTOTP bool
	LogLevel  string
	// BackdateDays is how many days back staff may date a slip's
	// collection (archive.Policy.BackdateDays).
	BackdateDays int
	// MemoryLimit is the Go runtime's soft memory limit in MiB (0: the
	// runtime's own, or GOMEMLIMIT's).
	MemoryLimit int64

	serving bool // the settings are serve's, which has more of them

	// SecretKeyFile holds the key that encrypts secrets at rest; the key
	// may instead come in MINYI_SECRET_KEY (secrets.go).
	SecretKeyFile string

	// Outbound: where SMS notices go (empty: the log only) and the body
	// posted to the gateway; the Open311 jurisdiction id.
	SMSGateway   string
	SMSTemplate  string
	Jurisdiction string
	// WebhookAllow are the intranet networks webhooks may reach; nothing
	// but the public Internet by default.
	WebhookAllow outbox.AllowList

	// Abuse limits (0 = off) and the proxies whose X-Forwarded-For names
	// the client.
	IntakeLimit, SMSLimit, CodeGuessLimit, LoginLimit, Open311ReadLimit ratelimit.Rate
	TrustedProxies                                                      []netip.Prefix
	envErr                                                              error // a bad MINYI_* value, reported by validate
}

// rateFlag reads an abuse limit (ratelimit.Parse).
type rateFlag struct{ r *ratelimit.Rate }

func (f rateFlag) String() string {
	if f.r == nil {
		return ""
	}
	return f.r.String()
}

func (f rateFlag) Set(s string) (err error) {
	*f.r, err = ratelimit.Parse(s)
	return err
}

// prefixesFlag collects networks (trusted proxies, webhook receivers):
// CIDRs or single addresses, repeated or comma-separated, adding to those
// of the environment.
type prefixesFlag struct{ p *[]netip.Prefix }

func (f prefixesFlag) String() string {
	if f.p == nil {
		return ""
	}
	var out []string
	for _, p := range *f.p {
		out = append(out, p.String())
	}
	return strings.Join(out, ",")
}

func (f prefixesFlag) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				return fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or an address", part)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		*f.p = append(*f.p, p.Masked())
	}
	return nil
}

// loginFailuresKept is how long housekeeping keeps failed logins, and so
// the longest period --login-limit can count them over.
const loginFailuresKept = 24 * time.Hour

// maxBackdateDays bounds --backdate-days: a year back covers any report
// still open for correction.
const maxBackdateDays = 366

// defaultMemoryLimit is serve's soft memory limit in MiB: with SQLite's
// own (store.SQLiteHeapLimit, 64 MiB) and the program's text, the server
// stays within 250 MB of memory while it makes a year's reports and
// workbook (BENCHMARKS.md, issue 14) — the collector works harder near it
// rather than leaving garbage to grow the heap.
const defaultMemoryLimit = 128

// minMemoryLimit is the least --memory-limit: below it the collector would
// run almost without pause on a large archive's lists.
const minMemoryLimit = 64

// dbURL is what store.Open takes.
func (c config) dbURL() string {
	if c.Database != "" {
		return c.Database
	}
	return c.Data
}

// errUsage marks errors that are the caller's fault (exit status 2).
var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// flags declares the settings shared by every subcommand, with defaults
// from the environment.
func flags(name string, getenv func(string) string, stderr io.Writer) (*flag.FlagSet, *config) {
	c := &config{}
	fs := flag.NewFlagSet("minyi "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Data, "data", envOr(getenv, "MINYI_DATA", "./data"), "SQLite data directory `DIR` (env MINYI_DATA)")
	fs.StringVar(&c.Database, "database", getenv("MINYI_DATABASE"), "PostgreSQL `URL` (postgres://…) to use instead of SQLite (env MINYI_DATABASE)")
	fs.StringVar(&c.LogLevel, "log-level", envOr(getenv, "MINYI_LOG_LEVEL", "info"), "`LEVEL`: debug, info, warn or error (env MINYI_LOG_LEVEL)")
	if name == "serve" {
		c.serving = true
		fs.StringVar(&c.Addr, "addr", envOr(getenv, "MINYI_ADDR", ":8080"), "listen address `HOST:PORT` (env MINYI_ADDR)")
		fs.BoolVar(&c.Demo, "demo", false, "load the demo bureau into an empty database and print its logins")
		max, _ := strconv.ParseInt(envOr(getenv, "MINYI_MAX_BODY", strconv.Itoa(web.DefaultMaxBodyBytes)), 10, 64)
		fs.Int64Var(&c.MaxBody, "max-body", max, "largest request body in `BYTES` (env MINYI_MAX_BODY)")
		fs.StringVar(&c.Agency, "agency", envOr(getenv, "MINYI_AGENCY", ""), "agency `NAME` shown on the pages (default: the root unit's name)")
		fs.StringVar(&c.SecretKeyFile, "secret-key-file", "", "`PATH` of a file holding the 32-byte key (base64 or hex) that encrypts staff TOTP secrets at rest; or the key itself in env MINYI_SECRET_KEY; --demo makes one in DIR/secret.key")
		fs.BoolVar(&c.AdminTOTP, "require-admin-totp", getenv("MINYI_REQUIRE_ADMIN_TOTP") == "1", "admins must set up a second factor (TOTP) before using any other page (env MINYI_REQUIRE_ADMIN_TOTP=1)")
		fs.StringVar(&c.Public, "public-url", getenv("MINYI_PUBLIC_URL"), "`URL` citizens reach the server at, for QR codes and SMS links (env MINYI_PUBLIC_URL)")
		fs.StringVar(&c.SMSGateway, "sms-gateway", getenv("MINYI_SMS_GATEWAY"), "`URL` of an HTTP SMS gateway to post notices to; empty: notices are only logged (env MINYI_SMS_GATEWAY)")
		fs.StringVar(&c.SMSTemplate, "sms-template", getenv("MINYI_SMS_TEMPLATE"), "body posted to the SMS gateway, a Go `TEMPLATE` over .To .Body .IdempotencyKey with a json function (env MINYI_SMS_TEMPLATE)")
		days, _ := strconv.Atoi(envOr(getenv, "MINYI_BACKDATE_DAYS", strconv.Itoa(archive.DefaultBackdateDays)))
		fs.IntVar(&c.BackdateDays, "backdate-days", days, "how many `DAYS` back staff may date a slip's collection; the time limit still runs from entry (env MINYI_BACKDATE_DAYS)")
		limit := strconv.Itoa(defaultMemoryLimit)
		if getenv("GOMEMLIMIT") != "" {
			limit = "0" // the runtime's variable rules unless the flag is given
		}
		var err error
		if c.MemoryLimit, err = strconv.ParseInt(envOr(getenv, "MINYI_MEMORY_LIMIT", limit), 10, 64); err != nil {
			c.envErr = errors.Join(c.envErr, fmt.Errorf("MINYI_MEMORY_LIMIT: %q is not a number of MiB", getenv("MINYI_MEMORY_LIMIT")))
		}
		fs.Int64Var(&c.MemoryLimit, "memory-limit", c.MemoryLimit, "soft limit of the Go heap and runtime in `MiB`, SQLite's own (64 MiB) not counted; "+
			"0 leaves the runtime's (GOMEMLIMIT) (env MINYI_MEMORY_LIMIT)")
		fs.StringVar(&c.Jurisdiction, "jurisdiction", getenv("MINYI_JURISDICTION"), "Open311 jurisdiction_id (`ID`) this server answers to; empty: the host name of --public-url (env MINYI_JURISDICTION)")
		for _, l := range []struct {
			rate      *ratelimit.Rate
			name, def string
			usage     string
		}{
			{&c.IntakeLimit, "intake-limit", "60/h", "items filed anonymously (JSON API without a token, write-in page) per client address"},
			{&c.SMSLimit, "sms-limit", "3/h", "receipts sent by SMS to one phone number; beyond it the item is filed without the SMS"},
			{&c.CodeGuessLimit, "code-guess-limit", "10/h", "wrong access codes per tracking number and per client address; beyond it even the right code waits"},
			{&c.LoginLimit, "login-limit", "20/15m", "failed logins per client address, whatever the names (a name locks after 5 failures from one address)"},
			{&c.Open311ReadLimit, "open311-read-limit", "600/m", "Open311 reads per client address, counted by each server"},
		} {
			env := "MINYI_" + strings.ToUpper(strings.ReplaceAll(l.name, "-", "_"))
			*l.rate, _ = ratelimit.Parse(envOr(getenv, env, l.def))
			fs.Var(rateFlag{l.rate}, l.name, l.usage+": `N/PERIOD` (s, m, h, d or e.g. 15m), 0 = off (env "+env+")")
			if v := getenv(env); v != "" {
				if _, err := ratelimit.Parse(v); err != nil {
					c.envErr = errors.Join(c.envErr, fmt.Errorf("%s: %w", env, err))
				}
			}
		}
		fs.Var(prefixesFlag{&c.TrustedProxies}, "trusted-proxy", "`CIDR` or address of a reverse proxy whose X-Forwarded-For names the client; repeat or comma-separate (env MINYI_TRUSTED_PROXIES)")
		if v := getenv("MINYI_TRUSTED_PROXIES"); v != "" {
			if err := (prefixesFlag{&c.TrustedProxies}).Set(v); err != nil {
				c.envErr = errors.Join(c.envErr, fmt.Errorf("MINYI_TRUSTED_PROXIES: %w", err))
			}
		}
		allow := prefixesFlag{(*[]netip.Prefix)(&c.WebhookAllow)}
		fs.Var(allow, "webhook-allow", "network (`CIDR`, or an address) outside the public Internet that webhooks may be delivered to, e.g. 10.20.0.0/16; repeat or comma-separate; default none: loopback, private, link-local and other inside addresses are refused (env MINYI_WEBHOOK_ALLOW)")
		if v := getenv("MINYI_WEBHOOK_ALLOW"); v != "" {
			if err := allow.Set(v); err != nil {
				c.envErr = errors.Join(c.envErr, fmt.Errorf("MINYI_WEBHOOK_ALLOW: %w", err))
			}
		}
	}
	return fs, c
}

// demoAddr is where `serve --demo` listens unless told otherwise: the demo's
// passwords and admin token are published, so it stays on this machine.
const demoAddr = "127.0.0.1:8080"

// bindDemo keeps the demo on the loopback interface unless the listen
// address was chosen explicitly (--addr or MINYI_ADDR).
func (c *config) bindDemo(fs *flag.FlagSet, getenv func(string) string) {
	if !c.Demo || getenv("MINYI_ADDR") != "" {
		return
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "addr" })
	if !given {
		c.Addr = demoAddr
	}
}

func (c *config) validate() error {
	if c.envErr != nil {
		return usageErr("%v", c.envErr)
	}
	if c.Database != "" && !store.IsPostgres(c.Database) {
		return usageErr("--database must start with postgres:// or postgresql:// (leave it empty for SQLite in --data)")
	}
	if c.Database == "" && strings.TrimSpace(c.Data) == "" {
		return usageErr("--data must name a directory")
	}
	if c.Addr != "" && !strings.Contains(c.Addr, ":") {
		return usageErr("--addr must be HOST:PORT or :PORT, got %q", c.Addr)
	}
	if c.serving && (c.BackdateDays < 1 || c.BackdateDays > maxBackdateDays) {
		return usageErr("--backdate-days must be between 1 and %d", maxBackdateDays)
	}
	if c.LoginLimit.Per > loginFailuresKept {
		// Longer periods would count only the failures housekeeping keeps.
		return usageErr("--login-limit: the period must be at most %dh, as long as failed logins are kept", int(loginFailuresKept.Hours()))
	}
	if c.MemoryLimit < 0 || (c.MemoryLimit > 0 && c.MemoryLimit < minMemoryLimit) {
		return usageErr("--memory-limit must be 0 (off) or at least %d MiB", minMemoryLimit)
	}
	if c.MaxBody < 0 {
		return usageErr("--max-body must be positive")
	}
	if c.SMSGateway != "" && !strings.HasPrefix(c.SMSGateway, "http://") && !strings.HasPrefix(c.SMSGateway, "https://") {
		return usageErr("--sms-gateway must be an http:// or https:// URL")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return usageErr("--log-level must be debug, info, warn or error")
	}
	return nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
