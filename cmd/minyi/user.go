package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"minyi/org"
)

// userAddOptions are the flags of `minyi user add`.
type userAddOptions struct{ role, unit, display string }

func userAddFlags(fs *flag.FlagSet) *userAddOptions {
	o := &userAddOptions{}
	fs.StringVar(&o.role, "role", "", "`ROLE`: admin, leader, unit_head, officer, auxiliary or partner")
	fs.StringVar(&o.unit, "unit", "", "unit `CODE` (required except for admin and leader)")
	fs.StringVar(&o.display, "display", "", "display `NAME`")
	return o
}

// userCmd adds a staff account and prints its initial password.
func userCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageErr("minyi user add NAME --role ROLE [--unit CODE]")
	}
	args = args[1:]
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("minyi user add NAME --role ROLE [--unit CODE]")
	}
	name, args := args[0], args[1:]
	fs, cfg := flags("user add", getenv, stderr)
	opt := userAddFlags(fs)
	if err := parse(fs, args, ""); err != nil {
		return err
	}
	// Adding the first account may be the first step on a new
	// installation: it creates the archive.
	db, err := open(ctx, cfg, mayCreate)
	if err != nil {
		return err
	}
	defer db.Close()
	u := org.User{Name: name, DisplayName: opt.display, Role: org.Role(opt.role), UnitCode: opt.unit}
	password, err := org.NewService(db).AddUser(ctx, org.Operator("cli"), &u)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s (%s) created; initial password: %s\n", u.Name, u.Role, password)
	return nil
}
