// Package ratelimit counts uses of a key in fixed windows of time, so that
// one client address, phone number or tracking number cannot use a service
// more than a set number of times a period. It holds the window arithmetic
// and the decision; the counts live behind Counter, in the database when
// several servers must share them (store.DB) or in memory (Memory).
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"minyi"
)

// Rate is at most N uses per period Per; N = 0 switches the limit off.
type Rate struct {
	N   int
	Per time.Duration
}

// Off reports whether the rate allows everything.
func (r Rate) Off() bool { return r.N <= 0 || r.Per <= 0 }

// String writes the rate as Parse reads it, e.g. 20/h, 5/15m or 0.
func (r Rate) String() string {
	if r.Off() {
		return "0"
	}
	for _, u := range units {
		if r.Per == u.d {
			return fmt.Sprintf("%d/%s", r.N, u.name)
		}
	}
	if r.Per%time.Minute == 0 {
		return fmt.Sprintf("%d/%dm", r.N, r.Per/time.Minute)
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}

var units = []struct {
	name string
	d    time.Duration
}{{"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}, {"d", 24 * time.Hour}}

// Parse reads a rate written N/PERIOD: the period is s, m, h or d (one of
// them) or a Go duration such as 15m or 24h; "0" (or "off") is no limit.
func Parse(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "0" || s == "off" {
		return Rate{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	if !ok {
		return Rate{}, fmt.Errorf("rate %q: write N/PERIOD, e.g. 20/h or 5/15m, or 0 for no limit", s)
	}
	count, err := strconv.Atoi(n)
	if err != nil || count < 0 {
		return Rate{}, fmt.Errorf("rate %q: %q is not a count", s, n)
	}
	var d time.Duration
	for _, u := range units {
		if per == u.name {
			d = u.d
		}
	}
	if d == 0 {
		if d, err = time.ParseDuration(per); err != nil || d < time.Second {
			return Rate{}, fmt.Errorf("rate %q: the period must be s, m, h, d or a duration of at least 1s, such as 15m", s)
		}
	}
	if count == 0 {
		return Rate{}, nil
	}
	return Rate{N: count, Per: d}, nil
}

// Window returns the fixed window of length per that holds now: windows
// start at multiples of per since the zero time, so every server puts the
// same instant in the same window.
func Window(now time.Time, per time.Duration) (start, end time.Time) {
	start = now.Truncate(per)
	return start, start.Add(per)
}

// Counter keeps the counts of keys per window.
type Counter interface {
	// HitRateLimit adds one to key's count in the window that starts at
	// start, the first hit of a new window counting from one, and returns
	// the count. The count may be forgotten after expires.
	HitRateLimit(ctx context.Context, key string, start, expires time.Time) (int, error)
	// RateLimitCount returns key's count in the window that starts at start.
	RateLimitCount(ctx context.Context, key string, start time.Time) (int, error)
}

// Limiter decides with a Counter and a clock.
type Limiter struct {
	Counter Counter
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (l Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Key is what is stored for subject under kind: a hash, so that the table
// holds no phone numbers or addresses and any subject makes a valid key.
func Key(kind, subject string) string {
	sum := sha256.Sum256([]byte(subject))
	return kind + ":" + hex.EncodeToString(sum[:16])
}

// Take counts one use of subject under kind, and refuses it with an
// ETooMany error saying when to retry once the window's uses exceed rate.
func (l Limiter) Take(ctx context.Context, kind string, rate Rate, subject string) error {
	if rate.Off() {
		return nil
	}
	now := l.now()
	start, end := Window(now, rate.Per)
	n, err := l.Counter.HitRateLimit(ctx, Key(kind, subject), start, end)
	if err != nil {
		return err
	}
	return refusal(n > rate.N, now, end)
}

// Use is one use of a limit, to be counted in the transaction of the write
// it limits: counting then costs no write (and no commit) of its own, and a
// write that fails leaves no count behind.
type Use struct {
	Key        string    // Key(kind, subject)
	Allowance  int       // the rate's uses per window
	Start, End time.Time // the window
	Now        time.Time
	// Refuse: past the allowance the write is refused with Refusal;
	// otherwise it goes ahead and the writer is told it was past.
	Refuse bool
}

// Use returns the use of subject under kind in the current window, or
// false when rate is off.
func (l Limiter) Use(kind string, rate Rate, subject string, refuse bool) (Use, bool) {
	if rate.Off() {
		return Use{}, false
	}
	now := l.now()
	start, end := Window(now, rate.Per)
	return Use{Key: Key(kind, subject), Allowance: rate.N, Start: start, End: end, Now: now, Refuse: refuse}, true
}

// Over reports whether the use that brought the window's count to n went
// past the allowance.
func (u Use) Over(n int) bool { return n > u.Allowance }

// Refusal is the error of a use past its allowance.
func (u Use) Refusal() error { return TooMany(u.End.Sub(u.Now)) }

// Check refuses, without counting, when subject has already used up rate
// in the current window; for limits that count only failures (access-code
// guesses), which are then counted with Take.
func (l Limiter) Check(ctx context.Context, kind string, rate Rate, subject string) error {
	if rate.Off() {
		return nil
	}
	now := l.now()
	start, end := Window(now, rate.Per)
	n, err := l.Counter.RateLimitCount(ctx, Key(kind, subject), start)
	if err != nil {
		return err
	}
	return refusal(n >= rate.N, now, end)
}

func refusal(over bool, now, end time.Time) error {
	if !over {
		return nil
	}
	return TooMany(end.Sub(now))
}

// TooMany is the refusal of a request over a limit, to be retried after wait
// (rounded up to whole seconds, at least one).
func TooMany(wait time.Duration) error {
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	return &minyi.Error{Code: minyi.ETooMany, RetryAfter: time.Duration(secs) * time.Second,
		Message: fmt.Sprintf("请求过于频繁，请%d秒后再试 / too many requests; try again in %d s", secs, secs)}
}
