package main

import (
	"context"
	"fmt"
	"io"

	"minyi/demo"
	"minyi/store"
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

// loadDemo loads the demo bureau into db and prints its logins.
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
	fmt.Fprintf(stdout, "demo logins (password for all: %s — demo only):\n", demo.Password)
	for _, l := range res.Logins {
		fmt.Fprintf(stdout, "  %-16s %-10s %-14s %s\n", l.Name, l.Role, l.Unit, l.DisplayName)
	}
	fmt.Fprintf(stdout, "admin API token: %s\n", res.AdminToken)
	fmt.Fprintf(stdout, "duty phone shown to citizens: %s (a made-up demo value in the settings; admins change it at /staff/admin/settings)\n", demo.DutyPhone)
	return nil
}
