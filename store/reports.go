package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/register"
	"minyi/report"
)

const issuedColumns = `id, kind, period_from, period_to, unit, unit_name, campaign, campaign_name, script, title,
	template_version, document, digest, log_seq, log_hash, issued_by, issued_at`

func scanIssued(s scanner) (report.Issued, error) {
	var r report.Issued
	var doc string
	var at int64
	err := s.Scan(&r.ID, &r.Kind, &r.From, &r.To, &r.Unit, &r.UnitName, &r.Campaign, &r.CampaignName, &r.Script, &r.Title,
		&r.TemplateVersion, &doc, &r.Digest, &r.LogSeq, &r.LogHash, &r.IssuedBy, &at)
	if err != nil {
		return r, err
	}
	r.IssuedAt = fromMicros(at)
	if err := json.Unmarshal([]byte(doc), &r.Document); err != nil {
		return r, fmt.Errorf("issued report %d: document: %w", r.ID, err)
	}
	return r, nil
}

// IssueReport stores r with its issued event and the webhook deliveries
// announcing it (report.IssuedStore): the log's head before the event is
// the position r records. A schedule key issued already is a conflict.
func (db *DB) IssueReport(ctx context.Context, r *report.Issued) error {
	doc, err := json.Marshal(r.Document)
	if err != nil {
		return minyi.Internal(err)
	}
	var key any
	if r.Key != "" {
		key = r.Key
	}
	r.Digest = report.DigestOf(doc)
	err = db.inTx(ctx, func(t tx) error {
		seq, hash, err := t.chainHead(ctx)
		if err != nil {
			return err
		}
		r.LogSeq, r.LogHash = seq, hash
		err = t.queryRow(ctx, `INSERT INTO issued_reports(kind, schedule_key, period_from, period_to, unit, unit_name, campaign,
			campaign_name, script, title, template_version, document, digest, log_seq, log_hash, issued_by, issued_at)
			VALUES (`+placeholders(17)+`) RETURNING id`,
			r.Kind, key, r.From, r.To, r.Unit, r.UnitName, r.Campaign, r.CampaignName, r.Script, r.Title, r.TemplateVersion,
			string(doc), r.Digest, r.LogSeq, r.LogHash, r.IssuedBy, micros(r.IssuedAt)).Scan(&r.ID)
		if isUniqueViolation(err) {
			return minyi.Errorf(minyi.EConflict, "该报告已签发 / this report was issued already")
		} else if err != nil {
			return wrap(err)
		}
		if err := t.recordFormOf(ctx, r.Form, report.IssuedRegister, r.ID, r.IssuedAt); err != nil {
			return err
		}
		events := []eventlog.Event{r.Event()}
		if err := appendLog(ctx, t, events); err != nil {
			return err
		}
		return t.announce(ctx, events[0], report.EventReportIssued, r.Payload(events[0].Seq))
	})
	if err != nil {
		r.ID, r.LogSeq, r.LogHash = 0, 0, ""
	}
	return err
}

// announce writes a webhook delivery of e, known to partners as event type
// typ with payload, for every active webhook that subscribes to typ.
func (t tx) announce(ctx context.Context, e eventlog.Event, typ, payload string) error {
	hooks, err := t.activeWebhooks(ctx)
	if err != nil {
		return err
	}
	queued := boolInt(t.q != nil)
	written := micros(time.Now())
	for _, h := range hooks {
		if !h.Wants(archive.EventType(typ)) {
			continue
		}
		var id int64
		err := t.queryRow(ctx, `INSERT INTO webhook_deliveries(webhook_id, register, record_id, record, event_seq,
			event_type, payload, queued, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			h.ID, e.Register, e.RecordID, e.Record, e.Seq, typ, payload, queued, written).Scan(&id)
		if err != nil {
			return wrap(err)
		}
		t.p.jobs = append(t.p.jobs, Job{JobWebhook, id})
	}
	return nil
}

// IssuedReport returns issued report id.
func (db *DB) IssuedReport(ctx context.Context, id int64) (report.Issued, error) {
	r, err := scanIssued(db.queryRow(ctx, "SELECT "+issuedColumns+" FROM issued_reports WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("签发的报告", "issued report", id)
	}
	return r, wrap(err)
}

// IssuedReports lists issued reports newest first, with the count of all
// that f selects.
func (db *DB) IssuedReports(ctx context.Context, f report.IssuedFilter) (register.Page[report.Issued], error) {
	var w where
	if f.Units != nil {
		w.in("unit", f.Units)
	}
	switch {
	case f.Bureau:
		w.add("unit = ''")
	case f.Unit != "":
		w.add("unit = ?", f.Unit)
	}
	if f.From != "" {
		w.add("period_to >= ?", f.From)
	}
	if f.To != "" {
		w.add("period_from <= ?", f.To)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// Few reports, short titles: the words as written, in the title,
		// the unit's or the campaign's name.
		like := "%" + likeEscape(q) + "%"
		w.add("(title LIKE ? OR unit_name LIKE ? OR campaign_name LIKE ?)", like, like, like)
	}
	if !f.IssuedSince.IsZero() {
		w.add("issued_at >= ?", micros(f.IssuedSince))
	}
	total, err := db.ledgerCount(ctx, "issued_reports", w)
	if err != nil {
		return register.Page[report.Issued]{}, err
	}
	items, next, err := newestFirst(ctx, db, issuedColumns, "issued_reports", w, f.Cursor, f.Size(20, 100), scanIssued,
		func(r report.Issued) int64 { return r.ID })
	if err != nil {
		return register.Page[report.Issued]{}, err
	}
	return register.Page[report.Issued]{Items: items, NextCursor: next, Total: &total}, nil
}

// IssuedKeys returns which schedule keys were issued already.
func (db *DB) IssuedKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	for len(keys) > 0 {
		n := min(len(keys), 200)
		var w where
		w.in("schedule_key", keys[:n])
		keys = keys[n:]
		found, err := list(ctx, db, "SELECT schedule_key FROM issued_reports"+w.sql(), func(s scanner) (string, error) {
			var k string
			return k, s.Scan(&k)
		}, w.args...)
		if err != nil {
			return nil, err
		}
		for _, k := range found {
			out[k] = true
		}
	}
	return out, nil
}
