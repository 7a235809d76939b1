package web

import (
	"context"
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

// sessionSweepAt is how many sessions the store remembers before it
// forgets the expired ones.
const sessionSweepAt = 4096

func newSessionStore(inner scs.CtxStore, codec scs.Codec, idle time.Duration) *sessionStore {
	return &sessionStore{CtxStore: inner, codec: codec, refresh: min(idle/10, time.Minute), seen: map[string]seenSession{}}
}

// FindCtx reads a session; data other than this process wrote (another
// server's change) makes the next commit write.
func (s *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	b, found, err := s.CtxStore.FindCtx(ctx, token)
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
