package store

import (
	"context"
	"database/sql"
	"strconv"

	"minyi"
	"minyi/org"
)

// TOTP secrets are sealed with the server's secret key (org.SecretKey)
// before they are written, so the database, its backups and dumps hold
// no second factor in clear. The key is the server's, never the
// database's: see SetSecretKey and PrepareTOTPSecrets.

// SetSecretKey gives the store the key that seals TOTP secrets; call it
// before serving, then PrepareTOTPSecrets.
func (db *DB) SetSecretKey(k *org.SecretKey) { db.key.Store(k) }

// SecretKeyError is nil when TOTP secrets can be stored, and
// org.ErrNoSecretKey when the server was given no key.
func (db *DB) SecretKeyError() error {
	if db.key.Load() == nil {
		return org.ErrNoSecretKey
	}
	return nil
}

// totpContext binds a sealed secret to its user's row.
func totpContext(userID int64) string { return "minyi totp user " + strconv.FormatInt(userID, 10) }

// enrolContext binds a sealed secret being set up to its user's session.
func enrolContext(userID int64) string {
	return "minyi totp enrolment user " + strconv.FormatInt(userID, 10)
}

// SealEnrolment seals a second-factor secret (or its otpauth link) while
// the user sets it up: it waits in their session, which is a database row
// like any other, until they confirm it with a code.
func (db *DB) SealEnrolment(userID int64, plain string) (string, error) {
	k := db.key.Load()
	if k == nil {
		return "", org.ErrNoSecretKey
	}
	return k.Seal(plain, enrolContext(userID)), nil
}

// OpenEnrolment opens what SealEnrolment sealed for the same user.
func (db *DB) OpenEnrolment(userID int64, sealed string) (string, error) {
	k := db.key.Load()
	if k == nil {
		return "", org.ErrNoSecretKey
	}
	plain, err := k.Open(sealed, enrolContext(userID))
	if err != nil {
		return "", minyi.Internal(err)
	}
	return plain, nil
}

// UserTOTP returns a user's second-factor secret ("" when the user has
// none) and the last time step a code was accepted for.
func (db *DB) UserTOTP(ctx context.Context, userID int64) (secret string, lastStep int64, err error) {
	err = db.queryRow(ctx, "SELECT totp_secret, totp_step FROM users WHERE id = ?", userID).Scan(&secret, &lastStep)
	if err == sql.ErrNoRows {
		return "", 0, notFound("用户", "user", userID)
	}
	if err != nil {
		return "", 0, wrap(err)
	}
	if _, sealed := org.SealedKeyID(secret); !sealed {
		return secret, lastStep, nil // clear, from before sealing; PrepareTOTPSecrets seals it
	}
	k := db.key.Load()
	if k == nil {
		return "", 0, org.ErrNoSecretKey
	}
	secret, err = k.Open(secret, totpContext(userID))
	if err != nil {
		return "", 0, minyi.Internal(err)
	}
	return secret, lastStep, nil
}

// SetUserTOTP gives a user a second-factor secret, sealed, or with ""
// removes it, and forgets the last step used. Without a key only removing
// works: org.ErrNoSecretKey.
func (db *DB) SetUserTOTP(ctx context.Context, userID int64, secret string) error {
	if secret != "" {
		k := db.key.Load()
		if k == nil {
			return org.ErrNoSecretKey
		}
		secret = k.Seal(secret, totpContext(userID))
	}
	return db.updateOne(ctx, "用户", "user", "UPDATE users SET totp_secret = ?, totp_step = 0 WHERE id = ?", secret, userID)
}

// PrepareTOTPSecrets checks at start-up that the stored TOTP secrets fit
// the key given (SetSecretKey) and seals those an older version stored in
// clear, in one transaction; it returns how many it sealed. Without a key
// it fails with org.ErrNoSecretKey if any user has a secret; secrets
// sealed with another key fail with *org.WrongKeyError.
func (db *DB) PrepareTOTPSecrets(ctx context.Context) (sealed int, err error) {
	type row struct {
		id     int64
		secret string
	}
	rows, err := list(ctx, db, "SELECT id, totp_secret FROM users WHERE totp_secret <> '' ORDER BY id", func(s scanner) (row, error) {
		var r row
		return r, s.Scan(&r.id, &r.secret)
	})
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	k := db.key.Load()
	if k == nil {
		return 0, org.ErrNoSecretKey
	}
	var clear []row
	for _, r := range rows {
		if _, ok := org.SealedKeyID(r.secret); !ok {
			clear = append(clear, r)
			continue
		}
		if _, err := k.Open(r.secret, totpContext(r.id)); err != nil {
			return 0, err
		}
	}
	if len(clear) == 0 {
		return 0, nil
	}
	err = db.inTx(ctx, func(t tx) error {
		for _, r := range clear {
			// Only a row still holding the clear secret changes: a user who
			// set up a new one meanwhile keeps it.
			if _, err := t.exec(ctx, "UPDATE users SET totp_secret = ? WHERE id = ? AND totp_secret = ?",
				k.Seal(r.secret, totpContext(r.id)), r.id, r.secret); err != nil {
				return wrap(err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(clear), nil
}

// UseTOTPStep records that a code of the given time step was accepted. It
// fails with EConflict when that step or a later one was already used, so
// that of two requests racing with the same code only one gets in.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) error {
	return db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, "UPDATE users SET totp_step = ? WHERE id = ? AND totp_step < ? AND totp_secret <> ''", step, userID, step)
		if err != nil {
			return wrap(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return wrap(err)
		} else if n == 0 {
			return minyi.Errorf(minyi.EConflict, "该动态验证码已使用过 / this code has already been used")
		}
		return nil
	})
}
