package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
	"minyi/web"
)

// TestLedgerFormsFiledOnceAcrossServers: a ledger's create form sent again
// — several times at once, a double click, or a reload answered by another
// server or by the same server after a restart — records one record and
// leads every sending to it: the form's key is noted in the database in
// the record's own transaction, not in a server's memory.
func TestLedgerFormsFiledOnceAcrossServers(t *testing.T) {
	now := time.Now().In(calendar.Zone)
	day := now.AddDate(0, 0, -3).Format(time.DateOnly)
	serviceForms := 0
	ledgers := []struct {
		name, user, from, action, api string
		form                          func() url.Values
	}{
		{"matter", "officer-a", "/staff/matters/new", "/staff/matters", "matters", func() url.Values {
			f := matterForm("帮助牧民秋收玉米")
			f.Set("participants", "officer-a")
			return f
		}},
		{"measure", "officer-a", "/staff/measures/new", "/staff/measures", "measures", func() url.Values {
			return url.Values{"title": {"错时延时服务"}, "changes": {"户籍窗口午间照常办理"}, "branch": {"a1"}, "researched_on": {day}}
		}},
		{"volunteer activity", "officer-a", "/staff/volunteer/new", "/staff/volunteer", "volunteer-activities", func() url.Values {
			return url.Values{"title": {"送法进牧区"}, "date": {day}, "branch": {"a1"}, "volunteers": {"3"}, "hours": {"2"},
				"participants": {"officer-a"}}
		}},
		{"service point", "officer-a", "/staff/points/new", "/staff/points", "service-points", func() url.Values {
			return url.Values{"name": {"城关便民服务站"}, "address": {"城关镇人民路1号"}, "township": {"城关镇"},
				"services": {"户籍办理"}, "phone": {"023-12345678"}, "status": {"active"}}
		}},
		{"dispute", "officer-a", "/staff/disputes/new", "/staff/disputes", "disputes", func() url.Values {
			f := disputeForm()
			f.Set("found_on", day)
			return f
		}},
		{"one-stop case", "officer-a", "/staff/cases/new?service=1", "/staff/cases", "cases", func() url.Values {
			return url.Values{"service": {"1"}, "name": {"乌云"}, "phone": {"13900001111"}, "received": {"出生医学证明"}}
		}},
		{"one-stop service", "admin", "/staff/services/new", "/staff/services", "services", func() url.Values {
			serviceForms++ // a fresh form names a code of its own
			return url.Values{"name": {"迁入户口"}, "code": {fmt.Sprintf("move-in-%d", serviceForms)}, "active": {"1"},
				"step_name": {"收件"}, "step_unit": {"a"}, "step_materials": {"户口簿"}, "step_limit": {"2"}, "op": {"save"}}
		}},
		{"campaign", "leader", "/staff/campaigns/new", "/staff/campaigns", "campaigns", func() url.Values {
			return url.Values{"name": {"我为群众办实事"}, "from": {now.AddDate(0, -1, 0).Format(time.DateOnly)},
				"to": {now.AddDate(0, 6, 0).Format(time.DateOnly)}, "plan": {"全体民辅警领办实事"}}
		}},
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		osService(t, e) // service 1, whose first step is unit a's
		cfg := web.Config{MaxBodyBytes: 64 << 10, Dialect: db.Dialect()}
		count := func(t *testing.T, api string) float64 {
			t.Helper()
			st, b := e.do("GET", "/api/v1/"+api+"?limit=1", "leader", nil)
			if st != http.StatusOK {
				t.Fatalf("count %s: %d %v", api, st, b)
			}
			return b["total"].(float64)
		}
		for _, l := range ledgers {
			t.Run(l.name, func(t *testing.T) {
				s := e.loggedIn(t, l.user)
				before := count(t, l.api)

				// Sent five times at once: one record, every sending led to it.
				form := l.form()
				s.fill(l.from, l.action, form)
				answers := make([]page, 5)
				var wg sync.WaitGroup
				for i := range answers {
					wg.Go(func() { answers[i] = s.post(l.action, form) })
				}
				wg.Wait()
				first := answers[0]
				if first.status != http.StatusSeeOther || !strings.HasPrefix(first.location, l.action+"/") {
					t.Fatalf("first sending: %d %q %s", first.status, first.location, first.body)
				}
				for i, a := range answers[1:] {
					if a.status != http.StatusSeeOther || a.location != first.location {
						t.Errorf("sending %d: %d %q, want %q %s", i+2, a.status, a.location, first.location, a.body)
					}
				}
				if got := count(t, l.api) - before; got != 1 {
					t.Fatalf("the form sent at once recorded %v, want 1", got)
				}

				// Sent again to a second server over the same database (a
				// restart, or the next server behind the balancer): the same
				// browser, its session and cookies, is led to the same record.
				other := *s
				other.base = startServer(t, db, e.svc, cfg, nil)
				if again := other.post(l.action, form); again.status != http.StatusSeeOther || again.location != first.location {
					t.Errorf("sent again elsewhere: %d %q, want %q %s", again.status, again.location, first.location, again.body)
				}
				if got := count(t, l.api) - before; got != 1 {
					t.Errorf("the form sent again elsewhere recorded %v, want 1", got)
				}
				if p := other.get(first.location); p.status != http.StatusOK {
					t.Errorf("the record on the second server: %d", p.status)
				}

				// A fresh form records a second record; a form without a
				// token, or with one no form gave out, records nothing.
				fresh := l.form()
				if p := s.submit(l.from, l.action, fresh); p.status != http.StatusSeeOther || p.location == first.location {
					t.Errorf("a fresh form: %d %q", p.status, p.location)
				}
				for _, token := range []string{"", "abc"} {
					bad := l.form()
					bad.Set("form_token", token)
					bad.Set("csrf_token", s.token(l.from))
					if p := s.post(l.action, bad); p.status != http.StatusBadRequest {
						t.Errorf("form token %q: %d %q", token, p.status, p.location)
					}
				}
				if got := count(t, l.api) - before; got != 2 {
					t.Errorf("%v recorded in all, want 2", got)
				}
			})
		}

		// A form's token names what it filed: the token of one ledger's
		// form sent with another's files nothing and is refused.
		t.Run("another ledger's token", func(t *testing.T) {
			s := e.loggedIn(t, "officer-a")
			form := url.Values{"title": {"夜间办证"}, "changes": {"夜间照常办理"}, "researched_on": {day}}
			s.fill("/staff/measures/new", "/staff/measures", form)
			if p := s.post("/staff/measures", form); p.status != http.StatusSeeOther {
				t.Fatalf("measure: %d %s", p.status, p.body)
			}
			before := count(t, "volunteer-activities")
			act := url.Values{"title": {"夜间巡逻"}, "date": {day}, "volunteers": {"2"}, "hours": {"1"},
				"form_token": form["form_token"], "csrf_token": {s.token("/staff/volunteer/new")}}
			if p := s.post("/staff/volunteer", act); p.status != http.StatusBadRequest {
				t.Errorf("answer %d %q, want 400", p.status, p.location)
			}
			if got := count(t, "volunteer-activities") - before; got != 0 {
				t.Errorf("%v activities recorded", got)
			}
		})
	})
}

