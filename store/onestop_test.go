package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/loadgen"
	"minyi/onestop"
	"minyi/org"
	"minyi/outbox"
	"minyi/register"
	"minyi/reporting"
	"minyi/store"
)

var (
	osNow     = time.Date(2021, 3, 8, 9, 0, 0, 0, calendar.Zone)
	osAdmin   = org.User{Name: "admin", Role: org.RoleAdmin}
	osLeader  = org.User{Name: "leader", Role: org.RoleLeader}
	osClerk   = org.User{Name: "zwzx-clerk", Role: org.RolePartner, UnitCode: "zwzx"}
	osCentre  = org.User{Name: "spzx-officer", Role: org.RoleOfficer, UnitCode: "spzx"}
	osOfficer = org.User{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}
	osProxy   = org.User{Name: "proxy-a", Role: org.RoleAuxiliary, UnitCode: "a"}
	osOther   = org.User{Name: "other-partner", Role: org.RolePartner, UnitCode: "other"}
)

// osFixture seeds the government service centre (a partner), the approval
// centre, station a and another partner with their staff, and returns a
// one-stop service whose clock stands at osNow and which sends SMS.
func osFixture(t *testing.T, db *store.DB) (*onestop.Service, *testkit.Clock) {
	t.Helper()
	testkit.Bureau{Units: []org.Unit{{Code: "zwzx", Name: "政务服务中心", Kind: org.UnitPartner},
		{Code: "spzx", Name: "行政审批服务中心", Kind: org.UnitCentre}, {Code: "a", Name: "甲派出所", Kind: org.UnitStation},
		{Code: "other", Name: "其他协作单位", Kind: org.UnitPartner}},
		Users: []org.User{osAdmin, osLeader, osClerk, osCentre, osOfficer, osProxy, osOther}}.Seed(t, db)
	clock := testkit.NewClock(osNow)
	items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	items.Now, items.Notices = clock.Now, &archive.NoticeSettings{Bureau: "鄂托克旗公安局"}
	return &onestop.Service{Store: db, Items: items}, clock
}

var osMaterials = []string{"出生医学证明", "父母户口簿", "父母身份证", "结婚证"}

func osNewborn() onestop.Definition {
	return onestop.Definition{Code: "newborn", Name: "新生儿落户", Active: true, Steps: []onestop.Step{
		{Name: "收件", Unit: "zwzx", Materials: osMaterials, LimitDays: 1},
		{Name: "审批登记", Unit: "spzx", LimitDays: 3}}}
}

func osDefine(t *testing.T, svc *onestop.Service) onestop.Definition {
	t.Helper()
	d, err := svc.CreateDefinition(context.Background(), osAdmin, osNewborn())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func osOpen(t *testing.T, svc *onestop.Service, d onestop.Definition, proxy string) onestop.Case {
	t.Helper()
	c, err := svc.Open(context.Background(), osClerk, onestop.Opening{Service: d.ID,
		Applicant: onestop.Applicant{Name: "乌云", Phone: "13912345678", IDNumber: "11010519491231002X"},
		Proxy:     proxy, Received: osMaterials[:2]})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func osCount(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := testdb.Raw(t, db).QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOneStopServicesStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _ := osFixture(t, db)
		d := osDefine(t, svc)
		if d.ID == 0 || d.Version != 1 || len(d.Steps) != 2 || !slices.Equal(d.Steps[0].Materials, osMaterials) {
			t.Fatalf("defined %+v", d)
		}
		refusals := []struct {
			name   string
			u      org.User
			d      func(*onestop.Definition)
			code   string
			fields []string
		}{
			{"partner", osClerk, func(*onestop.Definition) {}, minyi.EForbidden, nil},
			{"leader", osLeader, func(*onestop.Definition) {}, minyi.EForbidden, nil},
			{"taken code", osAdmin, func(*onestop.Definition) {}, minyi.EConflict, []string{"code"}},
			{"bad code, no name", osAdmin, func(d *onestop.Definition) { d.Code, d.Name = "新生儿", "" }, minyi.EInvalid, []string{"code", "name"}},
			{"no steps", osAdmin, func(d *onestop.Definition) { d.Code, d.Steps = "x", nil }, minyi.EInvalid, []string{"steps"}},
			{"bad step", osAdmin, func(d *onestop.Definition) {
				d.Code = "y"
				d.Steps[1].Unit, d.Steps[1].LimitDays, d.Steps[0].Name = "nowhere", 0, " "
			}, minyi.EInvalid, []string{"steps[0].name", "steps[1].limit_days", "steps[1].unit"}},
		}
		for _, r := range refusals {
			t.Run(r.name, func(t *testing.T) {
				d := osNewborn()
				d.Steps = slices.Clone(d.Steps)
				r.d(&d)
				_, err := svc.CreateDefinition(bg, r.u, d)
				if minyi.ErrorCode(err) != r.code || (r.fields != nil && !slices.Equal(testkit.Fields(err), r.fields)) {
					t.Fatalf("got %v %v, want %s %v", err, testkit.Fields(err), r.code, r.fields)
				}
			})
		}
		if n := osCount(t, db, "services"); n != 1 {
			t.Fatalf("%d services after refusals", n)
		}

		// An open case keeps the steps its service had.
		c := osOpen(t, svc, d, "")
		v, steps := d.Version, []onestop.Step{{Name: "一窗受理", Unit: "zwzx", LimitDays: 2}}
		d2, err := svc.EditDefinition(bg, osAdmin, d.ID, onestop.DefinitionPatch{Version: &v, Steps: &steps})
		if err != nil || d2.Version != 2 || len(d2.Steps) != 1 {
			t.Fatalf("edited %+v, %v", d2, err)
		}
		if _, err := svc.EditDefinition(bg, osAdmin, d.ID, onestop.DefinitionPatch{Version: &v, Steps: &steps}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Fatalf("stale edit: %v", err)
		}
		got, err := svc.Get(bg, osClerk, c.ID)
		if err != nil || len(got.Steps) != 2 || got.Steps[1].Unit != "spzx" {
			t.Fatalf("case after the service changed: %+v, %v", got.Steps, err)
		}
		page, err := svc.Definitions(bg, osClerk, onestop.DefinitionFilter{Unit: "zwzx"})
		if err != nil || *page.Total != 1 || page.Items[0].Code != "newborn" {
			t.Fatalf("services of zwzx: %+v, %v", page, err)
		}
	})
}

