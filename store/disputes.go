package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/dispute"
	"minyi/eventlog"
	"minyi/register"
	"minyi/reporting"
)

var _ dispute.Store = (*DB)(nil)

const disputeColumns = `id, found_on, kind, township, village, parties, risk, source, item_number, unit_code, branch_code,
	campaign_id, summary, status, due_days, due_at, mediations, closed_on, agreement, level, referred_to, referred_whom,
	reason, follow_ups, created_by, created_at, updated_at, version`

// disputeLists are a dispute's lists as stored: JSON of the row, read and
// written with it only; an empty list is [].
func disputeLists(d *dispute.Dispute) (parties, mediations, followUps string, err error) {
	enc := func(v any, n int) string {
		if n == 0 || err != nil {
			return "[]"
		}
		var b []byte
		b, err = json.Marshal(v)
		return string(b)
	}
	parties, mediations, followUps = enc(d.Parties, len(d.Parties)), enc(d.Mediations, len(d.Mediations)), enc(d.FollowUps, len(d.FollowUps))
	return parties, mediations, followUps, wrap(err)
}

// CreateDispute stores a new dispute, its search terms and its created
// event in one transaction.
func (db *DB) CreateDispute(ctx context.Context, d *dispute.Dispute) error {
	terms := ledgerTerms(d.SearchText()) // tokenising is slow: before taking the writer
	parties, mediations, followUps, err := disputeLists(d)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(t tx) error {
		err := t.insertRow(ctx, `INSERT INTO disputes(found_on, kind, township, village, parties, risk, source, item_number,
			unit_code, branch_code, campaign_id, summary, status, due_days, due_at, mediations, closed_on, agreement, level,
			referred_to, referred_whom, reason, follow_ups, created_by, created_at, updated_at, version)
			VALUES (`+placeholders(27)+`) RETURNING id`,
			d.FoundOn, d.Kind, d.Township, d.Village, parties, string(d.Risk), string(d.Source), d.Item, d.Unit, d.Branch,
			nullID(d.Campaign), d.Summary, string(d.Status), d.DueDays, micros(d.DueAt), mediations, d.ClosedOn, d.Agreement,
			string(d.Level), string(d.ReferredTo), d.ReferredWhom, d.Reason, followUps, d.CreatedBy, micros(d.CreatedAt),
			micros(d.UpdatedAt), 1).Scan(&d.ID)
		if err != nil {
			return wrap(err)
		}
		d.Version = 1
		if err := t.recordFormOf(ctx, d.Form, dispute.Register, d.ID, d.CreatedAt); err != nil {
			return err
		}
		if err := insertTerms(ctx, t, "dispute_terms", "dispute_id", d.ID, terms); err != nil {
			return err
		}
		if err := addDisputeTallies(ctx, t, dispute.TallyDelta(nil, dispute.TallyOf(*d))); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{d.Created()})
	})
}

// UpdateDispute stores d, read at version, and its events in one
// transaction; a stale version is a conflict and writes nothing.
func (db *DB) UpdateDispute(ctx context.Context, d *dispute.Dispute, version int, events []eventlog.Event) error {
	terms := ledgerTerms(d.SearchText())
	parties, mediations, followUps, err := disputeLists(d)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(t tx) error {
		// The stored row's contribution to the counters goes out, the new
		// one's in (a correction of the day found, the unit or the
		// campaign, an end, a reopening).
		var before dispute.Dispute
		var campaign sql.NullInt64
		var status, level string
		err := t.queryRow(ctx, "SELECT unit_code, found_on, campaign_id, status, level, closed_on FROM disputes WHERE id = ?"+
			db.dialect.forUpdate, d.ID).Scan(&before.Unit, &before.FoundOn, &campaign, &status, &level, &before.ClosedOn)
		if err == sql.ErrNoRows {
			return notFound("矛盾纠纷", "dispute", d.ID)
		} else if err != nil {
			return wrap(err)
		}
		before.Campaign, before.Status, before.Level = campaign.Int64, dispute.Status(status), dispute.Level(level)
		err = updateVersioned(ctx, t, `UPDATE disputes SET found_on = ?, kind = ?, township = ?, village = ?, parties = ?,
			risk = ?, source = ?, item_number = ?, unit_code = ?, branch_code = ?, campaign_id = ?, summary = ?, status = ?,
			due_days = ?, due_at = ?, mediations = ?, closed_on = ?, agreement = ?, level = ?, referred_to = ?,
			referred_whom = ?, reason = ?, follow_ups = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?`,
			[]any{d.FoundOn, d.Kind, d.Township, d.Village, parties, string(d.Risk), string(d.Source), d.Item, d.Unit,
				d.Branch, nullID(d.Campaign), d.Summary, string(d.Status), d.DueDays, micros(d.DueAt), mediations, d.ClosedOn,
				d.Agreement, string(d.Level), string(d.ReferredTo), d.ReferredWhom, d.Reason, followUps, micros(d.UpdatedAt),
				version + 1, d.ID, version},
			func() error {
				var v int
				if err := t.queryRow(ctx, "SELECT version FROM disputes WHERE id = ?", d.ID).Scan(&v); err == sql.ErrNoRows {
					return notFound("矛盾纠纷", "dispute", d.ID)
				}
				return register.Stale(dispute.Noun)
			})
		if err != nil {
			return err
		}
		if err := writeTerms(ctx, t, "dispute_terms", "dispute_id", d.ID, terms); err != nil {
			return err
		}
		if err := addDisputeTallies(ctx, t, dispute.TallyDelta(dispute.TallyOf(before), dispute.TallyOf(*d))); err != nil {
			return err
		}
		d.Version = version + 1
		return appendLog(ctx, t, events)
	})
}

