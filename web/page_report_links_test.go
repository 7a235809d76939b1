package web_test

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/demo"
	"minyi/internal/testdb"
	"minyi/store"
	"minyi/web"
)

var (
	// figureLink is a linked figure of the report page: its list, key and
	// printed value.
	figureLink = regexp.MustCompile(`<a class="fig" href="([^"]+)" data-figure="([^"]+)"[^>]*>([^<]+)</a>`)
	// shownFigure is what a linked page shows as the figure: a list's total
	// (共N条) or a page's sum (id="figure").
	shownFigure = regexp.MustCompile(`id="(?:total|matter-total|figure)"[^>]*>[^0-9<]*([0-9][0-9,]*)`)
	// printedFigure is a figure the report's prose prints.
	printedFigure = regexp.MustCompile(`<(?:a|span) class="fig"[^>]*data-figure="([^"]+)"`)
)

// unlinkedFigures are the figures the report prints that no page shows as
// a total or a sum yet, each with why.
var unlinkedFigures = map[string]string{}

// TestReportLinks writes the demo bureau's report of 2021-01-01 to
// 2021-11-02 on its page as the leader, follows every figure's link and
// finds there, as the list's total or the page's sum, the figure the
// report prints; every figure the prose prints links somewhere unless it
// is named in unlinkedFigures.
func TestReportLinks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
		if _, err := demo.Load(ctx, demo.Env{Store: db, Policy: items.Policy()}); err != nil {
			t.Fatalf("Load: %v", err)
		}
		e := &env{t: t, db: db, svc: items, tokens: map[string]string{}, passwords: map[string]string{"leader": demo.Password}}
		e.url = startServer(t, db, items, web.Config{AgencyName: "鄂托克旗公安局", Dialect: db.Dialect()}, nil)
		leader := e.loggedIn(t, "leader")
		report := leader.open("/staff/reports?from=2021-01-01&to=2021-11-02")

		links := map[string]struct{ href, text string }{}
		for _, m := range figureLink.FindAllStringSubmatch(report, -1) {
			links[m[2]] = struct{ href, text string }{html.UnescapeString(m[1]), m[3]}
		}
		for _, m := range printedFigure.FindAllStringSubmatch(report, -1) {
			key := m[1]
			if _, ok := links[key]; !ok && unlinkedFigures[key] == "" {
				t.Errorf("the report prints %s without a link", key)
			}
		}
		for _, key := range []string{"matters.done", "matters.led", "measures.implemented", "volunteer_activities.activities",
			"disputes.found", "disputes.resolved", "disputes.resolved_village", "cases.done", "publicity.pieces",
			"opinions.collected", "opinions.resolved", "desk.received", "desk.replied", "desk.closed", "items.received", "items.answered", "items.closed",
			"rates.response", "rates.resolution", "rates.satisfaction", "units.ranked"} {
			if _, ok := links[key]; !ok {
				t.Errorf("no link of %s", key)
			}
		}
		for key, l := range links {
			t.Run(key, func(t *testing.T) {
				p := leader.get(l.href)
				if p.status != 200 {
					t.Fatalf("%s: %d %.300s", l.href, p.status, p.body)
				}
				// A page of several figures marks the figure with its key.
				if m := regexp.MustCompile(`data-figure="` + regexp.QuoteMeta(key) + `"[^>]*>([^<]+)<`).FindStringSubmatch(p.body); m != nil {
					if m[1] != l.text {
						t.Errorf("%s = %s, but %s shows %s", key, l.text, l.href, m[1])
					}
					return
				}
				m := shownFigure.FindStringSubmatch(p.body)
				if m == nil {
					t.Fatalf("%s shows no total or figure", l.href)
				}
				want := strings.ReplaceAll(l.text, ",", "")
				if got := strings.ReplaceAll(m[1], ",", ""); got != want {
					t.Errorf("%s = %s, but %s shows %s", key, l.text, l.href, m[1])
				}
			})
		}
	})
}
