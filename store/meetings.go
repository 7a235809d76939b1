package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/meeting"
	"minyi/reporting"
)

const meetingColumns = "id, day, place, host_unit, attendee_groups, attendees, created_by, created_at"

// CreateMeeting stores a meeting, the items raised at it, linked to it, and
// the meeting's event of the log (meeting.Meeting.Recorded, after the
// items' received events, naming them) in one transaction: a failure leaves
// neither the meeting nor any of its items or events, and no tracking
// number is used up.
func (db *DB) CreateMeeting(ctx context.Context, m *meeting.Meeting, items []archive.Item, events [][]archive.Event) error {
	if len(items) != len(events) {
		return minyi.Internal(errors.New("store: CreateMeeting needs the events of each item"))
	}
	for _, evs := range events {
		if len(evs) == 0 {
			return minyi.Internal(errors.New("store: CreateMeeting needs each item's received event"))
		}
	}
	// Tokenising is slow (OpenCC); do it before taking the single writer.
	searches := make([][]indexOp, len(items))
	for i := range items {
		searches[i] = db.indexChanges(nil, &items[i])
	}
	return db.inTx(ctx, func(t tx) error {
		err := t.queryRow(ctx, `INSERT INTO meetings(day, place, host_unit, attendee_groups, attendees, minutes,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			m.Day(), m.Place, m.HostUnit, strings.Join(m.AttendeeGroups, "\n"), m.Attendees, m.Minutes,
			m.CreatedBy, micros(m.CreatedAt)).Scan(&m.ID)
		if err != nil {
			return wrap(err)
		}
		if m.FormKey != "" {
			if err := t.recordForm(ctx, m.FormKey, archive.FormResult{Meeting: m.ID}, m.CreatedAt); err != nil {
				return err
			}
		}
		id := strconv.FormatInt(m.ID, 10)
		numbers := make([]string, len(items))
		for i := range items {
			// The link goes into the received event too, so that it is part
			// of the hash chain and shows on the item's timeline. The map is
			// copied: a retried transaction must not share it.
			data := map[string]string{"meeting": id}
			for k, v := range events[i][0].Data {
				if k != "meeting" {
					data[k] = v
				}
			}
			events[i][0].Data = data
			if err := insertItem(ctx, t, &items[i], events[i], nil, searches[i], deskMoveOf(nil, &items[i]), true); err != nil {
				return err
			}
			if _, err := t.exec(ctx, "INSERT INTO meeting_items(meeting_id, item_id) VALUES (?, ?)", m.ID, items[i].ID); err != nil {
				return wrap(err)
			}
			numbers[i] = items[i].Number
		}
		return appendLog(ctx, t, []eventlog.Event{m.Recorded(numbers)})
	})
}

func scanMeeting(s scanner, extra ...any) (meeting.Meeting, error) {
	var m meeting.Meeting
	var day, groups string
	var created int64
	dest := append([]any{&m.ID, &day, &m.Place, &m.HostUnit, &groups, &m.Attendees, &m.CreatedBy, &created}, extra...)
	if err := s.Scan(dest...); err != nil {
		return m, err
	}
	d, err := time.ParseInLocation("2006-01-02", day, calendar.Zone)
	if err != nil {
		return m, err
	}
	m.Date, m.CreatedAt = d, fromMicros(created)
	if groups != "" {
		m.AttendeeGroups = strings.Split(groups, "\n")
	}
	return m, nil
}

// Meeting returns one meeting with its minutes; Opinions and Closed are left
// to whoever reads its items.
func (db *DB) Meeting(ctx context.Context, id int64) (meeting.Meeting, error) {
	var minutes string
	m, err := scanMeeting(db.queryRow(ctx, "SELECT "+meetingColumns+", minutes FROM meetings WHERE id = ?", id), &minutes)
	if err == sql.ErrNoRows {
		return m, notFound("座谈会", "meeting", id)
	}
	m.Minutes = minutes
	return m, wrap(err)
}

// MeetingItems returns the items raised at a meeting, in the order they were
// recorded.
func (db *DB) MeetingItems(ctx context.Context, id int64) ([]archive.Item, error) {
	rows, err := db.query(ctx, "SELECT "+itemColumns+` FROM meeting_items JOIN items ON items.id = meeting_items.item_id
		WHERE meeting_items.meeting_id = ? ORDER BY items.id`, id)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := []archive.Item{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out = append(out, it)
	}
	return out, wrap(rows.Err())
}

// meetingCursor is a position in the list of meetings: the day and id of the
// last meeting shown.
type meetingCursor struct {
	day string
	id  int64
}

func (c meetingCursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.day + ":" + strconv.FormatInt(c.id, 10)))
}

func decodeMeetingCursor(s string) (meetingCursor, error) {
	bad := minyi.Invalid("cursor", "翻页标记无效", "cursor is not valid")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return meetingCursor{}, bad
	}
	day, id, ok := strings.Cut(string(raw), ":")
	if !ok {
		return meetingCursor{}, bad
	}
	if _, err := time.Parse("2006-01-02", day); err != nil {
		return meetingCursor{}, bad
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return meetingCursor{}, bad
	}
	return meetingCursor{day, n}, nil
}

// Meetings lists meetings newest first, with how many items each raised and
// how many of those are closed out.
func (db *DB) Meetings(ctx context.Context, f meeting.Filter) (meeting.Page, error) {
	page := meeting.Page{Meetings: []meeting.Meeting{}}
	if f.Limit <= 0 {
		f.Limit = 20
	}
	if f.Limit > 100 {
		f.Limit = 100
	}
	var w where
	if f.Units != nil {
		if len(f.Units) == 0 {
			return page, nil
		}
		w.in("host_unit", f.Units)
	}
	if f.Cursor != "" {
		c, err := decodeMeetingCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		w.after(descending, "day, id", c.day, c.id)
	}
	// Counting per meeting is two index lookups each, on one page of meetings.
	q := "SELECT " + meetingColumns + `,
		(SELECT COUNT(*) FROM meeting_items mi WHERE mi.meeting_id = meetings.id),
		(SELECT COUNT(*) FROM meeting_items mi JOIN items ON items.id = mi.item_id
			WHERE mi.meeting_id = meetings.id AND items.status = 'closed')
		FROM meetings` + w.sql() + " ORDER BY day DESC, id DESC LIMIT ?"
	rows, err := db.query(ctx, q, append(w.args, f.Limit+1)...)
	if err != nil {
		return page, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var opinions, closed int
		m, err := scanMeeting(rows, &opinions, &closed)
		if err != nil {
			return page, wrap(err)
		}
		m.Opinions, m.Closed = opinions, closed
		page.Meetings = append(page.Meetings, m)
	}
	if err := rows.Err(); err != nil {
		return page, wrap(err)
	}
	if len(page.Meetings) > f.Limit {
		page.Meetings = page.Meetings[:f.Limit]
		last := page.Meetings[f.Limit-1]
		page.NextCursor = meetingCursor{last.Day(), last.ID}.encode()
	}
	return page, nil
}

var _ meeting.Store = (*DB)(nil)

// MeetingFigures counts the meetings held in f's period by f's units (as
// hosts): how many, how many people attended, how many opinions were
// raised at them and how many of those are closed out. Meetings are few
// (a unit holds a handful a month), so their figures are a range of the
// meetings' day index rather than counters.
func (db *DB) MeetingFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"held": 0, "attendees": 0, "opinions": 0, "opinions_closed": 0}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	w := periodWhere(f, "meetings.day", "meetings.host_unit")
	var held, attendees, opinions, closed int64
	if err := db.queryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(attendees), 0) FROM meetings"+w.sql(), w.args...).
		Scan(&held, &attendees); err != nil {
		return nil, wrap(err)
	}
	if err := db.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN items.status = 'closed' THEN 1 ELSE 0 END), 0)
		FROM meetings JOIN meeting_items ON meeting_items.meeting_id = meetings.id
		JOIN items ON items.id = meeting_items.item_id`+w.sql(), w.args...).Scan(&opinions, &closed); err != nil {
		return nil, wrap(err)
	}
	out["held"], out["attendees"], out["opinions"], out["opinions_closed"] = held, attendees, opinions, closed
	return out, nil
}
