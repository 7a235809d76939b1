package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// Values that are not text (a NUL byte, invalid UTF-8, a lone surrogate in
// a JSON escape) are refused at every door with 400 naming the field, in
// the door's own format, and write nothing. PostgreSQL would refuse them
// in a query with an error that used to be answered 500.
func TestValuesThatAreNotTextAreRefusedAtEveryDoor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		id := e.file(t, nil)
		o311 := "/open311/v2/"
		tests := []struct {
			name, door, method, path, user string
			body                           string // JSON for the API, a form otherwise
			field                          string
		}{
			{"item number with NUL", "api", "GET", "/api/v1/items/2021-%00001", "leader", "", "number"},
			{"item number not UTF-8", "api", "GET", "/api/v1/items/%FF%FE?access_code=ABCDEFGH", "", "", "number"},
			{"access code with NUL", "api", "GET", "/api/v1/items/" + id + "?access_code=%00", "", "", "access_code"},
			{"filter with NUL", "api", "GET", "/api/v1/items?unit=%00", "leader", "", "unit"},
			{"search not UTF-8", "api", "GET", "/api/v1/items?q=%C3%28", "leader", "", "q"},
			{"contact of a number with NUL", "api", "GET", "/api/v1/items/%00/contact", "leader", "", "number"},
			{"action on a number with NUL", "api", "POST", "/api/v1/items/%00/actions", "leader", `{"action":"sign","version":1}`, "number"},
			{"stats unit not UTF-8", "api", "GET", "/api/v1/stats?unit=%FF", "leader", "", "unit"},
			{"lone high surrogate", "api", "POST", "/api/v1/items", "", `{"kind":"help","channel":"online_box","text":"a\ud800b"}`, "text"},
			{"lone low surrogate", "api", "POST", "/api/v1/items", "", `{"kind":"help","channel":"online_box","text":"\udc00"}`, "text"},
			{"surrogate at the end", "api", "POST", "/api/v1/items", "", `{"kind":"help","channel":"online_box","text":"x\ud83d"}`, "text"},
			{"escaped NUL", "api", "POST", "/api/v1/items", "", `{"kind":"help","channel":"online_box","text":"x","contact":{"name":"王\u0000"}}`, "contact.name"},
			{"online desk question with NUL", "page", "GET", "/desk/%00", "", "", "number"},
			{"tracking number not UTF-8", "page", "GET", "/track/%FF", "", "", "number"},
			{"tracking form with NUL", "page", "POST", "/track", "", "number=%00&access_code=ABCDEFGH", "number"},
			{"login name with NUL", "page", "POST", "/login", "", "name=%00admin&password=x", "name"},
			{"login name not UTF-8", "page", "POST", "/login", "", "name=%FF&password=x", "name"},
			{"service_code in the path", "open311", "GET", o311 + "services/%FF.json", "", "", "service_code"},
			{"service_request_id with NUL", "open311", "GET", o311 + "requests/%00.json", "", "", "service_request_id"},
			{"token with NUL", "open311", "GET", o311 + "tokens/tok-%00.xml", "", "", "token"},
			{"service_code filter", "open311", "GET", o311 + "requests.json?service_code=%00", "", "", "service_code"},
			{"service_request_id filter", "open311", "GET", o311 + "requests.json?service_request_id=%FF", "", "", "service_request_id"},
			{"service_code filed", "open311", "POST", o311 + "requests.json", "", "", "service_code"},
		}
		before := e.count()
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				body := tc.body
				if tc.name == "service_code filed" {
					f := e.goodRequest()
					f.Set("service_code", "permit\x00")
					body = f.Encode()
				}
				var r io.Reader
				if body != "" {
					r = strings.NewReader(body)
				}
				req, err := http.NewRequest(tc.method, e.url+tc.path, r)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case body == "":
				case tc.door == "api":
					req.Header.Set("Content-Type", "application/json")
				default:
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				if tc.user != "" {
					req.Header.Set("Authorization", "Bearer "+e.tokens[tc.user])
				}
				var resp *http.Response
				if tc.door == "page" {
					v := e.visitor()
					if tc.method == "POST" {
						f, _ := url.ParseQuery(body)
						f.Set("csrf_token", v.csrf())
						req, _ = http.NewRequest("POST", e.url+tc.path, strings.NewReader(f.Encode()))
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					}
					resp, err = v.client.Do(req)
				} else {
					resp, err = http.DefaultClient.Do(req)
				}
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %s", resp.StatusCode, raw)
				}
				ct := resp.Header.Get("Content-Type")
				switch tc.door {
				case "api":
					if !strings.HasPrefix(ct, "application/json") || !regexp.MustCompile(`"fields":\{"`+regexp.QuoteMeta(tc.field)+`":"[^"]* / `).Match(raw) {
						t.Fatalf("want a JSON error naming %s: %s %s", tc.field, ct, raw)
					}
				case "page":
					if !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(raw), "输入有误："+tc.field) {
						t.Fatalf("want a page naming %s: %s %s", tc.field, ct, raw)
					}
				case "open311":
					if !strings.Contains(string(raw), `"code":400,"description":"`+tc.field+`: `) &&
						!strings.Contains(string(raw), "<code>400</code><description>"+tc.field+": ") {
						t.Fatalf("want an Open311 error naming %s: %s", tc.field, raw)
					}
				}
			})
		}
		if after := e.count(); after != before {
			t.Errorf("refused requests filed %d items", after-before)
		}
		if st, b := e.do("POST", "/api/v1/items", "", `{"kind":"help","channel":"online_box","text":"表情😀 \ud83d\ude00 与 \u00e9"}`); st != 201 {
			t.Errorf("a surrogate pair is text: %d %v", st, b)
		}
	})
}

