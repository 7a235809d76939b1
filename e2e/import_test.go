package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi/ledgerimport"
	"minyi/xlsx"
)

// sheet writes a ledger's workbook as a clerk fills the template: the
// template's headers, then the rows, each a map from header to cell.
func sheet(t *testing.T, ledger ledgerimport.Ledger, rows []map[string]string) string {
	t.Helper()
	cols, err := ledgerimport.Columns(ledger)
	if err != nil {
		t.Fatal(err)
	}
	headers := make([]string, len(cols))
	for i, c := range cols {
		headers[i] = c.Header
	}
	cells := [][]string{headers}
	for _, r := range rows {
		line := make([]string, len(headers))
		for i, h := range headers {
			line[i] = r[h]
		}
		cells = append(cells, line)
	}
	b, err := xlsx.Write([]xlsx.Sheet{{Name: "志愿服务活动", Rows: cells}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "台账.xlsx")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOfficerImportsALedger: an officer of the demo bureau imports a month
// of volunteer activities from Excel: a first file with a bad row is
// refused with the row and column named and nothing written, the corrected
// file is checked, shown and confirmed, and the activities are in the
// list. Every step passes axe-core.
func TestOfficerImportsALedger(t *testing.T) {
	base := server(t)
	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")
	u, err := dbOf(t).UserByName(context.Background(), "wulan-officer")
	if err != nil {
		t.Fatal(err)
	}
	row := func(day, title string) map[string]string {
		return map[string]string{"活动日期": day, "活动名称": title, "单位": u.UnitCode, "参加民警": "wulan-officer",
			"志愿者人数": "4", "服务时长（小时）": "2", "服务群众人数": "30"}
	}

	officer.Click(`.staffnav a[href="/staff/import"]`)
	if !officer.Exists(`a[href="/staff/import/volunteer-activities/template.xlsx"]`) {
		t.Fatalf("no template to download: %s", officer.Text("main"))
	}
	t.Run("axe/form", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })

	officer.Select("#ledger", "volunteer-activities")
	officer.Upload("#file", sheet(t, ledgerimport.Volunteers, []map[string]string{row("2021-10-12", "帮助牧民转场"), row("2021-10-32", "")}))
	officer.Click(`button[value="check"]`)
	problems := officer.Text("main table")
	for _, want := range []string{"3", "活动日期", "活动名称"} {
		if !strings.Contains(problems, want) {
			t.Errorf("the problems lack %s: %s", want, problems)
		}
	}
	if officer.Exists(`input[name="data"]`) {
		t.Error("a file with problems is offered for import")
	}
	t.Run("axe/problems", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })

	officer.Select("#ledger", "volunteer-activities")
	officer.Upload("#file", sheet(t, ledgerimport.Volunteers, []map[string]string{row("2021-10-12", "帮助牧民转场"), row("2021-10-13", "进村宣传防诈骗")}))
	officer.Click(`button[value="check"]`)
	if got := officer.Text("#result-status"); !strings.Contains(got, "检查无误") {
		t.Fatalf("the clean file: %s", officer.Text("main"))
	}
	t.Run("axe/checked", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Click(`input[name="data"] ~ p button`)
	if !strings.HasSuffix(officer.URL(), "/staff/volunteer") || !strings.Contains(officer.Text(".flash"), "已导入2条") {
		t.Fatalf("after the confirmation: %s %s", officer.URL(), officer.Text("main"))
	}
	if list := officer.Text("main"); !strings.Contains(list, "进村宣传防诈骗") || !strings.Contains(list, "帮助牧民转场") {
		t.Errorf("the list lacks the imported activities: %s", list)
	}
}
