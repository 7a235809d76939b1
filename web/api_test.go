package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"minyi/internal/testdb"
	"minyi/store"
)

func (e *env) count() int {
	e.t.Helper()
	st, body := e.do("GET", "/api/v1/stats?from=2000-01-01&to=2100-01-01", "leader", nil)
	if st != 200 {
		e.t.Fatalf("stats: %d %v", st, body)
	}
	return int(body["counts"].(map[string]any)["received"].(float64))
}

func citizenItem(text string) map[string]any {
	return map[string]any{"kind": "consultation", "channel": "online_box", "category": "hukou", "text": text,
		"contact": map[string]any{"name": "王某", "phone": "13900001111"}}
}

func TestCitizenJourney(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		st, created := e.do("POST", "/api/v1/items", "", citizenItem("新生兒落戶要帶什麼？<b>急</b>"))
		if st != 201 {
			t.Fatalf("create: %d %v", st, created)
		}
		number, code := created["number"].(string), created["access_code"].(string)
		if !strings.HasPrefix(number, time.Now().Format("2006")+"-") || len(code) != 8 || created["status"] != "received" || created["due_at"] == "" {
			t.Fatalf("created %v", created)
		}
		n := "/api/v1/items/" + number
		// Staff work it, with an internal note the citizen must not see.
		steps := []struct {
			user string
			cmd  map[string]any
		}{
			{"leader", map[string]any{"action": "dispatch", "unit": "a"}},
			{"officer-a", map[string]any{"action": "sign"}},
			{"officer-a", map[string]any{"action": "note", "body": "内部：已联系医院"}},
			{"officer-a", map[string]any{"action": "answer", "body": "请带出生医学证明和户口簿。"}},
		}
		version := 1.0
		for _, s := range steps {
			s.cmd["version"] = version
			st, it := e.do("POST", n+"/actions", s.user, s.cmd)
			if st != 200 {
				t.Fatalf("%v: %d %v", s.cmd["action"], st, it)
			}
			version = it["version"].(float64)
			if c := it["contact"].(map[string]any); c["phone"] != "139****1111" {
				t.Fatalf("action response leaks contact: %v", c)
			}
		}
		st, view := e.do("GET", n+"?access_code="+code, "", nil)
		if st != 200 {
			t.Fatalf("citizen view: %d %v", st, view)
		}
		raw, _ := json.Marshal(view)
		for _, secret := range []string{"内部", "officer-a", "13900001111", "hash"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("citizen view contains %q: %s", secret, raw)
			}
		}
		if !strings.Contains(string(raw), "出生医学证明") {
			t.Errorf("citizen view lacks the public answer: %s", raw)
		}
		if st, _ := e.do("GET", n+"?access_code=WRONGCODE", "", nil); st != 404 {
			t.Errorf("wrong access code: %d", st)
		}
		// The citizen rates: unsatisfied needs a reason and reopens for redo.
		st, body := e.do("POST", n+"/actions?access_code="+code, "", map[string]any{"action": "rate", "satisfaction": "unsatisfied", "version": version})
		if st != 400 || body["fields"].(map[string]any)["body"] == nil {
			t.Fatalf("unsatisfied without a reason: %d %v", st, body)
		}
		st, body = e.do("POST", n+"/actions?access_code="+code, "", map[string]any{"action": "rate", "satisfaction": "unsatisfied", "body": "医院说还要别的材料", "version": version})
		if st != 200 || body["status"] != "in_progress" || body["redos"] != nil {
			t.Fatalf("redo: %d %v", st, body)
		}
		// The citizen cannot act for staff.
		if st, _ := e.do("POST", n+"/actions?access_code="+code, "", map[string]any{"action": "close", "version": body["version"]}); st != 403 {
			t.Errorf("citizen closing: %d", st)
		}
		// Markup is stored as text and JSON-escaped.
		_, staffView := e.do("GET", n, "leader", nil)
		if staffView["item"].(map[string]any)["text"] != "新生兒落戶要帶什麼？<b>急</b>" {
			t.Errorf("text changed: %v", staffView["item"])
		}
	})
}

