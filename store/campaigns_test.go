package store_test

import (
	"bytes"
	"context"
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/campaign"
	"minyi/internal/testdb"
	"minyi/matter"
	"minyi/measure"
	"minyi/register"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/store"
	"minyi/volunteer"
)

// caFixture is maFixture's bureau with every ledger and the campaigns
// service over the ledger summary, the clock at maNow.
type caFixture struct {
	matters    *matter.Service
	measures   *measure.Service
	activities *volunteer.Service
	points     *servicepoint.Service
	campaigns  *campaign.Service
}

func newCaFixture(t *testing.T, db *store.DB) caFixture {
	t.Helper()
	f := caFixture{matters: maFixture(t, db)}
	now := f.matters.Items.Clock
	f.measures = &measure.Service{Store: db, Now: now}
	f.activities = &volunteer.Service{Store: db, Now: now}
	f.points = &servicepoint.Service{Store: db, Now: now}
	reports := &reporting.Service{Store: db, Ledgers: []reporting.Source{f.matters, f.activities, f.points, f.measures}, Now: now}
	f.campaigns = &campaign.Service{Store: db, Ledgers: reports, Extra: []string{"matters.outcome_cattle"}, Now: now}
	return f
}

func caNew() campaign.Campaign {
	return campaign.Campaign{Name: "我为群众办实事", From: "2021-03-01", To: "2021-11-02", Plan: "全体民辅警领办实事",
		Targets: map[string]int64{"matters.done": 2, "measures.researched": 1, "volunteer_activities.activities": 1,
			"service_points.active": 1, "matters.outcome_cattle": 5}}
}

func TestCampaignStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		f := newCaFixture(t, db)
		if _, err := f.campaigns.Create(bg, maOfficerA, caNew()); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Fatalf("officer creates a campaign: %v", err)
		}
		c, err := f.campaigns.Create(bg, maLeader, caNew())
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.campaigns.Create(bg, maLeader, campaign.Campaign{Name: "护航高考", From: "2021-06-01", To: "2021-06-30"})
		if err != nil {
			t.Fatal(err)
		}

		// Every ledger's records carry the campaign; an unknown one is
		// refused naming the field, and nothing is written.
		bad := maNew("追回被盗牲畜")
		bad.Campaign = 999
		if _, err := f.matters.Create(bg, maOfficerA, bad); !hasFieldError(err, "campaign") {
			t.Fatalf("unknown campaign on a matter: %v", err)
		}
		var matters []matter.Matter
		for i, camp := range []int64{c.ID, c.ID, other.ID, 0} {
			m := maNew("追回被盗牲畜")
			m.Campaign = camp
			m, err := f.matters.Create(bg, maOfficerA, m)
			if err != nil {
				t.Fatal(err)
			}
			v := m.Version
			for _, cmd := range []matter.Command{{Action: matter.ActStart}, {Action: matter.ActComplete, Story: "物归原主",
				Outcomes: map[string]int64{"cattle": int64(i + 1)}}} {
				if m, err = f.matters.Act(bg, maOfficerA, m.ID, &v, cmd); err != nil {
					t.Fatal(err)
				}
				v = m.Version
			}
			matters = append(matters, m)
		}
		me := meNew("错时延时服务")
		me.Campaign = c.ID
		if _, err := f.measures.Create(bg, maOfficerA, me); err != nil {
			t.Fatal(err)
		}
		me.Campaign = -1
		if _, err := f.measures.Create(bg, maOfficerA, me); !hasFieldError(err, "campaign") {
			t.Fatalf("negative campaign on a measure: %v", err)
		}
		a, err := f.activities.Create(bg, maOfficerA, volunteer.Activity{Date: "2021-09-01", Title: "送法进牧区", Unit: "a",
			Volunteers: 3, Hours: 2, Campaign: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.points.Create(bg, maOfficerA, servicepoint.Point{Name: "东村警务室", Unit: "a", Address: "东村", Campaign: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.points.Create(bg, maOfficerA, servicepoint.Point{Name: "西村警务室", Unit: "a", Address: "西村", Campaign: 999}); !hasFieldError(err, "campaign") {
			t.Fatalf("unknown campaign on a point: %v", err)
		}

		// Stored and read back; a change moves a record out of its campaign.
		if got, _ := db.Matter(bg, matters[0].ID); got.Campaign != c.ID {
			t.Errorf("matter's campaign %d", got.Campaign)
		}
		if got, _ := db.Activity(bg, a.ID); got.Campaign != c.ID {
			t.Errorf("activity's campaign %d", got.Campaign)
		}
		zero := int64(0)
		if got, err := f.points.Update(bg, maOfficerA, p.ID, p.Version, servicepoint.Patch{Campaign: &zero}); err != nil || got.Campaign != 0 {
			t.Fatalf("point out of campaign: %+v %v", got, err)
		}
		if got, _ := db.Point(bg, p.ID); got.Campaign != 0 {
			t.Errorf("point's campaign stored %d", got.Campaign)
		}
		if got, err := f.points.Update(bg, maOfficerA, p.ID, p.Version+1, servicepoint.Patch{Campaign: &c.ID}); err != nil || got.Campaign != c.ID {
			t.Fatalf("point into campaign: %+v %v", got, err)
		}

		// Lists filter by campaign.
		for _, tc := range []struct {
			name      string
			got, want int
		}{
			{"matters of c", listTotal(f.matters.List(bg, maLeader, matter.Filter{Campaign: c.ID})), 2},
			{"matters of other", listTotal(f.matters.List(bg, maLeader, matter.Filter{Campaign: other.ID})), 1},
			{"measures", listTotal(f.measures.List(bg, maLeader, measure.Filter{Campaign: c.ID})), 1},
			{"activities", listTotal(f.activities.List(bg, maLeader, volunteer.Filter{Campaign: c.ID})), 1},
			{"activities of other", listTotal(f.activities.List(bg, maLeader, volunteer.Filter{Campaign: other.ID})), 0},
			{"points", listTotal(f.points.List(bg, maLeader, servicepoint.Filter{Campaign: c.ID})), 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if tc.got != tc.want {
					t.Errorf("got %d, want %d", tc.got, tc.want)
				}
			})
		}

		// The summary of a campaign counts its records over its period.
		rep, err := f.campaigns.Summary(bg, maLeader, c.ID, reporting.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.From != c.From || rep.To != c.To || rep.Figure("matters", "done") != 2 || rep.Figure("matters", "outcome_cattle") != 3 ||
			rep.Figure("measures", "researched") != 1 || rep.Figure("volunteer_activities", "activities") != 1 ||
			rep.Figure("service_points", "active") != 1 {
			t.Errorf("campaign summary %+v", rep)
		}
		if _, err := f.campaigns.Summary(bg, maLeader, 999, reporting.Filter{}); !hasFieldError(err, "campaign") {
			t.Errorf("summary of an unknown campaign: %v", err)
		}
		prog, err := f.campaigns.Progress(bg, maOfficerB, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Station b's officer sees b's share: nothing.
		for _, tg := range prog.Targets {
			if tg.Actual != 0 || (tg.Met != (tg.Target == 0)) {
				t.Errorf("b's progress %+v", tg)
			}
		}
		prog, err = f.campaigns.Progress(bg, maLeader, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]campaign.Target{
			"matters.done":                    {Key: "matters.done", Target: 2, Actual: 2, Met: true, Percent: 100},
			"matters.outcome_cattle":          {Key: "matters.outcome_cattle", Target: 5, Actual: 3, Percent: 60},
			"measures.researched":             {Key: "measures.researched", Target: 1, Actual: 1, Met: true, Percent: 100},
			"service_points.active":           {Key: "service_points.active", Target: 1, Actual: 1, Met: true, Percent: 100},
			"volunteer_activities.activities": {Key: "volunteer_activities.activities", Target: 1, Actual: 1, Met: true, Percent: 100},
		}
		if len(prog.Targets) != len(want) {
			t.Fatalf("progress %+v", prog)
		}
		for _, tg := range prog.Targets {
			if tg != want[tg.Key] {
				t.Errorf("target %+v, want %+v", tg, want[tg.Key])
			}
		}
	})
}

func TestCampaignMeetingsDocumentsEdits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		f := newCaFixture(t, db)
		c, err := f.campaigns.Create(bg, maLeader, caNew())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.campaigns.Create(bg, maLeader, campaign.Campaign{Name: "x", From: "2021-01-01", To: "2021-02-01",
			Targets: map[string]int64{"matters.nonsense": 1}}); !hasFieldError(err, "targets.matters.nonsense") {
			t.Fatalf("unknown target: %v", err)
		}
		if _, err := f.campaigns.AddMeeting(bg, maLeader, c.ID, campaign.Meeting{Day: "2021-03-02", Kind: "party"}); !hasFieldError(err, "kind") || !hasFieldError(err, "attendees") {
			t.Fatalf("bad meeting: %v", err)
		}
		got, err := f.campaigns.AddMeeting(bg, maLeader, c.ID, campaign.Meeting{Day: "2021-03-02", Kind: campaign.KindMobilisation,
			Attendees: "局党委委员、各所队长", Minutes: "部署我为群众办实事"})
		if err != nil || len(got.Meetings) != 1 || got.Meetings[0].Kind != campaign.KindMobilisation || got.Meetings[0].ID == 0 {
			t.Fatalf("meeting added: %+v %v", got, err)
		}
		if _, err := f.campaigns.AddMeeting(bg, maOfficerA, c.ID, campaign.Meeting{Day: "2021-03-02", Kind: campaign.KindStudy, Attendees: "x"}); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("officer adds a meeting: %v", err)
		}

		pdf := []byte("%PDF-1.4\n1 0 obj\n")
		d, err := f.campaigns.AddDocument(bg, maLeader, c.ID, archive.Form{}, `C:\plans\实施方案.pdf`, pdf)
		if err != nil || d.ContentType != campaign.TypePDF || d.Name != "实施方案.pdf" || d.Size != int64(len(pdf)) || len(d.SHA256) != 64 {
			t.Fatalf("document %+v %v", d, err)
		}
		if _, err := f.campaigns.AddDocument(bg, maLeader, c.ID, archive.Form{}, "plan.pdf", []byte("MZ\x90\x00\x03")); !hasFieldError(err, "document") {
			t.Errorf("executable named pdf: %v", err)
		}
		rd, data, err := f.campaigns.Document(bg, maOfficerB, c.ID, d.ID)
		if err != nil || !bytes.Equal(data, pdf) || rd.SHA256 != d.SHA256 {
			t.Fatalf("read back %+v %q %v", rd, data, err)
		}
		if _, _, err := f.campaigns.Document(bg, maLeader, c.ID+1, d.ID); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("document of another campaign: %v", err)
		}

		// Edits: against a version, stale is a conflict, nothing changed
		// is no edit, a target already set stays editable.
		name := "我为群众办实事实践活动"
		e, err := f.campaigns.Edit(bg, maLeader, c.ID, campaign.Patch{Version: &c.Version, Name: &name})
		if err != nil || e.Version != 2 || e.Name != name || len(e.Meetings) != 1 || len(e.Documents) != 1 {
			t.Fatalf("edit %+v %v", e, err)
		}
		if _, err := f.campaigns.Edit(bg, maLeader, c.ID, campaign.Patch{Version: &c.Version, Name: &name}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale edit: %v", err)
		}
		if _, err := f.campaigns.Edit(bg, maLeader, c.ID, campaign.Patch{Name: &name}); !hasFieldError(err, "version") {
			t.Errorf("edit without version: %v", err)
		}
		if same, err := f.campaigns.Edit(bg, maLeader, c.ID, campaign.Patch{Version: &e.Version, Name: &name}); err != nil || same.Version != 2 {
			t.Errorf("edit changing nothing: %+v %v", same, err)
		}
		to := "2021-02-01"
		if _, err := f.campaigns.Edit(bg, maLeader, c.ID, campaign.Patch{Version: &e.Version, To: &to}); !hasFieldError(err, "to") {
			t.Errorf("to before from: %v", err)
		}

		page, err := f.campaigns.List(bg, maOfficerA, campaign.Filter{On: "2021-06-01"})
		if err != nil || *page.Total != 1 || page.Items[0].ID != c.ID {
			t.Fatalf("list on a day: %+v %v", page, err)
		}
		if page, _ := f.campaigns.List(bg, maOfficerA, campaign.Filter{On: "2022-06-01"}); *page.Total != 0 {
			t.Errorf("list on a day after: %+v", page)
		}
		if page, _ := f.campaigns.List(bg, maOfficerA, campaign.Filter{Filter: register.Filter{Query: "办实事"}}); *page.Total != 1 {
			t.Errorf("list by name: %+v", page)
		}
		for _, tc := range []struct {
			from, to string
			want     int
		}{{"2021-11-02", "", 1}, {"2021-11-03", "", 0}, {"", "2021-03-01", 1}, {"", "2021-02-28", 0}, {"2020-01-01", "2022-01-01", 1}} {
			if page, err := f.campaigns.List(bg, maOfficerA, campaign.Filter{From: tc.from, To: tc.to}); err != nil || *page.Total != tc.want {
				t.Errorf("from %s to %s: %+v %v, want %d", tc.from, tc.to, page, err, tc.want)
			}
		}
		if _, err := f.campaigns.List(bg, maOfficerA, campaign.Filter{From: "x"}); !hasFieldError(err, "from") {
			t.Errorf("bad from: %v", err)
		}

		counts, err := db.VerifyByRegister(bg)
		if err != nil {
			t.Fatal(err)
		}
		if counts[campaign.Register] != 4 { // created, meeting, document, edited
			t.Errorf("campaign events %v", counts)
		}
	})
}

// TestCampaignConcurrentEdits: two leaders change a campaign from the same
// version at once: one wins, the other is a conflict, and the log holds
// the one edit.
func TestCampaignConcurrentEdits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		f := newCaFixture(t, db)
		c, err := f.campaigns.Create(bg, maLeader, caNew())
		if err != nil {
			t.Fatal(err)
		}
		names := []string{"我为群众办实事实践活动", "我为群众办实事专项行动"}
		if wins := raceWrites(t, len(names), func(i int) error {
			v := 1
			_, err := f.campaigns.Edit(bg, maLeader, c.ID, campaign.Patch{Version: &v, Name: &names[i]})
			return err
		}); wins != 1 {
			t.Errorf("%d of two concurrent edits won, want one", wins)
		}
		if got, err := db.Campaign(bg, c.ID); err != nil || got.Version != 2 {
			t.Errorf("stored %+v %v", got, err)
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[campaign.Register] != 2 {
			t.Errorf("log %v %v", n, err)
		}
	})
}

// listTotal is the total of a list's page, -1 when the list failed.
func listTotal[T any](p register.Page[T], err error) int {
	if err != nil || p.Total == nil {
		return -1
	}
	return *p.Total
}
