package web_test

import (
	"bytes"
	"html"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
)

// newItemDeskEnv is the shared page environment plus a unit head and an
// auxiliary of unit a, to see that each role gets the right forms.
func newItemDeskEnv(t *testing.T) *env {
	t.Helper()
	return newItemDeskEnvOn(t, "sqlite")
}

// newItemDeskEnvOn is newItemDeskEnv on the dialect's database.
func newItemDeskEnvOn(t *testing.T, dialect string) *env {
	t.Helper()
	return newEnv(t, testdb.Open(t, dialect), withUsers(org.User{Name: "head-a", Role: org.RoleUnitHead, UnitCode: "a"},
		org.User{Name: "aux-a", Role: org.RoleAuxiliary, UnitCode: "a"}))
}

var (
	pageVersion = regexp.MustCompile(`name="version" value="(\d+)"`)
	pageStatus  = regexp.MustCompile(`id="status" data-status="([a-z_]+)"`)
)

// itemDeskFile files a citizen's item with a phone number through the API;
// an empty unit leaves it to the category (户籍, unit a).
func itemDeskFile(t *testing.T, e *env, text, unit string) string {
	t.Helper()
	sub := citizenItem(text)
	if unit != "" {
		delete(sub, "category")
		sub["unit"], sub["channel"] = unit, "qr_code"
	}
	st, body := e.do("POST", "/api/v1/items", "", sub)
	if st != http.StatusCreated {
		t.Fatalf("file: %d %v", st, body)
	}
	return body["number"].(string)
}

// itemDeskOpen gets the desk of number and fails unless it shows.
func itemDeskOpen(t *testing.T, s *staffer, number string) string {
	t.Helper()
	body := s.open("/staff/items/" + number)
	if strings.Contains(body, "[item.") {
		t.Fatalf("desk of %s shows a missing message: %s", number, body)
	}
	return body
}

// itemDeskAct opens the desk and posts form to its action URL with the
// token and version the page carries, unless form sets them itself.
func itemDeskAct(t *testing.T, s *staffer, number string, form url.Values) page {
	t.Helper()
	page := itemDeskOpen(t, s, number)
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", s.tokenIn("/staff/items/"+number, page))
	}
	if _, ok := form["version"]; !ok {
		if m := pageVersion.FindStringSubmatch(page); m != nil {
			form.Set("version", m[1])
		}
	}
	return s.post("/staff/items/"+number+"/act", form)
}

// mustAct applies an action through the desk and expects the redirect
// back to the desk.
func mustAct(t *testing.T, s *staffer, number string, form url.Values) {
	t.Helper()
	p := itemDeskAct(t, s, number, form)
	if p.status != http.StatusSeeOther || p.location != "/staff/items/"+number {
		t.Fatalf("%v: %d → %q %s", form, p.status, p.location, p.body)
	}
}

