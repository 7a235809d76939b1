package store

import (
	"context"

	"minyi/reporting"
)

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
	var w where
	if f.From != "" {
		w.add("meetings.day >= ?", f.From)
	}
	if f.To != "" {
		w.add("meetings.day <= ?", f.To)
	}
	if len(f.Units) > 0 {
		w.in("meetings.host_unit", f.Units)
	}
	if f.Unit != "" {
		w.add("meetings.host_unit = ?", f.Unit)
	}
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
