package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/matter"
	"minyi/org"
	"minyi/register"
	"minyi/store"
	"minyi/volunteer"
)

// Ledgers generates the campaign ledgers of an installation for benchmarks:
// practical matters, whose lifecycles are produced by the register's own
// rules (matter.Decide and Apply), and volunteer activities, over the
// units, party branches and staff stored in the database, spread over the
// same years as the items.
type Ledgers struct {
	rng      *rand.Rand
	cal      *calendar.Calendar
	units    []string
	branch   map[string]string   // unit → its party branch, if any
	staff    map[string][]string // unit → its staff's names
	Start    time.Time           // first day of the records
	Days     int                 // spread over this many days
	keys     []string
	outcomes []string
}

// NewLedgers prepares a generator of ledgers over the units, branches and
// staff stored in db.
func NewLedgers(ctx context.Context, db *store.DB, cal *calendar.Calendar, seed uint64) (*Ledgers, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	branches, err := db.Branches(ctx)
	if err != nil {
		return nil, err
	}
	users, err := db.Users(ctx)
	if err != nil {
		return nil, err
	}
	g := &Ledgers{rng: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)), cal: cal, branch: map[string]string{},
		staff: map[string][]string{}, Start: time.Date(2021, 1, 1, 0, 0, 0, 0, calendar.Zone), Days: 6 * 365,
		keys: matter.DefaultOutcomeKeys, outcomes: []string{"households", "people", "students", "cattle", "sheep"}}
	for _, b := range branches {
		g.branch[b.UnitCode] = b.Code
	}
	for _, u := range users {
		if u.Role == org.RoleUnitHead || u.Role == org.RoleOfficer || u.Role == org.RoleAuxiliary {
			g.staff[u.UnitCode] = append(g.staff[u.UnitCode], u.Name)
		}
	}
	for _, u := range units {
		if len(g.staff[u.Code]) > 0 {
			g.units = append(g.units, u.Code)
		}
	}
	if len(g.units) == 0 {
		return nil, fmt.Errorf("loadgen: the database has no units with staff; load the demo bureau first")
	}
	return g, nil
}

var (
	matterTitles = []string{"帮助独居老人补办身份证", "为牧民上门补办户口簿", "协助群众寻回走失牲畜", "帮助农户抢收秋粮", "为务工人员追讨欠薪",
		"上门采集身份证信息", "代办户口迁移", "协调解决草场边界纠纷", "学校周边道路增设减速带", "化解邻里矛盾纠纷",
		"整治货车超载超速", "电信诈骗追赃挽损", "为困难学生申请助学金", "校园护学岗", "帮助走失老人平安返家"}
	activityTitles = []string{"“在职党员进社区”志愿服务", "校园护学岗", "反电信诈骗宣传进社区", "看望慰问孤寡老人", "交通安全宣传进校园",
		"禁毒宣传进嘎查", "牧区流动办证服务", "防溺水安全巡查"}
	matterClasses = []archive.Class{archive.ClassUrgent, archive.ClassHard, archive.ClassWorrying, archive.ClassHopeful}
)

// Matter returns one generated matter with the events of its lifecycle
// after its creation: most are done, some in progress, a few planned or
// dropped.
func (g *Ledgers) Matter() (matter.Matter, []eventlog.Event) {
	r := g.rng
	unit := pick(r, g.units)
	staff := g.staff[unit]
	created := g.Start.Add(time.Duration(r.Int64N(int64(g.Days)*24))*time.Hour + time.Duration(r.IntN(3600))*time.Second)
	class := pick(r, matterClasses)
	place := pick(r, places)
	m := matter.Matter{Title: place + pick(r, matterTitles), Description: place + "群众反映，" + pick(r, fillers) + "。",
		Unit: unit, Branch: g.branch[unit], Class: class, Participants: []string{},
		Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryVillage, Name: place + "群众", Place: place},
		Status:      matter.StatusPlanned, OpenedOn: archive.ChinaDay(created).Format(time.DateOnly), DueDays: 3 + r.IntN(20),
		Published: r.IntN(5) == 0, CreatedBy: pick(r, staff), CreatedAt: created, UpdatedAt: created}
	if r.IntN(10) < 7 {
		m.Lead = pick(r, staff)
	}
	if len(staff) > 1 && r.IntN(2) == 0 {
		m.Participants = []string{pick(r, staff)}
	}
	m.DueAt = g.cal.Due(created, calendar.Limit{Amount: m.DueDays, Unit: calendar.WorkingDays}).At
	actor := register.Actor{Name: "leader", Role: org.RoleLeader}
	var events []eventlog.Event
	now := created
	step := func(after time.Duration, cmd matter.Command) {
		now = now.Add(after)
		evs, err := matter.Decide(m, cmd, actor, now, g.keys)
		if err != nil {
			panic(fmt.Sprintf("loadgen: matter %s: %v", cmd.Action, err)) // the generator's own commands
		}
		for _, e := range evs {
			m = matter.Apply(m, e)
		}
		events = append(events, evs...)
	}
	switch outcome := r.IntN(100); {
	case outcome < 3:
		step(time.Duration(1+r.IntN(48))*time.Hour, matter.Command{Action: matter.ActDrop, Reason: "群众已自行解决"})
	case outcome < 6:
	default:
		step(time.Duration(1+r.IntN(8))*time.Hour, matter.Command{Action: matter.ActStart})
		if outcome < 15 {
			break
		}
		// Done within its due time mostly, a fifth late.
		days := r.IntN(m.DueDays + 1)
		if r.IntN(5) == 0 {
			days = m.DueDays + 1 + r.IntN(15)
		}
		outcomes := map[string]int64{}
		if r.IntN(2) == 0 {
			outcomes[pick(r, g.outcomes)] = int64(1 + r.IntN(50))
		}
		step(time.Duration(days)*24*time.Hour+time.Hour, matter.Command{Action: matter.ActComplete,
			Story: "民警" + pick(r, fillers) + "，问题已解决，群众表示满意。", Outcomes: outcomes})
	}
	return m, events
}

