package web_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

// The questionnaires' pages: a questionnaire built with the builder's
// buttons, published, answered by a citizen's browser without an account,
// its results with bars, and a free text turned into an item, once.
func TestSurveyPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		a := e.loggedIn(t, "officer-a")
		mustSee(t, "empty list", a.get("/staff/surveys"), 200, `href="/staff/surveys/new"`)
		p := a.submit("/staff/surveys/new", "/staff/surveys", url.Values{"title": {""}})
		mustSee(t, "no title", p, 400, `id="errors"`)
		p = a.submit("/staff/surveys/new", "/staff/surveys", url.Values{"title": {"群众意见征集问卷"}, "intro": {"请抽空填写"}})
		if p.status != 303 || !strings.HasPrefix(p.location, "/staff/surveys/") {
			t.Fatalf("create: %d %s %s", p.status, p.location, p.body)
		}
		builder := p.location
		mustSee(t, "builder", a.get(builder), 200, "群众意见征集问卷", `value="add"`)

		// The settings: the officer files it under a campaign (a bad one
		// refused beside the field, nothing changed); a leader hands it to
		// another unit, whose officer then edits it, and back.
		st, cb := e.do("POST", "/api/v1/campaigns", "leader", campaignBody("问卷所属活动"))
		if st != 201 {
			t.Fatalf("campaign: %d %v", st, cb)
		}
		cid := fmt.Sprint(int64(cb["id"].(float64)))
		settings := builderForm(t, a.open(builder))
		settings.Set("campaign", "x")
		mustSee(t, "bad campaign", a.submit(builder, builder, settings), 400, `id="errors"`, "活动编号无效")
		settings.Set("campaign", cid)
		if p := a.submit(builder, builder, settings); p.status != 303 {
			t.Fatalf("campaign set: %d %s", p.status, p.body)
		}
		mustSee(t, "in the campaign", a.get(builder), 200, `<option value="`+cid+`" selected>`)
		mustSee(t, "listed in the campaign", a.get("/staff/surveys?campaign="+cid), 200, "群众意见征集问卷")
		l := e.loggedIn(t, "leader")
		moved := builderForm(t, l.open(builder))
		moved.Set("unit", "b")
		if p := l.submit(builder, builder, moved); p.status != 303 {
			t.Fatalf("moved to b: %d %s", p.status, p.body)
		}
		if p := a.get(builder); p.status == 200 {
			t.Errorf("unit a's officer still reads a questionnaire moved to b")
		}
		mustSee(t, "b's now", e.loggedIn(t, "officer-b").get(builder), 200, "群众意见征集问卷", `value="add"`)
		moved = builderForm(t, l.open(builder))
		moved.Set("unit", "a")
		if p := l.submit(builder, builder, moved); p.status != 303 {
			t.Fatalf("moved back: %d %s", p.status, p.body)
		}

		add := func(kind, text, options string) {
			t.Helper()
			body := a.open(builder)
			form := builderForm(t, body)
			form.Set("op", "add")
			form.Set("new_kind", kind)
			form.Set("new_text", text)
			form.Set("new_options", options)
			if p := a.submit(builder, builder, form); p.status != 303 {
				t.Fatalf("add %s: %d %s", text, p.status, p.body)
			}
		}
		add("single", "您到派出所办过事吗？", "办过\n没办过")
		add("text", "您的意见建议", "")
		add("scale", "请为窗口服务打分", "")
		// The scale goes up above the text, and a bad skip is refused
		// beside its question, keeping what was typed.
		form := builderForm(t, a.open(builder))
		form.Set("op", "up:2")
		if p := a.submit(builder, builder, form); p.status != 303 {
			t.Fatalf("move: %d %s", p.status, p.body)
		}
		body := a.open(builder)
		if strings.Index(body, "请为窗口服务打分") > strings.Index(body, "您的意见建议") {
			t.Errorf("the scale did not move up")
		}
		form = builderForm(t, body)
		form.Set("questions[0].options", "办过\n没办过 => q1")
		mustSee(t, "skip backwards", a.submit(builder, builder, form), 400, `id="errors"`, "没办过 =&gt; q1")
		form = builderForm(t, a.open(builder))
		form.Set("questions[0].options", "办过\n没办过 => q2")
		form.Set("questions[0].required", "1")
		if p := a.submit(builder, builder, form); p.status != 303 {
			t.Fatalf("skip: %d %s", p.status, p.body)
		}

		body = a.open(builder)
		id := strings.TrimPrefix(builder, "/staff/surveys/")
		if p := a.submit(builder, builder+"/act", url.Values{"action": {"publish"}, "version": {versionOn(t, body)}}); p.status != 303 {
			t.Fatalf("publish: %d %s", p.status, p.body)
		}
		mustSee(t, "poster", a.get(builder+"/poster"), 200, "/surveys/"+id+"/code.svg")

		// A citizen's browser: a refusal names the question, keeps the
		// choices; the answer files once; a second answer is refused.
		c := e.staffer(t)
		public := "/surveys/" + id
		mustSee(t, "answer page", c.get(public), 200, "您到派出所办过事吗？", "直接跳到第3题")
		mustSee(t, "required", c.submit(public, public, url.Values{"q2": {"希望延长窗口时间"}}), 400, "第1题必须作答", "希望延长窗口时间")
		p = c.submit(public, public, url.Values{"q1": {"1"}, "q3": {"4"}, "q2": {"希望延长户籍窗口时间"}})
		if p.status != 303 || p.location != public+"/thanks" {
			t.Fatalf("answer: %d %s %s", p.status, p.location, p.body)
		}
		mustSee(t, "thanks", c.get(p.location), 200, "感谢")
		mustSee(t, "again", c.submit(public, public, url.Values{"q1": {"2"}}), 409, "已经填写过")

		res := a.get(builder + "/results")
		mustSee(t, "results", res, 200, "共1份答卷", "<svg", "希望延长户籍窗口时间", "转为民意条目", "平均4分")
		// The list of a period counts the answers received in it, as the
		// report's surveys.answers links there.
		today := time.Now().In(calendar.Zone).Format(time.DateOnly)
		for _, tt := range []struct {
			name, query string
			status      int
			want        string
		}{
			{"answers today", "from=" + today + "&to=" + today, 200, `data-figure="surveys.answers">1</strong>`},
			{"answers of another year", "from=2000-01-01&to=2000-12-31", 200, `data-figure="surveys.answers">0</strong>`},
			{"a bad period", "from=2000-13-01&to=" + today, 400, ""},
		} {
			mustSee(t, tt.name, a.get("/staff/surveys?"+tt.query), tt.status, tt.want)
		}
		action := regexp.MustCompile(`action="(/staff/surveys/[0-9]+/answers/[0-9]+/item)"`).FindStringSubmatch(res.body)
		if action == nil {
			t.Fatalf("no conversion form: %s", res.body)
		}
		p = a.submit(builder+"/results", action[1], url.Values{"question": {"q2"}})
		if p.status != 303 || !strings.HasPrefix(p.location, "/staff/items/") {
			t.Fatalf("convert: %d %s %s", p.status, p.location, p.body)
		}
		again := a.post(action[1], url.Values{"question": {"q2"}, "csrf_token": {a.token(builder + "/results")}})
		if again.location != p.location {
			t.Errorf("a second click: %s, want %s", again.location, p.location)
		}
		mustSee(t, "linked", a.get(builder+"/results"), 200, "已转为民意条目")
		x := a.get(builder + "/results.xlsx")
		if x.status != 200 || !strings.HasPrefix(x.body, "PK") {
			t.Errorf("export: %d", x.status)
		}

		// Closed: the page says so and takes no answer.
		if p := a.submit(builder, builder+"/act", url.Values{"action": {"close"}, "version": {versionOn(t, a.open(builder))}}); p.status != 303 {
			t.Fatalf("close: %d %s", p.status, p.body)
		}
		mustSee(t, "closed", e.staffer(t).get(public), 200, "已经结束")
	})
}

