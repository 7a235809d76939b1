package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"minyi/internal/browsertest"
	"minyi/locale"
)

// TestMongolian walks the pages in Mongolian on a phone and at a staff
// desk: the writing runs in vertical columns left to right, the Mongolian
// font is loaded, the page scrolls only sideways, a citizen can still write
// in (and is told in Mongolian what to fix when the form is refused), and
// axe finds no serious violation. Screenshots go to
// tmp/artifacts/mn-<page>.png.
func TestMongolian(t *testing.T) {
	base := server(t)
	phone := newPhone(t)
	number, _ := writeIn(t, phone, base, "蒙古文检查：建议在嘎查村口装路灯。")
	t.Run("receipt-zh", func(t *testing.T) {
		// The receipt in Chinese carries its Mongolian column.
		if !phone.Exists(`dl.mn-block[lang=mn-Mong]`) {
			t.Errorf("no Mongolian on the Chinese receipt")
		}
		keep(t, phone.Screenshot("receipt-zh"), "receipt-zh")
		phone.AssertNoSeriousAxe(t)
	})
	phone.Go(base + "/prefs?lang=mn-Mong")
	citizenPages := []struct{ name, path string }{
		{"home", "/"},
		{"write", "/write"},
		{"track", "/track/" + number},
		{"desk", "/desk"},
	}
	for _, p := range citizenPages {
		t.Run("citizen/"+p.name, func(t *testing.T) {
			phone.Go(base + p.path)
			checkVertical(t, phone)
			mnScreenshot(t, phone, p.name)
			phone.AssertNoSeriousAxe(t)
		})
	}
	t.Run("citizen/write-refused", func(t *testing.T) {
		// A refused form explains itself in Mongolian, in columns: the
		// summary opens first, its link reaches the field, and the
		// service's message (电话号码格式不正确) comes from errors.json.
		phone.Go(base + "/write")
		phone.Click(`input[name=kind][value=help]`)
		phone.Fill("#text", "ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ ᠢᠶᠡᠷ ᠪᠢᠴᠢᠪᠡ")
		phone.Fill("#phone", "12345")
		phone.SubmitForm("#text")
		var focused string
		phone.Eval(`document.activeElement.id`, &focused)
		if focused != "errors" {
			t.Errorf("the refused form opens on %q, not the error summary", focused)
		}
		want, _ := locale.Default().ErrorText(locale.Mn, "电话号码格式不正确")
		if got := phone.Text("#phone-error"); want == "" || !strings.Contains(got, want) {
			t.Errorf("the phone's message %q, want %q", got, want)
		}
		if got := phone.Text("#errors"); strings.ContainsFunc(got, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("the summary has Chinese: %q", got)
		}
		checkVertical(t, phone)
		mnScreenshot(t, phone, "write-refused")
		phone.AssertNoSeriousAxe(t)
		phone.Click(`.error-summary a[href="#phone"]`)
		phone.Eval(`document.activeElement.id`, &focused)
		if focused != "phone" {
			t.Errorf("the summary's link put the cursor in %q, not the phone", focused)
		}
	})
	t.Run("citizen/write-in", func(t *testing.T) {
		// The form works in columns: the controls can be reached and filled.
		phone.Go(base + "/write")
		phone.Click(`input[name=kind][value=help]`)
		phone.Fill("#text", "ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ ᠢᠶᠡᠷ ᠪᠢᠴᠢᠪᠡ")
		phone.SubmitForm("#text")
		if n := phone.Text("#number"); !numberPattern.MatchString(n) {
			t.Fatalf("no tracking number after writing in Mongolian: %q", n)
		}
		mnScreenshot(t, phone, "written")
		phone.AssertNoSeriousAxe(t)
	})

	desk := newDesk(t)
	login(t, desk, base, "leader")
	t.Run("qr-poster-zh", func(t *testing.T) {
		desk.Go(base + "/qr/wulan-station?point=乌兰镇政务大厅")
		if !desk.Exists(`.poster .mn-block[lang=mn-Mong]`) {
			t.Errorf("no Mongolian on the poster")
		}
		keep(t, desk.Screenshot("qr-poster"), "qr-poster")
		desk.AssertNoSeriousAxe(t)
	})
	desk.Go(base + "/prefs?lang=mn-Mong")
	for _, p := range []struct{ name, path string }{
		{"staff-inbox", "/staff"},
		{"staff-item", "/staff/items/" + number},
	} {
		t.Run(p.name, func(t *testing.T) {
			desk.Go(base + p.path)
			checkVertical(t, desk)
			mnScreenshot(t, desk, p.name)
			desk.AssertNoSeriousAxe(t)
		})
	}
}

// checkVertical checks the page is set in Mongolian columns with the
// Mongolian font and scrolls only sideways.
func checkVertical(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	var got struct {
		Lang, Mode         string
		Font               bool
		Overflow, Sideways int
	}
	b.Eval(`({
		Lang: document.documentElement.lang,
		Mode: getComputedStyle(document.querySelector("main")).writingMode,
		Font: [...document.fonts].some(f => f.family.includes("Noto Sans Mongolian") && f.status === "loaded"),
		Overflow: Math.max(document.documentElement.scrollHeight - window.innerHeight, document.documentElement.scrollWidth - window.innerWidth),
		Sideways: document.body.scrollWidth - document.body.clientWidth,
	})`, &got)
	if got.Lang != "mn-Mong" || got.Mode != "vertical-lr" {
		t.Errorf("lang %q, writing-mode %q", got.Lang, got.Mode)
	}
	if !got.Font {
		t.Errorf("the Mongolian font is not loaded")
	}
	// The body scrolls, not the document: a document wider than a phone
	// makes it zoom out and lengthen the columns past the screen.
	if got.Overflow > 1 {
		t.Errorf("the document overflows the screen by %d px: only the body should scroll", got.Overflow)
	}
	if got.Sideways <= 0 {
		t.Logf("the page fits the screen without scrolling sideways")
	}
}

// mnScreenshot keeps the page, its columns at the screen's height, as
// tmp/artifacts/mn-<name>.png.
func mnScreenshot(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	keep(t, b.ScreenshotSideways("mn-"+name), name)
}

// keep renames a screenshot to tmp/artifacts/mn-<name>.png.
func keep(t *testing.T, path, name string) {
	t.Helper()
	if err := os.Rename(path, filepath.Join(filepath.Dir(path), "mn-"+name+".png")); err != nil {
		t.Error(err)
	}
}
