package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/store"
)

// TestBookingPages: staff keep a point's slots on its page, a citizen
// books one from the portal (twice sent, booked once), sees the code,
// finds the booking by it and cancels; staff see the day's bookings, the
// green channel marked, and mark one attended.
func TestBookingPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone))
		e := newEnv(t, db, withItems(func(s *archive.Service) {
			s.Now = clock.Now
			setNotices(&s.Notices, archive.NoticeSettings{Bureau: "测试公安局"})
		}))
		st, p := e.do("POST", "/api/v1/service-points", "officer-a", map[string]any{"name": "行政审批服务中心", "unit": "a",
			"address": "新区", "services": []any{"新生儿落户", "户籍办理"}})
		if st != 201 {
			t.Fatalf("point: %d %v", st, p)
		}
		id := fmt.Sprint(p["id"])
		officer := e.loggedIn(t, "officer-a")

		// A refused schedule shows the row again with its problem.
		slotsPage := "/staff/points/" + id + "/slots"
		bad := officer.submit(slotsPage, slotsPage, url.Values{"version": {"1"}, "weekdays0": {"1"}, "start0": {"14:00"}, "end0": {"12:00"},
			"kind0": {"regular"}, "capacity0": {"2"}, "services0": {""}})
		if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "结束时间须晚于开始时间") {
			t.Fatalf("bad slot: %d %s", bad.status, bad.body)
		}
		saved := officer.submit(slotsPage, slotsPage, url.Values{"version": {"1"},
			"weekdays0": {"1", "2", "3", "4", "5"}, "start0": {"12:00"}, "end0": {"14:30"}, "kind0": {"off_peak"}, "capacity0": {"1"}, "services0": {"新生儿落户"},
			"weekdays1": {"6"}, "start1": {"09:00"}, "end1": {"12:00"}, "kind1": {"holiday"}, "capacity1": {"5"}, "services1": {""},
			"weekdays2": nil, "start2": {""}, "end2": {""}, "kind2": {"regular"}, "capacity2": {""}, "services2": {""}})
		if saved.status != http.StatusSeeOther || saved.location != slotsPage {
			t.Fatalf("slots: %d %s %s", saved.status, saved.location, saved.body)
		}
		if body := officer.open(slotsPage); !strings.Contains(body, `value="12:00"`) || !strings.Contains(body, `name="version" value="2"`) {
			t.Errorf("the saved schedule: %s", body)
		}

		citizen := e.staffer(t)
		if body := citizen.open("/service-points"); !strings.Contains(body, `href="/service-points/`+id+`/book"`) ||
			!strings.Contains(body, "星期一、星期二、星期三、星期四、星期五 12:00–14:30") {
			t.Fatalf("no booking link on the points page: %s", body)
		}
		book := "/service-points/" + id + "/book"
		body := citizen.open(book)
		m := regexp.MustCompile(`value="(2021-09-14\|[0-9]+)"`).FindStringSubmatch(body)
		if m == nil || !strings.Contains(body, "错时服务") || strings.Contains(body, "2021-09-21") {
			t.Fatalf("the slots offered: %s", body)
		}
		form := url.Values{"choice": {m[1]}, "service": {"新生儿落户"}, "name": {"乌云"}, "phone": {"13912345678"},
			"elderly": {"1"}, "green_channel": {"priority"}, "note": {""}, "id_number": {""}}
		// A mistake shows the form again naming it, and books nothing.
		wrong := url.Values{}
		for k, v := range form {
			wrong[k] = v
		}
		wrong.Set("phone", "123")
		if p := citizen.submit(book, book, wrong); p.status != http.StatusBadRequest || !strings.Contains(p.body, "手机号码格式不正确") {
			t.Fatalf("bad phone: %d %s", p.status, p.body)
		}
		citizen.fill(book, book, form)
		first := citizen.post(book, form)
		again := citizen.post(book, form)
		if first.status != http.StatusSeeOther || !strings.HasPrefix(first.location, "/bookings/") || again.location != first.location {
			t.Fatalf("booked: %d %q, again %d %q", first.status, first.location, again.status, again.location)
		}
		mine := citizen.open(first.location)
		code := regexp.MustCompile(`id="booking-code">([A-Z0-9]{12})<`).FindStringSubmatch(mine)
		if code == nil || !strings.Contains(mine, "139****5678") || !strings.Contains(mine, "优先办理") {
			t.Fatalf("the booking page: %s", mine)
		}
		// The confirmation SMS is in the outbox, named, its code blanked
		// for the admin.
		if body := e.loggedIn(t, "admin").open("/staff/admin/notices"); !strings.Contains(body, "预约确认") || strings.Contains(body, code[1]) {
			t.Errorf("the notices page: %s", body)
		}
		// The last place is taken: another citizen is told the slot is full.
		other := e.staffer(t)
		form.Del("csrf_token")
		form.Del("form_token")
		if p := other.submit(book, book, form); p.status != http.StatusConflict || !strings.Contains(p.body, "已约满") {
			t.Errorf("full slot: %d %s", p.status, p.body)
		}
		// Another browser finds it by the code; without it, it asks for it.
		if p := other.get(first.location); p.status != http.StatusSeeOther || p.location != "/bookings" {
			t.Errorf("without the code: %d %s", p.status, p.location)
		}
		if p := other.submit("/bookings", "/bookings", url.Values{"code": {"abcd efgh jkmn"}}); p.status != http.StatusNotFound {
			t.Errorf("wrong code: %d", p.status)
		}
		if p := other.submit("/bookings", "/bookings", url.Values{"code": {strings.ToLower(code[1])}}); p.status != http.StatusSeeOther || p.location != first.location {
			t.Errorf("by code: %d %s", p.status, p.location)
		}

		// Staff: the day's bookings with the green channel marked.
		day := officer.open("/staff/bookings?date=2021-09-14")
		if !strings.Contains(day, "乌云") || !strings.Contains(day, `class="green-channel"`) || !strings.Contains(day, "139****5678") ||
			strings.Contains(day, `value="attend"`) {
			t.Fatalf("the day's bookings before the day: %s", day)
		}
		if body := e.loggedIn(t, "officer-b").open("/staff/bookings?date=2021-09-14"); strings.Contains(body, "乌云") {
			t.Errorf("another unit sees the booking")
		}
		clock.Set(time.Date(2021, 9, 14, 12, 10, 0, 0, calendar.Zone))
		bookingID := strings.TrimPrefix(first.location, "/bookings/")
		act := "/staff/bookings/" + bookingID + "/act"
		if p := officer.submit("/staff/bookings?date=2021-09-14", act, url.Values{"action": {"attend"}, "version": {"1"}, "point": {""}}); p.status != http.StatusSeeOther ||
			!strings.HasPrefix(p.location, "/staff/bookings?date=2021-09-14") {
			t.Fatalf("attend: %d %s %s", p.status, p.location, p.body)
		}
		if day := officer.open("/staff/bookings?date=2021-09-14&status=attended"); !strings.Contains(day, "乌云") {
			t.Errorf("attended: %s", day)
		}

		// A Saturday booking, cancelled by the citizen with the code.
		clock.Set(time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone))
		sat := e.staffer(t)
		body = sat.open(book)
		m = regexp.MustCompile(`value="(2021-09-18\|[0-9]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no Saturday slot: %s", body)
		}
		form.Set("choice", m[1])
		form.Set("green_channel", "")
		form.Del("form_token")
		form.Del("csrf_token")
		p2 := sat.submit(book, book, form)
		if p2.status != http.StatusSeeOther {
			t.Fatalf("Saturday: %d %s", p2.status, p2.body)
		}
		if p := sat.submit(p2.location, p2.location+"/cancel", url.Values{"version": {"1"}}); p.status != http.StatusSeeOther {
			t.Fatalf("cancel: %d %s", p.status, p.body)
		}
		if body := sat.open(p2.location); !strings.Contains(body, "预约已取消") || strings.Contains(body, "/cancel") {
			t.Errorf("cancelled: %s", body)
		}

		// The booking pages in English and traditional Chinese.
		for lang, want := range map[string]string{"en": "Day and time", "zh-TW": "預約日期和時段"} {
			b := e.staffer(t)
			b.lang = lang
			if body := b.open(book); !strings.Contains(body, want) {
				t.Errorf("%s: no %q", lang, want)
			}
		}
	})
}
