package store_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/notify"
	"minyi/org"
	"minyi/outbox"
	"minyi/store"
)

// Staff's notifications (issue 15 §9): an item filed to a unit tells its
// staff, naming an officer in charge tells that officer (not whoever named
// them), a redo tells the officer in charge; the periodic run alerts the
// items due soon and overdue once each, and a working day's digest per
// unit once; each user reads and marks only their own; the unit's robots
// (a DingTalk robot with 加签, a WeCom robot of another unit) get their
// unit's alerts, masked, and the DingTalk call is signed as DingTalk checks.
func TestNotifications(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		head := org.User{Name: "zhang", Role: org.RoleUnitHead, UnitCode: "a"}
		li := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		wang := org.User{Name: "wang", Role: org.RoleOfficer, UnitCode: "a"}
		zhao := org.User{Name: "zhao", Role: org.RoleOfficer, UnitCode: "b"}
		boss := org.User{Name: "boss", Role: org.RoleLeader, UnitCode: "bureau"}
		admin := org.User{Name: "admin", Role: org.RoleAdmin, UnitCode: "bureau"}
		testkit.Bureau{Units: testkit.UnderBureau, Users: []org.User{head, li, wang, zhao, boss, admin}}.Seed(t, db)
		clock := testkit.NewClock(t0)
		svc := archive.NewService(db, policy)
		svc.Now = clock.Now
		notes := &notify.Service{Store: db, Now: clock.Now, Calendar: func() *calendar.Calendar { return policy.Calendar }}

		var mu sync.Mutex
		var calls []*http.Request
		var bodies []string
		robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			calls, bodies = append(calls, r), append(bodies, string(b))
			mu.Unlock()
			io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		}))
		defer robot.Close()
		allow := outbox.AllowList{netip.MustParsePrefix("127.0.0.0/8")}
		hooks := &outbox.Service{Store: db, Allow: allow, Now: clock.Now}
		ding := outbox.Webhook{Name: "甲所钉钉群", URL: robot.URL + "/robot/send?access_token=tok", Format: outbox.FormatDingTalk,
			Unit: "a", Secret: "SECabc", Active: true}
		if shown, err := hooks.AddWebhook(ctx, admin, &ding); err != nil || shown != "" {
			t.Fatalf("add the DingTalk robot: %q %v", shown, err)
		}
		wecom := outbox.Webhook{Name: "乙所企业微信群", URL: robot.URL + "/cgi-bin/webhook/send?key=k", Format: outbox.FormatWeCom,
			Unit: "b", Active: true}
		if _, err := hooks.AddWebhook(ctx, admin, &wecom); err != nil {
			t.Fatal(err)
		}
		bad := outbox.Webhook{Name: "x", URL: robot.URL, Format: "slack", Active: true}
		if _, err := hooks.AddWebhook(ctx, admin, &bad); minyi.ErrorCode(err) != minyi.EInvalid || !strings.Contains(err.Error(), "format") {
			t.Fatalf("an unknown format: %v", err)
		}

		unread := func(u org.User) int {
			t.Helper()
			n, err := notes.Unread(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		kinds := func(u org.User) []notify.Kind {
			t.Helper()
			p, err := notes.List(ctx, u, false, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			var out []notify.Kind
			for _, n := range p.Items {
				out = append(out, n.Kind)
			}
			return out
		}
		it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelQRCode, Unit: "a",
			Text: "楼道里有人堆放杂物，电话13812345678"})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("a new item tells its unit's staff", func(t *testing.T) {
			for _, c := range []struct {
				u    org.User
				want int
			}{{head, 1}, {li, 1}, {wang, 1}, {zhao, 0}, {boss, 0}} {
				if got := unread(c.u); got != c.want {
					t.Errorf("%s: %d unread, want %d", c.u.Name, got, c.want)
				}
			}
			if k := kinds(li); len(k) != 1 || k[0] != notify.KindDispatched {
				t.Errorf("li's: %v", k)
			}
		})
		if _, err := svc.Act(ctx, head, it.Number, archive.Command{Action: archive.ActAssign, Assignee: "li", Version: it.Version + 0}, false); err != nil {
			cur, _ := db.Item(ctx, it.Number)
			if _, err := svc.Act(ctx, head, it.Number, archive.Command{Action: archive.ActAssign, Assignee: "li", Version: cur.Version}, false); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("an assignment tells the officer alone", func(t *testing.T) {
			if unread(li) != 2 || unread(head) != 1 || unread(wang) != 1 {
				t.Errorf("unread li %d head %d wang %d", unread(li), unread(head), unread(wang))
			}
		})
		t.Run("each reads and marks only their own", func(t *testing.T) {
			p, err := notes.List(ctx, li, false, 0, 0)
			if err != nil || len(p.Items) != 2 || p.Items[0].Kind != notify.KindAssigned || p.Unread != 2 {
				t.Fatalf("li's page: %+v %v", p, err)
			}
			if strings.Contains(p.Items[0].Title, "13812345678") || p.Items[0].Record != it.Number {
				t.Errorf("notification: %+v", p.Items[0])
			}
			if err := notes.MarkRead(ctx, zhao, p.Items[0].ID); minyi.ErrorCode(err) != minyi.ENotFound {
				t.Errorf("another's notification: %v", err)
			}
			if err := notes.MarkRead(ctx, li, p.Items[0].ID); err != nil || unread(li) != 1 {
				t.Errorf("mark read: %v, %d unread", err, unread(li))
			}
			if err := notes.MarkRead(ctx, li, p.Items[0].ID); err != nil {
				t.Errorf("mark read again: %v", err)
			}
			if n, err := notes.MarkAllRead(ctx, li); err != nil || n != 1 || unread(li) != 0 || unread(wang) != 1 {
				t.Errorf("mark all read: %d %v, li %d wang %d", n, err, unread(li), unread(wang))
			}
			if _, err := notes.List(ctx, org.User{}, false, 0, 0); minyi.ErrorCode(err) != minyi.EUnauthorized {
				t.Errorf("nobody: %v", err)
			}
		})
		t.Run("due soon and overdue, once each", func(t *testing.T) {
			cur, err := db.Item(ctx, it.Number)
			if err != nil {
				t.Fatal(err)
			}
			clock.Set(cur.DueAt.Add(-2 * time.Hour))
			if n, err := notes.Run(ctx); err != nil || n < 1 {
				t.Fatalf("run: %d %v", n, err)
			}
			if n, err := notes.Run(ctx); err != nil || n != 0 {
				t.Fatalf("run again: %d %v", n, err)
			}
			// The run fell after the digest hour of a working day: the
			// unit's digest comes with the due-soon alert (li's alone).
			if k := kinds(li); !slices.Equal(k[:2], []notify.Kind{notify.KindDigest, notify.KindDueSoon}) || unread(li) != 2 || unread(wang) != 2 {
				t.Errorf("li's after due soon: %v (%d), wang %d", k, unread(li), unread(wang))
			}
			clock.Set(cur.DueAt.Add(time.Hour))
			if _, err := notes.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if k := kinds(li); k[0] != notify.KindOverdue {
				t.Errorf("li's after overdue: %v", k)
			}
		})
		t.Run("a working day's digest per unit, once", func(t *testing.T) {
			now := clock.Now().In(calendar.Zone)
			next := time.Date(now.Year(), now.Month(), now.Day(), 9, 0, 0, 0, calendar.Zone).AddDate(0, 0, 1)
			for !policy.Calendar.IsWorkingDay(next) {
				next = next.AddDate(0, 0, 1)
			}
			clock.Set(next)
			if _, err := notes.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := notes.Run(ctx); err != nil {
				t.Fatal(err)
			}
			p, err := notes.List(ctx, wang, false, 0, 0)
			if err != nil || len(p.Items) == 0 || p.Items[0].Kind != notify.KindDigest {
				t.Fatalf("wang's: %+v %v", p, err)
			}
			digests := 0
			for _, n := range p.Items {
				if n.Kind == notify.KindDigest && n.Title == next.Format(time.DateOnly) {
					digests++
				}
			}
			if d := p.Items[0].Data; digests != 1 || d["overdue"] != "1" || p.Items[0].Record != "a" {
				t.Errorf("digest: %d, %+v", digests, p.Items[0])
			}
		})
		t.Run("robots get their unit's alerts, signed", func(t *testing.T) {
			d := &outbox.Deliverer{Store: db, Allow: allow, Now: clock.Now}
			ds, err := db.Deliveries(ctx, outbox.DeliveryFilter{})
			if err != nil {
				t.Fatal(err)
			}
			slices.Reverse(ds) // oldest first, as the queue sends them
			for _, del := range ds {
				if del.WebhookID != ding.ID {
					t.Errorf("delivery to %s: %+v", del.WebhookName, del)
				}
				if strings.Contains(del.Payload, "13812345678") || strings.Contains(del.Payload, "assigned") {
					t.Errorf("payload: %s", del.Payload)
				}
				if err := d.DeliverWebhook(ctx, del.ID, false); err != nil {
					t.Fatal(err)
				}
			}
			var types []string
			for _, del := range ds {
				types = append(types, del.EventType)
			}
			// The due-soon run fell after the digest hour of a working
			// day: that day's digest, and the next day's.
			if want := []string{"alert_dispatched", "alert_due_soon", "alert_digest", "alert_overdue", "alert_digest"}; !slices.Equal(types, want) || len(calls) != len(want) {
				t.Fatalf("deliveries %v, %d calls", types, len(calls))
			}
			for i, r := range calls {
				q := r.URL.Query()
				if r.URL.Path != "/robot/send" || q.Get("access_token") != "tok" {
					t.Errorf("call %d: %s", i, r.URL)
				}
				ts := q.Get("timestamp")
				if ts != "" && q.Get("sign") != outbox.DingTalkSign("SECabc", clock.Now().UnixMilli()) {
					t.Errorf("call %d: sign %q", i, q.Get("sign"))
				}
				var body struct {
					Msgtype  string `json:"msgtype"`
					Markdown struct {
						Title string `json:"title"`
						Text  string `json:"text"`
					} `json:"markdown"`
				}
				if err := json.Unmarshal([]byte(bodies[i]), &body); err != nil || body.Msgtype != "markdown" ||
					body.Markdown.Title == "" || !strings.Contains(body.Markdown.Text, "甲派出所") {
					t.Errorf("call %d: %s %v", i, bodies[i], err)
				}
			}
			raw, _ := url.QueryUnescape(strings.SplitN(calls[0].URL.RawQuery, "sign=", 2)[1])
			if raw != outbox.DingTalkSign("SECabc", clock.Now().UnixMilli()) {
				t.Errorf("sign as sent: %q", raw)
			}
		})
	})
}
