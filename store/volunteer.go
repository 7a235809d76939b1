package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/register"
	"minyi/reporting"
	"minyi/volunteer"
)

var _ volunteer.Store = (*DB)(nil)

const activityColumns = `id, day, title, unit, branch, volunteers, centihours, served, township, village, place,
	description, created_by, created_at, updated_at, version, campaign_id`

// CreateActivity stores a volunteer activity, its participants, its search
// tokens and its recorded event in one transaction.
func (db *DB) CreateActivity(ctx context.Context, a *volunteer.Activity) error {
	terms := ledgerTerms(a.SearchText())
	return db.inTx(ctx, func(t tx) error {
		a.Version = 1
		err := t.insertRow(ctx, `INSERT INTO volunteer_activities(day, title, unit, branch, volunteers, centihours,
			served, township, village, place, description, created_by, created_at, updated_at, version, campaign_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Date, a.Title, a.Unit, a.Branch, a.Volunteers, a.Centihours(), a.Served, a.Township, a.Village,
			a.Place, a.Description, a.CreatedBy, micros(a.CreatedAt), micros(a.UpdatedAt), a.Version, nullID(a.Campaign)).Scan(&a.ID)
		if err != nil {
			return wrap(err)
		}
		if err := t.recordFormOf(ctx, a.Form, volunteer.Register, a.ID, a.CreatedAt); err != nil {
			return err
		}
		if err := writeParticipants(ctx, t, a.ID, a.Participants); err != nil {
			return err
		}
		if err := insertTerms(ctx, t, "volunteer_activity_terms", "activity_id", a.ID, terms); err != nil {
			return err
		}
		if err := appendLog(ctx, t, []eventlog.Event{a.Recorded()}); err != nil {
			return err
		}
		return writeActivityPhotos(ctx, t, a)
	})
}

// UpdateActivity stores a over version with its events, in one
// transaction; a version changed meanwhile is a conflict and writes
// nothing.
func (db *DB) UpdateActivity(ctx context.Context, a *volunteer.Activity, version int, events []eventlog.Event) error {
	terms := ledgerTerms(a.SearchText())
	return db.inTx(ctx, func(t tx) error {
		if err := updateVersioned(ctx, t, `UPDATE volunteer_activities SET day = ?, title = ?, unit = ?, branch = ?,
			volunteers = ?, centihours = ?, served = ?, township = ?, village = ?, place = ?, description = ?,
			updated_at = ?, version = ?, campaign_id = ? WHERE id = ? AND version = ?`,
			[]any{a.Date, a.Title, a.Unit, a.Branch, a.Volunteers, a.Centihours(), a.Served, a.Township, a.Village,
				a.Place, a.Description, micros(a.UpdatedAt), version + 1, nullID(a.Campaign), a.ID, version},
			func() error { return register.Stale(volunteer.Noun) }); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM volunteer_participants WHERE activity_id = ?", a.ID); err != nil {
			return wrap(err)
		}
		if err := writeParticipants(ctx, t, a.ID, a.Participants); err != nil {
			return err
		}
		if err := writeTerms(ctx, t, "volunteer_activity_terms", "activity_id", a.ID, terms); err != nil {
			return err
		}
		if err := appendLog(ctx, t, slices.Clone(events)); err != nil {
			return err
		}
		if err := writeActivityPhotos(ctx, t, a); err != nil {
			return err
		}
		a.Version = version + 1
		return nil
	})
}

// writeActivityPhotos deletes the photos a change removes and stores the
// new ones, which join a.Photos with their IDs.
func writeActivityPhotos(ctx context.Context, t tx, a *volunteer.Activity) error {
	removed := make([]int64, len(a.RemovedPhotos))
	for i, p := range a.RemovedPhotos {
		removed[i] = p.ID
	}
	if err := deleteRecordPhotos(ctx, t, volunteer.Register, a.ID, removed); err != nil {
		return err
	}
	added := make([]archive.NewPhoto, len(a.NewPhotos))
	for i, p := range a.NewPhotos {
		added[i] = archive.NewPhoto{Photo: p}
	}
	stored, err := writeRecordPhotos(ctx, t, volunteer.Register, a.ID, added, a.UpdatedAt)
	if err != nil {
		return err
	}
	if a.Photos == nil {
		a.Photos = []archive.PhotoInfo{}
	}
	for _, p := range stored {
		a.Photos = append(a.Photos, p.PhotoInfo)
	}
	a.NewPhotos, a.RemovedPhotos = nil, nil
	return nil
}

func writeParticipants(ctx context.Context, t tx, id int64, names []string) error {
	for i, n := range names {
		if _, err := t.exec(ctx, "INSERT INTO volunteer_participants(activity_id, pos, user_name) VALUES (?, ?, ?)", id, i, n); err != nil {
			return wrap(err)
		}
	}
	return nil
}

func scanActivity(s scanner) (volunteer.Activity, error) {
	var a volunteer.Activity
	var centi, created, updated int64
	var campaign sql.NullInt64
	err := s.Scan(&a.ID, &a.Date, &a.Title, &a.Unit, &a.Branch, &a.Volunteers, &centi, &a.Served, &a.Township,
		&a.Village, &a.Place, &a.Description, &a.CreatedBy, &created, &updated, &a.Version, &campaign)
	a.Campaign = campaign.Int64
	a.Hours, a.CreatedAt, a.UpdatedAt = float64(centi)/100, fromMicros(created), fromMicros(updated)
	a.Participants, a.Photos = []string{}, []archive.PhotoInfo{}
	return a, err
}

// Activity returns one volunteer activity with its participants.
func (db *DB) Activity(ctx context.Context, id int64) (volunteer.Activity, error) {
	a, err := scanActivity(db.queryRow(ctx, "SELECT "+activityColumns+" FROM volunteer_activities WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return a, notFound("志愿服务活动", "volunteer activity", id)
	}
	if err != nil {
		return a, wrap(err)
	}
	list := []*volunteer.Activity{&a}
	if err := db.fillParticipants(ctx, list); err != nil {
		return a, err
	}
	return a, db.fillActivityPhotos(ctx, list)
}

// fillActivityPhotos reads the photos of the activities, without bytes.
func (db *DB) fillActivityPhotos(ctx context.Context, as []*volunteer.Activity) error {
	byID := map[int64]*volunteer.Activity{}
	ids := make([]int64, len(as))
	for i, a := range as {
		byID[a.ID], ids[i] = a, a.ID
	}
	photos, err := db.recordPhotos(ctx, volunteer.Register, ids)
	for _, p := range photos {
		byID[p.record].Photos = append(byID[p.record].Photos, p.PhotoInfo)
	}
	return err
}

// fillParticipants reads the participants of the activities.
func (db *DB) fillParticipants(ctx context.Context, as []*volunteer.Activity) error {
	if len(as) == 0 {
		return nil
	}
	byID := map[int64]*volunteer.Activity{}
	ids := make([]any, len(as))
	for i, a := range as {
		byID[a.ID], ids[i] = a, a.ID
	}
	rows, err := db.query(ctx, "SELECT activity_id, user_name FROM volunteer_participants WHERE activity_id IN ("+
		placeholders(len(ids))+") ORDER BY activity_id, pos", ids...)
	if err != nil {
		return wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return wrap(err)
		}
		byID[id].Participants = append(byID[id].Participants, name)
	}
	return wrap(rows.Err())
}

// activityWhere are the conditions of f's fields but its search words.
func activityWhere(f volunteer.Filter) where {
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
	if f.Participant != "" {
		w.add("id IN (SELECT activity_id FROM volunteer_participants WHERE user_name = ?)", f.Participant)
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

// EachActivity calls fn with every activity f selects, with its
// participants and photos, oldest first (by id), read a thousand at a time
// (eachByID) rather than the list's pages of 100 latest first each with
// its count: an export of a year's activities (the ledgers' workbook).
// f's search words, page and cursor are not for it.
func (db *DB) EachActivity(ctx context.Context, f volunteer.Filter, fn func(volunteer.Activity) error) error {
	if strings.TrimSpace(f.Query) != "" {
		return minyi.Invalid("q", "逐条导出不提供全文检索", "a search is not read whole")
	}
	return eachByID(ctx, db, activityColumns, "volunteer_activities", activityWhere(f), scanActivity,
		func(ctx context.Context, as []volunteer.Activity) error {
			ptrs := pointers(as)
			if err := db.fillParticipants(ctx, ptrs); err != nil {
				return err
			}
			return db.fillActivityPhotos(ctx, ptrs)
		}, fn)
}

// Activities lists the volunteer activities f selects, latest date first,
// with the count of all of them.
func (db *DB) Activities(ctx context.Context, f volunteer.Filter) (volunteer.Page, error) {
	page := volunteer.Page{Items: []volunteer.Activity{}}
	size := f.Size(20, 100)
	w := activityWhere(f)
	// A search that is the only filter and matches more activities than
	// it counts (countList) is read by day, testing each.
	onlySearch := len(w.conds) == 0
	total, capped, err := db.countList(ctx, &w, f.Query, termSearch{"volunteer_activities", "volunteer_activity_terms", "activity_id", false})
	if err != nil {
		return page, err
	}
	page.Total, page.TotalCapped = &total, capped
	from := "volunteer_activities"
	if onlySearch && capped {
		from += db.dialect.activitiesDayIndex
	}
	if f.Cursor != "" {
		c, err := decodeLedgerCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		w.after(descending, "day, id", c.key, c.id)
	}
	page.Items, page.NextCursor, err = listPage(ctx, db, "SELECT "+activityColumns+" FROM "+from+w.sql()+
		" ORDER BY day DESC, id DESC LIMIT ?", w.args, size, scanActivity, func(last volunteer.Activity) string {
		return ledgerCursor{last.Date, last.ID}.encode()
	})
	if err != nil {
		return page, err
	}
	ptrs := pointers(page.Items)
	if err := db.fillParticipants(ctx, ptrs); err != nil {
		return page, err
	}
	return page, db.fillActivityPhotos(ctx, ptrs)
}

// ActivityFigures counts the volunteer activities dated in f's period by
// f's units: activities, volunteers, volunteer_hours (hours times
// volunteers, in whole hours rounded down) and served.
func (db *DB) ActivityFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"activities": 0, "volunteers": 0, "volunteer_hours": 0, "served": 0}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	w := periodWhere(f, "day", "unit")
	campaignWhere(&w, "campaign_id", f.Campaign)
	var n, volunteers, centi, served int64
	if err := db.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(volunteers), 0), COALESCE(SUM(centihours * volunteers), 0),
		COALESCE(SUM(served), 0) FROM volunteer_activities`+db.dialect.activitiesFiguresIndex+w.sql(), w.args...).Scan(&n, &volunteers, &centi, &served); err != nil {
		return nil, wrap(err)
	}
	out["activities"], out["volunteers"], out["volunteer_hours"], out["served"] = n, volunteers, centi/100, served
	return out, nil
}

// ActivityFiguresByBranch counts the figures of ActivityFigures by party
// branch; activities of no branch are left out.
func (db *DB) ActivityFiguresByBranch(ctx context.Context, f reporting.Filter) (map[string]reporting.Figures, error) {
	out := map[string]reporting.Figures{}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	w := periodWhere(f, "day", "unit")
	campaignWhere(&w, "campaign_id", f.Campaign)
	w.add("branch <> ?", "")
	rows, err := db.query(ctx, `SELECT branch, COUNT(*), COALESCE(SUM(volunteers), 0), COALESCE(SUM(centihours * volunteers), 0),
		COALESCE(SUM(served), 0) FROM volunteer_activities`+db.dialect.activitiesFiguresIndex+w.sql()+" GROUP BY branch", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var branch string
		var n, volunteers, centi, served int64
		if err := rows.Scan(&branch, &n, &volunteers, &centi, &served); err != nil {
			return nil, wrap(err)
		}
		out[branch] = reporting.Figures{"activities": n, "volunteers": volunteers, "volunteer_hours": centi / 100, "served": served}
	}
	return out, wrap(rows.Err())
}
