package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// backupOptions are the flags of `minyi backup`.
type backupOptions struct{ to string }

func backupFlags(fs *flag.FlagSet) *backupOptions {
	o := &backupOptions{}
	fs.StringVar(&o.to, "to", "", "`FILE` to write the copy to (must not exist)")
	return o
}

// backupCmd writes a consistent copy of the SQLite archive, whole or not
// at all; PostgreSQL is backed up with its own tools.
func backupCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("backup", getenv, stderr)
	opt := backupFlags(fs)
	if err := parse(fs, args, ""); err != nil {
		return err
	}
	to := &opt.to
	if *to == "" {
		return usageErr("minyi backup --to FILE")
	}
	db, err := open(ctx, cfg, mustExist, func() error {
		if cfg.Database != "" {
			return usageErr("backup copies the embedded SQLite database; for PostgreSQL use pg_dump (see docs/OPERATIONS.md)")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *to)
	return nil
}
