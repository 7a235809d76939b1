package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/internal/browsertest"
)

// The staff pages on an office screen, a phone and paper (issue 15 §12,
// §13): staff pages at 1366×768, the dashboard also at 390×844.

// newOffice opens a tab of the commonest office screen, 1366×768.
func newOffice(t *testing.T, opts ...browsertest.Option) *browsertest.Browser {
	t.Helper()
	return newTab(t, append([]browsertest.Option{browsertest.Size(1366, 768)}, opts...)...)
}

// overflows reports whether the page is wider than the window (a sideways
// scroll of the whole page).
func overflows(b *browsertest.Browser) bool {
	var wider bool
	b.Eval(`document.documentElement.scrollWidth > window.innerWidth + 1`, &wider)
	return wider
}

// TestMeetingFormAddsRows: the meeting form's 增加一条意见 adds a row and
// keeps what was typed — with script in the page, without it by the
// server — and the rows added are saved as opinions.
func TestMeetingFormAddsRows(t *testing.T) {
	t.Run("with script", func(t *testing.T) {
		base := server(t)
		b := newOffice(t)
		login(t, b, base, "wulan-officer")
		b.Go(base + "/staff/meetings/new")
		b.Fill("#place", "乌兰镇派出所会议室")
		b.Select("#o0-kind", "suggestion")
		b.Fill("#o0-text", "希望在集市日增加巡逻。")
		b.Click("[data-add-row]")
		var rows int
		b.Eval(`document.querySelectorAll("[data-opinion-row]").length`, &rows)
		if rows != 6 {
			t.Fatalf("%d rows after adding one, want 6", rows)
		}
		var kept, count string
		b.Eval(`document.querySelector("#o0-text").value`, &kept)
		b.Eval(`document.querySelector("[data-row-count]").value`, &count)
		if kept != "希望在集市日增加巡逻。" || count != "6" || !strings.HasSuffix(b.URL(), "/staff/meetings/new") {
			t.Fatalf("after adding a row: text %q, rows field %q, at %s", kept, count, b.URL())
		}
		if got := b.Text("#row-5 legend"); !strings.Contains(got, "6") {
			t.Errorf("the new row's legend %q", got)
		}
		b.Select("#o5-kind", "help")
		b.Fill("#o5-text", "老人办身份证希望上门。")
		b.AssertNoSeriousAxe(t)
		b.Screenshot("meeting-new")
		b.SubmitForm("#place")
		if !strings.Contains(b.Text("main"), "2条意见已编号") {
			t.Fatalf("the meeting with the added row was not saved with 2 opinions: %s", b.Text("main"))
		}
	})
	t.Run("without script", func(t *testing.T) {
		base := server(t)
		b := newOffice(t, browsertest.NoScript())
		login(t, b, base, "wulan-officer")
		b.Go(base + "/staff/meetings/new")
		b.Fill("#place", "蒙西镇嘎查活动室")
		b.Select("#o0-kind", "suggestion")
		b.Fill("#o0-text", "草场边界纠纷希望派出所出面调解。")
		b.Click("[data-add-row]")
		if !b.Exists("#row-5") {
			t.Fatalf("no sixth row after adding one without script: %s", b.Text("main"))
		}
		html := b.HTML()
		for _, want := range []string{"草场边界纠纷希望派出所出面调解。", `value="蒙西镇嘎查活动室"`} {
			if !strings.Contains(html, want) {
				t.Errorf("the form lost %q", want)
			}
		}
		b.Fill("#o5-text", "第六行也保存。")
		b.Select("#o5-kind", "help")
		b.SubmitForm("#place")
		if !strings.Contains(b.Text("main"), "2条意见已编号") {
			t.Fatalf("not saved with 2 opinions: %s", b.Text("main"))
		}
	})
}

