package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrations embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrationFills are the steps that SQL cannot take, run after the script
// of the same version in its transaction: filling search indexes needs the
// Go tokenizer; token expiry is reckoned on the server's clock, like every
// expiry check, not the database's; the desk's public versions need
// the archive's check for personal data; SQLite's copy of the counters
// for the five levels copies the columns the table has; and the desk's
// entries, the folding of its titles to one script.
var migrationFills = map[int]func(ctx context.Context, t tx) error{
	13: fillScopedIndexes,
	17: expireOldTokens,
	21: fillDeskVersions,
	52: copyTallies52,
	55: fillDeskEntries,
}

func (db *DB) migrations() ([]migration, error) {
	dir := path.Join("migrations", db.dialect.name)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", e.Name())
		}
		body, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	// Versions must run 1, 2, 3…: a database is at "version n" only if every
	// migration up to n ran, so a missing number would be skipped forever.
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations/%s: %s should be number %d: migrations are numbered without gaps or repeats", db.dialect.name, m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion returns the newest migration this program knows.
func (db *DB) SchemaVersion() int {
	ms, _ := db.migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction, and refuses a database written by a newer minyi. On
// PostgreSQL an advisory lock keeps two servers starting together from
// applying the same migration twice.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	latest := db.SchemaVersion()
	for i := 0; i <= len(ms); i++ {
		done := false
		err := db.runTx(ctx, func(t tx) error {
			if db.dialect.name == "postgres" {
				if _, err := t.ExecContext(ctx, "SELECT pg_advisory_xact_lock(727165)"); err != nil {
					return err
				}
			}
			if _, err := t.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
				return err
			}
			var current int
			if err := t.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
				return err
			}
			if current > latest {
				return fmt.Errorf("the database is at schema version %d but this minyi only knows up to %d: it was written by a newer minyi; upgrade the program (数据库版本%d高于本程序支持的%d，请升级程序)", current, latest, current, latest)
			}
			var next *migration
			for k := range ms {
				if ms[k].version > current {
					next = &ms[k]
					break
				}
			}
			if next == nil {
				done = true
				return nil
			}
			if _, err := t.ExecContext(ctx, next.sql); err != nil {
				return fmt.Errorf("migration %s: %w", next.name, err)
			}
			if fill := migrationFills[next.version]; fill != nil {
				if err := fill(ctx, t); err != nil {
					return fmt.Errorf("migration %s: %w", next.name, err)
				}
			}
			_, err := t.exec(ctx, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
				next.version, next.name, time.Now().UnixMicro())
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if done {
			return nil
		}
	}
	return nil
}
