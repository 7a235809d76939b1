package web_test

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestWriteFormRefusalIsExplained: a refused write-in shows an error
// summary whose entries link to their fields in the form's order, each
// field's own message beside it, asks for the chosen photos again by
// name, and refuses a phone given with "anonymous" instead of dropping it.
func TestWriteFormRefusalIsExplained(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		v := e.visitor()

		t.Run("the form marks what is required", func(t *testing.T) {
			_, body := v.get("/write")
			if n := strings.Count(body, `class="req"`); n != 2 {
				t.Errorf("%d required marks, want 2 (kind and text)", n)
			}
			for _, want := range []string{"带 * 的是必填项", `id="phone-hint"`, "0477-6211234", `href="/privacy"`, "提交即表示您同意", "匿名留言时我们不保存您的姓名和电话"} {
				if !strings.Contains(body, want) {
					t.Errorf("the form lacks %q", want)
				}
			}
		})

		tests := []struct {
			name   string
			form   url.Values
			photos map[string][]byte
			links  []string // the summary's links, in order
			want   []string
		}{
			{"no kind, no text, bad phone", url.Values{"phone": {"12345"}}, nil,
				[]string{"kind", "text", "phone"}, []string{"有问题需要您处理", `id="phone-error"`, "电话号码格式不正确"}},
			{"anonymous with a phone", url.Values{"kind": {"help"}, "text": {"路灯坏了"}, "phone": {"13912345678"}, "anonymous": {"1"}}, nil,
				[]string{"anonymous"}, []string{"匿名留言请不要填写姓名、电话或身份证号", `value="13912345678"`}},
			{"photos lost", url.Values{"kind": {"help"}}, map[string][]byte{"路灯.jpg": []byte("not a photo")},
				[]string{"text", "photos"}, []string{"照片没有保存，请重新选择", "路灯.jpg"}},
		}
		link := regexp.MustCompile(`<li><a href="#([a-z-]+)">`)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st, body := v.postFiles("/write", v.writeForm(tt.form), tt.photos)
				if st != http.StatusBadRequest {
					t.Fatalf("%d, want 400: %s", st, body)
				}
				summary, _, _ := strings.Cut(body[strings.Index(body, `class="error-summary"`):], "</div>")
				var got []string
				for _, m := range link.FindAllStringSubmatch(summary, -1) {
					got = append(got, m[1])
				}
				if strings.Join(got, " ") != strings.Join(tt.links, " ") {
					t.Errorf("the summary links to %v, want %v", got, tt.links)
				}
				for _, id := range got {
					if !strings.Contains(body, `id="`+id+`"`) {
						t.Errorf("the summary links to #%s, which is not on the page", id)
					}
				}
				for _, want := range tt.want {
					if !strings.Contains(body, want) {
						t.Errorf("the page lacks %q", want)
					}
				}
			})
		}
		if page, err := e.svc.List(ctx, org.User{Name: "admin", Role: org.RoleAdmin}, archive.Filter{}); err != nil || len(page.Items) != 0 {
			t.Errorf("a refused form filed something: %d items, %v", len(page.Items), err)
		}
	})
}

