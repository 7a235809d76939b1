package api

import (
	"context"
	"net/http"
	"strconv"

	"minyi"
	"minyi/booking"
	"minyi/org"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The bookings' doors (预约): a point's schedule (public availability,
// staff replace it), a citizen's booking without a token (rate-limited as
// intake), the staff's list and actions, a citizen's view and cancel with
// the booking code.

// bookingRoutes are the routes of slots and bookings.
func (s *API) bookingRoutes() []route {
	pointID := param{"id", "path", "service point id"}
	bookingID := param{"id", "path", "booking id"}
	const codeGuesses = "wrong booking codes per booking and per client address (serve --code-guess-limit)"
	return []route{
		{method: "GET", pattern: "/api/v1/service-points/{id}/slots", handler: s.getSlots, summary: "An active point's weekly schedule and, for each day from from to to (within the next 14 days, from tomorrow), the slots held that day with their free places (holidays per the calendar, except holiday slots)", response: "SlotAvailability", status: 200,
			params: []param{pointID, {"from", "query", "first day, YYYY-MM-DD; default tomorrow"}, {"to", "query", "last day, YYYY-MM-DD; default the 14th day"}}},
		{method: "PUT", pattern: "/api/v1/service-points/{id}/slots", handler: s.putSlots, auth: "staff", summary: "Replace a point's weekly schedule of slots (its unit's staff, leaders and admins; 400 without the point's version, 409 on a stale one, 422 for a closed point); bookings made keep their times", request: "SlotsRequest", response: "Slots", status: 200, params: []param{pointID}},
		{method: "GET", pattern: "/api/v1/bookings", handler: s.listBookings, auth: "staff", exports: true, summary: "List the bookings at the points of the units the caller may see, by day and start, with the total of all matches; phones and ID numbers masked", response: "BookingPage", status: 200,
			params: []param{{"q", "query", "full-text search of name, service and note"}, {"unit", "query", "unit code"}, {"point", "query", "service point id"},
				{"date", "query", "one day, YYYY-MM-DD"}, {"from", "query", "on or after, YYYY-MM-DD"}, {"to", "query", "on or before, YYYY-MM-DD"},
				{"status", "query", "booked, attended, no_show or cancelled"}, {"green", "query", "true: only the elderly's green channel"},
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "POST", pattern: "/api/v1/bookings", handler: s.createBooking, summary: "Book a slot on a day (citizens, no token): 409 when it is fully booked (已约满); the answer holds the booking code, shown once and sent by SMS", request: "BookingRequest", response: "Booking", status: 201,
			limited: "anonymous bookings per client address (serve --intake-limit)"},
		{method: "GET", pattern: "/api/v1/bookings/{id}", handler: s.getBooking, auth: "optional", summary: "One booking: staff with a token (phone and ID number masked), the citizen with ?code=", response: "Booking", status: 200, limited: codeGuesses,
			params: []param{bookingID, {"code", "query", "the citizen's booking code"}}},
		{method: "PATCH", pattern: "/api/v1/bookings/{id}", handler: s.patchBooking, auth: "staff", summary: "Correct a booking while it is booked or attended (the point's unit's staff, leaders and admins): its service, the elderly flag and green channel (staff flag an elderly citizen at the desk), the note; 400 without version, 409 on a stale version, 422 once cancelled or a no-show", request: "BookingChange", response: "Booking", status: 200,
			params: []param{bookingID}},
		{method: "POST", pattern: "/api/v1/bookings/{id}/actions", handler: s.actOnBooking, auth: "optional", summary: "Apply a lifecycle action: attend, no_show (staff) or cancel (staff, or the citizen with code); 400 without version, 409 on a stale version, 422 on an illegal transition (attend before the day, no-show before the slot starts, cancel after it started)", request: "BookingAction", response: "Booking", status: 200, limited: codeGuesses,
			params: []param{bookingID}},
	}
}

var bookingRecords = records{BadID: "预约编号无效", Location: "/api/v1/bookings/"}

func (s *API) getSlots(w http.ResponseWriter, r *http.Request) error {
	id, err := pointRecords.id(r)
	if err != nil {
		return err
	}
	slots, err := s.Svc.Bookings.Slots(r.Context(), id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	days, err := s.Svc.Bookings.Availability(r.Context(), id, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{"point": id, "slots": slots, "availability": days})
	return nil
}

type slotsRequest struct {
	version
	// Slots are required: an empty list clears the schedule, a missing one
	// is a mistake.
	Slots *[]booking.Slot `json:"slots"`
}

func (s *API) putSlots(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, pointRecords, func(ctx context.Context, u org.User, id int64, req slotsRequest) (any, error) {
		if req.Slots == nil {
			return nil, minyi.Invalid("slots", "请提供时段（slots），清空时为[]", "slots is required; [] clears the schedule")
		}
		p, slots, err := s.Svc.Bookings.SetSlots(ctx, u, id, req.read(), *req.Slots)
		if err != nil {
			return nil, err
		}
		return map[string]any{"point": p.ID, "version": p.Version, "slots": slots}, nil
	})
}

func (s *API) listBookings(w http.ResponseWriter, r *http.Request) error {
	return listRecords(s.Base, w, r, bookingRecords, core.BookingsExport, func(r *http.Request, p *minyi.Problems) booking.Filter {
		q := r.URL.Query()
		f := booking.Filter{Filter: pageFilter(r, p), Unit: q.Get("unit"), Day: q.Get("date"), From: q.Get("from"), To: q.Get("to"),
			Status: booking.Status(q.Get("status"))}
		if v := q.Get("point"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				p.Add("point", "服务站点编号无效", "point must be a positive number")
			}
			f.Point = n
		}
		switch q.Get("green") {
		case "", "false":
		case "true":
			f.Green = true
		default:
			p.Add("green", "green须为true或false", "green must be true or false")
		}
		return f
	}, s.Svc.Bookings.List)
}

func (s *API) createBooking(w http.ResponseWriter, r *http.Request) error {
	var req booking.Request
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	b, err := s.Svc.Bookings.Book(r.Context(), req, s.BookingUse(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", bookingRecords.Location+strconv.FormatInt(b.ID, 10))
	bookingRecords.write(w, http.StatusCreated, b) // the code: no cache keeps it
	return nil
}

// withCode runs check, a citizen's access to booking id by code, within
// the code-guess limits (core.Base.WithAccessCode): a wrong code is
// counted, and a code of another booking is as wrong as none.
func (s *API) withCode(r *http.Request, id int64, code string, check func(b booking.Booking) error) error {
	return s.WithAccessCode(r, "booking-"+strconv.FormatInt(id, 10), func() error {
		b, err := s.Svc.Bookings.ByCode(r.Context(), code)
		if err == nil && b.ID != id {
			err = minyi.Errorf(minyi.ENotFound, "预约码不正确 / no booking has this code")
		}
		if err != nil {
			return err
		}
		return check(b)
	})
}

func (s *API) getBooking(w http.ResponseWriter, r *http.Request) error {
	if _, staff := core.UserFrom(r.Context()); staff {
		return getRecord(w, r, bookingRecords, s.Svc.Bookings.Get)
	}
	id, err := bookingRecords.id(r)
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("code")
	if code == "" {
		return minyi.Errorf(minyi.EUnauthorized, "请先登录或提供预约码 / authentication or the booking code required")
	}
	return s.withCode(r, id, code, func(b booking.Booking) error {
		bookingRecords.write(w, http.StatusOK, b)
		return nil
	})
}

type bookingChange struct {
	version
	booking.Patch
}

func (s *API) patchBooking(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, bookingRecords, func(ctx context.Context, u org.User, id int64, req bookingChange) (booking.Booking, error) {
		return s.Svc.Bookings.Update(ctx, u, id, req.read(), req.Patch)
	})
}

type bookingAction struct {
	version
	Action booking.Action `json:"action"`
	// Code is the citizen's booking code, for a cancel without a token.
	Code string `json:"code"`
}

func (s *API) actOnBooking(w http.ResponseWriter, r *http.Request) error {
	if _, staff := core.UserFrom(r.Context()); staff {
		return changeRecord(w, r, bookingRecords, func(ctx context.Context, u org.User, id int64, req bookingAction) (booking.Booking, error) {
			return s.Svc.Bookings.Act(ctx, u, id, booking.Command{Action: req.Action, Version: req.read()})
		})
	}
	id, err := bookingRecords.id(r)
	if err != nil {
		return err
	}
	var req bookingAction
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Code == "" {
		return minyi.Errorf(minyi.EUnauthorized, "请先登录或提供预约码 / authentication or the booking code required")
	}
	if req.Action != booking.ActCancel {
		return minyi.Errorf(minyi.EForbidden, "此操作须由工作人员办理 / this action is for staff only")
	}
	return s.withCode(r, id, req.Code, func(booking.Booking) error {
		b, err := s.Svc.Bookings.CancelByCode(r.Context(), req.Code, req.read())
		if err != nil {
			return err
		}
		bookingRecords.write(w, http.StatusOK, b)
		return nil
	})
}

// bookingSchemas are the slots' and bookings' schemas; the limits come
// from package booking.
func bookingSchemas() map[string]any {
	hhmm := map[string]any{"type": "string", "pattern": `^([01][0-9]|2[0-3]):[0-5][0-9]$`, "description": "HH:MM, China time"}
	slotFields := map[string]any{
		"weekdays": openapi.With(openapi.With(openapi.Arr(map[string]any{"type": "integer", "minimum": 1, "maximum": 7}), "minItems", 1),
			"description", "ISO weekdays: 1 Monday to 7 Sunday"),
		"start": hhmm, "end": openapi.With(hhmm, "description", "HH:MM, China time; after start"),
		"kind":     openapi.EnumOf([]booking.Kind{booking.KindRegular, booking.KindOffPeak, booking.KindExtended, booking.KindHoliday}),
		"capacity": map[string]any{"type": "integer", "minimum": 1, "maximum": booking.MaxCapacity},
		"services": openapi.With(openapi.With(openapi.Arr(openapi.Str), "maxItems", booking.MaxSlotService),
			"description", "what the slot offers, among the point's services; none: all of them"),
	}
	slot := openapi.Obj([]string{"id", "weekdays", "start", "end", "kind", "capacity"}, func() map[string]any {
		out := map[string]any{"id": serverSet(openapi.Int), "point": serverSet(openapi.Int)}
		for k, v := range slotFields {
			out[k] = v
		}
		return out
	}())
	slotIn := map[string]any{}
	for k, v := range slotFields {
		slotIn[k] = v
	}
	day := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "description": "YYYY-MM-DD, China time"}
	phone := map[string]any{"type": "string", "pattern": `^ *(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}) *$`, "description": "an 11-digit mobile or a landline number"}
	bookingFields := map[string]any{
		"point": map[string]any{"type": "integer", "minimum": 1}, "slot": map[string]any{"type": "integer", "minimum": 1},
		"date":    openapi.With(day, "description", "the day booked, YYYY-MM-DD: from tomorrow to the 14th day, a day the slot is held"),
		"service": openapi.Text(booking.MaxServiceRunes, false),
		"name":    name(booking.MaxNameRunes), "phone": phone,
		"id_number":     map[string]any{"type": "string", "pattern": `^([0-9]{17}[0-9Xx])?$`, "description": "resident ID number, optional"},
		"elderly":       openapi.Bool,
		"green_channel": map[string]any{"type": "string", "enum": []string{"", "priority", "home_visit"}, "description": "an elderly citizen's green channel (老年人绿色通道): priority slot or home visit"},
		"note":          openapi.Text(booking.MaxNoteRunes, false),
	}
	request := closed([]string{"point", "slot", "date", "name", "phone"}, func() map[string]any {
		out := map[string]any{"service_id": map[string]any{"type": "integer", "minimum": 1, "description": "a one-stop service (一件事), when the bureau defines them"}}
		for k, v := range bookingFields {
			out[k] = v
		}
		return out
	}())
	record := openapi.Obj([]string{"id", "version", "point", "slot", "unit", "date", "start", "end", "kind", "status", "name", "phone"}, func() map[string]any {
		out := map[string]any{"id": serverSet(openapi.Int), "version": serverSet(openapi.Int), "unit": serverSet(openapi.Str),
			"start": serverSet(hhmm), "end": serverSet(hhmm), "kind": serverSet(slot["properties"].(map[string]any)["kind"].(map[string]any)),
			"status":       serverSet(openapi.EnumOf(booking.Statuses)),
			"service_id":   openapi.Int,
			"cancelled_by": serverSet(openapi.Str), "created_at": serverSet(openapi.When), "updated_at": serverSet(openapi.When),
			"code": serverSet(openapi.With(openapi.Str, "description", "the booking code, only in the answer that books")),
			"name": openapi.Str, "phone": openapi.With(openapi.Str, "description", "masked for staff"),
			"id_number": openapi.With(openapi.Str, "description", "masked for staff")}
		for k, v := range bookingFields {
			if _, set := out[k]; !set {
				out[k] = v
			}
		}
		return out
	}())
	avail := openapi.Obj([]string{"date", "booked", "free"}, map[string]any{"date": day, "booked": openapi.Int, "free": openapi.Int,
		"id": openapi.Int, "point": openapi.Int, "weekdays": slotFields["weekdays"], "start": hhmm, "end": hhmm,
		"kind": slotFields["kind"], "capacity": openapi.Int, "services": openapi.Arr(openapi.Str)})
	total := map[string]any{"type": "integer", "minimum": 0, "description": "how many records match, on every page"}
	return map[string]any{
		"Slot":             slot,
		"SlotsRequest":     closed([]string{"version", "slots"}, map[string]any{"version": map[string]any{"type": "integer", "minimum": 1, "description": "the point's version read; a stale one is 409"}, "slots": openapi.With(openapi.Arr(closed([]string{"weekdays", "start", "end", "kind", "capacity"}, slotIn)), "maxItems", booking.MaxSlots)}),
		"Slots":            openapi.Obj([]string{"point", "version", "slots"}, map[string]any{"point": openapi.Int, "version": openapi.Int, "slots": openapi.Arr(slot)}),
		"SlotAvailability": openapi.Obj([]string{"point", "slots", "availability"}, map[string]any{"point": openapi.Int, "slots": openapi.Arr(slot), "availability": openapi.Arr(avail)}),
		"BookingRequest":   request,
		"Booking":          record,
		"BookingAction": closed([]string{"action", "version"}, map[string]any{"action": openapi.EnumOf(booking.Actions),
			"version": map[string]any{"type": "integer", "minimum": 1, "description": "the version read; a stale one is 409"},
			"code":    openapi.With(openapi.Str, "description", "the citizen's booking code, to cancel without a token")}),
		"BookingChange": closed([]string{"version"}, map[string]any{
			"version": map[string]any{"type": "integer", "minimum": 1, "description": "the version read; a stale one is 409"},
			"service": bookingFields["service"], "elderly": openapi.Bool, "green_channel": bookingFields["green_channel"], "note": bookingFields["note"]}),
		"BookingPage": openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(record), "next_cursor": openapi.Str, "total_capped": openapi.TotalCapped, "total": total}),
	}
}
