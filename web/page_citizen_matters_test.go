package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// ledgerTowns are two stations of the portal's ledger tests, each covering
// a township.
var ledgerTowns = []org.Unit{
	{Code: "c", Name: "丙派出所", Kind: org.UnitStation, ParentCode: "bureau", Township: "蒙西镇"},
	{Code: "d", Name: "丁派出所", Kind: org.UnitStation, ParentCode: "bureau", Township: "乌兰镇"},
}

// publicMatter records a matter as leader and takes it through actions
// (each a map of the action's fields; version is added), failing the test
// on any refusal; it returns the matter's id.
func publicMatter(t *testing.T, e *env, body map[string]any, actions ...map[string]any) int64 {
	t.Helper()
	st, b := e.do("POST", "/api/v1/matters", "leader", body)
	if st != 201 {
		t.Fatalf("create matter: %d %v", st, b)
	}
	id, version := int64(b["id"].(float64)), b["version"].(float64)
	for _, a := range actions {
		a["version"] = version
		st, b := e.do("POST", fmt.Sprintf("/api/v1/matters/%d/actions", id), "leader", a)
		if st != 200 {
			t.Fatalf("%v: %d %v", a, st, b)
		}
		version = b["version"].(float64)
	}
	return id
}

// citizenAt is a browser without a login reading the portal in lang.
func citizenAt(t *testing.T, e *env, lang string) *staffer {
	s := e.staffer(t)
	s.lang = lang
	return s
}

func TestCitizenMattersPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withUnits(ledgerTowns...),
			withUsers(org.User{Name: "li", DisplayName: "李警官", Role: org.RoleOfficer, UnitCode: "c"}))
		v := e.visitor()
		// An opinion the citizen did not publish: the matter answering it
		// shows that it answers an opinion, never its text or number.
		number, _ := v.writeIn(url.Values{"kind": {"help"}, "text": {"我家的牛羊被人偷走了"}, "unit": {"c"}})

		// A household that did not consent, named in the story, with its
		// phone in a progress entry; the place names no township, so the
		// station's (蒙西镇) is the matter's.
		stolen := publicMatter(t, e, map[string]any{"title": "帮助牧户追回被盗牛羊", "unit": "c", "class": "urgent", "lead": "li",
			"description": "牧民反映牛羊被盗", "items": []string{number}, "published": true,
			"beneficiary": map[string]any{"kind": "household", "name": "巴特尔", "phone": "13912345678", "place": "东村"}},
			map[string]any{"action": "start"},
			map[string]any{"action": "progress", "text": "走访牧户，调取监控", "photos": []any{upload(onePixelPNG)}},
			map[string]any{"action": "progress", "text": "电话13912345678联系失主核实"},
			map[string]any{"action": "complete", "story": "民警连夜追查，为巴特尔家追回牛5头、羊53只。", "outcomes": map[string]any{"cattle": 5, "sheep": 53}})
		// A person who consented, of a station in 乌兰镇, whose place is in
		// 蒙西镇: the place decides.
		grant := publicMatter(t, e, map[string]any{"title": "为王芳申请助学金", "unit": "d", "class": "hard", "published": true,
			"beneficiary_consent": true, "beneficiary": map[string]any{"kind": "person", "name": "王芳", "phone": "13800001111", "place": "蒙西镇西村"}},
			map[string]any{"action": "start"}, map[string]any{"action": "progress", "text": "材料已报送教育局", "photos": []any{upload(onePixelPNG)}})
		// A village's matter, named and shown whole; its long story is
		// shortened in the list.
		long := "为东村修通进村道路。" + strings.Repeat("村民出行更方便了。", 20)
		road := publicMatter(t, e, map[string]any{"title": "为东村修路", "unit": "c", "class": "hopeful", "published": true,
			"beneficiary": map[string]any{"kind": "village", "name": "东村", "place": "蒙西镇东村"}},
			map[string]any{"action": "start"},
			map[string]any{"action": "complete", "story": long, "photos": []any{upload(onePixelPNG)}})
		// Not published: never shown.
		hidden := publicMatter(t, e, map[string]any{"title": "内部整改事项", "unit": "c", "class": "worrying",
			"beneficiary": map[string]any{"kind": "group", "name": "辖区商户"}})

		open := func(s *staffer, path string) string {
			t.Helper()
			p := s.get(path)
			if p.status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, p.status, p.body)
			}
			return p.body
		}
		zh := citizenAt(t, e, "zh-CN")
		never := []string{"巴特尔", "13912345678", "13800001111", "内部整改事项", "我家的牛羊", number, "li"}
		for _, path := range []string{"/matters", fmt.Sprintf("/matters/%d", stolen), fmt.Sprintf("/matters/%d", grant)} {
			body := open(zh, path)
			for _, leak := range never {
				if leak == "li" {
					leak = ">li<" // the lead's user name, not any "li" of the markup
				}
				if strings.Contains(body, leak) {
					t.Errorf("%s shows %q", path, leak)
				}
			}
		}

		list := open(zh, "/matters")
		for _, want := range []string{"共3件", "为东村修通进村道路。村民出行更方便了。", "…</p>", fmt.Sprintf(`<img class="thumb" src="/matters/%d/photos/`, road), "帮助牧户追回被盗牛羊", "为王芳申请助学金", "领办民警：李警官", `<progress id="share-`,
			`value="100"`, `value="50"`, "一件未公开的群众意见", "蒙西镇", "羊（只）"} {
			if !strings.Contains(list, want) {
				t.Errorf("/matters lacks %q", want)
			}
		}
		detail := open(zh, fmt.Sprintf("/matters/%d", stolen))
		for _, want := range []string{"此段含个人信息，不予公开", "走访牧户，调取监控", "牧民反映牛羊被盗", "<td class=\"num\">53</td>", "家庭 · 蒙西镇"} {
			if !strings.Contains(detail, want) {
				t.Errorf("the matter's page lacks %q", want)
			}
		}
		body := open(zh, fmt.Sprintf("/matters/%d", grant))
		if !strings.Contains(body, "王芳") || !strings.Contains(body, "蒙西镇西村") {
			t.Errorf("a consenting beneficiary is not named")
		}
		// Photos show when the beneficiary consented (matter.PhotosPublic),
		// and load; the household that did not consent has none shown.
		photo := regexp.MustCompile(`<img class="thumb" src="(/matters/\d+/photos/\d+)" alt="([^"]+)"`).FindStringSubmatch(body)
		if photo == nil || !strings.Contains(photo[2], "进展照片之1") {
			t.Fatalf("the consenting beneficiary's matter shows no photo")
		}
		if p := zh.get(photo[1]); p.status != http.StatusOK {
			t.Errorf("GET %s: %d", photo[1], p.status)
		}
		if strings.Contains(detail, `class="thumb"`) {
			t.Errorf("photos of a matter whose household did not consent are shown")
		}

		// Filters: by township (place first, else the unit's), class, unit.
		tests := []struct {
			query      string
			want, not  []string
			wantStatus int
		}{
			{"township=" + url.QueryEscape("蒙西镇"), []string{"帮助牧户追回被盗牛羊", "为王芳申请助学金", "为东村修路"}, nil, 200},
			{"township=" + url.QueryEscape("乌兰镇"), []string{"共0件"}, []string{"帮助牧户", "为王芳"}, 200},
			{"class=hard", []string{"为王芳申请助学金", "共1件"}, []string{"帮助牧户", "为东村修路"}, 200},
			{"unit=c", []string{"帮助牧户追回被盗牛羊"}, []string{"为王芳"}, 200},
			{"class=sad", nil, nil, 400},
			{"cursor=garbage", nil, nil, 400},
			{"unit=nosuch", []string{"共0件"}, []string{"帮助牧户"}, 200},
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				p := zh.get("/matters?" + tt.query)
				if p.status != tt.wantStatus {
					t.Fatalf("%d, want %d", p.status, tt.wantStatus)
				}
				for _, w := range tt.want {
					if !strings.Contains(p.body, w) {
						t.Errorf("lacks %q", w)
					}
				}
				for _, n := range tt.not {
					if strings.Contains(p.body, n) {
						t.Errorf("shows %q", n)
					}
				}
			})
		}

		// An unpublished, unknown or malformed id is not found alike.
		for _, path := range []string{fmt.Sprintf("/matters/%d", hidden), "/matters/99999", "/matters/x", "/matters/-1"} {
			if p := zh.get(path); p.status != http.StatusNotFound || strings.Contains(p.body, "内部整改事项") {
				t.Errorf("GET %s: %d", path, p.status)
			}
		}
		// Unpublishing takes a matter off at once.
		if st, b := e.do("PATCH", fmt.Sprintf("/api/v1/matters/%d", grant), "leader", map[string]any{"version": 3, "published": false}); st != 200 {
			t.Fatalf("unpublish: %d %v", st, b)
		}
		if p := zh.get(fmt.Sprintf("/matters/%d", grant)); p.status != http.StatusNotFound {
			t.Errorf("an unpublished matter: %d", p.status)
		}

		// Traditional Chinese and English, through the language switch's cookie too.
		for lang, want := range map[string][]string{"zh-TW": {"我們辦的實事", "幫助牧戶追回被盜牛羊"}, "en": {"What we did for you", "Led by"}} {
			body := open(citizenAt(t, e, lang), "/matters")
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: lacks %q", lang, w)
				}
			}
		}
		// The home page and every citizen page's footer lead here.
		if home := open(zh, "/"); !strings.Contains(home, `href="/matters"`) || !strings.Contains(home, `href="/service-points"`) {
			t.Errorf("the home page does not link the ledgers")
		}
	})
}

func TestCitizenServicePointsPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withUnits(ledgerTowns...))
		point := func(name, unit, township string, extra map[string]any) int64 {
			t.Helper()
			body := map[string]any{"name": name, "unit": unit, "township": township, "village": "红旗村", "address": "村委会一楼",
				"opening_hours": "周一至周日 8:00-20:00", "services": []any{"户籍办理", "居住证"}, "phone": "0477-6211234"}
			for k, v := range extra {
				body[k] = v
			}
			st, b := e.do("POST", "/api/v1/service-points", "leader", body)
			if st != 201 {
				t.Fatalf("create point: %d %v", st, b)
			}
			return int64(b["id"].(float64))
		}
		point("蒙西镇便民服务站", "c", "蒙西镇", map[string]any{"latitude": 39.1, "longitude": 107.9, "off_peak": true, "extended_hours": true})
		point("乌兰镇便民服务站", "d", "乌兰镇", nil)
		closed := point("已撤销的服务站", "c", "蒙西镇", nil)
		if st, b := e.do("PATCH", fmt.Sprintf("/api/v1/service-points/%d", closed), "leader", map[string]any{"version": 1, "status": "closed"}); st != 200 {
			t.Fatalf("close: %d %v", st, b)
		}

		zh := citizenAt(t, e, "zh-CN")
		p := zh.get("/service-points")
		if p.status != http.StatusOK {
			t.Fatalf("%d %s", p.status, p.body)
		}
		for _, want := range []string{"共2个站点", "<h2>蒙西镇</h2>", "<h2>乌兰镇</h2>", "错时服务", "延时服务", `href="tel:04776211234"`,
			`href="geo:39.1,107.9"`, "户籍办理", "周一至周日 8:00-20:00", "丙派出所"} {
			if !strings.Contains(p.body, want) {
				t.Errorf("/service-points lacks %q", want)
			}
		}
		if strings.Contains(p.body, "已撤销的服务站") {
			t.Errorf("a closed point is listed")
		}
		tests := []struct {
			query     string
			want, not string
		}{
			{"township=" + url.QueryEscape("乌兰镇"), "乌兰镇便民服务站", "蒙西镇便民服务站"},
			{"unit=c", "蒙西镇便民服务站", "乌兰镇便民服务站"},
			{"township=" + url.QueryEscape("无此镇"), "暂无符合条件的便民服务站点", "便民服务站</h3>"},
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				p := zh.get("/service-points?" + tt.query)
				if p.status != http.StatusOK || !strings.Contains(p.body, tt.want) || strings.Contains(p.body, tt.not) {
					t.Errorf("%d: want %q, not %q", p.status, tt.want, tt.not)
				}
			})
		}
		if body := citizenAt(t, e, "zh-TW").get("/service-points").body; !strings.Contains(body, "哪裏辦") || !strings.Contains(body, "錯時服務") {
			t.Errorf("traditional Chinese page lacks its title or the off-peak mark")
		}
		if body := citizenAt(t, e, "en").get("/service-points").body; !strings.Contains(body, "Where to get it done") {
			t.Errorf("English page lacks its title")
		}
	})
}

