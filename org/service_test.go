package org

import (
	"context"
	"testing"
	"time"

	"minyi"
	"minyi/ratelimit"
)

// memStore keeps the organisation in memory for the service's rules; the
// conformance of the real stores is tested in package store. Methods a test
// does not need are left to the nil Store, and panic.
type memStore struct {
	Store
	units    map[string]Unit
	users    map[string]User
	tokens   map[int64]Token
	keys     map[string]APIKey
	totp     map[int64]string
	failures []loginFailure
}

type loginFailure struct {
	name, remote string
	at           time.Time
}

func newMemStore() *memStore {
	return &memStore{units: map[string]Unit{}, users: map[string]User{}, tokens: map[int64]Token{},
		keys: map[string]APIKey{}, totp: map[int64]string{}}
}

var errNotFound = minyi.Errorf(minyi.ENotFound, "not found")

func (m *memStore) CreateUnit(_ context.Context, u *Unit) error { m.units[u.Code] = *u; return nil }
func (m *memStore) UpdateUnit(_ context.Context, u Unit) error  { m.units[u.Code] = u; return nil }
func (m *memStore) Unit(_ context.Context, code string) (Unit, error) {
	if u, ok := m.units[code]; ok {
		return u, nil
	}
	return Unit{}, errNotFound
}
func (m *memStore) Units(context.Context) ([]Unit, error) {
	var out []Unit
	for _, u := range m.units {
		out = append(out, u)
	}
	return out, nil
}
func (m *memStore) CreateBranch(context.Context, *Branch) error { return nil }
func (m *memStore) CreateUser(_ context.Context, u *User) error {
	u.ID = int64(len(m.users) + 1)
	m.users[u.Name] = *u
	return nil
}
func (m *memStore) UserByName(_ context.Context, name string) (User, error) {
	if u, ok := m.users[name]; ok {
		return u, nil
	}
	return User{}, errNotFound
}
func (m *memStore) Users(context.Context) ([]User, error) {
	var out []User
	for _, u := range m.users {
		out = append(out, u)
	}
	return out, nil
}
func (m *memStore) UpdateUser(_ context.Context, u User, _ bool) error {
	m.users[u.Name] = u
	return nil
}
func (m *memStore) SetPassword(_ context.Context, id int64, hash string) error {
	for n, u := range m.users {
		if u.ID == id {
			u.PasswordHash = hash
			m.users[n] = u
		}
	}
	return nil
}
func (m *memStore) CreateToken(_ context.Context, t *Token, _ string) error {
	t.ID = int64(len(m.tokens) + 1)
	m.tokens[t.ID] = *t
	return nil
}
func (m *memStore) Token(_ context.Context, id int64) (Token, error) {
	if t, ok := m.tokens[id]; ok {
		return t, nil
	}
	return Token{}, errNotFound
}
func (m *memStore) Tokens(_ context.Context, userID int64) ([]Token, error) {
	var out []Token
	for _, t := range m.tokens {
		if t.UserID == userID {
			out = append(out, t)
		}
	}
	return out, nil
}
func (m *memStore) RevokeToken(_ context.Context, id int64, at time.Time) error {
	t := m.tokens[id]
	t.RevokedAt = &at
	m.tokens[id] = t
	return nil
}
func (m *memStore) CreateAPIKey(_ context.Context, k *APIKey, _ string) error {
	m.keys[k.Name] = *k
	return nil
}
func (m *memStore) APIKeys(context.Context) ([]APIKey, error) {
	var out []APIKey
	for _, k := range m.keys {
		out = append(out, k)
	}
	return out, nil
}
func (m *memStore) RevokeAPIKey(_ context.Context, name string, at time.Time) error {
	k := m.keys[name]
	k.RevokedAt = &at
	m.keys[name] = k
	return nil
}
func (m *memStore) UserTOTP(_ context.Context, id int64) (string, int64, error) {
	return m.totp[id], 0, nil
}
func (m *memStore) SetUserTOTP(_ context.Context, id int64, secret string) error {
	m.totp[id] = secret
	return nil
}
func (m *memStore) RecordLoginFailure(_ context.Context, name, remote string, at time.Time) error {
	m.failures = append(m.failures, loginFailure{name, remote, at})
	return nil
}
func (m *memStore) RecentLoginFailures(_ context.Context, name, remote string, since, remoteSince time.Time) (LoginFailures, error) {
	var f LoginFailures
	for _, x := range m.failures {
		if x.name == name && !x.at.Before(since) {
			f.Name++
			if x.remote == remote {
				f.NameFromAddress++
			}
		}
		if x.remote == remote && !x.at.Before(remoteSince) {
			f.Address++
		}
	}
	return f, nil
}
func (m *memStore) ClearLoginFailures(_ context.Context, name, remote string) error {
	kept := m.failures[:0]
	for _, x := range m.failures {
		if x.name != name || remote != "" && x.remote != remote {
			kept = append(kept, x)
		}
	}
	m.failures = kept
	return nil
}

