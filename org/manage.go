package org

import (
	"context"
	"strings"
	"unicode/utf8"

	"minyi"
)

// UnitStore is what changing a unit needs.
type UnitStore interface {
	Unit(ctx context.Context, code string) (Unit, error)
	Units(ctx context.Context) ([]Unit, error)
	UpdateUnit(ctx context.Context, u Unit) error
}

// UpdateUnit validates a changed unit and stores it, for an
// administrator. The code never
// changes (items and users refer to it); the parent must exist and must not
// be the unit itself or one of its own sub-units, which would cut a branch
// off the tree.
func (s *Service) UpdateUnit(ctx context.Context, actor User, u Unit) error {
	if err := CheckManage(actor); err != nil {
		return err
	}
	u.Name, u.NameEn, u.NameMn = strings.TrimSpace(u.Name), strings.TrimSpace(u.NameEn), strings.TrimSpace(u.NameMn)
	if err := u.Validate(); err != nil {
		return err
	}
	if _, err := s.Store.Unit(ctx, u.Code); err != nil {
		return err
	}
	if u.ParentCode == "" {
		return s.Store.UpdateUnit(ctx, u)
	}
	units, err := s.Store.Units(ctx)
	if err != nil {
		return err
	}
	parentOf := make(map[string]string, len(units))
	for _, x := range units {
		parentOf[x.Code] = x.ParentCode
	}
	if _, ok := parentOf[u.ParentCode]; !ok {
		return minyi.Invalid("parent_code", "上级单位不存在", "parent unit not found")
	}
	// Walk up from the new parent; meeting u means u would be its own
	// ancestor. The walk is bounded in case the stored tree already loops.
	for p, n := u.ParentCode, 0; p != "" && n <= len(units); p, n = parentOf[p], n+1 {
		if p == u.Code {
			return minyi.Invalid("parent_code", "上级单位不能是本单位的下级单位", "the parent cannot be one of the unit's own sub-units")
		}
	}
	return s.Store.UpdateUnit(ctx, u)
}

// UserStore is what changing a user needs.
type UserStore interface {
	Unit(ctx context.Context, code string) (Unit, error)
	UserByName(ctx context.Context, name string) (User, error)
	// UpdateUser stores a changed user and, with revokeTokens, revokes
	// the user's API tokens in the same transaction.
	UpdateUser(ctx context.Context, u User, revokeTokens bool) error
	// SetPassword replaces a user's password hash and revokes the user's
	// API tokens in the same transaction: no token outlives the password
	// it was issued under, whoever changed it.
	SetPassword(ctx context.Context, userID int64, hash string) error
}

// ChangeUser stores, for an administrator, a user's new display name,
// role, unit, party branch, party membership and disabled flag; the name
// and password stay. An
// administrator cannot disable or demote themselves, so that there is
// always someone left who can undo a mistake. Disabling a user, or
// changing their role or unit, revokes their API tokens: a token carries
// the powers its owner had when it was made, and enabling the account
// again must not bring it back.
func (s *Service) ChangeUser(ctx context.Context, actor User, u User) error {
	if err := CheckManage(actor); err != nil {
		return err
	}
	old, err := s.Store.UserByName(ctx, u.Name)
	if err != nil {
		return err
	}
	u.ID, u.PasswordHash, u.CreatedAt = old.ID, old.PasswordHash, old.CreatedAt
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	if err := u.Validate(); err != nil {
		return err
	}
	if u.ID == actor.ID {
		var p minyi.Problems
		if u.Role != old.Role {
			p.Add("role", "不能更改自己的角色，请让另一位管理员操作", "you cannot change your own role; ask another administrator")
		}
		if u.Disabled {
			p.Add("disabled", "不能停用自己的账号", "you cannot disable your own account")
		}
		if err := p.Err(); err != nil {
			return err
		}
	}
	if u.UnitCode != "" {
		if _, err := s.Store.Unit(ctx, u.UnitCode); minyi.ErrorCode(err) == minyi.ENotFound {
			return minyi.Invalid("unit", "单位不存在", "unit not found")
		} else if err != nil {
			return err
		}
	}
	revoke := u.Disabled && !old.Disabled || u.Role != old.Role || u.UnitCode != old.UnitCode
	return s.Store.UpdateUser(ctx, u, revoke)
}

// ResetPassword gives a user a fresh random password, for an
// administrator, and returns it: the only time it exists in the clear.
func (s *Service) ResetPassword(ctx context.Context, actor User, u User) (string, error) {
	if err := CheckManage(actor); err != nil {
		return "", err
	}
	password := NewSecret(12)
	hash, err := HashPassword(password)
	if err != nil {
		return "", minyi.Internal(err)
	}
	if err := s.Store.SetPassword(ctx, u.ID, hash); err != nil {
		return "", err
	}
	return password, nil
}

// MinPasswordRunes is the shortest password staff may choose.
const MinPasswordRunes = 10

// CheckNewPassword reports what is wrong with a password u chose, with its
// confirmation, per field: "password" and "confirm".
func CheckNewPassword(u User, password, confirm string) error {
	var p minyi.Problems
	switch {
	case utf8.RuneCountInString(password) < MinPasswordRunes:
		p.Add("password", "新密码至少需要10个字符", "the new password needs at least 10 characters")
	case utf8.RuneCountInString(password) > 200:
		p.Add("password", "新密码不能超过200个字符", "the new password must be at most 200 characters")
	case strings.EqualFold(strings.TrimSpace(password), u.Name):
		p.Add("password", "新密码不能与用户名相同", "the new password cannot be the user name")
	case CheckPassword(u.PasswordHash, password):
		p.Add("password", "新密码不能与当前密码相同", "the new password must differ from the current one")
	}
	if confirm != password {
		p.Add("confirm", "两次输入的新密码不一致", "the two new passwords differ")
	}
	return p.Err()
}
