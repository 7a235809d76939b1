package store_test

import (
	"strconv"
	"testing"
	"time"

	"minyi/internal/testdb"
	"minyi/org"
)

// undoTokenExpiry takes api_tokens back to before migration 17, for the
// tests that roll a database back to an earlier schema and migrate it again.
var undoTokenExpiry = []string{
	"DROP INDEX api_tokens_user",
	"ALTER TABLE api_tokens DROP COLUMN expires_at",
	"ALTER TABLE api_tokens DROP COLUMN revoked_at",
	"ALTER TABLE api_tokens DROP COLUMN last_used_at",
	"ALTER TABLE api_tokens ADD COLUMN revoked BIGINT NOT NULL DEFAULT 0",
}

// Tokens made before migration 17 had no expiry: they get the default
// lifetime from the migration on, and one the old flag revoked stays
// revoked.
func TestMigration17GivesOldTokensAnExpiry(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, url := openAt(t, d)
			u := org.User{Name: "zhao", Role: org.RoleLeader}
			if _, err := org.NewService(db).AddUser(ctx, org.Operator("test"), &u); err != nil {
				t.Fatal(err)
			}
			live, revoked := org.TokenPrefix+"live", org.TokenPrefix+"revoked"
			created := time.Now().AddDate(-1, 0, 0).UnixMicro()
			db = reopenAfter(t, db, url, append(append(append(undoEventLog, undoDeskVersions()...), undoTokenExpiry...), dropShareLocation, "DELETE FROM schema_migrations WHERE version >= 17",
				"INSERT INTO api_tokens(user_id, name, token_hash, created_at) VALUES ("+itoa(u.ID)+", 'old', '"+org.HashToken(live)+"', "+itoa(created)+")",
				"INSERT INTO api_tokens(user_id, name, token_hash, created_at, revoked) VALUES ("+itoa(u.ID)+", 'gone', '"+org.HashToken(revoked)+"', "+itoa(created)+", "+itoa(created+1)+")")...)
			migrated := time.Now()
			_, tok, err := org.NewService(db).Authenticate(ctx, live)
			if err != nil {
				t.Fatalf("an old token stopped working at the migration: %v", err)
			}
			if want := migrated.Add(org.DefaultTokenLifetime); tok.ExpiresAt.Sub(want).Abs() > time.Minute {
				t.Errorf("expires %v, want about %v", tok.ExpiresAt, want)
			}
			if _, _, err := (&org.Service{Store: db, Now: func() time.Time { return migrated.Add(org.DefaultTokenLifetime + time.Minute) }}).Authenticate(ctx, live); err == nil {
				t.Error("an old token works past its new expiry")
			}
			if _, _, err := org.NewService(db).Authenticate(ctx, revoked); err == nil {
				t.Error("a token revoked before the migration works after it")
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
