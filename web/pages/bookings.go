package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/booking"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/register"
	"minyi/servicepoint"
	"minyi/web/core"
)

// The bookings' pages (预约): a citizen books a slot of a service point
// from the portal (choose a day and slot, then who and what for), sees the
// booking with its code and cancels it; staff keep a point's weekly slots
// and work the day's bookings at their points.

// bookingRoutes are the bookings' pages, the citizen's and the staff's.
func (s *Pages) bookingRoutes() []route {
	return []route{
		{"GET", "/service-points/{id}/book", s.bookPage, "public"},
		{"POST", "/service-points/{id}/book", s.submitBooking, "public"},
		{"GET", "/bookings", s.bookingFindPage, "public"},
		{"POST", "/bookings", s.bookingLookup, "public"},
		{"GET", "/bookings/{id}", s.bookingPage, "public"},
		{"POST", "/bookings/{id}/cancel", s.cancelBooking, "public"},
		{"GET", "/staff/bookings", s.staffBookingsPage, "staff"},
		{"GET", "/staff/bookings/{id}", s.staffBookingPage, "staff"},
		{"POST", "/staff/bookings/{id}", s.staffBookingEdit, "staff"},
		{"POST", "/staff/bookings/{id}/act", s.staffBookingAct, "staff"},
		{"GET", "/staff/points/{id}/slots", s.slotsPage, "staff"},
		{"POST", "/staff/points/{id}/slots", s.saveSlots, "staff"},
	}
}

// bookingCookie holds a citizen's booking code, scoped to the booking's
// page, so that the code never travels in a URL.
const bookingCookie = "minyi_booking"

func bookingPath(id int64) string { return "/bookings/" + strconv.FormatInt(id, 10) }

func (s *Pages) rememberBooking(w http.ResponseWriter, r *http.Request, id int64, code string) {
	http.SetCookie(w, &http.Cookie{Name: bookingCookie, Value: code, Path: bookingPath(id),
		MaxAge: int(((booking.Ahead + 1) * 24 * time.Hour).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Secure(r)})
}

// bookDay is a day of the booking form with its slots.
type bookDay struct {
	Date    string
	Weekday int
	Slots   []booking.Availability
}

// bookForm is the booking form as the citizen filled it.
type bookForm struct {
	Choice, Service, Name, Phone, IDNumber, Green, Note string
	Elderly                                             bool
}

type bookData struct {
	Point    servicepoint.PublicPoint
	Days     []bookDay
	Form     bookForm
	Services []string
	Kinds    []booking.KindInfo
}

func (s *Pages) pointID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, minyi.Errorf(minyi.ENotFound, "没有这个便民服务站点 / no such service point")
	}
	return id, nil
}

// bookPage shows a point's bookable slots of the next days and the form.
func (s *Pages) bookPage(w http.ResponseWriter, r *http.Request) error {
	id, err := s.pointID(r)
	if err != nil {
		return err
	}
	return s.showBookForm(w, r, http.StatusOK, id, bookForm{Service: r.URL.Query().Get("service")}, nil)
}

