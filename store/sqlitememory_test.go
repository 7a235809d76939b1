package store_test

import (
	"context"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// TestSQLiteHeapLimit: a SQLite archive holds SQLite's own memory to
// store.SQLiteHeapLimit (the process's setting, read here on another
// connection).
func TestSQLiteHeapLimit(t *testing.T) {
	db, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Empty(context.Background()); err != nil { // a reader's connection opened
		t.Fatal(err)
	}
	var n int64
	if err := testdb.Raw(t, db).QueryRow("PRAGMA soft_heap_limit").Scan(&n); err != nil || n != store.SQLiteHeapLimit {
		t.Fatalf("soft_heap_limit %d (%v), want %d", n, err, store.SQLiteHeapLimit)
	}
}
