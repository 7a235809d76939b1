package store

import (
	"context"

	"minyi/archive"
)

const cannedColumns = "id, category, title, body, active"

func scanCanned(s scanner) (archive.CannedReply, error) {
	var c archive.CannedReply
	var active int
	err := s.Scan(&c.ID, &c.CategoryCode, &c.Title, &c.Body, &active)
	c.Active = active == 1
	return c, err
}

// CannedReplies lists the active canned replies offered for items of the
// category: the category's own first, then the general ones. An empty
// category gets the general ones only.
func (db *DB) CannedReplies(ctx context.Context, category string) ([]archive.CannedReply, error) {
	return list(ctx, db, "SELECT "+cannedColumns+` FROM canned_replies
		WHERE active = 1 AND (category = ? OR category = '')
		ORDER BY CASE WHEN category = '' THEN 1 ELSE 0 END, id`, scanCanned, category)
}

// AllCannedReplies lists every canned reply, inactive ones included, by
// category, for the administration pages.
func (db *DB) AllCannedReplies(ctx context.Context) ([]archive.CannedReply, error) {
	return list(ctx, db, "SELECT "+cannedColumns+" FROM canned_replies ORDER BY category, id", scanCanned)
}

// CreateCannedReply stores a new canned reply and sets c.ID.
func (db *DB) CreateCannedReply(ctx context.Context, c *archive.CannedReply) error {
	return db.inTx(ctx, func(t tx) error {
		return wrap(t.queryRow(ctx, "INSERT INTO canned_replies(category, title, body, active) VALUES (?, ?, ?, ?) RETURNING id",
			c.CategoryCode, c.Title, c.Body, boolInt(c.Active)).Scan(&c.ID))
	})
}

// UpdateCannedReply replaces the stored canned reply with c's ID.
func (db *DB) UpdateCannedReply(ctx context.Context, c archive.CannedReply) error {
	return db.updateOne(ctx, "常用答复", "canned reply", "UPDATE canned_replies SET category = ?, title = ?, body = ?, active = ? WHERE id = ?",
		c.CategoryCode, c.Title, c.Body, boolInt(c.Active), c.ID)
}
