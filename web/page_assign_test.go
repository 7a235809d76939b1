package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// The officer in charge (承办人, issue 15 §8) through the API: assign with
// assignee (me allowed), 400 naming assignee for an officer of another
// unit, 409 on a double click, the assignee= filter (me allowed), the
// workload per officer for the head and 403 for an officer, and the units'
// dispatch_by_bureau through PUT /api/v1/units/{code}.
func TestAssignThroughTheAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withUsers(org.User{Name: "head-a", Role: org.RoleUnitHead, UnitCode: "a"}))
		number := itemDeskFile(t, e, "楼道堆放杂物", "a")
		act := func(user string, body map[string]any) (int, map[string]any) {
			return e.do("POST", "/api/v1/items/"+number+"/actions", user, body)
		}
		st, it := act("officer-a", map[string]any{"action": "assign", "assignee": "me", "version": 1})
		if st != http.StatusOK || it["assignee"] != "officer-a" {
			t.Fatalf("claim: %d %v", st, it)
		}
		if st, body := act("leader", map[string]any{"action": "assign", "assignee": "officer-b", "version": 2}); st != http.StatusBadRequest || !strings.Contains(body["message"].(string), "assignee") {
			t.Fatalf("an officer of another unit: %d %v, want 400 naming assignee", st, body)
		}
		if st, body := act("leader", map[string]any{"action": "assign", "assignee": "head-a", "version": 1}); st != http.StatusConflict {
			t.Fatalf("a stale version: %d %v, want 409", st, body)
		}
		for user, want := range map[string]int{"officer-a": 1, "officer-b": 0, "leader": 0} {
			st, page := e.do("GET", "/api/v1/items?assignee=me", user, nil)
			items, _ := page["items"].([]any)
			if st != http.StatusOK || len(items) != want {
				t.Errorf("%s: assignee=me lists %d items (%d), want %d", user, len(items), st, want)
			}
		}
		st, w := e.do("GET", "/api/v1/units/a/workload", "leader", nil)
		officers, _ := w["officers"].([]any)
		found := false
		for _, o := range officers {
			if m := o.(map[string]any); m["assignee"] == "officer-a" && m["open"] == float64(1) {
				found = true
			}
		}
		if st != http.StatusOK || !found {
			t.Errorf("workload: %d %v", st, w)
		}
		if st, _ := e.do("GET", "/api/v1/units/a/workload", "officer-a", nil); st != http.StatusForbidden {
			t.Errorf("an officer reads the workload: %d, want 403", st)
		}

		// Unit a dispatched by the bureau only: its QR items wait for
		// dispatch, and its QR form promises no more.
		if _, page := e.raw("GET", "/write?channel=qr_code&unit=a", ""); !strings.Contains(page, "这条留言将直接交给：甲派出所") {
			t.Errorf("the QR form of a station does not promise it goes straight there")
		}
		st, u := e.do("PUT", "/api/v1/units/a", "admin", map[string]any{"code": "a", "name": "甲派出所", "kind": "station", "parent_code": "bureau", "dispatch_by_bureau": true})
		if st != http.StatusOK || u["dispatch_by_bureau"] != true {
			t.Fatalf("PUT unit: %d %v", st, u)
		}
		sub := citizenItem("路灯坏了")
		delete(sub, "category")
		sub["channel"], sub["unit"] = "qr_code", "a"
		if st, created := e.do("POST", "/api/v1/items", "", sub); st != http.StatusCreated || created["status"] != "received" {
			t.Errorf("a QR item of a unit dispatched by the bureau only: %d %v", st, created)
		}
		if _, page := e.raw("GET", "/write?channel=qr_code&unit=a", ""); !strings.Contains(page, "这条留言由局里及时转交：甲派出所") || strings.Contains(page, "直接交给") {
			t.Errorf("the QR form of a unit dispatched by the bureau only still promises it goes straight there")
		}
	})
}

