package e2e

import (
	"strings"
	"testing"

	"minyi/internal/browsertest"
)

// TestAccessibility runs axe-core on the main pages, as citizens and as
// staff, and keeps a screenshot of each as a test artifact.
func TestAccessibility(t *testing.T) {
	base := server(t)
	citizen := newPhone(t)
	number, _ := writeIn(t, citizen, base, "无障碍检查：建议在派出所门口加装扶手。")
	citizenPages := []struct{ name, path string }{
		{"home", "/"},
		{"write", "/write"},
		{"ask-desk", "/write?channel=online_desk"},
		{"track-form", "/track"},
		{"track", "/track/" + number},
		{"desk", "/desk"},
		{"desk-search", "/desk?q=身份证"},
		{"login", "/login"},
	}
	for _, p := range citizenPages {
		t.Run("citizen/"+p.name, func(t *testing.T) {
			citizen.Go(base + p.path)
			citizen.Screenshot(p.name)
			citizen.AssertNoSeriousAxe(t)
		})
	}
	t.Run("citizen/home-large", func(t *testing.T) {
		citizen.Go(base + "/prefs?large=1")
		citizen.Screenshot("home-large")
		citizen.AssertNoSeriousAxe(t)
	})

	staff := newDesk(t)
	login(t, staff, base, "leader")
	staff.Go(base + "/desk")
	href := ""
	staff.Eval(`document.querySelector("article.qa h2 a").getAttribute("href")`, &href)
	deskNumber := strings.TrimPrefix(href, "/desk/")
	staffPages := []struct{ name, path string }{
		{"inbox", "/staff"},
		{"inbox-all", "/staff?queue=all&q=户籍"},
		{"inbox-unassigned", "/staff?queue=all&assignee=none"},
		{"item-new", "/staff/items/" + number},
		{"item-answered", "/staff/items/" + deskNumber},
		{"entry", "/staff/entry"},
		{"meetings", "/staff/meetings"},
		{"meeting-new", "/staff/meetings/new"},
		{"dashboard", "/staff/dashboard?from=2021-01-01&to=2021-10-31"},
		{"qr", "/qr"},
		{"qr-poster", "/qr/wulan-station?point=乌兰镇政务大厅"},
		{"account", "/staff/account"},
	}
	checkPages(t, staff, base, "staff", staffPages)

	admin := newDesk(t)
	login(t, admin, base, "admin")
	checkPages(t, admin, base, "admin", []struct{ name, path string }{
		{"admin", "/staff/admin"},
		{"units", "/staff/admin/units"},
		{"users", "/staff/admin/users"},
		{"user-new", "/staff/admin/users/new"},
		{"categories", "/staff/admin/categories"},
		{"category-new", "/staff/admin/categories/new"},
		{"calendar", "/staff/admin/calendar"},
		{"canned", "/staff/admin/canned"},
		{"desk", "/staff/admin/desk"},
		{"apikeys", "/staff/admin/apikeys"},
		{"apikey-new", "/staff/admin/apikeys/new"},
		{"webhooks", "/staff/admin/webhooks"},
		{"webhook-new", "/staff/admin/webhooks/new"},
		{"notices", "/staff/admin/notices"},
		{"report-template", "/staff/admin/report-template"},
	})
}

// checkPages opens each page in b, keeps a screenshot and runs axe-core.
func checkPages(t *testing.T, b *browsertest.Browser, base, who string, pages []struct{ name, path string }) {
	t.Helper()
	for _, p := range pages {
		t.Run(who+"/"+p.name, func(t *testing.T) {
			b.Go(base + p.path)
			if b.Exists(".error-summary") && strings.Contains(b.Text("h1"), "出错了") {
				t.Fatalf("%s: %s", p.path, b.Text("main"))
			}
			b.Screenshot(p.name)
			b.AssertNoSeriousAxe(t)
		})
	}
}
