package web_test

import (
	"strconv"
	"strings"
	"testing"

	"minyi"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// fieldsOf returns the fields an error answer names.
func fieldsOf(body map[string]any) map[string]any {
	f, _ := body["fields"].(map[string]any)
	return f
}

func TestAPIKeyEndpoints(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, who := range []string{"leader", "officer-a"} {
			if st, _ := e.do("POST", "/api/v1/apikeys", who, map[string]any{"name": "city-app"}); st != 403 {
				t.Errorf("%s creates a key: %d", who, st)
			}
			if st, _ := e.do("GET", "/api/v1/apikeys", who, nil); st != 403 {
				t.Errorf("%s lists keys: %d", who, st)
			}
		}
		if st, _ := e.do("GET", "/api/v1/apikeys", "", nil); st != 401 {
			t.Errorf("anonymous lists keys: %d", st)
		}

		st, b := e.do("POST", "/api/v1/apikeys", "admin", map[string]any{"name": "City App", "rate_per_minute": -3, "contact": strings.Repeat("长", 201)})
		fields := fieldsOf(b)
		if st != 400 || len(fields) != 3 {
			t.Fatalf("bad key: %d %v", st, b)
		}
		if m, _ := fields["rate_per_minute"].(string); !strings.Contains(m, "每分钟请求上限") || !strings.Contains(m, "rate_per_minute must be") {
			t.Errorf("the rate's message is not bilingual: %q", m)
		}
		if st, b := e.do("POST", "/api/v1/apikeys", "admin", map[string]any{"name": "x", "secret": "y"}); st != 400 || fieldsOf(b)["secret"] == nil {
			t.Errorf("unknown field: %d %v", st, b)
		}
		if keys, _ := db.APIKeys(ctx); len(keys) != 0 {
			t.Fatalf("refused keys were stored: %+v", keys)
		}

		st, b = e.do("POST", "/api/v1/apikeys", "admin", map[string]any{"name": "city-app", "contact": "张工"})
		if st != 201 {
			t.Fatalf("create: %d %v", st, b)
		}
		key, _ := b["key"].(string)
		ak := b["api_key"].(map[string]any)
		if !strings.HasPrefix(key, org.APIKeyPrefix) || ak["prefix"] != key[:len(ak["prefix"].(string))] || ak["rate_per_minute"] != float64(org.DefaultRatePerMinute) || ak["created_by"] != "admin" {
			t.Fatalf("created: %v", b)
		}
		if _, err := org.NewService(db).AuthenticateAPIKey(ctx, key); err != nil {
			t.Fatalf("the new key does not authenticate: %v", err)
		}
		if st, b := e.do("POST", "/api/v1/apikeys", "admin", map[string]any{"name": "city-app"}); st != 409 {
			t.Errorf("duplicate: %d %v", st, b)
		}
		st, list := e.raw("GET", "/api/v1/apikeys", "admin")
		if st != 200 || !strings.Contains(list, `"name":"city-app"`) || strings.Contains(list, key) || strings.Contains(list, key[len(org.APIKeyPrefix)+6:]) {
			t.Fatalf("list: %d %s", st, list)
		}

		if st, _ := e.do("POST", "/api/v1/apikeys/city-app/revoke", "leader", nil); st != 403 {
			t.Errorf("leader revokes: %d", st)
		}
		if _, err := org.NewService(db).AuthenticateAPIKey(ctx, key); err != nil {
			t.Fatalf("a refused revocation revoked: %v", err)
		}
		if st, b := e.do("POST", "/api/v1/apikeys/nobody/revoke", "admin", nil); st != 404 {
			t.Errorf("unknown key: %d %v", st, b)
		}
		st, b = e.do("POST", "/api/v1/apikeys/city-app/revoke", "admin", nil)
		if st != 200 || b["revoked_at"] == nil {
			t.Fatalf("revoke: %d %v", st, b)
		}
		if _, err := org.NewService(db).AuthenticateAPIKey(ctx, key); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Fatalf("the revoked key still works: %v", err)
		}
		if st, _ := e.do("POST", "/api/v1/apikeys/city-app/revoke", "admin", nil); st != 200 {
			t.Errorf("revoking again: %d", st)
		}
	})
}

