package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/outbox"
	"minyi/store"
)

var (
	apiKeyOnPage        = regexp.MustCompile(`id="api-key">(mnk_[^<]+)<`)
	webhookSecretOnPage = regexp.MustCompile(`id="webhook-secret">(whsec_[^<]+)<`)
)

// outboundRoutes are the administration pages for outside systems.
var outboundRoutes = []route{
	{"GET", "/staff/admin/apikeys"},
	{"GET", "/staff/admin/apikeys/new"},
	{"POST", "/staff/admin/apikeys"},
	{"GET", "/staff/admin/apikeys/city-app/revoke"},
	{"POST", "/staff/admin/apikeys/city-app/revoke"},
	{"GET", "/staff/admin/webhooks"},
	{"GET", "/staff/admin/webhooks/new"},
	{"POST", "/staff/admin/webhooks"},
	{"GET", "/staff/admin/webhooks/1"},
	{"GET", "/staff/admin/webhooks/1/edit"},
	{"POST", "/staff/admin/webhooks/1"},
	{"GET", "/staff/admin/notices"},
}

// setNotices turns on the notices of a service, whether its setting is a
// value or a pointer.
func setNotices[T any](field *T, s archive.NoticeSettings) {
	switch f := any(field).(type) {
	case *archive.NoticeSettings:
		*f = s
	case **archive.NoticeSettings:
		*f = &s
	default:
		panic("unexpected type of archive.Service.Notices")
	}
}

// addKeyAndHook stores an API key named city-app and webhook 1, as an
// administrator would.
func addKeyAndHook(t *testing.T, e *env) (key string, hook outbox.Webhook) {
	t.Helper()
	k := org.APIKey{Name: "city-app"}
	key, err := org.NewService(e.db).CreateAPIKey(ctx, org.Operator("admin"), &k)
	if err != nil {
		t.Fatal(err)
	}
	hook = outbox.Webhook{Name: "市政务平台", URL: "https://partner.example/hook", Events: []string{outbox.AllEvents}, Active: true}
	if _, err := (&outbox.Service{Store: e.db}).AddWebhook(ctx, org.Operator("admin"), &hook); err != nil {
		t.Fatal(err)
	}
	return key, hook
}

func TestAdminOutboundPagesAreForAdminsOnly(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	key, hook := addKeyAndHook(t, e)
	form := url.Values{"name": {"other-app"}, "url": {"https://evil.example/"}, "events": {"*"}, "active": {"0"}, "rate_per_minute": {"1"}}
	e.mustRefuse(t, []string{"leader", "officer-a"}, outboundRoutes, form, func(t *testing.T, p page) {
		if strings.Contains(p.body, "mnk_") || strings.Contains(p.body, "whsec_") {
			t.Fatal("a refused page shows a key or a secret")
		}
	})
	t.Run("anonymous", func(t *testing.T) {
		if p := e.staffer(t).get("/staff/admin/notices"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
			t.Fatalf("%d %s", p.status, p.location)
		}
	})
	if _, err := org.NewService(e.db).AuthenticateAPIKey(ctx, key); err != nil {
		t.Fatalf("a refused request revoked the key: %v", err)
	}
	if keys, _ := e.db.APIKeys(ctx); len(keys) != 1 {
		t.Fatalf("a refused request added a key: %+v", keys)
	}
	if hooks, _ := e.db.Webhooks(ctx); len(hooks) != 1 || hooks[0].URL != hook.URL || !hooks[0].Active {
		t.Fatalf("a refused request changed the webhooks: %+v", hooks)
	}

	// The administrator sees every page, linked from the index.
	admin := e.loggedIn(t, "admin")
	for _, rt := range outboundRoutes {
		if rt.method != "GET" {
			continue
		}
		t.Run("admin "+rt.path, func(t *testing.T) {
			if p := admin.get(rt.path); p.status != http.StatusOK {
				t.Fatalf("%d %s", p.status, p.body)
			}
		})
	}
	index := admin.get("/staff/admin").body
	for _, link := range []string{"/staff/admin/apikeys", "/staff/admin/webhooks", "/staff/admin/notices"} {
		if !strings.Contains(index, `href="`+link+`"`) {
			t.Errorf("the admin index has no link to %s", link)
		}
	}
	for _, path := range []string{"/staff/admin/apikeys/nobody/revoke", "/staff/admin/webhooks/99", "/staff/admin/webhooks/x/edit"} {
		if p := admin.get(path); p.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, p.status)
		}
	}
}

