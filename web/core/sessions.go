package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"minyi"
	"minyi/org"
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionStore keeps staff sessions in the database without writing on
// every page. With an idle timeout, scs commits each request's session to
// push its expiry forward: a durable write (and a disk flush) per page view
// that changes nothing else. This store skips a commit whose data is what
// this process last wrote (and still found there) and whose expiry moves
// by less than refresh (a tenth of the idle timeout, at most a minute), so
// a session lasts between idle-refresh and idle after its last request. Sessions are compared decoded: the encoding of the same
// values varies (gob writes a map in no fixed order).
type sessionStore struct {
	scs.CtxStore
	codec   scs.Codec
	refresh time.Duration

	mu   sync.Mutex
	seen map[string]seenSession // by the token as scs hands it to the store
}

// seenSession is what the database holds of a session, as far as this
// process knows.
type seenSession struct {
	deadline time.Time
	values   map[string]any
	expiry   time.Time
}

// same reports whether the encoded session b holds what the database holds.
func (v seenSession) same(codec scs.Codec, b []byte) bool {
	deadline, values, err := codec.Decode(b)
	return err == nil && deadline.Equal(v.deadline) && reflect.DeepEqual(values, v.values)
}

// sameSession reports whether the encoded sessions a and b hold the same
// deadline and values.
func sameSession(codec scs.Codec, a, b []byte) bool {
	deadline, values, err := codec.Decode(a)
	return err == nil && seenSession{deadline: deadline, values: values}.same(codec, b)
}

// sessionSweepAt is how many sessions the store remembers before it
// forgets the expired ones.
const sessionSweepAt = 4096

func newSessionStore(inner scs.CtxStore, codec scs.Codec, idle time.Duration) *sessionStore {
	return &sessionStore{CtxStore: inner, codec: codec, refresh: min(idle/10, time.Minute), seen: map[string]seenSession{}}
}

// notActivityKey marks a request's context as NotActivity's: it holds the
// *loadedSession its session was read as.
type notActivityKey struct{}

// loadedSession is the session a NotActivity request read, as stored.
type loadedSession struct {
	data  []byte
	found bool
}

// NotActivity serves next as a request that is not the user's activity (a
// page's background poll): its session is read and checked as any other,
// but not written back unless next changed it. scs commits every request's
// session to push its idle expiry forward, so without this a tab left open
// on a staff page, polling every minute, would keep its session alive
// forever, and the idle timeout would never end it.
func NotActivity(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), notActivityKey{}, &loadedSession{})))
	})
}

// FindCtx reads a session; data other than this process wrote (another
// server's change) makes the next commit write.
func (s *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	b, found, err := s.CtxStore.FindCtx(ctx, token)
	if l, ok := ctx.Value(notActivityKey{}).(*loadedSession); ok {
		l.data, l.found = b, found && err == nil
	}
	s.mu.Lock()
	prev, ok := s.seen[token]
	s.mu.Unlock()
	if ok && (!found || err != nil || !prev.same(s.codec, b)) {
		s.forget(token)
	}
	return b, found, err
}

// CommitCtx writes a session unless the database already holds its data
// with an expiry less than refresh short of the new one.
func (s *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if l, ok := ctx.Value(notActivityKey{}).(*loadedSession); ok && l.found && sameSession(s.codec, l.data, b) {
		return nil // not activity, and nothing changed: the stored expiry stands
	}
	s.mu.Lock()
	prev, ok := s.seen[token]
	s.mu.Unlock()
	if ok && !expiry.Before(prev.expiry) && expiry.Sub(prev.expiry) < s.refresh && prev.same(s.codec, b) {
		return nil
	}
	if err := s.CtxStore.CommitCtx(ctx, token, b, expiry); err != nil {
		s.forget(token)
		return err
	}
	deadline, values, err := s.codec.Decode(b)
	if err != nil {
		return nil // written; only not remembered
	}
	s.mu.Lock()
	if len(s.seen) >= sessionSweepAt {
		now := time.Now()
		for t, v := range s.seen {
			if v.expiry.Before(now) {
				delete(s.seen, t)
			}
		}
	}
	s.seen[token] = seenSession{deadline: deadline, values: values, expiry: expiry}
	s.mu.Unlock()
	return nil
}

// DeleteCtx ends a session.
func (s *sessionStore) DeleteCtx(ctx context.Context, token string) error {
	s.forget(token)
	return s.CtxStore.DeleteCtx(ctx, token)
}

func (s *sessionStore) forget(token string) {
	s.mu.Lock()
	delete(s.seen, token)
	s.mu.Unlock()
}

// Session keys: the logged-in user's name, and a fingerprint of the
// password hash the session was opened with, so that changing or resetting
// a password ends every other session of that account.
const (
	SessionKeyUser       = "user"
	sessionKeyCredential = "credential"
)

// credentialFingerprint identifies a password hash without revealing it.
func credentialFingerprint(passwordHash string) string {
	sum := sha256.Sum256([]byte(passwordHash))
	return hex.EncodeToString(sum[:8])
}

// StartSession binds the (already renewed) session to u.
func (s *Base) StartSession(ctx context.Context, u org.User) {
	s.Sessions.Put(ctx, SessionKeyUser, u.Name)
	s.Sessions.Put(ctx, sessionKeyCredential, credentialFingerprint(u.PasswordHash))
}

// SessionUser puts the logged-in member of staff into the request context.
// An account disabled since login loses its session at the next request.
func (s *Base) SessionUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		name := s.Sessions.GetString(ctx, SessionKeyUser)
		if name == "" {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.Org.Account(ctx, name)
		if err == nil && s.Sessions.GetString(ctx, sessionKeyCredential) != credentialFingerprint(u.PasswordHash) {
			u.Disabled = true // the password changed since this session began
		}
		if err != nil || u.Disabled {
			if err != nil && minyi.ErrorCode(err) != minyi.ENotFound {
				s.PageError(w, r, err)
				return
			}
			s.Sessions.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey, u)))
	})
}

// SecurePage sets the headers every page carries: no framing (clickjacking),
// scripts only from our own origin (so injected markup cannot run), and no
// leaking of page addresses to other sites.
func (s *Base) SecurePage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
