package loadgen

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"minyi/calendar"
	"minyi/dispute"
	"minyi/dispute/kind"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
	"minyi/store"
)

// The disputes register's share of the benchmarks (issue 13: 100,000
// disputes; lists p95 ≤ 20 ms, a year's summary ≤ 50 ms).

var (
	disputeSummaries = []string{"两户牧民因草场网围栏边界发生争执", "邻里因房前道路通行问题发生口角", "夫妻因家庭琐事发生争吵",
		"牧户羊群进入邻家草场引发纠纷", "个体户之间因货款拖欠发生纠纷", "务工人员讨要拖欠工资", "走失牛只饲养费争议"}
	disputeKinds = kind.Codes(kind.Defaults)
)

// Dispute returns one generated dispute with the events of its lifecycle
// after its creation, produced by the register's own rules (dispute.Decide
// and Apply): most are mediated and resolved, most of those at village
// level, some referred or not resolved, a tenth still open.
func (g *Ledgers) Dispute() (dispute.Dispute, []eventlog.Event) {
	r := g.rng
	unit := pick(r, g.units)
	staff := g.staff[unit]
	created := g.Start.Add(time.Duration(r.Int64N(int64(g.Days)*24))*time.Hour + time.Duration(r.IntN(3600))*time.Second)
	place := pick(r, places)
	d := dispute.Dispute{FoundOn: created.In(calendar.Zone).Format(time.DateOnly), Kind: pick(r, disputeKinds), Township: place,
		Village: place + "嘎查", Risk: dispute.Risks[r.IntN(len(dispute.Risks))], Source: dispute.SourceVisit, Unit: unit,
		Branch: g.branch[unit], Summary: place + pick(r, disputeSummaries) + "，" + pick(r, fillers) + "。",
		Parties: []dispute.Party{{Name: "巴特尔", Phone: "139" + strconv.Itoa(10000000+r.IntN(89999999)), Role: dispute.PartyApplicant},
			{Name: "额尔敦", Role: dispute.PartyRespondent}},
		Status: dispute.StatusFound, DueDays: dispute.DefaultDueDays, CreatedBy: pick(r, staff), CreatedAt: created, UpdatedAt: created}
	d.DueAt = g.cal.Due(created, calendar.Limit{Amount: d.DueDays, Unit: calendar.WorkingDays}).At
	actor := register.Actor{Name: "leader", Role: org.RoleLeader}
	var events []eventlog.Event
	now := created
	step := func(after time.Duration, cmd dispute.Command) {
		now = now.Add(after)
		evs, err := dispute.Decide(d, cmd, actor, now)
		if err != nil {
			panic(fmt.Sprintf("loadgen: dispute %s: %v", cmd.Action, err)) // the generator's own commands
		}
		for _, e := range evs {
			d = dispute.Apply(d, e)
		}
		events = append(events, evs...)
	}
	outcome := r.IntN(100)
	if outcome < 10 {
		return d, events
	}
	step(time.Duration(1+r.IntN(72))*time.Hour, dispute.Command{Action: dispute.ActMediate,
		With: []dispute.Participant{dispute.WithPolice, dispute.WithVillage}, Notes: "民警" + pick(r, fillers)})
	switch {
	case outcome < 13:
		step(time.Duration(1+r.IntN(10))*24*time.Hour, dispute.Command{Action: dispute.ActRefer, To: dispute.ToCourt, Reason: "分歧较大"})
	case outcome < 15:
		step(time.Duration(1+r.IntN(10))*24*time.Hour, dispute.Command{Action: dispute.ActNotResolve, Reason: "一方拒绝调解"})
	case outcome < 20:
	default:
		level := dispute.LevelVillage
		if r.IntN(4) == 0 {
			level = dispute.LevelTownship
		}
		step(time.Duration(1+r.IntN(30))*24*time.Hour, dispute.Command{Action: dispute.ActResolve, Level: level, Agreement: "双方达成调解协议"})
		if r.IntN(2) == 0 {
			step(time.Duration(7+r.IntN(20))*24*time.Hour, dispute.Command{Action: dispute.ActFollowUp, Result: "协议已履行"})
		}
	}
	return d, events
}

// GenerateDisputes stores n disputes, batch to a transaction, calling
// progress after each batch with the disputes stored.
func (g *Ledgers) GenerateDisputes(ctx context.Context, db *store.DB, n, batch int, progress func(done int)) error {
	for done := 0; done < n; {
		size := min(batch, n-done)
		ds := make([]*dispute.Dispute, size)
		history := make([][]eventlog.Event, size)
		for i := range ds {
			d, evs := g.Dispute()
			ds[i], history[i] = &d, evs
		}
		if err := db.CreateDisputes(ctx, ds, history, nil); err != nil {
			return err
		}
		done += size
		if progress != nil {
			progress(done)
		}
	}
	return nil
}

// DisputeMix returns the disputes benchmark's requests for a year: the
// list with each filter the API offers (each unit, a month, words in
// either script, the overdue ones), and the ledger summary of the year for
// the bureau and for each unit, with the /healthz floor between them as in
// LedgerMix.
func DisputeMix(units []string, year int) []Query {
	var qs []Query
	add := func(class, path string) {
		qs = append(qs, Query{class, path})
		if len(qs)%4 == 3 {
			qs = append(qs, Query{"floor", "/healthz"})
		}
	}
	y := fmt.Sprint(year)
	add("list", "/api/v1/disputes?limit=20")
	add("list", "/api/v1/disputes?status=resolved&limit=20")
	add("list", "/api/v1/disputes?status=mediating&limit=20")
	add("list", "/api/v1/disputes?overdue=true&limit=20")
	add("list", "/api/v1/disputes?kind=land&risk=high&limit=20")
	add("list", "/api/v1/disputes?from="+y+"-03-01&to="+y+"-03-31&limit=20")
	add("list", "/api/v1/disputes?q="+urlQuery("草场")+"&limit=20")
	add("list", "/api/v1/disputes?q="+urlQuery("工資")+"&limit=20")
	for _, u := range units {
		add("list", "/api/v1/disputes?unit="+u+"&limit=20")
		add("list", "/api/v1/disputes?unit="+u+"&status=resolved&from="+y+"-01-01&to="+y+"-12-31&limit=20")
		add("summary", "/api/v1/ledgers/summary?from="+y+"-01-01&to="+y+"-12-31&unit="+u)
	}
	for range 4 {
		add("summary", "/api/v1/ledgers/summary?from="+y+"-01-01&to="+y+"-12-31")
	}
	return qs
}
