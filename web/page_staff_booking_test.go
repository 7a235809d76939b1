package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/store"
)

// TestStaffBookingPage: one booking for staff, linked from the day's list
// and the notices page: the citizen's phone masked, another unit refused,
// a correction refused for the green channel without the elderly flag,
// then made and in the history, a stale correction and a second tap of an
// action shown again with 409, an action taken from the page.
func TestStaffBookingPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone))
		e := newEnv(t, db, withItems(func(s *archive.Service) {
			s.Now = clock.Now
			setNotices(&s.Notices, archive.NoticeSettings{Bureau: "测试公安局"})
		}))
		st, p := e.do("POST", "/api/v1/service-points", "officer-a", map[string]any{"name": "行政审批服务中心", "unit": "a",
			"address": "新区", "services": []any{"新生儿落户"}})
		if st != 201 {
			t.Fatalf("point: %d %v", st, p)
		}
		slotsPath := fmt.Sprintf("/api/v1/service-points/%v/slots", p["id"])
		st, set := e.do("PUT", slotsPath, "officer-a", map[string]any{"version": 1, "slots": []any{
			map[string]any{"weekdays": []any{1, 2, 3, 4, 5}, "start": "12:00", "end": "14:30", "kind": "off_peak", "capacity": 2}}})
		if st != 200 {
			t.Fatalf("slots: %d %v", st, set)
		}
		st, b := e.do("POST", "/api/v1/bookings", "", map[string]any{"point": p["id"], "slot": set["slots"].([]any)[0].(map[string]any)["id"],
			"date": "2021-09-14", "service": "新生儿落户", "name": "乌云", "phone": "13912345678"})
		if st != 201 {
			t.Fatalf("book: %d %v", st, b)
		}
		page := fmt.Sprintf("/staff/bookings/%v", b["id"])
		officer := e.loggedIn(t, "officer-a")
		if day := officer.open("/staff/bookings?date=2021-09-14"); !strings.Contains(day, `href="`+page+`"`) {
			t.Fatalf("no link from the day's list: %s", day)
		}
		if body := e.loggedIn(t, "admin").open("/staff/admin/notices"); !strings.Contains(body, `href="`+page+`"`) {
			t.Errorf("no link from the notices page: %s", body)
		}
		body := officer.open(page)
		if !strings.Contains(body, "乌云") || !strings.Contains(body, "139****5678") || strings.Contains(body, "13912345678") ||
			!strings.Contains(body, `id="correct"`) || !strings.Contains(body, "错时服务") {
			t.Fatalf("the booking's page: %s", body)
		}
		if p := e.loggedIn(t, "officer-b").get(page); p.status != http.StatusForbidden {
			t.Errorf("another unit reads it: %d", p.status)
		}

		correct := url.Values{"version": {"1"}, "service": {"新生儿落户"}, "green_channel": {"priority"}, "note": {"行动不便"}}
		for _, tc := range []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"green channel without elderly", correct, http.StatusBadRequest, "绿色通道仅限老年人"},
			{"stale", url.Values{"version": {"7"}, "service": {"新生儿落户"}, "green_channel": {""}, "note": {""}}, http.StatusConflict, `id="errors"`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := officer.submit(page, page, tc.form)
				if got.status != tc.status || !strings.Contains(got.body, tc.want) {
					t.Fatalf("%d %s", got.status, got.body)
				}
			})
		}
		if got, err := db.Booking(t.Context(), int64(b["id"].(float64))); err != nil || got.Version != 1 || got.Green != "" {
			t.Fatalf("written on refusal: %+v %v", got, err)
		}
		correct.Set("elderly", "1")
		if got := officer.submit(page, page, correct); got.status != http.StatusSeeOther || got.location != page {
			t.Fatalf("corrected: %d %s %s", got.status, got.location, got.body)
		}
		body = officer.open(page)
		if !strings.Contains(body, "优先办理") || !strings.Contains(body, "更正：") || !strings.Contains(body, "行动不便") ||
			!strings.Contains(body, `name="version" value="2"`) {
			t.Fatalf("after the correction: %s", body)
		}
		// The history says what each field became, but never the note's
		// words, which may name people.
		history := body[strings.Index(body, `id="timeline"`):]
		for _, want := range []string{"老年人 → 是", "老年人绿色通道 → 优先办理", "备注（已修改"} {
			if !strings.Contains(history, want) {
				t.Errorf("the history lacks %q: %s", want, history)
			}
		}
		if strings.Contains(history, "行动不便") {
			t.Errorf("the history shows the note's words: %s", history)
		}

		// On the day, attended from the page; a second tap of the same
		// form is shown again with 409.
		clock.Set(time.Date(2021, 9, 14, 12, 10, 0, 0, calendar.Zone))
		act := page + "/act"
		attend := url.Values{"version": {"2"}, "action": {"attend"}, "back": {"booking"}}
		if got := officer.submit(page, act, attend); got.status != http.StatusSeeOther || got.location != page {
			t.Fatalf("attend: %d %s %s", got.status, got.location, got.body)
		}
		if got := officer.post(act, attend); got.status != http.StatusConflict || !strings.Contains(got.body, "已到场办理") {
			t.Fatalf("attend twice: %d %s", got.status, got.body)
		}
	})
}