func (s *Pages) showBookForm(w http.ResponseWriter, r *http.Request, status int, id int64, f bookForm, ferr error) error {
	ctx := r.Context()
	p, err := s.Svc.Bookings.PublicPoint(ctx, id)
	if err != nil {
		return err
	}
	av, err := s.Svc.Bookings.Availability(ctx, id, "", "")
	if err != nil {
		return err
	}
	d := bookData{Point: p, Form: f, Services: p.Services, Kinds: booking.Kinds}
	for _, a := range av {
		if n := len(d.Days); n == 0 || d.Days[n-1].Date != a.Day {
			day, _ := time.ParseInLocation(time.DateOnly, a.Day, calendar.Zone)
			d.Days = append(d.Days, bookDay{Date: a.Day, Weekday: booking.Weekday(day)})
		}
		d.Days[len(d.Days)-1].Slots = append(d.Days[len(d.Days)-1].Slots, a)
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("book.title", v.Conv(p.Name))
	v.Errors = core.FormErrors(s.Catalog, v.Lang, ferr)
	s.Render(w, r, status, "book", s.withEmergency(r, v))
	return nil
}

// submitBooking books the chosen slot once per form and leads to the
// booking's page with its code (Post/Redirect/Get); a full slot or a
// mistake shows the form again, saying which.
func (s *Pages) submitBooking(w http.ResponseWriter, r *http.Request) error {
	id, err := s.pointID(r)
	if err != nil {
		return err
	}
	f := bookForm{Choice: r.PostFormValue("choice"), Service: r.PostFormValue("service"), Name: r.PostFormValue("name"),
		Phone: r.PostFormValue("phone"), IDNumber: r.PostFormValue("id_number"), Green: r.PostFormValue("green_channel"),
		Note: r.PostFormValue("note"), Elderly: r.PostFormValue("elderly") != ""}
	req := booking.Request{Point: id, Service: f.Service, Name: f.Name, Phone: f.Phone, IDNumber: f.IDNumber,
		Elderly: f.Elderly, Green: booking.Green(f.Green), Note: f.Note, FormToken: r.PostFormValue(formTokenField)}
	day, slot, ok := strings.Cut(f.Choice, "|")
	req.Day = day
	if req.Slot, err = strconv.ParseInt(slot, 10, 64); !ok || err != nil {
		return s.showBookForm(w, r, http.StatusBadRequest, id, f, minyi.Invalid("choice", "请选择预约日期和时段", "choose a day and a slot"))
	}
	b, err := s.Svc.Bookings.Book(r.Context(), req, s.BookingUse(r))
	if err != nil {
		if e := core.FieldErrors(s.Catalog, core.PreferredLang(r), err); e != nil && (e["slot"] != "" || e["date"] != "") {
			err = minyi.Invalid("choice", "该时段不可预约，请重新选择", "that slot cannot be booked; choose another")
		}
		return s.showBookForm(w, r, core.Status(w, err), id, f, err)
	}
	s.rememberBooking(w, r, b.ID, b.Code)
	http.Redirect(w, r, bookingPath(b.ID), http.StatusSeeOther)
	return nil
}

type bookingData struct {
	Booking booking.Booking
	Point   servicepoint.PublicPoint
	Phone   string // masked: the page may be seen over a shoulder
	Code    string
	// CanCancel: the slot has not started and the booking stands.
	CanCancel bool
	Weekday   int
	KindInfo  booking.KindInfo
}

// withBookingCode runs check on booking id as the code in the request's
// cookie opens it, within the code-guess limits (Base.WithAccessCode).
func (s *Pages) withBookingCode(r *http.Request, id int64, code string, check func(booking.Booking) error) error {
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

func bookingID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, minyi.Errorf(minyi.ENotFound, "没有这个预约 / no such booking")
	}
	return id, nil
}

// bookingPage shows the citizen's booking, with its code, to the browser
// holding the code; others are sent to the form that asks for it.
func (s *Pages) bookingPage(w http.ResponseWriter, r *http.Request) error {
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	c, cerr := r.Cookie(bookingCookie)
	if cerr != nil || c.Value == "" {
		http.Redirect(w, r, "/bookings", http.StatusSeeOther)
		return nil
	}
	return s.withBookingCode(r, id, c.Value, func(b booking.Booking) error {
		p, err := s.Svc.Bookings.PublicPoint(r.Context(), b.Point)
		if err != nil && minyi.ErrorCode(err) != minyi.ENotFound {
			return err
		}
		day, _ := time.ParseInLocation(time.DateOnly, b.Day, calendar.Zone)
		d := bookingData{Booking: b, Point: p, Code: c.Value, CanCancel: s.Svc.Bookings.CitizenActions(b)[booking.ActCancel], Weekday: booking.Weekday(day),
			Phone: archive.MaskContact(archive.Contact{Phone: b.Phone}).Phone}
		for _, k := range booking.Kinds {
			if k.Code == b.Kind {
				d.KindInfo = k
			}
		}
		v := s.NewView(w, r, "", d)
		v.Title = v.T("booking.title")
		s.Render(w, r, http.StatusOK, "booking", s.withEmergency(r, v))
		return nil
	})
}

// cancelBooking cancels the citizen's booking against the version shown.
func (s *Pages) cancelBooking(w http.ResponseWriter, r *http.Request) error {
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	c, cerr := r.Cookie(bookingCookie)
	if cerr != nil || c.Value == "" {
		http.Redirect(w, r, "/bookings", http.StatusSeeOther)
		return nil
	}
	version := 0
	if v := formVersion(r); v != nil {
		version = *v
	}
	if err := s.withBookingCode(r, id, c.Value, func(b booking.Booking) error {
		if b.Status == booking.StatusCancelled && b.CancelledBy == "citizen" {
			// A second tap, or the form sent again from the history: the
			// booking is cancelled as the citizen asked, not a conflict.
			return nil
		}
		_, err := s.Svc.Bookings.CancelByCode(r.Context(), c.Value, version)
		return err
	}); err != nil {
		return err
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "booking.cancelled"))
	http.Redirect(w, r, bookingPath(id), http.StatusSeeOther)
	return nil
}

