package store_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// deskQuestion files text on the online desk and has unit a answer it in
// public, an hour after the last, and returns its number.
func deskQuestion(t *testing.T, db *store.DB, svc *archive.Service, advance func(), text string) string {
	t.Helper()
	advance()
	it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineDesk,
		Category: "hukou", Text: text, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
	actNow(t, db, svc, leader, it.Number, archive.Command{Action: archive.ActDispatch, Unit: "a"})
	actNow(t, db, svc, officer, it.Number, archive.Command{Action: archive.ActSign})
	actNow(t, db, svc, officer, it.Number, archive.Command{Action: archive.ActAnswer, Body: "请带户口簿到户籍窗口办理。"})
	return it.Number
}

// deskWalk reads the whole citizens' desk a page of size at a time and
// returns its entries as "number×asked" and the total of each page.
func deskWalk(t *testing.T, svc *archive.Service, size int) (entries []string, totals []int) {
	t.Helper()
	cursor := ""
	for range 100 {
		page, err := svc.DeskSorted(ctx, "", "", cursor, size)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total == nil {
			t.Fatal("the desk is not counted")
		}
		totals = append(totals, *page.Total)
		for _, e := range page.Entries {
			entries = append(entries, e.Number+"×"+strconv.Itoa(e.Asked))
		}
		if cursor = page.NextCursor; cursor == "" {
			return entries, totals
		}
	}
	t.Fatal("the desk's pages do not end")
	return nil, nil
}

// TestDeskEntries: the citizens' desk shows each question once for all who
// asked it — the same title in either script, with other punctuation —
// across its pages, the newest of them as the entry with how many asked;
// it counts the entries; a question taken off the desk or given another
// title leaves its entry; the askers of an entry are listed; and a search
// in traditional characters finds questions in simplified.
func TestDeskEntries(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		advance := func() { now.Advance(time.Hour) }
		ask := func(text string) string { return deskQuestion(t, db, svc, advance, text) }
		lost1 := ask("身份证丢了在哪里补办？")
		other := ask("户籍迁移需要什么材料？")
		lost2 := ask("身份證丟了，在哪裡補辦")
		night := ask("晚上可以报警吗？")
		lost3 := ask("身份证丢了 在哪里补办!")
		late := ask("驾驶证怎么换领？")
		yes, no := true, false

		tests := []struct {
			name    string
			change  func()
			entries []string
			asked   map[string][]string // an entry's askers, newest first
		}{
			{"the same question once across pages", func() {},
				[]string{late + "×1", lost3 + "×3", night + "×1", other + "×1"},
				map[string][]string{lost1: {lost3, lost2, lost1}, other: {other}}},
			{"the newest taken off the desk leaves its entry to the next", func() {
				actNow(t, db, svc, leader, lost3, archive.Command{Action: archive.ActSetPublish, Publish: &no})
			}, []string{late + "×1", night + "×1", lost2 + "×2", other + "×1"},
				map[string][]string{lost2: {lost2, lost1}}},
			{"a question alone taken off the desk takes its entry", func() {
				actNow(t, db, svc, leader, night, archive.Command{Action: archive.ActSetPublish, Publish: &no})
			}, []string{late + "×1", lost2 + "×2", other + "×1"}, nil},
			{"a new title moves a question to another entry", func() {
				actNow(t, db, svc, leader, lost1, archive.Command{Action: archive.ActSetPublish, Publish: &yes,
					Desk: &archive.DeskVersion{Title: "户籍迁移需要什么材料", Text: "身份证丢了在哪里补办？", Answer: "请带户口簿到户籍窗口办理。"}})
			}, []string{late + "×1", lost2 + "×1", other + "×2"},
				map[string][]string{other: {other, lost1}}},
			{"published again, it joins its entry again", func() {
				actNow(t, db, svc, leader, lost3, archive.Command{Action: archive.ActSetPublish, Publish: &yes})
			}, []string{late + "×1", lost3 + "×2", other + "×2"},
				map[string][]string{lost2: {lost3, lost2}, night: nil}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				tc.change()
				for _, size := range []int{1, 2, 20} {
					entries, totals := deskWalk(t, svc, size)
					if strings.Join(entries, " ") != strings.Join(tc.entries, " ") {
						t.Errorf("pages of %d: %v, want %v", size, entries, tc.entries)
					}
					for _, n := range totals {
						if n != len(tc.entries) {
							t.Errorf("pages of %d: counted %v, want %d entries", size, totals, len(tc.entries))
							break
						}
					}
				}
				for number, want := range tc.asked {
					var got []string
					cursor := ""
					for {
						page, err := svc.DeskAsked(ctx, number, cursor, 2)
						if want == nil {
							if err == nil {
								t.Errorf("the askers of %s, off the desk: %+v", number, page)
							}
							break
						}
						if err != nil {
							t.Fatal(err)
						}
						if *page.Total != len(want) {
							t.Errorf("the askers of %s counted %d, want %d", number, *page.Total, len(want))
						}
						for _, e := range page.Entries {
							got = append(got, e.Number)
						}
						if cursor = page.NextCursor; cursor == "" {
							break
						}
					}
					if want != nil && strings.Join(got, " ") != strings.Join(want, " ") {
						t.Errorf("the askers of %s: %v, want %v", number, got, want)
					}
				}
			})
		}

		t.Run("search in traditional finds simplified", func(t *testing.T) {
			page, err := svc.DeskSorted(ctx, "戶籍遷移", "", "", 20)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range page.Entries {
				got = append(got, e.Number)
			}
			if strings.Join(got, " ") != other+" "+lost1 || page.Total == nil || *page.Total != 2 {
				t.Errorf("found %v (total %v), want %s and %s, newest first", got, page.Total, other, lost1)
			}
		})
	})
}

