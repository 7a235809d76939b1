package org

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
)

// APIKey lets an outside system (an Open311 client such as a city app) file
// and follow items. Only its hash is stored; the key itself is shown once.
type APIKey struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"` // the client, e.g. "city-app"
	Contact       string     `json:"contact,omitempty"`
	Prefix        string     `json:"prefix"` // first characters, to recognise a key in logs
	RatePerMinute int        `json:"rate_per_minute"`
	CreatedBy     string     `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt    *time.Time `json:"last_used_at,omitempty"`
}

// APIKeyPrefix marks client keys, distinct from staff tokens (TokenPrefix).
const APIKeyPrefix = "mnk_"

// Bounds of a client key's settings.
const (
	// DefaultRatePerMinute is a client's request budget unless set otherwise.
	DefaultRatePerMinute = 120
	MaxRatePerMinute     = 100000
	MaxContactRunes      = 200
)

// Validate checks a key's settings before it is stored.
func (k APIKey) Validate() error {
	var p minyi.Problems
	if !ValidCode(k.Name) {
		p.Add("name", "名称须为1–40位小写字母、数字、-或_", "name must be 1–40 lower-case letters, digits, - or _")
	}
	if utf8.RuneCountInString(k.Contact) > MaxContactRunes {
		p.Add("contact", "联系方式不能超过200字", "contact must be at most 200 characters")
	}
	if k.RatePerMinute < 1 || k.RatePerMinute > MaxRatePerMinute {
		p.Add("rate_per_minute", "每分钟请求上限须在1到100000之间", "rate_per_minute must be between 1 and 100000")
	}
	return p.Err()
}

// NewAPIKey returns a fresh key and what is stored of it.
func NewAPIKey() (key, hash, prefix string) {
	key = APIKeyPrefix + NewSecret(24)
	return key, HashToken(key), key[:len(APIKeyPrefix)+6]
}

// LooksLikeAPIKey reports whether s has the form of a client key.
func LooksLikeAPIKey(s string) bool { return strings.HasPrefix(s, APIKeyPrefix) }

// APIKeyStore keeps client keys.
type APIKeyStore interface {
	CreateAPIKey(ctx context.Context, k *APIKey, hash string) error
	APIKeys(ctx context.Context) ([]APIKey, error)
	APIKeyByHash(ctx context.Context, hash string) (APIKey, error)
	RevokeAPIKey(ctx context.Context, name string, at time.Time) error
	TouchAPIKey(ctx context.Context, id int64, at time.Time) error
}

// APIKeys lists the client keys, for an administrator.
func (s *Service) APIKeys(ctx context.Context, actor User) ([]APIKey, error) {
	if err := CheckManage(actor); err != nil {
		return nil, err
	}
	return s.Store.APIKeys(ctx)
}

// CreateAPIKey validates and stores a new client key, for an administrator
// (its creator), and returns the key itself, which is never shown again.
func (s *Service) CreateAPIKey(ctx context.Context, actor User, k *APIKey) (string, error) {
	if err := CheckManage(actor); err != nil {
		return "", err
	}
	k.Name, k.Contact = strings.TrimSpace(k.Name), strings.TrimSpace(k.Contact)
	if k.RatePerMinute == 0 {
		k.RatePerMinute = DefaultRatePerMinute
	}
	if err := k.Validate(); err != nil {
		return "", err
	}
	key, hash, prefix := NewAPIKey()
	k.Prefix, k.CreatedBy, k.CreatedAt = prefix, actor.Name, s.now().Truncate(time.Microsecond)
	if err := s.Store.CreateAPIKey(ctx, k, hash); err != nil {
		return "", err
	}
	return key, nil
}

// RevokeAPIKey revokes the named client's key, for an administrator;
// revoking it again changes nothing.
func (s *Service) RevokeAPIKey(ctx context.Context, actor User, name string) error {
	if err := CheckManage(actor); err != nil {
		return err
	}
	return s.Store.RevokeAPIKey(ctx, name, s.now())
}

// AuthenticateAPIKey returns the live key matching key. Unknown and revoked
// keys get the same EForbidden error: Open311 answers 403 to both.
func (s *Service) AuthenticateAPIKey(ctx context.Context, key string) (APIKey, error) {
	k, err := s.Store.APIKeyByHash(ctx, HashToken(key))
	if err != nil {
		return APIKey{}, err
	}
	if k.RevokedAt != nil {
		return APIKey{}, minyi.Errorf(minyi.EForbidden, "API key 已撤销 / api_key revoked")
	}
	return k, nil
}

// TouchAPIKey records that the key with id was used at time at.
func (s *Service) TouchAPIKey(ctx context.Context, id int64, at time.Time) error {
	return s.Store.TouchAPIKey(ctx, id, at)
}