func stored(t *testing.T, e *env, number string) archive.Item {
	t.Helper()
	it, err := e.db.Item(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func hasForm(page, id string) bool {
	return regexp.MustCompile(`<form[^>]* id="` + regexp.QuoteMeta(id) + `"`).MatchString(page)
}

func TestItemDeskOnlyForTheItemsUnit(t *testing.T) {
	e := newItemDeskEnv(t)
	own := itemDeskFile(t, e, "户籍咨询", "")
	other := itemDeskFile(t, e, "乙所的件", "b")
	officer := e.loggedIn(t, "officer-a")
	token := officer.token("/staff/items/" + own)
	tests := []struct {
		name, method, path string
		form               url.Values
		want               int
	}{
		{"own item", "GET", "/staff/items/" + own, nil, http.StatusOK},
		{"other unit's item", "GET", "/staff/items/" + other, nil, http.StatusForbidden},
		{"act on other unit's item", "POST", "/staff/items/" + other + "/act",
			url.Values{"csrf_token": {token}, "action": {"note"}, "body": {"越权"}, "version": {"1"}}, http.StatusForbidden},
		{"reveal on other unit's item", "POST", "/staff/items/" + other + "/reveal", url.Values{"csrf_token": {token}}, http.StatusForbidden},
		{"photo of other unit's item", "GET", "/staff/items/" + other + "/photos/1", nil, http.StatusForbidden},
		{"no such item", "GET", "/staff/items/2001-000001", nil, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p page
			if tc.method == "GET" {
				p = officer.get(tc.path)
			} else {
				p = officer.post(tc.path, tc.form)
			}
			st, body := p.status, p.body
			if st != tc.want {
				t.Fatalf("got %d, want %d: %s", st, tc.want, body)
			}
			if strings.Contains(body, "乙所的件") {
				t.Errorf("the other unit's item text reached the page")
			}
		})
	}
	if it := stored(t, e, other); it.Version != 1 {
		t.Errorf("refused requests changed the other unit's item: version %d", it.Version)
	}
	p := e.staffer(t).get("/staff/items/" + own)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?next=") {
		t.Errorf("anonymous: %d → %q", p.status, p.location)
	}
}

func TestItemDeskMasksContactUntilRevealed(t *testing.T) {
	e := newItemDeskEnv(t)
	number := itemDeskFile(t, e, "户籍咨询", "")
	officer := e.loggedIn(t, "officer-a")
	page := itemDeskOpen(t, officer, number)
	if !strings.Contains(page, "139****1111") || !strings.Contains(page, "王*") {
		t.Fatalf("masked contact not shown: %s", page)
	}
	if strings.Contains(page, "13900001111") || strings.Contains(page, "王某") {
		t.Fatalf("unmasked contact before reveal")
	}
	revealForm := `action="/staff/items/` + number + `/reveal"`
	if !strings.Contains(page, revealForm) {
		t.Fatalf("no reveal button for the unit's officer")
	}
	p := officer.shown(officer.submit("/staff/items/"+number, "/staff/items/"+number+"/reveal", url.Values{}))
	if p.status != http.StatusOK || !strings.Contains(p.body, `id="contact-phone">13900001111<`) || !strings.Contains(p.body, "王某") {
		t.Fatalf("reveal: %d %s", p.status, p.body)
	}
	if !strings.Contains(p.body, `data-event="contact_revealed"`) {
		t.Errorf("the reveal is not in the timeline it answers with")
	}
	page = itemDeskOpen(t, officer, number)
	if strings.Contains(page, "13900001111") {
		t.Errorf("the contact stays unmasked after the reveal")
	}
	if !strings.Contains(page, `data-event="contact_revealed"`) || stored(t, e, number).Version != 2 {
		t.Errorf("the reveal was not recorded")
	}

	// An auxiliary is not offered the button, and is refused without it.
	aux := e.loggedIn(t, "aux-a")
	page = itemDeskOpen(t, aux, number)
	if strings.Contains(page, revealForm) {
		t.Errorf("an auxiliary is offered the reveal")
	}
	p = aux.post("/staff/items/"+number+"/reveal", url.Values{"csrf_token": {aux.token("/staff/items/" + number)}})
	if p.status != http.StatusForbidden || strings.Contains(p.body, "13900001111") {
		t.Errorf("auxiliary reveal: %d", p.status)
	}
}

func TestItemDeskActNeedsTheAntiForgeryToken(t *testing.T) {
	e := newItemDeskEnv(t)
	number := itemDeskFile(t, e, "户籍咨询", "")
	leader := e.loggedIn(t, "leader")
	for _, tc := range []struct{ name, token string }{{"no token", ""}, {"wrong token", strings.Repeat("A", 43)}} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"csrf_token": {tc.token}, "action": {"dispatch"}, "unit": {"a"}}
			if p := itemDeskAct(t, leader, number, form); p.status != http.StatusForbidden {
				t.Fatalf("%d %s", p.status, p.body)
			}
			if it := stored(t, e, number); it.Version != 1 || it.Status != archive.StatusReceived {
				t.Fatalf("a forged form changed the item: %+v", it)
			}
		})
	}
}

