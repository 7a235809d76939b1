package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// serveWith runs serve with env as the environment; every case here fails
// before listening.
func serveWith(t *testing.T, env map[string]string, args ...string) error {
	t.Helper()
	var out bytes.Buffer
	return run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...),
		func(k string) string { return env[k] }, &out, &out)
}

func TestServeNeedsTheKeyOfTheSecretsItHolds(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db := dbFlag(t, d)
			ctx := context.Background()
			st, err := store.Open(ctx, db[1])
			if err != nil {
				t.Fatal(err)
			}
			u := org.User{Name: "zhao", Role: org.RoleAdmin}
			if _, err := org.NewService(st).AddUser(ctx, org.Operator("test"), &u); err != nil {
				t.Fatal(err)
			}
			st.SetSecretKey(testdb.SecretKey)
			if err := st.SetUserTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXP"); err != nil {
				t.Fatal(err)
			}
			st.Close()

			err = serveWith(t, nil, db...)
			if err == nil || !strings.Contains(err.Error(), "--secret-key-file") || !strings.Contains(err.Error(), "MINYI_SECRET_KEY") {
				t.Fatalf("no key on a database with TOTP secrets: %v", err)
			}
			other := org.NewSecretKeyText()
			err = serveWith(t, map[string]string{"MINYI_SECRET_KEY": other}, db...)
			if err == nil || !strings.Contains(err.Error(), "wrong secret key") || !strings.Contains(err.Error(), testdb.SecretKey.ID()) {
				t.Fatalf("another key: %v", err)
			}
			file := filepath.Join(t.TempDir(), "key")
			os.WriteFile(file, []byte(other+"\n"), 0o600)
			if err := serveWith(t, nil, append(db, "--secret-key-file", file)...); err == nil || !strings.Contains(err.Error(), "wrong secret key") {
				t.Fatalf("another key in a file: %v", err)
			}
			if err := serveWith(t, map[string]string{"MINYI_SECRET_KEY": "too short"}, db...); err == nil || !strings.Contains(err.Error(), "32 bytes") {
				t.Errorf("a malformed key: %v", err)
			}
			if err := serveWith(t, map[string]string{"MINYI_SECRET_KEY": other}, append(db, "--secret-key-file", file)...); exitCode(err) != 2 {
				t.Errorf("a key from both the flag and the environment: %v", err)
			}
		})
	}
}

func TestDemoMakesItsKeyOnce(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	log := discardLog()
	cfg := &config{Data: dir, Demo: true}
	k1, err := secretKey(cfg, func(string) string { return "" }, &out, log)
	if err != nil || k1 == nil {
		t.Fatalf("demo key: %v", err)
	}
	st, err := os.Stat(filepath.Join(dir, demoKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	if !strings.Contains(out.String(), demoKeyFile) {
		t.Errorf("serve does not say where the key is: %s", out.String())
	}
	k2, err := secretKey(cfg, func(string) string { return "" }, &out, log)
	if err != nil || k2.ID() != k1.ID() {
		t.Fatalf("a second start made another key: %v", err)
	}
	if k, err := secretKey(&config{Data: t.TempDir()}, func(string) string { return "" }, &out, log); k != nil || err != nil {
		t.Fatalf("a server without --demo made a key: %v", err)
	}
	pgData := t.TempDir()
	if k, err := secretKey(&config{Data: pgData, Database: "postgres://x", Demo: true}, func(string) string { return "" }, &out, log); k == nil || err != nil {
		t.Fatalf("a PostgreSQL demo without a key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(pgData, demoKeyFile)); err == nil {
		t.Fatal("a PostgreSQL demo wrote a key file into the SQLite data directory")
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
