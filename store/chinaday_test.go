package store_test

import (
	"context"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

// TestChinaDayInSQL checks the day the database gives a time, which the
// matters' on-time count compares with the day they were done: China's
// day, whatever the database's or the server's zone, at its edges.
func TestChinaDayInSQL(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		for _, tt := range []struct {
			at   time.Time
			want string
		}{
			{time.Date(2021, 5, 9, 15, 59, 59, 999999000, time.UTC), "2021-05-09"},
			{time.Date(2021, 5, 9, 16, 0, 0, 0, time.UTC), "2021-05-10"},
			{time.Date(2021, 12, 31, 16, 0, 0, 0, time.UTC), "2022-01-01"},
			{time.Date(2021, 11, 2, 17, 30, 0, 0, calendar.Zone), "2021-11-02"},
			{time.Date(2024, 2, 29, 0, 0, 0, 0, calendar.Zone), "2024-02-29"},
		} {
			t.Run(tt.at.Format(time.RFC3339Nano), func(t *testing.T) {
				got, err := db.ChinaDayInSQL(context.Background(), tt.at)
				if err != nil || got != tt.want {
					t.Errorf("day of %v = %q, %v; want %s", tt.at, got, err, tt.want)
				}
				if inGo := tt.at.In(calendar.Zone).Format(time.DateOnly); inGo != tt.want {
					t.Errorf("the test is wrong: Go says %s", inGo)
				}
			})
		}
	})
}
