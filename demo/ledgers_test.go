package demo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/demo"
	"minyi/dispute"
	"minyi/internal/testdb"
	"minyi/internal/wire"
	"minyi/matter"
	"minyi/measure"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/store"
	"minyi/volunteer"
	"minyi/web"
)

// The campaign's period as the report gives it: the figures are those of
// 2021 up to the report's day.
const (
	campaignFrom = "2021-01-01"
	campaignTo   = "2021-11-02"
)

// TestLedgers loads the demo on each database and reads the seed's figures
// of the campaign back from the records: through the services, and
// through GET /api/v1/ledgers/summary and /api/v1/branches/ranking.
func TestLedgers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
		res, err := demo.Load(ctx, demo.Env{Store: db, Policy: items.Policy()})
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		leader, err := db.UserByName(ctx, "leader")
		if err != nil {
			t.Fatal(err)
		}
		matters := &matter.Service{Store: db, Items: items}

		t.Run("summary", func(t *testing.T) {
			r, err := wire.Reports(db, items).Summary(ctx, leader, reporting.Filter{From: campaignFrom, To: campaignTo})
			if err != nil {
				t.Fatal(err)
			}
			checkSeedFigures(t, r.Registers)
			checkDisputeFigures(t, r.Registers)
		})

		t.Run("summary through the API", func(t *testing.T) {
			var got struct {
				Figures map[string]reporting.Figures `json:"figures"`
			}
			apiGet(t, db, items, res.AdminToken, "/api/v1/ledgers/summary?from="+campaignFrom+"&to="+campaignTo, &got)
			checkSeedFigures(t, got.Figures)
			checkDisputeFigures(t, got.Figures)
		})

		t.Run("the ledgers' workbook", func(t *testing.T) { checkWorkbook(t, db, items, res.AdminToken) })
		t.Run("one-stop cases", func(t *testing.T) { checkOneStop(t, db, items, leader) })
		t.Run("bookings", func(t *testing.T) { checkBookings(t, db, items, leader) })

		t.Run("the campaign", func(t *testing.T) {
			campaigns := wire.Campaigns(db, items)
			page, err := campaigns.List(ctx, leader, campaign.Filter{On: "2021-11-02"})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 1 || page.Items[0].Name != demo.CampaignName {
				t.Fatalf("campaigns on the report's day %+v", page.Items)
			}
			c, err := campaigns.Get(ctx, leader, page.Items[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[campaign.Kind]int{}
			for _, m := range c.Meetings {
				kinds[m.Kind]++
			}
			for _, k := range campaign.Kinds {
				if kinds[k] == 0 {
					t.Errorf("no %s meeting among %+v", k.Label(), c.Meetings)
				}
			}
			// Every record of the ledgers belongs to it: its summary over
			// the report's period holds the seed's figures.
			var got struct {
				Figures map[string]reporting.Figures `json:"figures"`
			}
			apiGet(t, db, items, res.AdminToken, fmt.Sprintf("/api/v1/ledgers/summary?campaign=%d&from=%s&to=%s", c.ID, campaignFrom, campaignTo), &got)
			checkSeedFigures(t, got.Figures)
			p, err := campaigns.Progress(ctx, leader, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Targets) < 4 {
				t.Errorf("targets %+v", p.Targets)
			}
			for _, tg := range p.Targets {
				if !tg.Met {
					t.Errorf("target %s: %d of %d, not met", tg.Key, tg.Actual, tg.Target)
				}
			}
		})

		t.Run("disputes found through items and in the campaign", func(t *testing.T) {
			disputes := &dispute.Service{Store: db, Items: items, Settings: db}
			var all []dispute.Dispute
			f := dispute.Filter{Filter: register.Filter{Limit: 100}}
			for {
				page, err := disputes.List(ctx, leader, f)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, page.Items...)
				if page.NextCursor == "" {
					break
				}
				f.Cursor = page.NextCursor
			}
			if len(all) != demo.DisputesFound {
				t.Fatalf("%d disputes listed, want %d", len(all), demo.DisputesFound)
			}
			campaigns := wire.Campaigns(db, items)
			cp, err := campaigns.List(ctx, leader, campaign.Filter{Filter: register.Filter{Query: demo.CampaignName}})
			if err != nil || len(cp.Items) != 1 {
				t.Fatalf("the campaign: %+v %v", cp.Items, err)
			}
			linked := map[string]bool{}
			for _, d := range all {
				// Found from the campaign's first day on: the campaign's.
				if in := d.FoundOn >= demo.CampaignStart.Format(time.DateOnly); in != (d.Campaign == cp.Items[0].ID) {
					t.Errorf("dispute %d found %s: campaign %d", d.ID, d.FoundOn, d.Campaign)
				}
				if d.Source != dispute.SourceItem {
					continue
				}
				v, err := items.Get(ctx, leader, d.Item)
				it := v.Item
				if err != nil {
					t.Errorf("dispute %d: item %s: %v", d.ID, d.Item, err)
					continue
				}
				if it.CategoryCode != "dispute" || it.UnitCode != d.Unit || it.Title != d.Summary || linked[d.Item] ||
					archive.ChinaDay(it.ReceivedAt).Format(time.DateOnly) > d.FoundOn {
					t.Errorf("dispute %d (%s, %s, found %s) linked to item %s (%s, %s, %s, received %s), or twice",
						d.ID, d.Unit, d.Summary, d.FoundOn, it.Number, it.CategoryCode, it.UnitCode, it.Title, it.ReceivedAt)
				}
				linked[d.Item] = true
			}
			if len(linked) < 3 {
				t.Errorf("%d disputes found through items, want a few", len(linked))
			}
		})

		t.Run("branch comparison has a clear winner", func(t *testing.T) {
			var got struct {
				Branches []reporting.BranchRow `json:"branches"`
			}
			apiGet(t, db, items, res.AdminToken, "/api/v1/branches/ranking?from="+campaignFrom+"&to="+campaignTo, &got)
			done := reporting.FigureKey{Register: matter.Register, Key: "done"}
			if len(got.Branches) < 2 {
				t.Fatalf("ranking %+v", got.Branches)
			}
			first, second := got.Branches[0], got.Branches[1]
			if first.Branch != demo.WinningBranch || first.Rank != 1 {
				t.Errorf("first branch %s (rank %d), want %s", first.Branch, first.Rank, demo.WinningBranch)
			}
			// Clearly ahead: at least half as many matters again as the next.
			if a, b := first.Figure(done), second.Figure(done); 2*a < 3*b {
				t.Errorf("%s did %d matters, %s %d: no clear winner", first.Branch, a, second.Branch, b)
			}
			var sum int64
			for _, b := range got.Branches {
				sum += b.Figure(done)
			}
			// The offices and the centre have no branch of their own.
			if sum >= demo.MattersDone || sum < demo.MattersDone-30 {
				t.Errorf("branches did %d of the %d matters", sum, demo.MattersDone)
			}
		})

		t.Run("the four stories", func(t *testing.T) {
			for _, tt := range []struct {
				q, unit, done string
				class         archive.Class
				outcomes      map[string]int64
			}{
				{"玉米", "mengxi-station", "2021-10-22", archive.ClassUrgent, map[string]int64{"households": 1}},
				{"牲畜盗窃案", "criminal-team", "2021-09-13", archive.ClassWorrying, map[string]int64{"cattle": 5, "sheep": 53}},
				{"寻亲团聚", "wulan-station", "2021-10-23", archive.ClassHopeful, map[string]int64{"people": 1}},
				{"助学金", "wulan-station", "2021-09-10", archive.ClassHopeful, map[string]int64{"students": 1}},
			} {
				t.Run(tt.q, func(t *testing.T) {
					page, err := matters.List(ctx, leader, matter.Filter{Filter: register.Filter{Query: tt.q, Limit: 100}, Unit: tt.unit, Status: matter.StatusDone})
					if err != nil {
						t.Fatal(err)
					}
					var m *matter.Matter
					for i := range page.Items {
						if page.Items[i].Published && page.Items[i].DoneOn == tt.done {
							m = &page.Items[i]
						}
					}
					if m == nil {
						t.Fatalf("no published matter %q of %s done on %s among %d", tt.q, tt.unit, tt.done, len(page.Items))
					}
					if m.Class != tt.class || m.Lead == "" || m.Story == "" || len(m.Progress) > 2 {
						t.Errorf("matter %+v", *m)
					}
					for k, v := range tt.outcomes {
						if m.Outcomes[k] != v {
							t.Errorf("outcome %s = %d, want %d (%v)", k, m.Outcomes[k], v, m.Outcomes)
						}
					}
				})
			}
		})

		t.Run("opinions answered by matters", func(t *testing.T) {
			all := allMatters(t, matters, leader, matter.Filter{})
			collected := map[string]bool{}
			for _, ch := range demo.CollectionChannels {
				page, err := db.FindItems(ctx, archive.Filter{Channel: ch, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range page.Items {
					collected[it.Number] = true
				}
			}
			answering, published, consent := 0, 0, 0
			for _, m := range all {
				for _, n := range m.Items {
					if !collected[n] {
						t.Errorf("matter %d answers %s, not one of the 60 opinions", m.ID, n)
					}
				}
				if len(m.Items) > 0 && m.Status == matter.StatusDone {
					answering++
				}
				if m.Published {
					published++
					if m.BeneficiaryConsent {
						consent++
					}
				}
			}
			if answering != demo.MattersAnsweringOpinions {
				t.Errorf("%d done matters answer opinions, want %d", answering, demo.MattersAnsweringOpinions)
			}
			if published < 20 || consent == 0 || consent == published {
				t.Errorf("%d published, %d of them with consent: want some of each", published, consent)
			}
			statuses := map[matter.Status]int{}
			for _, m := range all {
				statuses[m.Status]++
			}
			if statuses[matter.StatusDone] != demo.MattersDone || statuses[matter.StatusInProgress] == 0 ||
				statuses[matter.StatusPlanned] == 0 || statuses[matter.StatusDropped] == 0 {
				t.Errorf("matters by status %v", statuses)
			}
		})

		t.Run("service points serve off-peak and extended hours", func(t *testing.T) {
			page, err := (&servicepoint.Service{Store: db}).List(ctx, leader, servicepoint.Filter{Filter: register.Filter{Limit: 100}})
			if err != nil {
				t.Fatal(err)
			}
			towns := map[string]bool{}
			offPeak, extended := 0, 0
			for _, p := range page.Items {
				towns[p.Township] = true
				if p.OffPeak {
					offPeak++
				}
				if p.Extended {
					extended++
				}
				if p.Status != servicepoint.StatusActive || p.Lat == nil || len(p.Services) == 0 || p.OpeningHours == "" {
					t.Errorf("point %+v", p)
				}
			}
			if len(page.Items) != demo.ServicePoints || len(towns) != 6 || offPeak == 0 || extended == 0 {
				t.Errorf("%d points in %d townships, %d off-peak, %d extended", len(page.Items), len(towns), offPeak, extended)
			}
		})

		t.Run("measures answer opinions", func(t *testing.T) {
			page, err := (&measure.Service{Store: db}).List(ctx, leader, measure.Filter{Filter: register.Filter{Limit: 100}})
			if err != nil {
				t.Fatal(err)
			}
			prompted := 0
			for _, m := range page.Items {
				if len(m.Items) > 0 {
					prompted++
				}
			}
			if prompted == 0 || *page.Total != demo.MeasuresImplemented+3 {
				t.Errorf("%d measures, %d prompted by opinions", *page.Total, prompted)
			}
		})

		t.Run("one log", func(t *testing.T) {
			by, err := db.VerifyByRegister(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// Every done matter was created, started and completed; a point
			// whose slots were set has that event too.
			if by[matter.Register] < 3*demo.MattersDone || by[volunteer.Register] != demo.VolunteerActivities ||
				by[servicepoint.Register] != int64(demo.ServicePoints+demo.SlotSchedules) || by[measure.Register] != 2*demo.MeasuresImplemented+3+1 {
				t.Errorf("events by register %v", by)
			}
		})
	})
}

// checkSeedFigures asserts the seed's figures in the ledger summary.
func checkSeedFigures(t *testing.T, figs map[string]reporting.Figures) {
	t.Helper()
	for _, f := range []struct {
		register, key string
		want          int64
	}{
		{matter.Register, "done", demo.MattersDone},
		{matter.Register, "led", demo.MattersLed},
		{matter.Register, "outcome_cattle", 5},
		{matter.Register, "outcome_sheep", 53},
		{measure.Register, "implemented", demo.MeasuresImplemented},
		{servicepoint.Register, "active", demo.ServicePoints},
		{volunteer.Register, "activities", demo.VolunteerActivities},
	} {
		if got := figs[f.register][f.key]; got != f.want {
			t.Errorf("%s.%s = %d, want %d", f.register, f.key, got, f.want)
		}
	}
	if on, done := figs[matter.Register]["on_time"], figs[matter.Register]["done"]; on < done*3/4 || on == done {
		t.Errorf("%d of %d matters on time: want most, not all", on, done)
	}
	if figs[volunteer.Register]["volunteer_hours"] == 0 || figs[volunteer.Register]["served"] == 0 {
		t.Errorf("volunteer figures %v", figs[volunteer.Register])
	}
}

// checkDisputeFigures checks the seed's disputes of January to October
// 2021 (累计排查矛盾纠纷数173起，已化解矛盾纠纷156起) in the ledger summary:
// counted from the records, most resolved at village level (小事不出村).
func checkDisputeFigures(t *testing.T, figs map[string]reporting.Figures) {
	t.Helper()
	got := figs[dispute.Register]
	open := int64(demo.DisputesFound - demo.DisputesResolved - demo.DisputesReferred - demo.DisputesUnresolved)
	for _, f := range []struct {
		key  string
		want int64
	}{
		{"found", demo.DisputesFound}, {"resolved", demo.DisputesResolved}, {"referred", demo.DisputesReferred},
		{"unresolved", demo.DisputesUnresolved}, {"open", open},
	} {
		if got[f.key] != f.want {
			t.Errorf("disputes.%s = %d, want %d", f.key, got[f.key], f.want)
		}
	}
	if v := got["resolved_village"]; v*2 < got["resolved"] || v == got["resolved"] || got["village_share"] != (v*1000+got["resolved"]/2)/got["resolved"] {
		t.Errorf("disputes resolved at village level: %d of %d (%d‰): want most, not all", v, got["resolved"], got["village_share"])
	}
}

// apiGet asks the API of a server over db with the token and decodes the
// answer into v.
func apiGet(t *testing.T, db *store.DB, items *archive.Service, token, path string, v any) {
	t.Helper()
	srv, err := web.New(wire.Web(db, items, wire.Options{}), web.Config{AgencyName: "鄂托克旗公安局", Dialect: db.Dialect()},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %s", path, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

// allMatters returns every matter u may see that f selects.
func allMatters(t *testing.T, s *matter.Service, u org.User, f matter.Filter) []matter.Matter {
	t.Helper()
	f.Limit = 100
	var out []matter.Matter
	for {
		page, err := s.List(context.Background(), u, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		f.Cursor = page.NextCursor
	}
}
