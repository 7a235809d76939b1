package store_test

import (
	"context"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/store"
)

// TestServicePointsActiveByTheirDays: a period's active service points are
// those open on its last day by their opening and closing days, not those
// open now and recorded by then: a point closed in 2022 counts in 2021, a
// point recorded (imported) in 2022 that opened in 2021 counts in 2021, one
// that opened after the period does not. Closing sets the closing day
// (today unless given), reopening clears it; bad days are refused naming
// the field. On SQLite and PostgreSQL.
func TestServicePointsActiveByTheirDays(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		vaFixture(t, db)
		clock := testkit.NewClock(time.Date(2022, 6, 1, 10, 0, 0, 0, calendar.Zone))
		svc := &servicepoint.Service{Store: db, Now: clock.Now}
		create := func(name, opened, closedOn string) servicepoint.Point {
			t.Helper()
			p := servicepoint.Point{Name: name, Unit: "a", Address: "村委会", OpenedOn: opened, ClosedOn: closedOn}
			if closedOn != "" {
				p.Status = servicepoint.StatusClosed
			}
			got, err := svc.Create(bg, mtOfficerA, p)
			if err != nil {
				t.Fatalf("create %s: %v", name, err)
			}
			return got
		}
		closedLater := create("后来关闭的站", "2021-03-01", "")
		create("今天导入的站", "2021-05-01", "")
		create("年底开放的站", "2021-12-01", "")
		create("十月关闭的站", "2021-01-10", "2021-10-01")
		closed := servicepoint.StatusClosed
		day := "2022-03-15"
		after, err := svc.Update(bg, mtOfficerA, closedLater.ID, closedLater.Version, servicepoint.Patch{Status: &closed, ClosedOn: &day})
		if err != nil || after.ClosedOn != day {
			t.Fatalf("closing on a day: %+v %v", after, err)
		}
		if read, err := svc.Get(bg, mtOfficerA, after.ID); err != nil || read.OpenedOn != "2021-03-01" || read.ClosedOn != day {
			t.Errorf("read back %+v %v", read, err)
		}
		active := func(to string) int64 {
			t.Helper()
			figs, err := svc.Figures(bg, reporting.Filter{From: "2021-01-01", To: to})
			if err != nil {
				t.Fatal(err)
			}
			return figs["active"]
		}
		for _, c := range []struct {
			to   string
			want int64
		}{
			{"2021-01-09", 0},
			{"2021-03-01", 2}, // opened that day; 十月关闭的站 too
			{"2021-09-30", 3},
			{"2021-10-01", 2}, // closed that day
			{"2021-11-02", 2},
			{"2021-12-31", 3},
			{"2022-03-14", 3},
			{"2022-03-15", 2},
			{"2022-06-01", 2},
			{"", 2}, // now
		} {
			if got := active(c.to); got != c.want {
				t.Errorf("active on %q: %d, want %d", c.to, got, c.want)
			}
		}
		// Reopened: the closing day goes, the point serves again.
		reopen := servicepoint.StatusActive
		after, err = svc.Update(bg, mtOfficerA, after.ID, after.Version, servicepoint.Patch{Status: &reopen})
		if err != nil || after.ClosedOn != "" || after.Status != reopen {
			t.Fatalf("reopening: %+v %v", after, err)
		}
		if got := active("2022-06-01"); got != 3 {
			t.Errorf("after reopening: %d active, want 3", got)
		}
		// Closed without a day: today.
		after, err = svc.Update(bg, mtOfficerA, after.ID, after.Version, servicepoint.Patch{Status: &closed})
		if err != nil || after.ClosedOn != "2022-06-01" {
			t.Errorf("closing today: %+v %v", after, err)
		}
		for _, c := range []struct {
			name string
			p    servicepoint.Point
			want string
		}{
			{"closed before it opened", servicepoint.Point{OpenedOn: "2021-05-01", ClosedOn: "2021-04-30", Status: closed}, "closed_on"},
			{"opened in the future", servicepoint.Point{OpenedOn: "2022-06-02"}, "opened_on"},
			{"closed in the future", servicepoint.Point{ClosedOn: "2022-06-02", Status: closed}, "closed_on"},
			{"active with a closing day", servicepoint.Point{ClosedOn: "2022-01-01"}, "closed_on"},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.p.Name, c.p.Unit, c.p.Address = "站", "a", "村委会"
				if _, err := svc.Create(bg, mtOfficerA, c.p); !hasFieldError(err, c.want) {
					t.Errorf("refusal %v lacks %s", err, c.want)
				}
			})
		}
		if got := active(""); got != 2 {
			t.Errorf("a refused point was written: %d active", got)
		}
	})
}

// Migration 32 gives the points recorded before it their days: opened on
// the China day they were recorded, a closed one closed on the day of its
// change to closed in the log. On SQLite and PostgreSQL.
func TestMigrationGivesPointsTheirDays(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, url := openAt(t, d)
			vaFixture(t, db)
			bg := context.Background()
			// Recorded at 23:30 China time, the previous day in UTC.
			clock := testkit.NewClock(time.Date(2021, 4, 1, 23, 30, 0, 0, calendar.Zone))
			svc := &servicepoint.Service{Store: db, Now: clock.Now}
			open, err := svc.Create(bg, mtOfficerA, servicepoint.Point{Name: "服务中的站", Unit: "a", Address: "村委会"})
			if err != nil {
				t.Fatal(err)
			}
			shut, err := svc.Create(bg, mtOfficerA, servicepoint.Point{Name: "关闭的站", Unit: "a", Address: "镇政府"})
			if err != nil {
				t.Fatal(err)
			}
			clock.Set(time.Date(2021, 9, 30, 8, 0, 0, 0, calendar.Zone))
			closed := servicepoint.StatusClosed
			if shut, err = svc.Update(bg, mtOfficerA, shut.ID, shut.Version, servicepoint.Patch{Status: &closed}); err != nil {
				t.Fatal(err)
			}
			clock.Set(time.Date(2021, 10, 20, 8, 0, 0, 0, calendar.Zone))
			name := "关闭的站（旧）"
			if _, err = svc.Update(bg, mtOfficerA, shut.ID, shut.Version, servicepoint.Patch{Name: &name}); err != nil {
				t.Fatal(err)
			}
			db = reopenAfter(t, db, url, undoStations[0], undoStations[1], undoStations[2], undoStations[3], undoStations[4], undoStations[5], undoStations[6], "DROP INDEX service_points_days", "ALTER TABLE service_points DROP COLUMN opened_on",
				"ALTER TABLE service_points DROP COLUMN closed_on", "ALTER TABLE indicator_definitions DROP COLUMN active",
				"DELETE FROM schema_migrations WHERE version >= 32")
			svc.Store = db
			for _, c := range []struct {
				id             int64
				opened, closed string
			}{{open.ID, "2021-04-01", ""}, {shut.ID, "2021-04-01", "2021-09-30"}} {
				p, err := svc.Get(bg, mtOfficerA, c.id)
				if err != nil || p.OpenedOn != c.opened || p.ClosedOn != c.closed {
					t.Errorf("point %d after the migration: %q %q, want %q %q (%v)", c.id, p.OpenedOn, p.ClosedOn, c.opened, c.closed, err)
				}
			}
			if n, err := db.Verify(bg); err != nil || n != 4 {
				t.Errorf("verify: %d %v", n, err)
			}
		})
	}
}