// On the pages: the head assigns on the item desk, the officer finds it
// under 我的待办 and the head sees it in the workload; an officer claims.
func TestAssignOnThePages(t *testing.T) {
	e := newItemDeskEnv(t)
	first := itemDeskFile(t, e, "楼道堆放杂物", "a")
	second := itemDeskFile(t, e, "路灯坏了", "a")
	head, officer := e.loggedIn(t, "head-a"), e.loggedIn(t, "officer-a")
	page := itemDeskOpen(t, head, first)
	if !hasForm(page, "assign") || !strings.Contains(page, `<option value="officer-a"`) || strings.Contains(page, `<option value="aux-a"`) {
		t.Fatalf("the head's assign form lacks the officer or offers the auxiliary")
	}
	mustAct(t, head, first, url.Values{"action": {"assign"}, "assignee": {"officer-a"}})
	if it := stored(t, e, first); it.Assignee != "officer-a" {
		t.Fatalf("assignee %q", it.Assignee)
	}
	page = itemDeskOpen(t, officer, second)
	if !strings.Contains(page, `name="assignee" value="me"`) || strings.Contains(page, `id="assign-to"`) {
		t.Fatalf("the officer is not offered to claim only")
	}
	mustAct(t, officer, second, url.Values{"action": {"assign"}, "assignee": {"me"}})
	mine := officer.open("/staff/mine")
	if !strings.Contains(mine, `data-item="`+first+`"`) || !strings.Contains(mine, `data-item="`+second+`"`) {
		t.Errorf("我的待办 lacks the items")
	}
	if strings.Contains(head.open("/staff/mine"), "data-item=") {
		t.Errorf("the head's 我的待办 lists items not in their charge")
	}
	w := head.open("/staff/workload")
	row := w[strings.Index(w, `data-officer="officer-a"`):]
	if row = row[:strings.Index(row, "</tr>")]; !strings.Contains(row, ">2</a>") {
		t.Errorf("workload row of officer-a: %s", row)
	}
	if p := officer.get("/staff/workload"); p.status != http.StatusForbidden {
		t.Errorf("an officer opens the workload: %d", p.status)
	}
	inbox := head.open("/staff?queue=to_sign")
	if !strings.Contains(inbox, `data-assignee="officer-a"`) {
		t.Errorf("the inbox does not show the officer in charge")
	}
}

// 未派 (issue 15 §8, §13): the inbox's filter of the officer in charge
// offers the unassigned, which lists the items dispatched to a unit that no
// officer holds and marks them 未派 in its column; its exports and the API's
// list (assignee=none) hold the same items.
func TestUnassignedInTheInbox(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		held := itemDeskFile(t, e, "楼道堆放杂物", "a")
		free := itemDeskFile(t, e, "门口路灯坏了", "a")
		if st, it := e.do("POST", "/api/v1/items/"+held+"/actions", "officer-a", map[string]any{"action": "assign", "assignee": "me", "version": 1}); st != http.StatusOK {
			t.Fatalf("claim: %d %v", st, it)
		}
		officer := e.loggedIn(t, "officer-a")
		inbox := officer.open("/staff?queue=all")
		if !strings.Contains(inbox, `<option value="none">未派（无承办人）</option>`) || !strings.Contains(inbox, `<option value="me">我承办的</option>`) {
			t.Fatalf("the inbox's filters lack the officer in charge: %s", inbox)
		}
		inbox = officer.open("/staff?queue=all&assignee=none")
		if !strings.Contains(inbox, free) || strings.Contains(inbox, held) || !strings.Contains(inbox, `<option value="none" selected>`) ||
			!strings.Contains(inbox, `data-unassigned>未派</span>`) {
			t.Errorf("assignee=none on the inbox: %s", inbox)
		}
		csv := officer.get("/staff?queue=all&assignee=none&format=csv")
		if csv.status != http.StatusOK || !strings.Contains(csv.body, free) || strings.Contains(csv.body, held) {
			t.Errorf("the export of the unassigned: %d %s", csv.status, csv.body)
		}
		for user, want := range map[string][]string{"officer-a": {free}, "leader": {free}, "officer-b": nil} {
			st, page := e.do("GET", "/api/v1/items?assignee=none", user, nil)
			items, _ := page["items"].([]any)
			var got []string
			for _, it := range items {
				got = append(got, it.(map[string]any)["number"].(string))
			}
			if st != http.StatusOK || strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s: assignee=none lists %v (%d), want %v", user, got, st, want)
			}
		}
	})
}
