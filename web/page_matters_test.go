package web_test

import (
	"net/http"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// newMatterPagesEnv is the shared environment plus a partner and an
// auxiliary of unit a, to see that each gets the right buttons.
func newMatterPagesEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	return newEnv(t, db, withUsers(org.User{Name: "partner-a", Role: org.RolePartner, UnitCode: "a"},
		org.User{Name: "aux-a", Role: org.RoleAuxiliary, UnitCode: "a"}))
}

// noMissingMessages fails when a page shows a catalogue key instead of its
// text.
func noMissingMessages(t *testing.T, path, body string) {
	t.Helper()
	for _, prefix := range []string{"[matter.", "[matters.", "[nav."} {
		if strings.Contains(body, prefix) {
			t.Fatalf("%s shows a missing message %s…: %s", path, prefix, body)
		}
	}
}

func TestMatterListPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		newMatter(t, e, "officer-a")
		body := matterBody("帮助学生申请助学金", "b")
		body["class"] = "hopeful"
		if st, b := e.do("POST", "/api/v1/matters", "officer-b", body); st != 201 {
			t.Fatalf("create b: %d %v", st, b)
		}
		for _, c := range []struct {
			name, user, path string
			want, not        []string
		}{
			{"own unit only", "officer-a", "/staff/matters", []string{"帮助牧民秋收玉米", "共1件", "巴*", `href="/staff/matters/new"`}, []string{"助学金", "巴特尔", "13912345678"}},
			{"leader sees all", "leader", "/staff/matters", []string{"帮助牧民秋收玉米", "助学金", "共2件"}, nil},
			{"filter by class", "leader", "/staff/matters?class=hopeful", []string{"助学金", "共1件"}, []string{"秋收玉米"}},
			{"filter by status", "leader", "/staff/matters?status=done", []string{"共0件", "没有符合条件的实事"}, []string{"秋收玉米"}},
			{"full text", "leader", "/staff/matters?q=" + "玉米", []string{"秋收玉米", "共1件"}, []string{"助学金"}},
			{"partner reads, creates nothing", "partner-a", "/staff/matters", []string{"秋收玉米"}, []string{`href="/staff/matters/new"`}},
			{"english", "leader", "/staff/matters?status=planned", []string{"Practical matters", "2 matters", "Planned"}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				s := e.loggedIn(t, c.user)
				if strings.Contains(c.name, "english") {
					s.lang = "en"
				}
				page := s.open(c.path)
				noMissingMessages(t, c.path, page)
				for _, w := range c.want {
					if !strings.Contains(page, w) {
						t.Errorf("%s lacks %q", c.path, w)
					}
				}
				for _, n := range c.not {
					if strings.Contains(page, n) {
						t.Errorf("%s shows %q", c.path, n)
					}
				}
			})
		}
		t.Run("bad filter", func(t *testing.T) {
			if p := e.loggedIn(t, "leader").get("/staff/matters?status=sad"); p.status != http.StatusBadRequest {
				t.Errorf("bad status filter: %d", p.status)
			}
		})
		t.Run("paging", func(t *testing.T) {
			for i := 0; i < 31; i++ {
				newMatter(t, e, "officer-a")
			}
			s := e.loggedIn(t, "officer-a")
			first := s.open("/staff/matters")
			if !strings.Contains(first, "共32件") || !strings.Contains(first, `rel="next"`) {
				t.Fatalf("first page has no count or next link")
			}
			i := strings.Index(first, `rel="next" href="`)
			next := first[i+len(`rel="next" href="`):]
			next = strings.ReplaceAll(next[:strings.Index(next, `"`)], "&amp;", "&")
			second := s.open(next)
			if strings.Count(second, "data-matter=") != 2 || strings.Contains(second, `rel="next"`) {
				t.Errorf("second page %s: %d rows", next, strings.Count(second, "data-matter="))
			}
		})
	})
}
