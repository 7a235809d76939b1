package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"minyi/demo"
	"minyi/internal/browsertest"
)

var numberPattern = regexp.MustCompile(`^\d{4}-\d{6}$`)

// writeIn files a complaint through the write-in form as a citizen would on
// a phone and returns the tracking number and access code shown.
func writeIn(t *testing.T, b *browsertest.Browser, base, text string) (number, code string) {
	t.Helper()
	b.Go(base + "/")
	b.Click(`a.task[href="/write"]`)
	b.Click(`input[name=kind][value=complaint]`)
	b.Fill("#text", text)
	b.Fill("#township", "乌兰镇")
	b.Fill("#phone", "13912345678")
	b.SubmitForm("#text")
	number, code = strings.TrimSpace(b.Text("#number")), strings.TrimSpace(b.Text("#access-code"))
	if !numberPattern.MatchString(number) || len(code) != 8 {
		t.Fatalf("no tracking number and access code after writing in: %q %q\n%s", number, code, b.Text("main"))
	}
	return number, code
}

func TestCitizenWritesInAndTracks(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	b.Go(base + "/")
	b.Screenshot("home")
	number, code := writeIn(t, b, base, "村口的路灯坏了一个多月，晚上回家很危险，请尽快修理。")
	b.Screenshot("written")

	// The same phone comes back later: the code was remembered for this item.
	b.Click(`a[href="/track/` + number + `"]`)
	if got := b.Text("#status"); got != "已受理" {
		t.Errorf("status on the tracking page: %q", got)
	}
	if !strings.Contains(b.Text("#timeline"), "留言已受理") {
		t.Errorf("timeline lacks the receipt: %s", b.Text("#timeline"))
	}
	b.Screenshot("track")

	// Another device needs the number and the code; a wrong code is refused.
	other := newPhone(t)
	other.Go(base + "/track")
	other.Fill("#number", number)
	other.Fill("#code", "WRONG234")
	other.SubmitForm("#code")
	if !other.Exists(".field-error") || other.Exists("#timeline") {
		t.Fatalf("a wrong access code was accepted")
	}
	other.Fill("#code", strings.ToLower(code))
	other.SubmitForm("#code")
	if !other.Exists("#timeline") {
		t.Fatalf("the right access code (typed in lower case) was refused: %s", other.Text("main"))
	}
}

// TestReloadingTheReceiptFilesNothing: the messaging apps' browsers reload
// pages often. Reloading the receipt shows the same number and code, with
// the code nowhere in the address, and files nothing: the next message
// written in gets the next number.
func TestReloadingTheReceiptFilesNothing(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	number, code := writeIn(t, b, base, "小区门口的红绿灯坏了，早晚上学的孩子过马路很危险。")
	receipt := b.URL()
	if receipt != base+"/track/"+number+"/receipt" {
		t.Errorf("the form leads to %s", receipt)
	}
	for range 3 {
		b.Reload()
		if n, c := strings.TrimSpace(b.Text("#number")), strings.TrimSpace(b.Text("#access-code")); n != number || c != code || b.URL() != receipt {
			t.Fatalf("after a reload: %s %s at %s", n, c, b.URL())
		}
	}
	// The receipt, like the form, says where emergencies go: 110, or the
	// duty phone from the demo bureau's settings.
	if note := b.Text(`aside.emergency[role=note]`); !strings.Contains(note, "110") || !strings.Contains(note, demo.DutyPhone) {
		t.Errorf("the receipt's emergency notice: %q", note)
	}
	next, _ := writeIn(t, b, base, "建议在学校门口增设护学岗。")
	if want := fmt.Sprintf("%s%06d", number[:5], mustAtoi(t, number[5:])+1); next != want {
		t.Errorf("the next message got %s, want %s: reloading filed something", next, want)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWriteInWithoutJavaScript(t *testing.T) {
	base := server(t)
	b := newPhone(t, browsertest.NoScript())
	writeIn(t, b, base, "没有脚本也能留言：建议在集市附近设一个便民服务点。")
}

func TestWriteInRefusesBadInput(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	b.Go(base + "/write")
	b.Click(`input[name=kind][value=help]`)
	b.Fill("#text", "请帮忙")
	b.Fill("#phone", "12345")
	b.SubmitForm("#text")
	if !strings.Contains(b.Text("#errors"), "电话号码格式不正确") {
		t.Fatalf("bad phone not explained: %s", b.Text("main"))
	}
	var got string
	b.Eval(`document.querySelector("#text").value`, &got)
	if got != "请帮忙" {
		t.Errorf("the form lost the citizen's text: %q", got)
	}
	b.Screenshot("write-error")
}

func TestOnlineDesk(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	b.Go(base + "/desk")
	var n int
	b.Eval(`document.querySelectorAll("article.qa").length`, &n)
	if n < 10 {
		t.Fatalf("the online desk shows %d questions", n)
	}
	if strings.Contains(b.HTML(), "139") {
		t.Errorf("the online desk shows something like a phone number")
	}
	b.Screenshot("desk")

	// Searching in traditional Chinese finds questions in either script.
	b.Fill("#q", "戶籍")
	b.SubmitForm("#q")
	var texts []string
	b.Eval(`[...document.querySelectorAll("article.qa")].map(a => a.innerText)`, &texts)
	if len(texts) == 0 {
		t.Fatal("no result for 戶籍")
	}
	for _, s := range texts {
		if !strings.Contains(s, "户籍") && !strings.Contains(s, "戶籍") {
			t.Errorf("result without 户籍: %s", s)
		}
	}
	b.Click("article.qa h2 a")
	if !b.Exists(".reply") {
		t.Fatalf("the question page has no answer")
	}
	b.Screenshot("desk-question")
}

func TestElderFriendlyMode(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	b.Go(base + "/")
	var normal, large float64
	b.Eval(`parseFloat(getComputedStyle(document.querySelector("main p")).fontSize)`, &normal)
	b.Click("a.toggle")
	b.Eval(`parseFloat(getComputedStyle(document.querySelector("main p")).fontSize)`, &large)
	if large < normal*1.5-0.01 {
		t.Fatalf("large text is %.1fpx against %.1fpx: less than 150%%", large, normal)
	}
	b.Screenshot("home-large")
	// Remembered on the next page.
	b.Go(base + "/desk")
	var class string
	b.Eval(`document.documentElement.className`, &class)
	if class != "large" {
		t.Errorf("large text not remembered: class %q", class)
	}
	b.Click("a.toggle")
	b.Eval(`document.documentElement.className`, &class)
	if class != "" {
		t.Errorf("large text not switched off: class %q", class)
	}
}

func TestLanguageSwitch(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	tests := []struct{ lang, heading, nav string }{
		{"zh-Hant", "有事您說話", "查詢進度"},
		{"en", "Tell us what matters to you", "Track my item"},
		{"zh-Hans", "有事您说话", "查询进度"},
	}
	for _, tt := range tests {
		b.Go(base + "/")
		b.Click(`.prefs a[hreflang="` + tt.lang + `"]`)
		if got := b.Text("h1"); got != tt.heading {
			t.Errorf("%s: heading %q, want %q", tt.lang, got, tt.heading)
		}
		if !strings.Contains(b.Text("footer"), tt.nav) {
			t.Errorf("%s: footer lacks %q", tt.lang, tt.nav)
		}
		var lang string
		b.Eval(`document.documentElement.lang`, &lang)
		if lang != tt.lang {
			t.Errorf("html lang %q, want %q", lang, tt.lang)
		}
	}
}
