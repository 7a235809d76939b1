package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

// postDocument sends the campaign page's upload form with data as the
// file "document" named name.
func postDocument(s *staffer, from, action, name string, data []byte) page {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	body := s.open(from)
	mw.WriteField("csrf_token", s.tokenIn(from, body))
	if m := formTokenOnPage.FindStringSubmatch(body); m != nil {
		mw.WriteField("form_token", m[1])
	}
	fw, _ := mw.CreateFormFile("document", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+action, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(req)
}

func TestCampaignPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		leader := e.loggedIn(t, "leader")
		officer := e.loggedIn(t, "officer-a")
		mustSee(t, "empty list", leader.get("/staff/campaigns"), 200, "共0条", `href="/staff/campaigns/new"`)
		if p := officer.get("/staff/campaigns"); strings.Contains(p.body, `href="/staff/campaigns/new"`) {
			t.Error("an officer is offered to create a campaign")
		}
		mustSee(t, "officer's new form", officer.get("/staff/campaigns/new"), 403)

		now := time.Now().In(calendar.Zone)
		from, to := now.AddDate(0, -1, 0).Format(time.DateOnly), now.AddDate(0, 6, 0).Format(time.DateOnly)
		// Bad input: every problem named, what was written kept, nothing
		// recorded.
		bad := url.Values{"name": {""}, "from": {from}, "to": {"2000-01-01"}, "plan": {"全体民辅警领办实事"},
			"target_key": {"matters.done", ""}, "target_value": {"四百", "5"}}
		p := leader.submit("/staff/campaigns/new", "/staff/campaigns", bad)
		mustSee(t, "bad campaign", p, 400, `id="errors"`, "活动名称", "结束日期不能早于开始日期", "目标值须为整数", "全体民辅警领办实事")
		if st, b := e.do("GET", "/api/v1/campaigns", "leader", nil); st != 200 || b["total"].(float64) != 0 {
			t.Fatalf("a refused form recorded: %d %v", st, b)
		}

		// A good form records once, however often it is sent.
		form := url.Values{"name": {"我为群众办实事"}, "from": {from}, "to": {to}, "plan": {"全体民辅警领办实事"},
			"target_key": {"matters.done", "measures.implemented", ""}, "target_value": {"2", "1", ""}}
		leader.fill("/staff/campaigns/new", "/staff/campaigns", form)
		first := leader.post("/staff/campaigns", form)
		if first.status != http.StatusSeeOther || !strings.HasPrefix(first.location, "/staff/campaigns/") {
			t.Fatalf("create: %d %s %s", first.status, first.location, first.body)
		}
		if again := leader.post("/staff/campaigns", form); again.location != first.location {
			t.Fatalf("sent again: %d %s", again.status, again.location)
		}
		path := first.location
		id := strings.TrimPrefix(path, "/staff/campaigns/")

		// A matter of the campaign, done: the page shows 1 of 2.
		m := matterBody("帮助牧民秋收玉米", "a")
		var cid int64
		fmt.Sscan(id, &cid)
		m["campaign"] = cid
		st, b := e.do("POST", "/api/v1/matters", "officer-a", m)
		if st != 201 {
			t.Fatalf("matter: %d %v", st, b)
		}
		mpath := fmt.Sprintf("/api/v1/matters/%v/actions", b["id"])
		e.do("POST", mpath, "officer-a", map[string]any{"action": "start", "version": 1})
		if st, b := e.do("POST", mpath, "officer-a", map[string]any{"action": "complete", "version": 2, "story": "秋收完成"}); st != 200 {
			t.Fatalf("complete: %d %v", st, b)
		}
		mustSee(t, "campaign", officer.get(path), 200, "我为群众办实事", "实事办结数", "1 / 2", "50%", "未完成",
			"/staff/matters?campaign="+id)
		if p := officer.get(path); strings.Contains(p.body, `action="`+path+`/meetings"`) {
			t.Error("an officer is offered to record a meeting")
		}

		// Meetings: a bad one named beside its fields, a good one listed.
		mustSee(t, "bad meeting", leader.submit(path, path+"/meetings", url.Values{"day": {"2999-01-01"}, "kind": {"rally"}, "attendees": {"局党委"}}),
			400, "会议日期不能晚于今天", "会议类型", "局党委")
		if p := leader.submit(path, path+"/meetings", url.Values{"day": {from}, "kind": {"mobilisation"}, "attendees": {"局党委委员、各所队长"},
			"minutes": {"部署活动"}}); p.status != http.StatusSeeOther {
			t.Fatalf("meeting: %d %s", p.status, p.body)
		}
		mustSee(t, "meeting listed", officer.get(path), 200, "动员大会", "局党委委员、各所队长", "部署活动")
		// The campaigns of a period count the meetings held in it, as the
		// report's campaign.meetings links there.
		for _, tt := range []struct{ name, query, want string }{
			{"the meeting's period", "from=" + from + "&to=" + to, `data-figure="campaign.meetings">1</strong>`},
			{"a period after it", "from=" + now.AddDate(0, 0, 1).Format(time.DateOnly) + "&to=" + to, `data-figure="campaign.meetings">0</strong>`},
		} {
			mustSee(t, tt.name, officer.get("/staff/campaigns?"+tt.query), 200, tt.want)
		}
		mustSee(t, "officer's meeting", officer.post(path+"/meetings", url.Values{"csrf_token": {officer.token(path)}, "kind": {"study"}, "attendees": {"x"}}), 403)

		// Documents: judged by their bytes, downloaded as sent.
		mustSee(t, "executable", postDocument(leader, path, path+"/documents", "方案.pdf", []byte("MZ\x90\x00")), 400, "只能上传PDF")
		pdf := []byte("%PDF-1.4\n实施方案\n")
		if p := postDocument(leader, path, path+"/documents", "实施方案.pdf", pdf); p.status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", p.status, p.body)
		}
		p = officer.get(path)
		mustSee(t, "document listed", p, 200, "实施方案.pdf")
		doc := officer.get(path + "/documents/1")
		if doc.status != 200 || doc.body != string(pdf) {
			t.Errorf("download: %d %q", doc.status, doc.body)
		}

		// Edit against the version read.
		edit := url.Values{"name": {"我为群众办实事实践活动"}, "from": {from}, "to": {to}, "target_key": {"matters.done"}, "target_value": {"1"}, "version": {"9"}}
		mustSee(t, "stale edit", leader.submit(path+"/edit", path, edit), 409, "他人已修改", "我为群众办实事实践活动")
		edit.Set("version", "1")
		if p := leader.submit(path+"/edit", path, edit); p.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", p.status, p.body)
		}
		mustSee(t, "edited", officer.get(path), 200, "我为群众办实事实践活动", "1 / 1", "已完成")

		// The ledgers' lists filter by campaign, and their forms file a
		// record under one.
		if st, b := e.do("POST", "/api/v1/measures", "officer-a", map[string]any{"title": "错时延时服务", "unit": "a",
			"changes": "午间照常办理", "campaign": cid}); st != 201 {
			t.Fatalf("measure: %d %v", st, b)
		}
		newMeasure(t, e, "officer-a")
		mustSee(t, "measures of the campaign", officer.get("/staff/measures?campaign="+id), 200, "共1条", "错时延时服务")
		mustSee(t, "measures, bad campaign", officer.get("/staff/measures?campaign=x"), 400)
		act := url.Values{"date": {now.Format(time.DateOnly)}, "title": {"送法进牧区"}, "volunteers": {"3"}, "hours": {"2"}, "campaign": {id}}
		if p := officer.submit("/staff/volunteer/new", "/staff/volunteer", act); p.status != http.StatusSeeOther {
			t.Fatalf("activity: %d %s", p.status, p.body)
		}
		mustSee(t, "activities of the campaign", officer.get("/staff/volunteer?campaign="+id), 200, "共1条", "送法进牧区")
		mustSee(t, "points of the campaign", officer.get("/staff/points?campaign="+id), 200, "共0条")
		act.Set("campaign", "999")
		act.Set("title", "不存在的活动")
		act.Del("form_token") // a fresh form
		mustSee(t, "activity, unknown campaign", officer.submit("/staff/volunteer/new", "/staff/volunteer", act), 400, "活动不存在")

		// The leaders' dashboard shows the running campaign's targets.
		mustSee(t, "dashboard", leader.get("/staff/dashboard"), 200, "活动目标", "我为群众办实事实践活动", "1 / 1")
		mustSee(t, "dashboard of a campaign", leader.get("/staff/dashboard?campaign="+id), 200, "我为群众办实事实践活动")
		if p := leader.get("/staff/dashboard?from=2021-01-01&to=2021-10-31"); p.status != 200 || strings.Contains(p.body, "我为群众办实事实践活动") {
			t.Errorf("the dashboard of 2021 shows a campaign of today: %d", p.status)
		}
		mustSee(t, "list", officer.get("/staff/campaigns?on="+now.Format(time.DateOnly)), 200, "共1条", "进行中")
	})
}