func TestWebhookEndpoints(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		if st, _ := e.do("POST", "/api/v1/webhooks", "leader", map[string]any{"name": "x", "url": "https://a.example/", "events": []string{"*"}}); st != 403 {
			t.Errorf("leader adds a webhook: %d", st)
		}
		if st, _ := e.do("GET", "/api/v1/webhooks", "officer-a", nil); st != 403 {
			t.Errorf("officer lists webhooks: %d", st)
		}
		st, b := e.do("POST", "/api/v1/webhooks", "admin", map[string]any{"name": "", "url": "ftp://a.example/", "events": []string{"lunch"}})
		if f := fieldsOf(b); st != 400 || f["name"] == nil || f["events"] == nil || !strings.Contains(f["url"].(string), "http(s)") || !strings.Contains(f["url"].(string), "absolute http") {
			t.Fatalf("bad webhook: %d %v", st, b)
		}
		if hooks, _ := db.Webhooks(ctx); len(hooks) != 0 {
			t.Fatalf("a refused webhook was stored: %+v", hooks)
		}
		// Addresses inside the server's network are refused by name; a DNS
		// name is checked when a delivery connects (outbox tests).
		for _, inside := range []string{"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:6379/",
			"http://localhost:8080/hook", "http://LOCALHOST./hook", "http://10.1.2.3/hook", "http://[::1]:9000/", "http://[fd00::1]/",
			"http://100.64.0.1/", "http://0.0.0.0:8080/"} {
			st, b := e.do("POST", "/api/v1/webhooks", "admin", map[string]any{"name": "内网", "url": inside, "events": []string{"*"}})
			if f := fieldsOf(b); st != 400 || f["url"] == nil || !strings.Contains(f["url"].(string), "webhook-allow") {
				t.Errorf("%s: %d %v", inside, st, b)
			}
		}
		if hooks, _ := db.Webhooks(ctx); len(hooks) != 0 {
			t.Fatalf("a webhook into the intranet was stored: %+v", hooks)
		}

		st, b = e.do("POST", "/api/v1/webhooks", "admin", map[string]any{"name": "市政务平台", "url": "https://partner.example/hook", "events": []string{"received", "answered"}})
		if st != 201 {
			t.Fatalf("create: %d %v", st, b)
		}
		secret, _ := b["secret"].(string)
		wh := b["webhook"].(map[string]any)
		if !strings.HasPrefix(secret, "whsec_") || wh["active"] != true || wh["secret"] != nil {
			t.Fatalf("created: %v", b)
		}
		id := strconv.Itoa(int(wh["id"].(float64)))
		if st, list := e.raw("GET", "/api/v1/webhooks", "admin"); st != 200 || !strings.Contains(list, "partner.example") || strings.Contains(list, secret) {
			t.Fatalf("list: %d %s", st, list)
		}

		// Three items filed: three deliveries, newest first, paged.
		var numbers []string
		for i := range 3 {
			st, created := e.do("POST", "/api/v1/items", "", citizenItem("第"+strconv.Itoa(i)+"件"))
			if st != 201 {
				t.Fatalf("file: %d %v", st, created)
			}
			numbers = append(numbers, created["number"].(string))
		}
		st, b = e.do("GET", "/api/v1/webhooks/"+id+"/deliveries", "admin", nil)
		ds, _ := b["deliveries"].([]any)
		if st != 200 || len(ds) != 3 || ds[0].(map[string]any)["item"] != numbers[2] || ds[0].(map[string]any)["status"] != "pending" || b["next_before"] != nil {
			t.Fatalf("deliveries: %d %v", st, b)
		}
		var seen []string
		path := "/api/v1/webhooks/" + id + "/deliveries?limit=2"
		for path != "" {
			st, b := e.do("GET", path, "admin", nil)
			if st != 200 {
				t.Fatalf("%s: %d %v", path, st, b)
			}
			for _, d := range b["deliveries"].([]any) {
				seen = append(seen, d.(map[string]any)["item"].(string))
			}
			path = ""
			if next, ok := b["next_before"].(float64); ok {
				path = "/api/v1/webhooks/" + id + "/deliveries?limit=2&before=" + strconv.Itoa(int(next))
			}
		}
		if strings.Join(seen, ",") != numbers[2]+","+numbers[1]+","+numbers[0] {
			t.Fatalf("paged deliveries %v, want %v reversed", seen, numbers)
		}
		if st, b := e.do("GET", "/api/v1/webhooks/"+id+"/deliveries?status=sent", "admin", nil); st != 200 || len(b["deliveries"].([]any)) != 0 {
			t.Errorf("status filter: %d %v", st, b)
		}
		for _, bad := range []string{"status=lost", "limit=0", "limit=101", "before=abc"} {
			field, _, _ := strings.Cut(bad, "=")
			if st, b := e.do("GET", "/api/v1/webhooks/"+id+"/deliveries?"+bad, "admin", nil); st != 400 || fieldsOf(b)[field] == nil {
				t.Errorf("%s: %d %v", bad, st, b)
			}
		}
		for _, path := range []string{"/api/v1/webhooks/99/deliveries", "/api/v1/webhooks/abc/deliveries"} {
			if st, _ := e.do("GET", path, "admin", nil); st != 404 {
				t.Errorf("%s: %d", path, st)
			}
		}
		if st, _ := e.do("GET", "/api/v1/webhooks/"+id+"/deliveries", "leader", nil); st != 403 {
			t.Errorf("leader reads the log: %d", st)
		}

		// Changes.
		if st, b := e.do("PUT", "/api/v1/webhooks/"+id, "admin", map[string]any{"url": "partner.example"}); st != 400 || fieldsOf(b)["url"] == nil {
			t.Errorf("bad url: %d %v", st, b)
		}
		if st, b := e.do("PUT", "/api/v1/webhooks/"+id, "admin", map[string]any{"url": "http://169.254.169.254/"}); st != 400 || fieldsOf(b)["url"] == nil {
			t.Errorf("metadata url: %d %v", st, b)
		}
		if st, b := e.do("PUT", "/api/v1/webhooks/"+id, "admin", map[string]any{"events": []string{}}); st != 400 || fieldsOf(b)["events"] == nil {
			t.Errorf("no events: %d %v", st, b)
		}
		if st, b := e.do("PUT", "/api/v1/webhooks/"+id, "admin", map[string]any{"name": "改名"}); st != 400 || fieldsOf(b)["name"] == nil {
			t.Errorf("rename: %d %v", st, b)
		}
		if st, _ := e.do("PUT", "/api/v1/webhooks/99", "admin", map[string]any{"active": false}); st != 404 {
			t.Errorf("unknown webhook: %d", st)
		}
		if st, _ := e.do("PUT", "/api/v1/webhooks/"+id, "leader", map[string]any{"active": false}); st != 403 {
			t.Errorf("leader changes: %d", st)
		}
		hook, _ := db.Webhooks(ctx)
		if len(hook) != 1 || hook[0].URL != "https://partner.example/hook" || !hook[0].Active || len(hook[0].Events) != 2 {
			t.Fatalf("refused changes were stored: %+v", hook)
		}
		st, b = e.do("PUT", "/api/v1/webhooks/"+id, "admin", map[string]any{"events": []string{"*"}, "active": false})
		if st != 200 || b["active"] != false || b["url"] != "https://partner.example/hook" || b["name"] != "市政务平台" {
			t.Fatalf("change: %d %v", st, b)
		}
		if h, _ := db.Webhook(ctx, hook[0].ID); h.Secret != secret || h.Active || strings.Join(h.Events, ",") != "*" {
			t.Fatalf("stored %+v", h)
		}
	})
}

