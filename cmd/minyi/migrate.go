package main

import (
	"context"
	"fmt"
	"io"
)

// migrate creates or upgrades the schema and says which version it is at.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("migrate", getenv, stderr)
	if err := parse(fs, args, ""); err != nil {
		return err
	}
	db, err := open(ctx, cfg, mayCreate)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "schema is at version %d (%s)\n", db.SchemaVersion(), db.Dialect())
	return nil
}
