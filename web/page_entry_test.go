package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/meeting"
	"minyi/org"
)

// itemCount counts every item in the archive.
func (e *env) itemCount() int {
	e.t.Helper()
	page, err := e.db.FindItems(ctx, archive.Filter{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(page.Items)
}

// onePixelPNG is the smallest picture a scanner could send.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

var savedFlash = regexp.MustCompile(`已录入。件号 (\d{4}-\d{6})，查询码 ([A-Z0-9]{8})`)

func slip(day, text string) url.Values {
	return url.Values{"channel": {"paper_box"}, "detail": {"户籍大厅意见箱"}, "date": {day}, "kind": {"suggestion"},
		"category": {"hukou"}, "text": {text}, "name": {"王某"}, "phone": {"13900001111"}, "township": {"乌兰镇"}}
}

func TestEntryOfAPaperSlip(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	c := e.loggedIn(t, "officer-a")
	back := time.Now().In(calendar.Zone).AddDate(0, 0, -9)
	day := back.Format("2006-01-02")

	p := c.submitFiles("/staff/entry", "/staff/entry", slip(day, "户籍大厅排队太久，希望增加窗口。"),
		map[string][]byte{"slip.png": onePixelPNG})
	if p.status != http.StatusSeeOther {
		t.Fatalf("entry: %d %s", p.status, p.body)
	}
	loc := p.location
	next, _ := url.Parse(loc)
	if next.Path != "/staff/entry" || next.Query().Get("channel") != "paper_box" || next.Query().Get("date") != day ||
		next.Query().Get("detail") != "户籍大厅意见箱" || next.Query().Get("unit") != "a" {
		t.Fatalf("back to %q", loc)
	}
	// The fresh form shows the number and code once and keeps the batch.
	p = c.get(loc)
	body := p.body
	m := savedFlash.FindStringSubmatch(body)
	if p.status != http.StatusOK || m == nil {
		t.Fatalf("no number and code in the flash: %d %s", p.status, body)
	}
	for _, want := range []string{`value="` + day + `"`, `value="户籍大厅意见箱"`, `<option value="paper_box" selected>`, `autofocus`} {
		if !strings.Contains(body, want) {
			t.Errorf("fresh form lacks %s", want)
		}
	}
	if strings.Contains(body, "户籍大厅排队太久") {
		t.Error("the fresh form still holds the last slip's text")
	}

	number, code := m[1], m[2]
	if !strings.HasPrefix(number, strconv.Itoa(back.Year())+"-") {
		t.Errorf("number %s is not of the year of collection", number)
	}
	it, err := e.db.Item(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	if it.Channel != archive.ChannelPaperBox || it.ChannelDetail != "户籍大厅意见箱" || it.UnitCode != "a" ||
		it.ReceivedAt.In(calendar.Zone).Format("2006-01-02") != day || it.Contact.Phone != "13900001111" || len(it.Photos) != 1 {
		t.Fatalf("stored %+v", it)
	}
	if it.AccessHash != archive.HashAccessCode(code) {
		t.Error("the code in the flash does not open the item")
	}
	evs, _ := e.db.ItemEvents(ctx, it.ID)
	// A slip entered by a station's officer is the station's at once
	// (issue 15 §7): received by the officer, then dispatched by the
	// system to the officer's unit, saying why.
	if len(evs) != 2 || evs[0].Type != archive.EventReceived || evs[0].Actor != "officer-a" ||
		evs[1].Type != archive.EventDispatched || evs[1].Data["addressed"] != "by_unit" || evs[1].Data["unit"] != "a" {
		t.Errorf("events %+v", evs)
	}
	// The flash is shown once.
	if again := c.get(loc).body; savedFlash.MatchString(again) {
		t.Error("the flash came back")
	}
}

func TestEntryRefusals(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	pw, err := org.NewService(e.db).AddUser(ctx, org.Operator("test"), &org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
	if err != nil {
		t.Fatal(err)
	}
	e.passwords["partner"] = pw
	tomorrow := time.Now().In(calendar.Zone).AddDate(0, 0, 1).Format("2006-01-02")
	today := time.Now().In(calendar.Zone).Format("2006-01-02")
	tests := []struct {
		name   string
		lang   string
		edit   func(url.Values)
		status int
		want   []string // in the page
	}{
		{"bad phone", "zh-CN", func(f url.Values) { f.Set("phone", "12345") }, 400,
			[]string{`<p class="field-error" role="alert">电话号码格式不正确</p>`}},
		{"bad phone, English reader", "en", func(f url.Values) { f.Set("phone", "12345") }, 400,
			[]string{`<p class="field-error" role="alert">phone must be an 11-digit mobile or a landline number</p>`}},
		{"bad phone, traditional reader", "zh-TW", func(f url.Values) { f.Set("phone", "12345") }, 400,
			[]string{`電話號碼格式不正確`}},
		{"date in the future", "zh-CN", func(f url.Values) { f.Set("date", tomorrow) }, 400, []string{"收集日期不能晚于今天"}},
		{"unreadable date and a bad ID number together", "zh-CN", func(f url.Values) {
			f.Set("date", "12/05/2021")
			f.Set("id_number", "150000199001011234")
		}, 400, []string{"日期格式不正确", "身份证号码不正确"}},
		{"online channel", "zh-CN", func(f url.Values) { f.Set("channel", "online_box") }, 400, []string{"请选择意见箱、调查问卷、走访、电话或来访"}},
		{"no text", "zh-CN", func(f url.Values) { f.Set("text", " ") }, 400, []string{"不能为空"}},
		{"no kind", "zh-CN", func(f url.Values) { f.Del("kind") }, 400, []string{"请选择类型"}},
		{"anonymous with a name", "zh-CN", func(f url.Values) { f.Set("anonymous", "1") }, 400, []string{"匿名留言请不要填写"}},
		{"unknown category", "zh-CN", func(f url.Values) { f.Set("category", "nope") }, 400, []string{"分类不存在"}},
		{"unknown class", "zh-CN", func(f url.Values) { f.Set("class", "sad") }, 400, []string{"类别无效"}},
	}
	c := e.loggedIn(t, "officer-a")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.lang = tc.lang
			form := slip(today, "路灯坏了。")
			tc.edit(form)
			p := c.submitFiles("/staff/entry", "/staff/entry", form, nil)
			body := p.body
			if p.status != tc.status {
				t.Fatalf("status %d, want %d: %s", p.status, tc.status, body)
			}
			for _, want := range tc.want {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q: %s", want, body)
				}
			}
			// What was typed is still there to correct.
			if !strings.Contains(body, `value="王某"`) || !strings.Contains(body, `value="乌兰镇"`) {
				t.Error("what was typed was lost")
			}
			if n := e.itemCount(); n != 0 {
				t.Fatalf("%d items created", n)
			}
		})
	}
	c.lang = "zh-CN"

	t.Run("no anti-forgery token", func(t *testing.T) {
		form := slip(today, "路灯坏了。")
		form.Set("csrf_token", "")
		if p := c.submitFiles("/staff/entry", "/staff/entry", form, nil); p.status != http.StatusForbidden {
			t.Fatalf("%d %s", p.status, p.body)
		}
		form.Del("csrf_token")
		req, _ := http.NewRequest("POST", e.url+"/staff/entry", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if p := c.do(req); p.status != http.StatusForbidden {
			t.Fatalf("without the field: %d %s", p.status, p.body)
		}
		if n := e.itemCount(); n != 0 {
			t.Fatalf("%d items created", n)
		}
	})
	t.Run("a partner cannot enter slips", func(t *testing.T) {
		p := e.loggedIn(t, "partner")
		if st := p.get("/staff/entry").status; st != http.StatusForbidden {
			t.Errorf("form: %d", st)
		}
		form := slip(today, "路灯坏了。")
		form.Set("csrf_token", p.token("/staff/meetings"))
		if r := p.postFiles("/staff/entry", form, nil); r.status != http.StatusForbidden {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if n := e.itemCount(); n != 0 {
			t.Fatalf("%d items created", n)
		}
	})
	t.Run("logged out", func(t *testing.T) {
		p := e.staffer(t).get("/staff/entry")
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?next=") {
			t.Fatalf("%d → %q", p.status, p.location)
		}
	})
}

// The entry page files under the one intake rule: unit staff into their own
// unit (which the form gives them), never into another by editing the form;
// leaders anywhere.
func TestEntryIntakeRule(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	today := time.Now().In(calendar.Zone).Format("2006-01-02")
	tests := []struct {
		name   string
		user   string
		unit   string // "" leaves the field out
		status int
		want   string // the unit filed into
	}{
		{"officer, the form's own unit", "officer-a", "", http.StatusSeeOther, "a"},
		{"officer names own unit", "officer-a", "a", http.StatusSeeOther, "a"},
		{"officer edits the form to another station", "officer-a", "b", http.StatusForbidden, ""},
		{"leader into any unit", "leader", "b", http.StatusSeeOther, "b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := e.loggedIn(t, tc.user)
			before := e.itemCount()
			form := slip(today, "派出所门口的路灯坏了。")
			if tc.unit != "" {
				form.Set("unit", tc.unit)
			}
			p := c.submitFiles("/staff/entry", "/staff/entry", form, nil)
			if p.status != tc.status {
				t.Fatalf("status %d, want %d: %s", p.status, tc.status, p.body)
			}
			if tc.status != http.StatusSeeOther {
				if !strings.Contains(p.body, `<p class="field-error" role="alert">只能交本单位办理，或不选单位交局里派单</p>`) {
					t.Errorf("the refusal is not shown beside the unit: %s", p.body)
				}
				if n := e.itemCount(); n != before {
					t.Fatalf("%d items created", n-before)
				}
				return
			}
			m := savedFlash.FindStringSubmatch(c.get(p.location).body)
			if m == nil {
				t.Fatal("no number in the flash")
			}
			if it, err := e.db.Item(ctx, m[1]); err != nil || it.UnitCode != tc.want {
				t.Fatalf("filed into %q (%v), want %q", it.UnitCode, err, tc.want)
			}
		})
	}
}

