package web_test

import (
	"context"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/demo"
	"minyi/internal/testdb"
	"minyi/org"
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

		// The API's lists answer the same filters with the same figure:
		// the matters' total or outcome sum, the questionnaires' answers
		// of the period, each questionnaire's adding up to them.
		tok, _, err := org.NewService(db).IssueToken(ctx, org.Operator("test"), "leader", "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens["leader"] = tok
		checked := map[string]bool{}
		for key, l := range links {
			path, query, _ := strings.Cut(l.href, "?")
			var api, field string
			switch {
			case path == "/staff/matters" && strings.HasPrefix(key, "matters.outcome_"):
				api, field = "/api/v1/matters", "outcome_sum"
			case path == "/staff/matters":
				api, field = "/api/v1/matters", "total"
			case path == "/staff/surveys":
				api, field = "/api/v1/surveys", "answers_in_period"
			default:
				continue
			}
			t.Run("api "+key, func(t *testing.T) {
				st, b := e.do("GET", api+"?"+query, "leader", nil)
				want, _ := strconv.ParseFloat(strings.ReplaceAll(l.text, ",", ""), 64)
				if st != 200 || b[field] != want {
					t.Fatalf("%s?%s: %d %s = %v, want %s", api, query, st, field, b[field], l.text)
				}
				if field == "answers_in_period" {
					var sum float64
					for _, it := range b["items"].([]any) {
						sum += it.(map[string]any)["answers_in_period"].(float64)
					}
					if b["next_cursor"] == nil && sum != want {
						t.Errorf("the questionnaires' answers add up to %v, want %v", sum, want)
					}
				}
			})
			checked[key] = true
		}
		for _, key := range []string{"matters.done", "matters.outcome_cattle", "matters.outcome_sheep", "surveys.answers"} {
			if !checked[key] {
				t.Errorf("the API was not asked for %s", key)
			}
		}
		if l := links["matters.outcome_cattle"]; l.text != "5" || links["matters.outcome_sheep"].text != "53" {
			t.Errorf("the demo's cattle and sheep: %s, %s, want 5, 53", l.text, links["matters.outcome_sheep"].text)
		}
	})
}
