package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/report"
	"minyi/store"
)

var binary string // built once by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "minyi-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "minyi")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build minyi: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the program in-process and returns its output.
func cli(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
	return out.String() + errOut.String(), err
}

// dbFlag returns the flag that points a subcommand at a fresh database.
func dbFlag(t *testing.T, dialect string) []string {
	u := testdb.URL(t, dialect)
	if dialect == "sqlite" {
		return []string{"--data", u}
	}
	return []string{"--database", u}
}

func TestCommandLine(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db := dbFlag(t, d)
			out, err := cli(t, append([]string{"migrate"}, db...)...)
			if err != nil || !regexp.MustCompile(`schema is at version [1-9]\d* \(`+d+`\)`).MatchString(out) {
				t.Fatalf("migrate: %v %s", err, out)
			}
			if out, err := cli(t, append([]string{"user", "add", "boss", "--role", "admin"}, db...)...); err != nil || !regexp.MustCompile(`initial password: \S{12,}`).MatchString(out) {
				t.Fatalf("user add: %v %s", err, out)
			}
			if out, err := cli(t, append([]string{"user", "add", "x", "--role", "officer"}, db...)...); err == nil || !strings.Contains(out, "") {
				t.Fatalf("officer without unit accepted: %s", out)
			}
			if _, err := cli(t, append([]string{"user", "add", "boss", "--role", "admin"}, db...)...); err == nil {
				t.Fatal("duplicate user accepted")
			}
			out, err = cli(t, append([]string{"token", "create", "boss"}, db...)...)
			if err != nil || !strings.HasPrefix(out, "mny_") {
				t.Fatalf("token: %v %s", err, out)
			}
			if _, err := cli(t, append([]string{"token", "create", "nobody"}, db...)...); err == nil {
				t.Fatal("token for a missing user")
			}
			if out, err := cli(t, append([]string{"verify"}, db...)...); err != nil || !strings.Contains(out, "intact: 0 events") {
				t.Fatalf("verify empty: %v %s", err, out)
			}
		})
	}
	if out, _ := cli(t, "help"); !strings.Contains(out, "--database URL") || !strings.Contains(out, "--data DIR") {
		t.Errorf("help does not explain the flags: %s", out)
	}
	for _, args := range [][]string{{}, {"fly"}, {"serve", "--database", "mysql://x"}, {"backup"}, {"user", "add"}, {"serve", "--addr", "8080"},
		{"serve", "--backdate-days", "0"}, {"serve", "--backdate-days", "367"},
		{"serve", "--intake-limit", "20"}, {"serve", "--sms-limit", "3/fortnight"}, {"serve", "--trusted-proxy", "proxy.local"},
		{"serve", "--login-limit", "20/48h"}} {
		if _, err := cli(t, args...); exitCode(err) != 2 {
			t.Errorf("%q: exit %d, want usage error 2 (%v)", args, exitCode(err), err)
		}
	}
}

// server is a `minyi serve` subprocess.
type server struct {
	cmd  *exec.Cmd
	base string
	out  *bytes.Buffer
}

