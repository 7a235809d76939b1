package ledgerimport_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/internal/wire"
	"minyi/ledgerimport"
	"minyi/org"
	"minyi/xlsx"
)

// BenchmarkImport imports 10,000 rows of a ledger, read from an .xlsx as
// the API does, into a fresh database of each dialect: volunteer
// activities (the most numerous) and matters done with their story (the
// heaviest: three events each). Issue 12 asks for ≤ 10 s. Run with
// -benchtime=1x; each iteration imports a different file (the same one is
// refused).
func BenchmarkImport(b *testing.B) {
	const rows = 10000
	ctx := context.Background()
	leader := org.User{Name: "leader", Role: org.RoleLeader}
	for _, dialect := range testdb.Dialects {
		for _, l := range []ledgerimport.Ledger{ledgerimport.Volunteers, ledgerimport.Matters} {
			b.Run(dialect+"/"+string(l), func(b *testing.B) {
				db := testdb.Open(b, dialect)
				testkit.Bureau{Units: testkit.UnderBureau, Users: []org.User{leader,
					{Name: "wang", DisplayName: "王警官", Role: org.RoleOfficer, UnitCode: "a"}}}.Seed(b, db)
				imports := wire.Web(db, archive.NewService(db, archive.Policy{Calendar: calendar.Default()}), wire.Options{}).Imports
				for i := 0; b.Loop(); i++ {
					b.StopTimer()
					book := workbook(b, l, rows, i)
					b.StartTimer()
					cells, err := xlsx.Read(bytes.NewReader(book), ledgerimport.MaxRows+1)
					if err != nil {
						b.Fatal(err)
					}
					res, err := imports.Import(ctx, leader, ledgerimport.Request{Ledger: l, Rows: cells, SHA256: fmt.Sprintf("%064x", i+1)})
					if err != nil || res.Written != rows {
						b.Fatalf("import: %v %+v", err, res.Errors[:min(3, len(res.Errors))])
					}
				}
				b.ReportMetric(float64(rows), "rows/op")
			})
		}
	}
}

// workbook is n rows of ledger l, the i-th file.
func workbook(b *testing.B, l ledgerimport.Ledger, n, i int) []byte {
	var cells [][]string
	switch l {
	case ledgerimport.Volunteers:
		cells = [][]string{{"活动日期", "活动名称", "单位", "参加民警", "志愿者人数", "服务时长（小时）", "服务群众人数", "村（社区）", "活动内容"}}
		for r := 0; r < n; r++ {
			cells = append(cells, []string{fmt.Sprintf("2021-%02d-%02d", r%12+1, r%28+1), fmt.Sprintf("第%d批志愿服务%d", i, r),
				"甲派出所", "王警官", "5", "2.5", "30", "东村", "帮助群众秋收，宣传防范电信诈骗知识"})
		}
	case ledgerimport.Matters:
		cells = [][]string{{"标题", "责任单位", "领办人", "受益对象类型", "受益对象名称", "诉求类别", "立项日期", "状态", "办结日期", "成效故事", "成效数量", "公开"}}
		for r := 0; r < n; r++ {
			cells = append(cells, []string{fmt.Sprintf("第%d批实事%d：帮助牧民追回走失牲畜", i, r), "a", "wang", "家庭", "张某某", "揪心事",
				"2021-09-01", "已办结", "2021-09-13", "经连续追查，追回走失的牛羊，全部归还牧民。", "cattle=5、sheep=53", "是"})
		}
	}
	book, err := xlsx.Write([]xlsx.Sheet{{Name: "台账", Rows: cells}})
	if err != nil {
		b.Fatal(err)
	}
	return book
}
