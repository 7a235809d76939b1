package store_test

import (
	"context"
	"slices"
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/measure"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
	"minyi/store"
)

// meFixture seeds what maFixture does, one matter of unit a and one item
// of each station, and returns the measures service with the clock at
// maNow, the matter's id and the items' numbers (a's, b's).
func meFixture(t *testing.T, db *store.DB) (*measure.Service, int64, string, string) {
	t.Helper()
	bg := context.Background()
	matters := maFixture(t, db)
	m, err := matters.Create(bg, maOfficerA, maNew("护送学生返校"))
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, u := range []org.User{maOfficerA, maOfficerB} {
		it, _, err := matters.Items.Submit(bg, &u, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelPhone,
			Category: "hukou", Unit: u.UnitCode, Text: "办户口要跑好几趟"})
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, it.Number)
	}
	return &measure.Service{Store: db, Now: matters.Items.Clock}, m.ID, numbers[0], numbers[1]
}

func meNew(title string) measure.Measure {
	return measure.Measure{Title: title, Unit: "a", Branch: "branch-a", Changes: "户籍窗口午间和周末照常办理", ResearchedOn: "2021-06-01"}
}

func TestMeasureLifecycleStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, matterID, itemA, _ := meFixture(t, db)
		m := meNew("错时延时服务")
		m.Items, m.Matters = []string{itemA}, []int64{matterID}
		m, err := svc.Create(bg, maOfficerA, m)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || m.Version != 1 || m.Status != measure.StatusResearched {
			t.Fatalf("created %+v", m)
		}
		v := 1
		if m, err = svc.Act(bg, maOfficerA, m.ID, &v, measure.Command{Action: measure.ActImplement, Day: "2021-07-01"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Measure(bg, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != measure.StatusImplemented || got.ImplementedOn != "2021-07-01" || got.Version != 2 ||
			!slices.Equal(got.Items, []string{itemA}) || !slices.Equal(got.Matters, []int64{matterID}) || got.Branch != "branch-a" {
			t.Fatalf("stored %+v", got)
		}
		// Illegal once implemented; a stale version is a conflict.
		two := 2
		if _, err := svc.Act(bg, maOfficerA, m.ID, &two, measure.Command{Action: measure.ActWithdraw, Reason: "x"}); minyi.ErrorCode(err) != minyi.EIllegal {
			t.Errorf("withdraw implemented: %v", err)
		}
		if _, err := svc.Edit(bg, maOfficerA, m.ID, measure.Patch{Version: &v, Title: ptr("x")}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale edit: %v", err)
		}
		if e, err := svc.Edit(bg, maAuxA, m.ID, measure.Patch{Version: &two, Title: ptr("错时延时便民服务"), Items: &[]string{}}); err != nil ||
			e.Version != 3 || len(e.Items) != 0 || e.Title != "错时延时便民服务" {
			t.Errorf("edit: %+v %v", e, err)
		}
		w, err := svc.Create(bg, maOfficerA, meNew("上门办证"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(bg, maOfficerA, w.ID, &w.Version, measure.Command{Action: measure.ActWithdraw, Reason: "上级统一办理"}); err != nil {
			t.Fatal(err)
		}
		f, err := svc.Figures(bg, reporting.Filter{From: "2021-06-01", To: "2021-07-31"})
		if err != nil || f["researched"] != 2 || f["implemented"] != 1 || f["withdrawn"] != 0 {
			t.Errorf("figures %v %v", f, err)
		}
		if f, _ := svc.Figures(bg, reporting.Filter{From: "2021-09-13", To: "2021-09-13"}); f["withdrawn"] != 1 || f["implemented"] != 0 {
			t.Errorf("figures of the day of withdrawal %v", f)
		}
		if f, _ := svc.Figures(bg, reporting.Filter{Units: []string{"b"}}); f["researched"] != 0 {
			t.Errorf("figures of b %v", f)
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[measure.Register] != 5 {
			t.Errorf("log %v %v", n, err)
		}
	})
}

func TestMeasureRefusalsWriteNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, matterID, _, itemB := meFixture(t, db)
		bad := meNew("")
		bad.Branch, bad.Items, bad.Matters = "nope", []string{itemB}, []int64{matterID + 100}
		_, err := svc.Create(bg, maOfficerA, bad)
		var fields []string
		if e, ok := err.(*minyi.Error); ok {
			for _, f := range e.Fields {
				fields = append(fields, f.Field)
			}
		}
		if !slices.Equal(fields, []string{"branch", "items", "matters", "title"}) {
			t.Errorf("bad measure: %v", err)
		}
		b := meNew("乙所措施")
		b.Unit, b.Branch, b.Matters = "b", "branch-a", []int64{matterID}
		_, err = svc.Create(bg, maOfficerB, b)
		fields = nil
		if e, ok := err.(*minyi.Error); ok {
			for _, f := range e.Fields {
				fields = append(fields, f.Field)
			}
		}
		if !slices.Equal(fields, []string{"branch", "matters"}) {
			t.Errorf("another unit's branch and matter: %v", err)
		}
		if _, err := svc.Create(bg, maOfficerB, meNew("甲所的措施")); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("into another unit: %v", err)
		}
		if _, err := svc.Create(bg, org.User{Name: "p", Role: org.RolePartner, UnitCode: "a"}, meNew("x")); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("partner creates: %v", err)
		}
		if p, err := db.Measures(bg, measure.Filter{}); err != nil || *p.Total != 0 {
			t.Errorf("refusals wrote %v %v", p, err)
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[measure.Register] != 0 {
			t.Errorf("refusals logged %v %v", n, err)
		}
	})
}