var (
	hiddenOrText = regexp.MustCompile(`<input type="(?:hidden|text|date|number)"[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"|<input id="[^"]*" name="([^"]+)" type="(?:text|date|number)" value="([^"]*)"`)
	textareas    = regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`)
	selects      = regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]+)">(.*?)</select>`)
	selectedOpt  = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	checked      = regexp.MustCompile(`<input type="checkbox" name="([^"]+)" value="1" checked>`)
	versionField = regexp.MustCompile(`name="version" value="([0-9]+)"`)
)

// builderForm reads the builder's form as the browser would send it.
func builderForm(t *testing.T, body string) url.Values {
	t.Helper()
	body = body[strings.Index(body, `<form class="stack"`):]
	form := url.Values{}
	for _, m := range hiddenOrText.FindAllStringSubmatch(body, -1) {
		if m[1] != "" {
			form.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		} else {
			form.Set(html.UnescapeString(m[3]), html.UnescapeString(m[4]))
		}
	}
	for _, m := range textareas.FindAllStringSubmatch(body, -1) {
		form.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	for _, m := range selects.FindAllStringSubmatch(body, -1) {
		if s := selectedOpt.FindStringSubmatch(m[2]); s != nil {
			form.Set(html.UnescapeString(m[1]), s[1])
		}
	}
	for _, m := range checked.FindAllStringSubmatch(body, -1) {
		form.Set(html.UnescapeString(m[1]), "1")
	}
	form.Del("csrf_token")
	return form
}

func versionOn(t *testing.T, body string) string {
	t.Helper()
	m := versionField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version on the page: %s", body)
	}
	return m[1]
}
