package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi/internal/testdb"
	"minyi/ratelimit"
	"minyi/store"
	"minyi/web"
)

// postMultipart sends a form with photos as the tracking page's addition
// form does, with the visitor's anti-forgery token.
func (v *visitor) postMultipart(path string, form url.Values, photos map[string][]byte) (int, string) {
	v.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", v.csrf())
	}
	for k, vs := range form {
		for _, x := range vs {
			mw.WriteField(k, x)
		}
	}
	for name, data := range photos {
		fw, _ := mw.CreateFormFile("photos", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", v.e.url+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", "zh-CN")
	return v.send(req)
}

var versionOnPage = regexp.MustCompile(`name="version" value="(\d+)"`)

// TestTrackingPage follows an item on its tracking page on both databases:
// the stepper with the current step and its due date, an addition with a
// photo that the item desk points out, a refused addition that changes
// nothing, the answer first, the redo with the citizen's reason, and a
// withdrawal confirmed on a page of its own, sent twice without harm.
func TestTrackingPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		v := e.visitor()
		number, code := v.writeIn(url.Values{"kind": {"help"}, "text": {"村口路灯坏了"}, "category": {"hukou"}})
		path := "/track/" + number
		version := func(body string) string {
			t.Helper()
			m := versionOnPage.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no version on the page: %s", body)
			}
			return m[1]
		}

		t.Run("stepper", func(t *testing.T) {
			st, body := v.get(path)
			if st != http.StatusOK {
				t.Fatalf("%d %s", st, body)
			}
			for _, want := range []string{`<ol class="stepper" id="progress"`, `class="done"><span class="dot" aria-hidden="true">✓</span>受理`,
				`class="current" aria-current="step">`, `id="step-now">当前：派单 · 答复期限`,
				`action="/track/` + number + `/add" enctype="multipart/form-data"`, `href="/track/` + number + `/withdraw"`} {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if strings.Count(body, `aria-current="step"`) != 1 {
				t.Errorf("not exactly one current step")
			}
		})

		t.Run("add with a photo", func(t *testing.T) {
			_, body := v.get(path)
			st, ans := v.postMultipart(path+"/add", url.Values{"version": {version(body)}, "body": {"晚上八点以后全黑"}},
				map[string][]byte{"lamp.png": onePixelPNG})
			if st != http.StatusSeeOther {
				t.Fatalf("add: %d %s", st, ans)
			}
			_, body = v.get(path)
			if !strings.Contains(body, "您补充了信息") || !strings.Contains(body, "晚上八点以后全黑") || !strings.Contains(body, `alt="照片1"`) {
				t.Fatalf("the addition is not on the page: %s", body)
			}
			photo := regexp.MustCompile(`src="(/track/` + number + `/photos/\d+)"`).FindStringSubmatch(body)
			if photo == nil {
				t.Fatal("no thumbnail")
			}
			req, _ := http.NewRequest("GET", e.url+photo[1], nil)
			resp, err := v.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if cd := resp.Header.Get("Content-Disposition"); resp.StatusCode != 200 || !strings.Contains(cd, `filename=`+number+`-1.png`) {
				t.Fatalf("photo: %d, Content-Disposition %q", resp.StatusCode, cd)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("the citizen's photo: Cache-Control %q, want private, no-store", cc)
			}
			apiPhoto := "/api/v1/items/" + number + "/photos/" + photo[1][strings.LastIndex(photo[1], "/")+1:]
			for _, c := range []struct{ who, path, token, want string }{
				{"citizen", apiPhoto + "?access_code=" + code, "", "private, no-store"},
				{"staff", apiPhoto, e.tokens["leader"], "private, max-age=86400"},
			} {
				req, _ := http.NewRequest("GET", e.url+c.path, nil)
				if c.token != "" {
					req.Header.Set("Authorization", "Bearer "+c.token)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if cc := resp.Header.Get("Cache-Control"); resp.StatusCode != 200 || cc != c.want {
					t.Errorf("the API's photo for the %s: %d, Cache-Control %q, want %q", c.who, resp.StatusCode, cc, c.want)
				}
			}
			leader := e.loggedIn(t, "leader")
			if p := leader.get("/staff/items/" + number + "/photos/" + photo[1][strings.LastIndex(photo[1], "/")+1:]); p.status != 200 {
				t.Fatalf("the staff's photo: %d", p.status)
			}
			desk := leader.open("/staff/items/" + number)
			if !strings.Contains(desk, `id="new-info"`) || !strings.Contains(desk, "群众补充了 1 条信息") || !strings.Contains(desk, "群众补充") {
				t.Fatalf("the item desk does not point out the addition: %s", desk)
			}
			if notes := e.loggedIn(t, "officer-a").open("/staff/notifications"); !strings.Contains(notes, "群众补充") || !strings.Contains(notes, number) {
				t.Fatalf("the unit's officer is not told of the addition: %s", notes)
			}
		})

		t.Run("refused addition", func(t *testing.T) {
			_, body := v.get(path)
			before := version(body)
			st, ans := v.postMultipart(path+"/add", url.Values{"version": {before}, "body": {"还有一件事"}},
				map[string][]byte{"a.txt": []byte("not a photo")})
			if st != http.StatusUnprocessableEntity && st != http.StatusBadRequest {
				t.Fatalf("a file that is not a photo: %d", st)
			}
			if !strings.Contains(ans, "只接受JPEG、PNG、GIF或WebP照片") || !strings.Contains(ans, "还有一件事") {
				t.Fatalf("the refusal does not say why or loses the text: %s", ans)
			}
			if st, _ := v.postMultipart(path+"/add", url.Values{"version": {before}, "body": {" "}}, nil); st != http.StatusUnprocessableEntity && st != http.StatusBadRequest {
				t.Fatalf("no text: %d", st)
			}
			if st, _ := v.postMultipart(path+"/add", url.Values{"version": {before}, "body": {"x"}, "csrf_token": {""}}, nil); st != http.StatusForbidden {
				t.Fatalf("without the anti-forgery token: %d", st)
			}
			if _, body := v.get(path); version(body) != before {
				t.Fatal("a refused addition changed the item")
			}
			stranger := e.visitor()
			if st, ans := stranger.postMultipart(path+"/add", url.Values{"version": {before}, "body": {"冒充"}}, nil); st != http.StatusSeeOther || !strings.Contains(ans, "/track?number=") {
				t.Fatalf("without the access code: %d %s", st, ans)
			}
		})

		t.Run("withdraw, twice", func(t *testing.T) {
			st, body := v.get(path + "/withdraw")
			if st != http.StatusOK || !strings.Contains(body, `id="confirm-withdraw"`) || !strings.Contains(body, "村口路灯坏了") {
				t.Fatalf("confirmation: %d %s", st, body)
			}
			form := url.Values{"version": {version(body)}, "reason": {"已经修好了"}}
			for i := range 2 {
				st, ans := v.post(path+"/withdraw", form)
				if st != http.StatusSeeOther || !strings.Contains(ans, "Location: "+path+"\n") {
					t.Fatalf("withdrawal %d: %d %s", i+1, st, ans)
				}
			}
			_, body = v.get(path)
			if !strings.Contains(body, `id="withdrawn-note"`) || strings.Count(body, `data-event="withdrawn"`) != 1 || !strings.Contains(body, "已经修好了") {
				t.Fatalf("after withdrawing: %s", body)
			}
			if strings.Contains(body, `/add"`) || strings.Contains(body, `/withdraw"`) || strings.Contains(body, `aria-current="step"`) {
				t.Fatal("a withdrawn item still offers to add, to withdraw, or a current step")
			}
			if st, ans := v.get(path + "/withdraw"); st != http.StatusSeeOther {
				t.Fatalf("the confirmation of a withdrawn item: %d %s", st, ans)
			}
		})
	})
}