// TestInboxSelectAllOnAnOfficeScreen: the leader selects every new item
// with one box and dispatches them; the list fits 1366 pixels, its
// numbers and due times on one line.
func TestInboxSelectAllOnAnOfficeScreen(t *testing.T) {
	base := server(t)
	items := servicesOf(t).Items
	var numbers []string
	for _, text := range []string{"小区门口的路灯坏了，晚上看不清。", "集市日车辆乱停，堵住了学校门口。", "想咨询一下老人身份证到期怎么换。"} {
		it, _, err := items.Submit(context.Background(), nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelOnlineBox, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, it.Number)
	}
	b := newOffice(t)
	login(t, b, base, "leader")
	b.Go(base + "/staff?queue=new")
	if !strings.Contains(b.Text("main"), "未派单") {
		t.Errorf("new items are not marked 未派单")
	}
	if overflows(b) {
		t.Error("the inbox is wider than a 1366-pixel screen")
	}
	var wrapped []string
	b.Eval(`Array.from(document.querySelectorAll("table.inbox td.nowrap")).filter(td => {
		const w = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
		for (let n = w.nextNode(); n; n = w.nextNode()) {
			const r = document.createRange(); r.selectNodeContents(n);
			if (r.getClientRects().length > 1) return true; // a text broken over lines
		}
		return false;
	}).map(td => td.textContent.trim())`, &wrapped)
	if len(wrapped) > 0 {
		t.Errorf("numbers or due times wrap: %q", wrapped)
	}
	t.Run("print", func(t *testing.T) {
		// A printout of the list: its rows, no menus, buttons or filters.
		b.Media("print")
		defer b.Media("")
		var shown []string
		b.Eval(`Array.from(document.querySelectorAll(".staffnav, button, .tabs, form.filters, .bulk, .export, .select-all, input[type=checkbox]")).filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 60))`, &shown)
		if len(shown) > 0 {
			t.Errorf("printed: %q", shown)
		}
		var rows int
		b.Eval(`Array.from(document.querySelectorAll("table.inbox tbody tr")).filter(e => e.getClientRects().length > 0).length`, &rows)
		if rows < len(numbers) {
			t.Errorf("%d rows printed, want at least %d", rows, len(numbers))
		}
	})
	b.Click("[data-select-all] input")
	var unchecked int
	b.Eval(`document.querySelectorAll("input[name=item]:not(:checked)").length`, &unchecked)
	if unchecked != 0 {
		t.Fatalf("%d items left unchecked by select-all", unchecked)
	}
	b.AssertNoSeriousAxe(t)
	b.Screenshot("inbox-select-all")
	b.Select("#bulk-unit", "wulan-station")
	b.SubmitForm("#bulk-unit")
	for _, n := range numbers {
		it, err := dbOf(t).Item(context.Background(), n)
		if err != nil || it.UnitCode != "wulan-station" {
			t.Errorf("%s: unit %q (%v), want wulan-station", n, it.UnitCode, err)
		}
	}
}

// TestDashboardOnAPhoneAndAnOfficeScreen: the dashboard fits a 390-pixel
// phone (the narrow charts shown, the tables scrolling in their boxes)
// and a 1366-pixel screen, axe-clean on both, with the preset periods.
func TestDashboardOnAPhoneAndAnOfficeScreen(t *testing.T) {
	base := server(t)
	const period = "/staff/dashboard?from=2021-01-01&to=2021-10-31"
	phone := newPhone(t)
	login(t, phone, base, "leader")
	phone.Go(base + period)
	if overflows(phone) {
		t.Error("the dashboard is wider than a 390-pixel phone")
	}
	var shown struct{ Wide, Narrow float64 }
	phone.Eval(`({Wide: document.querySelector(".chart-wide").offsetWidth, Narrow: document.querySelector(".chart-narrow svg").getBoundingClientRect().width})`, &shown)
	if shown.Wide != 0 || shown.Narrow == 0 || shown.Narrow > 390 {
		t.Errorf("on a phone the wide chart is %v px and the narrow one %v px wide, want hidden and within the screen", shown.Wide, shown.Narrow)
	}
	for _, label := range []string{"本月", "上月", "本季度", "本年"} {
		if !strings.Contains(phone.Text(".tabs"), label) {
			t.Errorf("no preset %s", label)
		}
	}
	phone.AssertNoSeriousAxe(t)
	phone.Screenshot("dashboard-phone")

	desk := newOffice(t)
	login(t, desk, base, "leader")
	desk.Go(base + period)
	if overflows(desk) {
		t.Error("the dashboard is wider than a 1366-pixel screen")
	}
	desk.Eval(`({Wide: document.querySelector(".chart-wide").offsetWidth, Narrow: document.querySelector(".chart-narrow").offsetWidth})`, &shown)
	if shown.Wide == 0 || shown.Narrow != 0 {
		t.Errorf("on a desk the wide chart is %v px and the narrow one %v px", shown.Wide, shown.Narrow)
	}
	desk.AssertNoSeriousAxe(t)
	desk.Screenshot("dashboard")
	desk.Media("print")
	var printed struct{ Filters, Wide, Narrow int }
	desk.Eval(`(() => { const seen = s => Array.from(document.querySelectorAll(s)).filter(e => e.getClientRects().length > 0).length;
		return {Filters: seen(".dash-filter, .tabs, .staffnav, button, .export"), Wide: seen(".chart-wide"), Narrow: seen(".chart-narrow")}; })()`, &printed)
	if printed.Filters != 0 || printed.Wide != 2 || printed.Narrow != 0 {
		t.Errorf("printed: %+v, want no filters, menus or buttons and the two wide charts", printed)
	}
	desk.Media("")
	desk.Click(`.tabs a[href*="from="]:first-child`)
	if !strings.Contains(desk.URL(), "from=") {
		t.Errorf("the preset link did not open a period: %s", desk.URL())
	}
}