// Activity returns one generated volunteer activity.
func (g *Ledgers) Activity() volunteer.Activity {
	r := g.rng
	unit := pick(r, g.units)
	staff := g.staff[unit]
	day := g.Start.AddDate(0, 0, r.IntN(g.Days))
	recorded := day.Add(time.Duration(24+r.IntN(72)) * time.Hour)
	place := pick(r, places)
	a := volunteer.Activity{Date: day.Format(time.DateOnly), Title: pick(r, activityTitles), Unit: unit, Branch: g.branch[unit],
		Participants: []string{pick(r, staff)}, Volunteers: 2 + r.IntN(12), Hours: float64(2+r.IntN(7)) / 2, Served: 10 + r.IntN(190),
		Township: place, Place: place + "党群服务中心", Description: place + "：" + pick(r, fillers) + "。",
		CreatedBy: pick(r, staff), CreatedAt: recorded, UpdatedAt: recorded}
	return a
}

// Generate stores n matters and m volunteer activities, batch to a
// transaction, calling progress after each batch with the records stored.
func (g *Ledgers) Generate(ctx context.Context, db *store.DB, n, m, batch int, progress func(matters, activities int)) error {
	for done := 0; done < n; {
		size := min(batch, n-done)
		ms := make([]*matter.Matter, size)
		history := make([][]eventlog.Event, size)
		for i := range ms {
			mt, evs := g.Matter()
			ms[i], history[i] = &mt, evs
		}
		if err := db.CreateMatters(ctx, ms, history, nil); err != nil {
			return err
		}
		done += size
		if progress != nil {
			progress(done, 0)
		}
	}
	for done := 0; done < m; {
		size := min(batch, m-done)
		as := make([]*volunteer.Activity, size)
		for i := range as {
			a := g.Activity()
			as[i] = &a
		}
		if err := db.CreateActivities(ctx, as, nil); err != nil {
			return err
		}
		done += size
		if progress != nil {
			progress(n, done)
		}
	}
	return nil
}

// LedgerMix returns the ledger benchmark's requests for a year: lists and
// filters of the practical matters and volunteer activities (each filter
// the API offers, each unit and branch, a month, words in either script)
// and of the measures and service points; the ledger summary of the year
// for the bureau and for each unit; and the branch ranking of the year.
// Between them goes the baseline, class floor: GET /healthz, the round trip
// every request pays on the same server, client and machine, so that a
// noisy machine's figures can be quoted as ratios to it.
func LedgerMix(units, branches, leads []string, year int) []Query {
	var qs []Query
	add := func(class, path string) {
		qs = append(qs, Query{class, path})
		if len(qs)%4 == 3 {
			qs = append(qs, Query{"floor", "/healthz"})
		}
	}
	y := fmt.Sprint(year)
	add("list", "/api/v1/matters?limit=20")
	add("list", "/api/v1/matters?status=done&limit=20")
	add("list", "/api/v1/matters?status=in_progress&limit=20")
	add("list", "/api/v1/matters?class=urgent&limit=20")
	add("list", "/api/v1/matters?from="+y+"-03-01&to="+y+"-03-31&limit=20")
	add("list", "/api/v1/matters?q="+urlQuery("纠纷")+"&limit=20")
	add("list", "/api/v1/matters?q="+urlQuery("戶口")+"&limit=20")
	add("list", "/api/v1/volunteer-activities?limit=20")
	add("list", "/api/v1/volunteer-activities?from="+y+"-06-01&to="+y+"-06-30&limit=20")
	add("list", "/api/v1/volunteer-activities?q="+urlQuery("护学")+"&limit=20")
	add("list", "/api/v1/measures?limit=20")
	add("list", "/api/v1/service-points?limit=20")
	for _, u := range units {
		add("list", "/api/v1/matters?unit="+u+"&limit=20")
		add("list", "/api/v1/matters?unit="+u+"&status=done&from="+y+"-01-01&to="+y+"-12-31&limit=20")
		add("list", "/api/v1/volunteer-activities?unit="+u+"&limit=20")
		add("summary", "/api/v1/ledgers/summary?from="+y+"-01-01&to="+y+"-12-31&unit="+u)
	}
	for _, b := range branches {
		add("list", "/api/v1/matters?branch="+b+"&limit=20")
		add("list", "/api/v1/volunteer-activities?branch="+b+"&limit=20")
	}
	for _, l := range leads {
		add("list", "/api/v1/matters?lead="+l+"&limit=20")
	}
	for range 4 {
		add("summary", "/api/v1/ledgers/summary?from="+y+"-01-01&to="+y+"-12-31")
	}
	for range 8 {
		add("ranking", "/api/v1/branches/ranking?from="+y+"-01-01&to="+y+"-12-31")
	}
	return qs
}
