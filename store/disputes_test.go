package store_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/dispute"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/loadgen"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
	"minyi/store"
)

// diFixture seeds what maFixture does and an item of each station, and
// returns the disputes service with the clock at maNow and the items'
// numbers (a's, b's).
func diFixture(t *testing.T, db *store.DB) (*dispute.Service, string, string) {
	t.Helper()
	matters := maFixture(t, db)
	var numbers []string
	for _, u := range []org.User{maOfficerA, maOfficerB} {
		it, _, err := matters.Items.Submit(context.Background(), &u, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelPhone,
			Category: "hukou", Unit: u.UnitCode, Text: "邻居家的羊吃了我家草场"})
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, it.Number)
	}
	return &dispute.Service{Store: db, Items: matters.Items, Settings: db}, numbers[0], numbers[1]
}

func diNew(summary string) dispute.Dispute {
	return dispute.Dispute{FoundOn: "2021-09-01", Kind: "land", Township: "苏米图苏木", Village: "查干淖尔嘎查", Unit: "a",
		Branch: "branch-a", Risk: dispute.RiskMedium, Source: dispute.SourceVisit, Summary: summary,
		Parties: []dispute.Party{{Name: "巴特尔", Phone: "13912345678", Role: dispute.PartyApplicant}, {Name: "额尔敦", Role: dispute.PartyRespondent}}}
}

func TestDisputeLifecycleStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, itemA, _ := diFixture(t, db)
		d := diNew("两户草场边界争议")
		d.Source, d.Item = dispute.SourceItem, itemA
		d, err := svc.Create(bg, maAuxA, d)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID == 0 || d.Version != 1 || d.Status != dispute.StatusFound || d.Parties[0].Name != "巴*" || d.DueDays != dispute.DefaultDueDays {
			t.Fatalf("created %+v", d)
		}
		steps := []struct {
			actor org.User
			cmd   dispute.Command
			want  dispute.Status
		}{
			{maAuxA, dispute.Command{Action: dispute.ActMediate, Day: "2021-09-03", With: []dispute.Participant{dispute.WithPolice, dispute.WithVillage}, Notes: "到场了解情况"}, dispute.StatusMediating},
			{maOfficerA, dispute.Command{Action: dispute.ActMediate, Day: "2021-09-06", With: []dispute.Participant{dispute.WithMediation}, Notes: "双方同意重新划界"}, dispute.StatusMediating},
			{maOfficerA, dispute.Command{Action: dispute.ActResolve, Day: "2021-09-08", Agreement: "以旧网围栏为界", Level: dispute.LevelVillage}, dispute.StatusResolved},
			{maAuxA, dispute.Command{Action: dispute.ActFollowUp, Day: "2021-09-12", Result: "协议已履行"}, dispute.StatusResolved},
		}
		for i, s := range steps {
			v := i + 1
			if d, err = svc.Act(bg, s.actor, d.ID, &v, s.cmd); err != nil || d.Status != s.want || d.Version != i+2 {
				t.Fatalf("step %d (%s): %+v %v", i, s.cmd.Action, d, err)
			}
		}
		got, err := db.Dispute(bg, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != dispute.StatusResolved || got.ClosedOn != "2021-09-08" || got.Level != dispute.LevelVillage || len(got.Mediations) != 2 ||
			len(got.FollowUps) != 1 || got.Parties[0].Name != "巴特尔" || got.Item != itemA || got.Version != 5 ||
			!slices.Equal(got.Mediations[0].With, []dispute.Participant{dispute.WithPolice, dispute.WithVillage}) {
			t.Fatalf("stored %+v", got)
		}
		// Illegal once resolved; a stale version is a conflict; nothing
		// is written of either.
		five, one := 5, 1
		if _, err := svc.Act(bg, maOfficerA, d.ID, &five, dispute.Command{Action: dispute.ActRefer, To: dispute.ToCourt}); minyi.ErrorCode(err) != minyi.EIllegal {
			t.Errorf("refer resolved: %v", err)
		}
		if _, err := svc.Edit(bg, maOfficerA, d.ID, dispute.Patch{Version: &one, Summary: ptr("x")}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale edit: %v", err)
		}
		if _, err := svc.Act(bg, maOfficerA, d.ID, &one, dispute.Command{Action: dispute.ActFollowUp, Result: "x"}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale action: %v", err)
		}
		if _, err := svc.Edit(bg, maOfficerB, d.ID, dispute.Patch{Version: &five, Summary: ptr("x")}); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("another unit's edit: %v", err)
		}
		if e, err := svc.Edit(bg, maAuxA, d.ID, dispute.Patch{Version: &five, Summary: ptr("两户草场边界纠纷"), Risk: ptr(dispute.RiskLow)}); err != nil ||
			e.Version != 6 || e.Risk != dispute.RiskLow {
			t.Errorf("edit: %+v %v", e, err)
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[dispute.Register] != 6 {
			t.Errorf("the log holds %v (%v), want 6 events of the dispute", n, err)
		}
	})
}