// TestAnswerWithAttachments (issue 15 §11): the officer of 乌兰镇派出所
// answers with a photo and a PDF chosen in the file dialog; the timeline
// shows them by the answer, and the citizen sees them with the answer on
// a phone. Both pages axe-clean.
func TestAnswerWithAttachments(t *testing.T) {
	base := server(t)
	it, code, err := servicesOf(t).Items.Submit(context.Background(), nil, archive.Submission{Kind: archive.KindHelp,
		Channel: archive.ChannelQRCode, Unit: "wulan-station", Text: "派出所门口的台阶破了，老人走路容易摔。"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	photo, pdf := filepath.Join(dir, "修好后.png"), filepath.Join(dir, "维修单.pdf")
	if err := os.WriteFile(photo, onePixelPNG, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	officer := newOffice(t)
	login(t, officer, base, "wulan-officer")
	officer.Go(base + "/staff/items/" + it.Number)
	officer.SubmitForm("#sign")
	officer.Fill("#answer-body", "台阶已经修好，附修好后的照片和维修单。")
	officer.Upload("#answer-files", photo, pdf)
	officer.SubmitForm("#answer")
	expectStatus(t, officer.Text("#status"), "已答复")
	answer := officer.Text(`#timeline li[data-event="answered"]`)
	if !strings.Contains(answer, "维修单.pdf") || !officer.Exists(`#timeline li[data-event="answered"] img.thumb`) {
		t.Fatalf("the answer in the timeline lacks its files: %q", answer)
	}
	officer.AssertNoSeriousAxe(t)
	officer.Screenshot("item-answer-attachments")

	citizen := newPhone(t)
	citizen.Go(base + "/track/" + it.Number + "?code=" + code)
	if !strings.Contains(citizen.Text("#answer"), "维修单.pdf") || !citizen.Exists("#files img.thumb") {
		t.Fatalf("the citizen does not see the answer's files: %s", citizen.Text("main"))
	}
	var loaded bool
	citizen.Eval(`(() => { const i = document.querySelector("#files img.thumb"); i.loading = "eager"; return new Promise(r => { if (i.complete) r(i.naturalWidth > 0); i.onload = () => r(true); i.onerror = () => r(false); }); })()`, &loaded)
	if !loaded {
		t.Error("the answer's photo does not load for the citizen")
	}
	citizen.AssertNoSeriousAxe(t)
	citizen.Screenshot("track-answer-attachments")

	// Rated unsatisfied and answered again with another file: the
	// citizen sees each answer with its own files.
	citizen.Click("#rate-unsatisfied")
	citizen.Fill("#reason", "台阶边上还是松的。")
	citizen.SubmitForm("#reason")
	receipt := filepath.Join(dir, "复查单.pdf")
	if err := os.WriteFile(receipt, []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	officer.Go(base + "/staff/items/" + it.Number)
	if officer.Exists("#sign") {
		officer.SubmitForm("#sign")
	}
	officer.Fill("#answer-body", "台阶边已重新加固，附复查单。")
	officer.Upload("#answer-files", receipt)
	officer.SubmitForm("#answer")
	citizen.Reload()
	if panel := citizen.Text("#answer"); !strings.Contains(panel, "复查单.pdf") || strings.Contains(panel, "维修单.pdf") || citizen.Exists("#files img.thumb") {
		t.Fatalf("the last answer's panel: %s", panel)
	}
	first := `#timeline li[data-event="answered"]` // the first of them
	if !strings.Contains(citizen.Text(first), "维修单.pdf") || !citizen.Exists(first+" img.thumb") {
		t.Fatalf("the first answer in the timeline lacks its files: %s", citizen.Text("#timeline"))
	}
	citizen.AssertNoSeriousAxe(t)
	citizen.Screenshot("track-answered-twice")
}

// onePixelPNG is a 1×1 PNG.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
