// Package testdb gives tests real databases: a fresh SQLite file in a
// temporary directory, and a fresh schema on the PostgreSQL server named by
// MINYI_TEST_POSTGRES (default: the local server's "test" database).
//
// When MINYI_REQUIRE_POSTGRES=1 (set by scripts/test, hence in CI), a missing
// PostgreSQL server fails the tests instead of skipping them.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver, for creating schemas

	"minyi/org"
	"minyi/store"
)

// DefaultPostgres is used when MINYI_TEST_POSTGRES is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Dialects are the databases every conformance test runs on.
var Dialects = []string{"sqlite", "postgres"}

// Each runs fn as a subtest once per dialect, each with its own fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh, migrated database of the given dialect, closed and
// removed when the test ends. It has SecretKey, as a server would: a test
// of a server without one sets it to nil.
func Open(t testing.TB, dialect string) *store.DB {
	t.Helper()
	ctx := context.Background()
	u := URL(t, dialect)
	db, err := store.Open(ctx, u)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	db.SetSecretKey(SecretKey)
	t.Cleanup(func() { db.Close() })
	return db
}

// SecretKey is the tests' key for secrets at rest (never a real one).
var SecretKey = mustKey("bWlueWkgdGVzdCBzZWNyZXQga2V5LCAzMiBieXRlcyE=")

func mustKey(text string) *org.SecretKey {
	k, err := org.ParseSecretKey(text)
	if err != nil {
		panic(err)
	}
	return k
}

// URL returns what store.Open takes for a fresh, empty database: a temporary
// directory for SQLite, a new schema for PostgreSQL (dropped at cleanup).
func URL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return t.TempDir()
	}
	base := os.Getenv("MINYI_TEST_POSTGRES")
	if base == "" {
		base = DefaultPostgres
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		if os.Getenv("MINYI_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL is required (MINYI_REQUIRE_POSTGRES=1) but %s is unreachable: %v", redact(base), err)
		}
		t.Skipf("PostgreSQL not reachable at %s (%v); run scripts/test to start one", redact(base), err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	parsed, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := parsed.Query()
	q.Set("search_path", schema)
	parsed.RawQuery = q.Encode()
	return parsed.String()
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparseable URL)"
	}
	return p.Redacted()
}

// Raw opens a second, plain connection to db's database, for tests that
// look at what is stored (or tamper with it) behind the store's back.
func Raw(t testing.TB, db *store.DB) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+filepath.Join(db.URL(), store.SQLiteFile)
	if db.Dialect() == "postgres" {
		driver, dsn = "pgx", db.URL()
	}
	r, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}