// TestDisputeRefusals: each bad dispute is refused naming its fields, and
// nothing is written.
func TestDisputeRefusals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _, itemB := diFixture(t, db)
		for _, tt := range []struct {
			name   string
			staff  org.User
			edit   func(*dispute.Dispute)
			code   string
			fields []string
		}{
			{"no summary, bad kind", maOfficerA, func(d *dispute.Dispute) { d.Summary, d.Kind = "", "war" }, minyi.EInvalid, []string{"kind", "summary"}},
			{"bad phone", maOfficerA, func(d *dispute.Dispute) { d.Parties[1].Phone = "110" }, minyi.EInvalid, []string{"parties[1].phone"}},
			{"unknown item", maOfficerA, func(d *dispute.Dispute) { d.Item = "2021-999999" }, minyi.EInvalid, []string{"item"}},
			{"another unit's item", maOfficerA, func(d *dispute.Dispute) { d.Item = itemB }, minyi.EInvalid, []string{"item"}},
			{"another unit's branch", maLeader, func(d *dispute.Dispute) { d.Unit = "b" }, minyi.EInvalid, []string{"branch"}},
			{"unknown campaign", maOfficerA, func(d *dispute.Dispute) { d.Campaign = 99 }, minyi.EInvalid, []string{"campaign"}},
			{"another unit", maOfficerB, func(*dispute.Dispute) {}, minyi.EForbidden, []string{"unit"}},
			{"partner", org.User{Name: "p", Role: org.RolePartner, UnitCode: "a"}, func(*dispute.Dispute) {}, minyi.EForbidden, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				d := diNew("拒绝")
				tt.edit(&d)
				_, err := svc.Create(bg, tt.staff, d)
				if minyi.ErrorCode(err) != tt.code || !slices.Equal(testkit.Fields(err), tt.fields) {
					t.Errorf("%v (fields %v), want %s %v", err, testkit.Fields(err), tt.code, tt.fields)
				}
			})
		}
		page, err := svc.List(bg, maLeader, dispute.Filter{})
		if err != nil || len(page.Items) != 0 || *page.Total != 0 {
			t.Errorf("written after refusals: %+v %v", page, err)
		}
		if n, _ := db.VerifyByRegister(bg); n[dispute.Register] != 0 {
			t.Errorf("events after refusals: %v", n)
		}
		d, err := svc.Create(bg, maOfficerA, diNew("可以"))
		if err != nil {
			t.Fatal(err)
		}
		v := 1
		if _, err := svc.Act(bg, maOfficerA, d.ID, &v, dispute.Command{Action: dispute.ActResolve}); !slices.Equal(testkit.Fields(err), []string{"agreement", "level"}) {
			t.Errorf("resolve without agreement and level: %v", err)
		}
		if _, err := svc.Edit(bg, maOfficerA, d.ID, dispute.Patch{}); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Errorf("edit without version: %v", err)
		}
		if got, _ := db.Dispute(bg, d.ID); got.Version != 1 || got.Status != dispute.StatusFound {
			t.Errorf("stored after refusals %+v", got)
		}
	})
}

