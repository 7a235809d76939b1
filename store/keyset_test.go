package store_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/booking"
	"minyi/campaign"
	"minyi/indicator"
	"minyi/internal/testdb"
	"minyi/meeting"
	"minyi/onestop"
	"minyi/publicity"
	"minyi/register"
	"minyi/store"
	"minyi/volunteer"
)

// ksPlan returns SQLite's plan of q with args, one step a line.
func ksPlan(t *testing.T, raw *sql.DB, q string, args []any) string {
	t.Helper()
	rows, err := raw.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("%v: %s", err, q)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan.String()
}

// Every list paged by a keyset cursor (where.after) reads a page after its
// cursor as one range of its index on SQLite: a search whose bound is the
// sort key, never a scan and never only a filter's equality. The keyset
// spelled "day < ? OR (day = ? AND id < ?)" planned so on the volunteer
// activities (SCAN … USING COVERING INDEX volunteer_activities_day, and
// for a unit's list only unit=?): a page deep in the list read every row
// before its cursor again.
func TestKeysetPlans(t *testing.T) {
	bg := context.Background()
	db := testdb.Open(t, "sqlite")
	raw := testdb.Raw(t, db)
	day := store.LedgerCursor("2024-05-01", 1000)
	page := func(c string) register.Filter { return register.Filter{Limit: 20, Cursor: c} }
	item := store.ItemCursor(1714521600000000, 1000)
	tests := []struct {
		name, table, key string
		read             func() error
	}{
		{"volunteer activities", "volunteer_activities", "day", func() error {
			_, err := db.Activities(bg, volunteer.Filter{Filter: page(day)})
			return err
		}},
		{"a unit's volunteer activities", "volunteer_activities", "day", func() error {
			_, err := db.Activities(bg, volunteer.Filter{Filter: page(day), Unit: "a"})
			return err
		}},
		{"publicity pieces", "publicity_pieces", "day", func() error {
			_, err := db.Pieces(bg, publicity.Filter{Filter: page(day)})
			return err
		}},
		{"a channel's publicity pieces", "publicity_pieces", "day", func() error {
			_, err := db.Pieces(bg, publicity.Filter{Filter: page(day), Channel: publicity.ChannelWeChat})
			return err
		}},
		{"indicator entries", "indicator_entries", "month", func() error {
			_, err := db.Entries(bg, indicator.Filter{Filter: page(store.LedgerCursor("2024-05", 1000))})
			return err
		}},
		{"a unit's indicator entries", "indicator_entries", "month", func() error {
			_, err := db.Entries(bg, indicator.Filter{Filter: page(store.LedgerCursor("2024-05", 1000)), Unit: "a"})
			return err
		}},
		{"meetings", "meetings", "day", func() error {
			_, err := db.Meetings(bg, meeting.Filter{Limit: 20, Cursor: day})
			return err
		}},
		{"campaigns", "campaigns", "from_day", func() error {
			_, err := db.Campaigns(bg, campaign.Filter{Filter: page(day)})
			return err
		}},
		{"bookings", "bookings", "day", func() error {
			_, err := db.Bookings(bg, booking.Filter{Filter: page(store.LedgerCursor("2024-05-01 09:00", 1000))})
			return err
		}},
		{"a point's bookings", "bookings", "day", func() error {
			_, err := db.Bookings(bg, booking.Filter{Filter: page(store.LedgerCursor("2024-05-01 09:00", 1000)), Point: 1})
			return err
		}},
		{"items newest first", "items", "received_at", func() error {
			_, err := db.FindItems(bg, archive.Filter{Limit: 20, Cursor: item, Sort: archive.SortNewest})
			return err
		}},
		{"items oldest first", "items", "received_at", func() error {
			_, err := db.FindItems(bg, archive.Filter{Limit: 20, Cursor: item, Sort: archive.SortOldest})
			return err
		}},
		{"a unit's items newest first", "items", "received_at", func() error {
			_, err := db.FindItems(bg, archive.Filter{Limit: 20, Cursor: item, Sort: archive.SortNewest, Unit: "a"})
			return err
		}},
		{"open items by due time", "items", "due_at", func() error {
			_, err := db.FindItems(bg, archive.Filter{Limit: 20, Cursor: item, Sort: archive.SortDue, Statuses: archive.OpenStatuses})
			return err
		}},
		{"a unit's open items by due time", "items", "due_at", func() error {
			_, err := db.FindItems(bg, archive.Filter{Limit: 20, Cursor: item, Sort: archive.SortDue, Statuses: archive.OpenStatuses, Unit: "a"})
			return err
		}},
		{"a unit's open items newest first", "items", "received_at", func() error {
			_, err := db.FindItems(bg, archive.Filter{Limit: 20, Cursor: item, Sort: archive.SortNewest, Statuses: archive.OpenStatuses, Unit: "a"})
			return err
		}},
		{"desk entries", "desk_entries", "received_at", func() error {
			_, err := db.DeskEntries(bg, item, 20)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			type query struct {
				q    string
				args []any
			}
			var seen []query
			db.TraceQueries(func(q string, args []any) { seen = append(seen, query{q, args}) })
			defer db.TraceQueries(nil)
			if err := tc.read(); err != nil {
				t.Fatal(err)
			}
			// The page's query: it reads the table and bounds its key.
			page := regexp.MustCompile(`(?s)FROM ` + tc.table + `\b.*WHERE .*\b` + tc.key + `\b.* LIMIT `)
			scan := regexp.MustCompile(`(?m)^SCAN ` + tc.table + `\b`)
			// The search names the sort key in a range: "day<?", or the row
			// value "(day,start_time)>(?,?)".
			rng := regexp.MustCompile(`(?m)^SEARCH ` + tc.table + ` USING .*INDEX .*(\b` + tc.key + `[<>]|\(` + tc.key + `,[a-z_,]*\)[<>])`)
			paged := 0
			for _, s := range seen {
				if !page.MatchString(s.q) {
					continue
				}
				paged++
				plan := ksPlan(t, raw, s.q, s.args)
				if scan.MatchString(plan) || !rng.MatchString(plan) {
					t.Errorf("the page after the cursor is not a range of %s by %s:\n%s\n%s", tc.table, tc.key, s.q, plan)
				}
			}
			if paged == 0 {
				t.Errorf("no page of %s read after the cursor among %d queries", tc.table, len(seen))
			}
		})
	}
}

