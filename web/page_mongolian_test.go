package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/locale"
	"minyi/org"
)

var (
	missingKey   = regexp.MustCompile(`\[[a-z0-9_]+\.[a-z0-9_.-]+\]`)
	cssAsset     = regexp.MustCompile(`url\((/static/[^)]+)\)`)
	mongolianRun = regexp.MustCompile(`[\x{1820}-\x{18AF}]{3,}`)
)

// TestMongolianPages checks that every citizen page, and the staff pages,
// render in Mongolian for a reader who chose it: the html tag names the
// language and script, the vertical stylesheet and its font are linked, the
// text is in the Mongolian script and no message is missing. Readers of
// the other languages get neither the stylesheet nor the font.
func TestMongolianPages(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	v := e.visitor()
	number, _ := v.writeIn(url.Values{"kind": {"suggestion"}, "text": {"建议在村口装路灯"}})
	mn := e.visitor()
	if st, _ := mn.get("/prefs?lang=mn-Mong"); st != http.StatusSeeOther && st != http.StatusFound {
		t.Fatalf("choosing Mongolian: %d", st)
	}
	citizen := []string{"/", "/write", "/write?channel=online_desk", "/track", "/track/" + number, "/desk", "/matters", "/service-points", "/login"}
	for _, path := range citizen {
		t.Run(path, func(t *testing.T) {
			st, body := mn.get(path)
			if st != http.StatusOK {
				t.Fatalf("%d %s", st, body)
			}
			checkMongolian(t, body)
			if _, zh := v.get(path); strings.Contains(zh, "/static/mn.css") || !strings.Contains(zh, `lang="zh-Hans"`) {
				t.Errorf("the Chinese page links the Mongolian stylesheet or is not in Chinese")
			}
		})
	}
	staff := e.loggedIn(t, "leader")
	staff.lang = "mn-Mong"
	for _, path := range []string{"/staff", "/staff/items/" + number, "/staff/dashboard", "/staff/matters", "/staff/account"} {
		t.Run(path, func(t *testing.T) {
			p := staff.get(path)
			if p.status != http.StatusOK {
				t.Fatalf("%d %s", p.status, p.body)
			}
			checkMongolian(t, p.body)
		})
	}
}

func checkMongolian(t *testing.T, body string) {
	t.Helper()
	if !strings.Contains(body, `<html lang="mn-Mong"`) {
		t.Errorf("no lang=mn-Mong on <html>")
	}
	if !strings.Contains(body, `<link rel="stylesheet" href="/static/mn.css">`) {
		t.Errorf("the Mongolian stylesheet is not linked")
	}
	if len(mongolianRun.FindAllString(body, -1)) < 5 {
		t.Errorf("hardly any text in the Mongolian script")
	}
	if m := missingKey.FindAllString(body, -1); len(m) > 0 {
		t.Errorf("messages missing: %v", m)
	}
}

// TestMongolianPagesAreLight weighs the citizen pages in Mongolian with
// everything they load: the stylesheets and the fonts the stylesheets name
// (the Mongolian font, about 34 KB, only on these pages). They keep the
// 100 KB budget of every citizen page, font included.
func TestMongolianPagesAreLight(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	v := e.visitor()
	number, _ := v.writeIn(url.Values{"kind": {"suggestion"}, "text": {"建议在村口装路灯"}})
	v.get("/prefs?lang=mn-Mong")
	asset := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	for _, path := range []string{"/", "/write", "/track", "/track/" + number, "/desk", "/matters", "/service-points"} {
		t.Run(path, func(t *testing.T) {
			st, body := v.get(path)
			if st != http.StatusOK {
				t.Fatalf("%d", st)
			}
			total, font := len(body), 0
			seen := map[string]bool{}
			for _, m := range asset.FindAllStringSubmatch(body, -1) {
				_, b := v.get(m[1])
				total += len(b)
				for _, f := range cssAsset.FindAllStringSubmatch(b, -1) {
					if seen[f[1]] {
						continue
					}
					seen[f[1]] = true
					fst, fb := v.get(f[1])
					if fst != http.StatusOK {
						t.Errorf("%s: %d", f[1], fst)
					}
					total += len(fb)
					font += len(fb)
				}
			}
			t.Logf("%s: %d bytes with its styles, scripts and fonts (fonts %d)", path, total, font)
			if font < 20<<10 {
				t.Errorf("the Mongolian font is not loaded (%d bytes of fonts)", font)
			}
			if total > 100<<10 {
				t.Errorf("%s weighs %d bytes before photos, over 100 KB", path, total)
			}
		})
	}
}

