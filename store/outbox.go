package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/outbox"
)

// Job is one delivery handed to the job queue: which row to deliver.
type Job struct {
	Kind string // JobNotice or JobWebhook
	ID   int64
}

// Kinds of delivery jobs.
const (
	JobNotice  = "notice"
	JobWebhook = "webhook_delivery"
)

// JobQueue takes delivery jobs inside the transaction that writes their
// rows, so a job exists exactly when its row does.
type JobQueue interface {
	InsertTx(ctx context.Context, tx *sql.Tx, jobs []Job) error
}

// SetQueue attaches the job queue; rows written before it was attached are
// handed over by QueueWaiting.
func (db *DB) SetQueue(q JobQueue) { db.queue.Store(&q) }

func (db *DB) jobQueue() JobQueue {
	if q := db.queue.Load(); q != nil {
		return *q
	}
	return nil
}

// Writer returns the connection pool that writes (on SQLite its single
// connection). The job queue shares it, so its writes and ours never
// contend for SQLite's lock.
func (db *DB) Writer() *sql.DB { return db.write }

// writeOutbound writes the notices and webhook deliveries that e, an
// item's event as it stands in the log, causes; ie is the same event as the
// items see it, it the item after it. The rows hang off the log's event:
// its sequence number, register and record.
func writeOutbound(ctx context.Context, t tx, e eventlog.Event, it *archive.Item, ie archive.Event) error {
	queued := boolInt(t.q != nil)
	// Rows are stamped when written, not with their event's time: a slip
	// entered today may carry last week's date of receipt, and its
	// deliveries are as new as any (outbox.AbandonAfter counts from here).
	written := micros(time.Now())
	for _, n := range ie.Notices {
		n.ItemID, n.EventSeq = e.RecordID, e.Seq
		n.Render(e.Record)
		var id int64
		err := t.queryRow(ctx, `INSERT INTO notices(register, record_id, record, event_seq, kind, phone, body, display,
			queued, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.Register, e.RecordID, e.Record, e.Seq, n.Kind, n.Phone, n.Body, n.Display, queued, written).Scan(&id)
		if err != nil {
			return wrap(err)
		}
		t.p.jobs = append(t.p.jobs, Job{JobNotice, id})
	}
	hooks, err := t.activeWebhooks(ctx)
	if err != nil {
		return err
	}
	var payload string
	for _, h := range hooks {
		if !h.Wants(ie.Type) {
			continue
		}
		if payload == "" {
			payload = outbox.PayloadFor(*it, ie).Marshal()
		}
		var id int64
		err := t.queryRow(ctx, `INSERT INTO webhook_deliveries(webhook_id, register, record_id, record, event_seq,
			event_type, payload, queued, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			h.ID, e.Register, e.RecordID, e.Record, e.Seq, e.Type, payload, queued, written).Scan(&id)
		if err != nil {
			return wrap(err)
		}
		t.p.jobs = append(t.p.jobs, Job{JobWebhook, id})
	}
	return nil
}

// activeWebhooks reads the subscriptions once per transaction: a group
// commit of many items asks once.
func (t tx) activeWebhooks(ctx context.Context) ([]outbox.Webhook, error) {
	if t.p.webhooks != nil {
		return *t.p.webhooks, nil
	}
	rows, err := t.QueryContext(context.WithoutCancel(ctx), t.d.rebind("SELECT "+webhookColumns+" FROM webhooks WHERE active = 1"))
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

// QueueWaiting hands the job queue every notice and delivery written while
// no queue was attached (by the command-line tools), and returns how many.
func (db *DB) QueueWaiting(ctx context.Context) (int, error) {
	total := 0
	for _, table := range []struct{ name, kind string }{{"notices", JobNotice}, {"webhook_deliveries", JobWebhook}} {
		for {
			n := 0
			err := db.inTx(ctx, func(t tx) error {
				if t.q == nil {
					return minyi.Errorf(minyi.EInternal, "no job queue attached")
				}
				rows, err := t.QueryContext(ctx, t.d.rebind("SELECT id FROM "+table.name+" WHERE queued = 0 ORDER BY id LIMIT 500"))
				if err != nil {
					return wrap(err)
				}
				var jobs []Job
				for rows.Next() {
					var id int64
					if err := rows.Scan(&id); err != nil {
						rows.Close()
						return wrap(err)
					}
					jobs = append(jobs, Job{table.kind, id})
				}
				rows.Close()
				for _, j := range jobs {
					// Another server starting at the same time may have
					// taken the row: queue it only if this one did.
					res, err := t.exec(ctx, "UPDATE "+table.name+" SET queued = 1 WHERE id = ? AND queued = 0", j.ID)
					if err != nil {
						return wrap(err)
					}
					if changed, _ := res.RowsAffected(); changed == 1 {
						t.p.jobs = append(t.p.jobs, j)
					}
				}
				n = len(jobs)
				return nil
			})
			if err != nil {
				return total, err
			}
			total += n
			if n < 500 {
				break
			}
		}
	}
	return total, nil
}

const noticeColumns = `id, record_id, record, event_seq, kind, phone, body, display, status, attempts,
	last_error, created_at, sent_at`

func scanNotice(s scanner) (archive.Notice, error) {
	var n archive.Notice
	var created int64
	var sent sql.NullInt64
	err := s.Scan(&n.ID, &n.ItemID, &n.ItemNumber, &n.EventSeq, &n.Kind, &n.Phone, &n.Body, &n.Display,
		&n.Status, &n.Attempts, &n.LastError, &created, &sent)
	n.CreatedAt, n.SentAt = fromMicros(created), timePtr(sent)
	return n, err
}

// Notice returns one notice.
func (db *DB) Notice(ctx context.Context, id int64) (archive.Notice, error) {
	n, err := scanNotice(db.queryRow(ctx, "SELECT "+noticeColumns+" FROM notices WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return n, notFound("通知", "notice", id)
	}
	return n, wrap(err)
}

type recordHookKey struct{}

// WithRecordHook returns ctx carrying fn, which a successful delivery's
// record written with ctx runs inside its own transaction. The job queue
// uses it to mark its job done in the same commit as the delivery, so the
// two share the group commit instead of costing a commit each.
func WithRecordHook(ctx context.Context, fn func(tx *sql.Tx) error) context.Context {
	return context.WithValue(ctx, recordHookKey{}, fn)
}

// blankNoticeCode, added to the SET of the UPDATE that records a notice
// sent or failed for good, replaces the text as sent with the text as staff
// see it, the access code blanked: once nothing will send the notice
// again, nothing needs the code, and a copy of the database must not hold
// it (the citizen's access to their item).
const blankNoticeCode = ", body = display"

// RecordNotice stores the outcome of a delivery attempt.
func (db *DB) RecordNotice(ctx context.Context, id int64, sentAt *time.Time, errText string, final bool) error {
	return db.recordAttempt(ctx, "notices", id, nil, sentAt, errText, final)
}

func (db *DB) recordAttempt(ctx context.Context, table string, id int64, httpStatus *int, sentAt *time.Time, errText string, final bool) error {
	status := archive.DeliveryPending
	switch {
	case sentAt != nil:
		status = archive.DeliverySent
	case final:
		status = archive.DeliveryFailed
	}
	if len(errText) > 500 {
		errText = errText[:500] // may cut a character: mended below
	}
	errText = strings.ToValidUTF8(errText, "")
	set := "status = ?, attempts = attempts + 1, last_error = ?, sent_at = ?"
	if table == "notices" && status != archive.DeliveryPending {
		set += blankNoticeCode
	}
	args := []any{status, errText, nullMicros(sentAt)}
	if httpStatus != nil {
		set += ", last_status = ?"
		args = append(args, *httpStatus)
	}
	args = append(args, id)
	hook, _ := ctx.Value(recordHookKey{}).(func(*sql.Tx) error)
	return db.inTx(ctx, func(t tx) error {
		// Only a pending row changes: a late duplicate attempt must not
		// turn "sent" back into "failed".
		if _, err := t.exec(ctx, "UPDATE "+table+" SET "+set+" WHERE id = ? AND status = 'pending'", args...); err != nil {
			return wrap(err)
		}
		if hook != nil && sentAt != nil {
			// The delivery happened and must be recorded whatever the
			// queue says: a failed completion is undone on its own and
			// the queue completes the job its usual way.
			if _, err := t.exec(ctx, "SAVEPOINT record_hook"); err != nil {
				return wrap(err)
			}
			if hook(t.Tx) != nil {
				if _, err := t.exec(ctx, "ROLLBACK TO record_hook"); err != nil {
					return wrap(err)
				}
			}
			if _, err := t.exec(ctx, "RELEASE record_hook"); err != nil {
				return wrap(err)
			}
		}
		return nil
	})
}

// Notices lists notices, newest first.
func (db *DB) Notices(ctx context.Context, f outbox.NoticeFilter) ([]archive.Notice, error) {
	var w where
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.Item != "" {
		w.add("register = ? AND record = ?", archive.Register, f.Item)
	}
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	return list(ctx, db, "SELECT "+noticeColumns+" FROM notices"+w.sql()+" ORDER BY id DESC LIMIT ?",
		scanNotice, append(w.args, pageLimit(f.Limit))...)
}

// OutboxCounts counts notices or deliveries by state.
func (db *DB) OutboxCounts(ctx context.Context, table string) (map[string]int64, error) {
	if table != "notices" && table != "webhook_deliveries" {
		return nil, minyi.Errorf(minyi.EInternal, "unknown outbox table %q", table)
	}
	rows, err := db.query(ctx, "SELECT status, COUNT(*) FROM "+table+" GROUP BY status")
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return nil, wrap(err)
		}
		out[s] = n
	}
	return out, wrap(rows.Err())
}

func pageLimit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

const webhookColumns = "id, name, url, secret, events, active, created_by, created_at"

func scanWebhook(s scanner) (outbox.Webhook, error) {
	var w outbox.Webhook
	var events string
	var active int
	var created int64
	err := s.Scan(&w.ID, &w.Name, &w.URL, &w.Secret, &events, &active, &w.CreatedBy, &created)
	w.Events, w.Active, w.CreatedAt = strings.Split(events, ","), active == 1, fromMicros(created)
	return w, err
}

// CreateWebhook registers an endpoint.
func (db *DB) CreateWebhook(ctx context.Context, w *outbox.Webhook) error {
	return db.inTx(ctx, func(t tx) error {
		err := t.queryRow(ctx, `INSERT INTO webhooks(name, url, secret, events, active, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, w.Name, w.URL, w.Secret, strings.Join(w.Events, ","),
			boolInt(w.Active), w.CreatedBy, micros(w.CreatedAt)).Scan(&w.ID)
		if isUniqueViolation(err) {
			return duplicate("name", "名称")
		}
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
		return nil
	})
}

// Webhooks lists the registered endpoints.
func (db *DB) Webhooks(ctx context.Context) ([]outbox.Webhook, error) {
	return list(ctx, db, "SELECT "+webhookColumns+" FROM webhooks ORDER BY id", scanWebhook)
}

// Webhook returns one endpoint.
func (db *DB) Webhook(ctx context.Context, id int64) (outbox.Webhook, error) {
	w, err := scanWebhook(db.queryRow(ctx, "SELECT "+webhookColumns+" FROM webhooks WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return w, notFound("网络回调", "webhook", id)
	}
	return w, wrap(err)
}

const deliveryColumns = `d.id, d.webhook_id, w.name, d.register, d.record_id, d.record, d.event_seq, d.event_type, d.payload,
	d.status, d.attempts, d.last_status, d.last_error, d.created_at, d.sent_at`

func scanDelivery(s scanner) (outbox.Delivery, error) {
	var d outbox.Delivery
	var created int64
	var sent sql.NullInt64
	err := s.Scan(&d.ID, &d.WebhookID, &d.WebhookName, &d.Register, &d.ItemID, &d.ItemNumber, &d.EventSeq, &d.EventType,
		&d.Payload, &d.Status, &d.Attempts, &d.LastStatus, &d.LastError, &created, &sent)
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
	w, err := scanWebhook(db.queryRow(ctx, "SELECT "+webhookColumns+" FROM webhooks WHERE id = ?", d.WebhookID))
	return d, w, wrap(err)
}

// EarlierUnfinished reports whether an earlier delivery of d's record to
// d's webhook, written since since, is still pending.
func (db *DB) EarlierUnfinished(ctx context.Context, d outbox.Delivery, since time.Time) (bool, error) {
	var one int
	err := db.queryRow(ctx, `SELECT 1 FROM webhook_deliveries WHERE webhook_id = ? AND register = ? AND record_id = ?
		AND id < ? AND status = 'pending' AND created_at >= ? LIMIT 1`,
		d.WebhookID, d.Register, d.ItemID, d.ID, micros(since)).Scan(&one)
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
