package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"minyi"
	"minyi/org"
)

const tokenUsage = `minyi token create NAME [--label TEXT] [--expires DURATION]
       minyi token list NAME
       minyi token revoke ID`

// tokenCreateOptions are the flags of `minyi token create`.
type tokenCreateOptions struct {
	label   string
	expires time.Duration
}

func tokenCreateFlags(fs *flag.FlagSet) *tokenCreateOptions {
	o := &tokenCreateOptions{}
	fs.StringVar(&o.label, "label", "cli", "what the token is for (`TEXT`)")
	fs.DurationVar(&o.expires, "expires", org.DefaultTokenLifetime, "how long the token works, e.g. 720h; at most 8784h (`DURATION`)")
	return o
}

// tokenCmd manages staff API bearer tokens: create prints the new token
// alone on the first line of stdout, so scripts can capture it; it is never
// shown again.
func tokenCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 2 || strings.HasPrefix(args[1], "-") {
		return usageErr("%s", tokenUsage)
	}
	sub, arg, args := args[0], args[1], args[2:]
	switch sub {
	case "create":
		fs, cfg := flags("token create", getenv, stderr)
		opt := tokenCreateFlags(fs)
		if err := parse(fs, args, tokenUsage); err != nil {
			return err
		}
		db, err := open(ctx, cfg, mustExist)
		if err != nil {
			return err
		}
		defer db.Close()
		if opt.expires <= 0 {
			return usageErr("--expires must be a positive duration such as 720h")
		}
		token, t, err := org.NewService(db).IssueToken(ctx, org.Operator("cli"), arg, opt.label, opt.expires)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, token)
		fmt.Fprintf(stderr, "token %d for %s created, expires %s; it is shown only this once\n",
			t.ID, t.UserName, t.ExpiresAt.In(time.Local).Format("2006-01-02 15:04"))
		return nil
	case "list":
		fs, cfg := flags("token list", getenv, stderr)
		if err := parse(fs, args, tokenUsage); err != nil {
			return err
		}
		db, err := open(ctx, cfg, mustExist)
		if err != nil {
			return err
		}
		defer db.Close()
		o, op := org.NewService(db), org.Operator("cli")
		u, err := o.User(ctx, op, arg)
		if err != nil {
			return err
		}
		tokens, err := o.Tokens(ctx, op, u)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLABEL\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
		for _, t := range tokens {
			expires := t.ExpiresAt
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Label, when(&t.CreatedAt), when(&expires),
				when(t.LastUsedAt), when(t.RevokedAt))
		}
		return tw.Flush()
	case "revoke":
		fs, cfg := flags("token revoke", getenv, stderr)
		if err := parse(fs, args, tokenUsage); err != nil {
			return err
		}
		var id int64
		db, err := open(ctx, cfg, mustExist, func() error {
			var err error
			if id, err = strconv.ParseInt(arg, 10, 64); err != nil || id <= 0 {
				return usageErr("token id must be a number (see minyi token list NAME)\n%s", tokenUsage)
			}
			return nil
		})
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := org.NewService(db).RevokeToken(ctx, org.Operator("cli"), org.User{}, id); err != nil {
			if minyi.ErrorCode(err) == minyi.ENotFound {
				return fmt.Errorf("no token with id %d", id)
			}
			return err
		}
		fmt.Fprintf(stdout, "token %d revoked; its requests are refused from now on\n", id)
		return nil
	default:
		return usageErr("%s", tokenUsage)
	}
}
