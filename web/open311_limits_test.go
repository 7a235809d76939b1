package web

import (
	"testing"
	"time"

	"minyi/org"
)

func TestOpen311LimitsTouchOnceAMinuteAndRefillAtTheKeysRate(t *testing.T) {
	var l o311Limits
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	k := org.APIKey{ID: 7, RatePerMinute: 2}
	steps := []struct {
		at        time.Duration
		lastUsed  *time.Time // as read from the store
		ok, touch bool
	}{
		{0, nil, true, true},                 // first use: recorded
		{time.Second, nil, true, false},      // within the minute: not again
		{2 * time.Second, nil, false, false}, // the burst of 2 is spent
		{31 * time.Second, nil, true, false}, // one request back every 30 s
		{61 * time.Second, nil, true, true},  // a minute after the last record
		{62 * time.Second, ptr(t0.Add(62 * time.Second)), false, false},
		{125 * time.Second, ptr(t0.Add(100 * time.Second)), true, false}, // another server recorded it at 100 s
		{161 * time.Second, ptr(t0.Add(100 * time.Second)), true, true},
	}
	for i, s := range steps {
		k.LastUsedAt = s.lastUsed
		ok, wait, touch := l.take(k, t0.Add(s.at))
		if ok != s.ok || touch != s.touch {
			t.Errorf("step %d: ok %v touch %v, want %v %v", i, ok, touch, s.ok, s.touch)
		}
		if !ok && (wait <= 0 || wait > 30*time.Second) {
			t.Errorf("step %d: wait %v", i, wait)
		}
	}
	// A changed budget takes effect at once.
	k.RatePerMinute, k.LastUsedAt = 100, nil
	for i := range 100 {
		if ok, _, _ := l.take(k, t0.Add(162*time.Second)); !ok {
			t.Fatalf("request %d of 100 refused", i+1)
		}
	}
}

func ptr[T any](v T) *T { return &v }