func TestDisputeListsAndFigures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _, _ := diFixture(t, db)
		type rec struct {
			summary, found, kind, township string
			risk                           dispute.Risk
			unit                           org.User
			end                            *dispute.Command
		}
		resolve := func(day string, l dispute.Level) *dispute.Command {
			return &dispute.Command{Action: dispute.ActResolve, Day: day, Agreement: "协议", Level: l}
		}
		for _, r := range []rec{
			{"草场边界", "2021-01-05", "land", "苏米图苏木", dispute.RiskHigh, maOfficerA, resolve("2021-01-10", dispute.LevelVillage)},
			{"邻里噪音", "2021-03-01", "neighbours", "苏米图苏木", dispute.RiskLow, maOfficerA, resolve("2021-03-02", dispute.LevelTownship)},
			{"拖欠工资", "2021-05-01", "labour", "阿尔巴斯苏木", dispute.RiskMedium, maOfficerA, &dispute.Command{Action: dispute.ActRefer, Day: "2021-05-03", To: dispute.ToArbitration}},
			{"牲畜走失", "2021-08-01", "livestock", "阿尔巴斯苏木", dispute.RiskMedium, maOfficerA, nil},
			{"借款不还", "2021-06-01", "debt", "乙镇", dispute.RiskLow, maOfficerB, &dispute.Command{Action: dispute.ActNotResolve, Day: "2021-12-01", Reason: "x"}},
		} {
			d := diNew(r.summary)
			d.FoundOn, d.Kind, d.Township, d.Risk, d.Unit = r.found, r.kind, r.township, r.risk, r.unit.UnitCode
			if r.unit.UnitCode != "a" {
				d.Branch = ""
			}
			d, err := svc.Create(bg, r.unit, d)
			if err != nil {
				t.Fatal(err)
			}
			if r.end != nil && r.end.Day < "2021-09-13" {
				v := 1
				if _, err := svc.Act(bg, r.unit, d.ID, &v, *r.end); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, l := range []struct {
			name string
			u    org.User
			f    dispute.Filter
			want []string
		}{
			{"own unit", maOfficerA, dispute.Filter{}, []string{"牲畜走失", "拖欠工资", "邻里噪音", "草场边界"}},
			{"leader sees all", maLeader, dispute.Filter{}, []string{"借款不还", "牲畜走失", "拖欠工资", "邻里噪音", "草场边界"}},
			{"status", maLeader, dispute.Filter{Status: dispute.StatusResolved}, []string{"邻里噪音", "草场边界"}},
			{"kind", maLeader, dispute.Filter{Kind: "labour"}, []string{"拖欠工资"}},
			{"township", maLeader, dispute.Filter{Township: "苏米图苏木"}, []string{"邻里噪音", "草场边界"}},
			{"risk", maLeader, dispute.Filter{Risk: dispute.RiskLow}, []string{"借款不还", "邻里噪音"}},
			{"unit", maLeader, dispute.Filter{Unit: "b"}, []string{"借款不还"}},
			{"branch", maLeader, dispute.Filter{Branch: "branch-a"}, []string{"牲畜走失", "拖欠工资", "邻里噪音", "草场边界"}},
			{"overdue", maLeader, dispute.Filter{Overdue: true}, []string{"借款不还", "牲畜走失"}},
			{"period", maLeader, dispute.Filter{From: "2021-03-01", To: "2021-05-31"}, []string{"拖欠工资", "邻里噪音"}},
			{"ended by the period's last day", maLeader, dispute.Filter{ClosedFrom: "2021-01-10", ClosedTo: "2021-03-02"}, []string{"邻里噪音", "草场边界"}},
			{"ended the day after", maLeader, dispute.Filter{ClosedFrom: "2021-01-11", ClosedTo: "2021-03-01"}, nil},
			{"referred in a period", maLeader, dispute.Filter{Status: dispute.StatusReferred, ClosedFrom: "2021-05-03", ClosedTo: "2021-05-03"}, []string{"拖欠工资"}},
			{"resolved at village level", maLeader, dispute.Filter{Status: dispute.StatusResolved, Level: dispute.LevelVillage, ClosedTo: "2021-12-31"}, []string{"草场边界"}},
			{"search, traditional script", maLeader, dispute.Filter{Filter: register.Filter{Query: "拖欠工資"}}, []string{"拖欠工资"}},
			{"search by place", maLeader, dispute.Filter{Filter: register.Filter{Query: "阿尔巴斯"}}, []string{"牲畜走失", "拖欠工资"}},
			{"parties are not searched", maLeader, dispute.Filter{Filter: register.Filter{Query: "巴特尔"}}, nil},
		} {
			t.Run(l.name, func(t *testing.T) {
				// A search is listed both ways: gathering its matches, and
				// (above the cap of its total) testing each dispute newest
				// first, the total then the cap.
				for _, most := range []int{1, 1_000_000} {
					db.SetSearchTotalCap(most)
					page, err := svc.List(bg, l.u, l.f)
					db.SetSearchTotalCap(0)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, d := range page.Items {
						got = append(got, d.Summary)
					}
					total, capped := len(l.want), false
					if l.f.Query != "" && total > most {
						total, capped = most, true
					}
					if !slices.Equal(got, l.want) || page.Total == nil || *page.Total != total || page.TotalCapped != capped {
						t.Errorf("cap %d: listed %v (total %v, capped %v), want %v", most, got, page.Total, page.TotalCapped, l.want)
					}
				}
			})
		}
		page, err := svc.List(bg, maLeader, dispute.Filter{Filter: register.Filter{Limit: 2}})
		if err != nil || len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("first page %+v %v", page, err)
		}
		if next, err := svc.List(bg, maLeader, dispute.Filter{Filter: register.Filter{Limit: 2, Cursor: page.NextCursor}}); err != nil ||
			len(next.Items) != 2 || next.Items[0].Summary != "拖欠工资" {
			t.Errorf("second page %+v %v", next, err)
		}

		for _, tt := range []struct {
			name string
			f    reporting.Filter
			want reporting.Figures
		}{
			{"the year", reporting.Filter{From: "2021-01-01", To: "2021-12-31"}, reporting.Figures{"found": 5, "resolved": 2, "referred": 1,
				"unresolved": 0, "open": 2, "overdue": 2, "resolved_village": 1, "village_share": 500}},
			{"unit a to March", reporting.Filter{From: "2021-01-01", To: "2021-03-31", Units: []string{"a"}}, reporting.Figures{"found": 2,
				"resolved": 2, "referred": 0, "unresolved": 0, "open": 0, "overdue": 0, "resolved_village": 1, "village_share": 500}},
			{"May", reporting.Filter{From: "2021-05-01", To: "2021-05-02"}, reporting.Figures{"found": 1, "resolved": 0, "referred": 0,
				"unresolved": 0, "open": 1, "overdue": 0, "resolved_village": 0, "village_share": 0}},
		} {
			t.Run("figures/"+tt.name, func(t *testing.T) {
				got, err := svc.Figures(bg, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				for _, k := range dispute.FigureKeys {
					if got[k] != tt.want[k] {
						t.Errorf("%s = %d, want %d (%v)", k, got[k], tt.want[k], got)
					}
				}
			})
		}
	})
}

