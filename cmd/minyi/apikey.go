package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

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
		// Like user add, creating a client's key may be the first step on a
		// new installation: it creates the archive.
		return orgCall(ctx, fs, cfg, args, apiKeyUsage, mayCreate, func(o *org.Service, op org.User) error {
			return createAPIKey(ctx, o, op, name, opt, stdout, stderr)
		})
	case "list":
		fs, cfg := flags("apikey list", getenv, stderr)
		return orgCall(ctx, fs, cfg, args, apiKeyUsage, mustExist, func(o *org.Service, op org.User) error {
			return listAPIKeys(ctx, o, op, stdout)
		})
	case "revoke":
		name, args, err := apiKeyName(args)
		if err != nil {
			return err
		}
		fs, cfg := flags("apikey revoke", getenv, stderr)
		return orgCall(ctx, fs, cfg, args, apiKeyUsage, mustExist, func(o *org.Service, op org.User) error {
			return revoked(stdout, "api key "+name, o.RevokeAPIKey(ctx, op, name), fmt.Sprintf("no api key named %q", name))
		})
	default:
		return usageErr("%s", apiKeyUsage)
	}
}

// createAPIKey creates client name's key and prints it, alone on stdout.
func createAPIKey(ctx context.Context, o *org.Service, op org.User, name string, opt *apiKeyCreateOptions, stdout, stderr io.Writer) error {
	k := org.APIKey{Name: name, Contact: opt.contact, RatePerMinute: opt.rate}
	if opt.rate == 0 {
		k.RatePerMinute = -1 // --rate 0 is out of range; to CreateAPIKey, 0 means the default
	}
	key, err := o.CreateAPIKey(ctx, op, &k)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, key)
	fmt.Fprintf(stderr, "api key for %s created (prefix %s, %d requests per minute); it is shown only this once\n",
		k.Name, k.Prefix, k.RatePerMinute)
	return nil
}

// listAPIKeys prints the clients' keys, never the keys themselves.
func listAPIKeys(ctx context.Context, o *org.Service, op org.User, stdout io.Writer) error {
	keys, err := o.APIKeys(ctx, op)
	if err != nil {
		return err
	}
	return writeTable(stdout, "NAME\tPREFIX\tRATE/MIN\tCREATED\tLAST USED\tREVOKED", keys, func(k org.APIKey) string {
		return fmt.Sprintf("%s\t%s\t%d\t%s\t%s\t%s", k.Name, k.Prefix, k.RatePerMinute,
			k.CreatedAt.In(time.Local).Format("2006-01-02 15:04")+" "+k.CreatedBy, when(k.LastUsedAt), when(k.RevokedAt))
	})
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