func TestAdminOutboundFormsNeedTheAntiForgeryToken(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	key, hook := addKeyAndHook(t, e)
	admin := e.loggedIn(t, "admin")
	admin.get("/staff/admin") // holds a real token, which the forms below do not carry
	id := strconv.FormatInt(hook.ID, 10)
	tests := []formPost{
		{"/staff/admin/apikeys", url.Values{"name": {"other-app"}, "rate_per_minute": {"60"}}},
		{"/staff/admin/apikeys/city-app/revoke", url.Values{}},
		{"/staff/admin/webhooks", url.Values{"name": {"evil"}, "url": {"https://evil.example/"}, "events": {"*"}, "active": {"1"}}},
		{"/staff/admin/webhooks/" + id, url.Values{"url": {"https://evil.example/"}, "events": {"*"}}},
	}
	admin.mustRefuseForged(t, tests)
	if _, err := org.NewService(e.db).AuthenticateAPIKey(ctx, key); err != nil {
		t.Errorf("the key was revoked: %v", err)
	}
	if keys, _ := e.db.APIKeys(ctx); len(keys) != 1 {
		t.Errorf("a key was added: %+v", keys)
	}
	if hooks, _ := e.db.Webhooks(ctx); len(hooks) != 1 || hooks[0].URL != hook.URL {
		t.Errorf("the webhooks changed: %+v", hooks)
	}
}

