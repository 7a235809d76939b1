package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

func disputeForm() url.Values {
	return url.Values{"found_on": {"2021-09-01"}, "kind": {"land"}, "township": {"苏米图苏木"}, "village": {"查干淖尔嘎查"},
		"risk": {"medium"}, "source": {"visit"}, "branch": {"a1"}, "summary": {"两户草场边界争议"},
		"party_name": {"巴特尔", "额尔敦", "", ""}, "party_phone": {"13912345678", "", "", ""},
		"party_role": {"applicant", "respondent", "other", "other"}}
}

func TestDisputePages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		a := e.loggedIn(t, "officer-a")
		mustSee(t, "empty list", a.get("/staff/disputes"), 200, "共0条", `href="/staff/disputes/new"`)
		count := func() float64 {
			t.Helper()
			_, b := e.do("GET", "/api/v1/disputes", "leader", nil)
			return b["total"].(float64)
		}

		// Bad input: every problem beside its field and in the summary,
		// what was written kept, nothing recorded.
		bad := disputeForm()
		bad.Set("summary", "")
		bad.Set("found_on", "2999-01-01")
		bad["party_phone"] = []string{"110", "", "", ""}
		p := a.submit("/staff/disputes/new", "/staff/disputes", bad)
		mustSee(t, "bad dispute", p, 400, `id="errors"`, "纠纷简要情况", "排查日期", "当事人电话号码格式不正确", "巴特尔", "苏米图苏木",
			`<option value="a1" selected>`)
		if n := count(); n != 0 {
			t.Fatalf("a refused form recorded %v disputes", n)
		}

		// A good form records once, however often it is sent; the parties
		// are shown masked.
		form := disputeForm()
		a.fill("/staff/disputes/new", "/staff/disputes", form)
		first := a.post("/staff/disputes", form)
		if first.status != http.StatusSeeOther || !strings.HasPrefix(first.location, "/staff/disputes/") {
			t.Fatalf("create: %d %s %s", first.status, first.location, first.body)
		}
		if again := a.post("/staff/disputes", form); again.status != http.StatusSeeOther || again.location != first.location {
			t.Fatalf("sent again: %d %s, want %s", again.status, again.location, first.location)
		}
		if n := count(); n != 1 {
			t.Fatalf("the form sent twice recorded %v disputes", n)
		}
		path := first.location
		p = a.get(path)
		mustSee(t, "dispute", p, 200, "两户草场边界争议", "土地草场", "甲所党支部", "已排查", "巴*", "139****5678",
			`value="mediate"`, `value="resolve"`, `value="refer"`, `value="not_resolve"`)
		if strings.Contains(p.body, "巴特尔") || strings.Contains(p.body, "13912345678") || strings.Contains(p.body, `value="follow_up"`) {
			t.Error("the dispute shows a party unmasked, or offers a follow-up before it is resolved")
		}

		// The parties in full: shown once after a recorded reveal, never to
		// a partner.
		if !strings.Contains(p.body, `id="reveal"`) {
			t.Error("an officer is not offered the parties in full")
		}
		shown := a.submit(path, path+"/reveal", url.Values{})
		if shown.status != http.StatusSeeOther || !strings.HasPrefix(shown.location, path+"/shown/") {
			t.Fatalf("reveal: %d %q %s", shown.status, shown.location, shown.body)
		}
		mustSee(t, "parties in full", a.get(shown.location), 200, "巴特尔", "13912345678", "此页只显示一次")
		if again := a.get(shown.location); again.status != http.StatusNotFound || strings.Contains(again.body, "13912345678") {
			t.Errorf("the parties shown twice: %d", again.status)
		}

		version := func() string {
			m := regexpVersion.FindStringSubmatch(a.open(path + "/edit"))
			if m == nil {
				t.Fatal("no version on the dispute's edit page")
			}
			return m[1]
		}
		// Mediation refused beside its own form, then taken; resolved at
		// village level; visited again.
		act := url.Values{"action": {"mediate"}, "day": {"2021-09-02"}, "notes": {"双方到场"}, "version": {version()}}
		mustSee(t, "mediation without who", a.submit(path, path+"/act", act), 400, `id="errors"`, "请选择参与调解的各方", "双方到场")
		act["with"] = []string{"police", "village_committee"}
		if p := a.submit(path, path+"/act", act); p.status != http.StatusSeeOther {
			t.Fatalf("mediate: %d %s", p.status, p.body)
		}
		act = url.Values{"action": {"resolve"}, "day": {"2021-09-05"}, "level": {"village"}, "agreement": {"以旧网围栏为界"}, "version": {version()}}
		if p := a.submit(path, path+"/act", act); p.status != http.StatusSeeOther {
			t.Fatalf("resolve: %d %s", p.status, p.body)
		}
		act = url.Values{"action": {"follow_up"}, "day": {"2021-09-10"}, "result": {"协议已履行"}, "version": {version()}}
		if p := a.submit(path, path+"/act", act); p.status != http.StatusSeeOther {
			t.Fatalf("follow up: %d %s", p.status, p.body)
		}
		p = a.get(path)
		mustSee(t, "resolved", p, 200, "已化解", "村级", "以旧网围栏为界", "公安民警", "协议已履行", `value="follow_up"`)
		if strings.Contains(p.body, `value="mediate"`) {
			t.Error("a resolved dispute still offers mediation")
		}
		act = url.Values{"action": {"refer"}, "to": {"court"}, "version": {version()}}
		mustSee(t, "refer when resolved", a.post(path+"/act", withToken(a, path, act)), 422)

		// Edit: a stale version is shown again (409) keeping what was
		// written; the current version changes the dispute.
		edit := url.Values{"found_on": {"2021-09-01"}, "kind": {"neighbours"}, "township": {"苏米图苏木"}, "risk": {"low"},
			"source": {"visit"}, "branch": {"a1"}, "summary": {"两户邻里草场纠纷"}, "due_days": {"20"}, "version": {"1"}}
		mustSee(t, "stale edit", a.submit(path+"/edit", path, edit), 409, "两户邻里草场纠纷", "他人已修改")
		edit.Set("version", version())
		if p := a.submit(path+"/edit", path, edit); p.status != http.StatusSeeOther || p.location != path {
			t.Fatalf("edit: %d %s %s", p.status, p.location, p.body)
		}
		mustSee(t, "edited", a.get(path), 200, "两户邻里草场纠纷", "邻里纠纷", "巴*")

		// A party found later is added on the edit page, the stored ones
		// listed masked and kept: a bad row is refused beside it (its
		// number follows the stored parties) and adds nothing.
		mustSee(t, "edit lists the parties", a.get(path+"/edit"), 200, "巴*", "139****5678", `for="party_name_0">当事人3 姓名`)
		add := url.Values{}
		for k, v := range edit {
			add[k] = v
		}
		add.Set("version", version())
		add["party_name"], add["party_phone"], add["party_role"] = []string{"乌云", ""}, []string{"110", ""}, []string{"other", "other"}
		mustSee(t, "bad party added", a.submit(path+"/edit", path, add), 400, `id="errors"`, "当事人电话号码格式不正确", "乌云")
		parties := func() string {
			t.Helper()
			st, full := e.do("GET", "/api/v1/disputes/"+strings.TrimPrefix(path, "/staff/disputes/")+"/parties", "leader", nil)
			if st != 200 {
				t.Fatalf("parties: %d %v", st, full)
			}
			return fmt.Sprint(full["parties"])
		}
		if got := parties(); got != "[map[name:巴特尔 phone:13912345678 role:applicant] map[name:额尔敦 role:respondent]]" {
			t.Errorf("a refused party changed the parties: %s", got)
		}
		add.Set("version", version())
		add["party_phone"] = []string{"13800001111", ""}
		if p := a.submit(path+"/edit", path, add); p.status != http.StatusSeeOther || p.location != path {
			t.Fatalf("add a party: %d %s %s", p.status, p.location, p.body)
		}
		if got := parties(); got != "[map[name:巴特尔 phone:13912345678 role:applicant] map[name:额尔敦 role:respondent] map[name:乌云 phone:13800001111 role:other]]" {
			t.Errorf("parties after adding one: %s", got)
		}
		mustSee(t, "party added", a.get(path), 200, "乌*", "138****1111", "巴*")

		// Filters and the total.
		mustSee(t, "filters", a.get("/staff/disputes?status=resolved&kind=neighbours&risk=low&township="+url.QueryEscape("苏米图苏木")), 200, "共1条", "两户邻里草场纠纷")
		mustSee(t, "overdue", a.get("/staff/disputes?overdue=true"), 200, "共0条")
		mustSee(t, "bad filter", a.get("/staff/disputes?status=bogus"), 400)
		mustSee(t, "words", a.get("/staff/disputes?q="+url.QueryEscape("鄰里")), 200, "共1条")

		// Another unit neither sees nor changes it; a partner reads only.
		b := e.loggedIn(t, "officer-b")
		mustSee(t, "other unit's list", b.get("/staff/disputes"), 200, "共0条")
		e.mustRefuse(t, []string{"officer-b"}, []route{{"GET", path}, {"GET", path + "/edit"}, {"POST", path},
			{"POST", path + "/act"}}, url.Values{"version": {"5"}, "summary": {"x"}, "action": {"follow_up"}}, nil)
		e.mustRefuse(t, []string{"partner"}, []route{{"GET", "/staff/disputes/new"}, {"POST", "/staff/disputes"},
			{"GET", path + "/edit"}, {"POST", path}}, url.Values{"version": {"5"}, "summary": {"x"}}, nil)
		pp := e.loggedIn(t, "partner")
		p = pp.get(path)
		mustSee(t, "partner reads", p, 200, "两户邻里草场纠纷")
		if strings.Contains(p.body, "/edit") || strings.Contains(p.body, `value="follow_up"`) || strings.Contains(p.body, `id="reveal"`) {
			t.Error("the partner is offered a change or the parties in full")
		}
		e.mustRefuse(t, []string{"partner", "officer-b"}, []route{{"POST", path + "/reveal"}}, url.Values{}, nil)
		form.Del("csrf_token")
		act.Del("csrf_token")
		edit.Del("csrf_token")
		a.mustRefuseForged(t, []formPost{{"/staff/disputes", form}, {path + "/act", act}, {path, edit}})

		// A search matching more disputes than it counts says "more than"
		// (the API: total the cap, total_capped), and its pages still reach
		// every match; below the cap, and for filters without words, the
		// total is exact.
		second := disputeForm()
		a.fill("/staff/disputes/new", "/staff/disputes", second)
		if p := a.post("/staff/disputes", second); p.status != http.StatusSeeOther {
			t.Fatalf("second dispute: %d %s", p.status, p.body)
		}
		db.SetSearchTotalCap(1)
		defer db.SetSearchTotalCap(0)
		grass := url.QueryEscape("草场")
		p = a.get("/staff/disputes?q=" + grass)
		mustSee(t, "capped search", p, 200, "超过1条", "两户邻里草场纠纷", "两户草场边界争议")
		if strings.Contains(p.body, "共1条") {
			t.Error("a capped search's total is shown as exact")
		}
		mustSee(t, "search below the cap", a.get("/staff/disputes?q="+url.QueryEscape("鄰里")), 200, "共1条")
		mustSee(t, "filter without words", a.get("/staff/disputes?township="+url.QueryEscape("苏米图苏木")), 200, "共2条")
		var listed []any
		for next := ""; ; {
			_, b := e.do("GET", "/api/v1/disputes?limit=1&q="+grass+next, "leader", nil)
			if b["total"] != float64(1) || b["total_capped"] != true {
				t.Errorf("capped search's page: total %v, total_capped %v", b["total"], b["total_capped"])
			}
			listed = append(listed, b["items"].([]any)...)
			c, _ := b["next_cursor"].(string)
			if c == "" {
				break
			}
			next = "&cursor=" + url.QueryEscape(c)
		}
		if len(listed) != 2 || listed[0].(map[string]any)["id"] == listed[1].(map[string]any)["id"] {
			t.Errorf("the capped search's pages list %v, want both disputes once", listed)
		}
		if _, b := e.do("GET", "/api/v1/disputes?q="+url.QueryEscape("鄰里"), "leader", nil); b["total"] != float64(1) || b["total_capped"] != nil {
			t.Errorf("search below the cap: total %v, total_capped %v", b["total"], b["total_capped"])
		}
	})
}

