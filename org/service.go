package org

import (
	"context"
	"strings"
	"time"

	"minyi"
)

// Store persists the organisation. *store.DB implements it.
type Store interface {
	UnitStore
	CreateUnit(ctx context.Context, u *Unit) error
	CreateBranch(ctx context.Context, b *Branch) error
	Branches(ctx context.Context) ([]Branch, error)
	UserStore
	CreateUser(ctx context.Context, u *User) error
	Users(ctx context.Context) ([]User, error)
	TokenStore
	APIKeyStore
	LoginStore
	TOTPStore
	ShownOnceStore
}

// Service is the organisation's one front door, for the web layer, the
// command line and the demo loader alike: each call names its actor, and
// the service checks what the actor may do and validates before anything
// is stored, so that no caller re-states a rule.
type Service struct {
	Store Store
	// Now is the service's clock (token lifetimes, login throttling,
	// second-factor codes); nil is time.Now.
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

// Operator is the actor of the command line, the demo loader and tests'
// set-up, under a name for the record (an API key's creator): whoever runs
// them holds the database already, so they act as an administrator.
func Operator(name string) User { return User{Name: name, Role: RoleAdmin} }

// errAdminsOnly is the refusal of every administrators-only door.
var errAdminsOnly = minyi.Errorf(minyi.EForbidden, "仅管理员可以执行 / admins only")

// CheckManage refuses (EForbidden) an actor who may not manage the
// organisation and the configuration: everybody but administrators. Doors
// that must refuse before reading a request (a form, a body) ask it first.
func CheckManage(actor User) error {
	if !actor.CanManage() {
		return errAdminsOnly
	}
	return nil
}

// checkSelfOrManage refuses an actor who is neither the user with id nor
// an administrator: staff manage their own tokens and second factor.
func checkSelfOrManage(actor User, id int64) error {
	if actor.ID != 0 && actor.ID == id {
		return nil
	}
	return CheckManage(actor)
}

// Units lists every unit. The list is public: citizens choose a unit when
// writing in, and QR codes name one.
func (s *Service) Units(ctx context.Context) ([]Unit, error) { return s.Store.Units(ctx) }

// Unit returns the unit with code; public, as Units.
func (s *Service) Unit(ctx context.Context, code string) (Unit, error) {
	return s.Store.Unit(ctx, code)
}

// Branches lists the party branches, for staff pages' choices.
func (s *Service) Branches(ctx context.Context) ([]Branch, error) { return s.Store.Branches(ctx) }

// AddUnit validates a unit and stores it, for an administrator; its parent
// must already exist.
func (s *Service) AddUnit(ctx context.Context, actor User, u *Unit) error {
	if err := CheckManage(actor); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if u.ParentCode != "" {
		if _, err := s.Store.Unit(ctx, u.ParentCode); minyi.ErrorCode(err) == minyi.ENotFound {
			return minyi.Invalid("parent_code", "上级单位不存在", "parent unit not found")
		} else if err != nil {
			return err
		}
	}
	return s.Store.CreateUnit(ctx, u)
}

// AddBranch validates a party branch and stores it, for an administrator;
// its unit must exist.
func (s *Service) AddBranch(ctx context.Context, actor User, b *Branch) error {
	if err := CheckManage(actor); err != nil {
		return err
	}
	b.Name = strings.TrimSpace(b.Name)
	var p minyi.Problems
	if !ValidCode(b.Code) {
		p.Add("code", "党支部代码无效", "invalid branch code "+b.Code)
	}
	checkName(&p, "name", b.Name)
	if err := p.Err(); err != nil {
		return err
	}
	if _, err := s.Store.Unit(ctx, b.UnitCode); minyi.ErrorCode(err) == minyi.ENotFound {
		return minyi.Invalid("unit_code", "单位不存在", "unit not found")
	} else if err != nil {
		return err
	}
	return s.Store.CreateBranch(ctx, b)
}

// Users lists every account, for an administrator.
func (s *Service) Users(ctx context.Context, actor User) ([]User, error) {
	if err := CheckManage(actor); err != nil {
		return nil, err
	}
	return s.Store.Users(ctx)
}

// User returns the named account, for an administrator or its owner.
func (s *Service) User(ctx context.Context, actor User, name string) (User, error) {
	if actor.Name != name {
		if err := CheckManage(actor); err != nil {
			return User{}, err
		}
	}
	return s.Store.UserByName(ctx, name)
}

// Account returns the named account for authenticating its session, which
// has no actor yet; the caller refuses a disabled one.
func (s *Service) Account(ctx context.Context, name string) (User, error) {
	return s.Store.UserByName(ctx, name)
}

// DisplayNames maps each account's name to its display name, for the names
// on an item's timeline; accounts without one are left out.
func (s *Service) DisplayNames(ctx context.Context) (map[string]string, error) {
	users, err := s.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		if u.DisplayName != "" {
			names[u.Name] = u.DisplayName
		}
	}
	return names, nil
}

// AddUser validates and stores a user with a fresh random password, which
// it returns: the only time the password exists in the clear. Only an
// administrator adds users.
func (s *Service) AddUser(ctx context.Context, actor User, u *User) (string, error) {
	if err := CheckManage(actor); err != nil {
		return "", err
	}
	u.Name = strings.TrimSpace(u.Name)
	if err := u.Validate(); err != nil {
		return "", err
	}
	if u.UnitCode != "" {
		if _, err := s.Store.Unit(ctx, u.UnitCode); minyi.ErrorCode(err) == minyi.ENotFound {
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
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return "", err
	}
	return password, nil
}

// ShownOnce keeps payload, a secret of kind just made for actor (a new
// password, a token), sealed until actor takes it with TakeShownOnce; see
// KeepShownOnce.
func (s *Service) ShownOnce(ctx context.Context, actor User, kind string, payload []byte) (id, key string, err error) {
	return KeepShownOnce(ctx, s.Store, actor.ID, kind, payload, s.now())
}

// TakeShownOnce returns and forgets what ShownOnce kept for actor; see
// TakeShownOnce.
func (s *Service) TakeShownOnce(ctx context.Context, actor User, kinds []string, id, key string) (kind string, payload []byte, err error) {
	return TakeShownOnce(ctx, s.Store, actor.ID, kinds, id, key, s.now())
}
