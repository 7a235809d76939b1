package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"minyi/loadgen"
	"minyi/onestop"
	"minyi/org"
	"minyi/register"
	"minyi/store"
	"minyi/survey"
)

// noLimits turns off serve's abuse limits: every request of a benchmark
// comes from one address.
var noLimits = []string{"--intake-limit", "0", "--sms-limit", "0", "--code-guess-limit", "0", "--login-limit", "0", "--open311-read-limit", "0"}

// queries starts `minyi serve` on a generated database as its own process,
// runs the read mix (the API's, or with --pages the pages') against it, and
// reports latency per class and the server's peak memory. Latency is seen
// from the client on loopback, so it includes the server's whole time.
func queries(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("queries", flag.ExitOnError)
	data := fs.String("data", "", "SQLite data directory")
	database := fs.String("database", "", "postgres://… instead of SQLite")
	duration := fs.Duration("duration", 30*time.Second, "length of the measurement")
	concurrency := fs.Int("concurrency", 2, "concurrent clients")
	warmup := fs.Duration("warmup", 5*time.Second, "untimed requests first, as a running server would be warm")
	byPath := fs.Bool("by-path", false, "also print the ten slowest paths by median")
	pages := fs.Bool("pages", false, "measure the HTML pages (inbox, item desk, online desk, dashboard) as a logged-in leader instead of the API")
	ledgers := fs.Bool("ledgers", false, "measure the campaign ledgers' API (lists and filters, the ledger summary and the branch ranking of a year) instead of the items'")
	grassroots := fs.Bool("grassroots", false, "measure the grassroots registers' API (disputes and one-stop cases: lists, filters, words, deep pages; the ledger summary of a year; the live results of questionnaires of at least --survey-answers answers) instead of the items'")
	surveyAnswers := fs.Int64("survey-answers", 50_000, "the fewest answers of a questionnaire whose results are asked for (--grassroots)")
	disputes := fs.Bool("disputes", false, "measure the disputes' API (the list and its filters, the ledger summary of a year) instead of the items'")
	surveys := fs.Bool("surveys", false, "measure the questionnaires' live results (the questionnaire with the most answers: all, by township, by quarter) and list instead of the items'")
	year := fs.Int("year", 2024, "the year the ledger summary and ranking ask for (--ledgers, --disputes)")
	binFlag := fs.String("bin", "", "a minyi binary to serve with instead of building ./cmd/minyi (to compare two versions on one database)")
	fs.Parse(args)
	dbArgs := []string{"--data", *data}
	url := *data
	if *database != "" {
		dbArgs, url = []string{"--database", *database}, *database
	}
	if url == "" {
		return fmt.Errorf("give --data DIR or --database URL")
	}
	bin := *binFlag
	if bin == "" {
		var err error
		if bin, err = buildMinyi(); err != nil {
			return err
		}
		defer os.RemoveAll(filepath.Dir(bin))
	}
	out, err := exec.CommandContext(ctx, bin, append([]string{"token", "create", "admin", "--label", "bench"}, dbArgs...)...).Output()
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	token := strings.TrimSpace(string(out))

	db, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	units, err := db.Units(ctx)
	var big int64
	if err == nil && *surveys {
		big, err = biggestSurvey(ctx, db)
	}
	db.Close()
	if err != nil {
		return err
	}
	var codes []string
	for _, u := range units {
		if u.Kind == "station" || u.Kind == "centre" || u.Kind == "team" {
			codes = append(codes, u.Code)
		}
	}
	mix := loadgen.Mix(codes)
	if *ledgers {
		if mix, err = ledgerMix(ctx, url, codes, *year); err != nil {
			return err
		}
	}
	if *disputes {
		mix = loadgen.DisputeMix(codes, *year)
	}
	if *surveys {
		var towns []string
		for _, u := range units {
			if u.Township != "" && !slices.Contains(towns, u.Township) {
				towns = append(towns, u.Township)
			}
		}
		mix = loadgen.SurveyMix(big, towns, *year)
	}
	if *grassroots {
		if mix, err = grassrootsMix(ctx, url, codes, *year, *surveyAnswers); err != nil {
			return err
		}
	}
	if *pages {
		if mix, err = pageMix(ctx, url, codes); err != nil {
			return err
		}
	}

	cmd := exec.CommandContext(ctx, bin, append(append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, noLimits...), dbArgs...)...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	base, err := waitReady(stdout)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *concurrency}}
	if *pages {
		if client, err = staffSession(ctx, bin, dbArgs, base); err != nil {
			return err
		}
		client.Timeout, client.Transport = 30*time.Second, &http.Transport{MaxIdleConnsPerHost: *concurrency}
	}
	get := func(path string) (time.Duration, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		if !*pages {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("%s: status %d", path, resp.StatusCode)
		}
		return time.Since(t0), nil
	}
	for end := time.Now().Add(*warmup); time.Now().Before(end); {
		for _, q := range mix {
			if _, err := get(q.Path); err != nil {
				return err
			}
		}
	}

	var peakRSS int64
	stopRSS := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopRSS:
				return
			case <-time.After(100 * time.Millisecond):
				if rss := rssKB(cmd.Process.Pid); rss > peakRSS {
					peakRSS = rss
				}
			}
		}
	}()
	byClass, paths := map[string]latencies{}, map[string]latencies{}
	slowest := map[string]struct {
		d    time.Duration
		path string
	}{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	deadline := time.Now().Add(*duration)
	for c := range *concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; time.Now().Before(deadline); i++ {
				q := mix[i%len(mix)]
				d, err := get(q.Path)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				byClass[q.Class] = append(byClass[q.Class], d)
				paths[q.Path] = append(paths[q.Path], d)
				if d > slowest[q.Class].d {
					slowest[q.Class] = struct {
						d    time.Duration
						path string
					}{d, q.Path}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(stopRSS)
	if firstErr != nil {
		return firstErr
	}
	classes := make([]string, 0, len(byClass))
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		l := byClass[c]
		ratio := ""
		if floor := byClass["floor"].quantile(0.95); floor > 0 && c != "floor" {
			ratio = fmt.Sprintf(" p95/floor %.1f", float64(l.quantile(0.95))/float64(floor))
		}
		fmt.Printf("%-7s n=%-6d p50 %-9s p95 %-9s p99 %-9s%s (slowest %s: %s)\n", c, len(l), ms(l.quantile(0.5)), ms(l.quantile(0.95)),
			ms(l.quantile(0.99)), ratio, ms(slowest[c].d), slowest[c].path)
	}
	// A register's list classes (register/kind) together: the lists'
	// target is on all of them.
	var lists latencies
	for _, c := range classes {
		if strings.Contains(c, "/") {
			lists = append(lists, byClass[c]...)
		}
	}
	if len(lists) > 0 {
		fmt.Printf("%-7s n=%-6d p50 %-9s p95 %-9s p99 %-9s\n", "lists (all)", len(lists), ms(lists.quantile(0.5)), ms(lists.quantile(0.95)), ms(lists.quantile(0.99)))
	}
	if *byPath {
		all := make([]string, 0, len(paths))
		for p := range paths {
			all = append(all, p)
		}
		sort.Slice(all, func(i, j int) bool { return paths[all[i]].quantile(0.5) > paths[all[j]].quantile(0.5) })
		for _, p := range all[:min(10, len(all))] {
			fmt.Printf("  p50 %-9s max %-9s n=%-4d %s\n", ms(paths[p].quantile(0.5)), ms(paths[p].quantile(1)), len(paths[p]), p)
		}
	}
	fmt.Printf("server peak RSS while serving: %d MB\n", peakRSS/1024)
	return nil
}

func buildMinyi() (string, error) {
	dir, err := os.MkdirTemp("", "minyi-bench")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "minyi")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/minyi")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stderr = os.Stderr
	return bin, cmd.Run()
}

