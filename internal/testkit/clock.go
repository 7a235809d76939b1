// Package testkit holds what the tests of several packages share, so that a
// new register's tests start from the same few lines: a clock the test
// moves by hand (Clock) and a bureau seeded through the services (Bureau).
package testkit

import (
	"sync"
	"time"
)

// Clock is a time the test sets and moves; its Now goes where a service
// takes a func() time.Time. It is safe for concurrent use, so a server
// under test may read it while the test moves it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Advance moves the clock on by d and returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}
