package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

func TestTokenCommand(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db := dbFlag(t, d)
			if out, err := cli(t, append([]string{"user", "add", "zhao", "--role", "leader"}, db...)...); err != nil {
				t.Fatalf("user add: %v %s", err, out)
			}
			out, errOut, err := cliSplit(t, append([]string{"token", "create", "zhao", "--label", "报表脚本", "--expires", "720h"}, db...)...)
			if err != nil {
				t.Fatalf("create: %v %s", err, errOut)
			}
			token := strings.TrimSpace(out)
			if !strings.HasPrefix(token, org.TokenPrefix) || strings.Contains(token, "\n") {
				t.Fatalf("stdout is not the token alone: %q", out)
			}
			if !strings.Contains(errOut, "shown only this once") {
				t.Errorf("no warning that the token is shown once: %q", errOut)
			}
			second, _, err := cliSplit(t, append([]string{"token", "create", "zhao"}, db...)...)
			if err != nil {
				t.Fatal(err)
			}

			ctx := context.Background()
			st, err := store.Open(ctx, db[1])
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			_, tok, err := org.NewService(st).Authenticate(ctx, token)
			if err != nil || tok.Label != "报表脚本" {
				t.Fatalf("the printed token: %+v %v", tok, err)
			}
			if life := tok.ExpiresAt.Sub(tok.CreatedAt); life != 720*time.Hour {
				t.Errorf("lifetime %v, want 720h", life)
			}
			if _, t2, err := org.NewService(st).Authenticate(ctx, strings.TrimSpace(second)); err != nil || t2.ExpiresAt.Sub(t2.CreatedAt) != org.DefaultTokenLifetime {
				t.Errorf("default lifetime: %+v %v", t2, err)
			}

			list, err := cli(t, append([]string{"token", "list", "zhao"}, db...)...)
			if err != nil || !strings.Contains(list, "EXPIRES") || !strings.Contains(list, "报表脚本") || strings.Contains(list, token) ||
				strings.Contains(list, org.TokenPrefix) {
				t.Fatalf("list: %v\n%s", err, list)
			}
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(itoa(tok.ID)) + `\s+报表脚本`).MatchString(list) {
				t.Errorf("the list does not show the token's id: %s", list)
			}

			out, err = cli(t, append([]string{"token", "revoke", itoa(tok.ID)}, db...)...)
			if err != nil || !strings.Contains(out, "revoked") {
				t.Fatalf("revoke: %v %s", err, out)
			}
			if _, _, err := org.NewService(st).Authenticate(ctx, token); err == nil {
				t.Fatal("the revoked token still works")
			}
			if _, _, err := org.NewService(st).Authenticate(ctx, strings.TrimSpace(second)); err != nil {
				t.Fatalf("revoking one token ended the other: %v", err)
			}
			if list, _ := cli(t, append([]string{"token", "list", "zhao"}, db...)...); strings.Count(list, "\n") != 3 ||
				!regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(itoa(tok.ID))+`\s.*\d\d:\d\d\s*$`).MatchString(list) {
				t.Errorf("the list does not show the revocation: %s", list)
			}

			if _, err := cli(t, append([]string{"token", "revoke", "99999"}, db...)...); err == nil || exitCode(err) != 1 {
				t.Errorf("revoking a missing token: %v", err)
			}
			for _, args := range [][]string{{"token", "create", "zhao", "--expires", "0s"}, {"token", "create", "zhao", "--expires", "-1h"},
				{"token", "revoke", "abc"}, {"token", "list"}, {"token", "remove", "1"}, {"token", "create", "zhao", "--expires", "soon"}} {
				if out, err := cli(t, append(args, db...)...); exitCode(err) != 2 || strings.Contains(out, org.TokenPrefix) {
					t.Errorf("%q: exit %d, want usage error 2 (%v)", args, exitCode(err), err)
				}
			}
			if out, err := cli(t, append([]string{"token", "create", "zhao", "--expires", "9000h"}, db...)...); exitCode(err) != 1 || strings.Contains(out, org.TokenPrefix) {
				t.Errorf("a lifetime over the maximum: exit %d %s", exitCode(err), out)
			}
		})
	}
	help, _ := cli(t, "help")
	for _, want := range []string{"minyi token create NAME", "--expires DURATION", "minyi token list NAME", "minyi token revoke ID", "--secret-key-file PATH"} {
		if !strings.Contains(help, want) {
			t.Errorf("help does not list %q", want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
