package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Memory is a Counter in this process's memory: for limits that need not
// hold across servers and would otherwise cost a database write per read.
type Memory struct {
	mu      sync.Mutex
	windows map[string]memWindow
	swept   time.Time
}

type memWindow struct {
	start, expires time.Time
	n              int
}

// sweepEvery bounds how often expired windows are dropped, so that
// addresses seen once do not pile up.
const sweepEvery = time.Minute

// HitRateLimit implements Counter.
func (m *Memory) HitRateLimit(_ context.Context, key string, start, expires time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.windows == nil {
		m.windows = map[string]memWindow{}
	}
	if start.Sub(m.swept) >= sweepEvery {
		// start is never later than the caller's now, so whatever expired
		// by start has expired.
		for k, w := range m.windows {
			if !w.expires.After(start) {
				delete(m.windows, k)
			}
		}
		m.swept = start
	}
	w := m.windows[key]
	if !w.start.Equal(start) {
		w = memWindow{start: start, expires: expires}
	}
	w.n++
	m.windows[key] = w
	return w.n, nil
}

// RateLimitCount implements Counter.
func (m *Memory) RateLimitCount(_ context.Context, key string, start time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if w, ok := m.windows[key]; ok && w.start.Equal(start) {
		return w.n, nil
	}
	return 0, nil
}
