package e2e

import (
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/demo"
)

// writePNG writes a w×h PNG of noise, which does not compress: big.
func writePNG(t *testing.T, name string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255})
		}
	}
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWriteInErrorSummary: a refused write-in opens on the error summary,
// whose link puts the cursor in the field named, in the error colour;
// the photo chosen is asked for again by name.
func TestWriteInErrorSummary(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	b.Go(base + "/write")
	var marks int
	b.Eval(`document.querySelectorAll("abbr.req").length`, &marks)
	if marks != 2 {
		t.Errorf("%d required marks, want 2", marks)
	}
	b.Click(`input[name=kind][value=help]`)
	b.Fill("#text", "村口路灯坏了")
	b.Fill("#phone", "12345")
	b.Upload("#photos", writePNG(t, "lamp.png", 40, 30))
	b.SubmitForm("#text")
	var focused string
	b.Eval(`document.activeElement.id`, &focused)
	if focused != "errors" {
		t.Errorf("the refused form opens on %q, not the error summary", focused)
	}
	if got := b.Text("#errors h2"); got != "有问题需要您处理" {
		t.Errorf("the summary's heading: %q", got)
	}
	if !strings.Contains(b.Text("#photos-again"), "lamp.png") {
		t.Errorf("the lost photo is not asked for again by name: %q", b.Text("main"))
	}
	var colour string
	b.Eval(`getComputedStyle(document.querySelector("#phone-error")).color`, &colour)
	if colour == "rgb(27, 31, 36)" || colour == "" {
		t.Errorf("the phone's message is not in the error colour: %s", colour)
	}
	b.AssertNoSeriousAxe(t)
	b.ScreenshotAs("write-error-summary")
	b.Click(`.error-summary a[href="#phone"]`)
	b.Eval(`document.activeElement.id`, &focused)
	if focused != "phone" {
		t.Errorf("the summary's link put the cursor in %q, not the phone", focused)
	}
}

// TestWriteInShrinksLargePhotos: a photo over the limit is made smaller in
// the browser before it is sent, and the item is filed with it.
func TestWriteInShrinksLargePhotos(t *testing.T) {
	base := server(t)
	big := writePNG(t, "big.png", 1800, 1300)
	if fi, err := os.Stat(big); err != nil || fi.Size() <= archive.MaxPhotoBytes {
		t.Fatalf("the test photo is not over the limit: %v %v", fi.Size(), err)
	}
	b := newPhone(t)
	b.Go(base + "/write")
	b.Click(`input[name=kind][value=complaint]`)
	b.Fill("#text", "路面塌陷，附照片。")
	b.Upload("#photos", big)
	var size int
	b.Eval(`new Promise(done => { const f = document.querySelector("#photos"); let n = 0;
		(function wait() { const s = f.files[0] ? f.files[0].size : 0; if (s && s <= +f.dataset.maxBytes || ++n > 100) done(s); else setTimeout(wait, 100); })(); })`, &size)
	if size == 0 || size > archive.MaxPhotoBytes {
		t.Fatalf("the photo sent weighs %d bytes, over the limit", size)
	}
	b.SubmitForm("#text")
	if !numberPattern.MatchString(strings.TrimSpace(b.Text("#number"))) {
		t.Fatalf("no receipt after sending the shrunk photo: %s", b.Text("main"))
	}
}

// TestAskTheDesk: the desk's short form asks for the question alone and
// leads to a receipt.
func TestAskTheDesk(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	b.Go(base + "/desk")
	b.Click(`a[href="/ask"]`)
	if b.Exists("#category") || b.Exists("#photos") || !b.Exists("#consent") {
		t.Errorf("the ask form is not the short one with its consent line")
	}
	b.AssertNoSeriousAxe(t)
	b.ScreenshotAs("ask")
	b.Fill("#text", "办理居住证需要哪些材料？")
	b.SubmitForm("#text")
	if !numberPattern.MatchString(strings.TrimSpace(b.Text("#number"))) {
		t.Fatalf("no receipt after asking: %s", b.Text("main"))
	}
}

// TestDeskCountAndMarks: the desk says how many questions it has and a
// search found, shows a question asked again once with how many asked it,
// leading to them all, and marks the terms searched.
func TestDeskCountAndMarks(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	b.Go(base + "/desk")
	if !strings.Contains(b.Text("#desk-count"), "条公开问答") {
		t.Errorf("no count on the desk: %q", b.Text("main"))
	}
	// The demo's questions are asked five or six times each.
	asked := b.Text("article.qa .same-q a")
	if !strings.Contains(asked, "人问过同样的问题") {
		t.Fatalf("no question on the desk says how many asked it: %q", b.Text("main"))
	}
	b.Click("article.qa .same-q a")
	var n int
	b.Eval(`document.querySelectorAll("article.qa").length`, &n)
	if want := strings.TrimSuffix(asked, "人问过同样的问题"); !strings.Contains(b.Text("#desk-count"), want+"人问过这个问题") || strconv.Itoa(n) != want {
		t.Errorf("the askers' page shows %d questions and says %q, want %s", n, b.Text("#desk-count"), want)
	}
	b.AssertNoSeriousAxe(t)
	b.ScreenshotAs("desk-asked")
	b.Go(base + "/desk")
	b.Fill("#q", "身份證")
	b.SubmitForm("#q")
	if !strings.Contains(b.Text("#desk-count"), "找到") {
		t.Errorf("no count of the search: %q", b.Text("main"))
	}
	var marks []string
	b.Eval(`[...document.querySelectorAll("article.qa mark")].map(m => m.textContent)`, &marks)
	if len(marks) == 0 {
		t.Fatal("no term marked")
	}
	for _, m := range marks {
		if !strings.Contains("身份证", m) {
			t.Errorf("marked %q", m)
		}
	}
	b.AssertNoSeriousAxe(t)
	b.ScreenshotAs("desk-search")
}

// TestFooterAndPrivacy: every citizen page ends with the organiser, the
// duty phone, the filing numbers and the privacy notice.
func TestFooterAndPrivacy(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	for _, path := range []string{"/", "/write", "/desk", "/track"} {
		b.Go(base + path)
		foot := b.Text("#site-legal")
		for _, want := range []string{"主办单位", demo.DutyPhone, demo.ICPFiling, demo.PSBFiling, "个人信息保护说明"} {
			if !strings.Contains(foot, want) {
				t.Errorf("%s: the footer lacks %q: %q", path, want, foot)
			}
		}
	}
	b.Click(`#site-legal a[href="/privacy"]`)
	if got := b.Text("h1"); got != "个人信息保护说明" {
		t.Fatalf("the privacy link leads to %q", got)
	}
	b.AssertNoSeriousAxe(t)
	b.ScreenshotAs("privacy")
}
