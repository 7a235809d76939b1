package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/pubchannel"
	"minyi/store"
)

func pieceCount(t *testing.T, e *env) float64 {
	t.Helper()
	st, b := e.do("GET", "/api/v1/publicity", "admin", nil)
	if st != 200 {
		t.Fatalf("list: %d %v", st, b)
	}
	return b["total"].(float64)
}

// TestPublicityPages walks the publicity ledger's pages: a refused form
// shows every problem beside its field and records nothing, a good one
// records once however often it is sent, the piece shows the matters it
// reports, an edit against a stale version is shown again, the list
// filters by channel, period and words, another unit sees nothing and a
// partner reads only.
func TestPublicityPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		a := e.loggedIn(t, "officer-a")
		mustSee(t, "empty list", a.get("/staff/publicity"), 200, "共0条", `href="/staff/publicity/new"`, `<option value="wechat">微信公众号</option>`)
		matter := newMatter(t, e, "officer-a")

		tests := []struct {
			name   string
			form   url.Values
			status int
			wants  []string
		}{
			{"everything wrong", url.Values{"title": {""}, "date": {"2999-01-01"}, "channel": {""}, "outlet": {"平安鄂托克"},
				"link": {"javascript:alert(1)"}, "matters": {"x"}, "branch": {"a1"}}, 400,
				[]string{`id="errors"`, "标题", "发布日期不能晚于今天", "请选择发布渠道", "链接须为http或https网址", "实事编号须为正整数", `value="平安鄂托克"`, `<option value="a1" selected>`}},
			{"a matter that does not exist", url.Values{"title": {"民警进牧区"}, "date": {"2021-09-13"}, "channel": {"wechat"},
				"outlet": {"平安鄂托克"}, "matters": {"99999"}}, 400, []string{"实事99999不存在"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				mustSee(t, tt.name, a.submit("/staff/publicity/new", "/staff/publicity", tt.form), tt.status, tt.wants...)
				if n := pieceCount(t, e); n != 0 {
					t.Fatalf("a refused form recorded %v pieces", n)
				}
			})
		}

		form := url.Values{"title": {"派出所民警帮助牧民追回被盗牛羊"}, "date": {"2021-09-13"}, "channel": {"wechat"},
			"outlet": {"平安鄂托克"}, "link": {"https://mp.weixin.qq.com/s/abc"}, "branch": {"a1"},
			"matters": {strconv.FormatInt(matter, 10)}}
		a.fill("/staff/publicity/new", "/staff/publicity", form)
		first := a.post("/staff/publicity", form)
		if first.status != http.StatusSeeOther || !strings.HasPrefix(first.location, "/staff/publicity/") {
			t.Fatalf("create: %d %s %s", first.status, first.location, first.body)
		}
		if again := a.post("/staff/publicity", form); again.status != http.StatusSeeOther || again.location != first.location {
			t.Fatalf("sent again: %d %s, want %s", again.status, again.location, first.location)
		}
		if n := pieceCount(t, e); n != 1 {
			t.Fatalf("the form sent twice recorded %v pieces", n)
		}
		path := first.location
		noMissingMessages(t, path, a.open(path))
		noMissingMessages(t, "/staff/publicity/new", a.open("/staff/publicity/new"))
		mustSee(t, "piece", a.get(path), 200, "派出所民警帮助牧民追回被盗牛羊", "微信公众号", "甲所党支部",
			`href="/staff/matters/`+strconv.FormatInt(matter, 10)+`"`, "帮助牧民秋收玉米", `href="`+path+`/edit"`)

		edit := url.Values{"title": {"民警帮牧民追回牛羊"}, "date": {"2021-09-13"}, "channel": {"short_video"},
			"outlet": {"鄂托克公安"}, "branch": {"a1"}, "version": {"0"}}
		mustSee(t, "stale edit", a.submit(path+"/edit", path, withVersion(edit, "7")), 409, "民警帮牧民追回牛羊", "他人已修改")
		m := regexpVersion.FindStringSubmatch(a.open(path + "/edit"))
		if p := a.submit(path+"/edit", path, withVersion(edit, m[1])); p.status != http.StatusSeeOther || p.location != path {
			t.Fatalf("edit: %d %s %s", p.status, p.location, p.body)
		}
		mustSee(t, "edited", a.get(path), 200, "民警帮牧民追回牛羊", "短视频", "鄂托克公安")

		filters := []struct {
			query string
			total string
		}{
			{"channel=short_video", "共1条"},
			{"channel=wechat", "共0条"},
			{"from=2021-09-01&to=2021-09-30&branch=a1", "共1条"},
			{"from=2021-10-01", "共0条"},
			{"q=" + url.QueryEscape("牧民"), "共1条"},
		}
		for _, f := range filters {
			t.Run(f.query, func(t *testing.T) { mustSee(t, f.query, a.get("/staff/publicity?"+f.query), 200, f.total) })
		}
		mustSee(t, "bad filter", a.get("/staff/publicity?from=yesterday"), 400)

		// A channel the bureau drops stays on the piece, which can still
		// be corrected; a new piece can no longer choose it.
		if _, err := archive.NewConfig(db, nil).SetSetting(ctx, org.Operator("test"), pubchannel.Field, "wechat|微信公众号|WeChat official account"); err != nil {
			t.Fatal(err)
		}
		editPage := a.open(path + "/edit")
		if !strings.Contains(editPage, `<option value="short_video" selected>`) {
			t.Errorf("the edit form loses the piece's dropped channel")
		}
		m = regexpVersion.FindStringSubmatch(editPage)
		edit.Set("title", "民警帮牧民追回牛羊（更正）")
		if p := a.submit(path+"/edit", path, withVersion(edit, m[1])); p.status != http.StatusSeeOther {
			t.Fatalf("a piece on a dropped channel corrected: %d %s", p.status, p.body)
		}
		newForm := a.open("/staff/publicity/new")
		if strings.Contains(newForm, `value="short_video"`) {
			t.Errorf("the new form offers a dropped channel")
		}

		b := e.loggedIn(t, "officer-b")
		mustSee(t, "other unit's list", b.get("/staff/publicity"), 200, "共0条")
		e.mustRefuse(t, []string{"officer-b"}, []route{{"GET", path}, {"GET", path + "/edit"}, {"POST", path}},
			url.Values{"version": {"3"}, "title": {"x"}}, nil)
		e.mustRefuse(t, []string{"partner"}, []route{{"GET", "/staff/publicity/new"}, {"POST", "/staff/publicity"},
			{"GET", path + "/edit"}, {"POST", path}}, url.Values{"version": {"3"}, "title": {"x"}}, nil)
		p := e.loggedIn(t, "partner").get(path)
		mustSee(t, "partner reads", p, 200, "民警帮牧民追回牛羊（更正）")
		if strings.Contains(p.body, "/edit") {
			t.Error("the partner is offered a change")
		}
		form.Del("csrf_token")
		edit.Del("csrf_token")
		a.mustRefuseForged(t, []formPost{{"/staff/publicity", form}, {path, edit}})
	})
}

// withVersion is form with its version set to v.
func withVersion(form url.Values, v string) url.Values {
	f := url.Values{}
	for k, x := range form {
		f[k] = x
	}
	f.Set("version", v)
	return f
}