// TestAdminSettingsDisputeKinds: the dispute kinds saved in the editor (its
// mechanics are TestAdminSettingsCodeLists'): a list saved is what the
// form, the API and GET /api/v1/meta offer; a dispute of a kind since
// dropped keeps it and is still changed.
func TestAdminSettingsDisputeKinds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		admin := e.loggedIn(t, "admin")
		if body := admin.open("/staff/admin/settings"); !strings.Contains(body, `name="kind_code" value="livestock"`) {
			t.Fatalf("the editor does not start from the defaults")
		}
		id := newDispute(t, e, "officer-a") // of kind land
		p := admin.submit("/staff/admin/settings", "/staff/admin/settings", codeListRows("dispute_kinds", "kind",
			[]string{"grass", "草场纠纷", "grassland"}, []string{}, []string{"other", "其他", "other"}))
		if p.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", p.status, p.body)
		}
		a := e.loggedIn(t, "officer-a")
		if body := a.open("/staff/disputes/new"); !strings.Contains(body, "草场纠纷") || strings.Contains(body, `<option value="land"`) {
			t.Errorf("the form does not offer the kinds saved")
		}
		if _, b := e.do("GET", "/api/v1/meta", "", nil); !strings.Contains(fmt.Sprint(b["dispute_kinds"]), "grass") {
			t.Errorf("meta: %v", b["dispute_kinds"])
		}
		if st, b := e.do("POST", "/api/v1/disputes", "officer-a", disputeBody("新类型", "a")); st != 400 || fieldsOf(b)["kind"] == nil {
			t.Errorf("a dropped kind for a new dispute: %d %v", st, b)
		}
		body := disputeBody("新类型", "a")
		body["kind"] = "grass"
		if st, b := e.do("POST", "/api/v1/disputes", "officer-a", body); st != 201 {
			t.Errorf("a kind of the list: %d %v", st, b)
		}
		path := fmt.Sprintf("/api/v1/disputes/%d", id)
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "risk": "high"}); st != 200 || b["kind"] != "land" {
			t.Errorf("a dispute of a dropped kind changed: %d %v", st, b)
		}
	})
}