// TestCitizenViewHidesPendingExtension: an officer's request for more
// time, with its internal reason and the officer's user name, reaches no
// door of the citizen's: the JSON view, the tracking page, nor the answer
// to their rating.
func TestCitizenViewHidesPendingExtension(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		st, created := e.do("POST", "/api/v1/items", "", citizenItem("户口迁移要多久？"))
		if st != 201 {
			t.Fatalf("create: %d %v", st, created)
		}
		number, code := created["number"].(string), created["access_code"].(string)
		n := "/api/v1/items/" + number
		const reason, officer = "所长出差，材料压在档案室未调出", "officer-a"
		version := created["version"].(float64)
		for _, s := range []struct {
			user string
			cmd  map[string]any
		}{
			{"leader", map[string]any{"action": "dispatch", "unit": "a"}},
			{officer, map[string]any{"action": "sign"}},
			{officer, map[string]any{"action": "request_extension", "body": reason, "extension": map[string]any{"Amount": 2, "Unit": "working_days"}}},
		} {
			s.cmd["version"] = version
			st, it := e.do("POST", n+"/actions", s.user, s.cmd)
			if st != 200 {
				t.Fatalf("%v: %d %v", s.cmd["action"], st, it)
			}
			version = it["version"].(float64)
		}
		if _, staff := e.do("GET", n, "leader", nil); staff["item"].(map[string]any)["pending_extension"] == nil {
			t.Fatalf("the staff view lacks the pending extension: %v", staff)
		}
		leaks := func(where, got string) {
			t.Helper()
			for _, secret := range []string{reason, "材料压在档案室", officer, "pending_extension", "requested_by"} {
				if strings.Contains(got, secret) {
					t.Errorf("%s holds %q: %s", where, secret, got)
				}
			}
		}
		_, view := e.do("GET", n+"?access_code="+code, "", nil)
		raw, _ := json.Marshal(view)
		leaks("the citizen's JSON view", string(raw))
		if view["item"].(map[string]any)["number"] != number {
			t.Fatalf("citizen view: %s", raw)
		}
		c := e.staffer(t)
		if p := c.get("/track/" + number + "?code=" + code); p.status != http.StatusSeeOther {
			t.Fatalf("track link: %d", p.status)
		}
		leaks("the tracking page", c.open("/track/"+number))

		// The answer goes out while the request is still pending, and the
		// citizen rates it: the rating's answer is the citizen's view too.
		st, it := e.do("POST", n+"/actions", officer, map[string]any{"action": "answer", "body": "已办结，请带户口簿来。", "version": version})
		if st != 200 {
			t.Fatalf("answer: %d %v", st, it)
		}
		st, rated := e.do("POST", n+"/actions?access_code="+code, "", map[string]any{"action": "rate", "satisfaction": "satisfied", "version": it["version"]})
		raw, _ = json.Marshal(rated)
		if st != 200 || rated["status"] != "visited" {
			t.Fatalf("rate: %d %s", st, raw)
		}
		leaks("the answer to the rating", string(raw))
	})
}

func TestAuthorisation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, created := e.do("POST", "/api/v1/items", "", citizenItem("户籍咨询"))
		n := "/api/v1/items/" + created["number"].(string)
		tests := []struct {
			name, method, path, user string
			body                     any
			want                     int
		}{
			{"own unit reads", "GET", n, "officer-a", nil, 200},
			{"other unit is forbidden", "GET", n, "officer-b", nil, 403},
			{"other unit cannot act", "POST", n + "/actions", "officer-b", map[string]any{"action": "note", "body": "x", "version": 1}, 403},
			{"other unit cannot reveal", "GET", n + "/contact", "officer-b", nil, 403},
			{"officer cannot dispatch", "POST", n + "/actions", "officer-a", map[string]any{"action": "dispatch", "unit": "b", "version": 1}, 403},
			{"anonymous cannot list", "GET", "/api/v1/items", "", nil, 401},
			{"anonymous needs a code", "GET", n, "", nil, 401},
			{"officer cannot add users", "POST", "/api/v1/users", "officer-a", map[string]any{"name": "x", "role": "admin"}, 403},
			{"leader cannot add units", "POST", "/api/v1/units", "leader", map[string]any{"code": "c", "name": "丙", "kind": "station"}, 403},
			{"users list is admin only", "GET", "/api/v1/users", "leader", nil, 403},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if st, body := e.do(tc.method, tc.path, tc.user, tc.body); st != tc.want {
					t.Fatalf("got %d %v, want %d", st, body, tc.want)
				}
			})
		}
		req, _ := http.NewRequest("GET", e.url+"/api/v1/items", nil)
		req.Header.Set("Authorization", "Bearer mny_forged")
		resp, _ := http.DefaultClient.Do(req)
		if resp.StatusCode != 401 {
			t.Errorf("forged token: %d", resp.StatusCode)
		}
		resp.Body.Close()
		// Officer lists see only their unit.
		e.do("POST", "/api/v1/items", "", map[string]any{"kind": "help", "channel": "qr_code", "unit": "b", "text": "乙所的件"})
		_, page := e.do("GET", "/api/v1/items", "officer-a", nil)
		for _, it := range page["items"].([]any) {
			if u := it.(map[string]any)["unit"]; u != "a" {
				t.Errorf("officer-a sees unit %v", u)
			}
		}
		// Revealing the contact is allowed for the unit and recorded.
		st, c := e.do("GET", n+"/contact", "officer-a", nil)
		if st != 200 || c["phone"] != "13900001111" {
			t.Fatalf("reveal: %d %v", st, c)
		}
		_, view := e.do("GET", n, "leader", nil)
		evs := view["events"].([]any)
		if last := evs[len(evs)-1].(map[string]any); last["type"] != "contact_revealed" || last["actor"] != "officer-a" {
			t.Errorf("reveal not recorded: %v", last)
		}
	})
}

func TestBadInputChangesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		big := strings.Repeat("长", 30000) // 90 KB > the 64 KB limit of this server
		tests := []struct {
			name  string
			body  any
			want  int
			field string
		}{
			{"missing text", map[string]any{"kind": "help", "channel": "online_box"}, 400, "text"},
			{"unknown kind", map[string]any{"kind": "rant", "channel": "online_box", "text": "x"}, 400, "kind"},
			{"citizen claims a visit", map[string]any{"kind": "help", "channel": "visit", "text": "x"}, 400, "channel"},
			{"unknown category", map[string]any{"kind": "help", "channel": "online_box", "text": "x", "category": "nope"}, 400, "category"},
			{"unknown unit", map[string]any{"kind": "help", "channel": "qr_code", "text": "x", "unit": "nope"}, 400, "unit"},
			{"bad phone", map[string]any{"kind": "help", "channel": "online_box", "text": "x", "contact": map[string]any{"phone": "abc"}}, 400, "contact.phone"},
			{"wrong type", map[string]any{"kind": "help", "channel": "online_box", "text": 5}, 400, "text"},
			{"unknown field", map[string]any{"kind": "help", "channel": "online_box", "text": "x", "colour": "red"}, 400, "colour"},
			{"control character", map[string]any{"kind": "help", "channel": "online_box", "text": "a\u0007b"}, 400, "text"},
			{"invalid utf-8", []byte("{\"kind\":\"help\",\"channel\":\"online_box\",\"text\":\"\xff\xfe\"}"), 400, "body"},
			{"malformed json", "{\"kind\":", 400, "body"},
			{"two objects", `{"kind":"help","channel":"online_box","text":"x"}{}`, 400, "body"},
			{"bad photo", map[string]any{"kind": "help", "channel": "online_box", "text": "x", "photos": []any{map[string]any{"data": "aGVsbG8="}}}, 400, "photos[0]"},
			{"too large", map[string]any{"kind": "help", "channel": "online_box", "text": big}, 413, ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := e.count()
				st, body := e.do("POST", "/api/v1/items", "", tc.body)
				if st != tc.want {
					t.Fatalf("status %d %v, want %d", st, body, tc.want)
				}
				for _, k := range []string{"code", "message", "fields"} {
					if _, ok := body[k]; !ok {
						t.Fatalf("error lacks %q: %v", k, body)
					}
				}
				if tc.field != "" {
					msg, _ := body["fields"].(map[string]any)[tc.field].(string)
					if !strings.Contains(msg, " / ") {
						t.Fatalf("field %q: message %q should be Chinese / English (%v)", tc.field, msg, body)
					}
				}
				if after := e.count(); after != before {
					t.Fatalf("a rejected request wrote %d items", after-before)
				}
			})
		}
		t.Run("staff claim an Open311 client's channel", func(t *testing.T) {
			before := e.count()
			st, body := e.do("POST", "/api/v1/items", "leader", map[string]any{"kind": "help", "channel": "open311", "text": "x"})
			msg, _ := body["fields"].(map[string]any)["channel"].(string)
			if st != 400 || !strings.Contains(msg, "Open311") || e.count() != before {
				t.Fatalf("status %d %v, want 400 naming channel and nothing stored", st, body)
			}
		})
	})
}

func TestActionErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, created := e.do("POST", "/api/v1/items", "", citizenItem("户籍咨询"))
		n := "/api/v1/items/" + created["number"].(string) + "/actions"
		tests := []struct {
			name string
			cmd  map[string]any
			want int
			code string
		}{
			{"illegal transition", map[string]any{"action": "close", "version": 1}, 422, "illegal"},
			{"unknown action", map[string]any{"action": "explode", "version": 1}, 400, "invalid"},
			{"missing unit", map[string]any{"action": "dispatch", "version": 1}, 400, "invalid"},
			{"unknown unit", map[string]any{"action": "dispatch", "unit": "zzz", "version": 1}, 400, "invalid"},
			{"works", map[string]any{"action": "dispatch", "unit": "a", "version": 1}, 200, ""},
			{"stale version", map[string]any{"action": "dispatch", "unit": "b", "version": 1}, 409, "conflict"},
			{"merge into missing", map[string]any{"action": "merge", "into": "2099-000001", "body": "重复", "version": 2}, 400, "invalid"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				st, body := e.do("POST", n, "leader", tc.cmd)
				if st != tc.want || (tc.code != "" && body["code"] != tc.code) {
					t.Fatalf("got %d %v, want %d %s", st, body, tc.want, tc.code)
				}
			})
		}
		if st, _ := e.do("POST", "/api/v1/items/2099-000001/actions", "leader", map[string]any{"action": "sign", "version": 1}); st != 404 {
			t.Errorf("missing item: %d", st)
		}
	})
}

func TestListSearchAndStats(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, text := range []string{"我要投訴窗口", "投诉交通", "户籍咨询", "戶籍遷移"} {
			if st, b := e.do("POST", "/api/v1/items", "", citizenItem(text)); st != 201 {
				t.Fatal(b)
			}
		}
		tests := []struct {
			query string
			want  int
		}{
			{"q=%E6%8A%95%E8%AF%89", 2},                   // 投诉
			{"q=%E6%88%B6%E7%B1%8D", 2},                   // 戶籍
			{"q=%E6%88%B6%E7%B1%8D&status=dispatched", 0}, // none dispatched
			{"status=received,dispatched&kind=consultation", 4},
			{"overdue=false&limit=3", 3},
			{"from=2000-01-01&to=2000-12-31", 0},
		}
		for _, tc := range tests {
			t.Run(tc.query, func(t *testing.T) {
				st, page := e.do("GET", "/api/v1/items?"+tc.query, "leader", nil)
				if st != 200 || len(page["items"].([]any)) != tc.want {
					t.Fatalf("%d %v, want %d items", st, page, tc.want)
				}
			})
		}
		for _, bad := range []string{"status=lost", "limit=0", "from=yesterday", "kind=x", "overdue=maybe", "sort=random"} {
			if st, body := e.do("GET", "/api/v1/items?"+bad, "leader", nil); st != 400 || len(body["fields"].(map[string]any)) == 0 {
				t.Errorf("%s: %d %v", bad, st, body)
			}
		}
		st, stats := e.do("GET", "/api/v1/stats?from=2000-01-01&to=2100-12-31&unit=a", "leader", nil)
		if st != 200 || stats["counts"].(map[string]any)["received"].(float64) != 4 {
			t.Fatalf("stats %d %v", st, stats)
		}
		if _, ok := stats["rates"].(map[string]any)["response_rate"]; !ok {
			t.Fatalf("stats lack rates: %v", stats)
		}
		if st, _ := e.do("GET", "/api/v1/stats?from=2021-12-01&to=2021-01-01", "leader", nil); st != 400 {
			t.Errorf("reversed period: %d", st)
		}
	})
}

func TestAdminAndCalendar(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		if st, b := e.do("POST", "/api/v1/units", "admin", map[string]any{"code": "c", "name": "丙派出所", "kind": "station", "parent_code": "bureau"}); st != 201 {
			t.Fatalf("unit: %d %v", st, b)
		}
		if st, b := e.do("POST", "/api/v1/units", "admin", map[string]any{"code": "c", "name": "又一个", "kind": "station"}); st != 409 {
			t.Fatalf("duplicate unit: %d %v", st, b)
		}
		if st, b := e.do("POST", "/api/v1/units", "admin", map[string]any{"code": "Bad Code", "name": "", "kind": "moon"}); st != 400 || len(b["fields"].(map[string]any)) != 3 {
			t.Fatalf("bad unit: %d %v", st, b)
		}
		st, b := e.do("POST", "/api/v1/users", "admin", map[string]any{"name": "newbie", "role": "officer", "unit_code": "c"})
		if st != 201 || len(b["initial_password"].(string)) < 12 {
			t.Fatalf("user: %d %v", st, b)
		}
		if st, b := e.do("POST", "/api/v1/categories", "admin", map[string]any{"code": "traffic", "name": "交通", "unit": "c", "limit": map[string]any{"Amount": 5, "Unit": "working_days"}, "active": true}); st != 201 {
			t.Fatalf("category: %d %v", st, b)
		}
		_, cal := e.do("GET", "/api/v1/calendar", "", nil)
		if years := cal["years"].([]any); len(years) != 2 {
			t.Fatalf("default calendar years %v", years)
		}
		// A year without data is a guess, and the API says so.
		st, created := e.do("POST", "/api/v1/items", "", citizenItem("2027年的事"))
		if st != 201 {
			t.Fatal(created)
		}
		req, _ := http.NewRequest("PUT", e.url+"/api/v1/calendar", strings.NewReader("date,kind,name\n2027-01-01,holiday,元旦\nbad-line\n"))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
		resp, _ := http.DefaultClient.Do(req)
		if resp.StatusCode != 400 {
			t.Fatalf("bad CSV accepted: %d", resp.StatusCode)
		}
		resp.Body.Close()
		st, cal = e.do("PUT", "/api/v1/calendar", "admin", map[string]any{"entries": []any{map[string]any{"Date": "2027-01-01", "Kind": "holiday", "Name": "元旦"}}})
		if st != 200 || len(cal["years"].([]any)) != 3 {
			t.Fatalf("calendar put: %d %v", st, cal)
		}
		if st, _ := e.do("PUT", "/api/v1/calendar", "officer-a", map[string]any{"entries": []any{}}); st != 403 {
			t.Errorf("officer edits calendar: %d", st)
		}
	})
}