func TestOneStopCaseThroughBothAgencies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, clock := osFixture(t, db)
		d := osDefine(t, svc)
		c := osOpen(t, svc, d, "proxy-a")
		if c.ID == 0 || c.Version != 1 || c.Status != onestop.StatusOpen || c.Unit != "zwzx" || c.Masked ||
			c.Applicant.Phone != "13912345678" || c.Steps[0].DueAt.IsZero() || !slices.Equal(c.Steps[0].Received, osMaterials[:2]) {
			t.Fatalf("opened %+v", c)
		}
		// Who sees it, and how.
		for _, r := range []struct {
			u      org.User
			code   string
			masked bool
		}{{osLeader, "", true}, {osCentre, "", true}, {osProxy, "", false}, {osOfficer, minyi.EForbidden, false}, {osOther, minyi.EForbidden, false}} {
			got, err := svc.Get(bg, r.u, c.ID)
			if minyi.ErrorCode(err) != r.code || (err == nil && (got.Masked != r.masked || (r.masked && got.Applicant.Phone != "139****5678"))) {
				t.Errorf("%s reads: %+v, %v", r.u.Name, got.Applicant, err)
			}
		}
		v := c.Version
		// The approval centre may not do the service centre's step; the
		// service centre must have the whole checklist.
		if _, err := svc.Act(bg, osCentre, c.ID, &v, onestop.Command{Action: onestop.ActAdvance}); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Fatalf("approval centre advances step 1: %v", err)
		}
		_, err := svc.Act(bg, osClerk, c.ID, &v, onestop.Command{Action: onestop.ActAdvance, Received: []string{"结婚证", "房产证"}})
		if minyi.ErrorCode(err) != minyi.EInvalid || !slices.Equal(testkit.Fields(err), []string{"received", "received"}) {
			t.Fatalf("advance without every material: %v %v", err, testkit.Fields(err))
		}
		if _, err := svc.Act(bg, osClerk, c.ID, &v, onestop.Command{Action: onestop.ActComplete, Received: osMaterials}); minyi.ErrorCode(err) != minyi.EIllegal {
			t.Fatalf("complete at step 1: %v", err)
		}
		clock.Advance(2 * time.Hour)
		c, err = svc.Act(bg, osClerk, c.ID, &v, onestop.Command{Action: onestop.ActAdvance, Received: osMaterials[2:]})
		if err != nil || c.Step != 1 || c.Steps[0].FinishedBy != "zwzx-clerk" || c.Steps[1].DueAt.IsZero() || c.Version != 2 || c.Late {
			t.Fatalf("advanced %+v, %v", c, err)
		}
		v = c.Version
		if _, err := svc.Act(bg, osClerk, c.ID, &v, onestop.Command{Action: onestop.ActAdvance}); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Fatalf("service centre acts on the approval centre's step: %v", err)
		}
		// Returned, then advanced again and completed.
		if _, err := svc.Act(bg, osCentre, c.ID, &v, onestop.Command{Action: onestop.ActReturn, Step: osInt(2)}); minyi.ErrorCode(err) != minyi.EInvalid ||
			!slices.Equal(testkit.Fields(err), []string{"reason", "step"}) {
			t.Fatalf("bad return: %v %v", err, testkit.Fields(err))
		}
		c, err = svc.Act(bg, osCentre, c.ID, &v, onestop.Command{Action: onestop.ActReturn, Step: osInt(1), Reason: "结婚证复印件不清晰"})
		if err != nil || c.Step != 0 || !c.Steps[0].FinishedAt.IsZero() {
			t.Fatalf("returned %+v, %v", c, err)
		}
		v = c.Version
		if c, err = svc.Act(bg, osClerk, c.ID, &v, onestop.Command{Action: onestop.ActAdvance}); err != nil {
			t.Fatal(err)
		}
		v = c.Version
		clock.Advance(24 * time.Hour)
		if c, err = svc.Act(bg, osCentre, c.ID, &v, onestop.Command{Action: onestop.ActComplete}); err != nil {
			t.Fatal(err)
		}
		if c.Status != onestop.StatusDone || c.DoneOn != "2021-03-09" || c.Version != 5 {
			t.Fatalf("completed %+v", c)
		}
		if _, err := svc.Act(bg, osCentre, c.ID, &c.Version, onestop.Command{Action: onestop.ActCancel, Reason: "x"}); minyi.ErrorCode(err) != minyi.EIllegal {
			t.Fatalf("cancel a done case: %v", err)
		}
		// Done, the applicant stays readable to the approval centre, which
		// completed it and answers them, and to the proxy officer; masked to
		// the service centre and leaders.
		for _, r := range []struct {
			u      org.User
			masked bool
		}{{osCentre, false}, {osProxy, false}, {osClerk, true}, {osLeader, true}} {
			got, err := svc.Get(bg, r.u, c.ID)
			if err != nil || got.Masked != r.masked || (r.masked == (got.Applicant.Phone == "13912345678")) {
				t.Errorf("%s reads the done case: %+v, %v", r.u.Name, got.Applicant, err)
			}
		}
		// The applicant is sent one SMS, hanging off the completed event.
		notices, err := db.Notices(bg, outbox.NoticeFilter{})
		if err != nil || len(notices) != 1 || notices[0].Phone != "13912345678" || notices[0].Kind != onestop.NoticeCaseDone ||
			notices[0].ItemNumber == "" {
			t.Fatalf("notices %+v, %v", notices, err)
		}
		view, err := svc.Timeline(bg, osLeader, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, e := range view.Events {
			types = append(types, e.Type)
		}
		if !slices.Equal(types, []string{"opened", "advanced", "returned", "advanced", "completed"}) ||
			view.Events[1].FromUnit != "zwzx" || view.Events[1].ToUnit != "spzx" || view.Events[2].Body != "结婚证复印件不清晰" {
			t.Fatalf("timeline %+v", view.Events)
		}
		f, err := svc.Figures(bg, reporting.Filter{From: "2021-01-01", To: "2021-10-31"})
		if err != nil || f["opened"] != 1 || f["done"] != 1 || f["proxy"] != 1 || f["done_newborn"] != 1 || f["proxy_newborn"] != 1 ||
			f["cancelled"] != 0 || f["green_channel"] != 0 {
			t.Fatalf("figures %v, %v", f, err)
		}
		if f, _ := svc.Figures(bg, reporting.Filter{From: "2021-01-01", To: "2021-10-31", Units: []string{"a"}}); f["opened"] != 0 {
			t.Fatalf("figures of unit a %v", f)
		}
		// Opened on 8 March by the service centre, completed on 9 March by
		// the approval centre: each figure counts on its own day for the
		// unit that did it.
		for _, tc := range []struct {
			name                string
			f                   reporting.Filter
			opened, done, proxy int64
		}{
			{"the day opened", reporting.Filter{From: "2021-03-08", To: "2021-03-08"}, 1, 0, 0},
			{"the day done", reporting.Filter{From: "2021-03-09", To: "2021-03-09"}, 0, 1, 1},
			{"the service centre", reporting.Filter{From: "2021-01-01", To: "2021-10-31", Units: []string{"zwzx"}}, 1, 0, 0},
			{"the approval centre", reporting.Filter{From: "2021-01-01", To: "2021-10-31", Units: []string{"spzx"}}, 0, 1, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f, err := svc.Figures(bg, tc.f)
				if err != nil || f["opened"] != tc.opened || f["done"] != tc.done || f["proxy"] != tc.proxy ||
					f["done_newborn"] != tc.done || f["opened_newborn"] != tc.opened {
					t.Fatalf("figures %v, %v", f, err)
				}
			})
		}
	})
}

func TestOneStopCaseRefusalsWriteNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _ := osFixture(t, db)
		d := osDefine(t, svc)
		good := onestop.Opening{Service: d.ID, Applicant: onestop.Applicant{Name: "乌云", Phone: "13912345678"}}
		for _, r := range []struct {
			name   string
			u      org.User
			o      func(*onestop.Opening)
			code   string
			fields []string
		}{
			{"no service", osClerk, func(o *onestop.Opening) { o.Service = 0 }, minyi.EInvalid, []string{"service"}},
			{"unknown service", osClerk, func(o *onestop.Opening) { o.Service = 999 }, minyi.EInvalid, []string{"service"}},
			{"another unit's first step", osCentre, func(*onestop.Opening) {}, minyi.EForbidden, nil},
			{"station officer", osOfficer, func(*onestop.Opening) {}, minyi.EForbidden, nil},
			{"bad applicant", osClerk, func(o *onestop.Opening) {
				o.Applicant = onestop.Applicant{Phone: "12", IDNumber: "110105194912310021"}
			}, minyi.EInvalid, []string{"applicant.id_number", "applicant.name", "applicant.phone"}},
			{"bad green, proxy and material", osClerk, func(o *onestop.Opening) {
				o.Green, o.Proxy, o.Received = "vip", "nobody", []string{"房产证"}
			}, minyi.EInvalid, []string{"green", "proxy", "received"}},
			{"partner as proxy", osClerk, func(o *onestop.Opening) { o.Proxy = "zwzx-clerk" }, minyi.EInvalid, []string{"proxy"}},
		} {
			t.Run(r.name, func(t *testing.T) {
				o := good
				r.o(&o)
				_, err := svc.Open(bg, r.u, o)
				if minyi.ErrorCode(err) != r.code || (r.fields != nil && !slices.Equal(testkit.Fields(err), r.fields)) {
					t.Fatalf("got %v %v, want %s %v", err, testkit.Fields(err), r.code, r.fields)
				}
			})
		}
		for _, table := range []string{"cases", "case_steps", "case_terms", "case_tallies"} {
			if n := osCount(t, db, table); n != 0 {
				t.Errorf("%d rows in %s after refusals", n, table)
			}
		}
		c := osOpen(t, svc, d, "")
		v := c.Version
		green, bad := onestop.GreenHomeVisit, onestop.Applicant{Name: "乌云", Phone: "x"}
		if _, err := svc.Edit(bg, osClerk, c.ID, onestop.Patch{Version: &v, Applicant: &bad, Green: &green}); !slices.Equal(testkit.Fields(err), []string{"applicant.phone"}) {
			t.Fatalf("bad edit: %v", err)
		}
		if _, err := svc.Edit(bg, osClerk, c.ID, onestop.Patch{Green: &green}); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Fatalf("edit without version: %v", err)
		}
		if _, err := svc.Edit(bg, osCentre, c.ID, onestop.Patch{Version: &v, Green: &green}); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Fatalf("approval centre edits step 1: %v", err)
		}
		c, err := svc.Edit(bg, osClerk, c.ID, onestop.Patch{Version: &v, Green: &green, Received: &osMaterials})
		if err != nil || c.Green != green || c.Version != 2 || len(c.Steps[0].Received) != 4 {
			t.Fatalf("edited %+v, %v", c, err)
		}
		if _, err := svc.Edit(bg, osClerk, c.ID, onestop.Patch{Version: &v, Green: &green}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Fatalf("stale edit: %v", err)
		}
		if f, _ := svc.Figures(bg, reporting.Filter{From: "2021-03-01", To: "2021-03-31"}); f["green_channel"] != 1 || f["opened"] != 1 {
			t.Fatalf("figures %v", f)
		}
		page, err := svc.List(bg, osClerk, onestop.Filter{Green: osBool(true)})
		if err != nil || *page.Total != 1 {
			t.Fatalf("green list %+v %v", page, err)
		}
		for _, r := range []struct {
			u    org.User
			f    onestop.Filter
			want int
		}{{osOther, onestop.Filter{}, 0}, {osOfficer, onestop.Filter{}, 0}, {osCentre, onestop.Filter{}, 1}, {osLeader, onestop.Filter{Unit: "zwzx"}, 1},
			{osLeader, onestop.Filter{Unit: "spzx"}, 0}, {osLeader, onestop.Filter{Proxy: osBool(true)}, 0}, {osLeader, onestop.Filter{Filter: registerFilter("乌云", 0, "")}, 1},
			{osLeader, onestop.Filter{Status: onestop.StatusDone}, 0}, {osLeader, onestop.Filter{From: "2021-03-09"}, 0}} {
			page, err := svc.List(bg, r.u, r.f)
			if err != nil || *page.Total != r.want || len(page.Items) != r.want {
				t.Errorf("%s lists %+v: %d, %v", r.u.Name, r.f, *page.Total, err)
			}
		}
		if _, err := svc.List(bg, osLeader, onestop.Filter{Status: "closed", From: "3月"}); !slices.Equal(testkit.Fields(err), []string{"from", "status"}) {
			t.Errorf("bad filter: %v", err)
		}
	})
}

