package store

import (
	"database/sql"
	"fmt"
	"time"
)

// micros converts times to the stored form: Unix microseconds, UTC.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

func timePtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// anyRow reads the rows of a query into one set of destinations, reused
// row after row, each an any that takes the driver's value as it is: a
// streamed export's scan (the ledgers' workbook). database/sql converts an
// integer into an *int64, a sql.NullInt64 or an *int, and a text into a
// string type such as archive.Kind, by reflection (an integer into an *int
// by formatting and parsing it), and each destination passed anew escapes
// to the heap: for a year's archive sheet of 170,000 items both showed in
// the profile. Its values are read by column (text, integer, moment); err
// is the first of a type neither driver gives.
type anyRow struct {
	v, dest []any
	err     error
}

// newAnyRow reads rows of n columns.
func newAnyRow(n int) *anyRow {
	r := &anyRow{v: make([]any, n), dest: make([]any, n)}
	for i := range r.v {
		r.dest[i] = &r.v[i]
	}
	return r
}

// scan reads the row s is at.
func (r *anyRow) scan(s scanner) error { return s.Scan(r.dest...) }

// text is text column i as both drivers give it (a string), "" for NULL.
func (r *anyRow) text(i int) string {
	switch v := r.v[i].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	}
	r.bad(i)
	return ""
}

// integer is integer column i as both drivers give it (int64), 0 for NULL.
func (r *anyRow) integer(i int) int64 {
	switch v := r.v[i].(type) {
	case int64:
		return v
	case nil:
		return 0
	}
	r.bad(i)
	return 0
}

// moment is the moment of column i, stored in microseconds; nil for NULL.
func (r *anyRow) moment(i int) *time.Time {
	if r.v[i] == nil {
		return nil
	}
	t := fromMicros(r.integer(i))
	return &t
}

func (r *anyRow) bad(i int) {
	if r.err == nil {
		r.err = fmt.Errorf("column %d: unexpected %T", i, r.v[i])
	}
}