// bookingFindPage asks for a booking code.
func (s *Pages) bookingFindPage(w http.ResponseWriter, r *http.Request) error {
	return s.showBookingFind(w, r, http.StatusOK, "", nil)
}

func (s *Pages) showBookingFind(w http.ResponseWriter, r *http.Request, status int, code string, err error) error {
	v := s.NewView(w, r, "", map[string]string{"Code": code})
	v.Title = v.T("booking.find_title")
	v.Errors = core.FormErrors(s.Catalog, v.Lang, err)
	s.Render(w, r, status, "booking_find", s.withEmergency(r, v))
	return nil
}

// bookingLookup finds the booking of a code, within the code-guess limits
// of the client's address, and leads to its page.
func (s *Pages) bookingLookup(w http.ResponseWriter, r *http.Request) error {
	code := r.PostFormValue("code")
	var found booking.Booking
	err := s.WithAccessCode(r, "booking-lookup-"+core.LimitSubject(r), func() error {
		b, err := s.Svc.Bookings.ByCode(r.Context(), code)
		found = b
		return err
	})
	switch minyi.ErrorCode(err) {
	case "":
	case minyi.ENotFound:
		return s.showBookingFind(w, r, http.StatusNotFound, code, minyi.Invalid("code", "预约码不正确", "no booking has this code"))
	default:
		return s.showBookingFind(w, r, core.Status(w, err), code, err)
	}
	clean, _ := booking.CleanCode(code)
	s.rememberBooking(w, r, found.ID, clean)
	http.Redirect(w, r, bookingPath(found.ID), http.StatusSeeOther)
	return nil
}

// staffBookingRow is a booking on the day's page with what the user can
// do to it.
type staffBookingRow struct {
	booking.Booking
	PointName string
	Actions   map[booking.Action]bool
}

type staffBookingsData struct {
	Date, Point, Status string
	Rows                []staffBookingRow
	Total, Green        int
	NextCursor          string
	Points              []servicepoint.Point
	Statuses            []booking.Status
}

// staffBookingsPage is the day's bookings (当日预约) at the points of the
// units the user sees, by start, the green channel marked.
func (s *Pages) staffBookingsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	d := staffBookingsData{Date: strings.TrimSpace(q.Get("date")), Point: q.Get("point"), Status: q.Get("status"), Statuses: booking.Statuses}
	if d.Date == "" {
		d.Date = s.Svc.Bookings.Today()
	}
	filter := func(r *http.Request) (booking.Filter, map[string]string, error) {
		q := r.URL.Query()
		f := booking.Filter{Day: d.Date, Status: booking.Status(q.Get("status"))}
		f.Limit, f.Cursor = 100, q.Get("cursor")
		if p := q.Get("point"); p != "" {
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil || n <= 0 {
				return f, nil, minyi.Invalid("point", "服务站点编号无效", "point must be a positive number")
			}
			f.Point = n
		}
		return f, nil, nil
	}
	page, _, done, err := listOrExport(s, w, r, core.BookingsExport, filter, s.Svc.Bookings.List)
	if done || err != nil {
		return err
	}
	f, _, _ := filter(r)
	points, err := s.Svc.Points.List(ctx, u, servicepoint.Filter{Filter: register.Filter{Limit: 100}, Status: servicepoint.StatusActive})
	if err != nil {
		return err
	}
	d.Points = points.Items
	names := map[int64]string{}
	for _, p := range points.Items {
		names[p.ID] = p.Name
	}
	d.NextCursor = page.NextCursor
	if page.Total != nil {
		d.Total = *page.Total
	}
	green := f
	green.Green, green.Limit, green.Cursor = true, 1, ""
	if gp, err := s.Svc.Bookings.List(ctx, u, green); err == nil && gp.Total != nil {
		d.Green = *gp.Total
	} else if err != nil {
		return err
	}
	for _, b := range page.Items {
		d.Rows = append(d.Rows, staffBookingRow{Booking: b, PointName: names[b.Point], Actions: s.Svc.Bookings.Allowed(u, b)})
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("bookings.title")
	s.Render(w, r, http.StatusOK, "bookings", v)
	return nil
}