func TestItemDeskRefusals(t *testing.T) {
	e := newItemDeskEnv(t)
	number := itemDeskFile(t, e, "户籍咨询", "")
	leader := e.loggedIn(t, "leader")
	tests := []struct {
		name string
		form url.Values
		want int
		says string
	}{
		{"stale version", url.Values{"action": {"note"}, "body": {"我写的备注<b>"}, "version": {"2"}}, http.StatusConflict, "已被他人办理过"},
		{"illegal transition", url.Values{"action": {"close"}}, http.StatusUnprocessableEntity, "当前状态（已受理）不能执行"},
		{"note without text", url.Values{"action": {"note"}, "body": {"  "}}, http.StatusBadRequest, "不能为空"},
		{"dispatch without unit", url.Values{"action": {"dispatch"}}, http.StatusBadRequest, "请选择承办单位"},
		{"unknown action", url.Values{"action": {"explode"}}, http.StatusBadRequest, "未知的操作"},
		{"bad version", url.Values{"action": {"note"}, "body": {"x"}, "version": {"abc"}}, http.StatusBadRequest, "页面版本无效"},
		{"extension not a number", url.Values{"action": {"request_extension"}, "amount": {"三"}, "body": {"x"}}, http.StatusBadRequest, "延期时长须为整数"},
		{"merge into a missing item", url.Values{"action": {"merge"}, "into": {"2001-000009"}}, http.StatusBadRequest, "要合并到的件不存在"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := itemDeskAct(t, leader, number, tc.form)
			st, body := p.status, p.body
			if st != tc.want {
				t.Fatalf("got %d, want %d: %s", st, tc.want, body)
			}
			if !strings.Contains(body, tc.says) || !strings.Contains(body, `id="errors"`) {
				t.Errorf("the page does not say %q: %s", tc.says, body)
			}
			if it := stored(t, e, number); it.Version != 1 || it.Status != archive.StatusReceived {
				t.Fatalf("a refused action changed the item: version %d, %s", it.Version, it.Status)
			}
		})
	}
	t.Run("stale form keeps what was typed", func(t *testing.T) {
		body := itemDeskAct(t, leader, number, url.Values{"action": {"note"}, "body": {"我写的备注<b>"}, "version": {"0"}}).body
		if !strings.Contains(body, `aria-describedby="note-hint">我写的备注&lt;b&gt;</textarea>`) {
			t.Errorf("the note typed is lost: %s", body)
		}
		if !strings.Contains(body, `name="version" value="1"`) {
			t.Errorf("the page after a conflict does not carry the current version")
		}
	})
	t.Run("in English", func(t *testing.T) {
		en := e.loggedIn(t, "leader")
		en.get("/prefs?lang=en")
		body := itemDeskAct(t, en, number, url.Values{"action": {"close"}}).body
		if !strings.Contains(body, "Not done: action") || strings.Contains(body, "未能办理") {
			t.Errorf("refusal not in English: %s", body)
		}
	})
}