// orgFixture is a service over a bureau with one station, an
// administrator, a leader, two officers of the station and a partner.
func orgFixture(t *testing.T) (*Service, map[string]User) {
	t.Helper()
	ctx := context.Background()
	s := NewService(newMemStore())
	op := Operator("test")
	for _, u := range []Unit{{Code: "bureau", Name: "局", Kind: UnitBureau}, {Code: "a", Name: "甲所", Kind: UnitStation, ParentCode: "bureau"}} {
		if err := s.AddUnit(ctx, op, &u); err != nil {
			t.Fatal(err)
		}
	}
	users := map[string]User{}
	for _, u := range []User{{Name: "admin", Role: RoleAdmin}, {Name: "leader", Role: RoleLeader},
		{Name: "officer", Role: RoleOfficer, UnitCode: "a"}, {Name: "other", Role: RoleOfficer, UnitCode: "a"},
		{Name: "head", Role: RoleUnitHead, UnitCode: "a"}, {Name: "partner", Role: RolePartner, UnitCode: "a"}} {
		// A known hash keeps the fixture fast: AddUser's argon2id runs once.
		if u.Name == "admin" {
			if _, err := s.AddUser(ctx, op, &u); err != nil {
				t.Fatal(err)
			}
		} else if err := s.Store.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		users[u.Name] = u
	}
	return s, users
}

