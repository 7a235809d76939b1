package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/reporting"
	"minyi/store"
)

// ratedAnswer files a citizen's item to unit a, has officer-a answer it and
// returns its number and access code.
func ratedAnswer(t *testing.T, e *env, text string) (number, code string) {
	t.Helper()
	sub := citizenItem(text)
	delete(sub, "category")
	sub["channel"], sub["unit"] = "qr_code", "a"
	st, created := e.do("POST", "/api/v1/items", "", sub)
	if st != http.StatusCreated {
		t.Fatalf("file: %d %v", st, created)
	}
	number, code = created["number"].(string), created["access_code"].(string)
	officer := e.loggedIn(t, "officer-a")
	mustAct(t, officer, number, url.Values{"action": {"sign"}})
	mustAct(t, officer, number, url.Values{"action": {"answer"}, "body": {"请带出生医学证明和户口簿。"}})
	return number, code
}

// The citizen rates on the tracking page as 好差评 asks: five levels and
// the optional marks; a rating below satisfied without its reason, or a
// mark outside 1–5, shows the form again (400) with each field's error and
// what was typed, and changes nothing; "very unsatisfied" with its reason
// sends the item back for redo, and staff see the level and marks.
func TestCitizenRatesWithFiveLevels(t *testing.T) {
	e := newItemDeskEnv(t)
	number, code := ratedAnswer(t, e, "新生儿落户要带什么材料？")
	v := e.visitor()
	if st, body := v.get("/track/" + number + "?code=" + code); st != http.StatusSeeOther {
		t.Fatalf("open with code: %d %.300s", st, body)
	}
	st, page := v.get("/track/" + number)
	if st != http.StatusOK {
		t.Fatalf("track: %d", st)
	}
	for _, want := range []string{`value="very_satisfied"`, "非常满意", `value="very_unsatisfied"`, "非常不满意", `name="speed"`,
		`name="result"`, `name="attitude"`, "办理速度", "服务态度"} {
		if !strings.Contains(page, want) {
			t.Errorf("the rating form lacks %q", want)
		}
	}
	before := stored(t, e, number)
	version := pageVersion.FindStringSubmatch(page)[1]

	for _, tc := range []struct {
		name   string
		form   url.Values
		errors []string
	}{
		{"below satisfied without a reason", url.Values{"satisfaction": {"basic_satisfied"}, "speed": {"3"}},
			[]string{"评价低于满意时请说明原因"}},
		{"a mark outside 1-5", url.Values{"satisfaction": {"satisfied"}, "speed": {"9"}, "reason": {"还行"}},
			[]string{"评分须为1至5分"}},
		{"an unknown level", url.Values{"satisfaction": {"great"}}, []string{"请选择非常满意、满意、基本满意、不满意或非常不满意"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("version", version)
			st, body := v.post("/track/"+number+"/rate", tc.form)
			if st != http.StatusBadRequest {
				t.Fatalf("got %d, want 400: %.500s", st, body)
			}
			for _, want := range tc.errors {
				if !strings.Contains(body, `class="field-error" role="alert">`+want) {
					t.Errorf("no field error %q", want)
				}
			}
			if s := tc.form.Get("satisfaction"); s != "great" && !strings.Contains(body, `value="`+s+`" required checked`) {
				t.Errorf("the level typed is not kept")
			}
			if r := tc.form.Get("reason"); r != "" && !strings.Contains(body, ">"+r+"</textarea>") {
				t.Errorf("the reason typed is not kept")
			}
			if after := stored(t, e, number); after.Version != before.Version || after.Satisfaction != "" {
				t.Errorf("a refused rating changed the item: %+v", after)
			}
		})
	}

	st, body := v.post("/track/"+number+"/rate", url.Values{"version": {version}, "satisfaction": {"very_unsatisfied"},
		"reason": {"窗口说还要结婚证"}, "attitude": {"1"}, "speed": {""}})
	if st != http.StatusSeeOther {
		t.Fatalf("rate: %d %.500s", st, body)
	}
	it := stored(t, e, number)
	if it.Satisfaction != archive.VeryUnsatisfied || it.Status != archive.StatusInProgress {
		t.Fatalf("after a very unsatisfied rating: %s %s, want very_unsatisfied and redo", it.Satisfaction, it.Status)
	}
	desk := itemDeskOpen(t, e.loggedIn(t, "officer-a"), number)
	for _, want := range []string{"非常不满意 · 服务态度 1分", "窗口说还要结婚证"} {
		if !strings.Contains(desk, want) {
			t.Errorf("the desk lacks %q", want)
		}
	}
	if strings.Contains(desk, "办理速度 ") {
		t.Errorf("the desk shows a mark not given")
	}
}