func TestItemDeskWalk(t *testing.T) {
	e := newItemDeskEnv(t)
	number := itemDeskFile(t, e, "新生儿落户要带什么材料？", "")
	leader, officer := e.loggedIn(t, "leader"), e.loggedIn(t, "officer-a")
	steps := []struct {
		who   *staffer
		form  url.Values
		want  archive.Status
		flash string
	}{
		{leader, url.Values{"action": {"dispatch"}, "unit": {"a"}}, archive.StatusDispatched, "已派给甲派出所。"},
		{officer, url.Values{"action": {"sign"}}, archive.StatusSigned, "已签收。"},
		{officer, url.Values{"action": {"answer"}, "body": {"请带出生医学证明和户口簿。"}}, archive.StatusAnswered, "已答复群众"},
		{officer, url.Values{"action": {"visit"}, "satisfaction": {"satisfied"}, "body": {"群众表示满意"}}, archive.StatusVisited, "回访已记录。"},
		{officer, url.Values{"action": {"close"}}, archive.StatusClosed, "已销号。"},
	}
	for i, s := range steps {
		t.Run(s.form.Get("action"), func(t *testing.T) {
			mustAct(t, s.who, number, s.form)
			page := itemDeskOpen(t, s.who, number)
			if m := pageStatus.FindStringSubmatch(page); m == nil || m[1] != string(s.want) {
				t.Fatalf("status on the page %v, want %s", m, s.want)
			}
			if !strings.Contains(page, `<p class="flash" role="status">`+s.flash) {
				t.Errorf("no flash %q", s.flash)
			}
			if it := stored(t, e, number); it.Status != s.want || it.Version != i+2 {
				t.Errorf("stored %s version %d, want %s version %d", it.Status, it.Version, s.want, i+2)
			}
		})
	}
	page := itemDeskOpen(t, officer, number)
	if !strings.Contains(page, `id="satisfaction">满意<`) || !strings.Contains(page, "请带出生医学证明和户口簿。") {
		t.Errorf("the closed item lacks its answer or rating")
	}
	if strings.Contains(page, `/act"`) {
		t.Errorf("a closed item still offers action forms to the officer")
	}
}

func TestItemDeskOffersOnlyAllowedActions(t *testing.T) {
	e := newItemDeskEnv(t)
	received := itemDeskFile(t, e, "户籍咨询一", "")
	dispatched := itemDeskFile(t, e, "户籍咨询二", "")
	answered := itemDeskFile(t, e, "户籍咨询三", "")
	leader, officer := e.loggedIn(t, "leader"), e.loggedIn(t, "officer-a")
	mustAct(t, leader, dispatched, url.Values{"action": {"dispatch"}, "unit": {"a"}})
	mustAct(t, leader, answered, url.Values{"action": {"dispatch"}, "unit": {"a"}})
	mustAct(t, officer, answered, url.Values{"action": {"sign"}})
	mustAct(t, officer, answered, url.Values{"action": {"answer"}, "body": {"已答复"}})
	tests := []struct {
		name, user, number string
		offered, absent    []string
	}{
		{"leader, received", "leader", received, []string{"dispatch", "note", "supervise", "remind", "merge", "invalidate", "set_publish"},
			[]string{"sign", "start", "answer", "reply", "visit", "close", "transfer", "return"}},
		{"officer, received", "officer-a", received, []string{"note"}, []string{"dispatch", "sign", "merge", "set_publish"}},
		{"officer, dispatched", "officer-a", dispatched, []string{"sign", "return", "request_extension", "note"},
			[]string{"dispatch", "transfer", "answer", "grant_extension", "supervise"}},
		{"unit head, dispatched", "head-a", dispatched, []string{"sign", "transfer", "return"}, []string{"dispatch"}},
		{"auxiliary, dispatched", "aux-a", dispatched, []string{"sign", "note"}, []string{"return", "answer", "request_extension"}},
		{"officer, answered", "officer-a", answered, []string{"visit"}, []string{"close", "answer", "reopen"}},
		{"leader, answered", "leader", answered, []string{"visit", "reopen", "set_publish"}, []string{"close", "merge"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := itemDeskOpen(t, e.loggedIn(t, tc.user), tc.number)
			for _, id := range tc.offered {
				if !hasForm(page, id) {
					t.Errorf("no %s form", id)
				}
			}
			for _, id := range tc.absent {
				if hasForm(page, id) {
					t.Errorf("%s is offered", id)
				}
			}
			// Every form that changes something carries the token; the one
			// that opens the review of the public version only reads.
			forms := strings.Count(page, "<form") - strings.Count(page, `<form method="get"`)
			if n := strings.Count(page, `name="csrf_token"`); n != forms {
				t.Errorf("%d posting forms but %d anti-forgery tokens", forms, n)
			}
			if n := strings.Count(page, `action="/staff/items/`+tc.number+`/act"`); n != strings.Count(page, `name="version" value="`) {
				t.Errorf("an action form lacks the version")
			}
		})
	}
}

