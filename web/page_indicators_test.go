package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// TestIndicatorPages walks the period indicators' pages: a month's value
// refused beside its fields (nothing entered), entered once however often
// the form is sent, corrected by a new entry whose cell shows both in its
// history, the year's grid with each row's and the year's figure, another
// unit's cell refused, a partner reading only, and the admins' page of
// definitions (define, refuse a bad one, retire).
func TestIndicatorPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		a := e.loggedIn(t, "officer-a")
		mustSee(t, "empty grid", a.get("/staff/indicators?indicator=criminal_cases_solved&year=2021"), 200,
			"2021年破获刑事案件：0起", `href="/staff/indicators/enter?indicator=criminal_cases_solved"`)
		cell := "/staff/indicators/enter?indicator=criminal_cases_solved&unit=a&month=2021-03"
		noMissingMessages(t, cell, a.open(cell))

		refusals := []struct {
			name  string
			form  url.Values
			wants []string
		}{
			{"no value, a month ahead", url.Values{"indicator": {"criminal_cases_solved"}, "month": {"2999-01"}, "value": {""}},
				[]string{`id="errors"`, "请填写数值", "月份不能晚于本月"}},
			{"not a number", url.Values{"indicator": {"criminal_cases_solved"}, "month": {"2021-03"}, "value": {"十二"}},
				[]string{"数值须为整数", `value="十二"`}},
			{"an unknown indicator", url.Values{"indicator": {"bogus"}, "month": {"2021-03"}, "value": {"3"}},
				[]string{"指标不存在"}},
		}
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				mustSee(t, tt.name, a.submit(cell, "/staff/indicators/entries", tt.form), 400, tt.wants...)
				if st, b := e.do("GET", "/api/v1/indicator-entries?history=1", "admin", nil); st != 200 || b["total"] != float64(0) {
					t.Fatalf("a refused form entered: %d %v", st, b)
				}
			})
		}

		form := url.Values{"indicator": {"criminal_cases_solved"}, "month": {"2021-03"}, "value": {"12"}}
		a.fill(cell, "/staff/indicators/entries", form)
		first := a.post("/staff/indicators/entries", form)
		if first.status != http.StatusSeeOther || !strings.Contains(first.location, "month=2021-03") {
			t.Fatalf("enter: %d %s %s", first.status, first.location, first.body)
		}
		again := a.post("/staff/indicators/entries", form)
		if again.status != http.StatusSeeOther || !strings.HasPrefix(again.location, "/staff/indicators/entries/") {
			t.Fatalf("sent again: %d %s", again.status, again.location)
		}
		if p := a.get(again.location); p.status != http.StatusSeeOther || !strings.Contains(p.location, "month=2021-03") {
			t.Fatalf("an entry's place: %d %s", p.status, p.location)
		}
		mustSee(t, "entered", a.get(cell), 200, `value="12"`, "现行", "更正数值")

		correct := url.Values{"indicator": {"criminal_cases_solved"}, "month": {"2021-03"}, "value": {"13"}, "note": {"漏报一起"}}
		if p := a.submit(cell, "/staff/indicators/entries", correct); p.status != http.StatusSeeOther {
			t.Fatalf("correct: %d %s", p.status, p.body)
		}
		p := a.get(cell)
		mustSee(t, "corrected", p, 200, `value="13"`, "漏报一起", "已被取代")
		if n := strings.Count(p.body, `<tr id="entry-`); n != 2 {
			t.Errorf("the history shows %d entries, want 2", n)
		}
		if p := a.submit(cell, "/staff/indicators/entries", url.Values{"indicator": {"criminal_cases_solved"}, "month": {"2021-01"}, "value": {"5"}}); p.status != http.StatusSeeOther {
			t.Fatalf("enter January: %d", p.status)
		}
		mustSee(t, "grid", a.get("/staff/indicators?indicator=criminal_cases_solved&year=2021"), 200,
			"2021年破获刑事案件：18起", "<strong>18</strong>", ">13</a>")
		// A period's grid (as the report links its figure) shows only its
		// months and the unit asked, the figure marked with its key.
		period := a.get("/staff/indicators?indicator=criminal_cases_solved&from=2021-02&to=2021-04&unit=a")
		mustSee(t, "a period's grid", period, 200, "2021-02至2021-04 破获刑事案件：13起",
			`data-figure="indicators.criminal_cases_solved">13</strong>`, `<th scope="col">2021-04</th>`)
		if strings.Contains(period.body, "2021-01") || strings.Contains(period.body, "2021-05") {
			t.Errorf("a period's grid shows months outside it: %.2000s", period.body)
		}
		for _, tt := range []struct{ name, query, want string }{
			{"to before from", "from=2021-05&to=2021-02", "输入有误：to"},
			{"not a month", "from=2021-13&to=2021-14", "输入有误：from"},
			{"no to", "from=2021-01", "输入有误：to"},
			{"too long", "from=2000-01&to=2021-01", "输入有误：to"},
		} {
			mustSee(t, tt.name, a.get("/staff/indicators?indicator=criminal_cases_solved&"+tt.query), 400, tt.want)
		}
		mustSee(t, "bad year", a.get("/staff/indicators?year=1999"), 400)
		mustSee(t, "the latest year by default", a.get("/staff/indicators"), 200, `<option value="2021" selected>`)

		b := e.loggedIn(t, "officer-b")
		mustSee(t, "another unit's grid", b.get("/staff/indicators?indicator=criminal_cases_solved&year=2021"), 200, "2021年破获刑事案件：0起")
		mustSee(t, "another unit's period", b.get("/staff/indicators?indicator=criminal_cases_solved&from=2021-02&to=2021-04&unit=a"), 403)
		mustSee(t, "another unit's entry", b.submit("/staff/indicators/enter", "/staff/indicators/entries",
			url.Values{"indicator": {"criminal_cases_solved"}, "unit": {"a"}, "month": {"2021-03"}, "value": {"1"}}), 403)
		e.mustRefuse(t, []string{"partner"}, []route{{"POST", "/staff/indicators/entries"}},
			url.Values{"indicator": {"criminal_cases_solved"}, "month": {"2021-03"}, "value": {"1"}}, nil)
		mustSee(t, "partner reads", e.loggedIn(t, "partner").get(cell), 200, "漏报一起")
		e.mustRefuse(t, []string{"officer-a"}, []route{{"GET", "/staff/indicators/definitions"}, {"POST", "/staff/indicators/definitions"}},
			url.Values{"code": {"x_y"}}, nil)

		admin := e.loggedIn(t, "admin")
		defs := "/staff/indicators/definitions"
		noMissingMessages(t, defs, admin.open(defs))
		mustSee(t, "bad definition", admin.submit(defs, defs, url.Values{"code": {"ID"}, "name": {""}, "name_en": {"ID cards"},
			"measure": {"张"}, "aggregation": {"sum"}}), 400, `id="errors"`, "指标代码", "指标名称", `value="ID cards"`)
		if p := admin.submit(defs, defs, url.Values{"code": {"id_cards"}, "name": {"办理身份证"}, "name_en": {"ID cards issued"},
			"measure": {"张"}, "aggregation": {"last"}}); p.status != http.StatusSeeOther {
			t.Fatalf("define: %d %s", p.status, p.body)
		}
		mustSee(t, "defined", admin.get(defs), 200, "办理身份证", `value="last" selected`)
		retire := url.Values{"name": {"破获刑事案件"}, "name_en": {"criminal cases solved"}, "measure": {"起"}, "aggregation": {"sum"}}
		mustSee(t, "stale change", admin.submit(defs, defs+"/criminal_cases_solved", withVersion(retire, "9")), 409)
		m := regexpVersion.FindStringSubmatch(admin.open(defs))
		if p := admin.submit(defs, defs+"/criminal_cases_solved", withVersion(retire, m[1])); p.status != http.StatusSeeOther {
			t.Fatalf("retire: %d %s", p.status, p.body)
		}
		mustSee(t, "retired", admin.get(defs), 200, "已停用")
		mustSee(t, "a retired indicator's entry", a.submit(cell, "/staff/indicators/entries", url.Values{"indicator": {"criminal_cases_solved"},
			"month": {"2021-04"}, "value": {"2"}}), 400, "指标已停用")
		mustSee(t, "a retired indicator still counts", a.get("/staff/indicators?indicator=criminal_cases_solved&year=2021"), 200, "18起")
		form.Del("csrf_token")
		a.mustRefuseForged(t, []formPost{{"/staff/indicators/entries", form}})
	})
}