func osBool(v bool) *bool { return &v }

func osInt(v int) *int { return &v }

// Two agencies advancing one case at once: one wins, the others are told
// the case changed (409), and the log holds one hand-off.
func TestOneStopConcurrentAdvance(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _ := osFixture(t, db)
		d := osDefine(t, svc)
		c := osOpen(t, svc, d, "")
		const n = 4
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				u := osClerk
				if i%2 == 1 {
					u = osLeader
				}
				v := c.Version
				_, errs[i] = svc.Act(bg, u, c.ID, &v, onestop.Command{Action: onestop.ActAdvance, Received: osMaterials})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch minyi.ErrorCode(err) {
			case "":
				won++
			case minyi.EConflict:
			default:
				t.Errorf("unexpected %v", err)
			}
		}
		view, err := svc.Timeline(bg, osLeader, c.ID)
		if won != 1 || err != nil || len(view.Events) != 2 || view.Case.Step != 1 {
			t.Fatalf("%d won; events %+v, %v", won, view.Events, err)
		}
		if f, _ := svc.Figures(bg, reporting.Filter{}); f["opened"] != 1 {
			t.Fatalf("figures %v", f)
		}
	})
}

// The counters of generated cases (loadgen, through CreateCases) equal a
// recount of the cases, and the lists' totals their pages, on both
// databases.
func TestOneStopFiguresEqualRecount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _ := osFixture(t, db)
		osDefine(t, svc)
		id := onestop.Definition{Code: "id-card", Name: "身份证补领", Active: true, Steps: []onestop.Step{
			{Name: "受理", Unit: "a", Materials: []string{"户口簿"}, LimitDays: 2}, {Name: "制证", Unit: "spzx", LimitDays: 10}}}
		if _, err := svc.CreateDefinition(bg, osAdmin, id); err != nil {
			t.Fatal(err)
		}
		g, err := loadgen.NewCases(bg, db, calendar.Default(), 7)
		if err != nil {
			t.Fatal(err)
		}
		g.Days = 2 * 365
		if err := g.Generate(bg, db, 300, 120, nil); err != nil {
			t.Fatal(err)
		}
		var all []onestop.Case
		f := onestop.Filter{Filter: registerFilter("", 100, "")}
		for {
			page, err := svc.List(bg, osLeader, f)
			if err != nil {
				t.Fatal(err)
			}
			if *page.Total != 300 {
				t.Fatalf("total %d", *page.Total)
			}
			all = append(all, page.Items...)
			if page.NextCursor == "" {
				break
			}
			f.Cursor = page.NextCursor
		}
		if len(all) != 300 {
			t.Fatalf("%d cases over the pages", len(all))
		}
		// The totals the counters give equal those of the cases.
		for _, f := range []onestop.Filter{{Service: all[0].Service}, {From: "2021-06-01", To: "2021-12-31"},
			{Service: all[0].Service, From: "2022-01-01"}, {Status: onestop.StatusDone, To: "2021-12-31"}} {
			want := 0
			for _, c := range all {
				if (f.Service == 0 || c.Service == f.Service) && (f.From == "" || c.OpenedOn >= f.From) &&
					(f.To == "" || c.OpenedOn <= f.To) && (f.Status == "" || c.Status == f.Status) {
					want++
				}
			}
			page, err := svc.List(bg, osLeader, f)
			if err != nil || *page.Total != want || want == 0 {
				t.Errorf("%+v: total %v, want %d (%v)", f, page.Total, want, err)
			}
		}
		for _, period := range []reporting.Filter{{From: "2021-01-01", To: "2021-12-31"}, {From: "2022-03-01", To: "2022-05-31", Units: []string{"a", "spzx"}}} {
			want := reporting.Figures{}
			// Recounted by hand: each figure on its event's day for the unit
			// that did it (onestop.TallyOf).
			in := func(day, unit string) bool {
				return day >= period.From && day <= period.To && (period.Units == nil || slices.Contains(period.Units, unit))
			}
			for _, c := range all {
				if in(c.OpenedOn, c.Unit) {
					want["opened"]++
					want["opened_"+c.ServiceCode]++
					if c.Green != "" {
						want["green_channel"]++
					}
					if c.Late || c.Overdue {
						want["overdue"]++
					}
				}
				switch at := c.Steps[c.Step].Unit; {
				case c.Status == onestop.StatusDone && in(c.DoneOn, c.Steps[len(c.Steps)-1].Unit):
					want["done"]++
					want["done_"+c.ServiceCode]++
					if c.Proxy != "" {
						want["proxy"]++
						want["proxy_"+c.ServiceCode]++
					}
				case c.Status == onestop.StatusCancelled && in(c.CancelledOn, at):
					want["cancelled"]++
				}
			}
			got, err := svc.Figures(bg, period)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%v: %s = %d, recounted %d", period, k, got[k], v)
				}
			}
			if want["opened"] == 0 || want["done"] == 0 {
				t.Errorf("%v: nothing to count: %v", period, want)
			}
		}
	})
}

