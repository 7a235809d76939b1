package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// codeListRows is a code list's editor on /staff/admin/settings sent with
// rows of code, Chinese, English (and, for the outcomes, unit): section is
// the form's, prefix its inputs' (outcome_code…).
func codeListRows(section, prefix string, rows ...[]string) url.Values {
	f := url.Values{"section": {section}}
	for _, r := range rows {
		for i, col := range []string{"code", "zh", "en", "unit"} {
			if i < len(r) {
				f[prefix+"_"+col] = append(f[prefix+"_"+col], r[i])
			} else if col != "unit" || prefix == "outcome" {
				f[prefix+"_"+col] = append(f[prefix+"_"+col], "")
			}
		}
	}
	return f
}

// TestAdminSettingsCodeLists walks each code list's editor (codeListEditor):
// only admins; it starts from the defaults; a bad row is refused beside it
// with what was typed kept and nothing stored; a good list, blank rows
// skipped, is stored and shown again, and the other lists stay as they were.
// What each list then changes elsewhere is its register's test.
func TestAdminSettingsCodeLists(t *testing.T) {
	lists := []struct {
		section, prefix string
		dflt            string // a default's code, shown before saving
		bad             [][]string
		errRow          string // the bad row, its error shown beside it
		good            [][]string
		other           string // another list's default, still shown after saving
	}{
		{"outcomes", "outcome", "sheep",
			[][]string{{"wells", "水井", "Wells dug", "口"}, {}, {"cattle", "牛", "", "头"}}, "3",
			[][]string{{"wells", "水井", "Wells dug", "口"}, {}, {"cattle", "牛", "Cattle", "头"}, {}}, "wechat"},
		{"channels", "channel", "short_video",
			[][]string{{"wells", "抖音", "Douyin"}, {"WeChat", "微信", "WeChat"}}, "2",
			[][]string{{"wells", "抖音", "Douyin"}, {}, {"wechat", "微信公众号", "WeChat official account"}}, "cattle"},
		{"dispute_kinds", "kind", "livestock",
			[][]string{{"wells", "草场纠纷", "grassland"}, {"other", "草场纠纷", "other"}}, "2",
			[][]string{{"wells", "草场纠纷", "grassland"}, {}, {"other", "其他", "other"}}, "cattle"},
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		if p := e.loggedIn(t, "officer-a").get("/staff/admin/settings"); p.status != http.StatusForbidden {
			t.Errorf("an officer opens the settings: %d", p.status)
		}
		admin := e.loggedIn(t, "admin")
		for _, l := range lists {
			t.Run(l.section, func(t *testing.T) {
				input := `name="` + l.prefix + `_code" value="`
				if body := admin.open("/staff/admin/settings"); !strings.Contains(body, input+l.dflt+`"`) {
					t.Fatalf("the editor does not start from the defaults")
				}
				p := admin.submit("/staff/admin/settings", "/staff/admin/settings", codeListRows(l.section, l.prefix, l.bad...))
				if p.status != http.StatusBadRequest || !strings.Contains(p.body, `id="`+l.prefix+`-err-`+l.errRow+`"`) || !strings.Contains(p.body, `value="`+l.bad[0][1]+`"`) {
					t.Fatalf("a bad row %s: %d, the refusal not beside it or the rows typed lost: %s", l.errRow, p.status, p.body)
				}
				if body := admin.open("/staff/admin/settings"); strings.Contains(body, input+`wells"`) {
					t.Fatalf("a refused list was stored")
				}
				p = admin.submit("/staff/admin/settings", "/staff/admin/settings", codeListRows(l.section, l.prefix, l.good...))
				if p.status != http.StatusSeeOther {
					t.Fatalf("save: %d %s", p.status, p.body)
				}
				// Sent again (a reload after the redirect): the same list.
				if p := admin.submit("/staff/admin/settings", "/staff/admin/settings", codeListRows(l.section, l.prefix, l.good...)); p.status != http.StatusSeeOther {
					t.Fatalf("saved again: %d", p.status)
				}
				body := admin.open("/staff/admin/settings")
				if !strings.Contains(body, input+`wells"`) || strings.Contains(body, input+l.dflt+`"`) || !strings.Contains(body, `value="`+l.other+`"`) {
					t.Fatalf("the page does not show the list saved (and the others as they were)")
				}
			})
		}
	})
}
