package core

import (
	"context"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"minyi/internal/testdb"
)

// countingStore counts the writes that reach the database.
type countingStore struct {
	scs.CtxStore
	writes int
}

func (c *countingStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	c.writes++
	return c.CtxStore.CommitCtx(ctx, token, b, expiry)
}

func TestSessionStoreSkipsIdleRefreshes(t *testing.T) {
	ctx := t.Context()
	codec := scs.GobCodec{}
	deadline := time.Now().Add(12 * time.Hour)
	encode := func(values map[string]any) []byte {
		b, err := codec.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	signedIn := map[string]any{"user": "li", "credential": "abc", "since": int64(1)}
	db := testdb.Open(t, "sqlite")
	inner := &countingStore{CtxStore: db}
	s := newSessionStore(inner, codec, 30*time.Minute) // refresh: 1 minute
	at := time.Now().Add(30 * time.Minute)

	steps := []struct {
		name   string
		do     func() error
		writes int // in all, after the step
	}{
		{"first commit", func() error { return s.CommitCtx(ctx, "t1", encode(signedIn), at) }, 1},
		{"same values, expiry 5 s later", func() error { return s.CommitCtx(ctx, "t1", encode(signedIn), at.Add(5*time.Second)) }, 1},
		{"same values, expiry 30 s later", func() error { return s.CommitCtx(ctx, "t1", encode(signedIn), at.Add(30*time.Second)) }, 1},
		{"same values, expiry a minute later", func() error { return s.CommitCtx(ctx, "t1", encode(signedIn), at.Add(time.Minute)) }, 2},
		{"changed values", func() error {
			return s.CommitCtx(ctx, "t1", encode(map[string]any{"user": "li", "credential": "xyz", "since": int64(1)}), at.Add(time.Minute))
		}, 3},
		{"another server writes; this one reads it", func() error {
			if err := inner.CtxStore.CommitCtx(ctx, "t1", encode(signedIn), at.Add(time.Minute)); err != nil {
				return err
			}
			_, _, err := s.FindCtx(ctx, "t1")
			return err
		}, 3},
		{"the next commit writes", func() error { return s.CommitCtx(ctx, "t1", encode(signedIn), at.Add(61*time.Second)) }, 4},
		{"deleted, then committed", func() error {
			if err := s.DeleteCtx(ctx, "t1"); err != nil {
				return err
			}
			return s.CommitCtx(ctx, "t1", encode(signedIn), at.Add(61*time.Second))
		}, 5},
		{"another session", func() error { return s.CommitCtx(ctx, "t2", encode(signedIn), at) }, 6},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if inner.writes != step.writes {
			t.Fatalf("%s: %d writes in all, want %d", step.name, inner.writes, step.writes)
		}
	}
	b, found, err := db.FindCtx(ctx, "t1")
	if err != nil || !found || !(seenSession{deadline: deadline, values: signedIn}).same(codec, b) {
		t.Fatalf("the database does not hold the session: %v %v", found, err)
	}
}