// TestServiceWhoMayDoWhat is the service's table of authorisation: who may
// call each door, on whom. It is written out independently of the code.
func TestServiceWhoMayDoWhat(t *testing.T) {
	ctx := context.Background()
	doors := []struct {
		name string
		call func(s *Service, actor User, users map[string]User) error
		// allowed are the actors who may; everybody else is refused with
		// refusal.
		allowed []string
		refusal string
	}{
		{"add a unit", func(s *Service, a User, _ map[string]User) error {
			return s.AddUnit(ctx, a, &Unit{Code: "b", Name: "乙所", Kind: UnitStation, ParentCode: "bureau"})
		}, []string{"admin"}, minyi.EForbidden},
		{"change a unit", func(s *Service, a User, _ map[string]User) error {
			return s.UpdateUnit(ctx, a, Unit{Code: "a", Name: "甲派出所", Kind: UnitStation, ParentCode: "bureau"})
		}, []string{"admin"}, minyi.EForbidden},
		{"add a party branch", func(s *Service, a User, _ map[string]User) error {
			return s.AddBranch(ctx, a, &Branch{Code: "branch-a", Name: "甲所党支部", UnitCode: "a"})
		}, []string{"admin"}, minyi.EForbidden},
		{"list users", func(s *Service, a User, _ map[string]User) error {
			_, err := s.Users(ctx, a)
			return err
		}, []string{"admin"}, minyi.EForbidden},
		{"read an officer's account", func(s *Service, a User, _ map[string]User) error {
			_, err := s.User(ctx, a, "officer")
			return err
		}, []string{"admin", "officer"}, minyi.EForbidden},
		{"change a user", func(s *Service, a User, u map[string]User) error {
			o := u["officer"]
			o.DisplayName = "李警官"
			return s.ChangeUser(ctx, a, o)
		}, []string{"admin"}, minyi.EForbidden},
		{"reset a password", func(s *Service, a User, u map[string]User) error {
			_, err := s.ResetPassword(ctx, a, u["officer"])
			return err
		}, []string{"admin"}, minyi.EForbidden},
		{"reset a second factor", func(s *Service, a User, u map[string]User) error {
			return s.ResetTOTP(ctx, a, u["officer"])
		}, []string{"admin"}, minyi.EForbidden},
		{"see whether an officer has a second factor", func(s *Service, a User, u map[string]User) error {
			_, err := s.HasTOTP(ctx, a, u["officer"])
			return err
		}, []string{"admin", "officer"}, minyi.EForbidden},
		{"list an officer's tokens", func(s *Service, a User, u map[string]User) error {
			_, err := s.Tokens(ctx, a, u["officer"])
			return err
		}, []string{"admin", "officer"}, minyi.EForbidden},
		{"make an officer a token", func(s *Service, a User, _ map[string]User) error {
			_, _, err := s.IssueToken(ctx, a, "officer", "script", 0)
			return err
		}, []string{"admin", "officer"}, minyi.EForbidden},
		{"revoke an officer's token", func(s *Service, a User, u map[string]User) error {
			_, t, err := s.IssueToken(ctx, u["officer"], "officer", "script", 0)
			if err != nil {
				return err
			}
			_, err = s.RevokeToken(ctx, a, u["officer"], t.ID)
			return err
		}, []string{"admin", "officer"}, minyi.ENotFound}, // ids reveal nothing
		{"list Open311 keys", func(s *Service, a User, _ map[string]User) error {
			_, err := s.APIKeys(ctx, a)
			return err
		}, []string{"admin"}, minyi.EForbidden},
		{"make an Open311 key", func(s *Service, a User, _ map[string]User) error {
			_, err := s.CreateAPIKey(ctx, a, &APIKey{Name: "city-app"})
			return err
		}, []string{"admin"}, minyi.EForbidden},
		{"revoke an Open311 key", func(s *Service, a User, _ map[string]User) error {
			return s.RevokeAPIKey(ctx, a, "city-app")
		}, []string{"admin"}, minyi.EForbidden},
	}
	actors := []string{"admin", "leader", "head", "officer", "other", "partner", "anonymous"}
	for _, d := range doors {
		for _, name := range actors {
			t.Run(d.name+"/"+name, func(t *testing.T) {
				s, users := orgFixture(t)
				actor := users[name] // anonymous: the zero User
				err := d.call(s, actor, users)
				allowed := false
				for _, a := range d.allowed {
					allowed = allowed || a == name
				}
				switch {
				case allowed && err != nil:
					t.Fatalf("%s refused: %v", name, err)
				case !allowed && minyi.ErrorCode(err) != d.refusal:
					t.Fatalf("%s: err = %v, want %s", name, err, d.refusal)
				}
			})
		}
	}
}

func TestServiceOperatorActsAsAdministrator(t *testing.T) {
	s, _ := orgFixture(t)
	k := APIKey{Name: "city-app"}
	if _, err := s.CreateAPIKey(context.Background(), Operator("cli"), &k); err != nil {
		t.Fatal(err)
	}
	if k.CreatedBy != "cli" || k.RatePerMinute != DefaultRatePerMinute {
		t.Fatalf("key = %+v, want made by cli at the default rate", k)
	}
}

