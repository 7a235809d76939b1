package store

import (
	"context"
	"database/sql"
	"strconv"

	"minyi/campaign"
	"minyi/eventlog"
	"minyi/register"
)

var _ campaign.Store = (*DB)(nil)

const campaignColumns = `id, name, from_day, to_day, plan, targets, created_by, created_at, updated_at, version`

// nullID is a ledger record's campaign as stored: NULL for none (0).
func nullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}

// campaignWhere restricts w to the records of campaign id in col; 0 is
// every record.
func campaignWhere(w *where, col string, id int64) {
	if id != 0 {
		w.add(col+" = ?", id)
	}
}

// CampaignExists reports whether a campaign of that id exists: the check
// of a ledger record's campaign.
func (db *DB) CampaignExists(ctx context.Context, id int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM campaigns WHERE id = ?", id).Scan(&n)
	return n > 0, wrap(err)
}

// CreateCampaign stores a new campaign and its created event in one
// transaction.
func (db *DB) CreateCampaign(ctx context.Context, c *campaign.Campaign) error {
	return db.inTx(ctx, func(t tx) error {
		err := t.queryRow(ctx, `INSERT INTO campaigns(name, from_day, to_day, plan, targets, created_by, created_at,
			updated_at, version) VALUES (`+placeholders(9)+`) RETURNING id`,
			c.Name, c.From, c.To, c.Plan, campaign.EncodeTargets(c.Targets), c.CreatedBy, micros(c.CreatedAt),
			micros(c.UpdatedAt), 1).Scan(&c.ID)
		if err != nil {
			return wrap(err)
		}
		c.Version = 1
		if err := t.recordFormOf(ctx, c.Form, campaign.Register, c.ID, c.CreatedAt); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{c.Created()})
	})
}

// UpdateCampaign stores c, read at version, and its events in one
// transaction; a stale version is a conflict and writes nothing.
func (db *DB) UpdateCampaign(ctx context.Context, c *campaign.Campaign, version int, events []eventlog.Event) error {
	return db.inTx(ctx, func(t tx) error {
		err := updateVersioned(ctx, t, `UPDATE campaigns SET name = ?, from_day = ?, to_day = ?, plan = ?, targets = ?,
			updated_at = ?, version = ? WHERE id = ? AND version = ?`,
			[]any{c.Name, c.From, c.To, c.Plan, campaign.EncodeTargets(c.Targets), micros(c.UpdatedAt), version + 1, c.ID, version},
			func() error { return register.Stale(campaign.Noun) })
		if err != nil {
			return err
		}
		c.Version = version + 1
		return appendLog(ctx, t, events)
	})
}

func scanCampaign(s scanner) (campaign.Campaign, error) {
	var c campaign.Campaign
	var targets string
	var created, updated int64
	err := s.Scan(&c.ID, &c.Name, &c.From, &c.To, &c.Plan, &targets, &c.CreatedBy, &created, &updated, &c.Version)
	if err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	c.Targets, err = campaign.DecodeTargets(targets)
	c.Meetings, c.Documents = []campaign.Meeting{}, []campaign.Document{}
	return c, err
}

// Campaign returns one campaign with its meetings and its documents' records.
func (db *DB) Campaign(ctx context.Context, id int64) (campaign.Campaign, error) {
	c, err := scanCampaign(db.queryRow(ctx, "SELECT "+campaignColumns+" FROM campaigns WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return c, notFound("活动", "campaign", id)
	} else if err != nil {
		return c, wrap(err)
	}
	rows, err := db.query(ctx, `SELECT id, day, kind, attendees, minutes, created_by, created_at FROM campaign_meetings
		WHERE campaign_id = ? ORDER BY day, id`, id)
	if err != nil {
		return c, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m campaign.Meeting
		var kind string
		var at int64
		if err := rows.Scan(&m.ID, &m.Day, &kind, &m.Attendees, &m.Minutes, &m.CreatedBy, &at); err != nil {
			return c, wrap(err)
		}
		m.Kind, m.CreatedAt = campaign.Kind(kind), fromMicros(at)
		c.Meetings = append(c.Meetings, m)
	}
	if err := rows.Err(); err != nil {
		return c, wrap(err)
	}
	rows.Close()
	drows, err := db.query(ctx, `SELECT id, name, content_type, size, sha256, created_by, created_at FROM campaign_documents
		WHERE campaign_id = ? ORDER BY id`, id)
	if err != nil {
		return c, wrap(err)
	}
	defer drows.Close()
	for drows.Next() {
		d, err := scanDocument(drows)
		if err != nil {
			return c, wrap(err)
		}
		c.Documents = append(c.Documents, d)
	}
	return c, wrap(drows.Err())
}

func scanDocument(s scanner, more ...any) (campaign.Document, error) {
	var d campaign.Document
	var at int64
	err := s.Scan(append([]any{&d.ID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &d.CreatedBy, &at}, more...)...)
	d.CreatedAt = fromMicros(at)
	return d, err
}

// Campaigns lists the campaigns f selects, latest start first, with the
// count of all of them.
func (db *DB) Campaigns(ctx context.Context, f campaign.Filter) (register.Page[campaign.Campaign], error) {
	zero := 0
	page := register.Page[campaign.Campaign]{Items: []campaign.Campaign{}, Total: &zero}
	var w where
	if f.On != "" {
		w.add("from_day <= ? AND to_day >= ?", f.On, f.On)
	}
	if f.From != "" {
		w.add("to_day >= ?", f.From)
	}
	if f.To != "" {
		w.add("from_day <= ?", f.To)
	}
	if f.Query != "" {
		w.add("name LIKE ?", "%"+likeEscape(f.Query)+"%")
	}
	total, err := db.ledgerCount(ctx, "campaigns", w)
	if err != nil {
		return page, err
	}
	page.Total = &total
	if f.Cursor != "" {
		c, err := decodeLedgerCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		w.after(descending, "from_day, id", c.key, c.id)
	}
	page.Items, page.NextCursor, err = listPage(ctx, db, "SELECT "+campaignColumns+" FROM campaigns"+w.sql()+
		" ORDER BY from_day DESC, id DESC LIMIT ?", w.args, f.Size(20, 100), scanCampaign,
		func(last campaign.Campaign) string { return ledgerCursor{last.From, last.ID}.encode() })
	return page, err
}

// likeEscape makes s match itself in a LIKE pattern with no ESCAPE clause:
// the wildcards it holds are dropped, since a campaign's name has no use
// for them.
func likeEscape(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != '%' && r != '_' {
			out = append(out, r)
		}
	}
	return string(out)
}