// A slip may be dated back at most 30 days; its time limit runs from
// entry, and the item page shows both the day of collection and the time
// of entry.
func TestEntryOfABackdatedSlip(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	c := e.loggedIn(t, "officer-a")
	now := time.Now().In(calendar.Zone)
	day := func(back int) string { return now.AddDate(0, 0, -back).Format("2006-01-02") }

	p := c.submitFiles("/staff/entry", "/staff/entry", slip(day(31), "一个多月前的纸条。"), nil)
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "收集日期（received_at）最多只能往前补录30天") {
		t.Fatalf("31 days back: %d %s", p.status, p.body)
	}
	if n := e.itemCount(); n != 0 {
		t.Fatalf("%d items created", n)
	}
	if !strings.Contains(p.body, `min="`+day(30)+`"`) {
		t.Error("the date field does not say how far back it goes")
	}

	p = c.submitFiles("/staff/entry", "/staff/entry", slip(day(30), "一个月前的纸条。"), nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("30 days back: %d %s", p.status, p.body)
	}
	m := savedFlash.FindStringSubmatch(c.get(p.location).body)
	if m == nil {
		t.Fatal("no number in the flash")
	}
	it, err := e.db.Item(ctx, m[1])
	if err != nil {
		t.Fatal(err)
	}
	if it.ReceivedAt.In(calendar.Zone).Format("2006-01-02") != day(30) || time.Since(it.EnteredAt) > time.Minute ||
		!it.DueAt.After(time.Now()) || it.Overdue(time.Now()) {
		t.Fatalf("collected %v, entered %v, due %v: the time limit must run from entry", it.ReceivedAt, it.EnteredAt, it.DueAt)
	}
	body := c.get("/staff/items/" + it.Number).body
	for _, want := range []string{"收集日期", `<dd id="collected-on">` + day(30) + " 00:00</dd>", "录入时间", `<dd id="entered-at">` + it.EnteredAt.In(calendar.Zone).Format("2006-01-02 15:04")} {
		if !strings.Contains(body, want) {
			t.Errorf("item page lacks %q", want)
		}
	}
	if body := c.get("/staff?queue=all").body; !strings.Contains(body, day(30)+" 00:00收集，"+it.EnteredAt.In(calendar.Zone).Format("2006-01-02 15:04")+"录入") {
		t.Errorf("the inbox does not show when the slip was collected and entered: %s", body)
	}
}

