package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"minyi/archive"
	"minyi/campaign"
	"minyi/demo"
	"minyi/internal/wire"
	"minyi/matter"
	"minyi/measure"
	"minyi/report"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/store"
	"minyi/volunteer"
)

// demoCmd loads the demo bureau; loadDemo refuses a database that holds data.
func demoCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("demo", getenv, stderr)
	if err := parse(fs, args, ""); err != nil {
		return err
	}
	db, err := open(ctx, cfg, mayCreate)
	if err != nil {
		return err
	}
	defer db.Close()
	return loadDemo(ctx, db, stdout)
}

// loadDemo loads the demo bureau into db and prints what it holds (its
// items and the ledgers' figures of its campaign) and its logins.
func loadDemo(ctx context.Context, db *store.DB, stdout io.Writer) error {
	svc, err := newService(ctx, db)
	if err != nil {
		return err
	}
	res, err := demo.Load(ctx, demo.Env{Store: db, Policy: svc.Policy()})
	if err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	fmt.Fprintf(stdout, "demo bureau loaded: %d items\n", res.Items)
	if err := printDemoLedgers(ctx, db, svc, stdout); err != nil {
		return err
	}
	if err := issueDemoReport(ctx, db, svc, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo logins (password for all: %s — demo only):\n", demo.Password)
	for _, l := range res.Logins {
		fmt.Fprintf(stdout, "  %-16s %-10s %-14s %s\n", l.Name, l.Role, l.Unit, l.DisplayName)
	}
	fmt.Fprintf(stdout, "admin API token: %s\n", res.AdminToken)
	fmt.Fprintf(stdout, "duty phone shown to citizens: %s (a made-up demo value in the settings; admins change it at /staff/admin/settings)\n", demo.DutyPhone)
	return nil
}

// issueDemoReport issues the demo bureau's summary of the source's year to
// its report's day, signed by its leader, so that serve --demo shows an
// issued report (and, once someone enters a record in that period, what
// changed since) without anyone issuing one first.
func issueDemoReport(ctx context.Context, db *store.DB, items *archive.Service, stdout io.Writer) error {
	leader, err := db.UserByName(ctx, "leader")
	if err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	spec := report.Spec{From: "2021-01-01", To: demo.AsOf.Format(time.DateOnly)}
	r, err := wire.Web(db, items, wire.Options{}).Issued.Issue(ctx, leader, spec, archive.Form{})
	if err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	fmt.Fprintf(stdout, "issued report %d: %s (%s to %s)\n", r.ID, r.Title, r.From, r.To)
	return nil
}

// printDemoLedgers prints the ledgers' figures of the demo's campaign as of
// the report's day, read back from the records through the ledger summary
// (the figures the API and the pages show), so that the printout proves the
// load rather than restating the seed's constants.
func printDemoLedgers(ctx context.Context, db *store.DB, items *archive.Service, stdout io.Writer) error {
	leader, err := db.UserByName(ctx, "leader")
	if err != nil {
		return fmt.Errorf("demo ledgers: %w", err)
	}
	asOf := demo.AsOf.Format(time.DateOnly)
	page, err := wire.Campaigns(db, items).List(ctx, leader, campaign.Filter{On: asOf})
	if err != nil {
		return fmt.Errorf("demo campaign: %w", err)
	}
	for _, c := range page.Items {
		r, err := wire.Reports(db, items).Summary(ctx, leader, reporting.Filter{Campaign: c.ID, From: c.From, To: asOf})
		if err != nil {
			return fmt.Errorf("demo ledgers: %w", err)
		}
		fmt.Fprintf(stdout, "campaign %q (%s to %s), its ledgers as of %s:\n", c.Name, c.From, c.To, asOf)
		fmt.Fprintf(stdout, "  matters done %d (led by a named officer %d), measures implemented %d, service points active %d\n",
			r.Figure(matter.Register, "done"), r.Figure(matter.Register, "led"),
			r.Figure(measure.Register, "implemented"), r.Figure(servicepoint.Register, "active"))
		fmt.Fprintf(stdout, "  volunteer activities %d (%d volunteer hours)\n",
			r.Figure(volunteer.Register, "activities"), r.Figure(volunteer.Register, "volunteer_hours"))
	}
	return nil
}
