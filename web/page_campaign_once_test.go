package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

// TestCampaignMeetingAndDocumentFormsFileOnce: the campaign page's meeting
// and document forms, sent again (a reload, a double click, several at
// once), record one meeting and attach one document, every sending led to
// the campaign; a form without its token records nothing. On SQLite and
// PostgreSQL.
func TestCampaignMeetingAndDocumentFormsFileOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		now := time.Now().In(calendar.Zone)
		from, to := now.AddDate(0, -1, 0).Format(time.DateOnly), now.AddDate(0, 6, 0).Format(time.DateOnly)
		st, c := e.do("POST", "/api/v1/campaigns", "leader", map[string]any{"name": "我为群众办实事", "from": from, "to": to})
		if st != http.StatusCreated {
			t.Fatalf("campaign: %d %v", st, c)
		}
		path := fmt.Sprintf("/staff/campaigns/%v", c["id"])
		leader := e.loggedIn(t, "leader")
		counts := func() (int, int) {
			t.Helper()
			_, b := e.do("GET", "/api/v1/campaigns/"+fmt.Sprint(c["id"]), "leader", nil)
			ms, _ := b["meetings"].([]any)
			ds, _ := b["documents"].([]any)
			return len(ms), len(ds)
		}
		// at sends the same request five times at once and checks every
		// answer leads to the campaign.
		at := func(t *testing.T, what, anchor string, send func() page) {
			t.Helper()
			answers := make([]page, 5)
			var wg sync.WaitGroup
			for i := range answers {
				wg.Go(func() { answers[i] = send() })
			}
			wg.Wait()
			for i, a := range answers {
				if a.status != http.StatusSeeOther || a.location != path+anchor {
					t.Errorf("%s, sending %d: %d %q %s", what, i+1, a.status, a.location, a.body)
				}
			}
		}

		meeting := url.Values{"day": {from}, "kind": {"mobilisation"}, "attendees": {"局党委委员、各所队长"}}
		leader.fill(path, path+"/meetings", meeting)
		at(t, "meeting", "#meetings", func() page { return leader.post(path+"/meetings", meeting) })
		if again := leader.post(path+"/meetings", meeting); again.status != http.StatusSeeOther || again.location != path+"#meetings" {
			t.Errorf("the meeting form sent again later: %d %q", again.status, again.location)
		}

		body := leader.open(path)
		token := formTokenOnPage.FindStringSubmatch(body)
		if token == nil {
			t.Fatalf("no form token on the campaign page")
		}
		document := func() page {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf_token", leader.tokenIn(path, body))
			mw.WriteField("form_token", token[1])
			fw, _ := mw.CreateFormFile("document", "实施方案.pdf")
			fw.Write([]byte("%PDF-1.4\n1 0 obj\n"))
			mw.Close()
			req, _ := http.NewRequest("POST", leader.base+path+"/documents", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return leader.do(req)
		}
		at(t, "document", "#documents", document)
		if m, d := counts(); m != 1 || d != 1 {
			t.Errorf("%d meetings and %d documents, want one of each", m, d)
		}

		// Without a token, or with one no form gave out: nothing recorded.
		for _, tok := range []string{"", "abc"} {
			bad := url.Values{"day": {from}, "kind": {"study"}, "attendees": {"各所队长"}, "csrf_token": {leader.token(path)}, "form_token": {tok}}
			if p := leader.post(path+"/meetings", bad); p.status != http.StatusBadRequest {
				t.Errorf("a meeting form with token %q: %d", tok, p.status)
			}
		}
		if m, d := counts(); m != 1 || d != 1 {
			t.Errorf("after forms without tokens: %d meetings and %d documents", m, d)
		}
	})
}