func TestAdminAPIKeys(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin := e.loggedIn(t, "admin")
	if p := admin.get("/staff/admin/apikeys/new"); !strings.Contains(p.body, `value="`+strconv.Itoa(org.DefaultRatePerMinute)+`"`) {
		t.Fatal("the form does not offer the default rate")
	}

	t.Run("bad input stores nothing", func(t *testing.T) {
		tests := []struct {
			name  string
			form  url.Values
			field string
		}{
			{"bad name", url.Values{"name": {"城市 App"}, "rate_per_minute": {"60"}}, "名称须为"},
			{"rate not a number", url.Values{"name": {"city-app"}, "rate_per_minute": {"六十"}}, "每分钟请求上限"},
			{"rate too high", url.Values{"name": {"city-app"}, "rate_per_minute": {"1000000"}}, "每分钟请求上限"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := admin.submit("/staff/admin/apikeys/new", "/staff/admin/apikeys", tt.form)
				if p.status != http.StatusBadRequest {
					t.Fatalf("%d %s", p.status, p.location)
				}
				if m := fieldError.FindStringSubmatch(p.body); m == nil || !strings.Contains(m[1], tt.field) {
					t.Fatalf("field error %v, want %q", m, tt.field)
				}
				if strings.Contains(p.body, "mnk_") {
					t.Fatal("a refused form shows a key")
				}
				if keys, _ := e.db.APIKeys(ctx); len(keys) != 0 {
					t.Fatalf("a refused key was stored: %+v", keys)
				}
			})
		}
		p := admin.submit("/staff/admin/apikeys/new", "/staff/admin/apikeys", url.Values{"name": {"城市 App"}, "rate_per_minute": {"0"}})
		if m := fieldError.FindAllStringSubmatch(p.body, -1); p.status != http.StatusBadRequest || len(m) != 2 {
			t.Fatalf("two bad fields: %d %v", p.status, m)
		}
	})

	p := admin.shown(admin.submit("/staff/admin/apikeys/new", "/staff/admin/apikeys", url.Values{"name": {"City-App"},
		"contact": {"市数据局 张工"}, "rate_per_minute": {"60"}}))
	if p.status != http.StatusOK {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	m := apiKeyOnPage.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no key on the page: %s", p.body)
	}
	key := m[1]
	if !strings.Contains(p.body, "只显示这一次") {
		t.Error("no warning that the key is shown once")
	}
	k, err := org.NewService(e.db).AuthenticateAPIKey(ctx, key)
	if err != nil || k.Name != "city-app" || k.RatePerMinute != 60 || k.Contact != "市数据局 张工" || k.CreatedBy != "admin" {
		t.Fatalf("the shown key: %+v, %v", k, err)
	}
	u, _ := url.Parse(e.url)
	for _, c := range admin.client.Jar.Cookies(u) {
		if strings.Contains(c.Value, key) || strings.Contains(c.Value, key[len(org.APIKeyPrefix):]) {
			t.Fatalf("the key is in cookie %s", c.Name)
		}
	}

	list := admin.get("/staff/admin/apikeys").body
	if !strings.Contains(list, `id="apikey-city-app"`) || !strings.Contains(list, k.Prefix) || !strings.Contains(list, "市数据局 张工") {
		t.Fatal("the key is not listed with its prefix and contact")
	}
	if strings.Contains(list, key) || strings.Contains(list, key[len(k.Prefix):]) {
		t.Fatal("the list shows the key")
	}

	if p := admin.submit("/staff/admin/apikeys/new", "/staff/admin/apikeys", url.Values{"name": {"city-app"}, "rate_per_minute": {"60"}}); p.status != http.StatusConflict || strings.Contains(p.body, "mnk_") {
		t.Fatalf("duplicate name: %d", p.status)
	}

	// Revoke, after confirming.
	confirm := admin.get("/staff/admin/apikeys/city-app/revoke")
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, "不能恢复") {
		t.Fatalf("confirmation: %d", confirm.status)
	}
	p = admin.submit("/staff/admin/apikeys/city-app/revoke", "/staff/admin/apikeys/city-app/revoke", url.Values{})
	if p.status != http.StatusSeeOther || p.location != "/staff/admin/apikeys" {
		t.Fatalf("revoke: %d %s %s", p.status, p.location, p.body)
	}
	if _, err := org.NewService(e.db).AuthenticateAPIKey(ctx, key); minyi.ErrorCode(err) != minyi.EForbidden {
		t.Fatalf("the revoked key still works: %v", err)
	}
	list = admin.get("/staff/admin/apikeys").body
	if !strings.Contains(list, "已撤销客户端city-app的API密钥") || !strings.Contains(list, "已撤销") {
		t.Fatal("the list shows neither the flash nor the key revoked")
	}
	if strings.Contains(list, `href="/staff/admin/apikeys/city-app/revoke"`) {
		t.Fatal("a revoked key can be revoked again")
	}
}

