package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/onestop"
	"minyi/org"
	"minyi/register"
	"minyi/store"
)

// Cases generates one-stop cases for benchmarks, of the services stored in
// the database (the demo's: load it first), each moved through its steps
// by the register's own rules (onestop.Decide and Apply): most are done,
// some cancelled, some still open at a step; a fifteenth handled by an
// officer for the applicant, a twentieth through the green channel.
type Cases struct {
	rng      *rand.Rand
	cal      *calendar.Calendar
	services []onestop.Definition
	staff    []string
	Start    time.Time // first day of the cases
	Days     int       // spread over this many days
}

// NewCases prepares a generator of cases over the active services and the
// staff stored in db.
func NewCases(ctx context.Context, db *store.DB, cal *calendar.Calendar, seed uint64) (*Cases, error) {
	active := true
	page, err := db.Services(ctx, onestop.DefinitionFilter{Filter: register.Filter{Limit: 100}, Active: &active})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 0 {
		return nil, fmt.Errorf("loadgen: the database has no one-stop service; load the demo bureau first")
	}
	users, err := db.Users(ctx)
	if err != nil {
		return nil, err
	}
	g := &Cases{rng: rand.New(rand.NewPCG(seed, seed^0x2545f4914f6cdd1d)), cal: cal, services: page.Items,
		Start: time.Date(2021, 1, 1, 0, 0, 0, 0, calendar.Zone), Days: 6 * 365}
	for _, u := range users {
		if u.Role == org.RoleOfficer || u.Role == org.RoleUnitHead {
			g.staff = append(g.staff, u.Name)
		}
	}
	slices.Sort(g.staff)
	if len(g.staff) == 0 {
		return nil, fmt.Errorf("loadgen: the database has no officers; load the demo bureau first")
	}
	return g, nil
}

func (g *Cases) due(start time.Time, days int) time.Time {
	return g.cal.Due(start, calendar.Limit{Amount: days, Unit: calendar.WorkingDays}).At
}

// Case returns one generated case in its state after the events of its
// lifecycle, with those events (their record is the store's to fill in).
func (g *Cases) Case() (onestop.Case, []eventlog.Event) {
	r := g.rng
	d := g.services[r.IntN(len(g.services))]
	created := g.Start.Add(time.Duration(r.Int64N(int64(g.Days)*24))*time.Hour + time.Duration(r.IntN(3600))*time.Second)
	c := onestop.Case{Service: d.ID, ServiceCode: d.Code, ServiceName: d.Name, Unit: d.Steps[0].Unit, Status: onestop.StatusOpen,
		Applicant: onestop.Applicant{Name: pick(r, places) + "群众", Phone: fmt.Sprintf("1390000%04d", r.IntN(10000))},
		OpenedOn:  archive.ChinaDay(created).Format(time.DateOnly), CreatedBy: "leader", CreatedAt: created, UpdatedAt: created}
	if r.IntN(15) == 0 {
		c.Proxy = pick(r, g.staff)
	}
	if r.IntN(20) == 0 {
		c.Green = onestop.Greens[r.IntN(len(onestop.Greens))]
	}
	c.Steps = make([]onestop.CaseStep, len(d.Steps))
	for i, st := range d.Steps {
		c.Steps[i] = onestop.CaseStep{Step: st, Received: []string{}}
	}
	c.Steps[0].Received = slices.Clone(d.Steps[0].Materials)
	c.Steps[0].StartedAt, c.Steps[0].DueAt = created, g.due(created, c.Steps[0].LimitDays)
	actor := register.Actor{Name: "leader", Role: org.RoleLeader}
	var events []eventlog.Event
	now := created
	act := func(after time.Duration, cmd onestop.Command) {
		now = now.Add(after)
		evs, err := onestop.Decide(c, cmd, actor, now, g.due)
		if err != nil {
			panic(fmt.Sprintf("loadgen: case %s: %v", cmd.Action, err)) // the generator's own commands
		}
		for _, e := range evs {
			c = onestop.Apply(c, e)
		}
		events = append(events, evs...)
	}
	outcome := r.IntN(100)
	// The steps done: all of them for most, some for those still open or
	// withdrawn on the way.
	steps, cancel := len(c.Steps), false
	switch {
	case outcome >= 90:
		steps = r.IntN(len(c.Steps))
	case outcome >= 85:
		steps, cancel = r.IntN(len(c.Steps)), true
	}
	for i := 0; i < steps; i++ {
		cmd := onestop.Command{Action: onestop.ActAdvance, Received: c.Current().Missing()}
		if c.Last() {
			cmd.Action = onestop.ActComplete
		}
		// Mostly within the step's limit, a tenth a few days late.
		after := time.Duration(1+r.IntN(20)) * time.Hour
		if r.IntN(10) == 0 {
			after += time.Duration(c.Current().LimitDays+2) * 24 * time.Hour
		}
		act(after, cmd)
	}
	if cancel {
		act(time.Hour, onestop.Command{Action: onestop.ActCancel, Reason: "申请人撤回"})
	}
	return c, events
}

// Generate stores n cases, batch to a transaction, calling progress after
// each batch with the cases stored.
func (g *Cases) Generate(ctx context.Context, db *store.DB, n, batch int, progress func(done int)) error {
	for done := 0; done < n; {
		size := min(batch, n-done)
		cs := make([]*onestop.Case, size)
		history := make([][]eventlog.Event, size)
		for i := range cs {
			c, evs := g.Case()
			cs[i], history[i] = &c, evs
		}
		if err := db.CreateCases(ctx, cs, history); err != nil {
			return err
		}
		done += size
		if progress != nil {
			progress(done)
		}
	}
	return nil
}