func TestMeasureListFilters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _, _, _ := meFixture(t, db)
		var ids []int64
		for i, title := range []string{"户籍业务预约办理", "错时延时服务", "上门办理身份证", "网上办理居住证"} {
			m := meNew(title)
			if i%2 == 1 {
				m.Branch = ""
			}
			created, err := svc.Create(bg, maOfficerA, m)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, created.ID)
		}
		b := meNew("乙所便民")
		b.Unit, b.Branch = "b", ""
		if _, err := svc.Create(bg, maOfficerB, b); err != nil {
			t.Fatal(err)
		}
		for i, day := range map[int]string{0: "2021-07-01", 2: "2021-08-01"} {
			v := 1
			if _, err := svc.Act(bg, maOfficerA, ids[i], &v, measure.Command{Action: measure.ActImplement, Day: day}); err != nil {
				t.Fatal(err)
			}
		}
		list := func(u org.User, f measure.Filter) (int, []int64, string) {
			t.Helper()
			p, err := svc.List(bg, u, f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, m := range p.Items {
				got = append(got, m.ID)
			}
			return *p.Total, got, p.NextCursor
		}
		if n, got, _ := list(maOfficerA, measure.Filter{}); n != 4 || !slices.Equal(got, []int64{ids[3], ids[2], ids[1], ids[0]}) {
			t.Errorf("a sees %d %v", n, got)
		}
		if n, _, _ := list(maLeader, measure.Filter{}); n != 5 {
			t.Errorf("leader sees %d", n)
		}
		n, got, cur := list(maOfficerA, measure.Filter{Filter: register.Filter{Limit: 3}})
		n2, got2, cur2 := list(maOfficerA, measure.Filter{Filter: register.Filter{Limit: 3, Cursor: cur}})
		if n != 4 || n2 != 4 || !slices.Equal(got, []int64{ids[3], ids[2], ids[1]}) || !slices.Equal(got2, []int64{ids[0]}) || cur2 != "" {
			t.Errorf("pages %v %v (%q)", got, got2, cur2)
		}
		for name, tt := range map[string]struct {
			f    measure.Filter
			want []int64
		}{
			"traditional search": {measure.Filter{Filter: register.Filter{Query: "錯時延時"}}, []int64{ids[1]}},
			"implemented":        {measure.Filter{Status: measure.StatusImplemented}, []int64{ids[2], ids[0]}},
			"researched":         {measure.Filter{Status: measure.StatusResearched}, []int64{ids[3], ids[1]}},
			"branch":             {measure.Filter{Branch: "branch-a"}, []int64{ids[2], ids[0]}},
			"implemented in":     {measure.Filter{From: "2021-07-15", To: "2021-08-31"}, []int64{ids[2]}},
			"implemented before": {measure.Filter{To: "2021-07-01"}, []int64{ids[0]}},
			"other unit":         {measure.Filter{Unit: "b"}, nil},
		} {
			if n, got, _ := list(maOfficerA, tt.f); n != len(tt.want) || !slices.Equal(got, tt.want) {
				t.Errorf("%s: %d %v, want %v", name, n, got, tt.want)
			}
		}
		if _, err := svc.List(bg, maOfficerA, measure.Filter{Filter: register.Filter{Cursor: "!!"}}); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Errorf("bad cursor: %v", err)
		}
	})
}

// TestMeasureConcurrentActions: of two writers holding the same version,
// one wins and the other gets a conflict; the log holds one event more.
func TestMeasureConcurrentActions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _, _, _ := meFixture(t, db)
		m, err := svc.Create(bg, maOfficerA, meNew("错时延时服务"))
		if err != nil {
			t.Fatal(err)
		}
		titles := []string{"错时服务", "延时服务"}
		if wins := raceWrites(t, len(titles), func(i int) error {
			v := 1
			_, err := svc.Edit(bg, maOfficerA, m.ID, measure.Patch{Version: &v, Title: &titles[i]})
			return err
		}); wins != 1 {
			t.Errorf("%d of two concurrent edits won, want one", wins)
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[measure.Register] != 2 {
			t.Errorf("log %v %v", n, err)
		}
	})
}