// TestTrackingPageAnswerAndRedo: the answer comes first, in full, with its
// unit; after an unsatisfied rating the page says the matter is being done
// again, with the citizen's own reason.
func TestTrackingPageAnswerAndRedo(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	v := e.visitor()
	number, _ := v.writeIn(url.Values{"kind": {"consultation"}, "text": {"身份证补办要带什么？"}, "category": {"hukou"}})
	for _, step := range []struct {
		user string
		act  map[string]any
	}{
		{"leader", map[string]any{"action": "dispatch", "unit": "a", "version": 1}},
		{"officer-a", map[string]any{"action": "sign", "version": 2}},
		{"officer-a", map[string]any{"action": "answer", "body": "请带户口本和一寸照片到窗口办理。", "version": 3}},
	} {
		if st, b := e.do("POST", "/api/v1/items/"+number+"/actions", step.user, step.act); st != 200 {
			t.Fatalf("%v: %d %v", step.act, st, b)
		}
	}
	_, body := v.get("/track/" + number)
	answer, timeline := strings.Index(body, `id="answer"`), strings.Index(body, `id="timeline"`)
	if answer < 0 || answer > timeline || !strings.Contains(body[answer:timeline], "请带户口本和一寸照片到窗口办理。") {
		t.Fatalf("the answer is not first: %s", body)
	}
	if !strings.Contains(body, `id="step-now">当前：评价`) || strings.Contains(body, `/withdraw"`) {
		t.Fatalf("an answered item: %s", body)
	}
	if st, ans := v.post("/track/"+number+"/rate", url.Values{"version": {"4"}, "satisfaction": {"unsatisfied"}, "reason": {"窗口说还要居住证"}}); st != http.StatusSeeOther {
		t.Fatalf("rate: %d %s", st, ans)
	}
	_, body = v.get("/track/" + number)
	if !strings.Contains(body, `id="redo-badge">重办中`) || !strings.Contains(body, "窗口说还要居住证") || !strings.Contains(body, `id="step-now">当前：答复`) {
		t.Fatalf("the redo is not shown: %s", body)
	}
}

