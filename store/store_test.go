package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

var (
	ctx    = context.Background()
	t0     = time.Date(2021, 3, 1, 9, 0, 0, 0, calendar.Zone)
	policy = archive.Policy{Calendar: calendar.Default()}
	leader = org.User{Name: "leader", Role: org.RoleLeader}
)

// raw opens a second, plain connection to the same database, for tampering.
func raw(t *testing.T, db *store.DB) *sql.DB { return testdb.Raw(t, db) }

// fixture sets up units a and b and a service with a controllable clock.
func fixture(t *testing.T, db *store.DB) (*archive.Service, *testkit.Clock) {
	t.Helper()
	testkit.Bureau{Units: testkit.Stations, Categories: []archive.Category{testkit.Hukou("a")}}.Seed(t, db)
	clock := testkit.NewClock(t0)
	svc := archive.NewService(db, policy)
	svc.Now = clock.Now
	return svc, clock
}

// reports is the reporting service over db that shares svc's clock, with
// the items register as its overdue list and its source.
func reports(db *store.DB, svc *archive.Service) *reporting.Service {
	return &reporting.Service{Store: db, Overdue: svc, Sources: []reporting.Source{svc}, Now: svc.Clock}
}

// actNow takes cmd on item number as u, at the item's stored version.
func actNow(t *testing.T, db *store.DB, svc *archive.Service, u org.User, number string, cmd archive.Command) {
	t.Helper()
	it, err := db.Item(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Version = it.Version
	if _, err := svc.Act(ctx, u, number, cmd, false); err != nil {
		t.Fatalf("%s %s: %v", number, cmd.Action, err)
	}
}

func submit(t *testing.T, svc *archive.Service, text string) archive.Item {
	t.Helper()
	it, code, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineBox,
		Category: "hukou", Text: text, Contact: archive.Contact{Name: "王某", Phone: "13900001111"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 8 {
		t.Fatalf("access code %q", code)
	}
	return it
}

func TestCreateAndRead(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		it := submit(t, svc, "新生兒落戶需要什麼材料？")
		if it.Number != "2021-000001" || it.UnitCode != "a" || it.Status != archive.StatusReceived {
			t.Fatalf("created %+v", it)
		}
		if want := time.Date(2021, 3, 4, 17, 30, 0, 0, calendar.Zone); !it.DueAt.Equal(want) {
			t.Errorf("due %v, want %v", it.DueAt, want)
		}
		got, err := db.Item(ctx, it.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != it.Text || got.Contact.Phone != "13900001111" || !got.ReceivedAt.Equal(it.ReceivedAt) || got.Version != 1 {
			t.Fatalf("read back %+v", got)
		}
		view, err := svc.Get(ctx, leader, it.Number)
		if err != nil {
			t.Fatal(err)
		}
		if view.Item.Contact.Phone != "139****1111" || len(view.Events) != 1 {
			t.Fatalf("view %+v", view)
		}
		if _, err := db.Item(ctx, "2021-999999"); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Fatalf("missing item: %v", err)
		}
	})
}

func TestStaleVersionConflicts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		it := submit(t, svc, "咨询户籍")
		if _, err := svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActDispatch, Unit: "b", Version: 1}, false); err != nil {
			t.Fatal(err)
		}
		_, err := svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActInvalidate, Body: "重复", Version: 1}, false)
		if minyi.ErrorCode(err) != minyi.EConflict {
			t.Fatalf("stale version: %v", err)
		}
		// Also at the store level, as when two servers race past the service check.
		before, _ := db.Item(ctx, it.Number)
		stale := before
		stale.Version = 1
		after := stale
		after.Status = archive.StatusInvalid
		err = db.UpdateItem(ctx, stale, &after, []archive.Event{{Type: archive.EventInvalidated, Actor: "x", At: t0}})
		if minyi.ErrorCode(err) != minyi.EConflict {
			t.Fatalf("store stale update: %v", err)
		}
		now, _ := db.Item(ctx, it.Number)
		evs, _ := db.ItemEvents(ctx, it.ID)
		if now.Status != archive.StatusDispatched || now.Version != 2 || len(evs) != 2 {
			t.Fatalf("a refused update changed something: %+v, %d events", now, len(evs))
		}
	})
}

func TestConcurrentActionsExactlyOneWins(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		it := submit(t, svc, "咨询户籍")
		wins := raceWrites(t, 8, func(int) error {
			_, err := svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActDispatch, Unit: "b", Version: 1}, false)
			return err
		})
		if wins != 1 {
			t.Fatalf("%d winners, want exactly 1", wins)
		}
	})
}