// TestServiceLoginThrottling runs the lockout rule through Login: wrong
// passwords (for real and unknown names alike) count per name and address,
// the fifth locks that name from that address only, and a right password
// clears the count.
func TestServiceLoginThrottling(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s, _ := orgFixture(t)
	s.Now = func() time.Time { return now }
	password, err := s.ResetPassword(ctx, Operator("test"), mustUser(t, s, "officer"))
	if err != nil {
		t.Fatal(err)
	}
	here, there := Client{Address: "192.0.2.1"}, Client{Address: "198.51.100.7"}
	steps := []struct {
		name           string
		from           Client
		user, password string
		want           error // nil, ErrLoginFailed or an error of code ETooMany
		failures       int   // Login.Failures when refused
	}{
		{"right password", here, "officer", password, nil, 0},
		{"wrong password", here, "officer", "wrong", ErrLoginFailed, 1},
		{"unknown name counts too", here, "nobody", "wrong", ErrLoginFailed, 1},
		{"right password clears", here, "officer", password, nil, 0},
		{"1st wrong", here, "officer", "wrong", ErrLoginFailed, 1},
		{"2nd wrong", here, "officer", "wrong", ErrLoginFailed, 2},
		{"3rd wrong", here, "officer", "wrong", ErrLoginFailed, 3},
		{"4th wrong", here, "officer", "wrong", ErrLoginFailed, 4},
		{"5th wrong", here, "officer", "wrong", ErrLoginFailed, 5},
		{"locked here, even with the right password", here, "officer", password, errTooMany, 0},
		{"not locked from elsewhere", there, "officer", password, nil, 0},
	}
	for _, st := range steps {
		l, err := s.Login(ctx, st.from, st.user, st.password)
		switch {
		case st.want == errTooMany:
			if minyi.ErrorCode(err) != minyi.ETooMany || minyi.RetryAfter(err) != LockoutWindow {
				t.Fatalf("%s: err = %v, want too many, wait %v", st.name, err, LockoutWindow)
			}
		case err != st.want:
			t.Fatalf("%s: err = %v, want %v", st.name, err, st.want)
		case err != nil && l.Failures != st.failures:
			t.Fatalf("%s: failures = %d, want %d", st.name, l.Failures, st.failures)
		case err == nil && (l.User.Name != st.user || l.NeedsCode):
			t.Fatalf("%s: login = %+v", st.name, l)
		}
	}
	now = now.Add(LockoutWindow + time.Second)
	if _, err := s.Login(ctx, here, "officer", password); err != nil {
		t.Fatalf("after the window: %v", err)
	}

	// An address's failures for any names lock it at the per-address rate.
	from := Client{Address: "203.0.113.9", PerAddress: ratelimit.Rate{N: 3, Per: time.Minute}}
	for _, name := range []string{"a1", "a2", "a3"} {
		if _, err := s.Login(ctx, from, name, "x"); err != ErrLoginFailed {
			t.Fatal(err)
		}
	}
	if _, err := s.Login(ctx, from, "officer", password); minyi.ErrorCode(err) != minyi.ETooMany || minyi.RetryAfter(err) != time.Minute {
		t.Fatalf("address over its rate: err = %v, want too many, wait 1m", err)
	}
}

var errTooMany = minyi.Errorf(minyi.ETooMany, "sentinel of the table")

func TestServiceLoginAsksForTheSecondFactor(t *testing.T) {
	ctx := context.Background()
	s, _ := orgFixture(t)
	s.Now = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) } // "000000" is wrong then
	u := mustUser(t, s, "officer")
	password, err := s.ResetPassword(ctx, Operator("test"), u)
	if err != nil {
		t.Fatal(err)
	}
	s.Store.(*memStore).totp[u.ID] = "JBSWY3DPEHPK3PXP"
	l, err := s.Login(ctx, Client{}, "officer", password)
	if err != nil || !l.NeedsCode {
		t.Fatalf("login = %+v, %v; want a code asked for", l, err)
	}
	if _, err := s.LoginCode(ctx, Client{}, "officer", "000000"); err != ErrCodeFailed {
		t.Fatalf("wrong code: %v", err)
	}
	if _, err := s.LoginCode(ctx, Client{}, "nobody", "000000"); err != ErrLoginGone {
		t.Fatalf("unknown account: %v", err)
	}
}

func mustUser(t *testing.T, s *Service, name string) User {
	t.Helper()
	u, err := s.Store.UserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
