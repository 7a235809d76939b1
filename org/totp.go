package org

import (
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