func TestNoticeEndpointRefusals(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	if st, _ := e.do("GET", "/api/v1/notices", "leader", nil); st != 403 {
		t.Errorf("leader: %d", st)
	}
	if st, _ := e.do("GET", "/api/v1/notices", "", nil); st != 401 {
		t.Errorf("anonymous: %d", st)
	}
	for _, bad := range []string{"status=lost", "limit=0", "limit=1000", "before=0"} {
		field, _, _ := strings.Cut(bad, "=")
		if st, b := e.do("GET", "/api/v1/notices?"+bad, "admin", nil); st != 400 || fieldsOf(b)[field] == nil {
			t.Errorf("%s: %d %v", bad, st, b)
		}
	}
	st, b := e.do("GET", "/api/v1/notices", "admin", nil)
	if st != 200 || len(b["notices"].([]any)) != 0 || b["counts"].(map[string]any)["failed"] != float64(0) {
		t.Fatalf("empty outbox: %d %v", st, b)
	}
	// The OpenAPI document describes the new answers.
	_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range []string{"APIKeyList", "NewAPIKey", "APIKey", "WebhookList", "NewWebhook", "Webhook", "WebhookRequest", "WebhookChange", "APIKeyRequest", "DeliveryPage", "NoticePage"} {
		if schemas[name] == nil {
			t.Errorf("no schema %s", name)
		}
	}
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/apikeys", "/api/v1/apikeys/{name}/revoke", "/api/v1/webhooks", "/api/v1/webhooks/{id}", "/api/v1/webhooks/{id}/deliveries", "/api/v1/notices"} {
		if paths[p] == nil {
			t.Errorf("%s is not documented", p)
		}
	}
}