// Staff record a return visit at any of the five levels with the marks;
// the counters keep the three groups (非常满意 counts as satisfied) and the
// two ends again, on both databases; old three-level ratings through the
// API keep working and mean what they meant.
func TestVisitWithFiveLevels(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		officer := e.loggedIn(t, "officer-a")
		n1, _ := ratedAnswer(t, e, "身份证丢了怎么补办？")
		p := itemDeskAct(t, officer, n1, url.Values{"action": {"visit"}, "satisfaction": {"basic_satisfied"}, "speed": {"x"}})
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "评分须为1至5分") {
			t.Fatalf("a visit with a bad mark: %d", p.status)
		}
		p = itemDeskAct(t, officer, n1, url.Values{"action": {"visit"}, "satisfaction": {"basic_satisfied"}})
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "评价低于满意时请说明原因") ||
			!strings.Contains(p.body, `value="basic_satisfied" required checked`) {
			t.Fatalf("a visit below satisfied without the reason: %d", p.status)
		}
		mustAct(t, officer, n1, url.Values{"action": {"visit"}, "satisfaction": {"very_satisfied"}, "speed": {"5"}, "result": {"4"}, "attitude": {"5"}})
		if it := stored(t, e, n1); it.Satisfaction != archive.VerySatisfied || it.Status != archive.StatusVisited {
			t.Fatalf("visited: %s %s", it.Satisfaction, it.Status)
		}

		// The API: an old code is still taken, a new one with marks too;
		// bad marks and unknown levels name their fields.
		n2, _ := ratedAnswer(t, e, "户口迁移要带什么？")
		n3, _ := ratedAnswer(t, e, "居住证怎么办？")
		for _, tc := range []struct {
			number string
			body   map[string]any
			status int
			field  string
		}{
			{n2, map[string]any{"action": "visit", "satisfaction": "satisfied"}, http.StatusOK, ""},
			{n3, map[string]any{"action": "visit", "satisfaction": "superb"}, http.StatusBadRequest, "satisfaction"},
			{n3, map[string]any{"action": "visit", "satisfaction": "very_unsatisfied", "body": "没人管", "marks": map[string]any{"result": 0, "attitude": 6}},
				http.StatusBadRequest, "marks.attitude"},
			{n3, map[string]any{"action": "visit", "satisfaction": "unsatisfied"}, http.StatusBadRequest, "body"},
			{n3, map[string]any{"action": "visit", "satisfaction": "very_unsatisfied", "body": "没人管", "marks": map[string]any{"attitude": 1}}, http.StatusOK, ""},
		} {
			tc.body["version"] = stored(t, e, tc.number).Version
			st, got := e.do("POST", "/api/v1/items/"+tc.number+"/actions", "officer-a", tc.body)
			if st != tc.status {
				t.Fatalf("%v: %d %v", tc.body, st, got)
			}
			if fields, _ := got["fields"].(map[string]any); tc.field != "" && fields[tc.field] == nil {
				t.Errorf("%v: no error of field %s: %v", tc.body, tc.field, got)
			}
		}
		st, err := db.Stats(ctx, reporting.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		want := reporting.Tally{Visited: 3, Satisfied: 2, VerySatisfied: 1, Unsatisfied: 1, VeryUnsatisfied: 1}
		got := st.Tally
		got.Received, got.Valid, got.Responded, got.Answered, got.OnTime, got.Closed, got.Redone = 0, 0, 0, 0, 0, 0, 0
		if got != want {
			t.Errorf("counters %+v, want %+v", got, want)
		}
		if r := st.Rates.Satisfaction; r == nil || *r != 0.6667 {
			t.Errorf("satisfaction rate %v, want 2 of 3", r)
		}
		// The dashboard shows the five levels apart and the rate's rule.
		today := time.Now().In(calendar.Zone)
		dash := e.loggedIn(t, "leader").open("/staff/dashboard?from=" + today.AddDate(0, 0, -7).Format("2006-01-02") +
			"&to=" + today.AddDate(0, 0, 1).Format("2006-01-02"))
		i := strings.Index(dash, `id="verdicts"`)
		if i < 0 {
			t.Fatalf("the dashboard lacks the five-level distribution")
		}
		verdicts := dash[i:]
		verdicts = verdicts[:strings.Index(verdicts, "</dl>")]
		for _, want := range []string{"<dt>非常满意</dt><dd>1</dd>", "<dt>满意</dt><dd>1</dd>", "<dt>基本满意</dt><dd>0</dd>",
			"<dt>不满意</dt><dd>0</dd>", "<dt>非常不满意</dt><dd>1</dd>"} {
			if !strings.Contains(verdicts, want) {
				t.Errorf("the distribution lacks %s: %s", want, verdicts)
			}
		}
		if !strings.Contains(dash, "三档中的前两档") {
			t.Errorf("the dashboard does not define the rate by the three groups")
		}
	})
}
