package store

import (
	"context"
	"database/sql"
	"time"

	"minyi/org"
)

// CreateUnit adds a unit to the organisation tree.
func (db *DB) CreateUnit(ctx context.Context, u *org.Unit) error {
	return db.inTx(ctx, func(t tx) error {
		err := t.queryRow(ctx, "INSERT INTO units(code, name, kind, parent_code, township, dispatch_by_bureau) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			u.Code, u.Name, u.Kind, u.ParentCode, u.Township, boolInt(u.DispatchByBureau)).Scan(&u.ID)
		if isUniqueViolation(err) {
			return duplicate("code", "单位代码")
		}
		if err != nil {
			return wrap(err)
		}
		return t.setNames(ctx, "unit_names", u.Code, u.NameEn, u.NameMn)
	})
}

const unitColumns = "id, code, name, " + unitNames + ", kind, parent_code, township, dispatch_by_bureau"

// unitNames and categoryNames read the English and Mongolian names of the
// row at hand, ” when none was given.
const (
	unitNames     = "COALESCE((SELECT n.name_en FROM unit_names n WHERE n.code = units.code), ''), COALESCE((SELECT n.name_mn FROM unit_names n WHERE n.code = units.code), '')"
	categoryNames = "COALESCE((SELECT n.name_en FROM category_names n WHERE n.code = categories.code), ''), COALESCE((SELECT n.name_mn FROM category_names n WHERE n.code = categories.code), '')"
)

// setNames stores the English and Mongolian names of a unit or category
// (table unit_names or category_names) by its code.
func (t tx) setNames(ctx context.Context, table, code, en, mn string) error {
	_, err := t.exec(ctx, "INSERT INTO "+table+"(code, name_en, name_mn) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, name_mn = excluded.name_mn", code, en, mn)
	return wrap(err)
}

func scanUnit(s scanner) (org.Unit, error) {
	var u org.Unit
	var byBureau int
	err := s.Scan(&u.ID, &u.Code, &u.Name, &u.NameEn, &u.NameMn, &u.Kind, &u.ParentCode, &u.Township, &byBureau)
	u.DispatchByBureau = byBureau == 1
	return u, err
}

// Unit returns the unit with the given code.
func (db *DB) Unit(ctx context.Context, code string) (org.Unit, error) {
	u, err := scanUnit(db.queryRow(ctx, "SELECT "+unitColumns+" FROM units WHERE code = ?", code))
	if err == sql.ErrNoRows {
		return u, notFound("单位", "unit", code)
	}
	return u, wrap(err)
}

// Units lists all units in the order they were created, parents before children.
func (db *DB) Units(ctx context.Context) ([]org.Unit, error) {
	return list(ctx, db, "SELECT "+unitColumns+" FROM units ORDER BY id", scanUnit)
}

// CreateBranch adds a party branch.
func (db *DB) CreateBranch(ctx context.Context, b *org.Branch) error {
	return db.inTx(ctx, func(t tx) error {
		err := t.queryRow(ctx, "INSERT INTO branches(code, name, unit_code) VALUES (?, ?, ?) RETURNING id",
			b.Code, b.Name, b.UnitCode).Scan(&b.ID)
		if isUniqueViolation(err) {
			return duplicate("code", "党支部代码")
		}
		return wrap(err)
	})
}

// Branches lists the party branches.
func (db *DB) Branches(ctx context.Context) ([]org.Branch, error) {
	return list(ctx, db, "SELECT id, code, name, unit_code FROM branches ORDER BY id", func(s scanner) (org.Branch, error) {
		var b org.Branch
		err := s.Scan(&b.ID, &b.Code, &b.Name, &b.UnitCode)
		return b, err
	})
}

const userColumns = "id, name, display_name, role, unit_code, branch_code, party_member, disabled, password_hash, created_at"

func scanUser(s scanner) (org.User, error) {
	var u org.User
	var party, disabled int
	var created int64
	err := s.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Role, &u.UnitCode, &u.BranchCode, &party, &disabled,
		&u.PasswordHash, &created)
	u.PartyMember, u.Disabled, u.CreatedAt = party == 1, disabled == 1, fromMicros(created)
	return u, err
}

// CreateUser adds a member of staff.
func (db *DB) CreateUser(ctx context.Context, u *org.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	return db.inTx(ctx, func(t tx) error {
		err := t.queryRow(ctx, `INSERT INTO users(name, display_name, role, unit_code, branch_code, party_member,
			disabled, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Name, u.DisplayName, u.Role, u.UnitCode, u.BranchCode, boolInt(u.PartyMember),
			boolInt(u.Disabled), u.PasswordHash, micros(u.CreatedAt)).Scan(&u.ID)
		if isUniqueViolation(err) {
			return duplicate("name", "用户名")
		}
		return wrap(err)
	})
}

// UserByName returns the user with the given login name.
func (db *DB) UserByName(ctx context.Context, name string) (org.User, error) {
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE name = ?", name))
	if err == sql.ErrNoRows {
		return u, notFound("用户", "user", name)
	}
	return u, wrap(err)
}

// Users lists all users.
func (db *DB) Users(ctx context.Context) ([]org.User, error) {
	return list(ctx, db, "SELECT "+userColumns+" FROM users ORDER BY id", scanUser)
}

// UpdateUnit stores a unit's names, kind, parent, township and whether the
// bureau alone dispatches its items; the code identifies it and does not
// change.
func (db *DB) UpdateUnit(ctx context.Context, u org.Unit) error {
	return db.inTx(ctx, func(t tx) error {
		if err := t.updateOne(ctx, "单位", "unit", "UPDATE units SET name = ?, kind = ?, parent_code = ?, township = ?, dispatch_by_bureau = ? WHERE code = ?",
			u.Name, u.Kind, u.ParentCode, u.Township, boolInt(u.DispatchByBureau), u.Code); err != nil {
			return err
		}
		return t.setNames(ctx, "unit_names", u.Code, u.NameEn, u.NameMn)
	})
}

// UpdateUser stores a user's display name, role, unit, branch, party
// membership and disabled flag; name, password and second factor stay.
// With revokeTokens it also revokes the user's API tokens, in the same
// transaction.
func (db *DB) UpdateUser(ctx context.Context, u org.User, revokeTokens bool) error {
	return db.inTx(ctx, func(t tx) error {
		if err := t.updateOne(ctx, "用户", "user", `UPDATE users SET display_name = ?, role = ?, unit_code = ?, branch_code = ?,
			party_member = ?, disabled = ? WHERE id = ?`,
			u.DisplayName, u.Role, u.UnitCode, u.BranchCode, boolInt(u.PartyMember), boolInt(u.Disabled), u.ID); err != nil {
			return err
		}
		if revokeTokens {
			return t.revokeUserTokens(ctx, u.ID)
		}
		return nil
	})
}

// SetPassword replaces a user's password hash and revokes the user's API
// tokens, in one transaction (see org.UserStore).
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	return db.inTx(ctx, func(t tx) error {
		if err := t.updateOne(ctx, "用户", "user", "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID); err != nil {
			return err
		}
		return t.revokeUserTokens(ctx, userID)
	})
}