func TestAdminWebhooks(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin := e.loggedIn(t, "admin")

	t.Run("bad URL stores nothing", func(t *testing.T) {
		for _, bad := range []string{"ftp://partner.example/hook", "partner.example/hook", "", "http://169.254.169.254/", "http://localhost:6379/"} {
			p := admin.submit("/staff/admin/webhooks/new", "/staff/admin/webhooks", url.Values{"name": {"市政务平台"},
				"url": {bad}, "events": {"received"}, "active": {"1"}})
			if p.status != http.StatusBadRequest {
				t.Fatalf("%q: %d %s", bad, p.status, p.location)
			}
			if m := fieldError.FindStringSubmatch(p.body); m == nil || !strings.Contains(m[1], "http(s)") && !strings.Contains(m[1], "内网") {
				t.Fatalf("%q: field error %v", bad, m)
			}
			if !strings.Contains(p.body, `value="received" checked`) {
				t.Fatalf("%q: the chosen events are lost", bad)
			}
			if strings.Contains(p.body, "whsec_") {
				t.Fatal("a refused form shows a secret")
			}
			if hooks, _ := e.db.Webhooks(ctx); len(hooks) != 0 {
				t.Fatalf("a refused webhook was stored: %+v", hooks)
			}
		}
		p := admin.submit("/staff/admin/webhooks/new", "/staff/admin/webhooks", url.Values{"name": {"市政务平台"},
			"url": {"https://partner.example/hook"}, "active": {"1"}})
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "请至少选择一种事件") {
			t.Fatalf("no events: %d", p.status)
		}
	})

	form := admin.get("/staff/admin/webhooks/new").body
	for _, et := range outbox.EventTypes {
		if !strings.Contains(form, `value="`+string(et)+`"`) {
			t.Errorf("no choice of %s", et)
		}
	}
	if !strings.Contains(form, `value="*"`) || !strings.Contains(form, "全部事件") || !strings.Contains(form, "已答复") {
		t.Error("the choices lack all events or their labels")
	}

	p := admin.shown(admin.submit("/staff/admin/webhooks/new", "/staff/admin/webhooks", url.Values{"name": {"市政务平台"},
		"url": {"https://partner.example/hook"}, "events": {"received", "answered"}, "active": {"1"}}))
	if p.status != http.StatusOK {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	m := webhookSecretOnPage.FindStringSubmatch(p.body)
	if m == nil || !strings.Contains(p.body, outbox.SignatureHeader) || !strings.Contains(p.body, "HMAC-SHA256") {
		t.Fatalf("no secret or no explanation of the signature: %s", p.body)
	}
	hooks, _ := e.db.Webhooks(ctx)
	if len(hooks) != 1 || hooks[0].Secret != m[1] || !hooks[0].Active || strings.Join(hooks[0].Events, ",") != "received,answered" || hooks[0].CreatedBy != "admin" {
		t.Fatalf("stored %+v", hooks)
	}
	hook := hooks[0]
	id := strconv.FormatInt(hook.ID, 10)
	if list := admin.get("/staff/admin/webhooks").body; !strings.Contains(list, `id="webhook-`+id+`"`) || strings.Contains(list, m[1]) {
		t.Fatal("the webhook is not listed, or the list shows its secret")
	}

	// Two items filed: two deliveries in the log, newest first.
	var numbers []string
	for _, text := range []string{"户口迁移要多久？", "身份证怎么补办？"} {
		st, created := e.do("POST", "/api/v1/items", "", citizenItem(text))
		if st != 201 {
			t.Fatalf("file: %d %v", st, created)
		}
		numbers = append(numbers, created["number"].(string))
	}
	log := admin.get("/staff/admin/webhooks/" + id)
	if log.status != http.StatusOK {
		t.Fatalf("log: %d %s", log.status, log.body)
	}
	first, second := strings.Index(log.body, `href="/staff/items/`+numbers[1]+`"`), strings.Index(log.body, `href="/staff/items/`+numbers[0]+`"`)
	if first < 0 || second < 0 || first > second {
		t.Fatalf("the log does not list both deliveries newest first: %d %d", first, second)
	}
	if !strings.Contains(log.body, "待发送") || !strings.Contains(log.body, "留言已受理") {
		t.Error("the log lacks the state or the event label")
	}
	ds, _ := e.db.Deliveries(ctx, outbox.DeliveryFilter{Webhook: hook.ID})
	if len(ds) != 2 {
		t.Fatalf("deliveries: %+v", ds)
	}
	older := admin.get("/staff/admin/webhooks/" + id + "?before=" + strconv.FormatInt(ds[0].ID, 10)).body
	if strings.Contains(older, `href="/staff/items/`+numbers[1]+`"`) || !strings.Contains(older, `href="/staff/items/`+numbers[0]+`"`) {
		t.Error("?before does not page")
	}
	if sent := admin.get("/staff/admin/webhooks/" + id + "?status=sent").body; strings.Contains(sent, `href="/staff/items/`+numbers[0]+`"`) {
		t.Error("the status filter is ignored")
	}
	if p := admin.get("/staff/admin/webhooks/" + id + "?status=lost"); p.status != http.StatusBadRequest || !fieldError.MatchString(p.body) {
		t.Errorf("bad status filter: %d", p.status)
	}

	t.Run("edit with a bad URL stores nothing", func(t *testing.T) {
		p := admin.submit("/staff/admin/webhooks/"+id+"/edit", "/staff/admin/webhooks/"+id, url.Values{"url": {"javascript:alert(1)"},
			"events": {"*"}})
		if p.status != http.StatusBadRequest {
			t.Fatalf("%d %s", p.status, p.location)
		}
		if m := fieldError.FindStringSubmatch(p.body); m == nil || !strings.Contains(m[1], "http(s)") {
			t.Fatalf("field error %v", m)
		}
		if h, _ := e.db.Webhook(ctx, hook.ID); h.URL != hook.URL || !h.Active || len(h.Events) != 2 {
			t.Fatalf("a refused change was stored: %+v", h)
		}
	})

	p = admin.submit("/staff/admin/webhooks/"+id+"/edit", "/staff/admin/webhooks/"+id, url.Values{"url": {"https://partner.example/v2"},
		"events": {"*", "received"}})
	if p.status != http.StatusSeeOther || p.location != "/staff/admin/webhooks/"+id {
		t.Fatalf("edit: %d %s %s", p.status, p.location, p.body)
	}
	h, _ := e.db.Webhook(ctx, hook.ID)
	if h.URL != "https://partner.example/v2" || h.Active || strings.Join(h.Events, ",") != "*" || h.Name != hook.Name || h.Secret != hook.Secret {
		t.Fatalf("stored %+v", h)
	}
	if p := admin.get(p.location); !strings.Contains(p.body, "已保存网络回调") || !strings.Contains(p.body, "已停用") {
		t.Error("the log page shows neither the flash nor the webhook paused")
	}
}

