package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/demo"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

// load opens a fresh SQLite store and loads the demo into it.
func load(t *testing.T) (*store.DB, demo.Result) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	start := time.Now()
	res, err := demo.Load(ctx, demo.Env{Store: db, Policy: archive.Policy{Calendar: calendar.Default()}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Logf("loaded %d items, %d logins in %v", res.Items, len(res.Logins), time.Since(start).Round(time.Millisecond))
	return db, res
}

// all returns every item matching f, following the cursor.
func all(t *testing.T, db *store.DB, f archive.Filter) []archive.Item {
	t.Helper()
	f.Limit = 100
	var out []archive.Item
	for {
		page, err := db.FindItems(context.Background(), f)
		if err != nil {
			t.Fatalf("FindItems(%+v): %v", f, err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		f.Cursor = page.NextCursor
	}
}

// traditionalOnly are characters that appear only in traditional writing;
// the demo texts in simplified Chinese never contain them.
const traditionalOnly = "戶證們這個鎮請關為縣裡裏區車來對無會時後電話數學問題樣處蘭烏蘇麼鄰裝牆協辦還嗎讓帶號錢費養駕歲錯頭經謝幫機補過護"

func isTraditional(s string) bool { return strings.ContainsAny(s, traditionalOnly) }

func TestLoad(t *testing.T) {
	ctx := context.Background()
	db, res := load(t)
	items := all(t, db, archive.Filter{})

	t.Run("result", func(t *testing.T) {
		if res.Items != len(items) {
			t.Errorf("Result.Items = %d, stored %d", res.Items, len(items))
		}
		if res.Items < demo.CollectedOpinions+demo.DeskReplies+12 || res.Items > demo.CollectedOpinions+demo.DeskReplies+20 {
			t.Errorf("Result.Items = %d, want 60 + 137 + about 15", res.Items)
		}
		for _, l := range res.Logins {
			if l.Password != demo.Password || l.Name == "" || l.Role == "" {
				t.Errorf("login %+v", l)
			}
		}
		// The demo's token has the default lifetime from real time, not
		// from the demo's 2021: it works now and for 89 days more.
		u, tok, err := org.NewService(db).Authenticate(ctx, res.AdminToken)
		if err != nil || u.Name != "admin" || u.Role != org.RoleAdmin {
			t.Errorf("admin token authenticates %+v, %v", u, err)
		}
		if _, _, err := (&org.Service{Store: db, Now: func() time.Time { return time.Now().Add(89 * 24 * time.Hour) }}).Authenticate(ctx, res.AdminToken); err != nil {
			t.Errorf("the demo token must work for the default lifetime: expires %v: %v", tok.ExpiresAt, err)
		}
	})

	t.Run("canned replies", func(t *testing.T) {
		// Every category's desk offers its own stock answers before the
		// general ones, so staff see the feature on the first item they open.
		for _, cat := range []string{"huji", "id-card", "public-order", "traffic", "conduct"} {
			replies, err := db.CannedReplies(ctx, cat)
			if err != nil {
				t.Fatal(err)
			}
			own, general := 0, 0
			for _, r := range replies {
				switch r.CategoryCode {
				case cat:
					own++
				case "":
					general++
				}
			}
			if own < 1 || general < 2 {
				t.Errorf("category %s offers %d canned replies of its own and %d general ones, want at least 1 and 2", cat, own, general)
			}
		}
	})

	t.Run("organisation", func(t *testing.T) {
		units, err := db.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[org.UnitKind]int{}
		for _, u := range units {
			kinds[u.Kind]++
		}
		want := map[org.UnitKind]int{org.UnitBureau: 1, org.UnitStation: 6, org.UnitTeam: 4, org.UnitOffice: 3, org.UnitCentre: 1, org.UnitPartner: 1}
		for k, n := range want {
			if kinds[k] < n {
				t.Errorf("%d units of kind %s, want at least %d", kinds[k], k, n)
			}
		}
		if units[0].Code != "otog-psb" || units[0].Name != "鄂托克旗公安局" || units[0].ParentCode != "" {
			t.Errorf("first unit %+v, want the bureau as root", units[0])
		}
		branches, err := db.Branches(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(branches) != 6+4+1 {
			t.Errorf("%d party branches, want 11 (stations, teams, 机关党支部)", len(branches))
		}
		users, err := db.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[org.Role]int{}
		party := 0
		for _, u := range users {
			roles[u.Role]++
			if u.PartyMember {
				party++
				if u.BranchCode == "" {
					t.Errorf("party member %s has no branch", u.Name)
				}
			}
		}
		for _, r := range org.Roles {
			if roles[r.Role] == 0 {
				t.Errorf("no user with role %s", r.Role)
			}
		}
		if party == 0 {
			t.Error("no party members")
		}
		if len(users) != len(res.Logins) {
			t.Errorf("%d users but %d logins", len(users), len(res.Logins))
		}
		// Argon2 is slow by design: check the known password on one account
		// of each role rather than on all of them.
		seen := map[org.Role]bool{}
		for _, u := range users {
			if seen[u.Role] {
				continue
			}
			seen[u.Role] = true
			if !org.CheckPassword(u.PasswordHash, demo.Password) {
				t.Errorf("user %s does not accept the demo password", u.Name)
			}
		}
	})

	t.Run("seed totals", func(t *testing.T) {
		total := 0
		for _, ch := range demo.CollectionChannels {
			got := all(t, db, archive.Filter{Channel: ch})
			if len(got) == 0 {
				t.Errorf("channel %s is not used", ch)
			}
			for _, it := range got {
				if it.Status != archive.StatusClosed || it.AnsweredAt == nil || it.ClosedAt == nil {
					t.Errorf("%s item %s is %s, want answered and closed", ch, it.Number, it.Status)
				}
			}
			total += len(got)
		}
		if total != demo.CollectedOpinions {
			t.Errorf("collection channels hold %d items, want %d (收集到意见建议60条，回应解决60条)", total, demo.CollectedOpinions)
		}
		desk := all(t, db, archive.Filter{Channel: archive.ChannelOnlineDesk})
		if len(desk) != demo.DeskReplies {
			t.Errorf("online desk holds %d items, want %d (累计回复群众问政137条)", len(desk), demo.DeskReplies)
		}
		closed := 0
		for _, it := range desk {
			if it.AnsweredAt == nil || !it.Publish || it.PublicReply == "" {
				t.Errorf("desk item %s: answered %v, publish %v, reply %q", it.Number, it.AnsweredAt, it.Publish, it.PublicReply)
			}
			if it.Status == archive.StatusClosed {
				closed++
			}
		}
		if closed < len(desk)/2 || closed == len(desk) {
			t.Errorf("%d of %d desk items closed, want most but not all", closed, len(desk))
		}
		public := all(t, db, archive.Filter{Public: true, Channel: archive.ChannelOnlineDesk})
		if len(public) != demo.DeskReplies {
			t.Errorf("%d desk items are public, want %d", len(public), demo.DeskReplies)
		}
	})

	t.Run("received on working days", func(t *testing.T) {
		cal := calendar.Default()
		from := time.Date(2021, 1, 1, 0, 0, 0, 0, calendar.Zone)
		to := time.Date(2021, 11, 1, 0, 0, 0, 0, calendar.Zone)
		for _, it := range items {
			r := it.ReceivedAt.In(calendar.Zone)
			clock := r.Sub(time.Date(r.Year(), r.Month(), r.Day(), 0, 0, 0, 0, calendar.Zone))
			switch {
			case r.Before(from) || !r.Before(to):
				t.Errorf("item %s received %s, outside January–October 2021", it.Number, r)
			case !cal.IsWorkingDay(r):
				t.Errorf("item %s received %s, not a working day", it.Number, r)
			case clock < cal.Hours().Start || clock > cal.Hours().End:
				t.Errorf("item %s received %s, outside office hours", it.Number, r)
			}
		}
	})

	t.Run("lifecycle paths", func(t *testing.T) {
		statuses := map[archive.Status]int{}
		var returned, extended, supervised, redone, praise, late, transferred int
		for _, it := range items {
			statuses[it.Status]++
			if it.Returns > 0 {
				returned++
			}
			if it.Extensions > 0 {
				extended++
			}
			if it.Supervisions > 0 {
				supervised++
			}
			if it.Redos > 0 {
				redone++
			}
			if it.Kind == archive.KindPraise {
				praise++
			}
			if it.AnsweredAt != nil && !it.OnTime {
				late++
			}
			if it.Status == archive.StatusMerged && it.MergedInto == "" {
				t.Errorf("merged item %s names no target", it.Number)
			}
		}
		for _, s := range []archive.Status{archive.StatusReceived, archive.StatusDispatched, archive.StatusSigned,
			archive.StatusInProgress, archive.StatusAnswered, archive.StatusClosed, archive.StatusInvalid, archive.StatusMerged} {
			if statuses[s] == 0 {
				t.Errorf("no item is %s", s)
			}
		}
		for name, n := range map[string]int{"returned": returned, "extended": extended, "supervised": supervised,
			"redone": redone, "praise": praise, "late": late} {
			if n == 0 {
				t.Errorf("no %s item", name)
			}
		}
		for _, it := range items {
			evs, err := db.ItemEvents(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) == 0 || evs[0].Type != archive.EventReceived {
				t.Fatalf("item %s has no received event", it.Number)
			}
			for i, e := range evs {
				if i > 0 && e.At.Before(evs[i-1].At) {
					t.Errorf("item %s: event %d (%s) at %s is before the previous one", it.Number, e.Seq, e.Type, e.At)
				}
				if e.Type == archive.EventTransferred {
					transferred++
				}
			}
			if it.Status == archive.StatusInvalid && evs[len(evs)-1].Body == "" {
				t.Errorf("invalid item %s gives no reason", it.Number)
			}
		}
		if transferred == 0 {
			t.Error("no item was transferred")
		}
		var corn bool
		for _, it := range all(t, db, archive.Filter{Channel: archive.ChannelVisit}) {
			r := it.ReceivedAt.In(calendar.Zone)
			if it.Location.Township == "蒙西镇" && strings.Contains(it.Text, "玉米") && r.Month() == 10 && r.Day() == 21 {
				corn = it.Status == archive.StatusClosed
			}
		}
		if !corn {
			t.Error("the seed's corn harvest visit in 蒙西镇 on 2021-10-21 is missing or not closed")
		}
	})

	t.Run("traditional Chinese", func(t *testing.T) {
		n := 0
		for _, it := range items {
			if isTraditional(it.Text) {
				n++
			}
		}
		share := float64(n) / float64(len(items))
		t.Logf("%d of %d items (%.0f%%) in traditional Chinese", n, len(items), share*100)
		if share < 0.2 || share > 0.45 {
			t.Errorf("%d of %d items (%.0f%%) in traditional Chinese, want roughly a third", n, len(items), share*100)
		}
	})

	t.Run("stats", func(t *testing.T) {
		st, err := db.Stats(ctx, reporting.Filter{From: "2021-01-01", To: "2021-10-31"})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("counts %+v", st.Tally)
		t.Logf("rates response %v, resolution %v, satisfaction %v, on time %v, return %v, redo %v; overdue now %d",
			deref(st.Rates.Response), deref(st.Rates.Resolution), deref(st.Rates.Satisfaction),
			deref(st.Rates.OnTime), deref(st.Rates.Return), deref(st.Rates.Redo), st.Overdue)
		if st.Tally.Received != int64(len(items)) {
			t.Errorf("Received = %d, want %d", st.Tally.Received, len(items))
		}
		if st.Tally.Valid != st.Tally.Received-2 {
			t.Errorf("Valid = %d of %d, want all but the invalid and the merged item", st.Tally.Valid, st.Tally.Received)
		}
		rates := []struct {
			name   string
			rate   *float64
			lo, hi float64
		}{
			{"response", st.Rates.Response, 0.95, 0.999},
			{"resolution", st.Rates.Resolution, 0.75, 0.97},
			{"satisfaction", st.Rates.Satisfaction, 0.95, 1},
			{"on time", st.Rates.OnTime, 0.85, 0.99},
			{"return", st.Rates.Return, 0.001, 0.05},
			{"redo", st.Rates.Redo, 0.001, 0.05},
		}
		for _, r := range rates {
			if r.rate == nil || *r.rate < r.lo || *r.rate > r.hi {
				t.Errorf("%s rate = %v, want in [%v, %v]", r.name, deref(r.rate), r.lo, r.hi)
			}
		}
		if st.Overdue < 4 {
			t.Errorf("Overdue = %d, want the 4 items left open", st.Overdue)
		}
		if len(st.ByUnit) < 10 {
			t.Errorf("%d units have items, want most of them", len(st.ByUnit))
		}
	})

	t.Run("search across scripts", func(t *testing.T) {
		tests := []struct {
			query, want string
		}{
			{"户籍", "戶籍"},
			{"戶籍", "户籍"},
			{"身份证", "身份證"},
			{"乌兰镇", "烏蘭鎮"},
		}
		for _, tt := range tests {
			found := false
			for _, it := range all(t, db, archive.Filter{Query: tt.query}) {
				if strings.Contains(it.Title+it.Text, tt.want) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("search %q finds no item written %q", tt.query, tt.want)
			}
		}
	})

	t.Run("hash chain", func(t *testing.T) {
		// The ledgers' events are in the same chain; their counts are
		// TestLedgers's.
		by, err := db.VerifyByRegister(ctx)
		if err != nil {
			t.Fatalf("Verify after %v: %v", by, err)
		}
		n := by[archive.Register]
		var events int64
		for _, it := range items {
			evs, err := db.ItemEvents(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			events += int64(len(evs))
		}
		if n != events {
			t.Errorf("Verify checked %d events, items hold %d", n, events)
		}
	})

	t.Run("second load refused", func(t *testing.T) {
		before, _ := db.Verify(ctx)
		users, _ := db.Users(ctx)
		if _, err := demo.Load(ctx, demo.Env{Store: db, Policy: archive.Policy{Calendar: calendar.Default()}}); err == nil {
			t.Fatal("a second Load succeeded")
		}
		after, err := db.Verify(ctx)
		if err != nil || after != before {
			t.Errorf("events %d → %d (%v)", before, after, err)
		}
		if n := len(all(t, db, archive.Filter{})); n != len(items) {
			t.Errorf("items %d → %d", len(items), n)
		}
		if u, _ := db.Users(ctx); len(u) != len(users) {
			t.Errorf("users %d → %d", len(users), len(u))
		}
	})
}

// TestDeterministic loads twice and compares what a reader sees: the same
// seed must give the same items and the same event hashes.
func TestDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo twice")
	}
	ctx := context.Background()
	fingerprint := func(db *store.DB) []string {
		var out []string
		for _, it := range all(t, db, archive.Filter{Sort: archive.SortOldest}) {
			evs, err := db.ItemEvents(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, it.Number+" "+string(it.Status)+" "+it.Title+" "+evs[len(evs)-1].Hash)
		}
		return out
	}
	db1, _ := load(t)
	db2, _ := load(t)
	a, b := fingerprint(db1), fingerprint(db2)
	if !slices.Equal(a, b) {
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("loads differ at item %d:\n%s\n%s", i, a[i], b[i])
			}
		}
		t.Fatalf("loads differ: %d and %d items", len(a), len(b))
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// TestDocumentedCodesExist keeps the examples of docs/API.md runnable on the
// demo: every category code they use is one the demo bureau has.
func TestDocumentedCodesExist(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "API.md"))
	if err != nil {
		t.Fatal(err)
	}
	db, _ := load(t)
	cats, err := db.Categories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, c := range cats {
		known[c.Code] = true
	}
	uses := regexp.MustCompile(`"(?:category|service_code)":\s*"([^"]+)"|service_code=([a-z0-9_-]+)`).FindAllStringSubmatch(string(doc), -1)
	if len(uses) == 0 {
		t.Fatal("docs/API.md has no category example")
	}
	for _, m := range uses {
		code := m[1] + m[2]
		if !known[code] {
			t.Errorf("docs/API.md uses category %q, which the demo does not have", code)
		}
	}
}
