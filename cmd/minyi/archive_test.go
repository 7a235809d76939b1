package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

var ctx = context.Background()

// archiveWith makes an SQLite archive holding n items and returns its
// --data flag.
func archiveWith(t *testing.T, n int) []string {
	t.Helper()
	dir := testdb.URL(t, "sqlite")
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	for range n {
		if _, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelOnlineBox, Text: "备份里的件"}); err != nil {
			t.Fatal(err)
		}
	}
	return []string{"--data", dir}
}

// The commands that read an archive refuse one that is not there, instead
// of creating an empty one and reporting on it.
func TestReadingCommandsRefuseAMissingArchive(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	emptyDir := t.TempDir()
	to := filepath.Join(t.TempDir(), "copy.db")
	emptySchema := testdb.URL(t, "postgres")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"verify a missing directory", []string{"verify", "--data", missing}},
		{"verify a directory without an archive", []string{"verify", "--data", emptyDir}},
		{"verify an empty PostgreSQL schema", []string{"verify", "--database", emptySchema}},
		{"back up a missing directory", []string{"backup", "--data", missing, "--to", to}},
		{"back up a directory without an archive", []string{"backup", "--data", emptyDir, "--to", to}},
		{"list the tokens of a missing archive", []string{"token", "list", "admin", "--data", missing}},
		{"revoke a token of a missing archive", []string{"token", "revoke", "1", "--data", missing}},
		{"create a token in a missing archive", []string{"token", "create", "admin", "--data", missing}},
		{"list the API keys of a missing archive", []string{"apikey", "list", "--data", missing}},
		{"revoke an API key of a missing archive", []string{"apikey", "revoke", "city-app", "--data", emptyDir}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := cli(t, tc.args...)
			if err == nil || exitCode(err) == 0 || !strings.Contains(err.Error(), "no minyi archive") {
				t.Fatalf("exit %d: %v %s, want a refusal naming the missing archive", exitCode(err), err, out)
			}
			if _, err := os.Stat(missing); err == nil {
				t.Error("the missing directory was created")
			}
			if entries, _ := os.ReadDir(emptyDir); len(entries) > 0 {
				t.Errorf("files were created in the empty directory: %v", entries)
			}
			if _, err := os.Stat(to); err == nil {
				t.Error("a backup was written")
			}
		})
	}
	if out, err := cli(t, "migrate", "--database", emptySchema); err != nil {
		t.Fatalf("migrate still creates: %v %s", err, out)
	}
	if out, err := cli(t, "verify", "--database", emptySchema); err != nil || !strings.Contains(out, "intact: 0 events") {
		t.Fatalf("verify once created: %v %s", err, out)
	}
}

// `minyi verify --backup FILE` checks a backup file as a database and its
// event log; an empty, truncated or foreign file fails.
func TestVerifyChecksABackupFile(t *testing.T) {
	data := archiveWith(t, 3)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if out, err := cli(t, append([]string{"backup", "--to", good}, data...)...); err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the backup left files beside it: %v", entries)
	}
	if out, err := cli(t, "verify", "--backup", good); err != nil || !strings.Contains(out, "integrity ok") || !strings.Contains(out, "intact: 3 events") {
		t.Fatalf("verify a good backup: %v %s", err, out)
	}
	if out, err := cli(t, "verify", "--data", good); err != nil || !strings.Contains(out, "intact: 3 events") {
		t.Fatalf("verify --data naming the backup file: %v %s", err, out)
	}
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		body []byte
		says string
	}{
		{"empty", nil, "empty (0 bytes)"},
		{"truncated", whole[:len(whole)/2], "backup"},
		{"only the header", whole[:100], "backup"},
		{"not a database", []byte("minyi backup, honest\n"), "backup"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(dir, tc.name+".db")
			if err := os.WriteFile(f, tc.body, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := cli(t, "verify", "--backup", f)
			if err == nil || exitCode(err) == 0 || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("exit %d: %v %s, want a failure", exitCode(err), err, out)
			}
		})
	}
	if out, err := cli(t, "verify", "--backup", filepath.Join(dir, "absent.db")); err == nil {
		t.Fatalf("a missing backup file verified: %s", out)
	}
}