// staffBookingAct takes an action on a booking against the version shown
// and goes back to the day's page.
func (s *Pages) staffBookingAct(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	version := 0
	if v := formVersion(r); v != nil {
		version = *v
	}
	b, err := s.Svc.Bookings.Act(ctx, u, id, booking.Command{Action: booking.Action(r.PostFormValue("action")), Version: version})
	fromPage := r.PostFormValue("back") == "booking"
	if err != nil {
		// From the booking's own page a refusal (acted on meanwhile: 409)
		// is shown there, with the booking as it is now.
		if status := refused(err); status != 0 && fromPage {
			return s.showStaffBooking(w, r, status, nil, core.FormErrors(s.Catalog, core.PreferredLang(r), err))
		}
		return err
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "bookings.done."+string(b.Status)))
	if fromPage {
		http.Redirect(w, r, staffBookingPath(id), http.StatusSeeOther)
		return nil
	}
	back := url.Values{"date": {b.Day}}
	if p := r.PostFormValue("point"); p != "" {
		back.Set("point", p)
	}
	http.Redirect(w, r, "/staff/bookings?"+back.Encode()+"#booking-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func staffBookingPath(id int64) string { return "/staff/bookings/" + strconv.FormatInt(id, 10) }

// bookingEditForm is the correction form of a booking (the API's PATCH):
// what the citizen comes for, the elderly flag, the green channel, a note.
type bookingEditForm struct {
	Service, Green, Note string
	Elderly              bool
	Version              int
}

type staffBookingData struct {
	Booking   booking.Booking
	PointName string
	Events    []eventlog.Event
	Actions   map[booking.Action]bool
	// CanEdit says the user may correct the booking now (staff of the
	// point's unit, leaders and admins, while booked or attended).
	CanEdit bool
	Form    bookingEditForm
	Greens  []booking.Green
	// FieldKeys name a correction's changed fields in the history.
	FieldKeys map[string]string
}

// staffBookingPage is one booking for staff (the point's unit's, leaders,
// admins): its details masked as in the day's list, its history, the
// actions it takes now and the correction form.
func (s *Pages) staffBookingPage(w http.ResponseWriter, r *http.Request) error {
	return s.showStaffBooking(w, r, http.StatusOK, nil, nil)
}

// showStaffBooking shows the booking of the path; f, when not nil, is the
// correction form as sent (shown again with errs).
func (s *Pages) showStaffBooking(w http.ResponseWriter, r *http.Request, status int, f *bookingEditForm, errs map[string]string) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	b, events, err := s.Svc.Bookings.History(ctx, u, id)
	if err != nil {
		return err
	}
	d := staffBookingData{Booking: b, Events: events, Actions: s.Svc.Bookings.Allowed(u, b),
		CanEdit:   s.Svc.Bookings.MayEdit(u, b),
		Form:      bookingEditForm{Service: b.Service, Green: string(b.Green), Note: b.Note, Elderly: b.Elderly, Version: b.Version},
		Greens:    []booking.Green{booking.GreenNone, booking.GreenPriority, booking.GreenHomeVisit},
		FieldKeys: map[string]string{"service": "book.service", "elderly": "bookings.elderly", "green_channel": "book.green", "note": "book.note"}}
	if f != nil {
		// The values sent, against the version now stored: a stale form
		// shows what was sent over what is stored, to send again.
		d.Form, d.Form.Version = *f, b.Version
	}
	if p, err := s.Svc.Points.Get(ctx, u, b.Point); err == nil {
		d.PointName = p.Name
	} else if c := minyi.ErrorCode(err); c != minyi.EForbidden && c != minyi.ENotFound {
		return err
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("staff_booking.title", b.ID)
	v.Errors = errs
	s.Render(w, r, status, "staff_booking", v)
	return nil
}

// staffBookingEdit corrects a booking (service, elderly, green channel,
// note) against the version the form was filled from; a refusal shows the
// page again with the values sent, a stale version with 409.
func (s *Pages) staffBookingEdit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	f := bookingEditForm{Service: r.PostFormValue("service"), Green: r.PostFormValue("green_channel"),
		Note: r.PostFormValue("note"), Elderly: r.PostFormValue("elderly") != ""}
	version := 0
	if v := formVersion(r); v != nil {
		version = *v
	}
	green := booking.Green(f.Green)
	if _, err := s.Svc.Bookings.Update(ctx, u, id, version, booking.Patch{Service: &f.Service, Elderly: &f.Elderly,
		Green: &green, Note: &f.Note}); err != nil {
		status := refused(err)
		if status == 0 {
			return err
		}
		return s.showStaffBooking(w, r, status, &f, core.FormErrors(s.Catalog, core.PreferredLang(r), err))
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "staff_booking.saved"))
	http.Redirect(w, r, staffBookingPath(id), http.StatusSeeOther)
	return nil
}

// slotRow is one row of the schedule form.
type slotRow struct {
	Days                                 map[int]bool
	Start, End, Kind, Capacity, Services string
}

type slotsData struct {
	Point    servicepoint.Point
	Rows     []slotRow
	Kinds    []booking.KindInfo
	Weekdays []int
	CanEdit  bool
}