// The JSON API's edges: methods, empty bodies, error texts, key spellings,
// times and not-found messages.
func TestAPIEdges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, created := e.do("POST", "/api/v1/items", "", citizenItem("户籍咨询"))
		number := created["number"].(string)

		t.Run("a method a route does not take is 405 with Allow", func(t *testing.T) {
			for _, tc := range []struct{ method, path, allow string }{
				{"DELETE", "/api/v1/items", "POST, GET"},
				{"PUT", "/api/v1/items/" + number, "GET"},
				{"GET", "/api/v1/items/" + number + "/actions", "POST"},
				{"POST", "/api/v1/calendar", "GET, PUT"},
				{"POST", "/healthz", "GET"},
			} {
				req, _ := http.NewRequest(tc.method, e.url+tc.path, nil)
				req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 405 || resp.Header.Get("Allow") != tc.allow || !strings.Contains(string(raw), `"code":"invalid"`) {
					t.Errorf("%s %s: %d Allow %q %s, want 405 Allow %q", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Allow"), raw, tc.allow)
				}
			}
			if st, b := e.do("GET", "/api/v1/nothing", "", nil); st != 404 {
				t.Errorf("unknown path: %d %v", st, b)
			}
		})

		t.Run("a calendar change without days is 400", func(t *testing.T) {
			for _, body := range []string{"null", "{}", `{"entries":[]}`, `{"entries":null}`} {
				st, b := e.do("PUT", "/api/v1/calendar", "admin", body)
				if st != 400 || fieldOf(b, "entries") == "" {
					t.Errorf("%s: %d %v, want 400 naming entries", body, st, b)
				}
			}
		})

		t.Run("decode errors name JSON, never Go types", func(t *testing.T) {
			for _, tc := range []struct{ path, body, field string }{
				{"/api/v1/items", `[1,2]`, "body"},
				{"/api/v1/items", `"text"`, "body"},
				{"/api/v1/items", `{"kind":"help","channel":"online_box","text":"x","contact":[]}`, "contact"},
				{"/api/v1/items", `{"kind":"help","channel":"online_box","text":"x","photos":{}}`, "photos"},
				{"/api/v1/items/" + number + "/actions", `{"action":"sign","version":"1"}`, "version"},
				{"/api/v1/items/" + number + "/actions", `{"action":"sign","version":1,"extension":5}`, "extension"},
			} {
				before := e.count()
				st, b := e.do("POST", tc.path, "leader", tc.body)
				msg := fieldOf(b, tc.field)
				if st != 400 || msg == "" || regexp.MustCompile(`[a-z]+\.[A-Za-z]+|struct|int64|\[\]`).MatchString(msg+" "+b["message"].(string)) {
					t.Errorf("%s: %d %v, want 400 naming %s in JSON terms", tc.body, st, b, tc.field)
				}
				if e.count() != before {
					t.Errorf("%s wrote an item", tc.body)
				}
			}
		})

		t.Run("an action without version is 400 naming version", func(t *testing.T) {
			st, b := e.do("POST", "/api/v1/items/"+number+"/actions", "leader", map[string]any{"action": "dispatch", "unit": "a"})
			if st != 400 || fieldOf(b, "version") == "" {
				t.Fatalf("%d %v, want 400 naming version", st, b)
			}
			if it := e.item(number); it["status"] != "received" {
				t.Fatalf("the refused action changed the item: %v", it)
			}
		})

		t.Run("keys are snake_case, the old spellings still accepted", func(t *testing.T) {
			if st, b := e.do("POST", "/api/v1/categories", "admin", map[string]any{"code": "visa", "name": "签证", "unit": "a",
				"limit": map[string]any{"Amount": 4, "Unit": "working_days"}, "active": true}); st != 201 {
				t.Fatalf("old spelling: %d %v", st, b)
			}
			if st, b := e.do("POST", "/api/v1/categories", "admin", map[string]any{"code": "fines", "name": "罚款", "unit": "a",
				"limit": map[string]any{"amount": 6, "unit": "working_days"}, "active": true}); st != 201 {
				t.Fatalf("new spelling: %d %v", st, b)
			}
			for _, p := range []string{"/api/v1/categories", "/api/v1/calendar", "/api/v1/items/" + number, "/api/v1/items", "/api/v1/users", "/api/v1/units", "/api/v1/stats"} {
				_, b := e.do("GET", p, "admin", nil)
				if keys := regexp.MustCompile(`"[A-Z][A-Za-z]*":`).FindAllString(rawJSON(b), -1); len(keys) > 0 {
					t.Errorf("%s has Go-style keys %v", p, keys)
				}
			}
			_, cats := e.do("GET", "/api/v1/categories", "admin", nil)
			if !strings.Contains(rawJSON(cats), `"limit":{"amount":4,"unit":"working_days"}`) {
				t.Errorf("limit not in snake_case: %s", rawJSON(cats))
			}
			if st, b := e.do("POST", "/api/v1/items/"+number+"/actions", "leader", map[string]any{"action": "dispatch", "unit": "a", "version": 1}); st != 200 {
				t.Fatalf("dispatch: %d %v", st, b)
			}
			for _, ext := range []map[string]any{{"Amount": 2, "Unit": "working_days"}, {"amount": 2, "unit": "working_days"}} {
				it := e.item(number)
				st, b := e.do("POST", "/api/v1/items/"+number+"/actions", "officer-a", map[string]any{"action": "request_extension",
					"version": it["version"], "extension": ext, "body": "需要调取材料"})
				pending, _ := b["pending_extension"].(map[string]any)
				if st != 200 || pending["amount"] != 2.0 || pending["unit"] != "working_days" {
					t.Fatalf("extension %v: %d %s", ext, st, rawJSON(b))
				}
				it = e.item(number)
				e.do("POST", "/api/v1/items/"+number+"/actions", "leader", map[string]any{"action": "refuse_extension", "version": it["version"], "body": "不批"})
			}
		})

		t.Run("times are in the bureau's zone", func(t *testing.T) {
			if !strings.HasSuffix(created["due_at"].(string), "+08:00") {
				t.Errorf("created due_at %v", created["due_at"])
			}
			stamp := regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"`)
			for _, p := range []string{"/api/v1/items/" + number, "/api/v1/items", "/api/v1/users", "/api/v1/apikeys"} {
				_, b := e.do("GET", p, "admin", nil)
				raw := rawJSON(b)
				found := stamp.FindAllString(raw, -1)
				if p != "/api/v1/apikeys" && len(found) == 0 {
					t.Errorf("%s shows no times: %s", p, raw)
				}
				for _, s := range found {
					if !strings.HasSuffix(s, `+08:00"`) {
						t.Errorf("%s: %s is not in +08:00", p, s)
					}
				}
			}
			it := e.item(number)
			st, b := e.do("POST", "/api/v1/items/"+number+"/actions", "leader", map[string]any{"action": "supervise", "version": it["version"], "body": "请尽快"})
			if st != 200 || !strings.HasSuffix(b["updated_at"].(string), "+08:00") {
				t.Errorf("action answer: %d updated_at %v", st, b["updated_at"])
			}
		})

		t.Run("not-found messages name what was not found", func(t *testing.T) {
			for _, tc := range []struct{ method, path, want string }{
				{"GET", "/api/v1/items/2021-000999", "item 2021-000999 not found"},
				{"POST", "/api/v1/items/2021-000999/actions", "item 2021-000999 not found"},
				{"POST", "/api/v1/apikeys/nobody/revoke", "API key nobody not found"},
			} {
				var body any
				if tc.method == "POST" {
					body = map[string]any{"action": "sign", "version": 1}
					if strings.Contains(tc.path, "apikeys") {
						body = nil
					}
				}
				st, b := e.do(tc.method, tc.path, "admin", body)
				if st != 404 || !strings.Contains(b["message"].(string), tc.want) || !strings.Contains(b["message"].(string), "不存在") {
					t.Errorf("%s %s: %d %v, want 404 saying %q", tc.method, tc.path, st, b, tc.want)
				}
			}
		})
	})
}

// item is the item as the leader sees it.
func (e *env) item(number string) map[string]any {
	e.t.Helper()
	st, b := e.do("GET", "/api/v1/items/"+number, "leader", nil)
	it, ok := b["item"].(map[string]any)
	if st != 200 || !ok {
		e.t.Fatalf("item %s: %d %v", number, st, b)
	}
	return it
}

// rawJSON is an answer as JSON again, for looking at its keys and times.
func rawJSON(body map[string]any) string {
	b, _ := json.Marshal(body)
	return string(b)
}

// fieldOf returns the message of a field in an API error.
func fieldOf(body map[string]any, field string) string {
	f, _ := body["fields"].(map[string]any)
	s, _ := f[field].(string)
	return s
}