func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	// The tests file from one address, faster than a citizen: no abuse
	// limits unless a test asks for them with flags.
	cmd.Env = append(os.Environ(), "MINYI_LOG_LEVEL=warn", "MINYI_INTAKE_LIMIT=0", "MINYI_SMS_LIMIT=0",
		"MINYI_CODE_GUESS_LIMIT=0", "MINYI_LOGIN_LIMIT=0", "MINYI_OPEN311_READ_LIMIT=0")
	stdout, _ := cmd.StdoutPipe()
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, out: &errOut}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`serving on (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				ready <- m[1]
			}
		}
	}()
	select {
	case s.base = <-ready:
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start: %s", errOut.String())
	}
	return s
}

func (s *server) kill(t *testing.T) {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}

func post(client *http.Client, url, token string, body any) (int, map[string]any, error) {
	buf, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(buf))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out, nil
}

// TestServeLimitsHoldAcrossProcesses starts two servers on one PostgreSQL
// with an intake limit: the anonymous items of one address are counted
// together, whichever server takes them.
func TestServeLimitsHoldAcrossProcesses(t *testing.T) {
	dbArgs := dbFlag(t, "postgres")
	args := append([]string{"--intake-limit", "3/h", "--trusted-proxy", "127.0.0.1"}, dbArgs...)
	a, b := startServer(t, args...), startServer(t, args...)
	client := &http.Client{Timeout: 10 * time.Second}
	item := map[string]any{"kind": "help", "channel": "qr_code", "text": "求助"}
	for i, base := range []string{a.base, b.base, a.base, b.base} {
		req, _ := http.NewRequest("POST", base+"/api/v1/items", strings.NewReader(`{"kind":"help","channel":"qr_code","text":"求助"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", "192.0.2.1")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusCreated
		if i == 3 {
			want = http.StatusTooManyRequests
		}
		if resp.StatusCode != want || (want == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "") {
			t.Fatalf("item %d: %d (Retry-After %q), want %d", i+1, resp.StatusCode, resp.Header.Get("Retry-After"), want)
		}
	}
	// A request without the header is the proxy's own address: another client.
	if st, body, err := post(client, b.base+"/api/v1/items", "", item); err != nil || st != http.StatusCreated {
		t.Fatalf("the proxy's own address: %d %v %v", st, body, err)
	}
}

// TestKillLosesNoAcknowledgedItem kills the server with SIGKILL while
// clients are submitting; every item answered 201 must survive.
func TestKillLosesNoAcknowledgedItem(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			dbArgs := dbFlag(t, d)
			srv := startServer(t, dbArgs...)
			client := &http.Client{Timeout: 10 * time.Second}
			var mu sync.Mutex
			acked := map[string]string{} // number → text
			var n atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						text := fmt.Sprintf("客户端%d第%d件：户籍咨询", w, i)
						st, body, err := post(client, srv.base+"/api/v1/items", "", map[string]any{"kind": "consultation", "channel": "online_box", "text": text})
						if err != nil {
							continue // the server died mid-request: not acknowledged
						}
						if st == 201 {
							mu.Lock()
							acked[body["number"].(string)] = text
							mu.Unlock()
							n.Add(1)
						}
					}
				}()
			}
			for n.Load() < 200 {
				time.Sleep(10 * time.Millisecond)
			}
			srv.kill(t)
			close(stop)
			wg.Wait()

			ctx := context.Background()
			db, err := store.Open(ctx, dbArgs[1])
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for number, text := range acked {
				it, err := db.Item(ctx, number)
				if err != nil || it.Text != text {
					t.Fatalf("acknowledged item %s lost after kill -9: %v", number, err)
				}
			}
			if _, err := db.Verify(ctx); err != nil {
				t.Fatalf("event log broken after kill -9: %v", err)
			}
			t.Logf("%d acknowledged items all survived kill -9", len(acked))
		})
	}
}

