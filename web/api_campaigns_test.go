package web_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// campaignBody is a campaign running from a year ago to a year ahead, so
// that what the test does today is in its period.
func campaignBody(name string) map[string]any {
	now := time.Now().In(calendar.Zone)
	return map[string]any{"name": name, "from": now.AddDate(-1, 0, 0).Format(time.DateOnly), "to": now.AddDate(1, 0, 0).Format(time.DateOnly),
		"plan": "全体民辅警领办实事", "targets": map[string]any{"matters.done": 2, "measures.implemented": 1}}
}

// newCampaign records a campaign as the leader and returns its id.
func newCampaign(t *testing.T, e *env, name string) int64 {
	t.Helper()
	st, b := e.do("POST", "/api/v1/campaigns", "leader", campaignBody(name))
	if st != 201 {
		t.Fatalf("create campaign: %d %v", st, b)
	}
	return int64(b["id"].(float64))
}

func TestCampaignAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		id := newCampaign(t, e, "我为群众办实事")
		path := fmt.Sprintf("/api/v1/campaigns/%d", id)
		total := func() float64 {
			t.Helper()
			st, b := e.do("GET", "/api/v1/campaigns", "officer-b", nil)
			if st != 200 {
				t.Fatalf("list: %d %v", st, b)
			}
			return b["total"].(float64)
		}

		// Leaders and admins write; unit staff and partners read only.
		for _, who := range []string{"officer-a", "partner"} {
			if st, b := e.do("POST", "/api/v1/campaigns", who, campaignBody("越权")); st != 403 {
				t.Errorf("%s creates: %d %v", who, st, b)
			}
			if st, b := e.do("PATCH", path, who, map[string]any{"version": 1, "name": "越权"}); st != 403 {
				t.Errorf("%s edits: %d %v", who, st, b)
			}
			if st, b := e.do("GET", path, who, nil); st != 200 || b["name"] != "我为群众办实事" {
				t.Errorf("%s reads: %d %v", who, st, b)
			}
		}

		// Bad input names every field and writes nothing.
		bad := campaignBody("")
		bad["from"], bad["targets"] = "2021-13-01", map[string]any{"matters.nonsense": 1}
		st, b := e.do("POST", "/api/v1/campaigns", "leader", bad)
		for _, f := range []string{"name", "from", "targets.matters.nonsense"} {
			if st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), f) {
				t.Errorf("bad campaign: %d %v, want %s named", st, b, f)
			}
		}
		if n := total(); n != 1 {
			t.Errorf("bad input wrote: total %v", n)
		}

		// Changes go against the version read.
		if st, b := e.do("PATCH", path, "leader", map[string]any{"name": "无版本"}); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "version") {
			t.Errorf("no version: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "leader", map[string]any{"version": 1, "name": "我为群众办实事实践活动"}); st != 200 || b["version"].(float64) != 2 {
			t.Fatalf("edit: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "leader", map[string]any{"version": 1, "name": "过时"}); st != 409 {
			t.Errorf("stale edit: %d %v", st, b)
		}

		// Mobilisation meetings.
		if st, b := e.do("POST", path+"/meetings", "leader", map[string]any{"kind": "rally", "attendees": ""}); st != 400 ||
			!strings.Contains(fmt.Sprint(fieldsOf(b)), "kind") || !strings.Contains(fmt.Sprint(fieldsOf(b)), "attendees") {
			t.Errorf("bad meeting: %d %v", st, b)
		}
		if st, b := e.do("POST", path+"/meetings", "officer-a", map[string]any{"kind": "study", "attendees": "全体民警"}); st != 403 {
			t.Errorf("officer's meeting: %d %v", st, b)
		}
		st, b = e.do("POST", path+"/meetings", "leader", map[string]any{"kind": "mobilisation", "attendees": "局党委委员、各所队长", "minutes": "部署"})
		if ms, _ := b["meetings"].([]any); st != 201 || len(ms) != 1 || ms[0].(map[string]any)["kind"] != "mobilisation" {
			t.Fatalf("meeting: %d %v", st, b)
		}

		// Documents: judged by their bytes, read back as they were sent.
		pdf := []byte("%PDF-1.4\n实施方案\n")
		if st, b := e.do("POST", path+"/documents", "leader", map[string]any{"name": "方案.pdf", "document": base64.StdEncoding.EncodeToString([]byte("MZ\x90\x00"))}); st != 400 ||
			!strings.Contains(fmt.Sprint(fieldsOf(b)), "document") {
			t.Errorf("executable: %d %v", st, b)
		}
		st, b = e.do("POST", path+"/documents", "leader", map[string]any{"name": "实施方案.pdf", "document": base64.StdEncoding.EncodeToString(pdf)})
		if st != 201 || b["content_type"] != "application/pdf" || b["size"].(float64) != float64(len(pdf)) {
			t.Fatalf("document: %d %v", st, b)
		}
		doc := fmt.Sprintf("%s/documents/%v", path, b["id"])
		if st, b := e.do("GET", path+"/documents", "partner", nil); st != 200 || len(b["documents"].([]any)) != 1 {
			t.Errorf("documents: %d %v", st, b)
		}
		a := e.send("GET", doc, "officer-b", "", "")
		if a.status != 200 || a.body != string(pdf) || a.header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(a.header.Get("Content-Disposition"), "attachment") || a.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("download: %d %v %q", a.status, a.header, a.body)
		}
		if st, _ := e.raw("GET", fmt.Sprintf("/api/v1/campaigns/%d/documents/%v", id+1, b["id"]), "leader"); st != 404 {
			t.Errorf("another campaign's document: %d", st)
		}

		// A ledger record names an existing campaign or none.
		m := matterBody("帮助牧民秋收玉米", "a")
		m["campaign"] = id + 99
		if st, b := e.do("POST", "/api/v1/matters", "officer-a", m); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "campaign") {
			t.Errorf("unknown campaign: %d %v", st, b)
		}
		m["campaign"] = id
		st, b = e.do("POST", "/api/v1/matters", "officer-a", m)
		if st != 201 || b["campaign"].(float64) != float64(id) {
			t.Fatalf("matter in campaign: %d %v", st, b)
		}
		mpath := fmt.Sprintf("/api/v1/matters/%v", b["id"])
		for i, body := range []map[string]any{{"action": "start", "version": 1}, {"action": "complete", "version": 2, "story": "秋收完成"}} {
			if st, b := e.do("POST", mpath+"/actions", "officer-a", body); st != 200 {
				t.Fatalf("action %d: %d %v", i, st, b)
			}
		}
		newMatter(t, e, "officer-a") // in no campaign
		if st, b := e.do("GET", fmt.Sprintf("/api/v1/matters?campaign=%d", id), "leader", nil); st != 200 || b["total"].(float64) != 1 {
			t.Errorf("matters of the campaign: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/matters?campaign=x", "leader", nil); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "campaign") {
			t.Errorf("bad campaign filter: %d %v", st, b)
		}

		// The summary of a campaign: its records over its period.
		body := campaignBody("")
		st, b = e.do("GET", fmt.Sprintf("/api/v1/ledgers/summary?campaign=%d", id), "leader", nil)
		if st != 200 || b["from"] != body["from"] || b["to"] != body["to"] || b["campaign"].(float64) != float64(id) ||
			b["figures"].(map[string]any)["matters"].(map[string]any)["done"].(float64) != 1 {
			t.Errorf("summary of the campaign: %d %v", st, b)
		}
		if st, b := e.do("GET", fmt.Sprintf("/api/v1/ledgers/summary?campaign=%d", id+99), "leader", nil); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "campaign") {
			t.Errorf("summary of an unknown campaign: %d %v", st, b)
		}

		// Progress: each target against its figure.
		st, b = e.do("GET", path+"/progress", "leader", nil)
		if st != 200 || fmt.Sprint(b["targets"]) != "[map[actual:1 key:matters.done met:false percent:50 target:2] map[actual:0 key:measures.implemented met:false percent:0 target:1]]" {
			t.Errorf("progress: %d %v", st, b)
		}
		// Station b's officer sees b's share.
		if st, b := e.do("GET", path+"/progress", "officer-b", nil); st != 200 || !strings.Contains(fmt.Sprint(b["targets"]), "actual:0 key:matters.done") {
			t.Errorf("b's progress: %d %v", st, b)
		}
	})
}
