package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"minyi"
	"minyi/eventlog"
	"minyi/register"
	"minyi/reporting"
	"minyi/servicepoint"
)

var _ servicepoint.Store = (*DB)(nil)

const pointColumns = `id, name, unit, township, village, address, lat, lng, opening_hours, off_peak, extended,
	services, phone, status, created_by, created_at, updated_at, version, campaign_id, opened_on, closed_on`

// pointValues are the stored columns of p from name to closed_on.
func pointValues(p *servicepoint.Point) []any {
	return []any{p.Name, p.Unit, p.Township, p.Village, p.Address, nullFloat(p.Lat), nullFloat(p.Lng),
		p.OpeningHours, boolInt(p.OffPeak), boolInt(p.Extended), strings.Join(p.Services, "\n"), p.Phone, string(p.Status),
		nullID(p.Campaign), p.OpenedOn, p.ClosedOn}
}

func nullFloat(v *float64) sql.NullFloat64 {
	if v == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *v, Valid: true}
}

// CreatePoint stores a service point, its search tokens and its recorded
// event in one transaction.
func (db *DB) CreatePoint(ctx context.Context, p *servicepoint.Point) error {
	terms := ledgerTerms(p.SearchText())
	return db.inTx(ctx, func(t tx) error {
		p.Version = 1
		args := append(pointValues(p), p.CreatedBy, micros(p.CreatedAt), micros(p.UpdatedAt), p.Version)
		err := t.insertRow(ctx, `INSERT INTO service_points(name, unit, township, village, address, lat, lng,
			opening_hours, off_peak, extended, services, phone, status, campaign_id, opened_on, closed_on, created_by, created_at, updated_at, version)
			VALUES (`+placeholders(len(args))+") RETURNING id", args...).Scan(&p.ID)
		if err != nil {
			return wrap(err)
		}
		if err := t.recordFormOf(ctx, p.Form, servicepoint.Register, p.ID, p.CreatedAt); err != nil {
			return err
		}
		if err := insertTerms(ctx, t, "service_point_terms", "point_id", p.ID, terms); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{p.Recorded()})
	})
}

// UpdatePoint stores p over version with its events, in one transaction; a
// version changed meanwhile is a conflict and writes nothing.
func (db *DB) UpdatePoint(ctx context.Context, p *servicepoint.Point, version int, events []eventlog.Event) error {
	terms := ledgerTerms(p.SearchText())
	return db.inTx(ctx, func(t tx) error {
		args := append(pointValues(p), micros(p.UpdatedAt), version+1, p.ID, version)
		if err := updateVersioned(ctx, t, `UPDATE service_points SET name = ?, unit = ?, township = ?, village = ?, address = ?,
			lat = ?, lng = ?, opening_hours = ?, off_peak = ?, extended = ?, services = ?, phone = ?, status = ?,
			campaign_id = ?, opened_on = ?, closed_on = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?`, args,
			func() error { return register.Stale(servicepoint.Noun) }); err != nil {
			return err
		}
		if err := writeTerms(ctx, t, "service_point_terms", "point_id", p.ID, terms); err != nil {
			return err
		}
		if err := appendLog(ctx, t, slices.Clone(events)); err != nil {
			return err
		}
		p.Version = version + 1
		return nil
	})
}

func scanPoint(s scanner) (servicepoint.Point, error) {
	var p servicepoint.Point
	var lat, lng sql.NullFloat64
	var offPeak, extended int
	var services, status string
	var created, updated int64
	var campaign sql.NullInt64
	err := s.Scan(&p.ID, &p.Name, &p.Unit, &p.Township, &p.Village, &p.Address, &lat, &lng, &p.OpeningHours,
		&offPeak, &extended, &services, &p.Phone, &status, &p.CreatedBy, &created, &updated, &p.Version, &campaign,
		&p.OpenedOn, &p.ClosedOn)
	p.Campaign = campaign.Int64
	if lat.Valid && lng.Valid {
		p.Lat, p.Lng = &lat.Float64, &lng.Float64
	}
	p.OffPeak, p.Extended, p.Status = offPeak != 0, extended != 0, servicepoint.Status(status)
	p.Services = []string{}
	if services != "" {
		p.Services = strings.Split(services, "\n")
	}
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return p, err
}

