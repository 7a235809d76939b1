package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command describes a subcommand for `minyi help` and for run: how it is called, what
// it does and the flags of its own. The help text is generated from these
// flag sets, so a flag cannot exist without being listed.
type command struct {
	name     string // the words that call it, also its flag set's name: "user add"
	synopsis string // its arguments, e.g. "NAME --role ROLE"
	summary  string
	own      func(fs *flag.FlagSet) // declares its own flags; nil: only the common ones
	// run runs it, given the arguments after its first word: the entries
	// that share a first word (token create, list, revoke) share it too.
	run func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error
}

// commands lists every subcommand, in the order help shows them; run
// dispatches from it, so none runs without its entry here.
var commands = []command{
	{name: "serve", summary: "run the server (web pages, JSON API, Open311, outbox)", run: serve},
	{name: "migrate", summary: "create or upgrade the database schema", run: migrate},
	{name: "demo", summary: "load the demo bureau into an empty database", run: demoCmd},
	{name: "user add", synopsis: "NAME --role ROLE", summary: "add a staff account; prints its initial password",
		own: func(fs *flag.FlagSet) { userAddFlags(fs) }, run: userCmd},
	{name: "token create", synopsis: "NAME", summary: "print a new API bearer token for user NAME, shown once; it works on the JSON API until it expires",
		own: func(fs *flag.FlagSet) { tokenCreateFlags(fs) }, run: tokenCmd},
	{name: "token list", synopsis: "NAME", summary: "user NAME's tokens: id, label, created, expires, last used, revoked (never the token)", run: tokenCmd},
	{name: "token revoke", synopsis: "ID", summary: "revoke the token with that id at once", run: tokenCmd},
	{name: "apikey create", synopsis: "NAME", summary: "print a new API key for an outside system (Open311 client), shown once",
		own: func(fs *flag.FlagSet) { apiKeyCreateFlags(fs) }, run: apiKeyCmd},
	{name: "apikey list", summary: "the clients' keys: prefix, rate per minute, created, last used, revoked", run: apiKeyCmd},
	{name: "apikey revoke", synopsis: "NAME", summary: "revoke a client's key at once", run: apiKeyCmd},
	{name: "verify", summary: "check the hash chain of every register's events (exit 1 naming the register, record and seq of the first bad event); refuses a missing archive",
		own: func(fs *flag.FlagSet) { verifyFlags(fs) }, run: verifyCmd},
	{name: "backup", synopsis: "--to FILE", summary: "consistent online copy of the SQLite database, written whole or not at all",
		own: func(fs *flag.FlagSet) { backupFlags(fs) }, run: backupCmd},
	{name: "translations", summary: "the Mongolian messages and error texts no reviewer has checked yet (mn_review \"machine\" in locale/messages and locale/errors.json): key (\"error\" for an error text), Chinese, Mongolian, one a line, then their count", run: translationsCmd},
	{name: "version", summary: "print the version", run: version},
	// help is answered by run itself: a run here would refer back to
	// this list through writeHelp.
	{name: "help", summary: "this text"},
}

// noFlags are the subcommands that parse no flags at all.
var noFlags = map[string]bool{"version": true, "help": true, "translations": true}

// commonFlags are the flags every subcommand with flags takes.
var commonFlags = map[string]bool{"data": true, "database": true, "log-level": true}

// writeHelp prints the usage of every subcommand with all its flags.
func writeHelp(w io.Writer, getenv func(string) string) {
	fmt.Fprint(w, "minyi — 民意: hear every citizen and prove each voice was answered.\n\nUsage:\n")
	for _, c := range commands {
		call := strings.TrimSpace("minyi " + c.name + " " + c.synopsis)
		fmt.Fprintf(w, "  %s\n      %s\n", call, c.summary)
		if noFlags[c.name] {
			continue
		}
		fs := c.flagSet(getenv)
		fs.VisitAll(func(f *flag.Flag) {
			if !commonFlags[f.Name] {
				writeFlag(w, f)
			}
		})
	}
	fmt.Fprint(w, "\nEvery subcommand but translations, version and help also takes:\n")
	fs, _ := flags("", getenv, io.Discard)
	fs.VisitAll(func(f *flag.Flag) { writeFlag(w, f) })
	fmt.Fprint(w, "\nRoles: admin, leader, unit_head, officer, auxiliary, partner.\n")
}

// flagSet builds the flag set c parses: the common flags (and serve's) and
// its own.
func (c command) flagSet(getenv func(string) string) *flag.FlagSet {
	fs, _ := flags(c.name, getenv, io.Discard)
	if c.own != nil {
		c.own(fs)
	}
	return fs
}

func writeFlag(w io.Writer, f *flag.Flag) {
	kind, usage := flag.UnquoteUsage(f)
	name := "--" + f.Name
	if kind != "" {
		name += " " + strings.ToUpper(kind)
	}
	line := fmt.Sprintf("        %-24s %s", name, usage)
	if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
		line += fmt.Sprintf(" (default %s)", f.DefValue)
	}
	fmt.Fprintln(w, line)
}