func waitReady(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	re := regexp.MustCompile(`serving on (http://\S+)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, r)
			return m[1], nil
		}
	}
	return "", fmt.Errorf("server exited before serving")
}

// rssKB reads a process's resident memory from /proc.
func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	return statusKB(string(b), "VmRSS:")
}

// ledgerMix is the ledger benchmark's mix over the database's units, party
// branches and staff (the first three of them as leads).
func ledgerMix(ctx context.Context, url string, units []string, year int) ([]loadgen.Query, error) {
	db, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	branches, err := db.Branches(ctx)
	if err != nil {
		return nil, err
	}
	users, err := db.Users(ctx)
	if err != nil {
		return nil, err
	}
	var bs, leads []string
	for _, b := range branches {
		bs = append(bs, b.Code)
	}
	for _, u := range users {
		if len(leads) < 3 && (u.Role == org.RoleOfficer || u.Role == org.RoleUnitHead) {
			leads = append(leads, u.Name)
		}
	}
	return loadgen.LedgerMix(units, bs, leads, year), nil
}

// biggestSurvey is the questionnaire with the most answers, whose results
// the questionnaires benchmark asks.
func biggestSurvey(ctx context.Context, db *store.DB) (int64, error) {
	var id int64
	var most int64 = -1
	f := survey.Filter{Filter: register.Filter{Limit: 100}}
	for {
		page, err := db.Surveys(ctx, f)
		if err != nil {
			return 0, err
		}
		for _, s := range page.Items {
			if s.Answers > most {
				id, most = s.ID, s.Answers
			}
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	if id == 0 {
		return 0, fmt.Errorf("no questionnaire: generate --answers first")
	}
	return id, nil
}

// grassrootsMix is the grassroots benchmark's mix over the database's
// units, party branches, one-stop services, newest records and the
// questionnaires of at least minAnswers answers.
func grassrootsMix(ctx context.Context, url string, units []string, year int, minAnswers int64) ([]loadgen.Query, error) {
	db, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	g := loadgen.GrassrootsRegisters{Units: units}
	branches, err := db.Branches(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range branches {
		g.Branches = append(g.Branches, b.Code)
	}
	services, err := db.Services(ctx, onestop.DefinitionFilter{Filter: register.Filter{Limit: 100}})
	if err != nil {
		return nil, err
	}
	for _, s := range services.Items {
		g.Services = append(g.Services, s.ID)
	}
	for _, last := range []struct {
		table string
		id    *int64
	}{{"disputes", &g.LastDispute}, {"cases", &g.LastCase}} {
		if err := db.Writer().QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+last.table).Scan(last.id); err != nil {
			return nil, err
		}
	}
	rows, err := db.Writer().QueryContext(ctx, fmt.Sprintf("SELECT id FROM surveys WHERE answers >= %d ORDER BY id", minAnswers))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		g.Surveys = append(g.Surveys, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return loadgen.GrassrootsMix(g, year), nil
}