func TestServiceEndpoints(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	if st, b := e.do("GET", "/healthz", "", nil); st != 200 || b["status"] != "ok" {
		t.Fatalf("healthz %d %v", st, b)
	}
	e.do("POST", "/api/v1/items", "", citizenItem("指标"))
	_, m := e.do("GET", "/metrics", "", nil)
	for _, want := range []string{"minyi_http_requests_total", "minyi_items_created_total", `channel="online_box"`, "go_goroutines"} {
		if !strings.Contains(m["_raw"].(string), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if st, b := e.do("GET", "/api/v1/nope", "", nil); st != 404 || b["code"] != "not_found" {
		t.Errorf("unknown API path: %d %v", st, b)
	}
	if st, b := e.do("GET", "/nope", "", nil); st != 404 || !strings.Contains(b["_raw"].(string), "没有这个页面") {
		t.Errorf("unknown page: %d %v", st, b)
	}
	// Every path the OpenAPI document lists is served (not the fallback 404).
	_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
	if doc["openapi"] != "3.0.3" {
		t.Fatalf("openapi: %v", doc)
	}
	paths := doc["paths"].(map[string]any)
	if len(paths) < 15 {
		t.Fatalf("only %d paths documented", len(paths))
	}
	for path, ops := range paths {
		for method := range ops.(map[string]any) {
			p := strings.NewReplacer("{number}", "2021-000001", "{id}", "1").Replace(path)
			st, b := e.do(strings.ToUpper(method), p, "admin", map[string]any{})
			if st == 404 && strings.Contains(b["message"].(string), "no such endpoint") || st == 405 {
				t.Errorf("%s %s is documented but not served (%d)", method, path, st)
			}
		}
	}
}

// Answers about one citizen's item (the access code at filing, the views,
// an action's result) are kept out of caches and the browser's history.
func TestItemAnswersAreNotStored(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	cacheOf := func(method, path, token string, body string) string {
		t.Helper()
		req, _ := http.NewRequest(method, e.url+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d", method, path, resp.StatusCode)
		}
		return resp.Header.Get("Cache-Control")
	}
	_, created := e.do("POST", "/api/v1/items", "", map[string]any{"kind": "help", "channel": "online_box", "text": "求助"})
	number, code := created["number"].(string), created["access_code"].(string)
	for _, c := range []struct{ name, method, path, token, body string }{
		{"filing", "POST", "/api/v1/items", "", `{"kind":"help","channel":"online_box","text":"又一件"}`},
		{"citizen view", "GET", "/api/v1/items/" + number + "?access_code=" + code, "", ""},
		{"staff view", "GET", "/api/v1/items/" + number, e.tokens["leader"], ""},
		{"action", "POST", "/api/v1/items/" + number + "/actions", e.tokens["leader"], `{"action":"dispatch","unit":"a","version":1}`},
	} {
		if got := cacheOf(c.method, c.path, c.token, c.body); !strings.Contains(got, "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store", c.name, got)
		}
	}
}

// The ledgers' answers are a member of staff's view of their units'
// records, kept out of shared caches as the items' are.
func TestLedgerAnswersAreNotStored(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	for _, path := range []string{"/api/v1/matters", "/api/v1/measures", "/api/v1/volunteer-activities", "/api/v1/service-points",
		"/api/v1/ledgers/summary", "/api/v1/branches/ranking"} {
		req, _ := http.NewRequest("GET", e.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens["leader"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("%s: %d, Cache-Control %q, want 200 and no-store", path, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
}
