package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/store"
	"minyi/volunteer"
)

var vaNow = time.Date(2021, 11, 2, 10, 0, 0, 0, calendar.Zone)

// vaFixture sets up units a and b, a party branch of each, officers of
// both, and the two registers' services with their clock at vaNow.
func vaFixture(t *testing.T, db *store.DB) (*volunteer.Service, *servicepoint.Service) {
	t.Helper()
	testkit.Bureau{Units: testkit.Stations, Users: []org.User{
		{Name: "officer-a", DisplayName: "甲警官", Role: org.RoleOfficer, UnitCode: "a"},
		{Name: "officer-b", DisplayName: "乙警官", Role: org.RoleOfficer, UnitCode: "b"},
	}}.Seed(t, db)
	for _, b := range []org.Branch{{Code: "pa", Name: "甲所党支部", UnitCode: "a"}, {Code: "pb", Name: "乙所党支部", UnitCode: "b"}} {
		if err := db.CreateBranch(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
	}
	clock := testkit.NewClock(vaNow)
	return &volunteer.Service{Store: db, Now: clock.Now}, &servicepoint.Service{Store: db, Now: clock.Now}
}

func vaActivity(day, title, unit string) volunteer.Activity {
	return volunteer.Activity{Date: day, Title: title, Unit: unit, Participants: []string{"officer-" + unit},
		Volunteers: 4, Hours: 2.5, Served: 30, Township: "巴彦镇", Village: "红旗村", Place: "村委会", Description: "帮助群众秋收"}
}

func TestVolunteerActivities(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _ := vaFixture(t, db)
		a := vaActivity("2021-09-13", "帮助牧民秋收玉米", "a")
		a.Branch = "pa"
		a.Participants = []string{"officer-a", " officer-a", "officer-b"}
		got, err := svc.Create(bg, mtOfficerA, a)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == 0 || got.Version != 1 || got.CreatedBy != "officer-a" || !slices.Equal(got.Participants, []string{"officer-a", "officer-b"}) {
			t.Fatalf("created %+v", got)
		}
		read, err := svc.Get(bg, mtOfficerA, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if read.Date != "2021-09-13" || read.Hours != 2.5 || read.Branch != "pa" || read.Township != "巴彦镇" ||
			!slices.Equal(read.Participants, []string{"officer-a", "officer-b"}) || read.Description != "帮助群众秋收" {
			t.Errorf("read %+v", read)
		}
		if _, err := svc.Get(bg, mtOfficerB, got.ID); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("another unit's officer reads: %v", err)
		}
		if _, err := svc.Create(bg, mtOfficerB, vaActivity("2021-09-13", "x", "a")); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("creating into another unit: %v", err)
		}

		// A change names its version; a stale one is refused and writes nothing.
		title, hours := "帮助牧民秋收", 3.25
		changed, err := svc.Update(bg, mtOfficerA, got.ID, 1, volunteer.Patch{Title: &title, Hours: &hours})
		if err != nil {
			t.Fatal(err)
		}
		if changed.Version != 2 || changed.Title != title || changed.Hours != 3.25 || changed.Served != 30 {
			t.Errorf("changed %+v", changed)
		}
		other := "别的"
		if _, err := svc.Update(bg, mtOfficerA, got.ID, 1, volunteer.Patch{Title: &other}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale version: %v", err)
		}
		// The store refuses a stale version by itself, when two change at once.
		raced := changed
		raced.Title = "同时"
		if err := db.UpdateActivity(bg, &raced, 1, nil); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("store with stale version: %v", err)
		}
		if read, _ := svc.Get(bg, mtLeader, got.ID); read.Title != title || read.Version != 2 {
			t.Errorf("after refusals %+v", read)
		}
		bad := volunteer.Activity{Date: "2021-11-03", Unit: "a", Volunteers: -1, Branch: "pb", Participants: []string{"nobody"}}
		_, err = svc.Create(bg, mtOfficerA, bad)
		for _, f := range []string{"date", "title", "volunteers", "branch", "participants"} {
			if !hasFieldError(err, f) {
				t.Errorf("bad activity: %v lacks %s", err, f)
			}
		}
		if n, err := db.Verify(bg); err != nil || n != 2 {
			t.Errorf("verify: %d %v", n, err)
		}
		regs, err := db.VerifyByRegister(bg)
		if err != nil || regs[volunteer.Register] != 2 {
			t.Errorf("by register %v %v", regs, err)
		}
	})
}

