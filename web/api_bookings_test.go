package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/ratelimit"
	"minyi/store"
	"minyi/web"
)

// TestAPIBookings: a point's staff set its slots, a citizen books without
// a token (rate-limited as intake), sees and cancels with the code, staff
// list the day's bookings masked and mark them; refusals name fields.
func TestAPIBookings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone))
		e := newEnv(t, db, withConfig(behindProxy(db, web.Limits{Intake: ratelimit.Rate{N: 3, Per: time.Hour},
			CodeGuess: ratelimit.Rate{N: 3, Per: time.Hour}}, clock)),
			withItems(func(s *archive.Service) { s.Now = clock.Now }))
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		st, p := e.do("POST", "/api/v1/service-points", "officer-a", map[string]any{"name": "行政审批服务中心", "unit": "a",
			"address": "新区", "services": []any{"新生儿落户"}})
		if st != 201 {
			t.Fatalf("point: %d %v", st, p)
		}
		slotsPath := fmt.Sprintf("/api/v1/service-points/%v/slots", p["id"])
		slots := []any{map[string]any{"weekdays": []any{1, 2, 3, 4, 5}, "start": "12:00", "end": "14:30", "kind": "off_peak", "capacity": 1}}
		for _, c := range []struct {
			name, user string
			body       map[string]any
			status     int
			field      string
		}{
			{"no version", "officer-a", map[string]any{"slots": slots}, 400, "version"},
			{"stale", "officer-a", map[string]any{"version": 7, "slots": slots}, 409, ""},
			{"another unit", "officer-b", map[string]any{"version": 1, "slots": slots}, 403, ""},
			{"partner", "partner", map[string]any{"version": 1, "slots": slots}, 403, ""},
			{"bad end", "officer-a", map[string]any{"version": 1, "slots": []any{map[string]any{"weekdays": []any{1}, "start": "12:00", "end": "11:00", "kind": "regular", "capacity": 1}}}, 400, "slots[0].end"},
		} {
			t.Run("slots "+c.name, func(t *testing.T) {
				st, b := e.do("PUT", slotsPath, c.user, c.body)
				if st != c.status || c.field != "" && fieldsOf(b)[c.field] == nil {
					t.Errorf("%d %v, want %d naming %q", st, b, c.status, c.field)
				}
			})
		}
		st, set := e.do("PUT", slotsPath, "officer-a", map[string]any{"version": 1, "slots": slots})
		if st != 200 || set["version"] != float64(2) {
			t.Fatalf("slots: %d %v", st, set)
		}
		slot := set["slots"].([]any)[0].(map[string]any)["id"]

		// Anybody reads the availability; the Mid-Autumn holidays have none.
		st, av := e.do("GET", slotsPath+"?from=2021-09-17&to=2021-09-22", "", nil)
		if st != 200 || fmt.Sprint(days(av)) != "[2021-09-17 2021-09-22]" {
			t.Fatalf("availability: %d %v", st, av)
		}

		req := func(day string) map[string]any {
			return map[string]any{"point": p["id"], "slot": slot, "date": day, "service": "新生儿落户", "name": "乌云",
				"phone": "13912345678", "elderly": true, "green_channel": "priority"}
		}
		for _, c := range []struct {
			name  string
			edit  func(map[string]any)
			field string
		}{
			{"holiday", func(b map[string]any) { b["date"] = "2021-09-21" }, "date"},
			{"phone", func(b map[string]any) { b["phone"] = "110" }, "phone"},
			{"green without elderly", func(b map[string]any) { b["elderly"] = false }, "green_channel"},
			{"unknown field", func(b map[string]any) { b["vip"] = true }, "vip"},
		} {
			t.Run("book "+c.name, func(t *testing.T) {
				b := req("2021-09-14")
				c.edit(b)
				st, got := e.do("POST", "/api/v1/bookings", "", b)
				if st != 400 || fieldsOf(got)[c.field] == nil {
					t.Errorf("%d %v, want 400 naming %s", st, got, c.field)
				}
			})
		}
		// A booking may name a one-stop service (一件事) by id: an unknown one
		// is refused naming service_id, a known one gives its name.
		unknown := req("2021-09-14")
		unknown["service_id"], unknown["service"] = 999, ""
		if st, got := e.do("POST", "/api/v1/bookings", "", unknown); st != 400 || fieldsOf(got)["service_id"] == nil {
			t.Errorf("unknown service: %d %v", st, got)
		}
		withService := req("2021-09-14")
		withService["service_id"], withService["service"] = osService(t, e), ""
		st, b := e.do("POST", "/api/v1/bookings", "", withService)
		if st == 201 && (b["service"] != "新生儿落户" || b["service_id"] != float64(1)) {
			t.Errorf("booked for a service: %v", b)
		}
		if st != 201 || b["status"] != "booked" || len(b["code"].(string)) != 12 || b["phone"] != "13912345678" {
			t.Fatalf("book: %d %v", st, b)
		}
		code, path := b["code"].(string), fmt.Sprintf("/api/v1/bookings/%v", b["id"])
		if st, full := e.do("POST", "/api/v1/bookings", "", req("2021-09-14")); st != 409 || !strings.Contains(full["message"].(string), "已约满") {
			t.Errorf("the last place twice: %d %v", st, full)
		}

		// The citizen reads with the code; a wrong code is 404 and counted.
		if st, got := e.do("GET", path+"?code="+code, "", nil); st != 200 || got["name"] != "乌云" || got["code"] != nil {
			t.Errorf("citizen reads: %d %v", st, got)
		}
		if st, _ := e.do("GET", path+"?code=ABCDEFGHJKMN", "", nil); st != 404 {
			t.Errorf("wrong code: %d", st)
		}
		if st, _ := e.do("GET", path, "", nil); st != 401 {
			t.Errorf("no code: %d", st)
		}

		// Staff: masked phone, their unit only, filters.
		if st, got := e.do("GET", path, "officer-a", nil); st != 200 || got["phone"] != "139****5678" || got["name"] != "乌云" {
			t.Errorf("officer reads: %d %v", st, got)
		}
		if st, _ := e.do("GET", path, "officer-b", nil); st != 403 {
			t.Errorf("another unit reads: %d", st)
		}
		if st, page := e.do("GET", "/api/v1/bookings?date=2021-09-14&green=true", "officer-a", nil); st != 200 || page["total"] != float64(1) {
			t.Errorf("the day's green channel: %d %v", st, page)
		}
		if st, page := e.do("GET", "/api/v1/bookings", "officer-b", nil); st != 200 || page["total"] != float64(0) {
			t.Errorf("another unit's list: %d %v", st, page)
		}
		if st, page := e.do("GET", "/api/v1/bookings?green=yes&date=14.9.", "officer-a", nil); st != 400 || fieldsOf(page)["green"] == nil {
			t.Errorf("bad filters: %d %v", st, page)
		}
		if st, _ := e.do("GET", "/api/v1/bookings", "", nil); st != 401 {
			t.Errorf("list without a token: %d", st)
		}

		// Staff flag an elderly citizen for the green channel at the desk;
		// the green channel without the elderly flag is refused.
		if st, got := e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "elderly": false}); st != 400 || fieldsOf(got)["green_channel"] == nil {
			t.Errorf("green channel without elderly: %d %v", st, got)
		}
		if st, _ := e.do("PATCH", path, "officer-b", map[string]any{"version": 1, "note": "x"}); st != 403 {
			t.Errorf("another unit corrects: %d", st)
		}
		if st, got := e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "green_channel": "home_visit", "note": "行动不便"}); st != 200 ||
			got["version"] != float64(2) || got["green_channel"] != "home_visit" || got["phone"] != "139****5678" {
			t.Fatalf("correct: %d %v", st, got)
		}
		if st, _ := e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "note": "x"}); st != 409 {
			t.Errorf("stale correction: %d", st)
		}

		// The citizen may only cancel; staff mark attended on the day.
		if st, _ := e.do("POST", path+"/actions", "", map[string]any{"action": "attend", "version": 1, "code": code}); st != 403 {
			t.Errorf("citizen attends: %d", st)
		}
		// A refused booking uses none of the address's allowance: the third
		// booking goes through, the fourth in the hour is refused.
		for _, day := range []string{"2021-09-15", "2021-09-16"} {
			if st, got := e.do("POST", "/api/v1/bookings", "", req(day)); st != 201 {
				t.Fatalf("booking of %s: %d %v", day, st, got)
			}
		}
		if st, _ := e.do("POST", "/api/v1/bookings", "", req("2021-09-17")); st != http.StatusTooManyRequests {
			t.Errorf("past the limit: %d", st)
		}
		clock.Set(time.Date(2021, 9, 14, 12, 5, 0, 0, calendar.Zone))
		if st, _ := e.do("POST", path+"/actions", "partner", map[string]any{"action": "attend", "version": 2}); st != 403 {
			t.Errorf("partner attends: %d", st)
		}
		if st, got := e.do("POST", path+"/actions", "officer-a", map[string]any{"action": "attend", "version": 2}); st != 200 || got["status"] != "attended" {
			t.Errorf("attend: %d %v", st, got)
		}
		if st, _ := e.do("POST", path+"/actions", "officer-a", map[string]any{"action": "no_show", "version": 2}); st != 409 {
			t.Errorf("stale: %d", st)
		}
		if st, _ := e.do("POST", path+"/actions", "", map[string]any{"action": "cancel", "version": 3, "code": code}); st != 422 {
			t.Errorf("cancel after attending: %d", st)
		}
		st, sum := e.do("GET", "/api/v1/ledgers/summary?from=2021-09-01&to=2021-09-30", "leader", nil)
		if st != 200 || !strings.Contains(fmt.Sprint(sum), "bookings:map[attended:1 booked:3 cancelled:0 extended_hours:3 green_channel:3 no_show:0]") {
			t.Errorf("summary: %d %v", st, sum)
		}
	})
}

// days are the dates of an availability answer.
func days(av map[string]any) []string {
	var out []string
	for _, a := range av["availability"].([]any) {
		out = append(out, a.(map[string]any)["date"].(string))
	}
	return out
}