// TestLedgerFormsKeepAnOlderCampaign: the ledgers' forms offer the latest
// 100 campaigns; a record filed under an older one is edited with its
// campaign still chosen, so saving the form does not silently drop it, and
// a list filtered by an older campaign shows it chosen.
func TestLedgerFormsKeepAnOlderCampaign(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		old := newCampaign(t, e, "早年的活动")
		for i := range 100 {
			newCampaign(t, e, fmt.Sprintf("活动%03d", i))
		}
		day := time.Now().In(calendar.Zone).AddDate(0, 0, -3).Format(time.DateOnly)
		records := []struct {
			name, api, pages string
			body             map[string]any
		}{
			{"matter", "matters", "matters", matterBody("帮助牧民秋收玉米", "a")},
			{"measure", "measures", "measures", measureBody("错时延时服务", "a")},
			{"volunteer activity", "volunteer-activities", "volunteer", map[string]any{"date": day, "title": "送法进牧区",
				"unit": "a", "volunteers": 3, "hours": 2}},
			{"service point", "service-points", "points", map[string]any{"name": "城关便民服务站", "unit": "a",
				"address": "城关镇人民路1号", "services": []any{"户籍办理"}}},
		}
		s := e.loggedIn(t, "officer-a")
		selected := fmt.Sprintf(`<option value="%d" selected>`, old)
		for _, r := range records {
			t.Run(r.name, func(t *testing.T) {
				r.body["campaign"] = old
				st, b := e.do("POST", "/api/v1/"+r.api, "officer-a", r.body)
				if st != http.StatusCreated {
					t.Fatalf("create: %d %v", st, b)
				}
				path := fmt.Sprintf("/staff/%s/%v", r.pages, b["id"])
				body := s.open(path + "/edit")
				if !strings.Contains(body, selected) || !strings.Contains(body, "早年的活动") {
					t.Errorf("the edit form does not offer the record's campaign %d chosen", old)
				}
				if n := strings.Count(body, `<option value="`+fmt.Sprint(old)+`"`); n != 1 {
					t.Errorf("the record's campaign is offered %d times, want once", n)
				}
				// The list filtered by it shows it chosen.
				list := s.open(fmt.Sprintf("/staff/%s?campaign=%d", r.pages, old))
				if !strings.Contains(list, selected) {
					t.Errorf("the list's filter does not show the record's campaign %d chosen", old)
				}
				// A new form offers the latest campaigns only.
				if p := s.get("/staff/" + r.pages + "/new"); p.status != http.StatusOK || strings.Contains(p.body, "早年的活动") {
					t.Errorf("a new form: %d, offers the older campaign: %v", p.status, strings.Contains(p.body, "早年的活动"))
				}
			})
		}
		t.Run("matter's page", func(t *testing.T) {
			body := matterBody("帮助学生申请助学金", "a")
			body["campaign"] = old
			st, b := e.do("POST", "/api/v1/matters", "officer-a", body)
			if st != http.StatusCreated {
				t.Fatalf("create: %d %v", st, b)
			}
			mustSee(t, "matter", s.get(fmt.Sprintf("/staff/matters/%v", b["id"])), http.StatusOK, `<dd id="campaign">早年的活动</dd>`)
		})
	})
}

