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
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/matter"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
	"minyi/store"
)

var (
	maNow      = time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone)
	maOfficerA = org.User{Name: "officer-a", DisplayName: "李警官", Role: org.RoleOfficer, UnitCode: "a"}
	maAuxA     = org.User{Name: "aux-a", DisplayName: "王辅警", Role: org.RoleAuxiliary, UnitCode: "a"}
	maOfficerB = org.User{Name: "officer-b", DisplayName: "张警官", Role: org.RoleOfficer, UnitCode: "b"}
	maLeader   = org.User{Name: "leader", DisplayName: "局长", Role: org.RoleLeader}
)

// maFixture seeds stations a and b with their staff and branch-a, and
// returns a matters service whose clock stands at maNow.
func maFixture(t *testing.T, db *store.DB) *matter.Service {
	t.Helper()
	testkit.Bureau{Units: testkit.Stations, Categories: []archive.Category{testkit.Hukou("a")},
		Users: []org.User{maOfficerA, maAuxA, maOfficerB, maLeader}}.Seed(t, db)
	if err := db.CreateBranch(context.Background(), &org.Branch{Code: "branch-a", Name: "甲所党支部", UnitCode: "a"}); err != nil {
		t.Fatal(err)
	}
	items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	items.Now = testkit.NewClock(maNow).Now
	return &matter.Service{Store: db, Items: items}
}

func maNew(title string) matter.Matter {
	return matter.Matter{Title: title, Description: "牧民反映牛羊被盗", Unit: "a", Branch: "branch-a", Lead: "officer-a",
		Participants: []string{"aux-a"}, Class: archive.ClassUrgent, OpenedOn: "2021-09-01",
		Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryHousehold, Name: "巴特尔", Phone: "13912345678", Place: "东村"}}
}

func TestMatterLifecycleStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		m, err := svc.Create(bg, maOfficerA, maNew("追回被盗牲畜"))
		if err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || m.Version != 1 || m.Status != matter.StatusPlanned || m.Beneficiary.Phone != "139****5678" || m.DueAt.IsZero() {
			t.Fatalf("created %+v", m)
		}
		v := 1
		for _, cmd := range []matter.Command{{Action: matter.ActStart}, {Action: matter.ActProgress, Text: "走访牧户", Day: "2021-09-12"},
			{Action: matter.ActComplete, Story: "五头牛、五十三只羊物归原主", Outcomes: map[string]int64{"cattle": 5, "sheep": 53}}} {
			if m, err = svc.Act(bg, maOfficerA, m.ID, &v, cmd); err != nil {
				t.Fatalf("%s: %v", cmd.Action, err)
			}
			v = m.Version
		}
		got, err := db.Matter(bg, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != matter.StatusDone || got.Version != 4 || got.DoneOn != "2021-09-13" || got.Outcomes["sheep"] != 53 ||
			len(got.Progress) != 1 || got.Progress[0].Day != "2021-09-12" || got.Progress[0].Text != "走访牧户" ||
			!slices.Equal(got.Participants, []string{"aux-a"}) || got.Beneficiary.Phone != "13912345678" || got.Lead != "officer-a" {
			t.Fatalf("stored %+v", got)
		}
		// A stale version writes nothing.
		stale := 2
		if _, err := svc.Edit(bg, maOfficerA, m.ID, matter.Patch{Version: &stale, Title: ptr("x")}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale edit: %v", err)
		}
		pub := true
		if m, err = svc.Edit(bg, maOfficerA, m.ID, matter.Patch{Version: &v, Published: &pub}); err != nil || !m.Published || m.Version != 5 {
			t.Fatalf("publish: %v %+v", err, m)
		}
		// Created, started, progressed, completed, edited: all verify.
		if n, err := db.VerifyByRegister(bg); err != nil || n[matter.Register] != 5 {
			t.Fatalf("verify: %v %v", n, err)
		}
		f, err := svc.Figures(bg, reporting.Filter{From: "2021-09-01", To: "2021-09-30"})
		if err != nil || f["done"] != 1 || f["led"] != 1 || f["on_time"] != 0 || f["done_urgent"] != 1 || f["outcome_cattle"] != 5 || f["outcome_sheep"] != 53 {
			t.Fatalf("figures %v %v", f, err)
		}
		if f, _ := svc.Figures(bg, reporting.Filter{From: "2021-09-01", To: "2021-09-30", Units: []string{"b"}}); f["done"] != 0 {
			t.Errorf("b's figures %v", f)
		}
		// The first was due on 2 September, a working day after it was
		// taken on, and done on the 13th: late. One given thirty working
		// days and done the same day is on time.
		roomy := maNew("宽限的事")
		roomy.DueDays, roomy.Lead = 30, ""
		if roomy, err = svc.Create(bg, maOfficerA, roomy); err != nil {
			t.Fatal(err)
		}
		for v, cmd := range []matter.Command{{Action: matter.ActStart}, {Action: matter.ActComplete, Story: "按期办完"}} {
			version := v + 1
			if _, err := svc.Act(bg, maOfficerA, roomy.ID, &version, cmd); err != nil {
				t.Fatal(err)
			}
		}
		f, err = svc.Figures(bg, reporting.Filter{From: "2021-09-01", To: "2021-09-30"})
		if err != nil || f["done"] != 2 || f["led"] != 1 || f["on_time"] != 1 || f["outcome_sheep"] != 53 {
			t.Errorf("figures with one on time: %v %v", f, err)
		}
	})
}

func TestMatterRefusalsWriteNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		bad := maNew("")
		bad.Branch, bad.Lead, bad.Participants, bad.Items = "nope", "ghost", []string{"aux-a", "nobody"}, []string{"2021-000001"}
		_, err := svc.Create(bg, maOfficerA, bad)
		var fields []string
		if e, ok := err.(*minyi.Error); ok {
			for _, f := range e.Fields {
				fields = append(fields, f.Field)
			}
		}
		if !slices.Equal(fields, []string{"branch", "items", "lead", "participants", "title"}) {
			t.Errorf("bad matter: %v", err)
		}
		other := maNew("乙所的事")
		other.Branch = ""
		if _, err := svc.Create(bg, maOfficerB, maNew("甲所的事")); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("into another unit: %v", err)
		}
		if _, err := svc.Create(bg, org.User{Name: "p", Role: org.RolePartner, UnitCode: "a"}, other); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("partner creates: %v", err)
		}
		if p, err := db.Matters(bg, matter.Filter{}); err != nil || *p.Total != 0 {
			t.Errorf("refusals wrote %v %v", p, err)
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[matter.Register] != 0 {
			t.Errorf("refusals logged %v %v", n, err)
		}
	})
}

func TestMatterListFilters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		var ids []int64
		asked, _, err := svc.Items.Submit(bg, &maOfficerA, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelPhone,
			Category: "hukou", Unit: "a", Text: "家里玉米收不过来"})
		if err != nil {
			t.Fatal(err)
		}
		for i, title := range []string{"帮助牧民秋收玉米", "寻亲团聚", "助学金申领", "调解草场纠纷", "护送学生返校"} {
			m := maNew(title)
			if i == 0 || i == 4 {
				m.Items = []string{asked.Number}
			}
			if i%2 == 1 {
				m.Lead, m.Class = "", archive.ClassHopeful
			}
			created, err := svc.Create(bg, maOfficerA, m)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, created.ID)
		}
		b := maNew("乙所帮扶")
		b.Unit, b.Branch, b.Lead, b.Participants = "b", "", "officer-b", nil
		if _, err := svc.Create(bg, maOfficerB, b); err != nil {
			t.Fatal(err)
		}
		one := 1
		for _, a := range []matter.Action{matter.ActStart, matter.ActComplete} {
			v := one
			if _, err := svc.Act(bg, maOfficerA, ids[0], &v, matter.Command{Action: a, Story: "玉米收完", Day: "2021-09-10"}); err != nil {
				t.Fatal(err)
			}
			one++
		}
		list := func(u org.User, f matter.Filter) (int, []int64, string) {
			t.Helper()
			p, err := svc.List(bg, u, f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, m := range p.Items {
				got = append(got, m.ID)
				if m.Beneficiary.Phone != "139****5678" {
					t.Errorf("unmasked in list: %+v", m.Beneficiary)
				}
			}
			return *p.Total, got, p.NextCursor
		}
		if n, got, _ := list(maOfficerA, matter.Filter{}); n != 5 || !slices.Equal(got, []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}) {
			t.Errorf("a sees %d %v", n, got)
		}
		if n, _, _ := list(maLeader, matter.Filter{}); n != 6 {
			t.Errorf("leader sees %d", n)
		}
		n, got, cur := list(maOfficerA, matter.Filter{Filter: register.Filter{Limit: 2}})
		n2, got2, cur2 := list(maOfficerA, matter.Filter{Filter: register.Filter{Limit: 2, Cursor: cur}})
		if n != 5 || n2 != 5 || !slices.Equal(got, []int64{ids[4], ids[3]}) || !slices.Equal(got2, []int64{ids[2], ids[1]}) || cur2 == "" {
			t.Errorf("pages %v %v (%q)", got, got2, cur2)
		}
		for name, tt := range map[string]struct {
			f    matter.Filter
			want []int64
		}{
			"traditional search":       {matter.Filter{Filter: register.Filter{Query: "幫助牧民"}}, []int64{ids[0]}},
			"done":                     {matter.Filter{Status: matter.StatusDone}, []int64{ids[0]}},
			"class":                    {matter.Filter{Class: archive.ClassHopeful}, []int64{ids[3], ids[1]}},
			"lead":                     {matter.Filter{Lead: "officer-a", Branch: "branch-a"}, []int64{ids[4], ids[2], ids[0]}},
			"led":                      {matter.Filter{Led: true}, []int64{ids[4], ids[2], ids[0]}},
			"led and done":             {matter.Filter{Led: true, Status: matter.StatusDone, From: "2021-09-10", To: "2021-09-10"}, []int64{ids[0]}},
			"led, done the day before": {matter.Filter{Led: true, Status: matter.StatusDone, From: "2021-09-11"}, nil},
			"done in period":           {matter.Filter{From: "2021-09-01", To: "2021-09-10"}, []int64{ids[0]}},
			"done before":              {matter.Filter{To: "2021-09-09"}, nil},
			"other unit":               {matter.Filter{Unit: "b"}, nil},
			"answering an item":        {matter.Filter{Item: asked.Number}, []int64{ids[4], ids[0]}},
			"answering no item":        {matter.Filter{Item: "2021-999999"}, nil},
		} {
			if n, got, _ := list(maOfficerA, tt.f); n != len(tt.want) || !slices.Equal(got, tt.want) {
				t.Errorf("%s: %d %v, want %v", name, n, got, tt.want)
			}
		}
		// NoTotal: the same page, uncounted; a search still counts (its
		// count narrows the page).
		for _, f := range []matter.Filter{{Filter: register.Filter{Limit: 2}}, {Status: matter.StatusDone, From: "2021-09-01"}} {
			counted, err := svc.List(bg, maOfficerA, f)
			if err != nil {
				t.Fatal(err)
			}
			f.NoTotal = true
			bare, err := svc.List(bg, maOfficerA, f)
			if err != nil || bare.Total != nil || !reflect.DeepEqual(bare.Items, counted.Items) || bare.NextCursor != counted.NextCursor {
				t.Errorf("NoTotal %+v: total %v, %d items (%v), counted %d", f, bare.Total, len(bare.Items), err, len(counted.Items))
			}
		}
		if p, err := svc.List(bg, maOfficerA, matter.Filter{Filter: register.Filter{Query: "幫助牧民"}, NoTotal: true}); err != nil || p.Total == nil || *p.Total != 1 {
			t.Errorf("a search with NoTotal: %v %v", p.Total, err)
		}
		if _, err := svc.List(bg, maOfficerA, matter.Filter{Filter: register.Filter{Cursor: "!!"}}); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Errorf("bad cursor: %v", err)
		}
	})
}

