package store_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"minyi/archive"
	"minyi/eventlog"
	"minyi/internal/testdb"
	"minyi/outbox"
)

// undoEventLog takes a database back from schema 23 to 22, as far as the
// tables go: events, notices and webhook deliveries name items only. (The
// foreign key of events to items is not put back; nothing tests it.)
var undoEventLog = []string{
	// The registers added since schema 23 go first: 24, the matters; 25,
	// volunteer activities and service points; 26, the measures; 27, the
	// campaigns (after the ledgers that name them); 28, the ledgers' photos;
	// 29, an index of the matters, dropped with them; 30, the index of the
	// log by actor and what a form filed of any register; 31 and 32, indexes
	// and columns of the ledgers, dropped with them; 33, the publicity
	// ledger (before the matters it names); 34, the period indicators; 35,
	// the disputes (before the campaigns they name); 36, the one-stop
	// services and cases; 37, the service points' slots and bookings (before
	// the points).
	// 38, the questionnaires (before the campaigns they name), and 40 their
	// month counters (before them). 43, the report template's versions;
	// 44, the issued reports. 47, the officer in charge of items and the
	// units' dispatch setting (undoStations, with 55's index). 49, the disputes' counters
	// (before them). 50, staff's alerts and notifications (before the
	// alerts), and the webhooks' formats. 51, the answers' attachments.
	// 55, the online desk's entries.
	"DROP TABLE desk_entry_count", "DROP TABLE desk_entries", "DROP TABLE desk_questions",
	"DROP TABLE item_attachments",
	"DROP TABLE notifications", "DROP TABLE alerts", "DROP TABLE webhook_formats",
	undoStations[0], undoStations[1], undoStations[2], undoStations[3], undoStations[4], undoStations[5], undoStations[6],
	"DROP TABLE issued_reports", "DROP TABLE report_templates", "DROP TABLE dispute_tallies",
	"DROP TABLE survey_month_counts",
	"DROP TABLE survey_counts", "DROP TABLE survey_texts", "DROP TABLE survey_answers",
	"DROP TABLE survey_terms", "DROP TABLE surveys",
	"DROP TABLE booking_terms", "DROP TABLE bookings", "DROP TABLE booking_places", "DROP TABLE booking_slots",
	"DROP TABLE case_tallies", "DROP TABLE case_terms", "DROP TABLE case_steps", "DROP TABLE cases", "DROP TABLE services",
	"DROP TABLE dispute_terms", "DROP TABLE disputes",
	"DROP TABLE indicator_entries", "DROP TABLE indicator_definitions",
	"DROP TABLE publicity_terms", "DROP TABLE publicity_matters", "DROP TABLE publicity_pieces",
	"DROP INDEX events_actor",
	"ALTER TABLE form_results DROP COLUMN register", "ALTER TABLE form_results DROP COLUMN record_id",
	"DROP TABLE record_photos",
	"DROP TABLE measure_terms", "DROP TABLE measure_matters", "DROP TABLE measure_items", "DROP TABLE measures",
	"DROP TABLE matter_terms", "DROP TABLE matter_outcomes", "DROP TABLE matter_progress",
	"DROP TABLE matter_items", "DROP TABLE matter_participants", "DROP TABLE matters",
	"DROP TABLE volunteer_participants", "DROP TABLE volunteer_activity_terms", "DROP TABLE volunteer_activities",
	"DROP TABLE service_point_terms", "DROP TABLE service_points",
	"DROP TABLE campaign_documents", "DROP TABLE campaign_meetings", "DROP TABLE campaigns",
	"DROP INDEX events_record",
	"ALTER TABLE events DROP COLUMN register",
	"ALTER TABLE events DROP COLUMN hash_version",
	"ALTER TABLE events RENAME COLUMN record_id TO item_id",
	"ALTER TABLE events RENAME COLUMN record TO item_number",
	"ALTER TABLE events RENAME COLUMN from_state TO from_status",
	"ALTER TABLE events RENAME COLUMN to_state TO to_status",
	"CREATE INDEX events_item ON events(item_id, seq)",
	"DROP INDEX notices_record",
	"ALTER TABLE notices DROP COLUMN register",
	"ALTER TABLE notices RENAME COLUMN record_id TO item_id",
	"ALTER TABLE notices RENAME COLUMN record TO item_number",
	"CREATE INDEX notices_item ON notices(item_id, id)",
	"DROP INDEX webhook_deliveries_record",
	"ALTER TABLE webhook_deliveries DROP COLUMN register",
	"ALTER TABLE webhook_deliveries RENAME COLUMN record_id TO item_id",
	"ALTER TABLE webhook_deliveries RENAME COLUMN record TO item_number",
	"CREATE INDEX webhook_deliveries_item ON webhook_deliveries(webhook_id, item_id, id)",
}