// raceWrites runs write(0) … write(n-1) at once and answers how many
// succeeded; a failure other than a conflict (the stale version of a
// writer that lost) fails t.
func raceWrites(t *testing.T, n int, write func(i int) error) (wins int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = write(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		switch minyi.ErrorCode(err) {
		case "":
			wins++
		case minyi.EConflict:
		default:
			t.Errorf("concurrent write: %v", err)
		}
	}
	return wins
}

func TestNumbersUniqueAndGapless(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		const workers, each = 8, 10
		var mu sync.Mutex
		var numbers []string
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelQRCode, Text: "求助"})
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					numbers = append(numbers, it.Number)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		sort.Strings(numbers)
		for i, n := range numbers {
			if want := fmt.Sprintf("2021-%06d", i+1); n != want {
				t.Fatalf("number %d is %s, want %s (duplicates or gaps)", i, n, want)
			}
		}
		if n, err := db.Verify(ctx); err != nil || n != workers*each {
			t.Fatalf("verify: %d, %v", n, err)
		}
	})
}

func TestSearch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clock := fixture(t, db)
		texts := []string{
			"我要投訴派出所窗口服務態度",               // traditional complaint
			"投诉：户籍窗口排队太久",                 // simplified
			"新生儿落户需要带什么材料",                // 落户
			"戶籍遷移怎麼辦理",                    // traditional 户籍
			"投票站附近交通拥堵",                   // 投票 must not match 投诉
			"牛被偷了，请帮忙",                    // one-character word 牛
			"<script>alert('x')</script>", // markup stays text
		}
		items := map[string]archive.Item{}
		for _, text := range texts {
			clock.Advance(time.Hour)
			items[text] = submit(t, svc, text)
		}
		if _, err := svc.Act(ctx, leader, items[texts[1]].Number, archive.Command{Action: archive.ActDispatch, Unit: "b", Version: 1}, false); err != nil {
			t.Fatal(err)
		}
		find := func(f archive.Filter) []string {
			t.Helper()
			page, err := svc.List(ctx, leader, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range page.Items {
				out = append(out, it.Text)
			}
			sort.Strings(out)
			return out
		}
		sorted := func(xs ...string) []string { sort.Strings(xs); return xs }
		tests := []struct {
			name string
			f    archive.Filter
			want []string
		}{
			{"simplified finds traditional", archive.Filter{Query: "投诉"}, sorted(texts[0], texts[1])},
			{"traditional finds simplified", archive.Filter{Query: "投訴"}, sorted(texts[0], texts[1])},
			{"two characters", archive.Filter{Query: "户籍"}, sorted(texts[1], texts[3])},
			{"two characters traditional", archive.Filter{Query: "戶籍"}, sorted(texts[1], texts[3])},
			{"one character", archive.Filter{Query: "牛"}, sorted(texts[5])},
			{"three characters", archive.Filter{Query: "派出所"}, sorted(texts[0])},
			{"several words", archive.Filter{Query: "户籍 排队"}, sorted(texts[1])},
			{"markup", archive.Filter{Query: "script"}, sorted(texts[6])},
			{"no match", archive.Filter{Query: "护照"}, nil},
			{"punctuation only", archive.Filter{Query: "，。"}, nil},
			{"with unit filter", archive.Filter{Query: "投诉", Unit: "b"}, sorted(texts[1])},
			{"with status filter", archive.Filter{Query: "投诉", Statuses: []archive.Status{archive.StatusReceived}}, sorted(texts[0])},
			{"with date range", archive.Filter{Query: "投诉", From: ptr(t0.Add(90 * time.Minute))}, sorted(texts[1])},
			{"overdue now", archive.Filter{Overdue: true, Query: "落户"}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if got := find(tc.f); strings.Join(got, "|") != strings.Join(tc.want, "|") {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			})
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestPagination(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clock := fixture(t, db)
		var at []time.Time
		for i := range 25 {
			clock.Advance(time.Minute)
			at = append(at, clock.Now())
			submit(t, svc, fmt.Sprintf("户籍咨询第%d件", i))
		}
		// A period's pages in the order of receipt, whose range starts
		// (or, newest first, ends) at the cursor past the period's bound:
		// the 4th to the 22nd item, each once, in order.
		for _, sortBy := range []string{archive.SortNewest, archive.SortOldest} {
			t.Run("period "+sortBy, func(t *testing.T) {
				f := archive.Filter{Limit: 5, Sort: sortBy, From: &at[3], To: &at[22]}
				var got []time.Time
				for {
					page, err := svc.List(ctx, leader, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, it := range page.Items {
						got = append(got, it.ReceivedAt)
					}
					if page.NextCursor == "" {
						break
					}
					f.Cursor = page.NextCursor
				}
				want := slices.Clone(at[3:22])
				if sortBy == archive.SortNewest {
					slices.Reverse(want)
				}
				if len(got) != len(want) {
					t.Fatalf("%d items, want %d", len(got), len(want))
				}
				for i := range want {
					if !got[i].Equal(want[i]) {
						t.Fatalf("item %d received %v, want %v", i, got[i], want[i])
					}
				}
			})
		}
		for _, sortBy := range []string{archive.SortNewest, archive.SortOldest, archive.SortDue, archive.SortRelevance} {
			t.Run(sortBy, func(t *testing.T) {
				seen := map[string]bool{}
				f := archive.Filter{Limit: 10, Sort: sortBy, Query: "户籍"}
				pages := 0
				for {
					page, err := svc.List(ctx, leader, f)
					if err != nil {
						t.Fatal(err)
					}
					pages++
					for _, it := range page.Items {
						if seen[it.Number] {
							t.Fatalf("%s seen twice", it.Number)
						}
						seen[it.Number] = true
					}
					if page.NextCursor == "" {
						break
					}
					f.Cursor = page.NextCursor
				}
				if len(seen) != 25 || pages != 3 {
					t.Fatalf("saw %d items in %d pages", len(seen), pages)
				}
			})
		}
		if _, err := svc.List(ctx, leader, archive.Filter{Cursor: "garbage!"}); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}

// TestTalliesMatchItems checks the incremental counters against a
// recomputation from the items after a mix of lifecycles.
func TestTalliesMatchItems(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clock := fixture(t, db)
		headA := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
		headB := org.User{Name: "hb", Role: org.RoleUnitHead, UnitCode: "b"}
		act := func(u org.User, number string, cmd archive.Command) {
			t.Helper()
			clock.Advance(time.Hour)
			actNow(t, db, svc, u, number, cmd)
		}
		var numbers []string
		for i := range 6 {
			numbers = append(numbers, submit(t, svc, fmt.Sprintf("第%d件", i)).Number)
		}
		act(leader, numbers[0], archive.Command{Action: archive.ActDispatch, Unit: "a"})
		act(headA, numbers[0], archive.Command{Action: archive.ActSign})
		act(headA, numbers[0], archive.Command{Action: archive.ActAnswer, Body: "已答复"})
		act(headA, numbers[0], archive.Command{Action: archive.ActVisit, Satisfaction: archive.Satisfied})
		act(headA, numbers[0], archive.Command{Action: archive.ActClose})
		act(leader, numbers[1], archive.Command{Action: archive.ActDispatch, Unit: "a"})
		act(headA, numbers[1], archive.Command{Action: archive.ActTransfer, Unit: "b", Body: "属乙所辖区"})
		act(headB, numbers[1], archive.Command{Action: archive.ActSign})
		act(headB, numbers[1], archive.Command{Action: archive.ActReturn, Body: "不属公安职责"})
		act(leader, numbers[2], archive.Command{Action: archive.ActInvalidate, Body: "测试"})
		act(leader, numbers[3], archive.Command{Action: archive.ActMerge, Into: numbers[4], Body: "重复"})
		act(leader, numbers[4], archive.Command{Action: archive.ActDispatch, Unit: "b"})
		act(headB, numbers[4], archive.Command{Action: archive.ActSign})
		act(headB, numbers[4], archive.Command{Action: archive.ActAnswer, Body: "答复"})
		act(headB, numbers[4], archive.Command{Action: archive.ActVisit, Satisfaction: archive.Unsatisfied, Body: "群众说没解决"})

		want := map[string]reporting.Tally{}
		var total reporting.Tally
		for _, n := range numbers {
			it, _ := db.Item(ctx, n)
			k, tl := archive.TallyOf(it)
			w := want[k.Unit]
			w.Add(tl, 1)
			want[k.Unit] = w
			total.Add(tl, 1)
		}
		st, err := reports(db, svc).Stats(ctx, leader, reporting.Filter{From: "2021-01-01", To: "2021-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if st.Tally != total {
			t.Fatalf("totals %+v, recomputed %+v", st.Tally, total)
		}
		for _, u := range st.ByUnit {
			if u.Tally != want[u.Unit] {
				t.Errorf("unit %s: %+v, recomputed %+v", u.Unit, u.Tally, want[u.Unit])
			}
		}
		if st.Rates.Resolution == nil || *st.Rates.Resolution != 0.25 {
			t.Errorf("resolution rate %v, want 1 closed of 4 valid", st.Rates.Resolution)
		}
		// A unit head sees only their unit.
		own, err := reports(db, svc).Stats(ctx, headB, reporting.Filter{From: "2021-01-01", To: "2021-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if len(own.ByUnit) != 1 || own.ByUnit[0].Unit != "b" {
			t.Fatalf("unit head sees %+v", own.ByUnit)
		}
	})
}

func TestVerifyDetectsTampering(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		it := submit(t, svc, "咨询")
		if _, err := svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActDispatch, Unit: "b", Version: 1}, false); err != nil {
			t.Fatal(err)
		}
		submit(t, svc, "再咨询")
		if n, err := db.Verify(ctx); err != nil || n != 3 {
			t.Fatalf("intact log: %d, %v", n, err)
		}
		r := raw(t, db)
		q := "UPDATE events SET body = 'edited by hand' WHERE seq = 2"
		if _, err := r.Exec(q); err != nil {
			t.Fatal(err)
		}
		_, err := db.Verify(ctx)
		var ce *eventlog.ChainError
		if !errors.As(err, &ce) || ce.Seq != 2 || ce.Register != "items" || ce.Record != it.Number {
			t.Fatalf("verify after edit: %v", err)
		}
	})
}