// TestMatterConcurrentActions: of two writers holding the same version,
// one wins and the other gets a conflict; the log holds one event more.
func TestMatterConcurrentActions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		m, err := svc.Create(bg, maOfficerA, maNew("并发"))
		if err != nil {
			t.Fatal(err)
		}
		ok := raceWrites(t, 4, func(int) error {
			v := 1
			_, err := svc.Act(bg, maOfficerA, m.ID, &v, matter.Command{Action: matter.ActProgress, Text: "进展"})
			return err
		})
		got, _ := db.Matter(bg, m.ID)
		if ok != 1 || got.Version != 2 || len(got.Progress) != 1 {
			t.Errorf("%d succeeded; stored version %d with %d entries", ok, got.Version, len(got.Progress))
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[matter.Register] != 2 {
			t.Errorf("verify %v %v", n, err)
		}
	})
}

// TestMatterEditChecksWhatChanged: an edit checks the references it adds,
// not those already there — an item linked by a leader stays linked when a
// unit's officer edits the title, but the officer cannot link another
// unit's item.
func TestMatterEditChecksWhatChanged(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		file := func(unit, text string) string {
			t.Helper()
			it, _, err := svc.Items.Submit(bg, &maLeader, archive.Submission{Kind: archive.KindSuggestion, Channel: archive.ChannelPhone, Category: "hukou", Unit: unit, Text: text})
			if err != nil {
				t.Fatal(err)
			}
			return it.Number
		}
		inB, alsoB := file("b", "乙所的意见"), file("b", "乙所的另一条")
		m := maNew("跨所的事")
		m.Items = []string{inB}
		m, err := svc.Create(bg, maLeader, m)
		if err != nil {
			t.Fatal(err)
		}
		v := 1
		if m, err = svc.Edit(bg, maAuxA, m.ID, matter.Patch{Version: &v, Title: ptr("跨所的事（改）")}); err != nil || m.Version != 2 {
			t.Fatalf("edit the title: %v", err)
		}
		v = 2
		_, err = svc.Edit(bg, maOfficerA, m.ID, matter.Patch{Version: &v, Items: &[]string{inB, alsoB}})
		if e, ok := err.(*minyi.Error); !ok || len(e.Fields) != 1 || e.Fields[0].Field != "items" {
			t.Errorf("linking b's item: %v", err)
		}
		if _, err := svc.Edit(bg, maOfficerB, m.ID, matter.Patch{Version: &v, Title: ptr("乙改")}); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("b edits a's matter: %v", err)
		}
		if got, _ := db.Matter(bg, m.ID); got.Version != 2 || got.Title != "跨所的事（改）" || !slices.Equal(got.Items, []string{inB}) {
			t.Errorf("stored %+v", got)
		}
	})
}