// TestCitizenCancelsTwice: a citizen's second tap of the cancel button (or
// the form sent again from the browser's history) lands on the cancelled
// booking as the first did, not on a conflict; the booking is cancelled
// once, by the citizen.
func TestCitizenCancelsTwice(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone))
		e := newEnv(t, db, withItems(func(s *archive.Service) { s.Now = clock.Now }))
		st, p := e.do("POST", "/api/v1/service-points", "officer-a", map[string]any{"name": "行政审批服务中心", "unit": "a",
			"address": "新区", "services": []any{"新生儿落户"}})
		if st != 201 {
			t.Fatalf("point: %d %v", st, p)
		}
		st, set := e.do("PUT", fmt.Sprintf("/api/v1/service-points/%v/slots", p["id"]), "officer-a", map[string]any{"version": 1,
			"slots": []any{map[string]any{"weekdays": []any{1, 2, 3, 4, 5}, "start": "12:00", "end": "14:30", "kind": "off_peak", "capacity": 2}}})
		if st != 200 {
			t.Fatalf("slots: %d %v", st, set)
		}
		st, b := e.do("POST", "/api/v1/bookings", "", map[string]any{"point": p["id"], "slot": set["slots"].([]any)[0].(map[string]any)["id"],
			"date": "2021-09-14", "service": "新生儿落户", "name": "乌云", "phone": "13912345678"})
		if st != 201 {
			t.Fatalf("book: %d %v", st, b)
		}
		citizen := e.staffer(t)
		found := citizen.submit("/bookings", "/bookings", url.Values{"code": {b["code"].(string)}})
		mine := fmt.Sprintf("/bookings/%v", b["id"])
		if found.status != http.StatusSeeOther || found.location != mine {
			t.Fatalf("by code: %d %s", found.status, found.location)
		}
		cancel := url.Values{"version": {"1"}}
		citizen.fill(mine, mine+"/cancel", cancel)
		for i := range 2 {
			if got := citizen.post(mine+"/cancel", cancel); got.status != http.StatusSeeOther || got.location != mine {
				t.Fatalf("tap %d: %d %s %s", i+1, got.status, got.location, got.body)
			}
		}
		got, err := db.Booking(t.Context(), int64(b["id"].(float64)))
		if err != nil || got.Status != "cancelled" || got.CancelledBy != "citizen" || got.Version != 2 {
			t.Fatalf("cancelled %+v, %v", got, err)
		}
		if body := citizen.open(mine); !strings.Contains(body, "预约已取消") || strings.Contains(body, "/cancel") {
			t.Errorf("cancelled: %s", body)
		}
	})
}
