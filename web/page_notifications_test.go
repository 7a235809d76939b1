package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Staff's notifications (issue 15 §9) on the pages and through the API: an
// item filed to unit a shows as 通知 1 in its officers' header (none in
// unit b's), the count's JSON for app.js, the list linking the item, mark
// read (with CSRF; without it refused) and mark all read; the API lists
// the caller's own and refuses another's with 404.
func TestNotificationsOnThePagesAndTheAPI(t *testing.T) {
	e := newItemDeskEnv(t)
	number := itemDeskFile(t, e, "楼道堆放杂物", "a")
	officer, other := e.loggedIn(t, "officer-a"), e.loggedIn(t, "officer-b")
	count := func(s *staffer) int {
		t.Helper()
		p := s.get("/staff/notifications/count")
		var c struct{ Unread int }
		if p.status != http.StatusOK || json.Unmarshal([]byte(p.body), &c) != nil || !strings.Contains(p.cache, "no-store") {
			t.Fatalf("count: %d %q %s", p.status, p.cache, p.body)
		}
		return c.Unread
	}
	if inbox := officer.open("/staff"); !strings.Contains(inbox, `data-notify-count aria-live="polite">1</span>`) {
		t.Errorf("the header does not count 1 unread")
	}
	if inbox := other.open("/staff"); !strings.Contains(inbox, `data-notify-count aria-live="polite" hidden>0</span>`) {
		t.Errorf("unit b's header counts some")
	}
	if count(officer) != 1 || count(other) != 0 {
		t.Fatalf("counts %d %d", count(officer), count(other))
	}
	list := officer.open("/staff/notifications")
	if !strings.Contains(list, `href="/staff/items/`+number+`"`) || !strings.Contains(list, "新派单") {
		t.Fatalf("the list lacks the item")
	}
	_, api := e.do("GET", "/api/v1/notifications", "officer-a", nil)
	items, _ := api["items"].([]any)
	if len(items) != 1 || api["unread"] != float64(1) {
		t.Fatalf("API list: %v", api)
	}
	id := int64(items[0].(map[string]any)["id"].(float64))
	if st, _ := e.do("POST", fmt.Sprintf("/api/v1/notifications/%d/read", id), "officer-b", nil); st != http.StatusNotFound {
		t.Errorf("another's notification: %d, want 404", st)
	}
	action := fmt.Sprintf("/staff/notifications/%d/read", id)
	if p := officer.post(action, url.Values{}); p.status != http.StatusForbidden || count(officer) != 1 {
		t.Errorf("mark read without CSRF: %d, %d unread", p.status, count(officer))
	}
	if p := officer.submit("/staff/notifications", action, url.Values{}); p.status != http.StatusSeeOther || count(officer) != 0 {
		t.Errorf("mark read: %d, %d unread", p.status, count(officer))
	}
	if strings.Contains(officer.open("/staff/notifications"), `action="`+action+`"`) {
		t.Errorf("a read notification still offers mark read")
	}
	if st, body := e.do("POST", "/api/v1/notifications/read", "officer-a", nil); st != http.StatusOK || body["unread"] != float64(0) {
		t.Errorf("API mark all read: %d %v", st, body)
	}
}