// TestDeskEntriesMigration: migration 55 keys the questions already on the
// desk and makes their entries and count, as writing them would have.
func TestDeskEntriesMigration(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, url := openAt(t, d)
			svc, now := fixture(t, db)
			advance := func() { now.Advance(time.Hour) }
			a := deskQuestion(t, db, svc, advance, "身份证丢了在哪里补办？")
			b := deskQuestion(t, db, svc, advance, "户籍迁移需要什么材料？")
			c := deskQuestion(t, db, svc, advance, "身份證丟了，在哪裡補辦")
			before, _ := deskWalk(t, svc, 20)
			if want := c + "×2 " + b + "×1"; strings.Join(before, " ") != want {
				t.Fatalf("before: %v, want %s (with %s)", before, want, a)
			}
			db = reopenAfter(t, db, url, "DROP TABLE desk_entry_count", "DROP TABLE desk_entries", "DROP TABLE desk_questions",
				"DELETE FROM schema_migrations WHERE version >= 55")
			svc = archive.NewService(db, policy)
			after, totals := deskWalk(t, svc, 1)
			if strings.Join(after, " ") != strings.Join(before, " ") || totals[0] != 2 {
				t.Errorf("after the migration: %v counted %v, want %v counted 2", after, totals, before)
			}
			svc.Now = now.Now
			d := deskQuestion(t, db, svc, advance, "身份证丢了在哪里补办")
			if after, totals := deskWalk(t, svc, 20); strings.Join(after, " ") != d+"×3 "+b+"×1" || totals[0] != 2 {
				t.Errorf("a question asked after the migration: %v counted %v", after, totals)
			}
		})
	}
}

// TestDeskEntriesStoredKey: a question leaving the desk leaves the group of
// the key it was stored under, not of the key its title folds to today: a
// group keyed by an older folding (written here by hand) loses the
// question taken off the desk, and keeps its other question when the first
// comes back under today's key.
func TestDeskEntriesStoredKey(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		advance := func() { now.Advance(time.Hour) }
		older := deskQuestion(t, db, svc, advance, "身份证丢了在哪里补办？")
		other := deskQuestion(t, db, svc, advance, "户籍迁移需要什么材料？")
		newer := deskQuestion(t, db, svc, advance, "身份證丟了，在哪裡補辦")
		if entries, _ := deskWalk(t, svc, 20); strings.Join(entries, " ") != newer+"×2 "+other+"×1" {
			t.Fatalf("before: %v", entries)
		}
		// As an older folding would have keyed the two: the key moves in
		// the questions and in their entry alike.
		r := raw(t, db)
		var key string
		if err := r.QueryRowContext(ctx, `SELECT q.question_key FROM desk_questions q JOIN items ON items.id = q.item_id
			WHERE items.number = '`+newer+`'`).Scan(&key); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE desk_questions SET question_key = 'older folding' WHERE question_key = '" + key + "'",
			"UPDATE desk_entries SET question_key = 'older folding' WHERE question_key = '" + key + "'"} {
			if _, err := r.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		no, yes := false, true
		for _, tc := range []struct {
			name    string
			publish *bool
			entries []string
		}{
			{"taken off the desk, it leaves the older group", &no, []string{other + "×1", older + "×1"}},
			{"back on the desk, it is keyed anew and the older group keeps the other", &yes, []string{newer + "×1", other + "×1", older + "×1"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				actNow(t, db, svc, leader, newer, archive.Command{Action: archive.ActSetPublish, Publish: tc.publish})
				entries, totals := deskWalk(t, svc, 20)
				if strings.Join(entries, " ") != strings.Join(tc.entries, " ") || totals[0] != len(tc.entries) {
					t.Errorf("%v counted %v, want %v", entries, totals, tc.entries)
				}
				page, err := svc.DeskAsked(ctx, older, "", 20)
				if err != nil || page.Total == nil || *page.Total != 1 || len(page.Entries) != 1 || page.Entries[0].Number != older {
					t.Errorf("the askers of %s: %+v %v, want it alone", older, page, err)
				}
			})
		}
	})
}
