package web_test

import (
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

// TestItemListsByAnswerDay: the items' API, the inbox and their exports
// take the days of answer and of closure (answered_from … closed_to); a
// list naming nothing else has its total; a bad day is refused naming its
// field in Chinese and English.
func TestItemListsByAnswerDay(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var numbers []string
		for _, text := range []string{"户籍：已答复的", "户籍：未答复的"} {
			st, b := e.do("POST", "/api/v1/items", "", citizenItem(text))
			if st != 201 {
				t.Fatalf("item: %d %v", st, b)
			}
			numbers = append(numbers, b["number"].(string))
		}
		version := 1.0
		for _, s := range []struct {
			user string
			cmd  map[string]any
		}{
			{"leader", map[string]any{"action": "dispatch", "unit": "a"}},
			{"officer-a", map[string]any{"action": "sign"}},
			{"officer-a", map[string]any{"action": "answer", "body": "请带户口簿。"}},
		} {
			s.cmd["version"] = version
			st, it := e.do("POST", "/api/v1/items/"+numbers[0]+"/actions", s.user, s.cmd)
			if st != 200 {
				t.Fatalf("%v: %d %v", s.cmd["action"], st, it)
			}
			version = it["version"].(float64)
		}
		today := time.Now().In(calendar.Zone)
		day, yesterday := today.Format(time.DateOnly), today.AddDate(0, 0, -1).Format(time.DateOnly)

		for _, tc := range []struct {
			user, query string
			want        []string
			total       any
		}{
			{"officer-a", "answered_from=" + day + "&answered_to=" + day, numbers[:1], 1.0},
			{"leader", "answered_from=" + day, numbers[:1], 1.0},
			{"officer-b", "answered_from=" + day + "&answered_to=" + day, nil, 0.0},
			{"officer-a", "answered_to=" + yesterday, nil, 0.0},
			{"officer-a", "answered_from=" + day + "&status=signed", nil, nil},
			{"officer-a", "closed_from=" + yesterday + "&closed_to=" + day, nil, 0.0},
		} {
			st, b := e.do("GET", "/api/v1/items?"+tc.query, tc.user, nil)
			var got []string
			for _, it := range b["items"].([]any) {
				got = append(got, it.(map[string]any)["number"].(string))
			}
			if st != 200 || strings.Join(got, ",") != strings.Join(tc.want, ",") || b["total"] != tc.total {
				t.Errorf("%s %s: %d %v total %v, want %v total %v", tc.user, tc.query, st, got, b["total"], tc.want, tc.total)
			}
		}

		for _, bad := range []struct{ query, field, zh string }{
			{"answered_from=2021-13-01", "answered_from", "答复日期"}, {"answered_to=yesterday", "answered_to", "答复日期"},
			{"closed_from=1.5.2021", "closed_from", "销号日期"}, {"closed_to=2021-02-30", "closed_to", "销号日期"},
		} {
			for _, path := range []string{"/api/v1/items?", "/api/v1/items?format=csv&"} {
				st, b := e.do("GET", path+bad.query, "officer-a", nil)
				if m, _ := fieldsOf(b)[bad.field].(string); st != 400 || !strings.Contains(m, bad.zh) || !strings.Contains(m, bad.field+" must be") {
					t.Errorf("%s%s: %d %v, want 400 naming %s in Chinese and English", path, bad.query, st, b, bad.field)
				}
			}
		}

		// The exports of the API and of the inbox hold the same items.
		rows := csvRows(t, e.send("GET", "/api/v1/items?format=csv&answered_from="+day+"&answered_to="+day, "officer-a", "", ""))
		if len(rows) != 2 || !strings.Contains(rows[1][0]+strings.Join(rows[1], ","), numbers[0]) {
			t.Errorf("the API's CSV: %q", rows)
		}
		officer := e.loggedIn(t, "officer-a")
		inbox := "/staff?queue=all&answered_from=" + day + "&answered_to=" + day
		p := officer.get(inbox)
		mustSee(t, "the inbox", p, 200, `name="answered_from" value="`+day+`"`, `name="answered_to" value="`+day+`"`, `name="closed_from" value=""`,
			`id="total"`, numbers[0], "答复日期从")
		if strings.Contains(p.body, numbers[1]) {
			t.Errorf("the inbox lists the unanswered %s", numbers[1])
		}
		a := officer.get(inbox + "&format=csv")
		if a.status != 200 || !strings.Contains(a.body, numbers[0]) || strings.Contains(a.body, numbers[1]) {
			t.Errorf("the inbox's CSV: %d %.300s", a.status, a.body)
		}
		if p := officer.get("/staff?queue=all&closed_to=soon"); p.status != 400 || !strings.Contains(p.body, "closed_to") {
			t.Errorf("the inbox with a bad day: %d, want 400 naming closed_to", p.status)
		}
	})
}
