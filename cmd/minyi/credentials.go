package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"minyi"
	"minyi/org"
)

// What the token and apikey subcommands share: both manage credentials
// through the org service, acting as the command line's operator, and list
// and revoke them the same way.

// orgCall runs the body of a token or apikey subcommand: it parses args
// with fs (which holds the subcommand's own flags), refusing any left over
// with usage, opens the archive as mode says once rules pass, and hands act
// the org service and the operator.
func orgCall(ctx context.Context, fs *flag.FlagSet, cfg *config, args []string, usage string, mode archiveMode,
	act func(o *org.Service, op org.User) error, rules ...func() error) error {
	if err := parse(fs, args, usage); err != nil {
		return err
	}
	db, err := open(ctx, cfg, mode, rules...)
	if err != nil {
		return err
	}
	defer db.Close()
	return act(org.NewService(db), org.Operator("cli"))
}

// writeTable prints header and a row per item in aligned columns; fields
// are separated by tabs.
func writeTable[T any](w io.Writer, header string, items []T, row func(T) string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, it := range items {
		fmt.Fprintln(tw, row(it))
	}
	return tw.Flush()
}

// revoked reports how revoking what went (err): one that does not exist
// is the error missing, since the service's not-found names no id or name;
// a revoked one is said on stdout.
func revoked(stdout io.Writer, what string, err error, missing string) error {
	if err != nil {
		if minyi.ErrorCode(err) == minyi.ENotFound {
			return errors.New(missing)
		}
		return err
	}
	fmt.Fprintf(stdout, "%s revoked; its requests are refused from now on\n", what)
	return nil
}

// when shows an optional time, or "-".
func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.In(time.Local).Format("2006-01-02 15:04")
}