func TestRefusesNewerSchema(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, url := openAt(t, d)
			r := raw(t, db)
			if _, err := r.Exec("INSERT INTO schema_migrations(version, name, applied_at) VALUES (999, 'future', 0)"); err != nil {
				t.Fatal(err)
			}
			db.Close()
			_, err := store.Open(ctx, url)
			if err == nil || !strings.Contains(err.Error(), "newer minyi") {
				t.Fatalf("opening a newer database: %v", err)
			}
		})
	}
}

func TestBackup(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	svc, _ := fixture(t, db)
	submit(t, svc, "备份测试")
	to := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, to); err != nil {
		t.Fatal(err)
	}

	r, err := sql.Open("sqlite", "file:"+to)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := r.QueryRow("SELECT COUNT(*) FROM items").Scan(&n); err != nil || n != 1 {
		t.Fatalf("backup holds %d items: %v", n, err)
	}
	r.Close()

	if err := db.Backup(ctx, to); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
}

// TestMigrationKeepsTheCounters rebuilds the counters the way schema 13 kept
// them and migrates again: every figure is the same afterwards, and new
// items still add to them.
func TestMigrationKeepsTheCounters(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, url := openAt(t, d)
			svc, now := fixture(t, db)
			for i, text := range []string{"户籍迁移怎么办？", "户籍窗口几点开门？", "户籍证明去哪开？"} {
				now.Set(now.Now().AddDate(0, 0, i))
				submit(t, svc, text)
			}
			leader := org.User{Name: "boss", Role: org.RoleLeader}
			if _, err := svc.Act(ctx, leader, "2021-000001", archive.Command{Action: archive.ActDispatch, Unit: "b"}, true); err != nil {
				t.Fatal(err)
			}
			before, err := db.Stats(ctx, reporting.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			undo := append(append(append(undoEventLog, undoDeskVersions()...), "DELETE FROM schema_migrations WHERE version >= 14", dropEnteredAt, dropShareLocation), undoTokenExpiry...)
			if d == "sqlite" {
				undo = append(undo, `CREATE TABLE old_tallies (unit_code TEXT NOT NULL, day TEXT NOT NULL,
					received INTEGER NOT NULL DEFAULT 0, valid INTEGER NOT NULL DEFAULT 0, responded INTEGER NOT NULL DEFAULT 0,
					answered INTEGER NOT NULL DEFAULT 0, on_time INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0,
					visited INTEGER NOT NULL DEFAULT 0, satisfied INTEGER NOT NULL DEFAULT 0, basic_satisfied INTEGER NOT NULL DEFAULT 0,
					unsatisfied INTEGER NOT NULL DEFAULT 0, returned INTEGER NOT NULL DEFAULT 0, redone INTEGER NOT NULL DEFAULT 0,
					PRIMARY KEY (unit_code, day))`,
					`INSERT INTO old_tallies SELECT unit_code, day, received, valid, responded, answered, on_time, closed,
					visited, satisfied, basic_satisfied, unsatisfied, returned, redone FROM tallies`, "DROP TABLE tallies",
					"ALTER TABLE old_tallies RENAME TO tallies", "CREATE INDEX tallies_day ON tallies(day, unit_code)")
			}
			db = reopenAfter(t, db, url, undo...)
			after, err := db.Stats(ctx, reporting.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) || after.Tally.Received != 3 {
				t.Fatalf("figures changed by the migration:\n%+v\n%+v", before, after)
			}
			svc = archive.NewService(db, policy)
			svc.Now = now.Now
			submit(t, svc, "户籍还要带什么？")
			if st, err := db.Stats(ctx, reporting.Filter{}); err != nil || st.Tally.Received != 4 {
				t.Fatalf("a new item after the migration: %+v %v", st.Tally, err)
			}
		})
	}
}

