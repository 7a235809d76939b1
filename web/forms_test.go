package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/meeting"
	"minyi/outbox"
	"minyi/store"
)

// notices counts the SMS notices written about item number.
func (e *env) notices(number string) int {
	e.t.Helper()
	ns, err := e.db.Notices(ctx, outbox.NoticeFilter{Item: number})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(ns)
}

// TestFormSentTwiceFilesOnce: the messaging apps' browsers reload the page
// that answers a form, and people click twice. Every page form that files
// something answers with a redirect, and the same form (its form token)
// sent again files nothing more: it leads to what the first sending filed.
func TestFormSentTwiceFilesOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withNotices())
		day := time.Now().In(calendar.Zone).AddDate(0, 0, -2).Format("2006-01-02")

		t.Run("write-in form", func(t *testing.T) {
			v := e.visitor()
			before := e.itemCount()
			form := v.writeForm(url.Values{"kind": {"help"}, "text": {"楼道灯坏了"}, "phone": {"13900002222"}})
			st, first := v.post("/write", form)
			if st != http.StatusSeeOther {
				t.Fatalf("first sending: %d %s", st, first)
			}
			number, code := v.receipt(first)
			st, second := v.post("/write", form)
			if st != http.StatusSeeOther {
				t.Fatalf("second sending: %d %s", st, second)
			}
			if n, c := v.receipt(second); n != number || c != code {
				t.Errorf("second sending shows %s %s, the first %s %s", n, c, number, code)
			}
			// Reloading the receipt (a GET after the redirect) files nothing.
			for range 3 {
				if n, c := v.receipt(first); n != number || c != code {
					t.Errorf("reloaded receipt shows %s %s", n, c)
				}
			}
			if got := e.itemCount() - before; got != 1 {
				t.Errorf("%d items filed, want 1", got)
			}
			if got := e.notices(number); got != 1 {
				t.Errorf("%d SMS notices, want 1", got)
			}
			// Another browser that has the form's token (a resent request)
			// gets the same receipt, and a code that opens the item.
			other := e.visitor()
			form.Set("csrf_token", other.csrf())
			st, third := other.post("/write", form)
			if n, c := other.receipt(third); st != http.StatusSeeOther || n != number || c != code {
				t.Errorf("resent from elsewhere: %d %s %s", st, n, c)
			}
			if st, body := e.do("GET", "/api/v1/items/"+number+"?access_code="+code, "", nil); st != http.StatusOK {
				t.Errorf("the code shown does not open the item: %d %v", st, body)
			}
		})

		t.Run("write-in form sent at once", func(t *testing.T) {
			v := e.visitor()
			before := e.itemCount()
			form := v.writeForm(url.Values{"kind": {"help"}, "text": {"门口积水"}, "phone": {"13900003333"}})
			form.Set("csrf_token", v.csrf())
			var wg sync.WaitGroup
			answers := make([]string, 5)
			for i := range answers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					req, _ := http.NewRequest("POST", e.url+"/write", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					_, answers[i] = v.send(req)
				}()
			}
			wg.Wait()
			for _, a := range answers[1:] {
				if first, _, _ := strings.Cut(a, "\n"); !strings.HasPrefix(first, "Location: /track/") || !strings.HasPrefix(answers[0], first) {
					t.Errorf("answers differ: %.80q and %.80q", answers[0], a)
				}
			}
			number, _ := v.receipt(answers[0])
			if got := e.itemCount() - before; got != 1 {
				t.Errorf("%d items filed, want 1", got)
			}
			if got := e.notices(number); got != 1 {
				t.Errorf("%d SMS notices, want 1", got)
			}
		})

		t.Run("a form token that no form gave out", func(t *testing.T) {
			v := e.visitor()
			before := e.itemCount()
			st, body := v.post("/write", url.Values{"kind": {"help"}, "text": {"x"}, "form_token": {"abc"}})
			if st != http.StatusBadRequest || e.itemCount() != before {
				t.Errorf("%d, %d items filed: %s", st, e.itemCount()-before, body)
			}
		})

		t.Run("staff entry", func(t *testing.T) {
			c := e.loggedIn(t, "officer-a")
			before := e.itemCount()
			form := slip(day, "派出所门前停车难")
			p := c.submit("/staff/entry", "/staff/entry", form)
			again := c.post("/staff/entry", form)
			if p.status != http.StatusSeeOther || again.status != http.StatusSeeOther || again.location != p.location {
				t.Fatalf("sendings answer %d %s and %d %s", p.status, p.location, again.status, again.location)
			}
			m := savedFlash.FindStringSubmatch(c.get(p.location).body)
			if m == nil {
				t.Fatal("no number and code after the second sending")
			}
			if got := e.itemCount() - before; got != 1 {
				t.Errorf("%d items filed, want 1", got)
			}
			if got := e.notices(m[1]); got != 1 {
				t.Errorf("%d SMS notices, want 1", got)
			}
			if st, body := e.do("GET", "/api/v1/items/"+m[1]+"?access_code="+m[2], "", nil); st != http.StatusOK {
				t.Errorf("the code shown again does not open the item: %d %v", st, body)
			}
		})

		t.Run("meeting", func(t *testing.T) {
			c := e.loggedIn(t, "officer-a")
			before := e.itemCount()
			form := meetingForm(day)
			fillRow(form, 0, "suggestion", "希望增加夜间巡逻", "", "")
			fillRow(form, 1, "help", "老人办证不便", "张某", "13900004444")
			p := c.submit("/staff/meetings/new", "/staff/meetings", form)
			again := c.post("/staff/meetings", form)
			if p.status != http.StatusSeeOther || again.status != http.StatusSeeOther || again.location != p.location {
				t.Fatalf("sendings answer %d %s and %d %s", p.status, p.location, again.status, again.location)
			}
			if got := e.itemCount() - before; got != 2 {
				t.Errorf("%d items filed, want 2", got)
			}
			page, err := e.db.Meetings(ctx, meeting.Filter{})
			if err != nil || len(page.Meetings) != 1 {
				t.Errorf("meetings stored: %+v %v", page.Meetings, err)
			}
		})
	})
}

