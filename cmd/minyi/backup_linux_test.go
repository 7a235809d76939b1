package main

import (
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A backup cut short for want of space leaves nothing where the backup
// should be: the retry finds the name free and succeeds. The process's
// file size limit (RLIMIT_FSIZE) stands in for a full disk: writes past it
// fail as they would on one.
func TestBackupCutShortLeavesNothing(t *testing.T) {
	data := archiveWith(t, 3)
	dir := t.TempDir()
	to := filepath.Join(dir, "minyi-backup.db")

	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal("no file size limit here:", err)
	}
	signal.Ignore(syscall.SIGXFSZ) // report the failed write rather than end the process
	defer signal.Reset(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 40 << 10, Max: old.Max}); err != nil {
		t.Fatal("cannot limit file sizes:", err)
	}
	out, err := cli(t, append([]string{"backup", "--to", to}, data...)...)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	if err == nil {
		t.Fatalf("a backup larger than the space left succeeded: %s", out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the failed backup (%v) left %v", err, entries)
	}
	if out, err := cli(t, append([]string{"backup", "--to", to}, data...)...); err != nil {
		t.Fatalf("retry: %v %s", err, out)
	}
	if out, err := cli(t, "verify", "--backup", to); err != nil || !strings.Contains(out, "intact: 3 events") {
		t.Fatalf("verify the retried backup: %v %s", err, out)
	}
}
