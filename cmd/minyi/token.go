package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

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
		return orgCall(ctx, fs, cfg, args, tokenUsage, mustExist, func(o *org.Service, op org.User) error {
			return createToken(ctx, o, op, arg, opt, stdout, stderr)
		})
	case "list":
		fs, cfg := flags("token list", getenv, stderr)
		return orgCall(ctx, fs, cfg, args, tokenUsage, mustExist, func(o *org.Service, op org.User) error {
			return listTokens(ctx, o, op, arg, stdout)
		})
	case "revoke":
		fs, cfg := flags("token revoke", getenv, stderr)
		var id int64
		// The id is the command's own rule (open): a bad one is a usage
		// error, told before the archive is looked for.
		parseID := func() error {
			var err error
			if id, err = strconv.ParseInt(arg, 10, 64); err != nil || id <= 0 {
				return usageErr("token id must be a number (see minyi token list NAME)\n%s", tokenUsage)
			}
			return nil
		}
		return orgCall(ctx, fs, cfg, args, tokenUsage, mustExist, func(o *org.Service, op org.User) error {
			_, err := o.RevokeToken(ctx, op, org.User{}, id)
			return revoked(stdout, fmt.Sprintf("token %d", id), err, fmt.Sprintf("no token with id %d", id))
		}, parseID)
	default:
		return usageErr("%s", tokenUsage)
	}
}

// createToken issues user name a token and prints it, alone on stdout.
func createToken(ctx context.Context, o *org.Service, op org.User, name string, opt *tokenCreateOptions, stdout, stderr io.Writer) error {
	if opt.expires <= 0 {
		return usageErr("--expires must be a positive duration such as 720h")
	}
	token, t, err := o.IssueToken(ctx, op, name, opt.label, opt.expires)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintf(stderr, "token %d for %s created, expires %s; it is shown only this once\n",
		t.ID, t.UserName, t.ExpiresAt.In(time.Local).Format("2006-01-02 15:04"))
	return nil
}

// listTokens prints user name's tokens, never the tokens themselves.
func listTokens(ctx context.Context, o *org.Service, op org.User, name string, stdout io.Writer) error {
	u, err := o.User(ctx, op, name)
	if err != nil {
		return err
	}
	tokens, err := o.Tokens(ctx, op, u)
	if err != nil {
		return err
	}
	return writeTable(stdout, "ID\tLABEL\tCREATED\tEXPIRES\tLAST USED\tREVOKED", tokens, func(t org.Token) string {
		return fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s", t.ID, t.Label, when(&t.CreatedAt), when(&t.ExpiresAt),
			when(t.LastUsedAt), when(t.RevokedAt))
	})
}
