package org

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"minyi"
)

// TOTP parameters: SHA-1, six digits, 30-second steps, the only settings
// every authenticator app (Google, Microsoft, FreeOTP, 腾讯身份验证器)
// understands.
const (
	TOTPPeriod = 30
	TOTPDigits = 6
	// TOTPSkew accepts codes one step either side of the server's clock, so
	// that a phone up to about 30 seconds off still works.
	TOTPSkew = 1
)

var totpOpts = totp.ValidateOpts{Period: TOTPPeriod, Skew: TOTPSkew, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTPKey is a newly generated second factor, shown to its user once to be
// entered into an authenticator app.
type TOTPKey struct {
	Secret string // base32, as typed into an app by hand
	URL    string // otpauth://totp/…, as a QR code scanned by an app
}

// NewTOTP generates a random 160-bit TOTP secret for account at issuer.
func NewTOTP(issuer, account string) (TOTPKey, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: TOTPPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPKey{}, minyi.Internal(err)
	}
	return TOTPKey{Secret: k.Secret(), URL: k.URL()}, nil
}

// TOTPStep returns the number of the time step t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// TOTPCode returns the code of secret for the time step of t.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

var errTOTPCode = minyi.Invalid("code", "动态验证码不正确或已使用过，请输入验证器上显示的最新6位数字",
	"wrong or already used code: enter the latest 6 digits your authenticator shows")

// CheckTOTP returns the time step whose code equals code, looking up to
// TOTPSkew steps either side of now. Steps at or before lastStep are not
// accepted, so that a code seen over someone's shoulder cannot be used
// again; the caller stores the returned step as the new lastStep.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (int64, error) {
	code = strings.Join(strings.Fields(code), "") // apps show "123 456"
	if len(code) != TOTPDigits || strings.Trim(code, "0123456789") != "" || secret == "" {
		return 0, errTOTPCode
	}
	current := TOTPStep(now)
	for step := current - TOTPSkew; step <= current+TOTPSkew; step++ {
		if step <= lastStep {
			continue
		}
		want, err := TOTPCode(secret, time.Unix(step*TOTPPeriod, 0))
		if err != nil {
			return 0, minyi.Internal(err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, nil
		}
	}
	return 0, errTOTPCode
}

// TOTPStore keeps second factors, sealed at rest with the server's secret
// key, which it holds.
type TOTPStore interface {
	// SecretKeyError is ErrNoSecretKey when the server has no key to seal
	// secrets with, else nil.
	SecretKeyError() error
	// SealEnrolment seals a secret being set up for the user with userID,
	// to wait in their session; OpenEnrolment opens it.
	SealEnrolment(userID int64, plain string) (string, error)
	OpenEnrolment(userID int64, sealed string) (string, error)
	// UserTOTP returns the user's secret ("" without a second factor) and
	// the last time step used.
	UserTOTP(ctx context.Context, userID int64) (secret string, lastStep int64, err error)
	// SetUserTOTP puts a secret in force ("": none) and forgets the last step.
	SetUserTOTP(ctx context.Context, userID int64, secret string) error
	// UseTOTPStep records step as used, refusing (EConflict) one not after
	// the last.
	UseTOTPStep(ctx context.Context, userID, step int64) error
}

// HasTOTP reports whether u has a second factor, for u or an administrator.
func (s *Service) HasTOTP(ctx context.Context, actor, u User) (bool, error) {
	if err := checkSelfOrManage(actor, u.ID); err != nil {
		return false, err
	}
	secret, _, err := s.Store.UserTOTP(ctx, u.ID)
	return secret != "", err
}

// StartTOTP makes a new second factor for actor, named for issuer in
// authenticator apps, and returns its secret and its otpauth URL sealed, to
// wait in actor's session until ConfirmTOTP; the factor in force, if any,
// stays until then. Without the server's secret key the secret could not be
// stored, which it says now (ErrNoSecretKey), not after the user has
// scanned it into an app.
func (s *Service) StartTOTP(actor User, issuer string) (secret, link string, err error) {
	if err := s.Store.SecretKeyError(); err != nil {
		return "", "", err
	}
	k, err := NewTOTP(issuer, actor.Name)
	if err != nil {
		return "", "", err
	}
	if secret, err = s.Store.SealEnrolment(actor.ID, k.Secret); err != nil {
		return "", "", err
	}
	if link, err = s.Store.SealEnrolment(actor.ID, k.URL); err != nil {
		return "", "", err
	}
	return secret, link, nil
}

// OpenEnrolment opens a value StartTOTP sealed for actor.
func (s *Service) OpenEnrolment(actor User, sealed string) (string, error) {
	return s.Store.OpenEnrolment(actor.ID, sealed)
}

// ConfirmTOTP puts secret, being set up by actor, in force once code, a
// code from it, is right (else EInvalid): that proves the authenticator app
// holds it.
func (s *Service) ConfirmTOTP(ctx context.Context, actor User, secret, code string) error {
	step, err := CheckTOTP(secret, code, s.now(), 0)
	if err != nil {
		return err
	}
	if err := s.Store.SetUserTOTP(ctx, actor.ID, secret); err != nil {
		return err
	}
	return s.Store.UseTOTPStep(ctx, actor.ID, step)
}

// DisableTOTP removes actor's own second factor on a right code (else
// EInvalid naming disable_code): whoever borrows an unlocked screen must
// not be able to switch it off.
func (s *Service) DisableTOTP(ctx context.Context, actor User, code string) error {
	secret, last, err := s.Store.UserTOTP(ctx, actor.ID)
	if err != nil {
		return err
	}
	step, err := CheckTOTP(secret, code, s.now(), last)
	if err == nil {
		err = s.Store.UseTOTPStep(ctx, actor.ID, step)
	}
	if err != nil {
		if c := minyi.ErrorCode(err); c != minyi.EInvalid && c != minyi.EConflict {
			return err
		}
		return minyi.Invalid("disable_code", "动态验证码不正确或已使用过", "wrong or already used code")
	}
	return s.Store.SetUserTOTP(ctx, actor.ID, "")
}

// ResetTOTP removes u's second factor, for an administrator, when a phone
// is lost: u logs in with the password alone and sets up a new one.
func (s *Service) ResetTOTP(ctx context.Context, actor, u User) error {
	if err := CheckManage(actor); err != nil {
		return err
	}
	return s.Store.SetUserTOTP(ctx, u.ID, "")
}
