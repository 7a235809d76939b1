package ratelimit

import (
	"context"
	"errors"
	"testing"
	"time"

	"minyi"
)

func TestParseReadsCountsPerPeriodAndZeroIsOff(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Rate
		bad  bool
	}{
		{"20/h", Rate{20, time.Hour}, false},
		{"3/h", Rate{3, time.Hour}, false},
		{"600/m", Rate{600, time.Minute}, false},
		{"5/s", Rate{5, time.Second}, false},
		{"100/d", Rate{100, 24 * time.Hour}, false},
		{"10/15m", Rate{10, 15 * time.Minute}, false},
		{" 7/2h ", Rate{7, 2 * time.Hour}, false},
		{"0", Rate{}, false},
		{"off", Rate{}, false},
		{"0/h", Rate{}, false},
		{"20", Rate{}, true},
		{"x/h", Rate{}, true},
		{"-1/h", Rate{}, true},
		{"20/fortnight", Rate{}, true},
		{"20/100ms", Rate{}, true},
		{"", Rate{}, true},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, err := Parse(c.in)
			if (err != nil) != c.bad || got != c.want {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v, error %v", c.in, got, err, c.want, c.bad)
			}
			if !c.bad {
				if back, err := Parse(got.String()); err != nil || back != got {
					t.Errorf("%v does not read back: %+v %v", got, back, err)
				}
			}
		})
	}
}

func TestWindowsAreFixedAndTheSameOnEveryServer(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2026, 11, 28, h, m, s, 0, time.UTC) }
	for _, c := range []struct {
		name       string
		now        time.Time
		per        time.Duration
		start, end time.Time
	}{
		{"start of the hour", at(9, 0, 0), time.Hour, at(9, 0, 0), at(10, 0, 0)},
		{"within the hour", at(9, 59, 59), time.Hour, at(9, 0, 0), at(10, 0, 0)},
		{"quarter hours", at(9, 44, 10), 15 * time.Minute, at(9, 30, 0), at(9, 45, 0)},
		{"a minute", at(9, 44, 10), time.Minute, at(9, 44, 0), at(9, 45, 0)},
		{"another zone, same instant", at(9, 44, 10).In(time.FixedZone("CST", 8*3600)), time.Hour, at(9, 0, 0), at(10, 0, 0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			start, end := Window(c.now, c.per)
			if !start.Equal(c.start) || !end.Equal(c.end) {
				t.Errorf("Window(%v, %v) = %v, %v; want %v, %v", c.now, c.per, start, end, c.start, c.end)
			}
		})
	}
}

func TestTakeRefusesBeyondTheRateUntilTheWindowEnds(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 9, 59, 0, 0, time.UTC)
	l := Limiter{Counter: &Memory{}, Now: func() time.Time { return now }}
	rate := Rate{3, time.Hour}
	steps := []struct {
		at      time.Duration // after 9:59
		subject string
		ok      bool
		retry   time.Duration
	}{
		{0, "a", true, 0},
		{time.Second, "a", true, 0},
		{2 * time.Second, "a", true, 0},
		{3 * time.Second, "a", false, 57 * time.Second}, // the window ends at 10:00
		{4 * time.Second, "b", true, 0},                 // another subject has its own count
		{time.Minute, "a", true, 0},                     // 10:00:00: a new window
	}
	for i, s := range steps {
		now = time.Date(2026, 11, 28, 9, 59, 0, 0, time.UTC).Add(s.at)
		err := l.Take(ctx, "test", rate, s.subject)
		if (err == nil) != s.ok {
			t.Fatalf("step %d: %v", i, err)
		}
		var e *minyi.Error
		if !s.ok && (!errors.As(err, &e) || e.Code != minyi.ETooMany || e.RetryAfter != s.retry) {
			t.Errorf("step %d: %#v, want too_many retry after %v", i, err, s.retry)
		}
	}
	if err := l.Take(ctx, "test", Rate{}, "a"); err != nil {
		t.Errorf("a rate of 0 refused: %v", err)
	}
}

func TestCheckRefusesOnceTheFailuresAreUsedUpWithoutCounting(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	l := Limiter{Counter: &Memory{}, Now: func() time.Time { return now }}
	rate := Rate{2, time.Hour}
	for i := range 5 {
		if err := l.Check(ctx, "guess", rate, "n"); err != nil {
			t.Fatalf("check %d counted: %v", i, err)
		}
	}
	l.Take(ctx, "guess", rate, "n")
	l.Take(ctx, "guess", rate, "n")
	if err := l.Check(ctx, "guess", rate, "n"); minyi.ErrorCode(err) != minyi.ETooMany {
		t.Fatalf("after 2 failures: %v", err)
	}
	now = now.Add(time.Hour)
	if err := l.Check(ctx, "guess", rate, "n"); err != nil {
		t.Fatalf("in the next window: %v", err)
	}
}

func TestMemoryForgetsExpiredWindows(t *testing.T) {
	ctx := context.Background()
	var m Memory
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	for i := range 100 {
		m.HitRateLimit(ctx, Key("addr", string(rune('a'+i))), t0, t0.Add(time.Minute))
	}
	m.HitRateLimit(ctx, "later", t0.Add(2*time.Minute), t0.Add(3*time.Minute))
	if len(m.windows) != 1 {
		t.Errorf("%d windows kept, want 1", len(m.windows))
	}
}
