package main

import (
	"flag"
	"regexp"
	"strings"
	"testing"
)

// TestHelpListsEveryFlag runs every subcommand with -h, which makes it print
// the flags it really parses, and checks that `minyi help` lists each one
// under that subcommand: a flag added to a command but not to the help (or
// the other way round) fails here.
func TestHelpListsEveryFlag(t *testing.T) {
	help, err := cli(t, "help")
	if err != nil {
		t.Fatal(err)
	}
	printed := regexp.MustCompile(`(?m)^\s+-([a-z][a-z0-9-]*)`)
	for _, c := range commands {
		if noFlags[c.name] {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			args := strings.Fields(c.name)
			if strings.HasPrefix(c.synopsis, "NAME") || strings.HasPrefix(c.synopsis, "ID") {
				args = append(args, "x")
			}
			out, err := cli(t, append(args, "-h")...)
			if exitCode(err) != 2 {
				t.Fatalf("%q -h: exit %d, want 2 (%v)", args, exitCode(err), err)
			}
			parsed := map[string]bool{}
			for _, m := range printed.FindAllStringSubmatch(out, -1) {
				parsed[m[1]] = true
			}
			if len(parsed) == 0 {
				t.Fatalf("%q -h printed no flags: %s", args, out)
			}
			listed := map[string]bool{}
			c.flagSet(func(string) string { return "" }).VisitAll(func(f *flag.Flag) { listed[f.Name] = true })
			for name := range parsed {
				if !listed[name] {
					t.Errorf("minyi %s parses --%s, which its entry in commands (help.go) does not declare", c.name, name)
				}
			}
			section := helpSection(help, "minyi "+c.name)
			for name := range listed {
				if !parsed[name] {
					t.Errorf("help lists --%s for minyi %s, which it does not parse", name, c.name)
				}
				if !commonFlags[name] && !regexp.MustCompile(`(?m)^\s+--`+name+`\b`).MatchString(section) {
					t.Errorf("help does not list --%s under minyi %s:\n%s", name, c.name, section)
				}
			}
		})
	}
	for name := range commonFlags {
		if !strings.Contains(help, "--"+name+" ") {
			t.Errorf("help does not list the common flag --%s", name)
		}
	}
}

// helpSection is the part of the help text about one subcommand.
func helpSection(help, call string) string {
	i := strings.Index(help, "\n  "+call)
	if i < 0 {
		return ""
	}
	rest := help[i+1:]
	if j := strings.Index(rest[2:], "\n  minyi "); j >= 0 {
		return rest[:j+2]
	}
	if j := strings.Index(rest, "\n\n"); j >= 0 {
		return rest[:j]
	}
	return rest
}

func TestUsageErrorsSayUsageOnce(t *testing.T) {
	for _, args := range [][]string{{"apikey"}, {"apikey", "create"}, {"user", "add"}, {"token", "create"}, {"backup"}} {
		_, err := cli(t, args...)
		if exitCode(err) != 2 {
			t.Fatalf("%q: exit %d, want 2 (%v)", args, exitCode(err), err)
		}
		if strings.Count(err.Error(), "usage:") != 1 {
			t.Errorf("%q: %q", args, err)
		}
	}
}
