package store

import (
	"cmp"
	"context"
	"slices"

	"minyi"
	"minyi/archive"
	"minyi/org"
)

// updateOne runs an UPDATE that must change exactly one row; none means
// the thing is not there.
func (db *DB) updateOne(ctx context.Context, zh, en, q string, args ...any) error {
	return db.inTx(ctx, func(t tx) error { return t.updateOne(ctx, zh, en, q, args...) })
}

// updateOne is DB.updateOne inside a transaction.
func (t tx) updateOne(ctx context.Context, zh, en, q string, args ...any) error {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return wrap(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(err)
	}
	if n == 0 {
		return notFound(zh, en, args[len(args)-1])
	}
	return nil
}

// UpdateUnit stores a unit's name, kind, parent and township; the code
// identifies it and does not change.
func (db *DB) UpdateUnit(ctx context.Context, u org.Unit) error {
	return db.updateOne(ctx, "单位", "unit", "UPDATE units SET name = ?, kind = ?, parent_code = ?, township = ? WHERE code = ?",
		u.Name, u.Kind, u.ParentCode, u.Township, u.Code)
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

// UpdateCategory stores a category's fields; the code identifies it. Nil
// Attributes (a form that does not edit them) keep the stored questions;
// an empty list removes them.
func (db *DB) UpdateCategory(ctx context.Context, c archive.Category) error {
	return db.updateOne(ctx, "分类", "category", `UPDATE categories SET name = ?, description = ?, grp = ?, keywords = ?,
		class = ?, unit_code = ?, limit_amount = ?, limit_unit = ?, active = ?,
		attributes = CASE WHEN ? THEN ? ELSE attributes END WHERE code = ?`,
		c.Name, c.Description, c.Group, c.Keywords, c.Class, c.UnitCode, c.Limit.Amount, c.Limit.Unit,
		boolInt(c.Active), c.Attributes != nil, attributesJSON(c.Attributes), c.Code)
}

// UseTOTPStep records that a code of the given time step was accepted. It
// fails with EConflict when that step or a later one was already used, so
// that of two requests racing with the same code only one gets in.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) error {
	return db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, "UPDATE users SET totp_step = ? WHERE id = ? AND totp_step < ? AND totp_secret <> ''", step, userID, step)
		if err != nil {
			return wrap(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return wrap(err)
		} else if n == 0 {
			return minyi.Errorf(minyi.EConflict, "该动态验证码已使用过 / this code has already been used")
		}
		return nil
	})
}

// DeskCandidates lists, newest first, the items that may go on the online
// desk but are not on it: those whose citizen agreed to publication but
// which are not answered yet or whose public version waits for review, and
// those staff withdrew from publication. Invalid and merged items are left out.
func (db *DB) DeskCandidates(ctx context.Context, limit int) ([]archive.Item, error) {
	waiting, err := list(ctx, db, "SELECT "+itemColumns+" FROM items WHERE publish = 1 AND NOT ("+publicSQL+
		") AND status NOT IN ('invalid','merged') ORDER BY received_at DESC, id DESC LIMIT ?", scanItem, limit)
	if err != nil {
		return nil, err
	}
	withdrawn, err := list(ctx, db, "SELECT "+itemColumns+` FROM items WHERE publish = 0
		AND status NOT IN ('invalid','merged')
		AND id IN (SELECT record_id FROM events WHERE register = '`+archive.Register+`' AND type = ?)
		ORDER BY received_at DESC, id DESC LIMIT ?`, scanItem, archive.EventPublishingChanged, limit)
	if err != nil {
		return nil, err
	}
	out := append(waiting, withdrawn...)
	slices.SortFunc(out, func(a, b archive.Item) int {
		if c := b.ReceivedAt.Compare(a.ReceivedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
