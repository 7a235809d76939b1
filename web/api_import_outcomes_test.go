package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestAPIImportOutcomesByChineseName: the matters' template lists the
// bureau's counted outcomes as code（中文）, and a row may name a key by its
// code or its Chinese name (牛=5、羊=53); a key the bureau does not list is
// refused by row and column.
func TestAPIImportOutcomesByChineseName(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		if _, err := archive.NewConfig(db, nil).SetSetting(ctx, org.Operator("test"), archive.SettingMatterOutcomes,
			"cattle|牛|Cattle|头\nsheep|羊|Sheep|只\nwells|水井|Wells dug|口"); err != nil {
			t.Fatal(err)
		}
		tmpl := e.template("matters", "officer-a")
		f, err := excelize.OpenReader(bytes.NewReader(tmpl))
		if err != nil {
			t.Fatal(err)
		}
		notes, err := f.GetRows("填写说明")
		if err != nil {
			t.Fatal(err)
		}
		var note string
		for _, r := range notes {
			if len(r) > 2 && r[0] == "成效数量" {
				note = r[2] + " " + r[3]
			}
		}
		if !strings.Contains(note, "wells（水井）") || !strings.Contains(note, "wells (Wells dug)") || strings.Contains(note, "horses") {
			t.Fatalf("the outcomes' note: %q", note)
		}
		headers := []string{"标题", "责任单位", "受益对象类型", "诉求类别", "立项日期", "状态", "办结日期", "成效故事", "成效数量"}
		row := func(title, outcomes string) []any {
			return []any{title, "a", "家庭", "揪心事", "2021-09-05", "已办结", "2021-09-13", "追回牛羊，打井。", outcomes}
		}
		tests := []struct {
			name     string
			outcomes string
			want     string // the outcomes stored; "" when refused
		}{
			{"by Chinese name", "牛=5、羊=53、水井＝2", "map[cattle:5 sheep:53 wells:2]"},
			{"by code", "cattle=5，sheep：53", "map[cattle:5 sheep:53]"},
			{"a key not listed", "马=1", ""},
			{"a key named twice", "牛=1、cattle=2", ""},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				title := fmt.Sprintf("实事%d", i)
				st, res, body := e.upload("matters", "officer-a", filled(t, tmpl, headers, [][]any{row(title, tt.outcomes)}), false)
				if tt.want == "" {
					if st != http.StatusUnprocessableEntity || res.Written != 0 || len(res.Errors) != 1 || res.Errors[0].Row != 2 || res.Errors[0].Column != "成效数量" {
						t.Fatalf("import: %d %s", st, body)
					}
					return
				}
				if st != http.StatusCreated || res.Written != 1 {
					t.Fatalf("import: %d %s", st, body)
				}
				_, b := e.do("GET", "/api/v1/matters?q="+title, "officer-a", nil)
				items := b["items"].([]any)
				if len(items) != 1 || fmt.Sprint(items[0].(map[string]any)["outcomes"]) != tt.want {
					t.Fatalf("stored %v; want outcomes %s", items, tt.want)
				}
			})
		}
	})
}
