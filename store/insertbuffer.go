package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"minyi"
)

// insertBuffer turns the plain INSERTs of a batch of records (an import of
// thousands) into statements of many rows: written one by one, each row is
// a round trip to PostgreSQL, and 10,000 records of five rows each took
// half a minute. A plain INSERT (VALUES of placeholders only, nothing
// after them) is kept and answered at once; any other statement that names
// a table with rows waiting sends them first, so nothing reads or changes a
// table behind its own rows; flush sends the rest. Rows of one statement
// text go out in the order they came. A failure of a kept row surfaces at
// the flush, inside the batch's one transaction, which it then undoes.
type insertBuffer struct {
	order []string         // statement texts in the order first seen
	rows  map[string][]any // statement text → the arguments of its rows
	table map[string]string
	first error              // a failure of an earlier flush (the caller saw it)
	ids   map[string][]int64 // ids drawn and not yet used, by table
}

func newInsertBuffer() *insertBuffer {
	return &insertBuffer{rows: map[string][]any{}, table: map[string]string{}}
}

// plainInsert matches INSERT INTO table(columns) VALUES followed by tuples
// of placeholders (and numbers) only: one or several rows, nothing after.
var plainInsert = regexp.MustCompile(`^\s*INSERT INTO ([a-z_]+)\s*\([a-z_,\s]+\)\s*VALUES\s*(\([?,\s0-9]*\)(?:\s*,\s*\([?,\s0-9]*\))*)\s*$`)

// maxParams bounds the placeholders of one statement (SQLite allows 32,766,
// PostgreSQL 65,535).
const maxParams = 30000

// exec keeps q when it is a plain INSERT (ok), else sends what waits for
// the tables it names and lets the caller run it.
func (b *insertBuffer) exec(ctx context.Context, t tx, q string, args []any) (sql.Result, bool, error) {
	m := plainInsert.FindStringSubmatch(q)
	if m == nil || strings.Count(m[2], "?") != len(args) || len(args) == 0 {
		b.before(ctx, t, q)
		return nil, false, nil
	}
	if _, seen := b.rows[q]; !seen {
		b.order = append(b.order, q)
		b.table[q] = m[1]
	}
	b.rows[q] = append(b.rows[q], args...)
	return driver.RowsAffected(1), true, nil
}

// before sends every row waiting, in order, when q names a table with
// rows waiting: a record's rows go after its parent's (foreign keys).
func (b *insertBuffer) before(ctx context.Context, t tx, q string) {
	for _, k := range b.order {
		if len(b.rows[k]) > 0 && strings.Contains(q, b.table[k]) {
			b.flush(ctx, t)
			return
		}
	}
}

// flush sends every row waiting and answers the first failure.
func (b *insertBuffer) flush(ctx context.Context, t tx) error {
	for _, k := range b.order {
		if err := b.send(ctx, t, k); err != nil && b.first == nil {
			b.first = err
		}
	}
	return b.first
}

// send writes the rows of statement q, as many per statement as fit.
func (b *insertBuffer) send(ctx context.Context, t tx, q string) error {
	args := b.rows[q]
	b.rows[q] = nil
	m := plainInsert.FindStringSubmatch(q)
	t.rows = nil // these statements run as they are
	return execRows(ctx, t, q[:strings.LastIndex(q, m[2])], m[2], "", args)
}

// execRows runs head, tuples of placeholders (tuple repeated) and tail for
// the rows of args, as many rows to a statement as fit (maxParams): an
// INSERT of many rows, or an upsert of many (ON CONFLICT … in tail, the
// rows' keys distinct).
func execRows(ctx context.Context, t tx, head, tuple, tail string, args []any) error {
	per := strings.Count(tuple, "?")
	if per == 0 || len(args)%per != 0 {
		return minyi.Internal(fmt.Errorf("store: %d arguments for rows of %d", len(args), per))
	}
	batch := max(1, maxParams/per)
	for len(args) > 0 {
		n := min(batch, len(args)/per)
		stmt := head + strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ") + tail
		if _, err := t.exec(ctx, stmt, args[:n*per]...); err != nil {
			return wrap(err)
		}
		args = args[n*per:]
	}
	return nil
}

// returningID matches the INSERT of a record that answers its new id:
// INSERT INTO table(columns) VALUES (placeholders) RETURNING id.
var returningID = regexp.MustCompile(`^\s*INSERT INTO ([a-z_]+)\s*\(([a-z_,\s]+)\)\s*VALUES\s*\(([?,\s]*)\)\s*RETURNING id\s*$`)

// idRow is the answer of insertRow: the database's row, or the id drawn
// for a row kept in a batch.
type idRow struct {
	row  *sql.Row
	id   int64
	err  error
	kept bool
}

// Scan reads the new id into dest[0], an *int64.
func (r idRow) Scan(dest ...any) error {
	if !r.kept {
		return r.row.Scan(dest...)
	}
	if r.err != nil {
		return r.err
	}
	*(dest[0].(*int64)) = r.id
	return nil
}

// insertRow runs an INSERT … RETURNING id. In a batch (insertBuffer) the id
// is drawn beforehand (ids) and the row kept with the batch's others, so
// that a record costs no round trip of its own.
func (t tx) insertRow(ctx context.Context, q string, args ...any) idRow {
	m := returningID.FindStringSubmatch(q)
	if t.rows == nil || m == nil || strings.Count(m[3], "?") != len(args) {
		return idRow{row: t.queryRow(ctx, q, args...)}
	}
	id, err := t.rows.nextID(ctx, t, m[1])
	if err != nil {
		return idRow{err: err, kept: true}
	}
	kept := "INSERT INTO " + m[1] + "(id, " + strings.TrimSpace(m[2]) + ") VALUES (?, " + strings.TrimSpace(m[3]) + ")"
	_, _, err = t.rows.exec(ctx, t, kept, append([]any{id}, args...))
	return idRow{id: id, err: err, kept: true}
}

// idBlock is how many ids a batch draws from a PostgreSQL sequence at once.
const idBlock = 1000

// nextID draws the next id of table: from its identity sequence on
// PostgreSQL (a block at a time, so ids stay unique across servers), after
// the largest stored on SQLite (one writer: nobody else inserts meanwhile).
func (b *insertBuffer) nextID(ctx context.Context, t tx, table string) (int64, error) {
	if b.ids == nil {
		b.ids = map[string][]int64{}
	}
	if len(b.ids[table]) == 0 {
		saved := t.rows
		t.rows = nil
		var drawn []int64
		var err error
		if t.d.name == "sqlite" {
			var last int64
			err = t.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&last)
			for i := int64(1); err == nil && i <= idBlock; i++ {
				drawn = append(drawn, last+i)
			}
		} else {
			drawn, err = drawIDs(ctx, t, table)
		}
		t.rows = saved
		if err != nil {
			return 0, wrap(err)
		}
		b.ids[table] = drawn
	}
	id := b.ids[table][0]
	b.ids[table] = b.ids[table][1:]
	if t.d.name == "sqlite" && len(b.ids[table]) == 0 {
		// The next block starts after this one: MAX(id) does not see the
		// rows still kept.
		next := make([]int64, idBlock)
		for i := range next {
			next[i] = id + int64(i) + 1
		}
		b.ids[table] = next
	}
	return id, nil
}

func drawIDs(ctx context.Context, t tx, table string) ([]int64, error) {
	rows, err := t.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence('"+table+"', 'id')) FROM generate_series(1, "+strconv.Itoa(idBlock)+")")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
