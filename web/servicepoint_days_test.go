package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

// TestServicePointDays: a point's opening and closing days through the
// API, the staff form and the import, and the ledger summary's active
// points of a period counted from them. On SQLite and PostgreSQL.
func TestServicePointDays(t *testing.T) {
	today := time.Now().In(calendar.Zone).Format(time.DateOnly)
	tomorrow := time.Now().In(calendar.Zone).AddDate(0, 0, 1).Format(time.DateOnly)
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		active := func(t *testing.T, to string) float64 {
			t.Helper()
			st, b := e.do("GET", "/api/v1/ledgers/summary?from=2021-01-01&to="+to, "leader", nil)
			figs, _ := b["figures"].(map[string]any)
			points, _ := figs["service_points"].(map[string]any)
			if st != http.StatusOK || points == nil {
				t.Fatalf("summary to %s: %d %v", to, st, b)
			}
			return points["active"].(float64)
		}

		t.Run("API", func(t *testing.T) {
			st, p := e.do("POST", "/api/v1/service-points", "officer-a", map[string]any{"name": "东村警务站", "unit": "a", "address": "东村村委会", "opened_on": "2021-04-01"})
			if st != http.StatusCreated || p["opened_on"] != "2021-04-01" || p["closed_on"] != nil {
				t.Fatalf("create: %d %v", st, p)
			}
			path := fmt.Sprintf("/api/v1/service-points/%v", p["id"])
			for _, bad := range []struct {
				body  map[string]any
				field string
			}{
				{map[string]any{"version": 1, "status": "closed", "closed_on": "2021-03-31"}, "closed_on"},
				{map[string]any{"version": 1, "status": "closed", "closed_on": tomorrow}, "closed_on"},
				{map[string]any{"version": 1, "opened_on": tomorrow}, "opened_on"},
				{map[string]any{"version": 1, "opened_on": "2021-13-01"}, "opened_on"},
				{map[string]any{"version": 1, "closed_on": "2021-05-01"}, "closed_on"},
			} {
				if st, b := e.do("PATCH", path, "officer-a", bad.body); st != http.StatusBadRequest || fieldsOf(b)[bad.field] == nil {
					t.Errorf("PATCH %v: %d %v, want 400 naming %s", bad.body, st, b, bad.field)
				}
			}
			st, p = e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "status": "closed", "closed_on": "2022-03-15"})
			if st != http.StatusOK || p["closed_on"] != "2022-03-15" || p["version"] != 2.0 {
				t.Fatalf("closing on a day: %d %v", st, p)
			}
			if got := active(t, "2021-12-31"); got != 1 {
				t.Errorf("active at the end of 2021: %v, want the point closed in 2022", got)
			}
			if got := active(t, "2022-03-15"); got != 0 {
				t.Errorf("active on its closing day: %v", got)
			}
			// The list of the points open on a day (the report's link of
			// service_points.active) holds those counted.
			lister := e.loggedIn(t, "officer-a")
			for _, tt := range []struct {
				day    string
				status int
				want   string
			}{{"2021-12-31", 200, "共1条"}, {"2022-03-15", 200, "共0条"}, {"2021-03-31", 200, "共0条"}, {"2021-13-01", 400, ""}} {
				mustSee(t, "open on "+tt.day, lister.get("/staff/points?open_on="+tt.day), tt.status, tt.want)
			}
			// The API's list takes the same open_on, with the same total.
			for day, want := range map[string]float64{"2021-12-31": 1, "2022-03-15": 0, "2021-03-31": 0} {
				if st, b := e.do("GET", "/api/v1/service-points?open_on="+day, "officer-a", nil); st != http.StatusOK || b["total"] != want {
					t.Errorf("API open on %s: %d %v, want total %v", day, st, b, want)
				}
			}
			if st, b := e.do("GET", "/api/v1/service-points?open_on=2021-13-01", "officer-a", nil); st != http.StatusBadRequest || fieldsOf(b)["open_on"] == nil {
				t.Errorf("API open on a bad day: %d %v, want 400 naming open_on", st, b)
			}
			st, p = e.do("PATCH", path, "officer-a", map[string]any{"version": 2, "status": "active"})
			if st != http.StatusOK || p["closed_on"] != nil || p["status"] != "active" {
				t.Fatalf("reopening: %d %v", st, p)
			}
			st, p = e.do("PATCH", path, "officer-a", map[string]any{"version": 3, "status": "closed"})
			if st != http.StatusOK || p["closed_on"] != today {
				t.Errorf("closing without a day: %d %v, want closed today %s", st, p, today)
			}
		})

		t.Run("form", func(t *testing.T) {
			s := e.loggedIn(t, "officer-a")
			form := url.Values{"name": {"西村警务站"}, "address": {"西村村委会"}, "status": {"active"}, "opened_on": {tomorrow}}
			if p := s.submit("/staff/points/new", "/staff/points", form); p.status != http.StatusBadRequest || !strings.Contains(p.body, "开放日期不能晚于今天") {
				t.Errorf("opened tomorrow: %d %s", p.status, p.body)
			}
			form.Set("opened_on", "2021-05-01")
			p := s.submit("/staff/points/new", "/staff/points", form)
			if p.status != http.StatusSeeOther {
				t.Fatalf("create: %d %s", p.status, p.body)
			}
			if body := s.open(p.location); !strings.Contains(body, `<dd id="opened-on">2021-05-01</dd>`) {
				t.Errorf("the point's page lacks its opening day: %s", body)
			}
			// Closed through the form without a day: closed today; the
			// edit form then shows the day, and reopening drops it.
			edit := url.Values{"name": {"西村警务站"}, "address": {"西村村委会"}, "status": {"closed"}, "opened_on": {"2021-05-01"}, "version": {"1"}}
			if q := s.submit(p.location+"/edit", p.location, edit); q.status != http.StatusSeeOther {
				t.Fatalf("closing: %d %s", q.status, q.body)
			}
			if body := s.open(p.location); !strings.Contains(body, `<dd id="closed-on">`+today+`</dd>`) {
				t.Errorf("closed without a day is not closed today: %s", body)
			}
			edit.Set("status", "active")
			edit.Set("closed_on", today)
			edit.Set("version", "2")
			if q := s.submit(p.location+"/edit", p.location, edit); q.status != http.StatusSeeOther {
				t.Fatalf("reopening: %d %s", q.status, q.body)
			}
			if body := s.open(p.location); strings.Contains(body, `id="closed-on"`) {
				t.Errorf("a reopened point keeps its closing day: %s", body)
			}
		})

		t.Run("import", func(t *testing.T) {
			book := filled(t, e.template("service-points", "officer-a"), []string{"站点名称", "单位", "地址", "状态", "开放日期", "关闭日期"},
				[][]any{{"南村警务站", "a", "南村村委会", "服务中", "2021/4/1", ""}, {"北村警务站", "a", "北村村委会", "已关闭", "2021-02-01", "2022年1月5日"}})
			if st, _, body := e.upload("service-points", "officer-a", book, false); st != http.StatusCreated {
				t.Fatalf("import: %d %s", st, body)
			}
			_, b := e.do("GET", "/api/v1/service-points?q=村警务站&limit=100", "officer-a", nil)
			got := map[string]string{}
			for _, it := range b["items"].([]any) {
				p := it.(map[string]any)
				got[p["name"].(string)] = fmt.Sprint(p["opened_on"], " ", p["closed_on"])
			}
			if got["南村警务站"] != "2021-04-01 <nil>" || got["北村警务站"] != "2021-02-01 2022-01-05" {
				t.Errorf("imported days %v", got)
			}
			bad := filled(t, e.template("service-points", "officer-a"), []string{"站点名称", "单位", "地址", "状态", "开放日期", "关闭日期"},
				[][]any{{"错站", "a", "村委会", "已关闭", "2021-05-01", "2021-04-01"}})
			if st, res, body := e.upload("service-points", "officer-a", bad, true); st != http.StatusUnprocessableEntity || len(res.Errors) != 1 || res.Errors[0].Column != "关闭日期" {
				t.Errorf("closed before it opened: %d %s", st, body)
			}
		})
	})
}