func TestAdminNoticesHideThePhoneAndTheAccessCode(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	svc := archive.NewService(e.db, archive.Policy{Calendar: calendar.Default()})
	setNotices(&svc.Notices, archive.NoticeSettings{Bureau: "测试公安局", TrackURL: "https://minyi.example/track"})
	const phone = "13912345678"
	it, code, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineBox,
		Category: "hukou", Text: "新生儿落户要带什么材料？", Contact: archive.Contact{Name: "王某", Phone: phone}})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := e.db.Notices(ctx, outbox.NoticeFilter{})
	if err != nil || len(ns) != 1 || !strings.Contains(ns[0].Body, code) {
		t.Fatalf("no receipt with the code was written: %+v %v", ns, err)
	}
	// A gateway that echoes what it was sent must not leak it through the page.
	if err := e.db.RecordNotice(ctx, ns[0].ID, nil, "gateway: bad request for "+phone+": "+ns[0].Body, false); err != nil {
		t.Fatal(err)
	}
	admin := e.loggedIn(t, "admin")
	p := admin.get("/staff/admin/notices")
	if p.status != http.StatusOK {
		t.Fatalf("%d %s", p.status, p.body)
	}
	if strings.Contains(p.body, phone) || strings.Contains(p.body, code) {
		t.Fatal("the notices page shows the phone or the access code")
	}
	for _, want := range []string{"139****5678", it.Number, "受理回执", "查询码********", "gateway: bad request", `id="count-pending">1<`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if p := admin.get("/staff/admin/notices?item=2000-000001"); strings.Contains(p.body, "139****5678") {
		t.Error("the item filter is ignored")
	}
	if p := admin.get("/staff/admin/notices?status=sent"); strings.Contains(p.body, "139****5678") {
		t.Error("the status filter is ignored")
	}
	if p := admin.get("/staff/admin/notices?item=" + it.Number + "&status=pending"); !strings.Contains(p.body, "139****5678") {
		t.Error("the filters hide the matching notice")
	}
	if p := admin.get("/staff/admin/notices?before=" + strconv.FormatInt(ns[0].ID, 10)); strings.Contains(p.body, "139****5678") {
		t.Error("?before does not page")
	}
	for _, bad := range []string{"status=lost", "before=x", "before=-1"} {
		if p := admin.get("/staff/admin/notices?" + bad); p.status != http.StatusBadRequest || !fieldError.MatchString(p.body) {
			t.Errorf("%s: %d", bad, p.status)
		}
	}

	// The API shows the same, and no more.
	st, body := e.do("GET", "/api/v1/notices", "admin", nil)
	if st != 200 {
		t.Fatalf("api: %d %v", st, body)
	}
	list := body["notices"].([]any)
	n := list[0].(map[string]any)
	if len(list) != 1 || n["phone"] != "139****5678" || n["item"] != it.Number || n["kind"] != "receipt" || !strings.Contains(n["display"].(string), "********") {
		t.Fatalf("api notices: %v", body)
	}
	if counts := body["counts"].(map[string]any); counts["pending"] != float64(1) || counts["sent"] != float64(0) {
		t.Fatalf("api counts: %v", counts)
	}
	if st, raw := e.raw("GET", "/api/v1/notices", "admin"); st != 200 || strings.Contains(raw, phone) || strings.Contains(raw, code) {
		t.Fatalf("the API shows the phone or the access code: %d %s", st, raw)
	}
}

