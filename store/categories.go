package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"minyi/archive"
)

const categoryColumns = "id, code, name, " + categoryNames + ", description, grp, keywords, class, unit_code, limit_amount, limit_unit, active, attributes"

func scanCategory(s scanner) (archive.Category, error) {
	var c archive.Category
	var active int
	var attrs string
	err := s.Scan(&c.ID, &c.Code, &c.Name, &c.NameEn, &c.NameMn, &c.Description, &c.Group, &c.Keywords, &c.Class, &c.UnitCode,
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
		if err != nil {
			return wrap(err)
		}
		return t.setNames(ctx, "category_names", c.Code, c.NameEn, c.NameMn)
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

// UpdateCategory stores a category's fields; the code identifies it. Nil
// Attributes (a form that does not edit them) keep the stored questions;
// an empty list removes them.
func (db *DB) UpdateCategory(ctx context.Context, c archive.Category) error {
	return db.inTx(ctx, func(t tx) error {
		if err := t.updateOne(ctx, "分类", "category", `UPDATE categories SET name = ?, description = ?, grp = ?, keywords = ?,
			class = ?, unit_code = ?, limit_amount = ?, limit_unit = ?, active = ?,
			attributes = CASE WHEN ? THEN ? ELSE attributes END WHERE code = ?`,
			c.Name, c.Description, c.Group, c.Keywords, c.Class, c.UnitCode, c.Limit.Amount, c.Limit.Unit,
			boolInt(c.Active), c.Attributes != nil, attributesJSON(c.Attributes), c.Code); err != nil {
			return err
		}
		return t.setNames(ctx, "category_names", c.Code, c.NameEn, c.NameMn)
	})
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