// TestMatterEditKeepsThePast: a done matter's figures stay as reported,
// the due time moves only with what it is reckoned from, and a masked
// beneficiary sent back overwrites nothing.
func TestMatterEditKeepsThePast(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		done, err := svc.Create(bg, maOfficerA, maNew("办结的事"))
		if err != nil {
			t.Fatal(err)
		}
		for v, cmd := range []matter.Command{{Action: matter.ActStart}, {Action: matter.ActComplete, Story: "办完"}} {
			version := v + 1
			if done, err = svc.Act(bg, maOfficerA, done.ID, &version, cmd); err != nil {
				t.Fatal(err)
			}
		}
		v := done.Version
		class := archive.ClassHard
		for name, p := range map[string]matter.Patch{"due_days": {Version: &v, DueDays: ptr(30)}, "class": {Version: &v, Class: &class},
			"title": {Version: &v, Title: ptr("改")}} {
			if _, err := svc.Edit(bg, maOfficerA, done.ID, p); minyi.ErrorCode(err) != minyi.EIllegal || !strings.Contains(minyi.ErrorMessage(err), name) {
				t.Errorf("edit %s of a done matter: %v", name, err)
			}
		}
		if done, err = svc.Edit(bg, maOfficerA, done.ID, matter.Patch{Version: &v, Published: ptr(true), BeneficiaryConsent: ptr(true), Title: ptr(" 办结的事 ")}); err != nil || !done.Published || !done.BeneficiaryConsent {
			t.Fatalf("publish a done matter: %v", err)
		}
		if got, _ := db.Matter(bg, done.ID); got.DueDays != 1 || got.Class != archive.ClassUrgent || got.Title != "办结的事" {
			t.Errorf("stored %+v", got)
		}

		m, err := svc.Create(bg, maOfficerA, maNew("未办的事"))
		if err != nil {
			t.Fatal(err)
		}
		due := m.DueAt
		// Another calendar (none: calendar days) must not move the due
		// time of an edit that changes neither due_days nor class.
		svc.Items.SetPolicy(archive.Policy{})
		v = 1
		if m, err = svc.Edit(bg, maOfficerA, m.ID, matter.Patch{Version: &v, Title: ptr("未办的事（改）")}); err != nil || !m.DueAt.Equal(due) {
			t.Fatalf("title edit moved the due time from %v to %v (%v)", due, m.DueAt, err)
		}
		v = 2
		if m, err = svc.Edit(bg, maOfficerA, m.ID, matter.Patch{Version: &v, DueDays: ptr(3)}); err != nil || !m.DueAt.Equal(time.Date(2021, 9, 4, 0, 0, 0, 0, calendar.Zone)) {
			t.Fatalf("due_days edit: due %v (%v)", m.DueAt, err)
		}
		v = 3
		_, err = svc.Edit(bg, maOfficerA, m.ID, matter.Patch{Version: &v, Beneficiary: &matter.BeneficiaryPatch{Name: ptr(m.Beneficiary.Name), Phone: ptr(m.Beneficiary.Phone)}})
		if e, ok := err.(*minyi.Error); !ok || e.Code != minyi.EInvalid || len(e.Fields) != 2 || e.Fields[0].Field != "beneficiary.name" {
			t.Errorf("masked beneficiary sent back: %v", err)
		}
		if _, err = svc.Edit(bg, maOfficerA, m.ID, matter.Patch{Version: &v, Beneficiary: &matter.BeneficiaryPatch{Place: ptr("西村")}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Matter(bg, m.ID); got.Beneficiary != (matter.Beneficiary{Kind: matter.BeneficiaryHousehold, Name: "巴特尔", Phone: "13912345678", Place: "西村"}) || got.Version != 4 {
			t.Errorf("stored beneficiary %+v", got.Beneficiary)
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[matter.Register] != 8 {
			t.Errorf("verify: %v %v", n, err)
		}
	})
}