// ksRow is a row of a list: its sort key and id.
type ksRow struct {
	key string
	id  int64
}

// ksPages reads a list two rows a page, page reading the one after cursor.
func ksPages[T any](page func(cursor string) (register.Page[T], error), row func(T) ksRow) ([]ksRow, error) {
	var out []ksRow
	for cursor := ""; ; {
		p, err := page(cursor)
		if err != nil {
			return nil, err
		}
		for _, it := range p.Items {
			out = append(out, row(it))
		}
		if cursor = p.NextCursor; cursor == "" {
			return out, nil
		}
	}
}

// Paged two at a time, a list whose rows mostly share one day (or month)
// gives every row exactly once, in its order, on both databases: the
// keyset's row value orders ties by id as ORDER BY does.
func TestKeysetPagesTies(t *testing.T) {
	const (
		tied  = 9 // rows on the one day
		other = 4 // rows on days before and after it
	)
	tests := []struct {
		name string
		desc bool
		// seed stores tied rows on key's day (or month) and other rows
		// on other days, and answers how many.
		seed func(t *testing.T, db *store.DB) int
		read func(db *store.DB) ([]ksRow, error)
	}{
		{"volunteer activities", true, ksInsert(tied, other, "2024-05-01", []string{"2024-04-30", "2024-05-02"},
			"INSERT INTO volunteer_activities(day, title, unit, created_by, created_at, updated_at) VALUES ('%[1]s', '护学%[2]d', 'a', 'x', 0, 0)"),
			func(db *store.DB) ([]ksRow, error) {
				return ksPages(func(c string) (volunteer.Page, error) {
					return db.Activities(context.Background(), volunteer.Filter{Filter: register.Filter{Limit: 2, Cursor: c}})
				}, func(a volunteer.Activity) ksRow { return ksRow{a.Date, a.ID} })
			}},
		{"publicity pieces", true, ksInsert(tied, other, "2024-05-01", []string{"2024-04-30", "2024-05-02"},
			"INSERT INTO publicity_pieces(day, channel, outlet, title, unit, created_by, created_at, updated_at) VALUES ('%[1]s', 'wechat', '公众号', '稿件%[2]d', 'a', 'x', 0, 0)"),
			func(db *store.DB) ([]ksRow, error) {
				return ksPages(func(c string) (publicity.Page, error) {
					return db.Pieces(context.Background(), publicity.Filter{Filter: register.Filter{Limit: 2, Cursor: c}})
				}, func(p publicity.Piece) ksRow { return ksRow{p.Date, p.ID} })
			}},
		{"indicator entries", true, ksInsert(tied, other, "2024-05", []string{"2024-04", "2024-06"},
			"INSERT INTO indicator_entries(indicator, unit, month, value, created_by, created_at) VALUES ('criminal_cases_solved', 'u%[2]d', '%[1]s', 1, 'x', 0)"),
			func(db *store.DB) ([]ksRow, error) {
				return ksPages(func(c string) (indicator.Page, error) {
					return db.Entries(context.Background(), indicator.Filter{Filter: register.Filter{Limit: 2, Cursor: c}})
				}, func(e indicator.Entry) ksRow { return ksRow{e.Month, e.ID} })
			}},
		{"campaigns", true, ksInsert(tied, other, "2024-05-01", []string{"2024-04-30", "2024-05-02"},
			"INSERT INTO campaigns(name, from_day, to_day, created_by, created_at, updated_at, version) VALUES ('活动%[2]d', '%[1]s', '2030-12-31', 'x', 0, 0, 1)"),
			func(db *store.DB) ([]ksRow, error) {
				return ksPages(func(c string) (register.Page[campaign.Campaign], error) {
					return db.Campaigns(context.Background(), campaign.Filter{Filter: register.Filter{Limit: 2, Cursor: c}})
				}, func(c campaign.Campaign) ksRow { return ksRow{c.From, c.ID} })
			}},
		{"meetings", true, ksInsert(tied, other, "2024-05-01", []string{"2024-04-30", "2024-05-02"},
			"INSERT INTO meetings(day, place, host_unit, created_by, created_at) VALUES ('%[1]s', '会议室%[2]d', 'a', 'x', 0)"),
			func(db *store.DB) ([]ksRow, error) {
				var out []ksRow
				for cursor := ""; ; {
					p, err := db.Meetings(context.Background(), meeting.Filter{Limit: 2, Cursor: cursor})
					if err != nil {
						return nil, err
					}
					for _, m := range p.Meetings {
						out = append(out, ksRow{m.Day(), m.ID})
					}
					if cursor = p.NextCursor; cursor == "" {
						return out, nil
					}
				}
			}},
		{"bookings", false, func(t *testing.T, db *store.DB) int {
			svc, p, slots, _ := boFixture(t, db, tied)
			// One slot: the tied bookings share its day and start time.
			n := 0
			for _, d := range []struct {
				day   string
				count int
			}{{"2021-09-15", other / 2}, {"2021-09-14", tied}, {"2021-09-16", other / 2}} {
				for range d.count {
					r := boRequest(p, slots[0], d.day)
					r.Phone = fmt.Sprintf("139123456%02d", n)
					if _, err := svc.Book(context.Background(), r, nil); err != nil {
						t.Fatal(err)
					}
					n++
				}
			}
			return n
		}, func(db *store.DB) ([]ksRow, error) {
			return ksPages(func(c string) (booking.Page, error) {
				return db.Bookings(context.Background(), booking.Filter{Filter: register.Filter{Limit: 2, Cursor: c}})
			}, func(b booking.Booking) ksRow { return ksRow{b.Day + " " + b.Start, b.ID} })
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *store.DB) {
				n := tc.seed(t, db)
				rows, err := tc.read(db)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != n {
					t.Errorf("paged %d rows of %d: %v", len(rows), n, rows)
				}
				for i := 1; i < len(rows); i++ {
					c := cmp.Or(cmp.Compare(rows[i-1].key, rows[i].key), cmp.Compare(rows[i-1].id, rows[i].id))
					if tc.desc {
						c = -c
					}
					if c >= 0 {
						t.Errorf("row %d %v after %v: out of order or repeated", i, rows[i], rows[i-1])
					}
				}
			})
		})
	}
}