func hasFieldError(err error, field string) bool {
	var e *minyi.Error
	if !errorsAs(err, &e) {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestVolunteerList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _ := vaFixture(t, db)
		var ids []int64
		for _, a := range []volunteer.Activity{
			vaActivity("2021-09-01", "义务巡逻", "a"),
			vaActivity("2021-09-13", "歸還牲畜", "a"), // traditional script
			vaActivity("2021-09-13", "法治宣传", "b"),
			vaActivity("2021-10-01", "帮助秋收", "a"),
		} {
			if a.Unit == "a" {
				a.Branch = "pa"
			}
			got, err := svc.Create(bg, mtLeader, a)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, got.ID)
		}
		list := func(u org.User, f volunteer.Filter) ([]int64, int, string) {
			t.Helper()
			p, err := svc.List(bg, u, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, a := range p.Items {
				out = append(out, a.ID)
			}
			return out, *p.Total, p.NextCursor
		}
		if got, n, _ := list(mtLeader, volunteer.Filter{}); !slices.Equal(got, []int64{ids[3], ids[2], ids[1], ids[0]}) || n != 4 {
			t.Errorf("all: %v %d", got, n)
		}
		if got, n, _ := list(mtOfficerA, volunteer.Filter{}); !slices.Equal(got, []int64{ids[3], ids[1], ids[0]}) || n != 3 {
			t.Errorf("unit a's officer: %v %d", got, n)
		}
		if got, n, _ := list(mtOfficerA, volunteer.Filter{Unit: "b"}); len(got) != 0 || n != 0 {
			t.Errorf("unit a's officer asking for b: %v %d", got, n)
		}
		if got, _, _ := list(mtLeader, volunteer.Filter{Branch: "pa", From: "2021-09-02", To: "2021-09-30"}); !slices.Equal(got, []int64{ids[1]}) {
			t.Errorf("branch and period: %v", got)
		}
		for _, q := range []string{"归还", "歸還牲畜", "牲"} {
			if got, n, _ := list(mtLeader, volunteer.Filter{Filter: registerFilter(q, 0, "")}); !slices.Equal(got, []int64{ids[1]}) || n != 1 {
				t.Errorf("search %q: %v %d", q, got, n)
			}
		}
		first, n, cursor := list(mtLeader, volunteer.Filter{Filter: registerFilter("", 3, "")})
		second, n2, end := list(mtLeader, volunteer.Filter{Filter: registerFilter("", 3, cursor)})
		if !slices.Equal(first, []int64{ids[3], ids[2], ids[1]}) || !slices.Equal(second, []int64{ids[0]}) || n != 4 || n2 != 4 || end != "" {
			t.Errorf("pages %v %v totals %d %d end %q", first, second, n, n2, end)
		}
		if _, err := svc.List(bg, mtLeader, volunteer.Filter{Filter: registerFilter("", 0, "garbage!")}); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Errorf("bad cursor: %v", err)
		}
		figs, err := svc.Figures(bg, reporting.Filter{From: "2021-09-01", To: "2021-09-30"})
		if err != nil {
			t.Fatal(err)
		}
		// Three activities of 4 volunteers for 2.5 hours each: 30 volunteer hours.
		if figs["activities"] != 3 || figs["volunteers"] != 12 || figs["volunteer_hours"] != 30 || figs["served"] != 90 {
			t.Errorf("figures %v", figs)
		}
		if figs, _ := svc.Figures(bg, reporting.Filter{Units: []string{"b"}}); figs["activities"] != 1 {
			t.Errorf("unit b's figures %v", figs)
		}
		// A query with no searchable word matches nothing, not everything.
		if got, n, _ := list(mtLeader, volunteer.Filter{Filter: registerFilter("！？…", 0, "")}); len(got) != 0 || n != 0 {
			t.Errorf("search of punctuation only: %v %d", got, n)
		}
		// A long description's terms go in many rows per statement; its
		// last word is found all the same.
		long := vaActivity("2021-10-02", "入户走访", "a")
		long.Description = strings.Repeat("牧区群众反映草场边界问题，", 20) + "冬季转场"
		got, err := svc.Create(bg, mtLeader, long)
		if err != nil {
			t.Fatal(err)
		}
		if found, n, _ := list(mtLeader, volunteer.Filter{Filter: registerFilter("冬季轉場", 0, "")}); !slices.Equal(found, []int64{got.ID}) || n != 1 {
			t.Errorf("the long description's last words: %v %d", found, n)
		}
	})
}

