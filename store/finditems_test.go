package store_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

func TestDeskCandidates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		file := func(text string, publish bool) archive.Item {
			t.Helper()
			now.Advance(time.Minute)
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineDesk,
				Category: "hukou", Text: text, Publish: publish, Contact: archive.Contact{Name: "王某", Phone: "13900001111"}})
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		act := func(it archive.Item, who org.User, cmd archive.Command) {
			t.Helper()
			if _, err := svc.Act(ctx, who, it.Number, cmd, true); err != nil {
				t.Fatalf("%s %s: %v", it.Number, cmd.Action, err)
			}
		}
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		no, yes := false, true
		waiting := file("新生儿怎么落户？", true)
		private := file("我家的私事", false)
		answered := file("身份证丢了怎么办？", true)
		act(answered, leader, archive.Command{Action: archive.ActDispatch, Unit: "a"})
		act(answered, officer, archive.Command{Action: archive.ActSign})
		act(answered, officer, archive.Command{Action: archive.ActAnswer, Body: "带户口簿到户籍窗口补办。"})
		withdrawn := file("能不能公开我的问题？", true)
		act(withdrawn, leader, archive.Command{Action: archive.ActSetPublish, Publish: &no})
		invalid := file("测试", true)
		act(invalid, leader, archive.Command{Action: archive.ActInvalidate, Body: "测试留言"})
		republished := file("又公开了", true)
		act(republished, leader, archive.Command{Action: archive.ActSetPublish, Publish: &no})
		act(republished, leader, archive.Command{Action: archive.ActSetPublish, Publish: &yes})

		got, err := db.DeskCandidates(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var numbers []string
		for _, it := range got {
			numbers = append(numbers, it.Number)
		}
		// Newest first: the republished one is still waiting for an answer;
		// the answered one is on the desk, the private and invalid ones never
		// may be.
		want := []string{republished.Number, withdrawn.Number, waiting.Number}
		if !slices.Equal(numbers, want) {
			t.Fatalf("candidates %v, want %v (private %s, answered %s, invalid %s)", numbers, want, private.Number, answered.Number, invalid.Number)
		}
		if got, _ := db.DeskCandidates(ctx, 2); len(got) != 2 || got[0].Number != republished.Number {
			t.Fatalf("limit 2: %v", got)
		}
	})
}

// TestPublishingNamesNobody: on both databases, publishing an answer that
// begins with the citizen's name is refused and changes nothing; the
// edited public version publishes and is what the desk finds and shows.
func TestPublishingNamesNobody(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineDesk,
			Category: "hukou", Text: "户口本丢了怎么补办？", Publish: true, Contact: archive.Contact{Name: "巴特尔", Phone: "13900001111"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			who org.User
			cmd archive.Command
		}{{leader, archive.Command{Action: archive.ActDispatch, Unit: "a"}}, {officer, archive.Command{Action: archive.ActSign}},
			{officer, archive.Command{Action: archive.ActAnswer, Body: "巴特尔您好，请带身份证到户籍窗口补办。"}}} {
			if it, err = svc.Act(ctx, step.who, it.Number, step.cmd, true); err != nil {
				t.Fatal(err)
			}
		}
		yes := true
		before, _ := db.Item(ctx, it.Number)
		_, err = svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActSetPublish, Version: before.Version, Publish: &yes}, false)
		if minyi.ErrorCode(err) != minyi.EInvalid || !strings.Contains(err.Error(), "desk.answer") || !strings.Contains(err.Error(), "巴特尔") {
			t.Fatalf("publishing as written: %v", err)
		}
		if after, _ := db.Item(ctx, it.Number); !reflect.DeepEqual(before, after) || after.OnDesk() {
			t.Fatalf("a refused publication changed the item:\n%+v\n%+v", before, after)
		}
		if page, _ := svc.Desk(ctx, "补办", "", 10); len(page.Entries) != 0 {
			t.Fatalf("on the desk: %+v", page.Entries)
		}
		edit := &archive.DeskVersion{Title: "户口本补办", Answer: "您好，请带身份证到户籍窗口补办。"}
		if _, err := svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActSetPublish, Version: before.Version, Publish: &yes, Desk: edit}, false); err != nil {
			t.Fatal(err)
		}
		page, err := svc.Desk(ctx, "补办", "", 10)
		if err != nil || len(page.Entries) != 1 || page.Entries[0].Title != "户口本补办" || page.Entries[0].Answer != edit.Answer ||
			page.Entries[0].Text != "户口本丢了怎么补办？" {
			t.Fatalf("desk: %+v %v", page.Entries, err)
		}
		// The desk's index holds what the desk shows, not the citizen's name.
		if page, _ := svc.Desk(ctx, "巴特尔", "", 10); len(page.Entries) != 0 {
			t.Fatalf("the desk finds the question by the name it no longer shows: %+v", page.Entries)
		}
	})
}

