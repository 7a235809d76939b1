package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"minyi/org"
)

const tokenColumns = "api_tokens.id, api_tokens.user_id, users.name, api_tokens.name, api_tokens.created_at, " +
	"api_tokens.expires_at, api_tokens.revoked_at, api_tokens.last_used_at"

const tokensJoin = " FROM api_tokens JOIN users ON users.id = api_tokens.user_id"

func scanToken(s scanner, more ...any) (org.Token, error) {
	var t org.Token
	var created, expires int64
	var revoked, used sql.NullInt64
	err := s.Scan(append([]any{&t.ID, &t.UserID, &t.UserName, &t.Label, &created, &expires, &revoked, &used}, more...)...)
	t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt = fromMicros(created), fromMicros(expires), timePtr(revoked), timePtr(used)
	return t, err
}

// CreateToken stores the hash of a new API token and sets t.ID.
func (db *DB) CreateToken(ctx context.Context, t *org.Token, tokenHash string) error {
	return db.inTx(ctx, func(tx tx) error {
		return wrap(tx.queryRow(ctx, `INSERT INTO api_tokens(user_id, name, token_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, t.UserID, t.Label, tokenHash, micros(t.CreatedAt),
			micros(t.ExpiresAt)).Scan(&t.ID))
	})
}

// UserByToken returns the token with the given hash and its owner, live or
// not: org.Service.Authenticate decides.
func (db *DB) UserByToken(ctx context.Context, tokenHash string) (org.User, org.Token, error) {
	var u org.User
	var party, disabled int
	var created int64
	t, err := scanToken(db.queryRow(ctx, "SELECT "+tokenColumns+", users."+strings.ReplaceAll(userColumns, ", ", ", users.")+
		tokensJoin+" WHERE token_hash = ?", tokenHash),
		&u.ID, &u.Name, &u.DisplayName, &u.Role, &u.UnitCode, &u.BranchCode, &party, &disabled, &u.PasswordHash, &created)
	u.PartyMember, u.Disabled, u.CreatedAt = party == 1, disabled == 1, fromMicros(created)
	if err == sql.ErrNoRows {
		return u, t, notFound("令牌", "token", nil)
	}
	return u, t, wrap(err)
}

// Tokens lists a user's tokens, newest first.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]org.Token, error) {
	return list(ctx, db, "SELECT "+tokenColumns+tokensJoin+" WHERE user_id = ? ORDER BY api_tokens.id DESC",
		func(s scanner) (org.Token, error) { return scanToken(s) }, userID)
}

// Token returns one token.
func (db *DB) Token(ctx context.Context, id int64) (org.Token, error) {
	t, err := scanToken(db.queryRow(ctx, "SELECT "+tokenColumns+tokensJoin+" WHERE api_tokens.id = ?", id))
	if err == sql.ErrNoRows {
		return t, notFound("令牌", "token", id)
	}
	return t, wrap(err)
}

// RevokeToken revokes a token at time at; an already revoked token keeps
// its first revocation time.
func (db *DB) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	return db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", micros(at), id)
		if err != nil {
			return wrap(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := t.queryRow(ctx, "SELECT 1 FROM api_tokens WHERE id = ?", id).Scan(&one); err == sql.ErrNoRows {
				return notFound("令牌", "token", id)
			}
		}
		return nil
	})
}

// revokeUserTokens revokes every live token of a user, inside the
// transaction that changes what the tokens stood for.
func (t tx) revokeUserTokens(ctx context.Context, userID int64) error {
	_, err := t.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
		micros(time.Now()), userID)
	return wrap(err)
}

// TouchToken records that a token was used at time at.
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", micros(at), id)
		return wrap(err)
	})
}

// expireOldTokens gives the tokens made before migration 17, which had no
// expiry, the default lifetime from now.
func expireOldTokens(ctx context.Context, t tx) error {
	_, err := t.exec(ctx, "UPDATE api_tokens SET expires_at = ? WHERE expires_at = 0",
		micros(time.Now().Add(org.DefaultTokenLifetime)))
	return wrap(err)
}
