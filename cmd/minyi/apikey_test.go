package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// cliSplit runs the program in-process and returns stdout and stderr apart.
func cliSplit(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestAPIKeyCommand(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db := dbFlag(t, d)
			out, errOut, err := cliSplit(t, append([]string{"apikey", "create", "city-app", "--contact", "市数据局 张工", "--rate", "30"}, db...)...)
			if err != nil {
				t.Fatalf("create: %v %s", err, errOut)
			}
			key, _, _ := strings.Cut(out, "\n")
			if !strings.HasPrefix(key, org.APIKeyPrefix) || strings.TrimSpace(out) != key {
				t.Fatalf("stdout is not the key alone: %q", out)
			}
			if !strings.Contains(errOut, "shown only this once") {
				t.Errorf("no warning that the key is shown once: %q", errOut)
			}

			ctx := context.Background()
			st, err := store.Open(ctx, db[1])
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			k, err := org.NewService(st).AuthenticateAPIKey(ctx, key)
			if err != nil || k.Name != "city-app" || k.RatePerMinute != 30 || k.Contact != "市数据局 张工" || k.CreatedBy != "cli" {
				t.Fatalf("the printed key: %+v, %v", k, err)
			}

			if out, err := cli(t, append([]string{"apikey", "create", "city-app"}, db...)...); err == nil || strings.Contains(out, org.APIKeyPrefix) {
				t.Errorf("duplicate name: %v %s", err, out)
			}
			for _, args := range [][]string{{"apikey", "create", "City App"}, {"apikey", "create", "other", "--rate", "0"}, {"apikey", "create", "other", "--rate", "1000000"}} {
				if out, err := cli(t, append(args, db...)...); err == nil || exitCode(err) != 1 || strings.Contains(out, org.APIKeyPrefix) {
					t.Errorf("%q: exit %d %s", args, exitCode(err), out)
				}
			}
			if out, _, err := cliSplit(t, append([]string{"apikey", "create", "plain"}, db...)...); err != nil {
				t.Fatalf("default rate: %v", err)
			} else if k, err := org.NewService(st).AuthenticateAPIKey(ctx, strings.TrimSpace(out)); err != nil || k.RatePerMinute != org.DefaultRatePerMinute {
				t.Fatalf("default rate: %+v %v", k, err)
			}

			out, err = cli(t, append([]string{"apikey", "list"}, db...)...)
			if err != nil {
				t.Fatalf("list: %v %s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 3 || !strings.Contains(lines[0], "PREFIX") || !strings.Contains(lines[0], "LAST USED") || !strings.Contains(lines[0], "REVOKED") {
				t.Fatalf("list: %s", out)
			}
			if f := strings.Fields(lines[1]); f[0] != "city-app" || f[1] != k.Prefix || f[2] != "30" || !strings.Contains(lines[1], " cli") {
				t.Fatalf("list row: %q", lines[1])
			}
			if strings.Contains(out, key) {
				t.Fatal("the list shows the key")
			}

			if out, err := cli(t, append([]string{"apikey", "revoke", "nobody"}, db...)...); err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "nobody") {
				t.Errorf("revoke unknown: %v %s", err, out)
			}
			if out, err := cli(t, append([]string{"apikey", "revoke", "city-app"}, db...)...); err != nil || !strings.Contains(out, "revoked") {
				t.Fatalf("revoke: %v %s", err, out)
			}
			if _, err := org.NewService(st).AuthenticateAPIKey(ctx, key); minyi.ErrorCode(err) != minyi.EForbidden {
				t.Fatalf("the revoked key still works: %v", err)
			}
			out, _ = cli(t, append([]string{"apikey", "list"}, db...)...)
			if row := strings.Split(out, "\n")[1]; strings.HasSuffix(strings.TrimSpace(row), " -") {
				t.Errorf("the list does not show the key revoked: %q", row)
			}
		})
	}
	// Usage errors, refused before a database is opened or created (the
	// default --data is ./data when a stray argument stops flag parsing).
	_, statErr := os.Stat("data")
	dataBefore := statErr == nil
	dir := filepath.Join(t.TempDir(), "db")
	for _, args := range [][]string{{"apikey"}, {"apikey", "create"}, {"apikey", "create", "--rate", "3"}, {"apikey", "revoke"},
		{"apikey", "rotate", "x"}, {"apikey", "list", "extra"}, {"apikey", "revoke", "x", "y"}, {"apikey", "create", "x", "y", "--rate", "3"}} {
		if _, err := cli(t, append(args, "--data", dir)...); exitCode(err) != 2 {
			t.Errorf("%q: exit %d, want usage error 2 (%v)", args, exitCode(err), err)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("a usage error created the database in --data")
	}
	if _, err := os.Stat("data"); err == nil && !dataBefore {
		os.RemoveAll("data")
		t.Error("a usage error created a database in ./data")
	}
	if out, _ := cli(t, "help"); !strings.Contains(out, "minyi apikey create NAME") || !strings.Contains(out, "minyi apikey revoke NAME") {
		t.Errorf("help does not explain apikey: %s", out)
	}
}