// Point returns one service point.
func (db *DB) Point(ctx context.Context, id int64) (servicepoint.Point, error) {
	p, err := scanPoint(db.queryRow(ctx, "SELECT "+pointColumns+" FROM service_points WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return p, notFound("便民服务站点", "service point", id)
	}
	return p, wrap(err)
}

// Points lists the service points f selects, newest first, with the count
// of all of them.
func (db *DB) Points(ctx context.Context, f servicepoint.Filter) (servicepoint.Page, error) {
	page := servicepoint.Page{Items: []servicepoint.Point{}}
	size := f.Size(20, 100)
	w := pointWhere(f)
	total, capped, err := db.countList(ctx, &w, f.Query, termSearch{"service_points", "service_point_terms", "point_id", false})
	if err != nil {
		return page, err
	}
	page.Total, page.TotalCapped = &total, capped
	if f.Cursor != "" {
		c, err := decodeLedgerCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		w.add("id < ?", c.id)
	}
	page.Items, page.NextCursor, err = listPage(ctx, db, "SELECT "+pointColumns+" FROM service_points"+w.sql()+" ORDER BY id DESC LIMIT ?",
		w.args, size, scanPoint, func(last servicepoint.Point) string {
			return ledgerCursor{strconv.FormatInt(last.ID, 10), last.ID}.encode()
		})
	if err != nil {
		return page, err
	}
	return page, nil
}

// pointWhere are the conditions of f's fields but its search words.
func pointWhere(f servicepoint.Filter) where {
	var w where
	if f.Units != nil {
		w.in("unit", f.Units)
	}
	if f.Unit != "" {
		w.add("unit = ?", f.Unit)
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.Township != "" {
		w.add("township = ?", f.Township)
	}
	if f.OpenOn != "" {
		w.add("opened_on <= ?", f.OpenOn)
		w.add("(closed_on = '' OR closed_on > ?)", f.OpenOn)
	}
	campaignWhere(&w, "campaign_id", f.Campaign)
	return w
}

// EachPoint calls fn with every service point f selects, oldest first (by
// id), read a thousand at a time (eachByID) rather than the list's pages
// of 100 newest first each with its count: the ledgers' workbook. f's
// search words, page and cursor are not for it.
func (db *DB) EachPoint(ctx context.Context, f servicepoint.Filter, fn func(servicepoint.Point) error) error {
	if strings.TrimSpace(f.Query) != "" {
		return minyi.Invalid("q", "逐条导出不提供全文检索", "a search is not read whole")
	}
	return eachByID(ctx, db, pointColumns, "service_points", pointWhere(f), scanPoint, nil, fn)
}

// PointTownships lists the townships of the active service points, each
// once, in order.
func (db *DB) PointTownships(ctx context.Context) ([]string, error) {
	rows, err := db.query(ctx, "SELECT DISTINCT township FROM service_points WHERE status = ? AND township <> '' ORDER BY township",
		string(servicepoint.StatusActive))
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, wrap(err)
		}
		out = append(out, t)
	}
	return out, wrap(rows.Err())
}

// PointFigures counts, for f's units, the service points open at the end
// of f's period: opened by its last day and not closed by then (active; a
// period without an end counts the points open now).
func (db *DB) PointFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"active": 0}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	var w where
	if len(f.Units) > 0 {
		w.in("unit", f.Units)
	}
	if f.Unit != "" {
		w.add("unit = ?", f.Unit)
	}
	campaignWhere(&w, "campaign_id", f.Campaign)
	if f.To != "" {
		w.add("opened_on <= ?", f.To)
		w.add("(closed_on = '' OR closed_on > ?)", f.To)
	} else {
		w.add("status = ?", string(servicepoint.StatusActive))
	}
	var n int64
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM service_points"+w.sql(), w.args...).Scan(&n); err != nil {
		return nil, wrap(err)
	}
	out["active"] = n
	return out, nil
}