// TestTwoServersOnePostgres runs two `minyi serve` processes on one
// PostgreSQL database: numbers never collide, and of two concurrent actions
// on one item exactly one wins.
func TestTwoServersOnePostgres(t *testing.T) {
	dbArgs := dbFlag(t, "postgres")
	if out, err := cli(t, append([]string{"user", "add", "chief", "--role", "leader"}, dbArgs...)...); err != nil {
		t.Fatal(out, err)
	}
	tokOut, _, err := cliSplit(t, append([]string{"token", "create", "chief"}, dbArgs...)...)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(tokOut)
	// Something recorded last month, so that its scheduled reports are due:
	// a month with nothing recorded issues none.
	ctx := context.Background()
	db, err := store.Open(ctx, dbArgs[1])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	today := time.Now().In(calendar.Zone)
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, calendar.Zone)
	lastMonth := first.AddDate(0, -1, 0).Add(10 * time.Hour)
	chief, err := db.UserByName(ctx, "chief")
	if err != nil {
		t.Fatal(err)
	}
	items := archive.NewService(db, archive.Policy{Calendar: calendar.Default(), BackdateDays: 62})
	if _, _, err := items.Submit(ctx, &chief, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelPaperBox,
		Text: "上月的求助", ReceivedAt: &lastMonth}); err != nil {
		t.Fatal(err)
	}
	before := 0 // this year's numbers taken before the servers start
	if lastMonth.Year() == today.Year() {
		before = 1
	}
	a, b := startServer(t, dbArgs...), startServer(t, dbArgs...)
	client := &http.Client{Timeout: 10 * time.Second}

	var mu sync.Mutex
	var numbers []string
	var wg sync.WaitGroup
	for w := range 8 {
		base := a.base
		if w%2 == 1 {
			base = b.base
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				st, body, err := post(client, base+"/api/v1/items", "", map[string]any{"kind": "help", "channel": "qr_code", "text": "求助"})
				if err != nil || st != 201 {
					t.Errorf("submit: %d %v %v", st, body, err)
					return
				}
				mu.Lock()
				numbers = append(numbers, body["number"].(string))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Strings(numbers)
	year := time.Now().In(calendar.Zone).Year() // numbers follow the year in China
	for i, n := range numbers {
		if want := fmt.Sprintf("%d-%06d", year, before+i+1); n != want {
			t.Fatalf("numbers collide or skip: #%d is %s, want %s", i, n, want)
		}
	}

	// A unit to dispatch to.
	raw, _ := sql.Open("pgx", dbArgs[1])
	defer raw.Close()
	if _, err := raw.Exec("INSERT INTO units(code, name, kind) VALUES ('a', '甲所', 'station')"); err != nil {
		t.Fatal(err)
	}
	for round := range 10 {
		number := numbers[round]
		results := make([]int, 2)
		var wg sync.WaitGroup
		for i, base := range []string{a.base, b.base} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, _, err := post(client, base+"/api/v1/items/"+number+"/actions", token, map[string]any{"action": "dispatch", "unit": "a", "version": 1})
				if err != nil {
					t.Error(err)
				}
				results[i] = st
			}()
		}
		wg.Wait()
		sort.Ints(results)
		if results[0] != 200 || results[1] != 409 {
			t.Fatalf("round %d: statuses %v, want one 200 and one 409", round, results)
		}
	}
	// The bureau's report of last month, if due today, is issued once by
	// the two servers' periodic work, whichever runs it (and unit a's too
	// when it runs after a was added); the month before, with nothing
	// recorded, has none.
	want := 0
	if report.FirstWorkingDayAfter(calendar.Default(), first.AddDate(0, 0, -1).Format(time.DateOnly)) <= today.Format(time.DateOnly) {
		want = 1
	}
	issued := func(q string) int {
		var n int
		if err := raw.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const bureaus = "SELECT COUNT(*) FROM issued_reports WHERE unit = '' AND kind = 'monthly'"
	for deadline := time.Now().Add(30 * time.Second); issued(bureaus) < want && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second)
	if n, all := issued(bureaus), issued("SELECT COUNT(*) FROM issued_reports"); n != want || (all != want && all != 2*want) {
		t.Errorf("the two servers issued %d of the bureau's scheduled reports (%d in all), want %d (%d or %d)", n, all, want, want, 2*want)
		// Which reports, and by whom. Two of the bureau's, seen once under
		// load in CI, were the month before's too: items dispatched while
		// the schedule counted them passed for overdue ones, and its month
		// with nothing recorded for a month with records (fixed in
		// store.OverdueByUnit, TestOverdueByUnitOneSnapshot).
		rows, err := raw.Query("SELECT COALESCE(schedule_key, ''), issued_by, issued_at, substr(document, 1, 400) FROM issued_reports ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var key, by, doc string
			var at int64
			if err := rows.Scan(&key, &by, &at, &doc); err != nil {
				t.Fatal(err)
			}
			t.Logf("issued %s by %s at %d: %s", key, by, at, doc)
		}
	}
	if _, err := db.Verify(ctx); err != nil {
		t.Fatalf("hash chain across two servers: %v", err)
	}
}