// TestMatterListParticipantField: the links of a member's record filter
// the matters by participant; the list's filter form has the field too,
// showing the value followed and keeping it when other filters change.
func TestMatterListParticipantField(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		joined := matterBody("帮助牧民秋收玉米", "a")
		joined["lead"], joined["participants"] = "officer-a", []any{"aux-a"}
		for _, body := range []map[string]any{joined, matterBody("帮助学生申请助学金", "a")} {
			if st, b := e.do("POST", "/api/v1/matters", "officer-a", body); st != http.StatusCreated {
				t.Fatalf("create: %d %v", st, b)
			}
		}
		s := e.loggedIn(t, "leader")
		for _, tt := range []struct {
			query, total, field string
			open                bool
		}{
			{"", "共2件", `name="participant" type="text" value=""`, false},
			{"?participant=aux-a", "共1件", `name="participant" type="text" value="aux-a"`, true},
			{"?participant=officer-a", "共0件", `name="participant" type="text" value="officer-a"`, true}, // the lead is no participant
		} {
			t.Run(tt.query, func(t *testing.T) {
				p := s.get("/staff/matters" + tt.query)
				mustSee(t, "list", p, http.StatusOK, tt.total, tt.field, "参与人员（不含领办人）")
				if open := strings.Contains(p.body, "<details open>"); open != tt.open {
					t.Errorf("the filters are open: %v, want %v", open, tt.open)
				}
			})
		}
	})
}
