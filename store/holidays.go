package store

import (
	"context"

	"minyi/calendar"
)

// Holidays returns the stored calendar entries; none means "use the default".
func (db *DB) Holidays(ctx context.Context) ([]calendar.Entry, error) {
	return list(ctx, db, "SELECT day, kind, name FROM holidays ORDER BY day", func(s scanner) (calendar.Entry, error) {
		var e calendar.Entry
		err := s.Scan(&e.Date, &e.Kind, &e.Name)
		return e, err
	})
}

// PutHolidays adds or replaces calendar entries.
func (db *DB) PutHolidays(ctx context.Context, entries []calendar.Entry) error {
	return db.inTx(ctx, func(t tx) error {
		for _, e := range entries {
			_, err := t.exec(ctx, `INSERT INTO holidays(day, kind, name) VALUES (?, ?, ?)
				ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, name = excluded.name`, e.Date, e.Kind, e.Name)
			if err != nil {
				return wrap(err)
			}
		}
		return nil
	})
}