// ksInsert returns a seed that runs stmt (a format of the key and the
// row's number) tied times with key and other times with the keys of
// others in turn, behind the store's back: the lists read only the rows.
func ksInsert(tied, other int, key string, others []string, stmt string) func(t *testing.T, db *store.DB) int {
	return func(t *testing.T, db *store.DB) int {
		t.Helper()
		raw := testdb.Raw(t, db)
		for i := range tied + other {
			k := key
			// The other rows come between the tied ones, so that ids do
			// not follow the list's order.
			if i%3 == 1 && i/3 < other {
				k = others[i/3%len(others)]
			}
			if _, err := raw.Exec(fmt.Sprintf(stmt, k, i)); err != nil {
				t.Fatal(err)
			}
		}
		return tied + other
	}
}

// The archive and the one-stop cases read whole for the ledgers' workbook,
// in the order filed, read the period's ids from an index and then the
// rows by id, in the order of the table (SQLite): never a scan of the
// table, never the rows sorted whole, never the rows by a range of the
// index of the period (a seek per row wherever the row lies).
func TestFiledPlans(t *testing.T) {
	defer func(n int) { *store.IDChunk = n }(*store.IDChunk)
	*store.IDChunk = 1
	bg := context.Background()
	db := testdb.Open(t, "sqlite")
	raw := testdb.Raw(t, db)
	// Two cases, so that the cases are read in two chunks (the raw
	// connection checks no foreign key).
	for i := range 2 {
		if _, err := raw.Exec(`INSERT INTO cases(service_id, service_code, service_name, unit, applicant_name, status,
			step_unit, opened_on, created_by, created_at, updated_at) VALUES (1, 's', '服务', 'a', '申请人', 'open', 'a', ?, 'x', 0, 0)`,
			fmt.Sprintf("2024-05-0%d", 2-i)); err != nil {
			t.Fatal(err)
		}
	}
	// Two items, so that the archive is read in two chunks too.
	svc, clock := fixture(t, db)
	for range 2 {
		clock.Advance(time.Minute)
		if _, _, err := svc.Submit(bg, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelQRCode, Text: "求助"}); err != nil {
			t.Fatal(err)
		}
	}
	from, to := clock.Now().Add(-time.Hour), clock.Now().Add(time.Hour)
	tests := []struct {
		name, table string
		read        func() error
	}{
		{"the archive", "items", func() error {
			return db.EachItem(bg, archive.Filter{From: &from, To: &to, Sort: archive.SortFiled, Brief: true}, func(archive.Item) error { return nil })
		}},
		{"a unit's archive", "items", func() error {
			return db.EachItem(bg, archive.Filter{From: &from, To: &to, Sort: archive.SortFiled, Brief: true, Units: []string{"", "a"}},
				func(archive.Item) error { return nil })
		}},
		{"the cases", "cases", func() error {
			return db.EachCase(bg, onestop.Filter{From: "2024-01-01", To: "2024-12-31", Brief: true}, func(onestop.Case) error { return nil })
		}},
		{"the cases whole", "cases", func() error {
			return db.EachCase(bg, onestop.Filter{From: "2024-01-01", To: "2024-12-31"}, func(onestop.Case) error { return nil })
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			type query struct {
				q    string
				args []any
			}
			var seen []query
			db.TraceQueries(func(q string, args []any) { seen = append(seen, query{q, args}) })
			defer db.TraceQueries(nil)
			if err := tc.read(); err != nil {
				t.Fatal(err)
			}
			bad := regexp.MustCompile(`(?m)^(SCAN ` + tc.table + `\b|USE TEMP B-TREE FOR ORDER BY)`)
			byID := regexp.MustCompile(`(?m)^SEARCH ` + tc.table + ` USING INTEGER PRIMARY KEY \(rowid=\?\)`)
			rows := 0
			for _, s := range seen {
				plan := ksPlan(t, raw, s.q, s.args)
				if bad.MatchString(plan) {
					t.Errorf("read by a scan or sorted whole:\n%s\n%s", s.q, plan)
				}
				if byID.MatchString(plan) {
					rows++
				}
			}
			if rows != 2 {
				t.Errorf("%d queries read the rows by id, want 2 (a chunk of one id each)", rows)
				for _, s := range seen {
					t.Logf("%s\n%s", s.q, ksPlan(t, raw, s.q, s.args))
				}
			}
		})
	}
}
