package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/booking"
	"minyi/eventlog"
	"minyi/register"
	"minyi/reporting"
	"minyi/servicepoint"
)

var _ booking.Store = (*DB)(nil)

// Slots returns a point's current schedule, in the order it was given.
func (db *DB) Slots(ctx context.Context, point int64) ([]booking.Slot, error) {
	rows, err := db.query(ctx, `SELECT id, point_id, weekdays, start_time, end_time, kind, capacity, services
		FROM booking_slots WHERE point_id = ? AND retired = 0 ORDER BY pos`, point)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := []booking.Slot{}
	for rows.Next() {
		var s booking.Slot
		var days, kind, services string
		if err := rows.Scan(&s.ID, &s.Point, &days, &s.Start, &s.End, &kind, &s.Capacity, &services); err != nil {
			return nil, wrap(err)
		}
		s.Kind, s.Weekdays, s.Services = booking.Kind(kind), []int{}, []string{}
		for _, d := range strings.Split(days, ",") {
			if n, err := strconv.Atoi(d); err == nil {
				s.Weekdays = append(s.Weekdays, n)
			}
		}
		if services != "" {
			s.Services = strings.Split(services, "\n")
		}
		out = append(out, s)
	}
	return out, wrap(rows.Err())
}

// SetSlots retires the point's schedule and writes slots in its place,
// moving the point's version, with e, in one transaction.
func (db *DB) SetSlots(ctx context.Context, p *servicepoint.Point, version int, slots []booking.Slot, e eventlog.Event) error {
	return db.inTx(ctx, func(t tx) error {
		if err := updateVersioned(ctx, t, "UPDATE service_points SET updated_at = ?, version = ? WHERE id = ? AND version = ?",
			[]any{micros(p.UpdatedAt), version + 1, p.ID, version},
			func() error { return register.Stale(servicepoint.Noun) }); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE booking_slots SET retired = 1 WHERE point_id = ? AND retired = 0", p.ID); err != nil {
			return wrap(err)
		}
		for i, s := range slots {
			days := make([]string, len(s.Weekdays))
			for j, d := range s.Weekdays {
				days[j] = strconv.Itoa(d)
			}
			if _, err := t.exec(ctx, `INSERT INTO booking_slots(point_id, pos, weekdays, start_time, end_time, kind, capacity, services)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, i, strings.Join(days, ","), s.Start, s.End, string(s.Kind), s.Capacity,
				strings.Join(s.Services, "\n")); err != nil {
				return wrap(err)
			}
		}
		if err := appendLog(ctx, t, []eventlog.Event{e}); err != nil {
			return err
		}
		p.Version = version + 1
		return nil
	})
}

// Booked counts the places taken of point's slots by day and start.
func (db *DB) Booked(ctx context.Context, point int64, from, to string) (map[string]int, error) {
	rows, err := db.query(ctx, "SELECT day, start_time, taken FROM booking_places WHERE point_id = ? AND day >= ? AND day <= ?",
		point, from, to)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var day, start string
		var n int
		if err := rows.Scan(&day, &start, &n); err != nil {
			return nil, wrap(err)
		}
		out[day+" "+start] = n
	}
	return out, wrap(rows.Err())
}

// full is the refusal of a booking of a slot without a place left.
func full() error {
	return minyi.Errorf(minyi.EConflict, "该时段已约满，请选择其他时段 / this slot is fully booked; choose another")
}

// CreateBooking takes a place of b's point, day and start within
// b.Capacity and stores b, its uses, form, notice and event in one
// transaction. Two bookings of the last place meet on the row of
// booking_places: the upsert's condition lets one through and the other
// finds no row to return.
func (db *DB) CreateBooking(ctx context.Context, b *booking.Booking) error {
	terms := ledgerTerms(b.SearchText())
	return db.inTx(ctx, func(t tx) error {
		for _, use := range b.Counted {
			if over, err := t.countUse(ctx, use); err != nil {
				return err
			} else if over {
				return use.Refusal()
			}
		}
		var taken int
		err := t.queryRow(ctx, `INSERT INTO booking_places(point_id, day, start_time, taken) VALUES (?, ?, ?, 1)
			ON CONFLICT (point_id, day, start_time) DO UPDATE SET taken = booking_places.taken + 1
			WHERE booking_places.taken < ? RETURNING taken`, b.Point, b.Day, b.Start, b.Capacity).Scan(&taken)
		if err == sql.ErrNoRows || err == nil && taken > b.Capacity {
			return full()
		}
		if err != nil {
			return wrap(err)
		}
		b.Version = 1
		err = t.insertRow(ctx, `INSERT INTO bookings(point_id, slot_id, unit, day, start_time, end_time, kind, service_id,
			service_name, name, phone, id_number, elderly, green, note, status, cancelled_by, code_hash, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			b.Point, b.Slot, b.Unit, b.Day, b.Start, b.End, string(b.Kind), nullID(b.ServiceID), b.Service, b.Name, b.Phone,
			b.IDNumber, boolInt(b.Elderly), string(b.Green), b.Note, string(b.Status), b.CancelledBy, b.CodeHash,
			micros(b.CreatedAt), micros(b.UpdatedAt), b.Version).Scan(&b.ID)
		if isUniqueViolation(err) {
			// The code of a page form is drawn from its token: the same
			// form sent twice at once meets here before form_results, and
			// the second gives way (archive.FileOnce).
			return minyi.Errorf(minyi.EConflict, "这张表单已经提交过 / this form has already been sent")
		}
		if err != nil {
			return wrap(err)
		}
		if err := t.recordFormOf(ctx, b.Form, booking.Register, b.ID, b.CreatedAt); err != nil {
			return err
		}
		if err := insertTerms(ctx, t, "booking_terms", "booking_id", b.ID, terms); err != nil {
			return err
		}
		events := []eventlog.Event{b.Booked()}
		if err := appendLog(ctx, t, events); err != nil {
			return err
		}
		return writeBookingNotice(ctx, t, events[0], b)
	})
}

// writeBookingNotice writes the confirmation SMS of b, caused by its booked
// event e, to the outbox in the booking's transaction; the code is blanked
// in what staff see of it.
func writeBookingNotice(ctx context.Context, t tx, e eventlog.Event, b *booking.Booking) error {
	if b.Notice == "" || b.Phone == "" {
		return nil
	}
	display := strings.ReplaceAll(b.Notice, b.Code, strings.Repeat("*", len(b.Code)))
	var id int64
	err := t.queryRow(ctx, `INSERT INTO notices(register, record_id, record, event_seq, kind, phone, body, display,
		queued, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.Register, e.RecordID, e.Record, e.Seq, "booking", b.Phone, b.Notice, display, boolInt(t.q != nil),
		micros(time.Now())).Scan(&id)
	if err != nil {
		return wrap(err)
	}
	t.p.jobs = append(t.p.jobs, Job{JobNotice, id})
	return nil
}

// UpdateBooking stores b over version with events; a booking leaving the
// booked status for cancelled gives its place back.
func (db *DB) UpdateBooking(ctx context.Context, b *booking.Booking, version int, events []eventlog.Event) error {
	return db.inTx(ctx, func(t tx) error {
		if err := updateVersioned(ctx, t, `UPDATE bookings SET status = ?, cancelled_by = ?, service_name = ?, elderly = ?, green = ?,
			note = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?`, []any{string(b.Status), b.CancelledBy, b.Service,
			boolInt(b.Elderly), string(b.Green), b.Note, micros(b.UpdatedAt), version + 1, b.ID, version},
			func() error { return register.Stale(booking.Noun) }); err != nil {
			return err
		}
		if err := writeTerms(ctx, t, "booking_terms", "booking_id", b.ID, ledgerTerms(b.SearchText())); err != nil {
			return err
		}
		if b.Status == booking.StatusCancelled {
			if _, err := t.exec(ctx, "UPDATE booking_places SET taken = taken - 1 WHERE point_id = ? AND day = ? AND start_time = ? AND taken > 0",
				b.Point, b.Day, b.Start); err != nil {
				return wrap(err)
			}
		}
		if err := appendLog(ctx, t, slices.Clone(events)); err != nil {
			return err
		}
		b.Version = version + 1
		return nil
	})
}

const bookingColumns = `id, point_id, slot_id, unit, day, start_time, end_time, kind, service_id, service_name, name,
	phone, id_number, elderly, green, note, status, cancelled_by, code_hash, created_at, updated_at, version`

func scanBooking(s scanner) (booking.Booking, error) {
	var b booking.Booking
	var kind, green, status string
	var service sql.NullInt64
	var elderly int
	var created, updated int64
	err := s.Scan(&b.ID, &b.Point, &b.Slot, &b.Unit, &b.Day, &b.Start, &b.End, &kind, &service, &b.Service, &b.Name,
		&b.Phone, &b.IDNumber, &elderly, &green, &b.Note, &status, &b.CancelledBy, &b.CodeHash, &created, &updated, &b.Version)
	b.Kind, b.Green, b.Status, b.ServiceID, b.Elderly = booking.Kind(kind), booking.Green(green), booking.Status(status), service.Int64, elderly != 0
	b.CreatedAt, b.UpdatedAt = fromMicros(created), fromMicros(updated)
	return b, err
}

// Booking returns one booking.
func (db *DB) Booking(ctx context.Context, id int64) (booking.Booking, error) {
	b, err := scanBooking(db.queryRow(ctx, "SELECT "+bookingColumns+" FROM bookings WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return b, notFound("预约", "booking", id)
	}
	return b, wrap(err)
}

// BookingByCode returns the booking whose code hashes to hash.
func (db *DB) BookingByCode(ctx context.Context, hash string) (booking.Booking, error) {
	b, err := scanBooking(db.queryRow(ctx, "SELECT "+bookingColumns+" FROM bookings WHERE code_hash = ?", hash))
	if err == sql.ErrNoRows {
		return b, minyi.Errorf(minyi.ENotFound, "预约码不正确 / no booking has this code")
	}
	return b, wrap(err)
}

// Bookings lists the bookings f selects by day, start and id, with the
// count of all of them.
func (db *DB) Bookings(ctx context.Context, f booking.Filter) (booking.Page, error) {
	page := booking.Page{Items: []booking.Booking{}}
	size := f.Size(20, 100)
	var w where
	if f.Units != nil {
		w.in("unit", f.Units)
	}
	if f.Unit != "" {
		w.add("unit = ?", f.Unit)
	}
	if f.Point != 0 {
		w.add("point_id = ?", f.Point)
	}
	if f.Day != "" {
		w.add("day = ?", f.Day)
	}
	if f.From != "" {
		w.add("day >= ?", f.From)
	}
	if f.To != "" {
		w.add("day <= ?", f.To)
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.Green {
		w.add("green <> ''")
	}
	total, capped, err := db.countList(ctx, &w, f.Query, termSearch{"bookings", "booking_terms", "booking_id", false})
	if err != nil {
		return page, err
	}
	page.Total, page.TotalCapped = &total, capped
	if f.Cursor != "" {
		c, err := decodeLedgerCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		day, start, _ := strings.Cut(c.key, " ")
		w.after(ascending, "day, start_time, id", day, start, c.id)
	}
	page.Items, page.NextCursor, err = listPage(ctx, db, "SELECT "+bookingColumns+" FROM bookings"+w.sql()+
		" ORDER BY day, start_time, id LIMIT ?", w.args, size, scanBooking, func(last booking.Booking) string {
		return ledgerCursor{last.Day + " " + last.Start, last.ID}.encode()
	})
	return page, err
}

// BookingFigures counts the bookings of days in f's period at points of
// f's units: booked (every booking made, cancelled ones too), attended,
// cancelled, no_show, green_channel and extended_hours (in a slot outside
// office hours), the last two of bookings not cancelled.
func (db *DB) BookingFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"booked": 0, "attended": 0, "cancelled": 0, "no_show": 0, "green_channel": 0, "extended_hours": 0}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	w := periodWhere(f, "day", "unit")
	rows, err := db.query(ctx, "SELECT status, kind <> 'regular', green <> '', COUNT(*) FROM bookings"+w.sql()+
		" GROUP BY 1, 2, 3", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var outside, green bool
		var n int64
		if err := rows.Scan(&status, &outside, &green, &n); err != nil {
			return nil, wrap(err)
		}
		out["booked"] += n
		switch booking.Status(status) {
		case booking.StatusAttended:
			out["attended"] += n
		case booking.StatusCancelled:
			out["cancelled"] += n
		case booking.StatusNoShow:
			out["no_show"] += n
		}
		if booking.Status(status) != booking.StatusCancelled {
			if outside {
				out["extended_hours"] += n
			}
			if green {
				out["green_channel"] += n
			}
		}
	}
	return out, wrap(rows.Err())
}

// BookingEvents returns a booking's events from the log, oldest first.
func (db *DB) BookingEvents(ctx context.Context, id int64) ([]eventlog.Event, error) {
	return db.recordEvents(ctx, booking.Register, id)
}
