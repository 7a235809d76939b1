package core

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/org"
)

type ctxKey int

const (
	userKey ctxKey = iota
	csrfKey
)

// UserFrom returns the authenticated member of staff, if any.
func UserFrom(ctx context.Context) (org.User, bool) {
	u, ok := ctx.Value(userKey).(org.User)
	return u, ok
}

// Authenticate resolves a bearer token to a user, on the JSON API only. A
// bad token is refused at once rather than treated as anonymous, so a
// client with an expired token learns about it instead of silently filing
// as a citizen. Pages ignore the Authorization header: a page request
// with only a token is not logged in, so a token never stands in for a
// login with its second factor.
func (s *Base) Authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" || !isAPIPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			s.Error(w, r, minyi.Errorf(minyi.EUnauthorized, "请使用 Bearer 令牌 / use a Bearer token"))
			return
		}
		u, t, err := s.Org.Authenticate(r.Context(), token)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if err := s.Org.TouchToken(r.Context(), t); err != nil {
			s.Log.WarnContext(r.Context(), "recording a token's use", "token", t.ID, "user", u.Name, "err", err)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, u)))
	})
}

// isAPIPath reports whether path is on the JSON API, where bearer tokens
// are taken.
func isAPIPath(path string) bool { return path == "/api" || strings.HasPrefix(path, "/api/") }

// RequireStaff returns the caller or an error for anonymous callers.
func RequireStaff(r *http.Request) (org.User, error) {
	u, ok := UserFrom(r.Context())
	if !ok {
		return u, minyi.Errorf(minyi.EUnauthorized, "请先登录或提供令牌 / authentication required")
	}
	return u, nil
}

// RequireAdmin returns the caller or an error for anonymous callers and
// for those org refuses to let manage (org.CheckManage), for the doors that
// must refuse before they read a request; the services check again.
func RequireAdmin(r *http.Request) (org.User, error) {
	u, err := RequireStaff(r)
	if err == nil {
		err = org.CheckManage(u)
	}
	return u, err
}

// TooLarge is the error of a request body over limit bytes.
func TooLarge(limit int64) error {
	return minyi.Errorf(minyi.ETooLarge, "请求内容超过%d字节 / request body over %d bytes", limit, limit)
}

// StatusRecorder remembers the status a handler answered with, for the
// metrics and the logs.
type StatusRecorder struct {
	http.ResponseWriter
	// Status is the status written; 0 until the handler writes.
	Status int
}

// WriteHeader remembers the first status written.
func (r *StatusRecorder) WriteHeader(code int) {
	if r.Status == 0 {
		r.Status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap is the writer underneath, for http.ResponseController (an
// export's write deadline).
func (r *StatusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Write is an implicit 200 when no status was written.
func (r *StatusRecorder) Write(b []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Instrument records each route's requests and latency for /metrics.
func (s *Base) Instrument(pattern string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &StatusRecorder{ResponseWriter: w}
		start := time.Now()
		h(rec, r)
		if rec.Status == 0 {
			rec.Status = http.StatusOK
		}
		s.Metrics.Requests.WithLabelValues(r.Method, pattern, strconv.Itoa(rec.Status)).Inc()
		s.Metrics.Latency.WithLabelValues(r.Method, pattern).Observe(time.Since(start).Seconds())
	})
}

// LogRequests logs every request at debug level with its status and duration.
func (s *Base) LogRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &StatusRecorder{ResponseWriter: w}
		start := time.Now()
		next.ServeHTTP(rec, r)
		s.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.Status, "duration", time.Since(start))
	})
}

// RecoverPanics answers a handler's panic as an internal error (500) instead
// of dropping the connection; http.ErrAbortHandler still aborts.
func (s *Base) RecoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Error(w, r, minyi.Internal(errors.New("panic: "+strings.TrimSpace(toString(v)))))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func toString(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "unknown"
}
