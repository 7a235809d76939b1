package open311

import (
	"testing"
	"time"

	"minyi/org"
)

func TestOpen311KeysAreRecordedOnceAMinute(t *testing.T) {
	var touches o311Touches
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	k := org.APIKey{ID: 7, RatePerMinute: 2}
	steps := []struct {
		at       time.Duration
		lastUsed *time.Time // as read from the store
		touch    bool
	}{
		{0, nil, true},                // first use: recorded
		{time.Second, nil, false},     // within the minute: not again
		{61 * time.Second, nil, true}, // a minute after the last record
		{62 * time.Second, ptr(t0.Add(62 * time.Second)), false},
		{125 * time.Second, ptr(t0.Add(100 * time.Second)), false}, // another server recorded it at 100 s
		{161 * time.Second, ptr(t0.Add(100 * time.Second)), true},
	}
	for i, s := range steps {
		k.LastUsedAt = s.lastUsed
		if touch := touches.due(k, t0.Add(s.at)); touch != s.touch {
			t.Errorf("step %d: touch %v, want %v", i, touch, s.touch)
		}
	}
}

func ptr[T any](v T) *T { return &v }
