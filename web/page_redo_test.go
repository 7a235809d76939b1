package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An item the citizen sent back for redo (重办) carries the badge in the
// inbox and on its desk, and the citizen's reason stands beside the answer
// form, so the officer answers what was wrong; a QR item for the station
// says on its timeline why it is the station's.
func TestItemDeskShowsRedo(t *testing.T) {
	e := newItemDeskEnv(t)
	sub := citizenItem("新生儿落户要带什么材料？")
	delete(sub, "category")
	sub["channel"], sub["unit"] = "qr_code", "a"
	st, created := e.do("POST", "/api/v1/items", "", sub)
	if st != http.StatusCreated || created["status"] != "dispatched" {
		t.Fatalf("file: %d %v", st, created)
	}
	number, code := created["number"].(string), created["access_code"].(string)
	officer := e.loggedIn(t, "officer-a")
	page := itemDeskOpen(t, officer, number)
	if !strings.Contains(page, "扫码留言直接交甲派出所办理") || strings.Contains(page, `id="redo-badge"`) || strings.Contains(page, `id="redo-reason"`) {
		t.Fatalf("a new QR item: no reason on its timeline, or a redo badge")
	}
	mustAct(t, officer, number, url.Values{"action": {"sign"}})
	mustAct(t, officer, number, url.Values{"action": {"answer"}, "body": {"请带出生医学证明和户口簿。"}})
	reason := "窗口说还要结婚证，答复里没写<全>"
	st, rated := e.do("POST", "/api/v1/items/"+number+"/actions?access_code="+code, "",
		map[string]any{"action": "rate", "version": stored(t, e, number).Version, "satisfaction": "unsatisfied", "body": reason})
	if st != http.StatusOK || rated["status"] != "in_progress" {
		t.Fatalf("rate: %d %v", st, rated)
	}

	page = itemDeskOpen(t, officer, number)
	for _, want := range []string{`id="redo-badge">重办<`, `id="redo-reason"`, "群众评价不满意，要求重办：", "窗口说还要结婚证，答复里没写&lt;全&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("the desk lacks %q", want)
		}
	}
	if i, j := strings.Index(page, `id="redo-reason"`), strings.Index(page, `id="answer-body"`); i < 0 || j < 0 || i > j {
		t.Errorf("the reason is not beside the answer form (%d, %d)", i, j)
	}
	inbox := officer.open("/staff?queue=in_progress")
	row := inbox[strings.Index(inbox, number):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, `<span class="badge redo">重办</span>`) {
		t.Errorf("the inbox row lacks the redo badge: %s", row)
	}
	// An item not sent back has no badge in the list.
	other := itemDeskFile(t, e, "身份证丢了怎么补办？", "a")
	all := officer.open("/staff?queue=to_sign")
	row = all[strings.Index(all, other):]
	if row = row[:strings.Index(row, "</tr>")]; strings.Contains(row, "重办") {
		t.Errorf("a new item shows the redo badge: %s", row)
	}
}

// The inbox marks the items no unit has yet — new or returned, whatever
// unit their category suggests — as 未派单, and not the dispatched ones.
func TestInboxMarksUndispatched(t *testing.T) {
	e := newItemDeskEnv(t)
	sub := citizenItem("路灯坏了")
	delete(sub, "category")
	_, created := e.do("POST", "/api/v1/items", "", sub)
	queued := created["number"].(string)
	routed := itemDeskFile(t, e, "新生儿落户要带什么材料？", "")
	dispatched := itemDeskFile(t, e, "身份证丢了怎么补办？", "a")
	leader := e.loggedIn(t, "leader")
	page := leader.open("/staff?queue=all")
	for number, want := range map[string]bool{queued: true, routed: true, dispatched: false} {
		i := strings.Index(page, number)
		if i < 0 {
			t.Fatalf("%s not listed", number)
		}
		row := page[i:]
		row = row[:strings.Index(row, "</tr>")]
		if got := strings.Contains(row, `<span class="badge unassigned">未派单</span>`); got != want {
			t.Errorf("%s marked 未派单: %v, want %v (%s)", number, got, want, row)
		}
	}
}