func TestItemDeskEscapesMarkup(t *testing.T) {
	e := newItemDeskEnv(t)
	payload := "<script>alert(1)</script>"
	number := itemDeskFile(t, e, "户籍咨询"+payload, "")
	leader, officer := e.loggedIn(t, "leader"), e.loggedIn(t, "officer-a")
	mustAct(t, leader, number, url.Values{"action": {"dispatch"}, "unit": {"a"}})
	mustAct(t, officer, number, url.Values{"action": {"sign"}})
	mustAct(t, officer, number, url.Values{"action": {"reply"}, "body": {"回复" + payload}})
	mustAct(t, officer, number, url.Values{"action": {"note"}, "body": {"备注" + payload}})
	refused := itemDeskAct(t, officer, number, url.Values{"action": {"answer"}, "body": {"答复" + payload}, "version": {"1"}}).body
	for name, page := range map[string]string{"desk": itemDeskOpen(t, officer, number), "refused form": refused} {
		if strings.Contains(page, "<script>alert") {
			t.Errorf("%s: markup reached the page unescaped", name)
		}
		if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: the text with markup is not shown", name)
		}
	}
	if n := strings.Count(itemDeskOpen(t, officer, number), "&lt;script&gt;alert(1)"); n < 3 {
		t.Errorf("text, reply and note should each show the markup as text; found %d", n)
	}
}

func TestItemDeskCannedReplies(t *testing.T) {
	e := newItemDeskEnv(t)
	traffic := archive.Category{Code: "traffic", Name: "交通", Limit: calendar.Limit{Amount: 5, Unit: calendar.WorkingDays}, Active: true}
	if err := archive.NewConfig(e.db, nil).AddCategory(ctx, org.Operator("test"), &traffic); err != nil {
		t.Fatal(err)
	}
	replies := map[string]*archive.CannedReply{
		"hukou":   {CategoryCode: "hukou", Title: "新生儿落户", Body: "请携带出生医学证明、户口簿到户籍窗口办理。", Active: true},
		"general": {Title: "感谢来信", Body: "感谢您对公安工作的支持。", Active: true},
		"traffic": {CategoryCode: "traffic", Title: "违停处理", Body: "已通知交警中队处理。", Active: true},
		"retired": {CategoryCode: "hukou", Title: "旧答复", Body: "停用了。", Active: false},
	}
	for _, c := range replies {
		if err := archive.NewConfig(e.db, nil).AddCannedReply(ctx, org.Operator("test"), c); err != nil {
			t.Fatal(err)
		}
	}
	number := itemDeskFile(t, e, "新生儿怎么落户？", "")
	leader, officer := e.loggedIn(t, "leader"), e.loggedIn(t, "officer-a")
	mustAct(t, leader, number, url.Values{"action": {"dispatch"}, "unit": {"a"}})
	mustAct(t, officer, number, url.Values{"action": {"sign"}})

	page := itemDeskOpen(t, officer, number)
	for key, want := range map[string]bool{"hukou": true, "general": true, "traffic": false, "retired": false} {
		link := "/staff/items/" + number + "?canned=" + strconv.FormatInt(replies[key].ID, 10) + "#reply"
		if strings.Contains(page, link) != want {
			t.Errorf("canned reply %s offered: %v, want %v", key, !want, want)
		}
	}
	textarea := func(page, id string) string {
		m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]*)</textarea>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no textarea %s", id)
		}
		return html.UnescapeString(m[1])
	}
	tests := []struct {
		name, query           string
		replyBody, answerBody string
	}{
		{"reply", "?canned=" + strconv.FormatInt(replies["hukou"].ID, 10), replies["hukou"].Body, ""},
		{"answer", "?canned=" + strconv.FormatInt(replies["general"].ID, 10) + "&for=answer", "", replies["general"].Body},
		{"another category's", "?canned=" + strconv.FormatInt(replies["traffic"].ID, 10), "", ""},
		{"not a number", "?canned=x", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := itemDeskOpen(t, officer, number+tc.query)
			if got := textarea(page, "reply-body"); got != tc.replyBody {
				t.Errorf("reply pre-filled with %q, want %q", got, tc.replyBody)
			}
			if got := textarea(page, "answer-body"); got != tc.answerBody {
				t.Errorf("answer pre-filled with %q, want %q", got, tc.answerBody)
			}
		})
	}
}

