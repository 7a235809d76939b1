package org

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"minyi"
)

// Store persists the organisation. *store.DB implements it.
type Store interface {
	CreateUnit(ctx context.Context, u *Unit) error
	Unit(ctx context.Context, code string) (Unit, error)
	Units(ctx context.Context) ([]Unit, error)
	CreateBranch(ctx context.Context, b *Branch) error
	Branches(ctx context.Context) ([]Branch, error)
	CreateUser(ctx context.Context, u *User) error
	UserByName(ctx context.Context, name string) (User, error)
	Users(ctx context.Context) ([]User, error)
	CreateToken(ctx context.Context, userID int64, name, tokenHash string) error
	UserByToken(ctx context.Context, tokenHash string) (User, error)
}

// AddUnit validates a unit and stores it; its parent must already exist.
func AddUnit(ctx context.Context, s Store, u *Unit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.ParentCode != "" {
		if _, err := s.Unit(ctx, u.ParentCode); minyi.ErrorCode(err) == minyi.ENotFound {
			return minyi.Invalid("parent_code", "上级单位不存在", "parent unit not found")
		} else if err != nil {
			return err
		}
	}
	return s.CreateUnit(ctx, u)
}

// AddUser validates and stores a user with a fresh random password, which
// it returns: the only time the password exists in the clear.
func AddUser(ctx context.Context, s Store, u *User) (string, error) {
	u.Name = strings.TrimSpace(u.Name)
	if err := u.Validate(); err != nil {
		return "", err
	}
	if u.UnitCode != "" {
		if _, err := s.Unit(ctx, u.UnitCode); minyi.ErrorCode(err) == minyi.ENotFound {
			return "", minyi.Invalid("unit", "单位不存在", "unit not found")
		} else if err != nil {
			return "", err
		}
	}
	password := NewSecret(12)
	hash, err := HashPassword(password)
	if err != nil {
		return "", minyi.Internal(err)
	}
	u.PasswordHash = hash
	if err := s.CreateUser(ctx, u); err != nil {
		return "", err
	}
	return password, nil
}

// TokenPrefix marks minyi API tokens so that leaked ones are easy to spot.
const TokenPrefix = "mny_"

// IssueToken creates an API bearer token for the named user and returns it;
// only its hash is stored.
func IssueToken(ctx context.Context, s Store, userName, label string) (string, error) {
	u, err := s.UserByName(ctx, userName)
	if err != nil {
		return "", err
	}
	if u.Disabled {
		return "", minyi.Errorf(minyi.EForbidden, "账号已停用 / account disabled")
	}
	token := TokenPrefix + NewSecret(24)
	if err := s.CreateToken(ctx, u.ID, label, HashToken(token)); err != nil {
		return "", err
	}
	return token, nil
}

// HashToken is how API tokens are stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate returns the live user holding token.
func Authenticate(ctx context.Context, s Store, token string) (User, error) {
	u, err := s.UserByToken(ctx, HashToken(token))
	if err != nil {
		return User{}, err
	}
	if u.Disabled {
		return User{}, minyi.Errorf(minyi.EUnauthorized, "账号已停用 / account disabled")
	}
	return u, nil
}