// TestOneStopListTotals checks the cheap ways of counting a list's total
// (the counters for the filters they answer, the search tokens when a
// search is the only filter, and reading newest first testing each match
// when it matches many) against the general way, row by row: the same
// filter with a visibility every case passes (each has a step of the
// government service centre), and against the cases listed, page by page.
func TestOneStopListTotals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, clock := osFixture(t, db)
		d := osDefine(t, svc)
		other, err := svc.CreateDefinition(bg, osAdmin, onestop.Definition{Code: "id-card", Name: "身份证补领", Active: true,
			Steps: []onestop.Step{{Name: "受理", Unit: "zwzx", LimitDays: 2}, {Name: "制证", Unit: "spzx", LimitDays: 5}}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 24 {
			clock.Advance(time.Duration(i%3) * 24 * time.Hour)
			o := onestop.Opening{Service: d.ID, Applicant: onestop.Applicant{Name: []string{"乌云其木格", "巴特尔"}[i%2]}, Received: osMaterials}
			if i%4 == 3 {
				o.Service, o.Received = other.ID, nil
			}
			if i%3 == 1 {
				o.Proxy = "proxy-a"
			}
			if i%5 == 0 {
				o.Green = onestop.GreenPriority
			}
			c, err := svc.Open(bg, osClerk, o)
			if err != nil {
				t.Fatal(err)
			}
			v := c.Version
			switch i % 6 {
			case 0:
				_, err = svc.Act(bg, osLeader, c.ID, &v, onestop.Command{Action: onestop.ActCancel, Reason: "申请人撤回"})
			case 1, 2, 3:
				if c, err = svc.Act(bg, osClerk, c.ID, &v, onestop.Command{Action: onestop.ActAdvance}); err == nil && i%6 != 3 {
					_, err = svc.Act(bg, osCentre, c.ID, &c.Version, onestop.Command{Action: onestop.ActComplete})
				}
			}
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
		}
		yes, no := true, false
		all := func(f onestop.Filter) []int64 {
			var ids []int64
			for f.Limit = 5; ; {
				p, err := db.Cases(bg, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range p.Items {
					ids = append(ids, c.ID)
				}
				if f.Cursor = p.NextCursor; f.Cursor == "" {
					return ids
				}
			}
		}
		for _, tc := range []struct {
			name string
			f    onestop.Filter
		}{
			{"every case", onestop.Filter{}},
			{"open", onestop.Filter{Status: onestop.StatusOpen}},
			{"done", onestop.Filter{Status: onestop.StatusDone}},
			{"cancelled", onestop.Filter{Status: onestop.StatusCancelled}},
			{"a service", onestop.Filter{Service: other.ID}},
			{"a service, open", onestop.Filter{Service: d.ID, Status: onestop.StatusOpen}},
			{"days opened", onestop.Filter{From: "2021-03-10", To: "2021-03-20"}},
			{"done by a proxy", onestop.Filter{Status: onestop.StatusDone, Proxy: &yes}},
			{"done by a proxy, days opened", onestop.Filter{Status: onestop.StatusDone, Proxy: &yes, From: "2021-03-05", To: "2021-03-31"}},
			{"open by a proxy, days opened", onestop.Filter{Status: onestop.StatusOpen, Proxy: &yes, From: "2021-03-05", To: "2021-03-31"}},
			{"days done", onestop.Filter{Status: onestop.StatusDone, DoneFrom: "2021-03-05", DoneTo: "2021-03-20"}},
			{"days done, a service", onestop.Filter{Status: onestop.StatusDone, Service: d.ID, DoneFrom: "2021-03-05", DoneTo: "2021-03-20"}},
			{"done by a proxy, days done", onestop.Filter{Status: onestop.StatusDone, Proxy: &yes, DoneFrom: "2021-03-05", DoneTo: "2021-03-31"}},
			{"days done, any status", onestop.Filter{DoneFrom: "2021-03-05"}},
			{"days done and opened", onestop.Filter{Status: onestop.StatusDone, DoneTo: "2021-03-20", From: "2021-03-10"}},
			{"by a proxy", onestop.Filter{Proxy: &yes}},
			{"not by a proxy", onestop.Filter{Proxy: &no}},
			{"green channel", onestop.Filter{Green: &yes}},
			{"not green channel", onestop.Filter{Green: &no}},
			{"green channel, open", onestop.Filter{Green: &yes, Status: onestop.StatusOpen}},
			{"at the approval centre", onestop.Filter{Unit: "spzx"}},
			{"overdue", onestop.Filter{Overdue: true, Now: clock.Now().Add(30 * 24 * time.Hour)}},
			{"overdue now", onestop.Filter{Overdue: true, Now: clock.Now()}},
			{"overdue two days ago", onestop.Filter{Overdue: true, Now: clock.Now().Add(-2 * 24 * time.Hour)}},
			{"overdue, a service", onestop.Filter{Overdue: true, Now: clock.Now(), Service: d.ID}},
			{"words", onestop.Filter{Filter: register.Filter{Query: "乌云"}}},
			{"words, traditional", onestop.Filter{Filter: register.Filter{Query: "身份證"}}},
			{"words and status", onestop.Filter{Filter: register.Filter{Query: "巴特尔"}, Status: onestop.StatusDone}},
			{"words, cancelled", onestop.Filter{Filter: register.Filter{Query: "乌云"}, Status: onestop.StatusCancelled}},
			{"no such words", onestop.Filter{Filter: register.Filter{Query: "不存在"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				general := tc.f
				general.See = "zwzx"
				want := all(general)
				p, err := db.Cases(bg, general)
				if err != nil || *p.Total != len(want) {
					t.Fatalf("the general way counts %v of %d listed: %v", p.Total, len(want), err)
				}
				// A search's total is counted up to the cap, above which
				// the list reads the cases newest first testing each; a
				// filter without words is counted exactly, whatever the cap.
				// (5: a word in more cases than that, its cancelled ones
				// fewer, found from the cases by status.)
				for _, most := range []int{1, 5, 1_000_000} {
					db.SetSearchTotalCap(most)
					got := all(tc.f)
					p, err := db.Cases(bg, tc.f)
					db.SetSearchTotalCap(0)
					total, capped := len(want), false
					if tc.f.Query != "" && total > most {
						total, capped = most, true
					}
					if err != nil || *p.Total != total || p.TotalCapped != capped || !slices.Equal(got, want) {
						t.Errorf("cap %d: total %v (capped %v), listed %v; want %d, %v (%v)", most, p.Total, p.TotalCapped, got, total, want, err)
					}
				}
			})
		}
		// The overdue are counted as the open less those not yet due: a
		// moment when some are and some are not tries both.
		if due, open := len(all(onestop.Filter{Overdue: true, Now: clock.Now()})), len(all(onestop.Filter{Status: onestop.StatusOpen})); due == 0 || due == open {
			t.Errorf("%d of %d open cases overdue now: the count of those not yet due was not tried", due, open)
		}
		if n := len(all(onestop.Filter{Status: onestop.StatusDone, Proxy: &yes})); n == 0 {
			t.Error("no case done by a proxy: the counters' proxy column was not tried")
		}
		if n := len(all(onestop.Filter{Status: onestop.StatusDone, Proxy: &yes, From: "2021-03-05", To: "2021-03-31"})); n == 0 {
			t.Error("no case opened in March done by a proxy: the proxy's index by day opened was not tried")
		}
		// A case done on a list's last day done is listed, on the day
		// after not, from the counters as row by row.
		done := all(onestop.Filter{Status: onestop.StatusDone})
		if len(done) == 0 {
			t.Fatal("no case done")
		}
		c, err := db.Case(bg, done[0])
		if err != nil || c.DoneOn == "" {
			t.Fatalf("a done case %+v: %v", c, err)
		}
		day, _ := time.Parse(time.DateOnly, c.DoneOn)
		after := day.AddDate(0, 0, 1).Format(time.DateOnly)
		for _, see := range []string{"", "zwzx"} {
			if got := all(onestop.Filter{See: see, Status: onestop.StatusDone, DoneFrom: c.DoneOn, DoneTo: c.DoneOn}); !slices.Contains(got, c.ID) {
				t.Errorf("see %q: case %d done on %s not among those done that day: %v", see, c.ID, c.DoneOn, got)
			}
			if got := all(onestop.Filter{See: see, Status: onestop.StatusDone, DoneFrom: after}); slices.Contains(got, c.ID) {
				t.Errorf("see %q: case %d done on %s among those done from %s", see, c.ID, c.DoneOn, after)
			}
		}
		if n := len(all(onestop.Filter{Filter: register.Filter{Query: "巴特尔"}, Status: onestop.StatusDone})); n < 2 {
			t.Errorf("%d done cases of 巴特尔: the capped search with a status was not tried", n)
		}
		if n, m := len(all(onestop.Filter{Filter: register.Filter{Query: "乌云"}})),
			len(all(onestop.Filter{Filter: register.Filter{Query: "乌云"}, Status: onestop.StatusCancelled})); n <= 5 || m == 0 || m > 5 {
			t.Errorf("乌云 in %d cases, %d cancelled: the search by status below the cap was not tried", n, m)
		}
	})
}

// TestOneStopUnitSearch checks a search by a reader narrowed to their
// unit's cases (a step of the unit, or handled by them as proxy) against
// the search of every case narrowed the same way here, total and pages,
// with caps that send it each way: from the rarest token's postings, from
// the unit's few cases, and from both lists merged when both are long.
func TestOneStopUnitSearch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, clock := osFixture(t, db)
		newborn := osDefine(t, svc)
		idCard, err := svc.CreateDefinition(bg, osAdmin, onestop.Definition{Code: "id-card", Name: "身份证补领", Active: true,
			Steps: []onestop.Step{{Name: "受理", Unit: "a", LimitDays: 2}, {Name: "制证", Unit: "spzx", LimitDays: 5}}})
		if err != nil {
			t.Fatal(err)
		}
		seal, err := svc.CreateDefinition(bg, osAdmin, onestop.Definition{Code: "seal", Name: "印章备案", Active: true,
			Steps: []onestop.Step{{Name: "受理", Unit: "other", LimitDays: 2}, {Name: "备案", Unit: "spzx", LimitDays: 5}}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 30 {
			clock.Advance(time.Duration(i%2) * 24 * time.Hour)
			by, o := osClerk, onestop.Opening{Service: newborn.ID, Applicant: onestop.Applicant{Name: []string{"乌云其木格", "巴特尔"}[i%2]},
				Received: osMaterials}
			switch {
			case i%3 == 1:
				by, o.Service, o.Received = osOfficer, idCard.ID, nil
			case i%10 == 5:
				by, o.Service, o.Received = osOther, seal.ID, nil
			}
			if i%4 == 0 {
				o.Proxy = osProxy.Name
			}
			c, err := svc.Open(bg, by, o)
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			if i%5 == 2 {
				if _, err := svc.Act(bg, osLeader, c.ID, &c.Version, onestop.Command{Action: onestop.ActCancel, Reason: "申请人撤回"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		list := func(f onestop.Filter) ([]onestop.Case, onestop.Filter) {
			var out []onestop.Case
			for f.Limit = 4; ; {
				p, err := db.Cases(bg, f)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, p.Items...)
				if f.Cursor = p.NextCursor; f.Cursor == "" {
					return out, f
				}
			}
		}
		for _, tc := range []struct {
			name, see, proxied, q string
			status                onestop.Status
		}{
			{"the station, its service's words", "a", osProxy.Name, "身份证", ""},
			{"the station, another service's words (its proxy's cases only)", "a", osProxy.Name, "新生儿落户", ""},
			{"the station, a name", "a", osProxy.Name, "乌云", ""},
			{"the station, a name and a service", "a", osProxy.Name, "巴特尔 身份证", ""},
			{"the station, a name, cancelled", "a", osProxy.Name, "乌云", onestop.StatusCancelled},
			{"the station, no proxy", "a", "", "乌云", ""},
			{"a partner with few cases, a name", "other", "", "巴特尔", ""},
			{"a partner with few cases, another service's words", "other", "", "新生儿", ""},
			{"no such words", "a", osProxy.Name, "不存在", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				every, _ := list(onestop.Filter{Filter: register.Filter{Query: tc.q}, Status: tc.status})
				var want []int64
				for _, c := range every {
					seen := c.Proxy != "" && c.Proxy == tc.proxied
					for _, s := range c.Steps {
						seen = seen || s.Unit == tc.see
					}
					if seen {
						want = append(want, c.ID)
					}
				}
				for _, most := range []int{1, 3, 1_000_000} {
					db.SetSearchTotalCap(most)
					f := onestop.Filter{Filter: register.Filter{Query: tc.q}, Status: tc.status, See: tc.see, Proxied: tc.proxied}
					got, _ := list(f)
					f.Limit = 4
					p, err := db.Cases(bg, f)
					db.SetSearchTotalCap(0)
					var ids []int64
					for _, c := range got {
						ids = append(ids, c.ID)
					}
					total, capped := len(want), false
					if total > most {
						total, capped = most, true
					}
					if err != nil || *p.Total != total || p.TotalCapped != capped || !slices.Equal(ids, want) {
						t.Errorf("cap %d: total %v (capped %v), listed %v; want %d (%v), %v (%v)", most, p.Total, p.TotalCapped, ids,
							total, capped, want, err)
					}
				}
				// Two find nothing by design: words of no case, and of
				// cases the partner has no step of and handles none of.
				if none := tc.q == "不存在" || tc.see == "other" && tc.q == "新生儿"; none != (len(want) == 0) {
					t.Errorf("%d cases to find, want none: %v", len(want), none)
				}
			})
		}
	})
}