// TestAskForm: the online desk's short form files a consultation on the
// desk's channel from the question alone, with the citizen's consent to
// publish, and leads to the receipt.
func TestAskForm(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		v := e.visitor()
		_, desk := v.get("/desk")
		if !strings.Contains(desk, `href="/ask"`) {
			t.Errorf("the desk does not lead to the ask form")
		}
		_, body := v.get("/ask")
		for _, want := range []string{`name="text"`, `name="phone"`, `name="publish" value="1" checked`, `href="/privacy"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the ask form lacks %q", want)
			}
		}
		token := formTokenOnPage.FindStringSubmatch(body)[1]
		st, answer := v.post("/ask", url.Values{"text": {""}, "form_token": {token}})
		if st != http.StatusBadRequest || !strings.Contains(answer, `<a href="#text">`) {
			t.Fatalf("an empty question: %d %s", st, answer)
		}
		st, answer = v.post("/ask", url.Values{"text": {"办身份证要带什么？"}, "phone": {"0477 6211234"}, "publish": {"1"}, "form_token": {token}})
		if st != http.StatusSeeOther {
			t.Fatalf("asking: %d %s", st, answer)
		}
		number, _ := v.receipt(answer)
		view, err := e.svc.Get(ctx, org.User{Name: "admin", Role: org.RoleAdmin}, number)
		if err != nil {
			t.Fatal(err)
		}
		it := view.Item
		if it.Kind != archive.KindConsultation || it.Channel != archive.ChannelOnlineDesk || !it.Publish || it.Text != "办身份证要带什么？" {
			t.Errorf("filed as %s on %s, publish %v: %q", it.Kind, it.Channel, it.Publish, it.Text)
		}
	})
}

// TestSiteFooterAndPrivacy: every page's footer names the organiser, the
// duty phone, the privacy notice and the filing numbers the admin set.
func TestSiteFooterAndPrivacy(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		v := e.visitor()
		_, body := v.get("/")
		if !strings.Contains(body, `href="/privacy"`) || strings.Contains(body, "beian.miit.gov.cn") {
			t.Errorf("the footer before the settings: %s", body[strings.Index(body, "<footer"):])
		}
		admin := e.loggedIn(t, "admin")
		p := admin.submit("/staff/admin/settings", "/staff/admin/settings", url.Values{"section": {"site"},
			"organiser": {"测试局"}, "icp_filing": {"蒙ICP备2021000001号-1"}, "psb_filing": {"蒙公网安备15062402000001号"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("saving the site's particulars: %d %s", p.status, p.body)
		}
		p = admin.submit("/staff/admin/settings", "/staff/admin/settings", url.Values{"section": {"site"},
			"organiser": {"别的局"}, "icp_filing": {strings.Repeat("号", 81)}, "psb_filing": {"蒙公网安备15062402000001号"}})
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "不能超过80字") || !strings.Contains(p.body, `value="别的局"`) {
			t.Errorf("a filing number too long: %d", p.status)
		}
		// The refused form changed nothing, not even its good fields: the
		// footer below still names 测试局.
		for _, path := range []string{"/", "/write", "/ask", "/desk", "/track", "/privacy"} {
			_, body := v.get(path)
			foot := body[strings.Index(body, "<footer"):]
			for _, want := range []string{"主办单位：测试局", `href="/privacy"`, "蒙ICP备2021000001号-1", "蒙公网安备15062402000001号", "https://beian.miit.gov.cn/"} {
				if !strings.Contains(foot, want) {
					t.Errorf("%s: the footer lacks %q", path, want)
				}
			}
		}
		_, privacy := v.get("/privacy")
		for _, want := range []string{"本网站由测试局主办", "我们收集什么", "为什么收集", "保存多久", "谁能看到", "139****5678"} {
			if !strings.Contains(privacy, want) {
				t.Errorf("the privacy notice lacks %q", want)
			}
		}
	})
}

// postFiles submits a multipart form with files in its "photos" field.
func (v *visitor) postFiles(path string, form url.Values, files map[string][]byte) (int, string) {
	v.e.t.Helper()
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", v.csrf())
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, x := range vs {
			mw.WriteField(k, x)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("photos", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", v.e.url+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", "zh-CN")
	return v.send(req)
}

// publishedQuestion files text as a citizen's question on the online desk
// and has unit a answer it in public, and returns its number.
func publishedQuestion(t *testing.T, e *env, text, answer string) string {
	t.Helper()
	item := citizenItem(text)
	item["channel"], item["publish"] = "online_desk", true
	st, created := e.do("POST", "/api/v1/items", "", item)
	if st != 201 {
		t.Fatalf("file: %d %v", st, created)
	}
	number := created["number"].(string)
	for _, step := range []struct {
		user string
		cmd  map[string]any
	}{
		{"leader", map[string]any{"action": "dispatch", "unit": "a"}},
		{"officer-a", map[string]any{"action": "sign"}},
		{"officer-a", map[string]any{"action": "answer", "body": answer}},
	} {
		_, it := e.do("GET", "/api/v1/items/"+number, step.user, nil)
		step.cmd["version"] = it["item"].(map[string]any)["version"]
		if st, body := e.do("POST", "/api/v1/items/"+number+"/actions", step.user, step.cmd); st != 200 {
			t.Fatalf("%v: %d %v", step.cmd, st, body)
		}
	}
	return number
}

// TestDeskShowsEachQuestionOnce: the desk counts its entries, shows them
// newest first, the same question once with how many asked it and a link
// to them, marks the terms searched in either script, and shows every text
// in the reader's script.
func TestDeskShowsEachQuestionOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		first := publishedQuestion(t, e, "身份证丢了在哪里补办？", "请带户口簿到户籍窗口补办。")
		second := publishedQuestion(t, e, "駕駛證怎麼換領？", "请到车管所办理。")
		again := publishedQuestion(t, e, "身份证丢了，在哪里补办", "请带户口簿到户籍窗口补办。")
		v := e.visitor()
		articles := regexp.MustCompile(`<h2><a href="/desk/([0-9-]+)">`)
		numbers := func(body string) []string {
			var out []string
			for _, m := range articles.FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return out
		}

		_, body := v.get("/desk")
		if !strings.Contains(body, "共有2条公开问答") {
			t.Errorf("no count of 2 entries on the desk: %s", body[strings.Index(body, "<main"):strings.Index(body, "<article")])
		}
		if got := numbers(body); strings.Join(got, " ") != again+" "+second {
			t.Errorf("the desk shows %v, want %s (for %s too) and %s, newest first", got, again, first, second)
		}
		if !strings.Contains(body, `<a href="/desk?same=`+again+`">2人问过同样的问题</a>`) {
			t.Errorf("the entry does not say that 2 asked the same, with a link to them")
		}
		_, asked := v.get("/desk?same=" + again)
		if got := numbers(asked); strings.Join(got, " ") != again+" "+first || !strings.Contains(asked, "2人问过这个问题") {
			t.Errorf("the askers' page shows %v, want %s and %s with their count", got, again, first)
		}
		if st, _ := v.get("/desk?same=" + second + "0"); st != http.StatusNotFound {
			t.Errorf("the askers of a question not on the desk: %d, want 404", st)
		}
		if !strings.Contains(body, "驾驶证怎么换领") || strings.Contains(body, "駕駛證") {
			t.Errorf("a question written in traditional characters is not shown in simplified")
		}

		_, body = v.get("/desk?q=" + url.QueryEscape("戶籍"))
		if !strings.Contains(body, "找到2条与“戶籍”有关的问答") {
			t.Errorf("no count of the search's 2 results")
		}
		if !strings.Contains(body, "相同的问题还有1条") || !strings.Contains(body, `href="/desk/`+first+`"`) {
			t.Errorf("the same question found twice is not under the newest")
		}
		if !strings.Contains(body, "<mark>户籍</mark>") {
			t.Errorf("the search's term is not marked")
		}
		if strings.Contains(body, "<mark>请") {
			t.Errorf("marks beyond the term")
		}
		_, body = v.get("/desk?sort=relevance&q=" + url.QueryEscape("户籍"))
		if !strings.Contains(body, `<span aria-current="true">最相关</span>`) {
			t.Errorf("the relevance order is not shown as chosen")
		}

		req, _ := http.NewRequest("GET", e.url+"/desk?q="+url.QueryEscape("户籍"), nil)
		req.Header.Set("Accept-Language", "zh-TW")
		_, body = v.send(req)
		if !strings.Contains(body, "<mark>戶籍</mark>") || !strings.Contains(body, "身份證") {
			t.Errorf("a reader of traditional Chinese does not get the desk in traditional characters")
		}
		for _, path := range []string{"/desk/" + second, "/"} {
			if _, body := v.get(path); !strings.Contains(body, "驾驶证怎么换领") {
				t.Errorf("%s does not show the question in the reader's script", path)
			}
		}
	})
}

// TestDeskPagesByEntry: the desk's pages hold 20 entries each, a question
// asked again counted and shown once whichever page its askers fall on,
// and the next page follows on without repeating one.
func TestDeskPagesByEntry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		officer := org.User{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}
		leader := org.User{Name: "leader", Role: org.RoleLeader}
		ask := func(text string) string {
			t.Helper()
			it, _, err := e.svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineDesk,
				Category: "hukou", Text: text, Publish: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, step := range []struct {
				u   org.User
				cmd archive.Command
			}{{leader, archive.Command{Action: archive.ActDispatch, Unit: "a"}}, {officer, archive.Command{Action: archive.ActSign}},
				{officer, archive.Command{Action: archive.ActAnswer, Body: "请到户籍窗口办理。"}}} {
				view, err := e.svc.Get(ctx, leader, it.Number)
				if err != nil {
					t.Fatal(err)
				}
				step.cmd.Version = view.Item.Version
				if _, err := e.svc.Act(ctx, step.u, it.Number, step.cmd, false); err != nil {
					t.Fatal(err)
				}
			}
			return it.Number
		}
		// The oldest asks what 21 others after it ask too, one of them the
		// newest of all: its entry is the first, and no other page shows it.
		asked := ask("晚上能办身份证吗？")
		var want []string
		for i := range 21 {
			want = append([]string{ask(fmt.Sprintf("第%d个问题：户口怎么迁？", i+1))}, want...)
		}
		newest := ask("晚上能办身份证吗")
		want = append([]string{newest}, want...)
		articles := regexp.MustCompile(`<h2><a href="/desk/([0-9-]+)">`)
		next := regexp.MustCompile(`<a rel="next" href="/desk\?cursor=([^"]+)">`)
		v := e.visitor()
		var got []string
		path := "/desk"
		for page := 1; path != ""; page++ {
			_, body := v.get(path)
			if !strings.Contains(body, "共有22条公开问答") {
				t.Errorf("page %d does not count 22 entries", page)
			}
			n := 0
			for _, m := range articles.FindAllStringSubmatch(body, -1) {
				got, n = append(got, m[1]), n+1
			}
			if page == 1 && (n != 20 || !strings.Contains(body, `<a href="/desk?same=`+newest+`">2人问过同样的问题</a>`)) {
				t.Errorf("the first page shows %d entries, want 20 with the one asked twice", n)
			}
			path = ""
			if m := next.FindStringSubmatch(body); m != nil {
				path = "/desk?cursor=" + html.UnescapeString(m[1])
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("the pages show %v, want %v (not %s, asked again since)", got, want, asked)
		}
	})
}
