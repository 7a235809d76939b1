package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"minyi/archive"
	"minyi/outbox"
)

// selectWebhooks reads webhooks with their format and unit, kept beside
// them (webhook_formats: a webhook without a row there is minyi's format).
const selectWebhooks = `SELECT w.id, w.name, w.url, w.secret, w.events, w.active, w.created_by, w.created_at,
	COALESCE(f.format, 'minyi'), COALESCE(f.unit, '') FROM webhooks w LEFT JOIN webhook_formats f ON f.webhook_id = w.id`

func scanWebhook(s scanner) (outbox.Webhook, error) {
	var w outbox.Webhook
	var events string
	var active int
	var created int64
	err := s.Scan(&w.ID, &w.Name, &w.URL, &w.Secret, &events, &active, &w.CreatedBy, &created, &w.Format, &w.Unit)
	w.Events, w.Active, w.CreatedAt = strings.Split(events, ","), active == 1, fromMicros(created)
	return w, err
}

// CreateWebhook registers an endpoint.
func (db *DB) CreateWebhook(ctx context.Context, w *outbox.Webhook) error {
	return db.inTx(ctx, func(t tx) error {
		format := w.Format
		if format == "" {
			format = outbox.FormatMinyi
		}
		err := t.queryRow(ctx, `INSERT INTO webhooks(name, url, secret, events, active, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, w.Name, w.URL, w.Secret, strings.Join(w.Events, ","),
			boolInt(w.Active), w.CreatedBy, micros(w.CreatedAt)).Scan(&w.ID)
		if isUniqueViolation(err) {
			return duplicate("name", "名称")
		}
		if err != nil {
			return wrap(err)
		}
		_, err = t.exec(ctx, "INSERT INTO webhook_formats(webhook_id, format, unit) VALUES (?, ?, ?)", w.ID, format, w.Unit)
		return wrap(err)
	})
}

// UpdateWebhook changes an endpoint's address, events and whether it is
// active; its name and secret stay.
func (db *DB) UpdateWebhook(ctx context.Context, w outbox.Webhook) error {
	return db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, "UPDATE webhooks SET url = ?, events = ?, active = ? WHERE id = ?",
			w.URL, strings.Join(w.Events, ","), boolInt(w.Active), w.ID)
		if err != nil {
			return wrap(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("网络回调", "webhook", w.ID)
		}
		_, err = t.exec(ctx, "UPDATE webhook_formats SET unit = ? WHERE webhook_id = ?", w.Unit, w.ID)
		return wrap(err)
	})
}

// Webhooks lists the registered endpoints.
func (db *DB) Webhooks(ctx context.Context) ([]outbox.Webhook, error) {
	return list(ctx, db, selectWebhooks+" ORDER BY w.id", scanWebhook)
}

// Webhook returns one endpoint.
func (db *DB) Webhook(ctx context.Context, id int64) (outbox.Webhook, error) {
	w, err := scanWebhook(db.queryRow(ctx, selectWebhooks+" WHERE w.id = ?", id))
	if err == sql.ErrNoRows {
		return w, notFound("网络回调", "webhook", id)
	}
	return w, wrap(err)
}

// activeWebhooks reads the subscriptions once per transaction: a group
// commit of many items asks once.
func (t tx) activeWebhooks(ctx context.Context) ([]outbox.Webhook, error) {
	if t.p.webhooks != nil {
		return *t.p.webhooks, nil
	}
	rows, err := t.QueryContext(context.WithoutCancel(ctx), t.d.rebind(selectWebhooks+" WHERE w.active = 1"))
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	hooks := []outbox.Webhook{}
	for rows.Next() {
		h, err := scanWebhook(rows)
		if err != nil {
			return nil, wrap(err)
		}
		hooks = append(hooks, h)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err)
	}
	t.p.webhooks = &hooks
	return hooks, nil
}

const deliveryColumns = `d.id, d.webhook_id, w.name, d.register, d.record_id, d.record, d.event_seq, d.event_type, d.payload,
	d.status, d.attempts, d.last_status, d.last_error, d.created_at, d.sent_at`

func scanDelivery(s scanner) (outbox.Delivery, error) {
	var d outbox.Delivery
	var created int64
	var sent sql.NullInt64
	err := s.Scan(&d.ID, &d.WebhookID, &d.WebhookName, &d.Register, &d.RecordID, &d.Record, &d.EventSeq, &d.EventType,
		&d.Payload, &d.Status, &d.Attempts, &d.LastStatus, &d.LastError, &created, &sent)
	if d.Register == archive.Register {
		d.ItemNumber = d.Record
	}
	d.CreatedAt, d.SentAt = fromMicros(created), timePtr(sent)
	return d, err
}

// Delivery returns a webhook delivery and its webhook.
func (db *DB) Delivery(ctx context.Context, id int64) (outbox.Delivery, outbox.Webhook, error) {
	d, err := scanDelivery(db.queryRow(ctx, "SELECT "+deliveryColumns+
		" FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?", id))
	if err == sql.ErrNoRows {
		return d, outbox.Webhook{}, notFound("回调投递", "delivery", id)
	} else if err != nil {
		return d, outbox.Webhook{}, wrap(err)
	}
	w, err := scanWebhook(db.queryRow(ctx, selectWebhooks+" WHERE w.id = ?", d.WebhookID))
	return d, w, wrap(err)
}

// EarlierUnfinished reports whether an earlier delivery of d's record to
// d's webhook, written since since, is still pending.
func (db *DB) EarlierUnfinished(ctx context.Context, d outbox.Delivery, since time.Time) (bool, error) {
	var one int
	err := db.queryRow(ctx, `SELECT 1 FROM webhook_deliveries WHERE webhook_id = ? AND register = ? AND record_id = ?
		AND id < ? AND status = 'pending' AND created_at >= ? LIMIT 1`,
		d.WebhookID, d.Register, d.RecordID, d.ID, micros(since)).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, wrap(err)
}

// FailAbandoned marks failed the queued notices and deliveries still
// pending that were written before before: their job is gone (see
// outbox.AbandonAfter). It returns how many it marked.
func (db *DB) FailAbandoned(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	err := db.inTx(ctx, func(t tx) error {
		for _, table := range []string{"notices", "webhook_deliveries"} {
			blank := ""
			if table == "notices" {
				blank = blankNoticeCode
			}
			res, err := t.exec(ctx, "UPDATE "+table+` SET status = 'failed'`+blank+`,
				last_error = '投递任务已不存在（服务器在最后一次尝试时停止）/ no delivery job left: the server stopped during the last attempt'
				WHERE status = 'pending' AND queued = 1 AND created_at < ?`, micros(before))
			if err != nil {
				return wrap(err)
			}
			n, _ := res.RowsAffected()
			total += n
		}
		return nil
	})
	return total, err
}

// RecordDelivery stores the outcome of a webhook call.
func (db *DB) RecordDelivery(ctx context.Context, id int64, httpStatus int, sentAt *time.Time, errText string, final bool) error {
	return db.recordAttempt(ctx, "webhook_deliveries", id, &httpStatus, sentAt, errText, final)
}

// Deliveries lists webhook deliveries, newest first.
func (db *DB) Deliveries(ctx context.Context, f outbox.DeliveryFilter) ([]outbox.Delivery, error) {
	var w where
	if f.Webhook > 0 {
		w.add("d.webhook_id = ?", f.Webhook)
	}
	if f.Status != "" {
		w.add("d.status = ?", f.Status)
	}
	if f.Before > 0 {
		w.add("d.id < ?", f.Before)
	}
	return list(ctx, db, "SELECT "+deliveryColumns+" FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"+
		w.sql()+" ORDER BY d.id DESC LIMIT ?", scanDelivery, append(w.args, pageLimit(f.Limit))...)
}