// undoStations undoes migration 47 (the items' assignee and the units'
// dispatch setting), for a test that goes back to an earlier schema, and
// with it 55 (the assignee in the index of a unit's open items, as 12 left
// it) and 57 (the index of a unit's open items by receipt, which holds the
// assignee).
var undoStations = []string{"DROP INDEX items_open_unit_received", "DROP INDEX items_open_unit_due", "DROP INDEX items_assignee", "DROP INDEX items_unit_assignee",
	"ALTER TABLE items DROP COLUMN assignee", "ALTER TABLE units DROP COLUMN dispatch_by_bureau",
	"CREATE INDEX items_open_unit_due ON items(unit_code, due_at, status, received_at) WHERE status IN ('received','returned','dispatched','signed','in_progress')"}

// dropEnteredAt undoes migration 15, for a test that takes a database back
// to an earlier schema and has the later migrations run again.
const dropEnteredAt = "ALTER TABLE items DROP COLUMN entered_at"

// dropShareLocation undoes migration 20, likewise.
const dropShareLocation = "ALTER TABLE items DROP COLUMN share_location"

// undoDeskVersions takes a database back from schema 21 to 20: the desk's
// public versions and the desk's order by them are not there yet.
func undoDeskVersions() []string {
	return []string{"DROP INDEX items_desk",
		"ALTER TABLE items DROP COLUMN desk_title", "ALTER TABLE items DROP COLUMN desk_text", "ALTER TABLE items DROP COLUMN desk_answer",
		"CREATE INDEX items_desk ON items(received_at, id) WHERE publish = 1 AND status IN ('answered','visited','closed') AND public_reply <> ''"}
}

