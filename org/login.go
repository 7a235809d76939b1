package org

import (
	"context"
	"hash/fnv"
	"sync"
	"time"

	"minyi"
	"minyi/ratelimit"
)

// LoginStore keeps the failed logins that throttling counts.
type LoginStore interface {
	RecordLoginFailure(ctx context.Context, name, remote string, at time.Time) error
	// RecentLoginFailures counts the failures for name at or after since,
	// from every address and from remote, and those from remote for any
	// name at or after remoteSince.
	RecentLoginFailures(ctx context.Context, name, remote string, since, remoteSince time.Time) (LoginFailures, error)
	// ClearLoginFailures forgets name's failures from remote ("": from
	// everywhere).
	ClearLoginFailures(ctx context.Context, name, remote string) error
}

// Client is where a login attempt comes from: its address as the abuse
// limits count it (a network for IPv6), and the most failed logins that
// address may make for any names (the zero Rate: no such limit).
type Client struct {
	Address    string
	PerAddress ratelimit.Rate
}

// Refusals of a login. Each is a guess that failed and counts toward the
// lockout; they read the same whatever was wrong, so that they reveal
// nothing about the account.
var (
	ErrLoginFailed = minyi.Errorf(minyi.EUnauthorized, "用户名或密码不正确 / wrong name or password")
	ErrCodeFailed  = minyi.Errorf(minyi.EUnauthorized, "动态验证码不正确或已使用过 / wrong or already used code")
	// ErrLoginGone refuses the code of a login whose account has gone or
	// been disabled since its password was right; it counts as nothing.
	ErrLoginGone = minyi.Errorf(minyi.EUnauthorized, "请重新登录 / log in again")
)

// Login is the outcome of a login attempt.
type Login struct {
	User User
	// NeedsCode says the password was right but the user has a second
	// factor: the login is complete only with LoginCode, and the failures
	// stay counted until then, so that guessing codes locks too.
	NeedsCode bool
	// Failures counts the recent failures for the name, this one included,
	// when the attempt failed.
	Failures int
}

// nameLocks serialise the login attempts (password, code, password change)
// for one account name, striped by a hash of the name so that guessed names
// cannot make the set grow: otherwise a burst of simultaneous guesses would
// all count the failures before any of them is recorded, and all get
// checked.
var nameLocks [64]sync.Mutex

func lockName(name string) (unlock func()) {
	h := fnv.New32a()
	h.Write([]byte(name))
	m := &nameLocks[h.Sum32()%uint32(len(nameLocks))]
	m.Lock()
	return m.Unlock
}

// dummyHash is checked against when the account does not exist, so that a
// wrong name takes as long as a wrong password and reveals nothing.
var dummyHash, _ = HashPassword("minyi: no such account")

// locked counts the recent failed logins for name from c and refuses
// another attempt (ETooMany, with the wait) when the lockout rule
// (LoginFailures.Locked) or c's per-address limit says so.
func (s *Service) locked(ctx context.Context, c Client, name string, now time.Time) (LoginFailures, error) {
	f, err := s.Store.RecentLoginFailures(ctx, name, c.Address, now.Add(-LockoutWindow), now.Add(-c.PerAddress.Per))
	if err != nil {
		return f, err
	}
	if !f.Locked(c.PerAddress.N) {
		return f, nil
	}
	wait := LockoutWindow
	if !f.Locked(0) { // only the address's failures
		wait = c.PerAddress.Per
	}
	return f, ratelimit.TooMany(wait)
}

// Login checks name's password, from c. Every failure, for existing
// accounts or not, counts toward the lockout and is ErrLoginFailed; a
// locked name or address gets ETooMany. A right password clears the
// failures, unless a second factor must follow (Login.NeedsCode).
func (s *Service) Login(ctx context.Context, c Client, name, password string) (Login, error) {
	unlock := lockName(name)
	defer unlock()
	now := s.now()
	failures, err := s.locked(ctx, c, name, now)
	if err != nil {
		return Login{}, err
	}
	u, err := s.Store.UserByName(ctx, name)
	ok := false
	switch {
	case err == nil:
		ok = CheckPassword(u.PasswordHash, password) && !u.Disabled
	case minyi.ErrorCode(err) == minyi.ENotFound:
		CheckPassword(dummyHash, password)
	default:
		return Login{}, err
	}
	if !ok {
		if err := s.Store.RecordLoginFailure(ctx, name, c.Address, now); err != nil {
			return Login{}, err
		}
		return Login{Failures: failures.Name + 1}, ErrLoginFailed
	}
	secret, _, err := s.Store.UserTOTP(ctx, u.ID)
	if err != nil {
		return Login{}, err
	}
	if secret != "" {
		return Login{User: u, NeedsCode: true}, nil
	}
	if err := s.Store.ClearLoginFailures(ctx, name, c.Address); err != nil {
		return Login{}, err
	}
	return Login{User: u}, nil
}

// LoginCode completes the login of name, whose password was right, with a
// code of its second factor, from c. A wrong or used code counts toward
// the same lockout as a wrong password and is ErrCodeFailed; an account
// gone or disabled meanwhile is ErrLoginGone.
func (s *Service) LoginCode(ctx context.Context, c Client, name, code string) (Login, error) {
	unlock := lockName(name)
	defer unlock()
	now := s.now()
	failures, err := s.locked(ctx, c, name, now)
	if err != nil {
		return Login{}, err
	}
	u, err := s.Store.UserByName(ctx, name)
	if err != nil || u.Disabled {
		return Login{}, ErrLoginGone
	}
	secret, last, err := s.Store.UserTOTP(ctx, u.ID)
	if err != nil {
		return Login{}, err
	}
	step, err := CheckTOTP(secret, code, now, last)
	if err == nil {
		err = s.Store.UseTOTPStep(ctx, u.ID, step)
	}
	if code := minyi.ErrorCode(err); code != "" && code != minyi.EInvalid && code != minyi.EConflict {
		return Login{}, err
	}
	if err != nil {
		if err := s.Store.RecordLoginFailure(ctx, name, c.Address, now); err != nil {
			return Login{}, err
		}
		return Login{Failures: failures.Name + 1}, ErrCodeFailed
	}
	if err := s.Store.ClearLoginFailures(ctx, name, c.Address); err != nil {
		return Login{}, err
	}
	return Login{User: u}, nil
}

// ChangePassword sets actor's own new password after checking the current
// one, from c, and returns the account as changed. A wrong current
// password counts toward the login lockout, it is a guess like any other;
// a locked name or address gets ETooMany.
func (s *Service) ChangePassword(ctx context.Context, c Client, actor User, current, password, confirm string) (User, error) {
	unlock := lockName(actor.Name)
	defer unlock()
	now := s.now()
	if _, err := s.locked(ctx, c, actor.Name, now); err != nil {
		return User{}, err
	}
	u, err := s.Store.UserByName(ctx, actor.Name)
	if err != nil {
		return User{}, err
	}
	if !CheckPassword(u.PasswordHash, current) {
		if err := s.Store.RecordLoginFailure(ctx, u.Name, c.Address, now); err != nil {
			return User{}, err
		}
		return User{}, minyi.Invalid("current", "当前密码不正确", "the current password is wrong")
	}
	if err := CheckNewPassword(u, password, confirm); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, minyi.Internal(err)
	}
	if err := s.Store.SetPassword(ctx, u.ID, hash); err != nil {
		return User{}, err
	}
	return s.Store.UserByName(ctx, u.Name)
}