func TestServicePointPosters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withUnits(ledgerTowns...))
		ids := map[string]int64{}
		for _, p := range []struct{ name, unit string }{{"甲所红旗村便民服务站", "a"}, {"蒙西镇便民服务站", "c"}} {
			st, b := e.do("POST", "/api/v1/service-points", "leader", map[string]any{"name": p.name, "unit": p.unit, "address": "村委会一楼"})
			if st != 201 {
				t.Fatalf("create point: %d %v", st, b)
			}
			ids[p.name] = int64(b["id"].(float64))
		}
		officer := e.loggedIn(t, "officer-a")
		index := officer.open("/qr")
		poster := "/qr/a?point=" + url.QueryEscape("甲所红旗村便民服务站")
		if !strings.Contains(index, `<a href="/qr/a?point=`) || !strings.Contains(index, "甲所红旗村便民服务站</a>") {
			t.Errorf("/qr does not list the officer's point with its poster")
		}
		if strings.Contains(index, "蒙西镇便民服务站") {
			t.Errorf("/qr lists another unit's point")
		}
		tests := []struct {
			name, user string
			point      int64
			status     int
			location   string
		}{
			{"own unit's point", "officer-a", ids["甲所红旗村便民服务站"], http.StatusSeeOther, poster},
			{"another unit's point", "officer-a", ids["蒙西镇便民服务站"], http.StatusForbidden, ""},
			{"a leader, any point", "leader", ids["蒙西镇便民服务站"], http.StatusSeeOther, "/qr/c?point=" + url.QueryEscape("蒙西镇便民服务站")},
			{"no such point", "leader", 99999, http.StatusNotFound, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := e.loggedIn(t, tt.user).get(fmt.Sprintf("/qr/go?service_point=%d", tt.point))
				if p.status != tt.status || p.location != tt.location {
					t.Errorf("%d → %q, want %d → %q", p.status, p.location, tt.status, tt.location)
				}
			})
		}
		// A point's page links its poster.
		if body := officer.open(fmt.Sprintf("/staff/points/%d", ids["甲所红旗村便民服务站"])); !strings.Contains(body,
			fmt.Sprintf(`href="/qr/go?service_point=%d"`, ids["甲所红旗村便民服务站"])) {
			t.Errorf("the point's page does not link its poster")
		}
		// The poster's code opens the write-in form with the point's unit and name.
		body := officer.open(poster)
		want := "/write?channel=qr_code&amp;point=" + url.QueryEscape("甲所红旗村便民服务站") + "&amp;unit=a"
		if !strings.Contains(body, want) || !strings.Contains(body, "甲派出所 · 甲所红旗村便民服务站") {
			t.Errorf("the poster does not lead to the point's write-in form (%s)", want)
		}
	})
}
