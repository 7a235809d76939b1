package web

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

// userFrom returns the authenticated member of staff, if any.
func userFrom(ctx context.Context) (org.User, bool) {
	u, ok := ctx.Value(userKey).(org.User)
	return u, ok
}

// authenticate resolves a bearer token to a user, on the JSON API only. A
// bad token is refused at once rather than treated as anonymous, so a
// client with an expired token learns about it instead of silently filing
// as a citizen. Pages ignore the Authorization header: a page request
// with only a token is not logged in, so a token never stands in for a
// login with its second factor.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" || !isAPIPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			s.error(w, r, minyi.Errorf(minyi.EUnauthorized, "请使用 Bearer 令牌 / use a Bearer token"))
			return
		}
		u, t, err := s.org.Authenticate(r.Context(), token)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if err := s.org.TouchToken(r.Context(), t); err != nil {
			s.log.WarnContext(r.Context(), "recording a token's use", "token", t.ID, "user", u.Name, "err", err)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, u)))
	})
}

// isAPIPath reports whether path is on the JSON API, where bearer tokens
// are taken.
func isAPIPath(path string) bool { return path == "/api" || strings.HasPrefix(path, "/api/") }

// requireStaff returns the caller or an error for anonymous callers.
func requireStaff(r *http.Request) (org.User, error) {
	u, ok := userFrom(r.Context())
	if !ok {
		return u, minyi.Errorf(minyi.EUnauthorized, "请先登录或提供令牌 / authentication required")
	}
	return u, nil
}

// requireAdmin returns the caller or an error for anonymous callers and
// for those org refuses to let manage (org.CheckManage), for the doors that
// must refuse before they read a request; the services check again.
func requireAdmin(r *http.Request) (org.User, error) {
	u, err := requireStaff(r)
	if err == nil {
		err = org.CheckManage(u)
	}
	return u, err
}

// limitBody caps request bodies; reading past the cap fails with
// *http.MaxBytesError, which decodeJSON turns into 413.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.config.MaxBodyBytes {
			if strings.HasPrefix(r.URL.Path, "/open311/") {
				s.o311FailPath(w, r, tooLarge(s.config.MaxBodyBytes))
				return
			}
			s.error(w, r, tooLarge(s.config.MaxBodyBytes))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.config.MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

func tooLarge(limit int64) error {
	return minyi.Errorf(minyi.ETooLarge, "请求内容超过%d字节 / request body over %d bytes", limit, limit)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// instrument records each route's requests and latency for /metrics.
func (s *Server) instrument(pattern string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		start := time.Now()
		h(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.metrics.requests.WithLabelValues(r.Method, pattern, strconv.Itoa(rec.status)).Inc()
		s.metrics.latency.WithLabelValues(r.Method, pattern).Observe(time.Since(start).Seconds())
	})
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		start := time.Now()
		next.ServeHTTP(rec, r)
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.error(w, r, minyi.Internal(errors.New("panic: "+strings.TrimSpace(toString(v)))))
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
