package e2e

import (
	"testing"

	"minyi/internal/browsertest"
	"minyi/locale"
)

// TestLookInEveryLanguage opens the main citizen pages on a phone (390×844)
// and the main staff pages on an office screen (1366×768) in every language
// of the language switch, checks each with axe-core at AA and keeps a
// full-page screenshot of each as tmp/artifacts/look-<lang>-<page>.png, for
// people to look at the pages side by side.
func TestLookInEveryLanguage(t *testing.T) {
	base := server(t)
	citizen := newPhone(t)
	number, _ := writeIn(t, citizen, base, "外观检查：建议在派出所门口加装扶手。")
	staff := newTab(t, browsertest.Size(1366, 768))
	login(t, staff, base, "leader")

	citizenPages := []struct{ name, path string }{
		{"home", "/"},
		{"write", "/write"},
		{"track", "/track/" + number},
		{"desk", "/desk"},
		{"service-points", "/service-points"},
	}
	staffPages := []struct{ name, path string }{
		{"inbox", "/staff"},
		{"item", "/staff/items/" + number},
		{"dashboard", "/staff/dashboard?from=2021-01-01&to=2021-10-31"},
		{"matters", "/staff/matters"},
	}
	for _, lang := range locale.Langs {
		t.Run(string(lang), func(t *testing.T) {
			citizen.Go(base + "/prefs?lang=" + string(lang))
			for _, p := range citizenPages {
				t.Run("citizen/"+p.name, func(t *testing.T) {
					lookAt(t, citizen, base+p.path, lang, "citizen-"+p.name)
				})
			}
			staff.Go(base + "/prefs?lang=" + string(lang))
			for _, p := range staffPages {
				t.Run("staff/"+p.name, func(t *testing.T) {
					lookAt(t, staff, base+p.path, lang, "staff-"+p.name)
				})
			}
		})
	}
}

// lookAt opens url in b, checks that it came in lang and has no serious
// accessibility violation, and keeps its screenshot.
func lookAt(t *testing.T, b *browsertest.Browser, url string, lang locale.Lang, name string) {
	t.Helper()
	b.Go(url)
	var tag string
	b.Eval(`document.documentElement.lang`, &tag)
	if tag != lang.HTMLTag() {
		t.Errorf("%s came in %q, not %q", url, tag, lang.HTMLTag())
	}
	if b.Exists(`main > p.error-summary[role=alert]`) {
		t.Fatalf("%s is an error page: %s", url, b.Text("main"))
	}
	b.ScreenshotAs("look-" + string(lang) + "-" + name)
	b.AssertNoSeriousAxe(t)
	for _, small := range smallTargets(b) {
		t.Errorf("%s: a touch target under 44 px: %s", url, small)
	}
}

// targetsJS lists the controls of the page that stand alone (buttons,
// fields, menus, tabs, the pager, links alone in a list item or a table
// cell, the labels of boxes and radio buttons) whose box is less than 44 CSS
// pixels high or 24 wide. Links within a sentence are exempt, as WCAG 2.5.8
// has it; so are controls not shown and a report's preview.
const targetsJS = `(() => {
	const sel = 'button, .button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), ' +
		'label:has(> input[type=checkbox]), label:has(> input[type=radio]), summary, ' +
		'nav a, .tabs a, .pager a, li > a, td > a';
	const alone = el => el.parentElement.textContent.trim() === el.textContent.trim();
	const out = [];
	for (const el of document.querySelectorAll(sel)) {
		if (el.matches('li > a, td > a') && !el.matches('nav a, .tabs a, .pager a') && !alone(el)) continue;
		if (el.closest('.report-preview')) continue; // a document as printed, its figures linked to their lists
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
		if (r.height < 43.5 || r.width < 24) {
			out.push(el.outerHTML.slice(0, 120) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
		}
	}
	return out;
})()`

// smallTargets returns the controls of b's page that are too small to touch.
func smallTargets(b *browsertest.Browser) []string {
	var out []string
	b.Eval(targetsJS, &out)
	return out
}
