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

// writeOutbound writes the notices, webhook deliveries and staff's alerts
// (notify.ForEvent) that e, an
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
	return writeEventAlert(ctx, t, e, it, ie)
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

type recordHookKey struct{}

// WithRecordHook returns ctx carrying fn, which a successful delivery's
// record written with ctx runs inside its own transaction. The job queue
// uses it to mark its job done in the same commit as the delivery, so the
// two share the group commit instead of costing a commit each.
func WithRecordHook(ctx context.Context, fn func(tx *sql.Tx) error) context.Context {
	return context.WithValue(ctx, recordHookKey{}, fn)
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
