package core

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"minyi"
)

// retryAfter is what 503 and 507 answers tell clients to wait, in seconds:
// a reconnecting database or an operator freeing space takes a while.
const retryAfter = 30

// failureLogEvery is how often a lasting failure of the database (full,
// unreachable) is logged: once a minute says it as well as once a request.
const failureLogEvery = time.Minute

// failureLog throttles the log of lasting failures, per error code.
type failureLog struct {
	mu         sync.Mutex
	last       map[string]time.Time
	suppressed map[string]int
}

// Failed logs a failed request (5xx only) and sets the headers its status
// asks for; every door's error writer calls it. A failure of the database
// itself is logged once a minute with the number of requests it refused
// meanwhile; other server errors, each one a bug, are logged every time.
func (s *Base) Failed(w http.ResponseWriter, r *http.Request, status int, err error) {
	if (status == http.StatusServiceUnavailable || status == http.StatusInsufficientStorage) && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	if status < 500 {
		return
	}
	code := minyi.ErrorCode(err)
	var e *minyi.Error
	lasting := (code == minyi.EUnavailable || code == minyi.EStorageFull) && errors.As(err, &e) && e.Err != nil
	if !lasting {
		s.Log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	l := &s.failures
	l.mu.Lock()
	now := time.Now()
	if now.Sub(l.last[code]) < failureLogEvery {
		l.suppressed[code]++
		l.mu.Unlock()
		return
	}
	if l.last == nil {
		l.last, l.suppressed = map[string]time.Time{}, map[string]int{}
	}
	l.last[code] = now
	n := l.suppressed[code]
	l.suppressed[code] = 0
	l.mu.Unlock()
	s.Log.ErrorContext(r.Context(), "database refuses requests", "code", code, "status", status,
		"refused_since_last_report", n, "method", r.Method, "path", r.URL.Path, "err", err)
}