// TestAdminWebhookLogNamesWhatADeliveryIsAbout: a report_issued delivery
// names the issued report (its page, id and title), never an item of the
// report's id, on the log page and in the API, on both databases.
func TestAdminWebhookLogNamesWhatADeliveryIsAbout(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.loggedIn(t, "admin")
		p := admin.submit("/staff/admin/webhooks/new", "/staff/admin/webhooks", url.Values{"name": {"市政务平台"},
			"url": {"https://partner.example/hook"}, "events": {string(outbox.EventReportIssued), "received"}, "active": {"1"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", p.status, p.body)
		}
		hooks, _ := e.db.Webhooks(ctx)
		if len(hooks) != 1 {
			t.Fatalf("webhooks: %+v", hooks)
		}
		id := strconv.FormatInt(hooks[0].ID, 10)
		st, created := e.do("POST", "/api/v1/items", "", citizenItem("户口迁移要多久？"))
		if st != 201 {
			t.Fatalf("file: %d %v", st, created)
		}
		number := created["number"].(string)
		st, issued := e.do("POST", "/api/v1/reports", "leader", map[string]any{"from": "2021-09-01", "to": "2021-09-30"})
		if st != 201 {
			t.Fatalf("issue: %d %v", st, issued)
		}
		rid, title := fmt.Sprint(issued["id"]), issued["title"].(string)

		log := admin.get("/staff/admin/webhooks/" + id).body
		for _, want := range []string{`href="/staff/reports/issued/` + rid + `">报告 #` + rid + " " + title + "<",
			`href="/staff/items/` + number + `">` + number + "<"} {
			if !strings.Contains(log, want) {
				t.Errorf("the log lacks %s", want)
			}
		}
		if strings.Contains(log, `href="/staff/items/`+rid+`"`) {
			t.Error("the log names the report's id as an item")
		}
		st, b := e.do("GET", "/api/v1/webhooks/"+id+"/deliveries", "admin", nil)
		ds, _ := b["deliveries"].([]any)
		if st != 200 || len(ds) != 2 {
			t.Fatalf("deliveries: %d %v", st, b)
		}
		rep, item := ds[0].(map[string]any), ds[1].(map[string]any)
		if rep["register"] != "reports" || rep["record"] != rid || rep["item"] != nil {
			t.Errorf("the report's delivery: %v", rep)
		}
		if item["register"] != "items" || item["record"] != number || item["item"] != number {
			t.Errorf("the item's delivery: %v", item)
		}
	})
}