func scanDispute(s scanner) (dispute.Dispute, error) {
	var d dispute.Dispute
	var risk, source, status, level, to, parties, mediations, followUps string
	var due, created, updated int64
	var campaign sql.NullInt64
	err := s.Scan(&d.ID, &d.FoundOn, &d.Kind, &d.Township, &d.Village, &parties, &risk, &source, &d.Item, &d.Unit, &d.Branch,
		&campaign, &d.Summary, &status, &d.DueDays, &due, &mediations, &d.ClosedOn, &d.Agreement, &level, &to, &d.ReferredWhom,
		&d.Reason, &followUps, &d.CreatedBy, &created, &updated, &d.Version)
	if err != nil {
		return d, err
	}
	d.Campaign = campaign.Int64
	d.Risk, d.Source, d.Status, d.Level, d.ReferredTo = dispute.Risk(risk), dispute.Source(source), dispute.Status(status),
		dispute.Level(level), dispute.Referral(to)
	d.DueAt, d.CreatedAt, d.UpdatedAt = fromMicros(due), fromMicros(created), fromMicros(updated)
	for _, l := range []struct {
		s string
		v any
	}{{parties, &d.Parties}, {mediations, &d.Mediations}, {followUps, &d.FollowUps}} {
		if err := json.Unmarshal([]byte(l.s), l.v); err != nil {
			return d, err
		}
	}
	return d, nil
}

