package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"minyi/archive"
	"minyi/eventlog"
	"minyi/notify"
	"minyi/outbox"
)

// notifiedRoles are the roles of a unit's staff that its alerts tell:
// those who handle its items (a partner unit's readers are told too, of
// what is dispatched to them).
const notifiedRoles = "'unit_head', 'officer', 'auxiliary', 'partner'"

// writeAlert writes alert a unless an alert of its key was written
// before: the alert, a notification for each officer it tells (not its
// actor) and a delivery to each robot that wants it, in t. It reports
// whether a was new.
func writeAlert(ctx context.Context, t tx, a notify.Alert) (bool, error) {
	data := ""
	if len(a.Data) > 0 {
		b, _ := json.Marshal(a.Data)
		data = string(b)
	}
	var due int64
	if !a.DueAt.IsZero() {
		due = micros(a.DueAt)
	}
	err := t.queryRow(ctx, `INSERT INTO alerts(alert_key, kind, unit, register, record_id, record, title, event_seq, due_at,
		data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_key) DO NOTHING RETURNING id`,
		a.Key, a.Kind, a.Unit, a.Register, a.RecordID, a.Record, a.Title, a.EventSeq, due, data, micros(a.At)).Scan(&a.ID)
	if err == sql.ErrNoRows {
		return false, nil
	} else if err != nil {
		return false, wrap(err)
	}
	users := []string{a.User}
	if a.User == "" {
		users, err = t.unitStaff(ctx, a.Unit)
		if err != nil {
			return false, err
		}
	}
	for _, u := range users {
		if u == a.Actor {
			continue
		}
		if _, err := t.exec(ctx, "INSERT INTO notifications(alert_id, username) VALUES (?, ?)", a.ID, u); err != nil {
			return false, wrap(err)
		}
	}
	hooks, err := t.activeWebhooks(ctx)
	if err != nil {
		return false, err
	}
	unitName := ""
	queued := boolInt(t.q != nil)
	for _, h := range hooks {
		if !h.WantsAlert(a) {
			continue
		}
		if unitName == "" {
			if err := t.queryRow(ctx, "SELECT name FROM units WHERE code = ?", a.Unit).Scan(&unitName); err != nil && err != sql.ErrNoRows {
				return false, wrap(err)
			}
		}
		// A delivery names its event; the periodic alerts have none and
		// take their alert's id, negated, which no event has.
		seq := a.EventSeq
		if seq == 0 {
			seq = -a.ID
		}
		var id int64
		err := t.queryRow(ctx, `INSERT INTO webhook_deliveries(webhook_id, register, record_id, record, event_seq,
			event_type, payload, queued, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			h.ID, a.Register, a.RecordID, a.Record, seq, "alert_"+string(a.Kind), outbox.RobotBody(h.Format, a, unitName),
			queued, micros(time.Now())).Scan(&id)
		if err != nil {
			return false, wrap(err)
		}
		t.p.jobs = append(t.p.jobs, Job{JobWebhook, id})
	}
	return true, nil
}

// unitStaff lists the active staff of unit that its alerts tell.
func (t tx) unitStaff(ctx context.Context, unit string) ([]string, error) {
	if unit == "" {
		return nil, nil
	}
	rows, err := t.QueryContext(ctx, t.d.rebind("SELECT name FROM users WHERE unit_code = ? AND disabled = 0 AND role IN ("+
		notifiedRoles+") ORDER BY name"), unit)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, wrap(err)
		}
		out = append(out, n)
	}
	return out, wrap(rows.Err())
}

// writeEventAlert writes the alert an item's event causes, if any
// (notify.ForEvent), with the event's outbox rows.
func writeEventAlert(ctx context.Context, t tx, e eventlog.Event, it *archive.Item, ie archive.Event) error {
	ie.Seq = e.Seq
	a, ok := notify.ForEvent(*it, ie)
	if !ok {
		return nil
	}
	_, err := writeAlert(ctx, t, a)
	return err
}

// WriteAlerts writes the alerts not written before (notify.Store), in one
// transaction, and returns how many were new.
func (db *DB) WriteAlerts(ctx context.Context, alerts []notify.Alert) (int, error) {
	n := 0
	for start := 0; start < len(alerts); start += 200 {
		batch := alerts[start:min(start+200, len(alerts))]
		err := db.inTx(ctx, func(t tx) error {
			for _, a := range batch {
				added, err := writeAlert(ctx, t, a)
				if err != nil {
					return err
				}
				if added {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

const notificationColumns = `n.id, a.kind, a.unit, a.register, a.record, a.title, a.due_at, a.data, a.created_at, n.read_at`

func scanNotification(s scanner) (notify.Notification, error) {
	var n notify.Notification
	var due, at int64
	var data string
	var read sql.NullInt64
	err := s.Scan(&n.ID, &n.Kind, &n.Unit, &n.Register, &n.Record, &n.Title, &due, &data, &at, &read)
	if due != 0 {
		d := fromMicros(due)
		n.DueAt = &d
	}
	if data != "" {
		json.Unmarshal([]byte(data), &n.Data)
	}
	n.At, n.Read = fromMicros(at), read.Valid
	return n, err
}

// Notifications lists user's notifications, newest first (notify.Store).
func (db *DB) Notifications(ctx context.Context, user string, unread bool, before int64, limit int) ([]notify.Notification, error) {
	var w where
	w.add("n.username = ?", user)
	if unread {
		w.add("n.read_at IS NULL")
	}
	if before > 0 {
		w.add("n.id < ?", before)
	}
	return list(ctx, db, "SELECT "+notificationColumns+" FROM notifications n JOIN alerts a ON a.id = n.alert_id"+
		w.sql()+" ORDER BY n.id DESC LIMIT ?", scanNotification, append(w.args, limit)...)
}

// UnreadNotifications counts user's unread notifications.
func (db *DB) UnreadNotifications(ctx context.Context, user string) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE username = ? AND read_at IS NULL", user).Scan(&n)
	return n, wrap(err)
}

// MarkNotificationsRead marks user's notification id, or all of them when
// id is 0, read at at; it returns how many it found (one already read
// counts, so marking twice is no error).
func (db *DB) MarkNotificationsRead(ctx context.Context, user string, id int64, at time.Time) (int, error) {
	var n int64
	err := db.inTx(ctx, func(t tx) error {
		q, args := "UPDATE notifications SET read_at = ? WHERE username = ? AND read_at IS NULL", []any{micros(at), user}
		if id > 0 {
			q, args = "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE username = ? AND id = ?", append(args, id)
		}
		res, err := t.exec(ctx, q, args...)
		if err != nil {
			return wrap(err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// DueItems lists the open items due in (from, to], soonest first, from the
// index of open items by due time, with the citizen's contact and the
// item's place, which their alerts' titles are masked of.
func (db *DB) DueItems(ctx context.Context, from, to time.Time) ([]notify.DueItem, error) {
	its, err := list(ctx, db, `SELECT `+itemColumns+` FROM items
		WHERE status IN ('received','returned','dispatched','signed','in_progress') AND due_at > ? AND due_at <= ?
		ORDER BY due_at, id LIMIT 10000`, scanItem, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	out := make([]notify.DueItem, len(its))
	for i, it := range its {
		out[i] = notify.DueItem{ID: it.ID, Number: it.Number, Title: it.Title, Unit: it.UnitCode, Assignee: it.Assignee,
			DueAt: it.DueAt, Contact: it.Contact, Location: it.Location}
	}
	return out, nil
}

// AlertCounts counts per unit and kind the items alerted in [from, to).
func (db *DB) AlertCounts(ctx context.Context, from, to time.Time) (map[string]map[notify.Kind]int, error) {
	rows, err := db.query(ctx, `SELECT unit, kind, COUNT(DISTINCT record_id) FROM alerts
		WHERE created_at >= ? AND created_at < ? AND unit <> '' AND register = ? GROUP BY unit, kind`,
		micros(from), micros(to), archive.Register)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := map[string]map[notify.Kind]int{}
	for rows.Next() {
		var unit string
		var kind notify.Kind
		var n int
		if err := rows.Scan(&unit, &kind, &n); err != nil {
			return nil, wrap(err)
		}
		if out[unit] == nil {
			out[unit] = map[notify.Kind]int{}
		}
		out[unit][kind] = n
	}
	return out, wrap(rows.Err())
}