// TestItemDeskMergeSuggestions: the open item's desk offers the other open
// items of its title's words to merge into, on both databases (PostgreSQL
// finds them by the open items' term alone).
func TestItemDeskMergeSuggestions(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) { testItemDeskMergeSuggestions(t, newItemDeskEnvOn(t, d)) })
	}
}

func testItemDeskMergeSuggestions(t *testing.T, e *env) {
	first := itemDeskFile(t, e, "户口本丢失补办", "")
	second := itemDeskFile(t, e, "户口本丢失补办", "")
	itemDeskFile(t, e, "驾驶证到期换证", "")
	leader := e.loggedIn(t, "leader")
	page := itemDeskOpen(t, leader, second)
	similar := regexp.MustCompile(`(?s)<ul class="similar" id="similar">(.*?)</ul>`).FindStringSubmatch(page)
	if similar == nil {
		t.Fatalf("no suggestions: %s", page)
	}
	if !strings.Contains(similar[1], `name="into" value="`+first+`"`) || strings.Contains(similar[1], `value="`+second+`"`) {
		t.Fatalf("suggestions should offer %s and not the item itself: %s", first, similar[1])
	}
	if strings.Contains(similar[1], "驾驶证") {
		t.Errorf("an unrelated item is suggested")
	}
	mustAct(t, leader, second, url.Values{"action": {"merge"}, "into": {first}})
	page = itemDeskOpen(t, leader, second)
	if it := stored(t, e, second); it.Status != archive.StatusMerged || it.MergedInto != first {
		t.Fatalf("after merging: %s into %q", it.Status, it.MergedInto)
	}
	if !strings.Contains(page, `<a href="/staff/items/`+first+`">`+first+`</a>`) {
		t.Errorf("no link to the item merged into")
	}
}

func TestItemDeskPhotos(t *testing.T) {
	e := newItemDeskEnv(t)
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2)))
	sub := citizenItem("门口路灯坏了")
	sub["photos"] = []any{map[string]any{"data": buf.Bytes()}}
	st, created := e.do("POST", "/api/v1/items", "", sub)
	if st != http.StatusCreated {
		t.Fatalf("file: %d %v", st, created)
	}
	number := created["number"].(string)
	page := itemDeskOpen(t, e.loggedIn(t, "officer-a"), number)
	m := regexp.MustCompile(`<img class="thumb" src="(/staff/items/` + number + `/photos/\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no thumbnail: %s", page)
	}
	for _, tc := range []struct {
		user string
		want int
	}{{"officer-a", http.StatusOK}, {"officer-b", http.StatusForbidden}} {
		t.Run(tc.user, func(t *testing.T) {
			p := e.loggedIn(t, tc.user).get(m[1])
			if p.status != tc.want {
				t.Fatalf("%d", p.status)
			}
			if tc.want == http.StatusOK && p.body != buf.String() {
				t.Errorf("the photo served differs from the one filed")
			}
		})
	}
}