// AddCampaignMeeting stores a mobilisation meeting of c and its event in
// one transaction.
func (db *DB) AddCampaignMeeting(ctx context.Context, c campaign.Campaign, m *campaign.Meeting) error {
	return db.inTx(ctx, func(t tx) error {
		if full, err := t.campaignHolds(ctx, c.ID, "campaign_meetings", campaign.MaxMeetings); err != nil {
			return err
		} else if full {
			return campaign.TooManyMeetings()
		}
		err := t.queryRow(ctx, `INSERT INTO campaign_meetings(campaign_id, day, kind, attendees, minutes, created_by, created_at)
			VALUES (`+placeholders(7)+`) RETURNING id`, c.ID, m.Day, string(m.Kind), m.Attendees, m.Minutes, m.CreatedBy,
			micros(m.CreatedAt)).Scan(&m.ID)
		if err != nil {
			return wrap(err)
		}
		if err := t.recordFormOf(ctx, m.Form, campaign.MeetingForms, m.ID, m.CreatedAt); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{c.MeetingAdded(*m)})
	})
}

// AddCampaignDocument stores a document of c with its bytes and its event
// in one transaction.
func (db *DB) AddCampaignDocument(ctx context.Context, c campaign.Campaign, d *campaign.Document, data []byte) error {
	return db.inTx(ctx, func(t tx) error {
		if full, err := t.campaignHolds(ctx, c.ID, "campaign_documents", campaign.MaxDocuments); err != nil {
			return err
		} else if full {
			return campaign.TooManyDocuments()
		}
		err := t.queryRow(ctx, `INSERT INTO campaign_documents(campaign_id, name, content_type, size, sha256, data, created_by,
			created_at) VALUES (`+placeholders(8)+`) RETURNING id`, c.ID, d.Name, d.ContentType, d.Size, d.SHA256, data,
			d.CreatedBy, micros(d.CreatedAt)).Scan(&d.ID)
		if err != nil {
			return wrap(err)
		}
		if err := t.recordFormOf(ctx, d.Form, campaign.DocumentForms, d.ID, d.CreatedAt); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{c.DocumentAdded(*d)})
	})
}

// campaignHolds reports whether campaign id holds max rows of table (its
// meetings or documents) already. It locks the campaign's row first
// (PostgreSQL; SQLite writes one transaction at a time), so that two
// additions at once are counted one after the other and cannot both pass
// the limit.
func (t tx) campaignHolds(ctx context.Context, id int64, table string, max int) (bool, error) {
	var locked int64
	if err := t.queryRow(ctx, "SELECT id FROM campaigns WHERE id = ?"+t.d.forUpdate, id).Scan(&locked); err == sql.ErrNoRows {
		return false, notFound("活动", "campaign", strconv.FormatInt(id, 10))
	} else if err != nil {
		return false, wrap(err)
	}
	var n int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM "+table+" WHERE campaign_id = ?", id).Scan(&n); err != nil {
		return false, wrap(err)
	}
	return n >= max, nil
}

// CampaignDocument returns a document of campaign id with its bytes.
func (db *DB) CampaignDocument(ctx context.Context, id, doc int64) (campaign.Document, []byte, error) {
	var data []byte
	d, err := scanDocument(db.queryRow(ctx, `SELECT id, name, content_type, size, sha256, created_by, created_at, data
		FROM campaign_documents WHERE id = ? AND campaign_id = ?`, doc, id), &data)
	if err == sql.ErrNoRows {
		return d, nil, notFound("活动文件", "campaign document", strconv.FormatInt(doc, 10))
	}
	return d, data, wrap(err)
}
