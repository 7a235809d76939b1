package org

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
)

// TokenPrefix marks minyi API tokens so that leaked ones are easy to spot.
const TokenPrefix = "mny_"

// Token lifetimes: a token dies at its expiry even if nobody revokes it, so
// a forgotten one in an old script or a laptop stops working on its own.
const (
	DefaultTokenLifetime = 90 * 24 * time.Hour
	MaxTokenLifetime     = 366 * 24 * time.Hour
)

// tokenTouchEvery is how stale a token's recorded last use may get: a use
// is written at most once per period, not on every request.
const tokenTouchEvery = time.Hour

// Token is a member of staff's API bearer token as listed: never the
// secret, which only its creator sees, once.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"-"`
	UserName   string     `json:"user"`
	Label      string     `json:"label"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Live reports whether the token is neither revoked nor expired at now.
func (t Token) Live(now time.Time) bool { return t.RevokedAt == nil && now.Before(t.ExpiresAt) }

// UseIsStale reports whether a use at now should be recorded: the last one
// recorded is missing or over tokenTouchEvery old.
func (t Token) UseIsStale(now time.Time) bool {
	return t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenTouchEvery
}

// TokenStore keeps staff API tokens by their hash.
type TokenStore interface {
	// CreateToken stores a new token by its hash and sets its ID.
	CreateToken(ctx context.Context, t *Token, tokenHash string) error
	// UserByToken returns the token with the given hash and its owner,
	// live or not.
	UserByToken(ctx context.Context, tokenHash string) (User, Token, error)
	// Tokens lists a user's tokens, newest first, revoked and expired ones included.
	Tokens(ctx context.Context, userID int64) ([]Token, error)
	// Token returns one token by its ID.
	Token(ctx context.Context, id int64) (Token, error)
	// RevokeToken revokes a token at time at; revoking it again changes nothing.
	RevokeToken(ctx context.Context, id int64, at time.Time) error
	// TouchToken records that a token was used at time at.
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

// CheckTokenLifetime refuses a lifetime that is not positive or longer than
// MaxTokenLifetime; 0 stands for DefaultTokenLifetime.
func CheckTokenLifetime(d time.Duration) (time.Duration, error) {
	switch {
	case d == 0:
		return DefaultTokenLifetime, nil
	case d < time.Minute || d > MaxTokenLifetime:
		return 0, minyi.Invalid("expires", "有效期须在1分钟到366天之间", "the lifetime must be between 1 minute and 366 days")
	}
	return d, nil
}

// IssueToken creates an API bearer token for the named user, for that user
// or an administrator, valid for lifetime from now (0:
// DefaultTokenLifetime), and returns it with its record; only its hash is
// stored.
func (s *Service) IssueToken(ctx context.Context, actor User, userName, label string, lifetime time.Duration) (string, Token, error) {
	if actor.Name != userName {
		if err := CheckManage(actor); err != nil {
			return "", Token{}, err
		}
	}
	label = strings.TrimSpace(label)
	if utf8.RuneCountInString(label) > 80 {
		return "", Token{}, minyi.Invalid("label", "用途不能超过80字", "label must be at most 80 characters")
	}
	lifetime, err := CheckTokenLifetime(lifetime)
	if err != nil {
		return "", Token{}, err
	}
	u, err := s.Store.UserByName(ctx, userName)
	if err != nil {
		return "", Token{}, err
	}
	if u.Disabled {
		return "", Token{}, minyi.Errorf(minyi.EForbidden, "账号已停用 / account disabled")
	}
	now := s.now().Truncate(time.Microsecond)
	t := Token{UserID: u.ID, UserName: u.Name, Label: label, CreatedAt: now, ExpiresAt: now.Add(lifetime)}
	token := TokenPrefix + NewSecret(24)
	if err := s.Store.CreateToken(ctx, &t, HashToken(token)); err != nil {
		return "", Token{}, err
	}
	return token, t, nil
}

// HashToken is how API tokens are stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate returns the user holding token and the token itself, if the
// token is live now and its owner enabled. Unknown, revoked and expired
// tokens all get EUnauthorized.
func (s *Service) Authenticate(ctx context.Context, token string) (User, Token, error) {
	u, t, err := s.Store.UserByToken(ctx, HashToken(token))
	if err != nil {
		if minyi.ErrorCode(err) == minyi.ENotFound {
			err = minyi.Errorf(minyi.EUnauthorized, "令牌无效 / invalid token")
		}
		return User{}, Token{}, err
	}
	switch {
	case t.RevokedAt != nil:
		return User{}, Token{}, minyi.Errorf(minyi.EUnauthorized, "令牌已撤销 / token revoked")
	case !s.now().Before(t.ExpiresAt):
		return User{}, Token{}, minyi.Errorf(minyi.EUnauthorized, "令牌已过期 / token expired")
	case u.Disabled:
		return User{}, Token{}, minyi.Errorf(minyi.EUnauthorized, "账号已停用 / account disabled")
	}
	return u, t, nil
}

// TouchToken records that t was used now, unless a use recorded less than
// tokenTouchEvery ago makes that unnecessary (Token.UseIsStale).
func (s *Service) TouchToken(ctx context.Context, t Token) error {
	now := s.now()
	if !t.UseIsStale(now) {
		return nil
	}
	return s.Store.TouchToken(ctx, t.ID, now)
}

// Tokens lists owner's tokens, newest first, for owner or an administrator.
func (s *Service) Tokens(ctx context.Context, actor, owner User) ([]Token, error) {
	if err := checkSelfOrManage(actor, owner.ID); err != nil {
		return nil, err
	}
	return s.Store.Tokens(ctx, owner.ID)
}

// RevokeToken revokes owner's token with the given id, for owner or an
// administrator, and returns it revoked; the zero owner stands for any
// (the command line revokes by id alone). Another user's token reads as
// not found, so that ids reveal nothing.
func (s *Service) RevokeToken(ctx context.Context, actor, owner User, id int64) (Token, error) {
	notFound := minyi.Errorf(minyi.ENotFound, "令牌不存在 / token not found")
	t, err := s.Store.Token(ctx, id)
	if err != nil {
		return Token{}, err
	}
	if owner.ID != 0 && t.UserID != owner.ID || t.UserID != actor.ID && !actor.CanManage() {
		return Token{}, notFound
	}
	if err := s.Store.RevokeToken(ctx, id, s.now()); err != nil {
		return Token{}, err
	}
	return s.Store.Token(ctx, id)
}
