package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/loadgen"
	"minyi/store"
)

// pageMix is the staff's and citizens' pages at their heaviest realistic
// use: every inbox queue of every unit (leaders see all), item desks of
// items across the archive, the online desk with and without search, and
// the dashboard over a month and a whole year.
func pageMix(ctx context.Context, dbURL string, units []string) ([]loadgen.Query, error) {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var numbers []string
	for _, f := range []archive.Filter{{Limit: 20}, {Statuses: []archive.Status{archive.StatusClosed}, Limit: 20}, {Overdue: true, Limit: 20}} {
		page, err := db.FindItems(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, it := range page.Items {
			numbers = append(numbers, it.Number)
		}
	}
	var qs []loadgen.Query
	add := func(class, path string) { qs = append(qs, loadgen.Query{Class: class, Path: path}) }
	for _, q := range []string{"new", "to_sign", "in_progress", "due_soon", "overdue", "to_visit", "all"} {
		add("inbox", "/staff?queue="+q)
		for _, u := range units[:min(len(units), 3)] {
			add("inbox", "/staff?queue="+q+"&unit="+u)
		}
	}
	add("inbox", "/staff?queue=all&q="+url.QueryEscape("户籍"))
	for _, n := range numbers {
		add("item", "/staff/items/"+n)
	}
	add("desk", "/desk")
	third, err := deskPage(ctx, db, 3)
	if err != nil {
		return nil, err
	}
	add("desk", "/desk?cursor="+url.QueryEscape(third))
	for _, q := range []string{"户籍", "身份证", "戶籍遷移"} {
		add("desk", "/desk?q="+url.QueryEscape(q))
	}
	add("dashboard", "/staff/dashboard?from=2024-01-01&to=2024-12-31")
	add("dashboard", "/staff/dashboard?from=2024-03-01&to=2024-03-31")
	add("dashboard", "/staff/dashboard?from=2024-01-01&to=2024-12-31&unit="+units[0])
	return qs, nil
}

// deskPage returns the cursor of the online desk's nth page as citizens
// read it (each question once), the address its pager's "next" links lead
// to.
func deskPage(ctx context.Context, db *store.DB, n int) (string, error) {
	svc := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	cursor := ""
	for range n - 1 {
		page, err := svc.DeskSorted(ctx, "", "", cursor, 20)
		if err != nil {
			return "", err
		}
		if page.NextCursor == "" {
			return "", fmt.Errorf("the online desk has fewer than %d pages", n)
		}
		cursor = page.NextCursor
	}
	return cursor, nil
}

// staffSession adds a leader and logs in through the login form, as a
// browser would, returning a client that carries the session cookie.
func staffSession(ctx context.Context, bin string, dbArgs []string, base string) (*http.Client, error) {
	name := fmt.Sprintf("bench%d", time.Now().UnixNano()%1e9)
	out, err := exec.CommandContext(ctx, bin, append([]string{"user", "add", name, "--role", "leader"}, dbArgs...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("user add: %w", err)
	}
	m := regexp.MustCompile(`(?m)password[^:]*:\s*(\S+)`).FindSubmatch(out)
	password := strings.TrimSpace(string(out))
	if m != nil {
		password = string(m[1])
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if token == nil {
		return nil, fmt.Errorf("login page has no CSRF token")
	}
	resp, err = client.PostForm(base+"/login", url.Values{"name": {name}, "password": {password}, "csrf_token": {string(token[1])}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("login as %s: status %d", name, resp.StatusCode)
	}
	return client, nil
}
