package store_test

import (
	"testing"
	"time"

	"minyi"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestShownOnce: a secret waiting to be shown opens once, for its owner,
// with its own key, for its kind, until it expires; whatever refuses it
// leaves it for its owner, and housekeeping prunes it once expired.
func TestShownOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Now()
		kinds := []string{"password"}
		keep := func(t *testing.T, owner int64, plain string) (string, string) {
			t.Helper()
			id, key, err := org.KeepShownOnce(ctx, db, owner, "password", []byte(plain), now)
			if err != nil {
				t.Fatal(err)
			}
			return id, key
		}
		id, key := keep(t, 7, "secret-one")
		other, otherKey := keep(t, 7, "secret-two")
		tests := []struct {
			name, id, key string
			owner         int64
			kinds         []string
			at            time.Time
		}{
			{"another user", id, key, 8, kinds, now},
			{"no key (another browser)", id, "", 7, kinds, now},
			{"another secret's key", id, otherKey, 7, kinds, now},
			{"another kind's page", id, key, 7, []string{"token"}, now},
			{"expired", id, key, 7, kinds, now.Add(org.ShownOnceTTL)},
			{"not an id", "../" + id, key, 7, kinds, now},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, plain, err := org.TakeShownOnce(ctx, db, tt.owner, tt.kinds, tt.id, tt.key, tt.at); err != org.ErrShownOnceGone || plain != nil {
					t.Fatalf("opened %q: %v", plain, err)
				}
			})
		}

		t.Run("a sealed payload moved to another row does not open", func(t *testing.T) {
			var sealed string
			r := raw(t, db)
			if err := r.QueryRow("SELECT sealed FROM shown_once WHERE id = '" + other + "'").Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			moved, _ := keep(t, 7, "secret-three")
			if _, err := r.Exec("UPDATE shown_once SET sealed = '" + sealed + "' WHERE id = '" + moved + "'"); err != nil {
				t.Fatal(err)
			}
			if _, plain, err := org.TakeShownOnce(ctx, db, 7, kinds, moved, otherKey, now); err != org.ErrShownOnceGone {
				t.Fatalf("opened %q: %v", plain, err)
			}
		})

		kind, plain, err := org.TakeShownOnce(ctx, db, 7, kinds, id, key, now)
		if err != nil || kind != "password" || string(plain) != "secret-one" {
			t.Fatalf("the owner: %s %q %v", kind, plain, err)
		}
		if _, _, err := org.TakeShownOnce(ctx, db, 7, kinds, id, key, now); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Fatalf("shown twice: %v", err)
		}

		if n, err := db.PruneShownOnce(ctx, now.Add(org.ShownOnceTTL-time.Second)); err != nil || n != 0 {
			t.Fatalf("pruned %d before they expired: %v", n, err)
		}
		if n, err := db.PruneShownOnce(ctx, now.Add(org.ShownOnceTTL)); err != nil || n != 2 {
			t.Fatalf("pruned %d once expired, want 2: %v", n, err)
		}
		if _, _, err := org.TakeShownOnce(ctx, db, 7, kinds, other, otherKey, now); err != org.ErrShownOnceGone {
			t.Fatalf("a pruned secret: %v", err)
		}
	})
}