// TestBilingualPosterAndReceipt checks that the QR poster and the receipt
// speak Mongolian beside Chinese, as the region's public signage does,
// whatever the reader's language, with the Mongolian font linked.
func TestBilingualPosterAndReceipt(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	cat := locale.Default()
	v := e.visitor()
	st, answer := v.post("/write", v.writeForm(url.Values{"kind": {"suggestion"}, "text": {"建议在村口装路灯"}}))
	if st != http.StatusSeeOther {
		t.Fatalf("write in: %d", st)
	}
	loc, _, _ := strings.Cut(strings.TrimPrefix(answer, "Location: "), "\n")
	_, receipt := v.get(loc)
	admin := e.loggedIn(t, "admin")
	poster := admin.open("/qr/a")
	tests := []struct {
		name, body string
		keys       []string
	}{
		{"receipt", receipt, []string{"written.title", "track.number", "track.code"}},
		{"poster", poster, []string{"qr.poster_heading", "qr.poster_lead", "qr.poster_promise"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.body, `lang="zh-Hans"`) || !strings.Contains(tt.body, `lang="mn-Mong">`) {
				t.Errorf("not in Chinese with a Mongolian block")
			}
			if !strings.Contains(tt.body, `href="/static/mn-font.css"`) || strings.Contains(tt.body, `href="/static/mn.css"`) {
				t.Errorf("the Mongolian font should be linked, the vertical page layout not")
			}
			for _, k := range tt.keys {
				if !strings.Contains(tt.body, cat.T(locale.Mn, k)) || !strings.Contains(tt.body, cat.T(locale.Hans, k)) {
					t.Errorf("%s is not there in both scripts", k)
				}
			}
		})
	}
}

// TestNamesInTheReadersLanguage checks that the names admins give a unit
// and a category in English and Mongolian, on their admin forms, show to
// readers of those languages, and the Chinese name to the others and where
// none was given, on both databases.
func TestNamesInTheReadersLanguage(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			e := newEnv(t, testdb.Open(t, d))
			admin := e.loggedIn(t, "admin")
			if form := admin.open("/staff/admin/units/a/edit"); !strings.Contains(form, `href="/static/mn-font.css"`) || !strings.Contains(form, `name="name_mn" type="text" lang="mn-Mong"`) {
				t.Errorf("the unit form has no Mongolian name field with its font")
			}
			if p := admin.submit("/staff/admin/units/a/edit", "/staff/admin/units/a", url.Values{"name": {"甲派出所"},
				"name_en": {"Station A"}, "name_mn": {"ᠠ ᠰᠠᠯᠪᠤᠷ"}, "kind": {string(org.UnitStation)}, "parent_code": {"bureau"}}); p.status != http.StatusSeeOther {
				t.Fatalf("unit: %d %s", p.status, p.body)
			}
			if p := admin.submit("/staff/admin/categories/hukou/edit", "/staff/admin/categories/hukou", url.Values{"name": {"户籍"},
				"name_en": {"Household register"}, "name_mn": {"ᠭᠡᠷ ᠪᠦᠯᠢ ᠶᠢᠨ ᠪᠦᠷᠢᠳᠬᠡᠯ"}, "unit": {"a"},
				"limit_amount": {"3"}, "limit_unit": {"working_days"}, "active": {"1"}}); p.status != http.StatusSeeOther {
				t.Fatalf("category: %d %s", p.status, p.body)
			}
			u, err := e.db.Unit(t.Context(), "a")
			if err != nil || u.NameEn != "Station A" || u.NameMn != "ᠠ ᠰᠠᠯᠪᠤᠷ" {
				t.Fatalf("stored unit %+v %v", u, err)
			}
			tests := []struct {
				lang      string
				want, not []string
			}{
				{"zh-Hans", []string{"甲派出所", ">户籍<"}, []string{"Station A", "ᠠ ᠰᠠᠯᠪᠤᠷ"}},
				{"en", []string{"Station A", ">Household register<"}, []string{"甲派出所"}},
				{"mn-Mong", []string{"ᠠ ᠰᠠᠯᠪᠤᠷ", ">ᠭᠡᠷ ᠪᠦᠯᠢ ᠶᠢᠨ ᠪᠦᠷᠢᠳᠬᠡᠯ<"}, []string{"甲派出所", "Station A"}},
			}
			for _, tt := range tests {
				v := e.visitor()
				v.get("/prefs?lang=" + tt.lang)
				_, body := v.get("/write?channel=qr_code&unit=a")
				for _, w := range tt.want {
					if !strings.Contains(body, w) {
						t.Errorf("%s: %q not on the write-in form", tt.lang, w)
					}
				}
				for _, n := range tt.not {
					if strings.Contains(body, n) {
						t.Errorf("%s: %q on the write-in form", tt.lang, n)
					}
				}
			}
		})
	}
}