// TestVerifyNamesEditedEvent edits an event row by hand and expects
// `minyi verify` to fail naming it.
func TestVerifyNamesEditedEvent(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			dbArgs := dbFlag(t, d)
			srv := startServer(t, dbArgs...)
			client := &http.Client{Timeout: 10 * time.Second}
			for i := range 5 {
				st, body, err := post(client, srv.base+"/api/v1/items", "", map[string]any{"kind": "help", "channel": "online_box", "text": fmt.Sprintf("第%d件", i)})
				if err != nil || st != 201 {
					t.Fatal(st, body, err)
				}
			}
			srv.kill(t)
			if out, err := cli(t, append([]string{"verify"}, dbArgs...)...); err != nil {
				t.Fatalf("intact log fails: %v %s", err, out)
			}
			driver, dsn := "pgx", dbArgs[1]
			if d == "sqlite" {
				driver, dsn = "sqlite", "file:"+filepath.Join(dbArgs[1], store.SQLiteFile)
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			// The fourth of the items' events: the report schedule, run at the
			// server's start, may have put its reports' events among them.
			var seq int64
			if err := raw.QueryRow("SELECT seq FROM events WHERE register = 'items' ORDER BY seq LIMIT 1 OFFSET 3").Scan(&seq); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(fmt.Sprintf("UPDATE events SET actor = 'someone' WHERE seq = %d", seq)); err != nil {
				t.Fatal(err)
			}
			raw.Close()
			_, err = cli(t, append([]string{"verify"}, dbArgs...)...)
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("event %d (items ", seq)) {
				t.Fatalf("verify after edit: %v", err)
			}
		})
	}
}

func TestBackupCommand(t *testing.T) {
	dbArgs := dbFlag(t, "sqlite")
	srv := startServer(t, dbArgs...)
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range 3 {
		if st, _, err := post(client, srv.base+"/api/v1/items", "", map[string]any{"kind": "help", "channel": "online_box", "text": fmt.Sprintf("备份%d", i)}); err != nil || st != 201 {
			t.Fatal(st, err)
		}
	}
	to := filepath.Join(t.TempDir(), "copy", "minyi.db")
	os.MkdirAll(filepath.Dir(to), 0o755)
	if out, err := cli(t, append([]string{"backup", "--to", to}, dbArgs...)...); err != nil {
		t.Fatalf("backup while serving: %v %s", err, out)
	}
	// The copy holds the three items' events; the report schedule, run at
	// the server's start, may have issued reports too (their events
	// counted apart, "reports N").
	if out, err := cli(t, "verify", "--data", filepath.Dir(to)); err != nil || !strings.Contains(out, "items 3") {
		t.Fatalf("verify the copy: %v %s", err, out)
	}
}