var meetingPath = regexp.MustCompile(`^/staff/meetings/(\d+)$`)

func meetingForm(day string) url.Values {
	f := url.Values{"date": {day}, "place": {"乌兰镇派出所会议室"}, "host_unit": {"a"},
		"attendee_groups": {"牧民群众、企业代表"}, "attendees": {"23"}, "minutes": {"一、通报治安情况\n二、听取意见"}, "rows": {"5"}}
	return f
}

func fillRow(f url.Values, i int, kind, text, name, phone string) {
	p := "opinions[" + strconv.Itoa(i) + "]."
	f.Set(p+"kind", kind)
	f.Set(p+"text", text)
	f.Set(p+"name", name)
	f.Set(p+"phone", phone)
}

func TestMeetingPages(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	c := e.loggedIn(t, "officer-a")
	day := time.Now().In(calendar.Zone).AddDate(0, 0, -2).Format("2006-01-02")

	t.Run("rows", func(t *testing.T) {
		for _, tc := range []struct {
			query string
			rows  int
		}{{"", 5}, {"?rows=10", 10}, {"?rows=0", 5}, {"?rows=x", 5}, {"?rows=9999", 50}} {
			p := c.get("/staff/meetings/new" + tc.query)
			body := p.body
			if p.status != http.StatusOK {
				t.Fatalf("%s: %d", tc.query, p.status)
			}
			if got := strings.Count(body, `class="opinion-row"`); got != tc.rows {
				t.Errorf("%s: %d rows, want %d", tc.query, got, tc.rows)
			}
		}
	})

	t.Run("add a row keeps what was typed and saves nothing", func(t *testing.T) {
		f := meetingForm(day)
		f.Set("place", "") // a missing field does not stop adding a row
		fillRow(f, 0, "suggestion", "希望增加夜间巡逻", "", "")
		fillRow(f, 4, "help", "老人办证不便", "张某", "12345") // a bad phone is not judged yet
		f.Set("add_row", "1")
		p := c.submit("/staff/meetings/new", "/staff/meetings", f)
		if p.status != http.StatusOK {
			t.Fatalf("%d %s", p.status, p.body)
		}
		body := p.body
		if got := strings.Count(body, `class="opinion-row"`); got != 6 {
			t.Errorf("%d rows, want 6", got)
		}
		for _, want := range []string{`name="rows" value="6"`, `id="row-5"`, "希望增加夜间巡逻", "老人办证不便", `value="张某"`, `value="12345"`,
			`<option value="help" selected>`, "一、通报治安情况", `value="23"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(body, "field-error") || strings.Contains(body, `id="errors"`) {
			t.Error("adding a row judges the form")
		}
		row5 := body[strings.Index(body, `id="row-5"`):]
		row5 = row5[:strings.Index(row5, "</fieldset>")]
		if strings.Contains(row5, " selected") || !strings.Contains(row5, `class="short"></textarea>`) || !strings.Contains(row5, `name="opinions[5].name" type="text" value=""`) {
			t.Errorf("the new row is not empty: %s", row5)
		}
		if n := e.itemCount(); n != 0 {
			t.Fatalf("%d items created", n)
		}
		if page, _ := e.db.Meetings(ctx, meeting.Filter{}); len(page.Meetings) != 0 {
			t.Fatalf("meeting stored: %+v", page.Meetings)
		}
	})

	t.Run("at most 50 rows", func(t *testing.T) {
		f := meetingForm(day)
		f.Set("rows", "50")
		f.Set("add_row", "1")
		p := c.submit("/staff/meetings/new", "/staff/meetings", f)
		if p.status != http.StatusOK {
			t.Fatalf("%d %s", p.status, p.body)
		}
		if got := strings.Count(p.body, `class="opinion-row"`); got != 50 {
			t.Errorf("%d rows, want 50", got)
		}
		if strings.Contains(p.body, `name="add_row"`) {
			t.Error("a full form still offers to add a row")
		}
	})

	t.Run("one bad row creates nothing and is named", func(t *testing.T) {
		f := meetingForm(day)
		fillRow(f, 0, "suggestion", "希望增加夜间巡逻", "", "")
		fillRow(f, 3, "help", "老人办证不便", "张某", "12345")
		p := c.submit("/staff/meetings/new", "/staff/meetings", f)
		body := p.body
		if p.status != http.StatusBadRequest {
			t.Fatalf("%d %s", p.status, body)
		}
		for _, want := range []string{"第4条意见：电话号码格式不正确", `<p class="field-error" role="alert">电话号码格式不正确</p>`, "希望增加夜间巡逻", "老人办证不便"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		// The error stands beside row 4's phone, not row 2's.
		row4 := body[strings.Index(body, `id="row-3"`):]
		row4 = row4[:strings.Index(row4, "</fieldset>")]
		if !strings.Contains(row4, "电话号码格式不正确") {
			t.Errorf("the error is not in row 4: %s", row4)
		}
		if n := e.itemCount(); n != 0 {
			t.Fatalf("%d items created", n)
		}
		if page, _ := e.db.Meetings(ctx, meeting.Filter{}); len(page.Meetings) != 0 {
			t.Fatalf("meeting stored: %+v", page.Meetings)
		}
	})

	t.Run("meeting and form problems together", func(t *testing.T) {
		f := meetingForm(day)
		f.Set("place", "")
		f.Set("attendees", "很多")
		fillRow(f, 1, "", "没选类型的意见", "", "")
		p := c.submit("/staff/meetings/new", "/staff/meetings", f)
		body := p.body
		if p.status != http.StatusBadRequest {
			t.Fatalf("%d %s", p.status, body)
		}
		for _, want := range []string{"参加人数须为整数", "不能为空", "第2条意见：请选择类型"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if n := e.itemCount(); n != 0 {
			t.Fatalf("%d items created", n)
		}
	})

	var id string
	t.Run("three filled rows and two empty make three linked items", func(t *testing.T) {
		f := meetingForm(day)
		fillRow(f, 0, "suggestion", "希望增加夜间巡逻", "", "")
		fillRow(f, 2, "help", "老人办证不便，希望上门服务", "张某", "13900002222")
		fillRow(f, 4, "complaint", "牧区信号差，报警电话打不通", "", "")
		f.Set("opinions[1].kind", "suggestion") // a kind picked in a row left empty
		p := c.submit("/staff/meetings/new", "/staff/meetings", f)
		m := meetingPath.FindStringSubmatch(p.location)
		if p.status != http.StatusSeeOther || m == nil {
			t.Fatalf("%d → %q %s", p.status, p.location, p.body)
		}
		id = m[1]
		p = c.get(p.location)
		body := p.body
		if p.status != http.StatusOK {
			t.Fatalf("meeting page: %d %s", p.status, body)
		}
		numbers := regexp.MustCompile(`href="/staff/items/(\d{4}-\d{6})"`).FindAllStringSubmatch(body, -1)
		if len(numbers) != 3 || !strings.Contains(body, "座谈会已记录，3条意见已编号") {
			t.Fatalf("meeting page shows %d items: %s", len(numbers), body)
		}
		for _, want := range []string{"一、通报治安情况\n二、听取意见", "牧民群众、企业代表", "乌兰镇派出所会议室", "甲派出所"} {
			if !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("meeting page lacks %q", want)
			}
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		items, err := e.db.MeetingItems(ctx, n)
		if err != nil || len(items) != 3 || e.itemCount() != 3 {
			t.Fatalf("linked %d items (%v), %d in all", len(items), err, e.itemCount())
		}
		texts := []string{"希望增加夜间巡逻", "老人办证不便，希望上门服务", "牧区信号差，报警电话打不通"}
		for i, it := range items {
			if it.Channel != archive.ChannelForum || it.Text != texts[i] || it.UnitCode != "a" ||
				it.ReceivedAt.In(calendar.Zone).Format("2006-01-02") != day || it.Number != numbers[i][1] {
				t.Errorf("item %d: %+v", i, it)
			}
		}
		if items[1].Contact.Phone != "13900002222" {
			t.Errorf("contact not kept: %+v", items[1].Contact)
		}
	})

	t.Run("list and visibility", func(t *testing.T) {
		p := c.get("/staff/meetings")
		if st, body := p.status, p.body; st != http.StatusOK || !strings.Contains(body, `href="/staff/meetings/`+id+`"`) || !strings.Contains(body, `<td class="num">3</td>`) {
			t.Fatalf("list: %d %s", st, body)
		}
		b := e.loggedIn(t, "officer-b")
		if body := b.get("/staff/meetings").body; strings.Contains(body, "/staff/meetings/"+id) {
			t.Error("unit b lists unit a's meeting")
		}
		if st := b.get("/staff/meetings/" + id).status; st != http.StatusForbidden {
			t.Errorf("unit b opens unit a's meeting: %d", st)
		}
		// Unit staff cannot record for another unit by editing the form:
		// the intake rule refuses it, and nothing is written.
		before := e.itemCount()
		f := meetingForm(day)
		fillRow(f, 0, "suggestion", "乙所的意见", "", "")
		f.Set("host_unit", "a")
		p = b.submit("/staff/meetings/new", "/staff/meetings", f)
		if p.status != http.StatusForbidden || !strings.Contains(p.body, "只能交本单位办理") {
			t.Fatalf("officer of b records a meeting of a: %d %s", p.status, p.body)
		}
		if n := e.itemCount(); n != before {
			t.Fatalf("%d items created", n-before)
		}
		if page, _ := e.db.Meetings(ctx, meeting.Filter{}); len(page.Meetings) != 1 {
			t.Fatalf("%d meetings stored, want only the first", len(page.Meetings))
		}
		// Without a host unit in the form, it is the officer's own.
		f.Del("host_unit")
		p = b.submit("/staff/meetings/new", "/staff/meetings", f)
		if p.status != http.StatusSeeOther {
			t.Fatalf("%d %s", p.status, p.body)
		}
		p = b.get(p.location)
		if p.status != http.StatusOK || !strings.Contains(p.body, "乙派出所") {
			t.Errorf("unit b's meeting was not filed with unit b: %d %s", p.status, p.body)
		}
		l := e.loggedIn(t, "leader")
		if st := l.get("/staff/meetings/" + id).status; st != http.StatusOK {
			t.Errorf("leader: %d", st)
		}
		for _, path := range []string{"/staff/meetings/999", "/staff/meetings/x"} {
			if st := l.get(path).status; st != http.StatusNotFound {
				t.Errorf("%s: %d", path, st)
			}
		}
	})

	t.Run("export", func(t *testing.T) {
		// The list's export links give its meetings as a file, each with
		// its opinions; a unit's staff get their own unit's only.
		for who, want := range map[string]int{"officer-a": 1, "officer-b": 1, "leader": 2} {
			p := e.loggedIn(t, who).get("/staff/meetings?format=csv")
			rows := csvRows(t, answer{status: p.status, header: http.Header{"Content-Type": {"text/csv"}}, body: p.body})
			if len(rows)-1 != want {
				t.Fatalf("%s: %d meetings exported, want %d: %q", who, len(rows)-1, want, rows)
			}
			if who == "officer-a" && (column(t, rows, "地点")[0] != "乌兰镇派出所会议室" || column(t, rows, "意见（件）")[0] != "3" ||
				column(t, rows, "参会群体")[0] != "牧民群众、企业代表") {
				t.Errorf("officer-a's export: %q", rows)
			}
		}
		if body := c.get("/staff/meetings").body; !strings.Contains(body, `href="/staff/meetings?format=xlsx"`) {
			t.Error("the list offers no export")
		}
		if p := c.get("/staff/meetings?format=pdf"); p.status != http.StatusBadRequest {
			t.Errorf("format=pdf: %d", p.status)
		}
	})

	t.Run("no anti-forgery token", func(t *testing.T) {
		before := e.itemCount()
		f := meetingForm(day)
		fillRow(f, 0, "suggestion", "希望增加夜间巡逻", "", "")
		f.Set("csrf_token", "")
		if p := c.post("/staff/meetings", f); p.status != http.StatusForbidden {
			t.Fatalf("%d %s", p.status, p.body)
		}
		if n := e.itemCount(); n != before {
			t.Fatalf("%d items created", n-before)
		}
	})
}