// openAt opens a new database of dialect d, for a test that closes and
// reopens it at the address it also returns.
func openAt(t *testing.T, d string) (*store.DB, string) {
	t.Helper()
	url := testdb.URL(t, d)
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	return db, url
}

// reopenAfter closes db, runs stmts on its database directly, as an older
// version or a hand edit would have left it, and opens it again, migrating.
func reopenAfter(t *testing.T, db *store.DB, url string, stmts ...string) *store.DB {
	t.Helper()
	r := raw(t, db)
	db.Close()
	for _, q := range stmts {
		if _, err := r.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	r.Close()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// wantProblem fails unless err has the code and, if field is not empty,
// names that field among its problems.
func wantProblem(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *minyi.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
	if field == "" {
		return
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("got %v, want a problem with %q", err, field)
}

// TestNoVisibleUnitMatchesNothing: a visibility that allows no unit (an
// empty, non-nil list) reads nothing, on both databases, rather than
// failing on "IN ()" or reading everything.
func TestNoVisibleUnitMatchesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		submit(t, svc, "新生兒落戶需要什麼材料？")
		page, err := db.FindItems(ctx, archive.Filter{Units: []string{}})
		if err != nil || len(page.Items) != 0 {
			t.Errorf("items of no unit: %d, %v", len(page.Items), err)
		}
		st, err := db.Stats(ctx, reporting.Filter{Units: []string{}})
		if err != nil || st.Tally.Received != 0 {
			t.Errorf("stats of no unit: %+v, %v", st.Tally, err)
		}
		all, err := db.Stats(ctx, reporting.Filter{})
		if err != nil || all.Tally.Received != 1 {
			t.Errorf("stats of every unit: %+v, %v", all.Tally, err)
		}
	})
}