// rehashV1 rewrites the stored chain with the formula of schema versions
// before 23, as a database written by them holds it.
func rehashV1(t *testing.T, r *sql.DB) {
	t.Helper()
	rows, err := r.Query("SELECT seq, record, type, actor, at, from_state, to_state, body, public, data FROM events ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	var log []eventlog.Event
	for rows.Next() {
		e := eventlog.Event{Register: archive.Register, HashVersion: eventlog.HashV1}
		var at, public int64
		var data string
		if err := rows.Scan(&e.Seq, &e.Record, &e.Type, &e.Actor, &at, &e.From, &e.To, &e.Body, &public, &data); err != nil {
			t.Fatal(err)
		}
		e.At, e.Public = time.UnixMicro(at), public == 1
		if data != "" {
			if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
				t.Fatal(err)
			}
		}
		log = append(log, e)
	}
	rows.Close()
	prev := eventlog.Genesis
	for _, e := range log {
		h := e.ComputeHash(prev)
		if _, err := r.Exec(fmt.Sprintf("UPDATE events SET prev_hash = '%s', hash = '%s' WHERE seq = %d", prev, h, e.Seq)); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
	if _, err := r.Exec(fmt.Sprintf("UPDATE chain_head SET hash = '%s'", prev)); err != nil {
		t.Fatal(err)
	}
}

// Migration 23 moves the items' events into the log of every register with
// their hashes untouched: they still verify, an edit to one is still found
// and named, and new events chain on after them.
func TestMigrationKeepsTheChain(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, url := openAt(t, d)
			svc, _ := fixture(t, db)
			svc.Notices = &archive.NoticeSettings{Bureau: "测试公安局"}
			hook := outbox.Webhook{Name: "partner", URL: "https://partner.example/hook", Secret: "s", Events: []string{"*"}, Active: true}
			if err := db.CreateWebhook(ctx, &hook); err != nil {
				t.Fatal(err)
			}
			it := submit(t, svc, "咨询")
			if _, err := svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActDispatch, Unit: "b", Version: 1}, false); err != nil {
				t.Fatal(err)
			}
			submit(t, svc, "再咨询")
			r := raw(t, db)
			rehashV1(t, r)
			before, err := db.ItemEvents(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			db = reopenAfter(t, db, url, append(undoEventLog, "DELETE FROM schema_migrations WHERE version >= 23")...)

			if n, err := db.Verify(ctx); err != nil || n != 3 {
				t.Fatalf("verify after the migration: %d, %v", n, err)
			}
			after, err := db.ItemEvents(ctx, it.ID)
			if err != nil || len(after) != 2 || after[0].Hash != before[0].Hash || after[1].Hash != before[1].Hash ||
				after[1].ItemNumber != it.Number || after[1].To != archive.StatusDispatched {
				t.Fatalf("timeline after the migration: %+v, %v", after, err)
			}
			if ns, err := db.Notices(ctx, outbox.NoticeFilter{Item: it.Number}); err != nil || len(ns) != 1 || ns[0].ItemID != it.ID {
				t.Fatalf("notices of %s after the migration: %+v, %v", it.Number, ns, err)
			}
			ds, err := db.Deliveries(ctx, outbox.DeliveryFilter{})
			if err != nil || len(ds) != 3 || ds[2].Register != archive.Register || ds[2].RecordID != it.ID || ds[2].ItemNumber != it.Number {
				t.Fatalf("deliveries after the migration: %+v, %v", ds, err)
			}
			if wait, err := db.EarlierUnfinished(ctx, ds[1], time.Time{}); err != nil || !wait {
				t.Errorf("the later delivery of %s does not wait for the earlier one: %v, %v", it.Number, wait, err)
			}

			now := svc.Now
			svc = archive.NewService(db, policy)
			svc.Now = now
			submit(t, svc, "第三个咨询")
			if n, err := db.Verify(ctx); err != nil || n != 4 {
				t.Fatalf("verify after a new event: %d, %v", n, err)
			}
			r = raw(t, db)
			var versions string
			rows, err := r.Query("SELECT hash_version FROM events ORDER BY seq")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var v int
				rows.Scan(&v)
				versions += string(rune('0' + v))
			}
			rows.Close()
			if versions != "1112" {
				t.Errorf("hash versions %s, want 1112", versions)
			}
			if _, err := r.Exec("UPDATE events SET body = 'edited by hand' WHERE seq = 2"); err != nil {
				t.Fatal(err)
			}
			_, err = db.Verify(ctx)
			var ce *eventlog.ChainError
			if !errors.As(err, &ce) || ce.Seq != 2 || ce.Register != archive.Register || ce.Record != it.Number {
				t.Fatalf("verify after an edit: %v", err)
			}
		})
	}
}