// startDemo runs `minyi serve --demo` and returns its address and the
// admin token it prints.
func startDemo(t *testing.T, args ...string) (base, token string) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--demo", "--addr", "127.0.0.1:0"}, args...)...)
	var out bytes.Buffer
	pr, pw := io.Pipe()
	cmd.Stdout = io.MultiWriter(&out, pw)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); pw.Close() })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := regexp.MustCompile(`serving on (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				ready <- m[1]
			}
		}
	}()
	select {
	case base = <-ready:
	case <-time.After(120 * time.Second):
		t.Fatalf("demo server did not start: %s", out.String())
	}
	if !strings.Contains(out.String(), "demo: listening on 127.0.0.1:") {
		t.Errorf("the demo does not say it listens on this machine only: %s", out.String())
	}
	m := regexp.MustCompile(`admin API token: (mny_\S+)`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "leader") {
		t.Fatalf("demo did not print logins and a token: %s", out.String())
	}
	return base, m[1]
}

// TestServeDemo is the newcomer's first command: the demo bureau must come
// up, print its logins, and serve the seed's figures through the API.
func TestServeDemo(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			dbArgs := dbFlag(t, d)
			base, token := startDemo(t, append([]string{"--backdate-days", "5"}, dbArgs...)...)
			get := func(path string) map[string]any {
				req, _ := http.NewRequest("GET", base+path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var v map[string]any
				json.NewDecoder(resp.Body).Decode(&v)
				if resp.StatusCode != 200 {
					t.Fatalf("GET %s: %d %v", path, resp.StatusCode, v)
				}
				return v
			}
			count := func(query string, check func(map[string]any) bool) int {
				n, cursor := 0, ""
				for {
					page := get("/api/v1/items?limit=100&" + query + cursor)
					for _, it := range page["items"].([]any) {
						if !check(it.(map[string]any)) {
							t.Errorf("%s: item %v fails the check", query, it.(map[string]any)["number"])
						}
						n++
					}
					next, _ := page["next_cursor"].(string)
					if next == "" {
						return n
					}
					cursor = "&cursor=" + next
				}
			}
			closed := func(it map[string]any) bool { return it["status"] == "closed" }
			collected := 0
			for _, ch := range []string{"paper_box", "online_box", "qr_code", "survey", "forum"} {
				collected += count("from=2021-01-01&to=2021-10-31&channel="+ch, closed)
			}
			if collected != 60 {
				t.Errorf("opinions collected through boxes, surveys and forums: %d, the seed says 60", collected)
			}
			answered := func(it map[string]any) bool { return it["answered_at"] != nil && it["publish"] == true }
			if n := count("from=2021-01-01&to=2021-10-31&channel=online_desk", answered); n != 137 {
				t.Errorf("online-desk questions answered: %d, the seed says 137", n)
			}
			st := get("/api/v1/stats?from=2021-01-01&to=2021-10-31")
			if st["counts"].(map[string]any)["received"].(float64) < 197 {
				t.Errorf("stats: %v", st["counts"])
			}
			// The demo's summary of the source's period is issued, and no
			// empty monthly report of the months the demo holds nothing in.
			issued := get("/api/v1/reports")["items"].([]any)
			if len(issued) != 1 || issued[0].(map[string]any)["kind"] != "manual" || issued[0].(map[string]any)["to"] != "2021-11-02" {
				t.Errorf("the demo's issued reports: %v, want its one summary to 2021-11-02", issued)
			}
			// --backdate-days bounds how far back staff may date a slip.
			today := archive.ChinaDay(time.Now())
			for back, want := range map[int]int{6: http.StatusBadRequest, 5: http.StatusCreated} {
				at := today.AddDate(0, 0, -back).Add(10 * time.Hour).Format(time.RFC3339)
				status, body, err := post(http.DefaultClient, base+"/api/v1/items", token, map[string]any{"kind": "suggestion",
					"channel": "paper_box", "text": "意见箱纸条。", "received_at": at})
				if fields, _ := body["fields"].(map[string]any); err != nil || status != want || (want == http.StatusBadRequest && fields["received_at"] == nil) {
					t.Errorf("a slip %d days back under --backdate-days 5: %d %v %v, want %d", back, status, body, err, want)
				}
			}
			// A second start with --demo must not load it twice.
			out2, err := exec.Command(binary, append([]string{"demo"}, dbArgs...)...).CombinedOutput()
			if err == nil {
				t.Errorf("loading the demo into a used database succeeded: %s", out2)
			}
		})
	}
}

// TestReadmeCommandsWork runs the curl commands of README.md, as a newcomer
// would paste them, against the demo: each must succeed.
func TestReadmeCommandsWork(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Fatal("curl is needed to run the README's commands: ", err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "curl ") {
			lines = append(lines, l)
		}
	}
	if len(lines) < 3 {
		t.Fatalf("README has %d curl commands, want its three examples", len(lines))
	}
	base, token := startDemo(t, dbFlag(t, "sqlite")...)
	host := strings.TrimPrefix(base, "http://")
	for _, l := range lines {
		t.Run(l, func(t *testing.T) {
			line := strings.ReplaceAll(l, "localhost:8080", host)
			cmd := exec.Command("bash", "-c", line+` -w '\n%{http_code}'`)
			cmd.Env = append(os.Environ(), "TOKEN="+token, "PATH="+filepath.Dir(curl)+":/usr/bin:/bin")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			body, status := "", string(out)
			if i := strings.LastIndex(string(out), "\n"); i >= 0 {
				body, status = string(out[:i]), string(out[i+1:])
			}
			if !strings.HasPrefix(status, "2") || !json.Valid([]byte(body)) {
				t.Errorf("%s\n→ %s %s", line, status, body)
			}
		})
	}
}