// Dispute returns one dispute, its parties unmasked.
func (db *DB) Dispute(ctx context.Context, id int64) (dispute.Dispute, error) {
	d, err := scanDispute(db.queryRow(ctx, "SELECT "+disputeColumns+" FROM disputes WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return d, notFound("矛盾纠纷", "dispute", id)
	}
	return d, wrap(err)
}

// Disputes lists the disputes f selects, newest first, with the count of
// all of them.
func (db *DB) Disputes(ctx context.Context, f dispute.Filter) (register.Page[dispute.Dispute], error) {
	zero := 0
	page := register.Page[dispute.Dispute]{Items: []dispute.Dispute{}, Total: &zero}
	limit := f.Size(20, 100)
	w, ok := disputeWhere(f)
	if !ok {
		return page, nil
	}
	// A search is counted from its tokens, up to the cap (db.searchList: when
	// more match, the list reads the disputes newest first testing each,
	// rather than gathering every match to sort it).
	var total int
	var err error
	if strings.TrimSpace(f.Query) != "" {
		total, page.TotalCapped, err = db.searchList(ctx, &w, f.Query, termSearch{"disputes", "dispute_terms", "dispute_id", true})
	} else {
		total, err = db.ledgerCount(ctx, "disputes", w)
	}
	if err != nil {
		return page, err
	}
	page.Total = &total
	items, next, err := newestFirst(ctx, db, disputeColumns, "disputes", w, f.Cursor, limit, scanDispute,
		func(last dispute.Dispute) int64 { return last.ID })
	if err != nil {
		return page, err
	}
	page.Items, page.NextCursor = items, next
	return page, nil
}

// disputeWhere are the conditions of f's fields but its search words;
// false when f's visibility allows no unit.
func disputeWhere(f dispute.Filter) (where, bool) {
	var w where
	if f.Units != nil {
		if len(f.Units) == 0 {
			return w, false
		}
		w.in("unit_code", f.Units)
	}
	for _, c := range []struct{ col, v string }{{"status", string(f.Status)}, {"unit_code", f.Unit}, {"branch_code", f.Branch},
		{"kind", f.Kind}, {"township", f.Township}, {"risk", string(f.Risk)}, {"level", string(f.Level)}} {
		if c.v != "" {
			w.add(c.col+" = ?", c.v)
		}
	}
	if f.Overdue {
		w.add("status IN (?, ?) AND due_at < ?", string(dispute.StatusFound), string(dispute.StatusMediating), micros(f.Now))
	}
	campaignWhere(&w, "campaign_id", f.Campaign)
	if f.From != "" {
		w.add("found_on >= ?", f.From)
	}
	if f.To != "" {
		w.add("found_on <= ?", f.To)
	}
	// The days ended are a range of disputes_closed, as DisputeFigures
	// reads them.
	if f.ClosedFrom != "" {
		w.add("closed_on >= ?", f.ClosedFrom)
	}
	if f.ClosedTo != "" {
		w.add("closed_on <= ? AND closed_on <> ''", f.ClosedTo)
	}
	return w, true
}

// EachDispute calls fn with every dispute f selects, oldest first (by id),
// read a thousand at a time (eachByID) rather than the list's pages of 100
// newest first each with its count: an export of a year's disputes (the
// ledgers' workbook). f's search words, page and cursor are not for it.
func (db *DB) EachDispute(ctx context.Context, f dispute.Filter, fn func(dispute.Dispute) error) error {
	if strings.TrimSpace(f.Query) != "" {
		return minyi.Invalid("q", "逐条导出不提供全文检索", "a search is not read whole")
	}
	w, ok := disputeWhere(f)
	if !ok {
		return nil
	}
	return eachByID(ctx, db, disputeColumns, "disputes", w, scanDispute, nil, fn)
}

// DisputeFigures counts the disputes of f's units: found in f's period
// (and of them, open at its end and overdue then), and resolved (at
// village level too), referred and unresolved by the day they ended so.
// village_share is the Service's. Found and ended are summed from the
// counters (dispute_tallies, dispute.TallyOf), which spares the count by
// status and level of every dispute ended in the period (8 ms at 14,000 a
// year, the most of the figures' cost); open and overdue depend on the
// period's end and now, so they are counted from the disputes found in the
// period, one range of the covering index disputes_found.
func (db *DB) DisputeFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"found": 0, "open": 0, "overdue": 0, "resolved": 0, "referred": 0, "unresolved": 0, "resolved_village": 0}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	end := f.To
	if end == "" {
		end = "9999-12-31"
	}
	// Overdue at the end of the period's last day, or now if sooner.
	cutoff := f.Now
	if d, err := time.ParseInLocation(time.DateOnly, end, calendar.Zone); err == nil {
		if e := d.AddDate(0, 0, 1); e.Before(cutoff) || cutoff.IsZero() {
			cutoff = e
		}
	}
	w := periodWhere(f, "day", "unit")
	campaignWhere(&w, "campaign_id", f.Campaign)
	var found, resolved, referred, unresolved, village sql.NullInt64
	err := db.queryRow(ctx, `SELECT SUM(found), SUM(resolved), SUM(referred), SUM(unresolved), SUM(resolved_village)
		FROM dispute_tallies`+w.sql(), w.args...).Scan(&found, &resolved, &referred, &unresolved, &village)
	if err != nil {
		return nil, wrap(err)
	}
	out["found"], out["resolved"], out["referred"], out["unresolved"], out["resolved_village"] =
		found.Int64, resolved.Int64, referred.Int64, unresolved.Int64, village.Int64
	w = periodWhere(f, "found_on", "unit_code")
	campaignWhere(&w, "campaign_id", f.Campaign)
	// Not ended by the period's end, as a condition rather than a sum of
	// cases: only those rows are decoded (2 ms rather than 7 at 16,000).
	w.add("(closed_on = '' OR closed_on > ?)", end)
	var open, overdue sql.NullInt64
	err = db.queryRow(ctx, "SELECT COUNT(*), SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END) FROM disputes"+w.sql(),
		append([]any{micros(cutoff)}, w.args...)...).Scan(&open, &overdue)
	if err != nil {
		return nil, wrap(err)
	}
	out["open"], out["overdue"] = open.Int64, overdue.Int64
	return out, nil
}

// addDisputeTallies adds each change to its row of the counters.
func addDisputeTallies(ctx context.Context, t tx, delta []dispute.Contribution) error {
	for _, d := range delta {
		_, err := t.exec(ctx, `INSERT INTO dispute_tallies(unit, day, campaign_id, found, resolved, referred, unresolved,
			resolved_village) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(unit, day, campaign_id) DO UPDATE SET found = dispute_tallies.found + excluded.found,
			resolved = dispute_tallies.resolved + excluded.resolved, referred = dispute_tallies.referred + excluded.referred,
			unresolved = dispute_tallies.unresolved + excluded.unresolved,
			resolved_village = dispute_tallies.resolved_village + excluded.resolved_village`,
			d.Key.Unit, d.Key.Day, d.Key.Campaign, d.Tally.Found, d.Tally.Resolved, d.Tally.Referred, d.Tally.Unresolved, d.Tally.ResolvedVillage)
		if err != nil {
			return wrap(err)
		}
	}
	return nil
}

// CreateDisputes stores every dispute as CreateDispute does, each followed
// by its history (events decided before it had an id: the store fills in
// their record), then the events of also, all in one transaction: a
// generator's batch, or an import's.
func (db *DB) CreateDisputes(ctx context.Context, ds []*dispute.Dispute, history [][]eventlog.Event, also []eventlog.Event) error {
	return db.createAll(ctx, len(ds), func(ctx context.Context, t tx, i int) error {
		if err := db.CreateDispute(ctx, ds[i]); err != nil {
			return err
		}
		return appendHistory(ctx, t, ds[i].ID, history[i])
	}, also)
}