// TestReceiptKeepsTheCodeOutOfTheURL: the receipt shows the number and the
// code on reload in the browser that wrote in, from its cookies, never from
// the address, which the history would hand to the next person.
func TestReceiptKeepsTheCodeOutOfTheURL(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	v := e.visitor()
	st, answer := v.post("/write", v.writeForm(url.Values{"kind": {"help"}, "text": {"路灯不亮"}}))
	number, code := v.receipt(answer)
	if st != http.StatusSeeOther || strings.Contains(answer, code) {
		t.Fatalf("the redirect carries the code: %d %s", st, answer)
	}
	// Another browser with the address only is sent to the tracking form.
	st, body := e.visitor().get("/track/" + number + "/receipt")
	if st != http.StatusSeeOther || !strings.HasPrefix(body, "Location: /track/"+number+"\n") || strings.Contains(body, code) {
		t.Errorf("the receipt opened elsewhere: %d %s", st, body)
	}
}

// TestEmergencyNoticeOnCitizenPages: a message may wait a working day, so
// every page where citizens write in or may think of it says to call 110,
// or the duty phone that an administrator set, in the reader's language.
func TestEmergencyNoticeOnCitizenPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.loggedIn(t, "admin")
		if p := admin.submit("/staff/admin/settings", "/staff/admin/settings", url.Values{"duty_phone": {"110 or so"}}); p.status != http.StatusBadRequest {
			t.Fatalf("a duty phone that is none: %d %s", p.status, p.body)
		}
		const phone = "0477-6212110"
		if p := admin.submit("/staff/admin/settings", "/staff/admin/settings", url.Values{"duty_phone": {" " + phone}}); p.status != http.StatusSeeOther {
			t.Fatalf("set the duty phone: %d %s", p.status, p.body)
		}
		if body := admin.open("/staff/admin/settings"); !strings.Contains(body, `value="`+phone+`"`) {
			t.Errorf("the settings page does not show the duty phone")
		}

		v := e.visitor()
		_, answer := v.post("/write", v.writeForm(url.Values{"kind": {"help"}, "text": {"路灯不亮"}}))
		receipt, _, _ := strings.Cut(strings.TrimPrefix(answer, "Location: "), "\n")
		pages := map[string]func() string{
			"home":          func() string { _, b := v.get("/"); return b },
			"write-in form": func() string { _, b := v.get("/write"); return b },
			"receipt":       func() string { _, b := v.get(receipt); return b },
			"online desk":   func() string { _, b := v.get("/desk"); return b },
			"QR poster":     func() string { return admin.open("/qr/a") },
		}
		for name, get := range pages {
			t.Run(name, func(t *testing.T) {
				body := get()
				i := strings.Index(body, `<aside class="emergency" role="note"`)
				if i < 0 {
					t.Fatalf("no emergency notice: %s", body)
				}
				note := body[i : i+strings.Index(body[i:], "</aside>")]
				for _, want := range []string{"紧急情况请立即拨打", `href="tel:110"`, ">110<", `href="tel:04776212110"`, ">" + phone + "<", "一个工作日"} {
					if !strings.Contains(note, want) {
						t.Errorf("the notice lacks %q: %s", want, note)
					}
				}
			})
		}
		for lang, want := range map[string]string{"en": "In an emergency, call", "zh-TW": "緊急情況請立即撥打"} {
			req, _ := http.NewRequest("GET", e.url+"/write", nil)
			req.Header.Set("Accept-Language", lang)
			if _, body := v.send(req); !strings.Contains(body, want) || !strings.Contains(body, phone) {
				t.Errorf("%s: the notice lacks %q or the duty phone", lang, want)
			}
		}
	})
}
