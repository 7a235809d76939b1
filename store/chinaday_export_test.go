package store

import (
	"context"
	"time"
)

// ChinaDayInSQL is the day the database gives t by the dialect's chinaDay,
// as the matters' on-time count computes it.
func (db *DB) ChinaDayInSQL(ctx context.Context, t time.Time) (string, error) {
	var day string
	err := db.queryRow(ctx, "SELECT "+db.dialect.chinaDay("CAST(? AS BIGINT)"), micros(t)).Scan(&day)
	return day, err
}