func TestServicePoints(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		_, svc := vaFixture(t, db)
		lat, lng := 49.21, 119.76
		p := servicepoint.Point{Name: "红旗村便民服務站", Unit: "a", Township: "巴彦镇", Village: "红旗村", Address: "村委会一楼",
			Lat: &lat, Lng: &lng, OpeningHours: "周一至周日 8:00-20:00", OffPeak: true, Extended: true,
			Services: []string{"户籍办理", "居住证", "户籍办理"}, Phone: "0470 1234567"}
		got, err := svc.Create(bg, mtOfficerA, p)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != servicepoint.StatusActive || got.Version != 1 || got.Phone != "04701234567" || len(got.Services) != 2 {
			t.Errorf("created %+v", got)
		}
		read, err := svc.Get(bg, mtOfficerA, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if read.Lat == nil || *read.Lat != lat || *read.Lng != lng || !read.OffPeak || !read.Extended ||
			!slices.Equal(read.Services, []string{"户籍办理", "居住证"}) || read.OpeningHours != p.OpeningHours {
			t.Errorf("read %+v", read)
		}
		b, err := svc.Create(bg, mtOfficerB, servicepoint.Point{Name: "乙所服务站", Unit: "b", Address: "镇政府"})
		if err != nil {
			t.Fatal(err)
		}
		if b.Lat != nil || len(b.Services) != 0 {
			t.Errorf("without coordinates %+v", b)
		}
		if _, err := svc.Get(bg, mtOfficerB, got.ID); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("another unit's: %v", err)
		}
		closed := servicepoint.StatusClosed
		changed, err := svc.Update(bg, mtOfficerA, got.ID, 1, servicepoint.Patch{Status: &closed})
		if err != nil || changed.Status != closed || changed.Version != 2 {
			t.Fatalf("closing: %+v %v", changed, err)
		}
		if _, err := svc.Update(bg, mtOfficerA, got.ID, 1, servicepoint.Patch{Status: &closed}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale: %v", err)
		}
		page, err := svc.List(bg, mtLeader, servicepoint.Filter{Status: servicepoint.StatusActive})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != b.ID || *page.Total != 1 {
			t.Errorf("active: %+v %v", page, err)
		}
		page, err = svc.List(bg, mtLeader, servicepoint.Filter{Filter: registerFilter("服务站", 1, "")})
		if err != nil || len(page.Items) != 1 || *page.Total != 2 || page.NextCursor == "" {
			t.Fatalf("search, first page: %+v %v", page, err)
		}
		page, err = svc.List(bg, mtLeader, servicepoint.Filter{Filter: registerFilter("服務站", 1, page.NextCursor)})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != got.ID || page.NextCursor != "" {
			t.Errorf("search, second page: %+v %v", page, err)
		}
		if page, _ := svc.List(bg, mtOfficerB, servicepoint.Filter{}); len(page.Items) != 1 || *page.Total != 1 {
			t.Errorf("unit b sees %+v", page)
		}
		figs, err := svc.Figures(bg, reporting.Filter{})
		if err != nil || figs["active"] != 1 {
			t.Errorf("figures %v %v", figs, err)
		}
		if figs, _ := svc.Figures(bg, reporting.Filter{To: "2021-01-01"}); figs["active"] != 0 {
			t.Errorf("figures before any point %v", figs)
		}
		bad := servicepoint.Point{Unit: "a", Lat: &lat, Phone: "12345", Status: "gone"}
		_, err = svc.Create(bg, mtOfficerA, bad)
		for _, f := range []string{"name", "address", "latitude", "phone", "status"} {
			if !hasFieldError(err, f) {
				t.Errorf("bad point: %v lacks %s", err, f)
			}
		}
		if n, err := db.Verify(bg); err != nil || n != 3 {
			t.Errorf("verify: %d %v", n, err)
		}
	})
}

func registerFilter(q string, limit int, cursor string) register.Filter {
	return register.Filter{Query: q, Limit: limit, Cursor: cursor}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// TestLedgerChangesRace: two changes sent at once from the same version —
// exactly one is stored, the other is a conflict, and the log holds one
// change event.
func TestLedgerChangesRace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		activities, points := vaFixture(t, db)
		a, err := activities.Create(bg, mtOfficerA, vaActivity("2021-09-13", "秋收", "a"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := points.Create(bg, mtOfficerA, servicepoint.Point{Name: "站", Unit: "a", Address: "村委会"})
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 4)
		for i := range 2 {
			served, name := 100+i, "站"+strconv.Itoa(i)
			go func() {
				_, err := activities.Update(bg, mtOfficerA, a.ID, 1, volunteer.Patch{Served: &served})
				errs <- err
			}()
			go func() {
				_, err := points.Update(bg, mtOfficerA, p.ID, 1, servicepoint.Patch{Name: &name})
				errs <- err
			}()
		}
		var ok, conflicts int
		for range 4 {
			switch err := <-errs; minyi.ErrorCode(err) {
			case "":
				ok++
			case minyi.EConflict:
				conflicts++
			default:
				t.Errorf("change: %v", err)
			}
		}
		if ok != 2 || conflicts != 2 {
			t.Errorf("%d stored, %d conflicts; want 2 and 2", ok, conflicts)
		}
		if got, _ := activities.Get(bg, mtLeader, a.ID); got.Version != 2 || (got.Served != 100 && got.Served != 101) {
			t.Errorf("activity after the race %+v", got)
		}
		if got, _ := points.Get(bg, mtLeader, p.ID); got.Version != 2 {
			t.Errorf("point after the race %+v", got)
		}
		if n, err := db.Verify(bg); err != nil || n != 4 {
			t.Errorf("verify: %d %v", n, err)
		}
	})
}
