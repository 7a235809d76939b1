package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/wire"
	"minyi/ratelimit"
	"minyi/store"
	"minyi/web"
)

// intake compares durable intake over HTTP with the raw single-row commit
// rate of the same database on the same disk, measured in the same run.
func intake(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("intake", flag.ExitOnError)
	clients := fs.Int("clients", 32, "concurrent HTTP clients")
	duration := fs.Duration("duration", 10*time.Second, "length of each measurement")
	limits := fs.Bool("limits", false, "also measure intake with the abuse limits counting every item (a ceiling no run reaches), against intake without them in the same run")
	rf := addRunFlags(fs)
	fs.Parse(args)
	stop, err := rf.profile()
	if err != nil {
		return err
	}
	defer stop()

	var ratios, rates, baselines, p50s, p99s, limited []float64
	for run := 1; run <= *rf.runs; run++ {
		url, cleanup, err := target(*rf.dir, *rf.database, run)
		if err != nil {
			return err
		}
		base, err := baseline(ctx, url, *duration)
		if err != nil {
			cleanup()
			return fmt.Errorf("baseline: %w", err)
		}
		rate, p50, p99, err := httpIntake(ctx, url, *clients, *duration, intakeWith{})
		if err != nil {
			cleanup()
			return fmt.Errorf("intake: %w", err)
		}
		fmt.Printf("run %d: raw single-row commits %.0f/s; HTTP intake %.0f items/s (p50 %s, p99 %s); ratio %.2f\n",
			run, base, rate, ms(p50), ms(p99), rate/base)
		if *limits {
			// Both with receipts (the SMS limit counts receipts), each on a
			// fresh database so that both start from the same size.
			var r [2]float64
			for i, counted := range []bool{false, true} {
				cleanup()
				url, cleanup, err = target(*rf.dir, *rf.database, run)
				if err != nil {
					return err
				}
				rate, p50, p99, err := httpIntake(ctx, url, *clients, *duration, intakeWith{receipts: true, limits: counted})
				if err != nil {
					cleanup()
					return fmt.Errorf("intake with receipts: %w", err)
				}
				r[i] = rate
				fmt.Printf("run %d: HTTP intake with receipt SMS, abuse limits %s: %.0f items/s (p50 %s, p99 %s)\n",
					run, map[bool]string{false: "off", true: "counting"}[counted], rate, ms(p50), ms(p99))
			}
			limited = append(limited, r[1]/r[0])
		}
		cleanup()
		ratios, rates, baselines = append(ratios, rate/base), append(rates, rate), append(baselines, base)
		p50s, p99s = append(p50s, float64(p50)), append(p99s, float64(p99))
	}
	fmt.Printf("median of %d runs: raw %.0f/s, intake %.0f/s, ratio %.2f, p50 %s, p99 %s (%d clients)\n",
		*rf.runs, median(baselines), median(rates), median(ratios), ms(time.Duration(median(p50s))), ms(time.Duration(median(p99s))), *clients)
	if *limits {
		fmt.Printf("median of %d runs: intake with receipts and the abuse limits counting is %.2f of intake with receipts alone (runs: %.2f)\n",
			*rf.runs, median(limited), limited)
	}
	return nil
}

// target returns a fresh database for one run: a new SQLite directory, or a
// new schema on the PostgreSQL server.
func target(dir, database string, run int) (string, func(), error) {
	if database != "" {
		schema := fmt.Sprintf("bench_%d_%d", os.Getpid(), run)
		admin, err := sql.Open("pgx", database)
		if err != nil {
			return "", nil, err
		}
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			admin.Close()
			return "", nil, err
		}
		sep := "?"
		if strings.Contains(database, "?") {
			sep = "&"
		}
		return database + sep + "search_path=" + schema, func() {
			admin.Exec("DROP SCHEMA " + schema + " CASCADE")
			admin.Close()
		}, nil
	}
	if dir == "" {
		dir = "tmp"
	}
	os.MkdirAll(dir, 0o755)
	d, err := os.MkdirTemp(dir, "intake-")
	if err != nil {
		return "", nil, err
	}
	return d, func() { os.RemoveAll(d) }, nil
}

// baseline is the raw rate of single-row INSERT commits, one after another,
// with the durability settings minyi uses (SQLite: WAL, synchronous=FULL).
func baseline(ctx context.Context, url string, d time.Duration) (float64, error) {
	var db *sql.DB
	var err error
	if store.IsPostgres(url) {
		db, err = sql.Open("pgx", url)
	} else {
		path := filepath.Join(url, "baseline.db")
		db, err = sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	}
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "CREATE TABLE baseline (id BIGINT PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
		return 0, err
	}
	body := strings.Repeat("群众意见", 40)
	deadline := time.Now().Add(d)
	n := 0
	q := "INSERT INTO baseline(id, body) VALUES (?, ?)"
	if store.IsPostgres(url) {
		q = "INSERT INTO baseline(id, body) VALUES ($1, $2)"
	}
	start := time.Now()
	for time.Now().Before(deadline) {
		if _, err := db.ExecContext(ctx, q, n, body); err != nil { // autocommit: one commit per row
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// intakeWith says what an intake measurement turns on beyond the bare
// archive: receipt SMS in the outbox, and the abuse limits counting.
type intakeWith struct{ receipts, limits bool }

// httpIntake runs minyi's real HTTP stack on loopback and has clients file
// items as fast as they can; only 201 answers count.
//
// Without limits (web.Limits{} is every limit off) the whole load comes
// from one address, as `serve --intake-limit 0 …` would take it. With them,
// every item is counted against the intake limit per address and its
// receipt against the SMS limit per phone, as serve's defaults do, under
// ceilings no run reaches: what is measured is the cost of counting.
func httpIntake(ctx context.Context, url string, clients int, d time.Duration, with intakeWith) (float64, time.Duration, time.Duration, error) {
	db, err := store.Open(ctx, url)
	if err != nil {
		return 0, 0, 0, err
	}
	defer db.Close()
	svc := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	if with.receipts {
		// Receipts are decided (and written to the outbox) only when the
		// service has notice texts; the SMS limit counts only receipts.
		svc.Notices = &archive.NoticeSettings{Bureau: "基准测试", TrackURL: "http://127.0.0.1/track"}
	}
	var lim web.Limits
	if with.limits {
		ceiling := ratelimit.Rate{N: 1 << 30, Per: time.Hour}
		lim.Intake = ceiling
		svc.SMSRate, svc.Limits = ceiling, ratelimit.Limiter{Counter: db}
	}
	srv, err := web.New(wire.Web(db, svc, wire.Options{}), web.Config{Dialect: db.Dialect(), Limits: lim}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return 0, 0, 0, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, 0, err
	}
	httpSrv := &http.Server{Handler: srv.Handler()}
	go httpSrv.Serve(ln)
	defer httpSrv.Close()
	base := "http://" + ln.Addr().String()

	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	texts := []string{"新生兒落戶需要帶哪些材料？", "乌兰镇路口红绿灯时间太短，请调整", "我家的羊被偷了，请帮忙调查", "建议派出所周末延长户籍窗口服务时间"}
	var n atomic.Int64
	res, err := hammer(clients, d, func() (*http.Response, error) {
		body, _ := json.Marshal(map[string]any{"kind": "consultation", "channel": "online_box",
			"text": texts[n.Add(1)%int64(len(texts))], "contact": map[string]any{"phone": "13900001111"}})
		return client.Post(base+"/api/v1/items", "application/json", bytes.NewReader(body))
	}, http.StatusCreated)
	if err != nil {
		return 0, 0, 0, err
	}
	return res.rate, res.p50, res.p99, nil
}
