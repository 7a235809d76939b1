package store

import (
	"context"
	"database/sql"
	"time"

	"minyi"
	"minyi/org"
)

const apiKeyColumns = "id, name, contact, prefix, rate_per_minute, created_by, created_at, revoked_at, last_used_at"

func scanAPIKey(s scanner) (org.APIKey, error) {
	var k org.APIKey
	var created int64
	var revoked, used sql.NullInt64
	err := s.Scan(&k.ID, &k.Name, &k.Contact, &k.Prefix, &k.RatePerMinute, &k.CreatedBy, &created, &revoked, &used)
	k.CreatedAt, k.RevokedAt, k.LastUsedAt = fromMicros(created), timePtr(revoked), timePtr(used)
	return k, err
}

// CreateAPIKey stores a client key by its hash.
func (db *DB) CreateAPIKey(ctx context.Context, k *org.APIKey, hash string) error {
	return db.inTx(ctx, func(t tx) error {
		err := t.queryRow(ctx, `INSERT INTO api_keys(name, contact, key_hash, prefix, rate_per_minute, created_by,
			created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, k.Name, k.Contact, hash, k.Prefix,
			k.RatePerMinute, k.CreatedBy, micros(k.CreatedAt)).Scan(&k.ID)
		if isUniqueViolation(err) {
			return duplicate("name", "客户端名称")
		}
		return wrap(err)
	})
}

// APIKeys lists every key, revoked ones included.
func (db *DB) APIKeys(ctx context.Context) ([]org.APIKey, error) {
	return list(ctx, db, "SELECT "+apiKeyColumns+" FROM api_keys ORDER BY name", scanAPIKey)
}

// APIKeyByHash returns the key with the given hash, revoked or not.
func (db *DB) APIKeyByHash(ctx context.Context, hash string) (org.APIKey, error) {
	k, err := scanAPIKey(db.queryRow(ctx, "SELECT "+apiKeyColumns+" FROM api_keys WHERE key_hash = ?", hash))
	if err == sql.ErrNoRows {
		return k, minyi.Errorf(minyi.EForbidden, "API key 无效 / invalid api_key")
	}
	return k, wrap(err)
}

// RevokeAPIKey revokes the named key at time at.
func (db *DB) RevokeAPIKey(ctx context.Context, name string, at time.Time) error {
	return db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", micros(at), name)
		if err != nil {
			return wrap(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := t.queryRow(ctx, "SELECT 1 FROM api_keys WHERE name = ?", name).Scan(&one); err == sql.ErrNoRows {
				return notFound("API key", "API key", name)
			}
		}
		return nil
	})
}

// TouchAPIKey records that a key was used at time at.
func (db *DB) TouchAPIKey(ctx context.Context, id int64, at time.Time) error {
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", micros(at), id)
		return wrap(err)
	})
}
