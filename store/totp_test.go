package store_test

import (
	"errors"
	"strings"
	"testing"

	"minyi"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

func TestTOTPSecretsAreSealedAtRest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		var users [2]org.User
		for i, name := range []string{"zhao", "qian"} {
			users[i] = org.User{Name: name, Role: org.RoleLeader}
			if _, err := org.NewService(db).AddUser(ctx, org.Operator("test"), &users[i]); err != nil {
				t.Fatal(err)
			}
		}
		zhao, qian := users[0], users[1]
		r := raw(t, db)
		column := func(u org.User) string {
			t.Helper()
			var v string
			if err := r.QueryRow("SELECT totp_secret FROM users WHERE id = " + itoa(u.ID)).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		setColumn := func(u org.User, v string) {
			t.Helper()
			if _, err := r.Exec("UPDATE users SET totp_secret = '" + v + "' WHERE id = " + itoa(u.ID)); err != nil {
				t.Fatal(err)
			}
		}
		const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

		if err := db.SetUserTOTP(ctx, zhao.ID, secret); err != nil {
			t.Fatal(err)
		}
		stored := column(zhao)
		if strings.Contains(stored, secret) || strings.Contains(strings.ToUpper(stored), secret[:16]) || !strings.HasPrefix(stored, "enc1:"+testdb.SecretKey.ID()+":") {
			t.Fatalf("the column holds %q", stored)
		}
		if got, _, err := db.UserTOTP(ctx, zhao.ID); err != nil || got != secret {
			t.Fatalf("UserTOTP = %q, %v", got, err)
		}

		t.Run("a sealed secret copied to another row does not open", func(t *testing.T) {
			setColumn(qian, stored)
			if got, _, err := db.UserTOTP(ctx, qian.ID); err == nil {
				t.Fatalf("opened %q", got)
			}
			setColumn(qian, "")
		})

		t.Run("a clear secret from an older version is sealed at start", func(t *testing.T) {
			setColumn(qian, secret)
			if n, err := db.PrepareTOTPSecrets(ctx); err != nil || n != 1 {
				t.Fatalf("sealed %d: %v", n, err)
			}
			if v := column(qian); strings.Contains(v, secret) {
				t.Fatalf("still in clear: %q", v)
			}
			if got, _, err := db.UserTOTP(ctx, qian.ID); err != nil || got != secret {
				t.Fatalf("UserTOTP = %q, %v", got, err)
			}
			if n, err := db.PrepareTOTPSecrets(ctx); err != nil || n != 0 {
				t.Fatalf("a second start sealed %d: %v", n, err)
			}
		})

		t.Run("another key is refused, naming both", func(t *testing.T) {
			other, err := org.ParseSecretKey(strings.Repeat("ab", 32))
			if err != nil {
				t.Fatal(err)
			}
			db.SetSecretKey(other)
			defer db.SetSecretKey(testdb.SecretKey)
			var wrong *org.WrongKeyError
			if _, err := db.PrepareTOTPSecrets(ctx); !errors.As(err, &wrong) || wrong.Sealed != testdb.SecretKey.ID() || wrong.Given != other.ID() {
				t.Fatalf("start with another key: %v", err)
			}
			if _, _, err := db.UserTOTP(ctx, zhao.ID); err == nil {
				t.Fatal("opened with another key")
			}
		})

		t.Run("without a key", func(t *testing.T) {
			db.SetSecretKey(nil)
			defer db.SetSecretKey(testdb.SecretKey)
			if _, err := db.PrepareTOTPSecrets(ctx); err != org.ErrNoSecretKey {
				t.Fatalf("start without a key on a database with secrets: %v", err)
			}
			if err := db.SetUserTOTP(ctx, zhao.ID, secret); err != org.ErrNoSecretKey || db.SecretKeyError() != org.ErrNoSecretKey {
				t.Fatalf("enrol without a key: %v", err)
			}
			if err := db.SetUserTOTP(ctx, zhao.ID, ""); err != nil {
				t.Fatalf("removing needs no key: %v", err)
			}
			if err := db.SetUserTOTP(ctx, qian.ID, ""); err != nil {
				t.Fatal(err)
			}
			if n, err := db.PrepareTOTPSecrets(ctx); err != nil || n != 0 {
				t.Fatalf("start without a key and without secrets: %d %v", n, err)
			}
		})
	})
}

func TestTOTPState(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		u := org.User{Name: "admin", Role: org.RoleAdmin}
		if _, err := org.NewService(db).AddUser(ctx, org.Operator("test"), &u); err != nil {
			t.Fatal(err)
		}
		check := func(t *testing.T, secret string, step int64) {
			t.Helper()
			s, n, err := db.UserTOTP(ctx, u.ID)
			if err != nil || s != secret || n != step {
				t.Fatalf("UserTOTP = %q, %d, %v; want %q, %d", s, n, err, secret, step)
			}
		}
		check(t, "", 0)
		steps := []struct {
			name string
			do   func() error
			code string // expected error code
			// state afterwards
			secret string
			step   int64
		}{
			{"no secret: no step", func() error { return db.UseTOTPStep(ctx, u.ID, 5) }, minyi.EConflict, "", 0},
			{"enrol", func() error { return db.SetUserTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXP") }, "", "JBSWY3DPEHPK3PXP", 0},
			{"first code", func() error { return db.UseTOTPStep(ctx, u.ID, 100) }, "", "JBSWY3DPEHPK3PXP", 100},
			{"same code again", func() error { return db.UseTOTPStep(ctx, u.ID, 100) }, minyi.EConflict, "JBSWY3DPEHPK3PXP", 100},
			{"older code", func() error { return db.UseTOTPStep(ctx, u.ID, 99) }, minyi.EConflict, "JBSWY3DPEHPK3PXP", 100},
			{"next code", func() error { return db.UseTOTPStep(ctx, u.ID, 101) }, "", "JBSWY3DPEHPK3PXP", 101},
			{"remove", func() error { return db.SetUserTOTP(ctx, u.ID, "") }, "", "", 0},
			{"unknown user", func() error { return db.SetUserTOTP(ctx, 99999, "X") }, minyi.ENotFound, "", 0},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				err := s.do()
				if s.code != "" {
					wantProblem(t, err, s.code, "")
				} else if err != nil {
					t.Fatal(err)
				}
				check(t, s.secret, s.step)
			})
		}
		if _, _, err := db.UserTOTP(ctx, 99999); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Fatalf("unknown user: %v", err)
		}
	})
}
