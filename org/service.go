package org

import (
	"context"
	"strings"
	"time"

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

// Service is the organisation's front door for the web layer, the command
// line and the demo loader: it checks who may do what and validates before
// anything is stored.
type Service struct {
	Store Store
	// Now is the service's clock; nil is time.Now.
	Now func() time.Time
}

// NewService returns a service over store.
func NewService(store Store) *Service { return &Service{Store: store} }

// now is the configured clock.
func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