// TestTrackingAdditionsAreLimited: additions count against the intake
// limit of the client's address, as writing in does; past it the page says
// so (429 with Retry-After), keeps the text and adds nothing.
func TestTrackingAdditionsAreLimited(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db, withConfig(web.Config{MaxBodyBytes: 64 << 10, Dialect: db.Dialect(),
		Limits: web.Limits{Intake: ratelimit.Rate{N: 2, Per: time.Hour}}}))
	v := e.visitor()
	number, code := v.writeIn(url.Values{"kind": {"help"}, "text": {"村口路灯坏了"}}) // the first use
	path := "/track/" + number
	_, body := v.get(path)
	version := versionOnPage.FindStringSubmatch(body)[1]
	if st, ans := v.postMultipart(path+"/add", url.Values{"version": {version}, "body": {"第一次补充"}}, nil); st != http.StatusSeeOther {
		t.Fatalf("the first addition: %d %s", st, ans)
	}
	_, body = v.get(path)
	version = versionOnPage.FindStringSubmatch(body)[1]
	st, ans := v.postMultipart(path+"/add", url.Values{"version": {version}, "body": {"第二次补充"}}, nil)
	if st != http.StatusTooManyRequests || !strings.Contains(ans, "第二次补充") || !strings.Contains(ans, `class="error-summary"`) {
		t.Fatalf("past the limit: %d %s", st, ans)
	}
	if _, body = v.get(path); strings.Contains(body, "第二次补充") {
		t.Fatal("an addition past the limit was recorded")
	}
	// The API's addition is held to the same limit of the address.
	st, b := e.do("POST", "/api/v1/items/"+number+"/actions?access_code="+code, "", map[string]any{"action": "add_info", "body": "第三次补充", "version": 2})
	if st != http.StatusTooManyRequests {
		t.Fatalf("an addition through the API past the limit: %d %v", st, b)
	}
}