// blankSlotRows are the empty rows the schedule form offers for new slots.
const blankSlotRows = 3

// slotsPage shows a point's weekly schedule and, to its staff, the form
// that replaces it.
func (s *Pages) slotsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, servicepoint.Noun)
	if err != nil {
		return err
	}
	p, err := s.Svc.Points.Get(ctx, u, id)
	if err != nil {
		return err
	}
	slots, err := s.Svc.Bookings.Slots(ctx, id)
	if err != nil && minyi.ErrorCode(err) != minyi.ENotFound {
		return err
	}
	var rows []slotRow
	for _, sl := range slots {
		row := slotRow{Days: map[int]bool{}, Start: sl.Start, End: sl.End, Kind: string(sl.Kind),
			Capacity: strconv.Itoa(sl.Capacity), Services: strings.Join(sl.Services, "，")}
		for _, d := range sl.Weekdays {
			row.Days[d] = true
		}
		rows = append(rows, row)
	}
	s.showSlots(w, r, http.StatusOK, p, rows, nil)
	return nil
}

func (s *Pages) showSlots(w http.ResponseWriter, r *http.Request, status int, p servicepoint.Point, rows []slotRow, err error) {
	u, _ := core.UserFrom(r.Context())
	for range blankSlotRows {
		rows = append(rows, slotRow{Days: map[int]bool{}, Kind: string(booking.KindRegular)})
	}
	v := s.NewView(w, r, "", slotsData{Point: p, Rows: rows, Kinds: booking.Kinds, Weekdays: []int{1, 2, 3, 4, 5, 6, 7},
		CanEdit: u.CanFileInto(p.Unit) && p.Status == servicepoint.StatusActive})
	v.Title = v.T("slots.title", v.Conv(p.Name))
	v.Errors = core.FormErrors(s.Catalog, v.Lang, err)
	s.Render(w, r, status, "slots", v)
}

// saveSlots replaces a point's schedule with the rows filled in, against
// the point's version; a refusal shows the rows again, each problem at its
// field.
func (s *Pages) saveSlots(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, servicepoint.Noun)
	if err != nil {
		return err
	}
	p, err := s.Svc.Points.Get(ctx, u, id)
	if err != nil {
		return err
	}
	version := 0
	if v := formVersion(r); v != nil {
		version = *v
	}
	var rows []slotRow
	var slots []booking.Slot
	var pr minyi.Problems
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		if _, ok := r.PostForm["start"+n]; !ok {
			break
		}
		row := slotRow{Days: map[int]bool{}, Start: strings.TrimSpace(r.PostFormValue("start" + n)), End: strings.TrimSpace(r.PostFormValue("end" + n)),
			Kind: r.PostFormValue("kind" + n), Capacity: strings.TrimSpace(r.PostFormValue("capacity" + n)), Services: r.PostFormValue("services" + n)}
		sl := booking.Slot{Start: row.Start, End: row.End, Kind: booking.Kind(row.Kind), Weekdays: []int{}, Services: []string{}}
		for _, d := range r.PostForm["weekdays"+n] {
			if k, err := strconv.Atoi(d); err == nil {
				row.Days[k] = true
				sl.Weekdays = append(sl.Weekdays, k)
			}
		}
		if row.Start == "" && row.End == "" && row.Capacity == "" && len(sl.Weekdays) == 0 {
			continue // a blank row
		}
		at := "slots[" + strconv.Itoa(len(slots)) + "].capacity"
		if c, err := strconv.Atoi(row.Capacity); err == nil {
			sl.Capacity = c
		} else {
			pr.Add(at, "可约人数须为数字", "capacity must be a number")
		}
		for _, sv := range strings.FieldsFunc(row.Services, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' }) {
			sl.Services = append(sl.Services, strings.TrimSpace(sv))
		}
		rows, slots = append(rows, row), append(slots, sl)
	}
	if err := pr.Err(); err != nil {
		s.showSlots(w, r, http.StatusBadRequest, p, rows, err)
		return nil
	}
	if _, _, err := s.Svc.Bookings.SetSlots(ctx, u, id, version, slots); err != nil {
		if c := minyi.ErrorCode(err); c != minyi.EInvalid && c != minyi.EConflict {
			return err
		}
		if minyi.ErrorCode(err) == minyi.EConflict {
			p, _ = s.Svc.Points.Get(ctx, u, id) // show the version now stored
		}
		s.showSlots(w, r, core.Status(w, err), p, rows, err)
		return nil
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "slots.saved"))
	http.Redirect(w, r, "/staff/points/"+strconv.FormatInt(id, 10)+"/slots", http.StatusSeeOther)
	return nil
}