// TestEachItem: on both databases, the archive read whole by one query
// (Service.Each, the ledgers' workbook) gives the items of the period that
// the list gives page after page, in the same order, scoped to the user's
// unit and masked alike, and a cancelled reading stops.
func TestEachItem(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		file := func(unit string) archive.Item {
			t.Helper()
			now.Advance(time.Minute)
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelQRCode, Unit: unit,
				Category: "hukou", Text: "求助" + unit, Contact: archive.Contact{Name: "王某", Phone: "13900001111", IDNumber: "11010519491231002X"},
				Location: archive.Location{Township: "城关镇", Village: "东村", Address: "东村3号"}})
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		file("a") // before the period
		from := now.Now().Add(30 * time.Second)
		var first archive.Item
		for i := range 23 {
			if it := file([]string{"a", "b"}[i%3/2]); i == 0 {
				first = it
			}
		}
		to := now.Now().Add(30 * time.Second)
		file("a") // after it
		// The first answered, rated and closed: every field of a Brief item
		// set.
		head := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
		for _, cmd := range []archive.Command{{Action: archive.ActSign}, {Action: archive.ActAnswer, Body: "已办"},
			{Action: archive.ActVisit, Satisfaction: archive.Satisfied}, {Action: archive.ActClose}} {
			now.Advance(time.Hour)
			actNow(t, db, svc, head, first.Number, cmd)
		}
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		for _, c := range []struct {
			name string
			u    org.User
			want int
		}{{"the leader", leader, 23}, {"unit a's officer", officer, 16}} {
			t.Run(c.name, func(t *testing.T) {
				f := archive.Filter{From: &from, To: &to, Sort: archive.SortOldest}
				var paged, each []archive.Item
				for cursor := ""; ; {
					g := f
					g.Limit, g.Cursor = 4, cursor
					p, err := svc.List(ctx, c.u, g)
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, p.Items...)
					if cursor = p.NextCursor; cursor == "" {
						break
					}
				}
				if err := svc.Each(ctx, c.u, f, func(it archive.Item) error { each = append(each, it); return nil }); err != nil {
					t.Fatal(err)
				}
				if len(each) != c.want || !reflect.DeepEqual(each, paged) {
					t.Fatalf("read whole %d items, want %d, the list's pages %d", len(each), c.want, len(paged))
				}
				if p := each[0].Contact.Phone; strings.Contains(p, "13900001111") {
					t.Fatalf("phone %q not masked", p)
				}
				// Brief, as the ledgers' workbook reads them: the same items
				// with only the fields of the ledger's row.
				g := f
				g.Brief = true
				var brief []archive.Item
				if err := svc.Each(ctx, c.u, g, func(it archive.Item) error { brief = append(brief, it); return nil }); err != nil {
					t.Fatal(err)
				}
				if len(brief) != len(paged) {
					t.Fatalf("read brief %d items, the list's pages %d", len(brief), len(paged))
				}
				for i, it := range brief {
					if want := paged[i].Brief(); !reflect.DeepEqual(it, want) {
						t.Fatalf("item %d brief:\n%+v\nwant\n%+v", i, it, want)
					}
				}
				if b := brief[0]; b.AnsweredAt == nil || b.ClosedAt == nil || !b.OnTime || b.Satisfaction == "" || b.PublicReply == "" ||
					b.Location.Village == "" || b.Contact.Name == "" || b.Text == "" || b.EnteredAt.IsZero() {
					t.Fatalf("the closed item brief lacks a field: %+v", b)
				}
			})
		}
		t.Run("filed", func(t *testing.T) {
			// Paper slips entered out of the order received (dated back):
			// the ledgers' order is the order filed, by number, whatever
			// the days of receipt; a search read whole too; a list has no
			// such order.
			now.Advance(time.Hour)
			at := now.Now()
			var filed []string
			for _, back := range []time.Duration{0, 40 * time.Minute, 20 * time.Minute, 30 * time.Minute} {
				received := at.Add(-back)
				it, _, err := svc.Submit(ctx, &leader, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelPaperBox,
					Unit: "a", Category: "hukou", Text: "纸条留言补录", ReceivedAt: &received})
				if err != nil {
					t.Fatal(err)
				}
				filed = append(filed, it.Number)
			}
			from, to := at.Add(-time.Hour), at.Add(time.Second)
			numbers := func(f archive.Filter) []string {
				var got []string
				if err := svc.Each(ctx, leader, f, func(it archive.Item) error { got = append(got, it.Number); return nil }); err != nil {
					t.Fatal(err)
				}
				return got
			}
			for _, f := range []archive.Filter{
				{From: &from, To: &to, Sort: archive.SortFiled, Brief: true},
				{From: &from, To: &to, Sort: archive.SortFiled, Query: "纸条"},
			} {
				if got := numbers(f); !reflect.DeepEqual(got, filed) {
					t.Errorf("%+v: read %v, want the order filed %v", f, got, filed)
				}
			}
			want := []string{filed[1], filed[3], filed[2], filed[0]}
			if got := numbers(archive.Filter{From: &from, To: &to, Sort: archive.SortOldest}); !reflect.DeepEqual(got, want) {
				t.Errorf("oldest first: %v, want %v", got, want)
			}
			if _, err := svc.List(ctx, leader, archive.Filter{Sort: archive.SortFiled}); minyi.ErrorCode(err) != minyi.EInvalid {
				t.Errorf("a list in the order filed: %v, want invalid", err)
			}
		})
		t.Run("cancelled", func(t *testing.T) {
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			n := 0
			err := svc.Each(cctx, leader, archive.Filter{Sort: archive.SortOldest}, func(archive.Item) error {
				if n++; n == 3 {
					cancel()
				}
				return nil
			})
			if minyi.ErrorCode(err) != minyi.EUnavailable || n != 3 {
				t.Fatalf("cancelled after 3 items: read %d of 25, %v (want the reading stopped at the 3rd)", n, err)
			}
		})
		t.Run("reveal refused", func(t *testing.T) {
			err := svc.Each(ctx, leader, archive.Filter{Reveal: "ledgers"}, func(archive.Item) error { return nil })
			if minyi.ErrorCode(err) != minyi.EInvalid {
				t.Fatalf("reveal: %v", err)
			}
		})
	})
}

// TestCountOpenOneSnapshot: the inbox's counts of the open items by status
// and of those overdue are read at one moment, on both databases: an item
// filed between two reads (the counters', then the items not yet due)
// showed one overdue item too few.
func TestCountOpenOneSnapshot(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clock := fixture(t, db)
		submit := func() archive.Item {
			t.Helper()
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelQRCode, Text: "求助"})
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		late := submit()
		clock.Advance(60 * 24 * time.Hour)
		at := late.DueAt.Add(60 * 24 * time.Hour) // the first overdue, the second not yet due
		filed := false
		db.TraceQueries(func(q string, _ []any) {
			if !filed && strings.Contains(q, "FROM items") {
				filed = true
				submit()
			}
		})
		defer db.TraceQueries(nil)
		got, err := db.CountOpen(ctx, archive.Filter{Now: at})
		if err != nil {
			t.Fatal(err)
		}
		if !filed {
			t.Fatal("CountOpen read no items: the test filed none")
		}
		if got.Overdue != 1 || got.ByStatus[archive.StatusReceived] != 2 {
			t.Errorf("overdue %d of %d received, want 1 of 2", got.Overdue, got.ByStatus[archive.StatusReceived])
		}
	})
}