// TestDisputeConcurrentActions: actions from the same version sent at once:
// one wins, the others are conflicts, and the log holds one step.
func TestDisputeConcurrentActions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _, _ := diFixture(t, db)
		d, err := svc.Create(bg, maOfficerA, diNew("并发"))
		if err != nil {
			t.Fatal(err)
		}
		ok := raceWrites(t, 4, func(i int) error {
			one := 1
			_, err := svc.Act(bg, maOfficerA, d.ID, &one, dispute.Command{Action: dispute.ActMediate,
				With: []dispute.Participant{dispute.WithPolice}, Notes: fmt.Sprintf("调解%d", i)})
			return err
		})
		got, _ := db.Dispute(bg, d.ID)
		if ok != 1 || got.Version != 2 || len(got.Mediations) != 1 {
			t.Errorf("%d succeeded; stored %+v", ok, got)
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[dispute.Register] != 2 {
			t.Errorf("verify %v %v", n, err)
		}
	})
}

// TestDisputeTalliesEqualRows checks the disputes' counters (migration 49,
// moved in each dispute's transaction) against the figures counted from the
// disputes themselves, over generated disputes and then changes that move
// them between days, campaigns and outcomes (the day found corrected, a
// campaign joined and left, open disputes ended), for periods, units and a
// campaign; and that the migration's fill from the stored disputes gives
// the same counters.
func TestDisputeTalliesEqualRows(t *testing.T) {
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			bg := context.Background()
			db, url := openAt(t, dialect)
			svc, _, _ := diFixture(t, db)
			c := campaign.Campaign{Name: "矛盾纠纷大排查", From: "2020-01-01", To: "2021-12-31", CreatedBy: "leader",
				CreatedAt: time.Date(2020, 1, 1, 9, 0, 0, 0, calendar.Zone)}
			c.UpdatedAt = c.CreatedAt
			if err := db.CreateCampaign(bg, &c); err != nil {
				t.Fatal(err)
			}
			g, err := loadgen.NewLedgers(bg, db, calendar.Default(), 5)
			if err != nil {
				t.Fatal(err)
			}
			g.Start, g.Days = time.Date(2020, 1, 1, 0, 0, 0, 0, calendar.Zone), 600
			if err := g.GenerateDisputes(bg, db, 120, 40, nil); err != nil {
				t.Fatal(err)
			}
			figures := []struct {
				name string
				f    reporting.Filter
			}{
				{"everything", reporting.Filter{}},
				{"2020", reporting.Filter{From: "2020-01-01", To: "2020-12-31"}},
				{"2021 to the day", reporting.Filter{From: "2021-01-01", To: "2021-09-13"}},
				{"a month", reporting.Filter{From: "2020-06-01", To: "2020-06-30"}},
				{"a day", reporting.Filter{From: "2020-03-02", To: "2020-03-02"}},
				{"from a day on", reporting.Filter{From: "2020-11-15"}},
				{"until a day", reporting.Filter{To: "2020-05-31", Now: time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone)}},
				{"unit a", reporting.Filter{From: "2020-01-01", To: "2021-12-31", Unit: "a"}},
				{"units a and b, now", reporting.Filter{From: "2020-01-01", To: "2021-12-31", Units: []string{"a", "b"},
					Now: time.Date(2021, 9, 1, 0, 0, 0, 0, calendar.Zone)}},
				{"no units", reporting.Filter{Units: []string{}}},
				{"the campaign", reporting.Filter{From: "2020-01-01", To: "2021-12-31", Campaign: c.ID}},
				{"the campaign, unit b, a quarter", reporting.Filter{From: "2020-04-01", To: "2020-06-30", Campaign: c.ID, Unit: "b"}},
			}
			check := func(t *testing.T, when string) map[string]reporting.Figures {
				t.Helper()
				out := map[string]reporting.Figures{}
				for _, tc := range figures {
					want, err := db.DisputeFiguresByRows(bg, tc.f)
					if err != nil {
						t.Fatal(err)
					}
					got, err := db.DisputeFigures(bg, tc.f)
					if err != nil {
						t.Fatal(err)
					}
					if !maps.Equal(got, want) {
						t.Errorf("%s, %s: counters %v, rows %v", when, tc.name, got, want)
					}
					out[tc.name] = got
				}
				return out
			}
			check(t, "generated")

			page, err := db.Disputes(bg, dispute.Filter{Filter: register.Filter{Limit: 100}})
			if err != nil {
				t.Fatal(err)
			}
			var moved, joined, ended int
			for i, d := range page.Items {
				if i%3 == 0 {
					day, _ := time.ParseInLocation(time.DateOnly, d.FoundOn, calendar.Zone)
					earlier := day.AddDate(0, 0, -35).Format(time.DateOnly)
					if d, err = svc.Edit(bg, maLeader, d.ID, dispute.Patch{Version: &d.Version, FoundOn: &earlier}); err != nil {
						t.Fatalf("dispute %d found on %s: %v", d.ID, earlier, err)
					}
					moved++
				}
				if i%4 == 0 {
					id := c.ID
					if d, err = svc.Edit(bg, maLeader, d.ID, dispute.Patch{Version: &d.Version, Campaign: &id}); err != nil {
						t.Fatal(err)
					}
					joined++
					if i%8 == 0 {
						none := int64(0)
						if d, err = svc.Edit(bg, maLeader, d.ID, dispute.Patch{Version: &d.Version, Campaign: &none}); err != nil {
							t.Fatal(err)
						}
					}
				}
				if d.ClosedOn == "" {
					cmd := []dispute.Command{{Action: dispute.ActResolve, Agreement: "协议", Level: dispute.LevelVillage},
						{Action: dispute.ActRefer, To: dispute.ToCourt, Reason: "分歧较大"},
						{Action: dispute.ActNotResolve, Reason: "一方拒绝调解"}, {Action: dispute.ActResolve, Agreement: "协议",
							Level: dispute.LevelTownship}}[ended%4]
					if _, err := svc.Act(bg, maLeader, d.ID, &d.Version, cmd); err != nil {
						t.Fatalf("dispute %d %s: %v", d.ID, cmd.Action, err)
					}
					ended++
				}
			}
			if moved < 20 || joined < 20 || ended < 4 {
				t.Fatalf("moved %d, joined %d, ended %d: too few changes to prove anything", moved, joined, ended)
			}
			before := check(t, "changed")
			if before["the campaign"]["found"] == 0 || before["2020"]["resolved_village"] == 0 || before["everything"]["referred"] == 0 ||
				before["everything"]["unresolved"] == 0 || before["until a day"]["open"] == 0 {
				t.Errorf("figures with nothing to count: %v", before)
			}

			// The migration fills the counters from the disputes stored.
			db = reopenAfter(t, db, url, "DROP TABLE dispute_tallies",
				"DELETE FROM schema_migrations WHERE version >= 49")
			if after := check(t, "filled by the migration"); !maps.EqualFunc(after, before, maps.Equal) {
				t.Errorf("filled by the migration %v, kept %v", after, before)
			}
		})
	}
}
