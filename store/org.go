package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
)

func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

func duplicate(field, what string) error {
	return &minyi.Error{Code: minyi.EConflict, Message: what + "已存在 / " + field + " already exists",
		Fields: []minyi.FieldError{{Field: field, Zh: "已存在", En: "already exists"}}}
}

// CreateUnit adds a unit to the organisation tree.
func (db *DB) CreateUnit(ctx context.Context, u *org.Unit) error {
	return db.inTx(ctx, func(t tx) error {
		err := t.queryRow(ctx, "INSERT INTO units(code, name, kind, parent_code, township) VALUES (?, ?, ?, ?, ?) RETURNING id",
			u.Code, u.Name, u.Kind, u.ParentCode, u.Township).Scan(&u.ID)
		if isUniqueViolation(err) {
			return duplicate("code", "单位代码")
		}
		return wrap(err)
	})
}

const unitColumns = "id, code, name, kind, parent_code, township"

func scanUnit(s scanner) (org.Unit, error) {
	var u org.Unit
	err := s.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentCode, &u.Township)
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

func list[T any](ctx context.Context, db *DB, q string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out = append(out, v)
	}
	return out, wrap(rows.Err())
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

const categoryColumns = "id, code, name, description, grp, keywords, class, unit_code, limit_amount, limit_unit, active, attributes"

func scanCategory(s scanner) (archive.Category, error) {
	var c archive.Category
	var active int
	var attrs string
	err := s.Scan(&c.ID, &c.Code, &c.Name, &c.Description, &c.Group, &c.Keywords, &c.Class, &c.UnitCode,
		&c.Limit.Amount, &c.Limit.Unit, &active, &attrs)
	c.Active = active == 1
	if err == nil && attrs != "" {
		err = json.Unmarshal([]byte(attrs), &c.Attributes)
	}
	return c, err
}

// CreateCategory adds a category.
func (db *DB) CreateCategory(ctx context.Context, c *archive.Category) error {
	return db.inTx(ctx, func(t tx) error {
		err := t.queryRow(ctx, `INSERT INTO categories(code, name, description, grp, keywords, class, unit_code,
			limit_amount, limit_unit, active, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.Code, c.Name, c.Description, c.Group, c.Keywords, c.Class, c.UnitCode, c.Limit.Amount,
			c.Limit.Unit, boolInt(c.Active), attributesJSON(c.Attributes)).Scan(&c.ID)
		if isUniqueViolation(err) {
			return duplicate("code", "分类代码")
		}
		return wrap(err)
	})
}

// Category returns the category with the given code.
func (db *DB) Category(ctx context.Context, code string) (archive.Category, error) {
	c, err := scanCategory(db.queryRow(ctx, "SELECT "+categoryColumns+" FROM categories WHERE code = ?", code))
	if err == sql.ErrNoRows {
		return c, notFound("分类", "category", code)
	}
	return c, wrap(err)
}

// Categories lists all categories.
func (db *DB) Categories(ctx context.Context) ([]archive.Category, error) {
	return list(ctx, db, "SELECT "+categoryColumns+" FROM categories ORDER BY id", scanCategory)
}

// Holidays returns the stored calendar entries; none means "use the default".
func (db *DB) Holidays(ctx context.Context) ([]calendar.Entry, error) {
	return list(ctx, db, "SELECT day, kind, name FROM holidays ORDER BY day", func(s scanner) (calendar.Entry, error) {
		var e calendar.Entry
		err := s.Scan(&e.Date, &e.Kind, &e.Name)
		return e, err
	})
}

// PutHolidays adds or replaces calendar entries.
func (db *DB) PutHolidays(ctx context.Context, entries []calendar.Entry) error {
	return db.inTx(ctx, func(t tx) error {
		for _, e := range entries {
			_, err := t.exec(ctx, `INSERT INTO holidays(day, kind, name) VALUES (?, ?, ?)
				ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, name = excluded.name`, e.Date, e.Kind, e.Name)
			if err != nil {
				return wrap(err)
			}
		}
		return nil
	})
}

// Empty reports whether the database holds no units yet (a fresh install).
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM units").Scan(&n)
	return n == 0, wrap(err)
}

// attributesJSON is how a category's questions are stored: JSON, or empty
// when it asks none.
func attributesJSON(attrs []archive.Attribute) string {
	if len(attrs) == 0 {
		return ""
	}
	b, _ := json.Marshal(attrs)
	return string(b)
}
