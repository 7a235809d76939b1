package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"minyi"
	"minyi/eventlog"
	"minyi/internal/testdb"
	"minyi/ledgerimport"
	"minyi/store"
	"minyi/volunteer"
)

// A batch of records (an import) is written in one transaction, its rows
// many to a statement and its ids drawn ahead: every record reads back
// whole, ids do not collide with records written before or after, the log
// verifies, the import's event is found by the file's hash, and a batch
// that fails writes nothing at all.
func TestCreateActivitiesInOneBatch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _ := vaFixture(t, db)
		before, err := svc.Create(bg, mtOfficerA, vaActivity("2021-09-01", "批量之前", "a"))
		if err != nil {
			t.Fatal(err)
		}
		const n = 1200 // more than one block of ids, more rows than fit one statement of terms
		batch := make([]volunteer.Activity, n)
		for i := range batch {
			batch[i] = vaActivity("2021-09-13", fmt.Sprintf("批量志愿服务第%d次", i), "a")
			batch[i].Description = strings.Repeat("帮助群众秋收，宣传防范电信诈骗。", 5)
			batch[i].Participants = []string{"officer-a", "officer-b"}
		}
		sum := strings.Repeat("ab", 32)
		imp := eventlog.Event{Register: ledgerimport.Register, RecordID: ledgerimport.RecordID(sum), Record: sum,
			Type: ledgerimport.EventImported, Actor: "officer-a", At: vaNow, Data: map[string]string{"rows": "1200"}}
		out, refused, err := svc.CreateMany(bg, mtOfficerA, batch, []eventlog.Event{imp}, false)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]bool{before.ID: true}
		for i, a := range out {
			if refused[i] != nil || a.ID == 0 || seen[a.ID] {
				t.Fatalf("record %d: id %d, refused %v", i, a.ID, refused[i])
			}
			seen[a.ID] = true
		}
		for _, i := range []int{0, 999, 1000, n - 1} {
			got, err := db.Activity(bg, out[i].ID)
			if err != nil || got.Title != batch[i].Title || strings.Join(got.Participants, ",") != "officer-a,officer-b" {
				t.Errorf("record %d read back: %+v %v", i, got, err)
			}
		}
		page, err := svc.List(bg, mtOfficerA, volunteer.Filter{Filter: registerFilter("第1199次", 20, "")})
		if err != nil || page.Total == nil || *page.Total != 1 {
			t.Errorf("search finds the last record: %+v %v", page, err)
		}
		after, err := svc.Create(bg, mtOfficerA, vaActivity("2021-09-20", "批量之后", "a"))
		if err != nil || seen[after.ID] {
			t.Fatalf("a record after the batch: %+v %v", after, err)
		}
		counts, err := db.VerifyByRegister(bg)
		if err != nil || counts[volunteer.Register] != n+2 || counts[ledgerimport.Register] != 1 {
			t.Fatalf("the log: %v %v", counts, err)
		}
		if e, found, err := db.Imported(bg, sum); err != nil || !found || e.Data["rows"] != "1200" {
			t.Errorf("the import's event: %+v %v %v", e, found, err)
		}
		if _, found, err := db.Imported(bg, strings.Repeat("cd", 32)); err != nil || found {
			t.Errorf("another file imported: %v %v", found, err)
		}

		// A batch whose last row the database refuses writes none of them.
		bad := make([]*volunteer.Activity, 3)
		for i := range bad {
			a := vaActivity("2021-09-14", fmt.Sprintf("失败的批量%d", i), "a")
			a.CreatedBy, a.CreatedAt, a.UpdatedAt = "officer-a", vaNow, vaNow
			bad[i] = &a
		}
		bad[2].Campaign = 999999 // no such campaign: a foreign key, found when the kept rows are sent
		err = db.CreateActivities(bg, bad, nil)
		if err == nil {
			t.Fatal("a batch with a row the database refuses was written")
		}
		if code := minyi.ErrorCode(err); code == "" {
			t.Fatalf("err %v", err)
		}
		page, err = svc.List(bg, mtOfficerA, volunteer.Filter{Filter: registerFilter("失败的批量", 20, "")})
		if err != nil || *page.Total != 0 {
			t.Errorf("the failed batch left %v records (%v)", page.Total, err)
		}
		if counts, err := db.VerifyByRegister(bg); err != nil || counts[volunteer.Register] != n+2 {
			t.Errorf("the failed batch's events: %v %v", counts, err)
		}
	})
}
