package web_test

import (
	"net/http"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// TestAPIImportPreviousNamesImporterToItsUnit: the refusal of a file
// imported before names who imported it only to that unit's staff and to
// leaders and admins; staff of another unit learn the day, not the name.
func TestAPIImportPreviousNamesImporterToItsUnit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		book := filled(t, e.template("measures", "officer-a"), []string{"措施名称", "实施单位", "便民内容", "状态", "研究日期"},
			[][]any{{"预约上门办证", "a", "为行动不便群众上门办证", "", "2021-07-01"}})
		if st, _, body := e.upload("measures", "officer-a", book, false); st != http.StatusCreated {
			t.Fatalf("import: %d %s", st, body)
		}
		for _, c := range []struct {
			user  string
			named bool
		}{{"officer-a", true}, {"aux-a", true}, {"leader", true}, {"admin", true}, {"officer-b", false}} {
			t.Run(c.user, func(t *testing.T) {
				st, _, body := e.upload("measures", c.user, book, false)
				if st != http.StatusConflict {
					t.Fatalf("the same file again: %d %s", st, body)
				}
				if got := strings.Contains(body, "officer-a"); got != c.named {
					t.Errorf("the refusal names the importer: %v, want %v: %s", got, c.named, body)
				}
				if !strings.Contains(body, "imported on") || !strings.Contains(body, "已于") {
					t.Errorf("the refusal does not give the day: %s", body)
				}
				_, res, body := e.upload("measures", c.user, book, true)
				if res.Previous == nil {
					t.Fatalf("a dry run does not tell of the earlier import: %s", body)
				}
				if want := map[bool]string{true: "officer-a"}[c.named]; res.Previous.Actor != want || !c.named && strings.Contains(body, "officer-a") {
					t.Errorf("a dry run's previous import: actor %q, want %q: %s", res.Previous.Actor, want, body)
				}
			})
		}
	})
}
