package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/store"
)

// run is the whole program; main only supplies the outside world.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		writeHelp(stderr, getenv)
		return usageErr("a subcommand is required")
	}
	cmd, rest := args[0], args[1:]
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		writeHelp(stdout, getenv)
		return nil
	}
	for _, c := range commands {
		if c.run != nil && strings.Fields(c.name)[0] == cmd {
			return c.run(ctx, rest, getenv, stdout, stderr)
		}
	}
	writeHelp(stderr, getenv)
	return usageErr("unknown subcommand %q", cmd)
}

// version prints the version.
func version(_ context.Context, _ []string, _ func(string) string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "minyi", minyi.Version)
	return nil
}

// archiveMode says what a subcommand does when the archive is not there.
type archiveMode int

const (
	// mayCreate creates (and migrates) a missing archive: serve, migrate,
	// demo, user add and apikey create may be the first step on a new
	// installation.
	mayCreate archiveMode = iota
	// mustExist refuses a missing archive: the commands that read it, or
	// change what is in it, must fail on a wrong --data instead of working
	// on an empty new one.
	mustExist
)

// parse parses args into fs. Given the command's usage, it refuses
// arguments left over, with that usage; without one it leaves them.
func parse(fs *flag.FlagSet, args []string, usage string) error {
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if usage != "" && fs.NArg() > 0 {
		return usageErr("unexpected %q\n%s", fs.Arg(0), usage)
	}
	return nil
}

// open is how every subcommand opens the database: it checks the settings,
// then the command's own rules (which may need valid settings), and only
// then opens the database, as mode says.
func open(ctx context.Context, cfg *config, mode archiveMode, rules ...func() error) (*store.DB, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	for _, rule := range rules {
		if err := rule(); err != nil {
			return nil, err
		}
	}
	if mode == mustExist {
		return store.OpenExisting(ctx, cfg.dbURL())
	}
	return store.Open(ctx, cfg.dbURL())
}

// newService builds the archive service with the calendar the installation
// keeps (or the embedded default).
func newService(ctx context.Context, db *store.DB) (*archive.Service, error) {
	cal, err := archive.LoadCalendar(ctx, db)
	if err != nil {
		return nil, err
	}
	return archive.NewService(db, archive.Policy{Calendar: cal}), nil
}
