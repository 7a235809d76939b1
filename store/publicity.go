package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"minyi"
	"minyi/eventlog"
	"minyi/publicity"
	"minyi/register"
	"minyi/reporting"
)

var _ publicity.Store = (*DB)(nil)

const pieceColumns = `id, day, channel, outlet, title, link, unit, branch, campaign_id, note,
	created_by, created_at, updated_at, version`

// CreatePiece stores a publicity piece, the matters it reports, its search
// tokens and its recorded event in one transaction.
func (db *DB) CreatePiece(ctx context.Context, pc *publicity.Piece) error {
	terms := ledgerTerms(pc.SearchText())
	return db.inTx(ctx, func(t tx) error {
		pc.Version = 1
		err := t.insertRow(ctx, `INSERT INTO publicity_pieces(day, channel, outlet, title, link, unit, branch,
			campaign_id, note, created_by, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			pc.Date, string(pc.Channel), pc.Outlet, pc.Title, pc.Link, pc.Unit, pc.Branch, nullID(pc.Campaign),
			pc.Note, pc.CreatedBy, micros(pc.CreatedAt), micros(pc.UpdatedAt), pc.Version).Scan(&pc.ID)
		if err != nil {
			return wrap(err)
		}
		if err := t.recordFormOf(ctx, pc.Form, publicity.Register, pc.ID, pc.CreatedAt); err != nil {
			return err
		}
		if err := writePieceMatters(ctx, t, pc.ID, pc.Matters); err != nil {
			return err
		}
		if err := insertTerms(ctx, t, "publicity_terms", "piece_id", pc.ID, terms); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{pc.Recorded()})
	})
}

// UpdatePiece stores pc over version with its events, in one transaction;
// a version changed meanwhile is a conflict and writes nothing.
func (db *DB) UpdatePiece(ctx context.Context, pc *publicity.Piece, version int, events []eventlog.Event) error {
	terms := ledgerTerms(pc.SearchText())
	return db.inTx(ctx, func(t tx) error {
		if err := updateVersioned(ctx, t, `UPDATE publicity_pieces SET day = ?, channel = ?, outlet = ?, title = ?,
			link = ?, unit = ?, branch = ?, campaign_id = ?, note = ?, updated_at = ?, version = ?
			WHERE id = ? AND version = ?`,
			[]any{pc.Date, string(pc.Channel), pc.Outlet, pc.Title, pc.Link, pc.Unit, pc.Branch, nullID(pc.Campaign),
				pc.Note, micros(pc.UpdatedAt), version + 1, pc.ID, version},
			func() error { return register.Stale(publicity.Noun) }); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM publicity_matters WHERE piece_id = ?", pc.ID); err != nil {
			return wrap(err)
		}
		if err := writePieceMatters(ctx, t, pc.ID, pc.Matters); err != nil {
			return err
		}
		if err := writeTerms(ctx, t, "publicity_terms", "piece_id", pc.ID, terms); err != nil {
			return err
		}
		if err := appendLog(ctx, t, slices.Clone(events)); err != nil {
			return err
		}
		pc.Version = version + 1
		return nil
	})
}

func writePieceMatters(ctx context.Context, t tx, id int64, matters []int64) error {
	for i, m := range matters {
		if _, err := t.exec(ctx, "INSERT INTO publicity_matters(piece_id, pos, matter_id) VALUES (?, ?, ?)", id, i, m); err != nil {
			return wrap(err)
		}
	}
	return nil
}

func scanPiece(s scanner) (publicity.Piece, error) {
	var pc publicity.Piece
	var channel string
	var created, updated int64
	var campaign sql.NullInt64
	err := s.Scan(&pc.ID, &pc.Date, &channel, &pc.Outlet, &pc.Title, &pc.Link, &pc.Unit, &pc.Branch, &campaign,
		&pc.Note, &pc.CreatedBy, &created, &updated, &pc.Version)
	pc.Channel, pc.Campaign = publicity.Channel(channel), campaign.Int64
	pc.CreatedAt, pc.UpdatedAt = fromMicros(created), fromMicros(updated)
	pc.Matters = []int64{}
	return pc, err
}

// Piece returns one publicity piece with its matters.
func (db *DB) Piece(ctx context.Context, id int64) (publicity.Piece, error) {
	pc, err := scanPiece(db.queryRow(ctx, "SELECT "+pieceColumns+" FROM publicity_pieces WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return pc, notFound("宣传报道", "publicity piece", id)
	}
	if err != nil {
		return pc, wrap(err)
	}
	return pc, db.fillPieceMatters(ctx, []*publicity.Piece{&pc})
}

// fillPieceMatters reads the matters of the pieces.
func (db *DB) fillPieceMatters(ctx context.Context, ps []*publicity.Piece) error {
	if len(ps) == 0 {
		return nil
	}
	byID := map[int64]*publicity.Piece{}
	ids := make([]any, len(ps))
	for i, pc := range ps {
		byID[pc.ID], ids[i] = pc, pc.ID
	}
	rows, err := db.query(ctx, "SELECT piece_id, matter_id FROM publicity_matters WHERE piece_id IN ("+
		placeholders(len(ids))+") ORDER BY piece_id, pos", ids...)
	if err != nil {
		return wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, m int64
		if err := rows.Scan(&id, &m); err != nil {
			return wrap(err)
		}
		byID[id].Matters = append(byID[id].Matters, m)
	}
	return wrap(rows.Err())
}

// MatterUnits returns the unit of each of the matters ids that exists.
func (db *DB) MatterUnits(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.query(ctx, "SELECT id, unit_code FROM matters WHERE id IN ("+placeholders(len(args))+")", args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var unit string
		if err := rows.Scan(&id, &unit); err != nil {
			return nil, wrap(err)
		}
		out[id] = unit
	}
	return out, wrap(rows.Err())
}

// Pieces lists the publicity pieces f selects, latest date first, with
// the count of all of them.
func (db *DB) Pieces(ctx context.Context, f publicity.Filter) (publicity.Page, error) {
	page := publicity.Page{Items: []publicity.Piece{}}
	size := f.Size(20, 100)
	w := pieceWhere(f)
	total, capped, err := db.countList(ctx, &w, f.Query, termSearch{"publicity_pieces", "publicity_terms", "piece_id", false})
	if err != nil {
		return page, err
	}
	page.Total, page.TotalCapped = &total, capped
	if f.Cursor != "" {
		c, err := decodeLedgerCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		w.after(descending, "day, id", c.key, c.id)
	}
	page.Items, page.NextCursor, err = listPage(ctx, db, "SELECT "+pieceColumns+" FROM publicity_pieces"+w.sql()+
		" ORDER BY day DESC, id DESC LIMIT ?", w.args, size, scanPiece, func(last publicity.Piece) string {
		return ledgerCursor{last.Date, last.ID}.encode()
	})
	if err != nil {
		return page, err
	}
	ptrs := pointers(page.Items)
	return page, db.fillPieceMatters(ctx, ptrs)
}

// pieceWhere are the conditions of f's fields but its search words.
func pieceWhere(f publicity.Filter) where {
	var w where
	if f.Units != nil {
		w.in("unit", f.Units)
	}
	if f.Unit != "" {
		w.add("unit = ?", f.Unit)
	}
	if f.Branch != "" {
		w.add("branch = ?", f.Branch)
	}
	if f.Channel != "" {
		w.add("channel = ?", string(f.Channel))
	}
	campaignWhere(&w, "campaign_id", f.Campaign)
	if f.From != "" {
		w.add("day >= ?", f.From)
	}
	if f.To != "" {
		w.add("day <= ?", f.To)
	}
	return w
}

// EachPiece calls fn with every publicity piece f selects, with the
// matters it reports, oldest first (by id), read a thousand at a time
// (eachByID) rather than the list's pages of 100 latest first each with
// its count: an export of a year's pieces (the ledgers' workbook). f's
// search words, page and cursor are not for it.
func (db *DB) EachPiece(ctx context.Context, f publicity.Filter, fn func(publicity.Piece) error) error {
	if strings.TrimSpace(f.Query) != "" {
		return minyi.Invalid("q", "逐条导出不提供全文检索", "a search is not read whole")
	}
	return eachByID(ctx, db, pieceColumns, "publicity_pieces", pieceWhere(f), scanPiece,
		func(ctx context.Context, ps []publicity.Piece) error {
			ptrs := pointers(ps)
			return db.fillPieceMatters(ctx, ptrs)
		}, fn)
}

// PieceFigures counts the publicity pieces dated in f's period by f's
// units: pieces, and channel_<code> for every channel pieces were
// published on; the service adds the bureau's other channels as zero.
func (db *DB) PieceFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"pieces": 0}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	w := periodWhere(f, "day", "unit")
	campaignWhere(&w, "campaign_id", f.Campaign)
	rows, err := db.query(ctx, "SELECT channel, COUNT(*) FROM publicity_pieces"+w.sql()+" GROUP BY channel", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var channel string
		var n int64
		if err := rows.Scan(&channel, &n); err != nil {
			return nil, wrap(err)
		}
		out["channel_"+channel] += n
		out["pieces"] += n
	}
	return out, wrap(rows.Err())
}
