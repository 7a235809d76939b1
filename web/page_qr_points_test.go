package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

var (
	qrPointLink = regexp.MustCompile(`<a href="/qr/[a-z]+\?point=[^"]+">([^<]+)</a>`)
	qrNextLink  = regexp.MustCompile(`<a rel="next" href="([^"]+)">`)
)

// TestQRListsEveryActivePoint: /qr lists the active service points page by
// page with their count, so a bureau with more than a page of points
// reaches every poster, and finds them by words; closed points and
// another unit's points stay off. On SQLite and PostgreSQL.
func TestQRListsEveryActivePoint(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		const n = 120
		for i := range n {
			if st, b := e.do("POST", "/api/v1/service-points", "leader", map[string]any{"name": fmt.Sprintf("第%03d号便民服务站", i), "unit": "a", "address": "村委会"}); st != http.StatusCreated {
				t.Fatalf("create point %d: %d %v", i, st, b)
			}
		}
		for _, p := range []map[string]any{{"name": "已关闭的服务站", "unit": "a", "address": "镇政府", "status": "closed"}, {"name": "乙所服务站", "unit": "b", "address": "镇政府"}} {
			if st, b := e.do("POST", "/api/v1/service-points", "leader", p); st != http.StatusCreated {
				t.Fatalf("create %v: %d %v", p, st, b)
			}
		}
		officer := e.loggedIn(t, "officer-a")
		seen := map[string]bool{}
		pages := 0
		for path := "/qr"; path != ""; pages++ {
			if pages > 5 {
				t.Fatal("the pages of /qr do not end")
			}
			body := officer.open(path)
			if !strings.Contains(body, fmt.Sprintf("共%d个服务中的站点", n)) {
				t.Errorf("%s does not give the count of the points", path)
			}
			for _, m := range qrPointLink.FindAllStringSubmatch(body, -1) {
				if seen[m[1]] {
					t.Errorf("%s lists %s again", path, m[1])
				}
				seen[m[1]] = true
			}
			path = ""
			if m := qrNextLink.FindStringSubmatch(body); m != nil {
				path = html.UnescapeString(m[1])
			}
		}
		if len(seen) != n || pages != 3 || seen["已关闭的服务站"] || seen["乙所服务站"] {
			t.Errorf("%d pages list %d points, want every one of the %d active points of unit a on 3 pages", pages, len(seen), n)
		}
		body := officer.open("/qr?q=" + "第007号")
		if got := qrPointLink.FindAllStringSubmatch(body, -1); len(got) != 1 || got[0][1] != "第007号便民服务站" || !strings.Contains(body, "共1个服务中的站点") {
			t.Errorf("found by words: %v", got)
		}
		if p := officer.get("/qr?cursor=not-a-cursor"); p.status != http.StatusBadRequest {
			t.Errorf("a bad cursor: %d", p.status)
		}
	})
}
