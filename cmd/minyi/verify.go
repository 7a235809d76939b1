package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"minyi/store"
)

// verifyFlags declares the flags of `minyi verify`.
func verifyFlags(fs *flag.FlagSet) *string {
	return fs.String("backup", "", "a backup `FILE` (minyi backup --to FILE) to check instead of the archive: its integrity, then its event log")
}

// verifyCmd checks the archive's event log (every register's), or a backup file's: its
// integrity as a database first, then the log. Neither is created when
// missing: a wrong --data must not verify as an empty archive.
func verifyCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := flags("verify", getenv, stderr)
	backup := verifyFlags(fs)
	if err := parse(fs, args, ""); err != nil {
		return err
	}
	if *backup == "" && cfg.Database == "" {
		if fi, err := os.Stat(cfg.Data); err == nil && fi.Mode().IsRegular() {
			*backup = cfg.Data // --data naming a file: the file is the backup
		}
	}
	var db *store.DB
	var err error
	if *backup != "" {
		// A backup file is no archive to open: it is checked as it is.
		if err := cfg.validate(); err != nil {
			return err
		}
		db, err = store.OpenBackup(ctx, *backup)
	} else {
		db, err = open(ctx, cfg, mustExist)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	// The log of every register is one chain: a bad event names its
	// register and record (eventlog.ChainError).
	by, err := db.VerifyByRegister(ctx)
	var n int64
	var registers []string
	for _, r := range slices.Sorted(maps.Keys(by)) {
		n += by[r]
		registers = append(registers, fmt.Sprintf("%s %d", r, by[r]))
	}
	if err != nil {
		return fmt.Errorf("event log is NOT intact after %d good events: %w", n, err)
	}
	if *backup != "" {
		fmt.Fprintf(stdout, "backup %s: database integrity ok\n", *backup)
	}
	fmt.Fprintf(stdout, "event log intact: %d events", n)
	if len(registers) > 0 {
		fmt.Fprintf(stdout, " (%s)", strings.Join(registers, ", "))
	}
	fmt.Fprintln(stdout, ", hash chain verified")
	return nil
}