// A unit's chat robot on the admin page: a DingTalk robot for unit a with
// its 加签 secret is saved without a secret to show (it is DingTalk's), a
// robot of an unknown unit is refused naming unit, and minyi's format
// takes no unit. Its address, which holds its access token, is shown
// masked on the pages and in the API, and kept when the form is saved
// without retyping it.
func TestRobotOnTheAdminPage(t *testing.T) {
	e := newItemDeskEnv(t)
	admin := e.loggedIn(t, "admin")
	const token = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	form := url.Values{"name": {"甲所钉钉群"}, "url": {"https://oapi.dingtalk.com/robot/send?access_token=" + token}, "format": {"dingtalk"},
		"unit": {"a"}, "secret": {"SECxyz"}, "active": {"1"}}
	p := admin.submit("/staff/admin/webhooks/new", "/staff/admin/webhooks", form)
	if p.status != http.StatusSeeOther || strings.Contains(p.location, "/shown/") {
		t.Fatalf("add a robot: %d → %q", p.status, p.location)
	}
	hooks, err := e.db.Webhooks(ctx)
	if err != nil || len(hooks) != 1 || hooks[0].Format != "dingtalk" || hooks[0].Unit != "a" || hooks[0].Secret != "SECxyz" {
		t.Fatalf("stored: %+v %v", hooks, err)
	}
	if page := admin.open(fmt.Sprintf("/staff/admin/webhooks/%d/edit", hooks[0].ID)); !strings.Contains(page, `<option value="a" selected>`) || strings.Contains(page, `name="events"`) {
		t.Errorf("the robot's edit form lacks its unit or offers events")
	}
	if list := admin.open("/staff/admin/webhooks"); !strings.Contains(list, "钉钉群机器人 · a") {
		t.Errorf("the list does not say the robot's format and unit")
	}
	t.Run("the address is masked", func(t *testing.T) {
		shown := "https://oapi.dingtalk.com/robot/send?access_token=****b1a0"
		id := fmt.Sprint(hooks[0].ID)
		for _, path := range []string{"/staff/admin/webhooks", "/staff/admin/webhooks/" + id, "/staff/admin/webhooks/" + id + "/edit"} {
			if page := admin.open(path); strings.Contains(page, token) || !strings.Contains(page, shown) {
				t.Errorf("%s shows the token or not the masked address", path)
			}
		}
		if edit := admin.open("/staff/admin/webhooks/" + id + "/edit"); !strings.Contains(edit, "地址中的密钥已隐去") {
			t.Errorf("the edit form does not say the key is hidden")
		}
		// Saved as shown, with only the unit changed: the token stays.
		p := admin.submit("/staff/admin/webhooks/"+id+"/edit", "/staff/admin/webhooks/"+id, url.Values{"url": {shown}, "unit": {""}, "active": {"1"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("save as shown: %d %s", p.status, p.body)
		}
		if h, err := e.db.Webhook(ctx, hooks[0].ID); err != nil || !strings.HasSuffix(h.URL, "access_token="+token) || h.Unit != "" {
			t.Fatalf("after saving the masked address: %+v %v", h, err)
		}
		// Another address with the mask in it is refused, changing nothing.
		p = admin.submit("/staff/admin/webhooks/"+id+"/edit", "/staff/admin/webhooks/"+id, url.Values{"url": {"https://oapi.dingtalk.com/robot/send?access_token=****b1a1"}, "unit": {"a"}, "active": {"1"}})
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "隐去的密钥") {
			t.Errorf("a masked new address: %d", p.status)
		}
		if h, _ := e.db.Webhook(ctx, hooks[0].ID); !strings.HasSuffix(h.URL, token) || h.Unit != "" {
			t.Errorf("the refused form changed the robot: %+v", h)
		}
		st, list := e.do("GET", "/api/v1/webhooks", "admin", nil)
		if st != http.StatusOK || fmt.Sprint(list["webhooks"]) == "" || strings.Contains(fmt.Sprint(list), token) || !strings.Contains(fmt.Sprint(list), shown) {
			t.Errorf("the API's list: %d %v", st, list)
		}
		st, changed := e.do("PUT", "/api/v1/webhooks/"+id, "admin", map[string]any{"active": false})
		if st != http.StatusOK || changed["url"] != shown {
			t.Errorf("the API's change: %d %v", st, changed)
		}
		if h, _ := e.db.Webhook(ctx, hooks[0].ID); !strings.HasSuffix(h.URL, token) || h.Active {
			t.Errorf("the API's change without url lost the token: %+v", h)
		}
	})
	for _, c := range []struct{ format, unit, field string }{{"wecom", "nowhere", "没有这个单位"}, {"minyi", "a", "只有群机器人可限定单位"}, {"slack", "", "未知的格式"}} {
		f := url.Values{"name": {"x-" + c.format}, "url": {"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}, "format": {c.format},
			"unit": {c.unit}, "events": {"*"}, "active": {"1"}}
		if p := admin.submit("/staff/admin/webhooks/new", "/staff/admin/webhooks", f); p.status != http.StatusBadRequest || !strings.Contains(p.body, c.field) {
			t.Errorf("%s of %q: %d", c.format, c.unit, p.status)
		}
	}
	if hooks, _ := e.db.Webhooks(ctx); len(hooks) != 1 {
		t.Errorf("refused robots were stored: %d", len(hooks))
	}
}
