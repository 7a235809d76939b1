package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"minyi"
	"minyi/org"
)

const apiKeyUsage = `minyi apikey create NAME [--contact TEXT] [--rate N]
       minyi apikey list
       minyi apikey revoke NAME`

// apiKeyCmd manages the API keys of outside systems (Open311 clients):
// create prints the new key alone on the first line of stdout, so scripts
// can capture it; it is never shown again.
func apiKeyCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErr("%s", apiKeyUsage)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "create":
		name, args, err := apiKeyName(args)
		if err != nil {
			return err
		}
		fs, cfg := flags("apikey create", getenv, stderr)
		opt := apiKeyCreateFlags(fs)
		contact, rate := &opt.contact, &opt.rate
		// Like user add, creating a client's key may be the first step on a
		// new installation: it creates the archive.
		if err := parse(fs, args, apiKeyUsage); err != nil {
			return err
		}
		db, err := open(ctx, cfg, mayCreate)
		if err != nil {
			return err
		}
		defer db.Close()
		k := org.APIKey{Name: name, Contact: *contact, RatePerMinute: *rate}
		if *rate == 0 {
			k.RatePerMinute = -1 // --rate 0 is out of range; to CreateAPIKey, 0 means the default
		}
		key, err := org.NewService(db).CreateAPIKey(ctx, org.Operator("cli"), &k)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, key)
		fmt.Fprintf(stderr, "api key for %s created (prefix %s, %d requests per minute); it is shown only this once\n",
			k.Name, k.Prefix, k.RatePerMinute)
		return nil
	case "list":
		fs, cfg := flags("apikey list", getenv, stderr)
		if err := parse(fs, args, apiKeyUsage); err != nil {
			return err
		}
		db, err := open(ctx, cfg, mustExist)
		if err != nil {
			return err
		}
		defer db.Close()
		keys, err := org.NewService(db).APIKeys(ctx, org.Operator("cli"))
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tPREFIX\tRATE/MIN\tCREATED\tLAST USED\tREVOKED")
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", k.Name, k.Prefix, k.RatePerMinute,
				k.CreatedAt.In(time.Local).Format("2006-01-02 15:04")+" "+k.CreatedBy, when(k.LastUsedAt), when(k.RevokedAt))
		}
		return tw.Flush()
	case "revoke":
		name, args, err := apiKeyName(args)
		if err != nil {
			return err
		}
		fs, cfg := flags("apikey revoke", getenv, stderr)
		if err := parse(fs, args, apiKeyUsage); err != nil {
			return err
		}
		db, err := open(ctx, cfg, mustExist)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := org.NewService(db).RevokeAPIKey(ctx, org.Operator("cli"), name); err != nil {
			if minyi.ErrorCode(err) == minyi.ENotFound {
				return fmt.Errorf("no api key named %q", name)
			}
			return err
		}
		fmt.Fprintf(stdout, "api key %s revoked; its requests are refused from now on\n", name)
		return nil
	default:
		return usageErr("%s", apiKeyUsage)
	}
}

// apiKeyCreateOptions are the flags of `minyi apikey create`.
type apiKeyCreateOptions struct {
	contact string
	rate    int
}

func apiKeyCreateFlags(fs *flag.FlagSet) *apiKeyCreateOptions {
	o := &apiKeyCreateOptions{}
	fs.StringVar(&o.contact, "contact", "", "who to reach at the client (`TEXT`)")
	fs.IntVar(&o.rate, "rate", org.DefaultRatePerMinute, "requests per minute allowed (`N`)")
	return o
}

// apiKeyName takes the client's name from the front of args.
func apiKeyName(args []string) (string, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return "", nil, usageErr("%s", apiKeyUsage)
	}
	return args[0], args[1:], nil
}

// when shows an optional time, or "-".
func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.In(time.Local).Format("2006-01-02 15:04")
}
