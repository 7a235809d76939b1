package org

import (
	"context"
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
	TokenStore
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
