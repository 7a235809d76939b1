package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
	"minyi/reporting"
)

// submissionRequest is the JSON of POST /api/v1/items: a submission plus
// photos as base64.
type submissionRequest struct {
	archive.Submission
	Photos []struct {
		Data []byte `json:"data"`
	} `json:"photos,omitempty"`
}

// created is the answer to a new item: what the citizen must keep.
type created struct {
	Number      string         `json:"number"`
	AccessCode  string         `json:"access_code"`
	Status      archive.Status `json:"status"`
	ReceivedAt  time.Time      `json:"received_at"` // collected on
	EnteredAt   time.Time      `json:"entered_at"`  // the time limit runs from it
	DueAt       time.Time      `json:"due_at"`
	Unit        string         `json:"unit,omitempty"`
	Warning     string         `json:"warning,omitempty"`
	Version     int            `json:"version"`
	TrackingURL string         `json:"tracking_url"`
	// SMS is "withheld" when the receipt was not sent to the phone given
	// because that number had had its receipts for the hour.
	SMS string `json:"receipt_sms,omitempty"`
}

// smsWithheld is the API's word for a receipt not sent by SMS.
const smsWithheld = "该号码近期已收到多条回执短信，本次未发送短信，请记下编号和查询码 / this number has had several receipts by SMS lately; none was sent this time, so keep the number and access code"

func (s *Server) createItem(w http.ResponseWriter, r *http.Request) error {
	var req submissionRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	sub := req.Submission
	for _, p := range req.Photos {
		sub.Photos = append(sub.Photos, archive.Photo{Data: p.Data})
	}
	var staff *org.User
	if u, ok := userFrom(r.Context()); ok {
		staff = &u
	}
	sub.Counted = s.intakeUse(r)
	it, code, err := s.items.Submit(r.Context(), staff, sub)
	if err != nil {
		return err
	}
	s.metrics.created.WithLabelValues(string(it.Channel)).Inc()
	resp := created{Number: it.Number, AccessCode: code, Status: it.Status, ReceivedAt: it.ReceivedAt.In(calendar.Zone),
		EnteredAt: it.EnteredAt.In(calendar.Zone), DueAt: it.DueAt.In(calendar.Zone),
		Unit: it.UnitCode, Version: it.Version, TrackingURL: "/api/v1/items/" + it.Number + "?access_code=" + code}
	if it.CalendarGap {
		resp.Warning = "期限计算所涉年份缺少节假日数据，按普通周末推算 / the calendar lacks holiday data for a year in the time limit; weekends only were used"
	}
	if it.SMSWithheld {
		resp.SMS = "withheld"
		resp.Warning = strings.TrimPrefix(resp.Warning+"; "+smsWithheld, "; ")
	}
	w.Header().Set("Location", "/api/v1/items/"+it.Number)
	noStore(w) // the access code
	writeJSON(w, http.StatusCreated, resp)
	return nil
}

// getItem answers staff with the staff view and a citizen (access code)
// with archive.CitizenView, an allow-list of what the citizen may see.
func (s *Server) getItem(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	var view any
	var err error
	if u, ok := userFrom(r.Context()); ok {
		view, err = s.items.Get(r.Context(), u, number)
	} else if code := r.URL.Query().Get("access_code"); code != "" {
		err = s.withAccessCode(r, number, func() (err error) {
			view, err = s.items.GetForCitizen(r.Context(), number, code)
			return err
		})
	} else {
		err = minyi.Errorf(minyi.EUnauthorized, "请提供令牌或查询码 / a token or an access_code is required")
	}
	if err != nil {
		return err
	}
	noStore(w)
	writeJSON(w, http.StatusOK, view)
	return nil
}

func (s *Server) revealContact(w http.ResponseWriter, r *http.Request) error {
	u, err := requireStaff(r)
	if err != nil {
		return err
	}
	c, err := s.items.Reveal(r.Context(), u, r.PathValue("number"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) getPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Invalid("id", "照片编号无效", "photo id must be a number")
	}
	number := r.PathValue("number")
	var photo archive.Photo
	if u, ok := userFrom(r.Context()); ok {
		photo, err = s.items.Photo(r.Context(), u, number, id)
	} else if code := r.URL.Query().Get("access_code"); code != "" {
		err = s.withAccessCode(r, number, func() (err error) {
			photo, err = s.items.PhotoForCitizen(r.Context(), number, code, id)
			return err
		})
	} else {
		err = minyi.Errorf(minyi.EUnauthorized, "请提供令牌或查询码 / a token or an access_code is required")
	}
	if err != nil {
		return err
	}
	writePhoto(w, photo)
	return nil
}

// noStore keeps an answer about one citizen's item out of every cache
// between the server and its reader, and out of the reader's history.
func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "private, no-store") }

// writePhoto serves a stored photo. Its type was sniffed from the bytes at
// upload, and nosniff keeps browsers from reinterpreting it.
func writePhoto(w http.ResponseWriter, photo archive.Photo) {
	w.Header().Set("Content-Type", photo.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(photo.Data)
}

func (s *Server) act(w http.ResponseWriter, r *http.Request) error {
	var cmd archive.Command
	if err := decodeJSON(r, &cmd); err != nil {
		return err
	}
	number := r.PathValue("number")
	var it any
	var err error
	if u, ok := userFrom(r.Context()); ok {
		var staff archive.Item
		staff, err = s.items.Act(r.Context(), u, number, cmd, false)
		staff.Contact = archive.MaskContact(staff.Contact)
		it = staff
	} else if code := r.URL.Query().Get("access_code"); code != "" {
		err = s.withAccessCode(r, number, func() (err error) {
			it, err = s.items.ActAsCitizen(r.Context(), number, code, cmd)
			return err
		})
	} else {
		err = minyi.Errorf(minyi.EUnauthorized, "请提供令牌或查询码 / a token or an access_code is required")
	}
	if err != nil {
		return err
	}
	s.metrics.actions.WithLabelValues(string(cmd.Action)).Inc()
	noStore(w)
	writeJSON(w, http.StatusOK, it)
	return nil
}

// listFilter reads the list parameters, naming any bad one.
func listFilter(r *http.Request) (archive.Filter, error) {
	q := r.URL.Query()
	var p minyi.Problems
	f := archive.Filter{
		Query: q.Get("q"), Unit: q.Get("unit"), Category: q.Get("category"), Cursor: q.Get("cursor"),
		Kind: archive.Kind(q.Get("kind")), Class: archive.Class(q.Get("class")),
		Channel: archive.Channel(q.Get("channel")), Sort: q.Get("sort"),
	}
	if f.Kind != "" && !f.Kind.Valid() {
		p.Add("kind", "类型无效", "unknown kind")
	}
	if f.Class != "" && !f.Class.Valid() {
		p.Add("class", "类别无效", "unknown class")
	}
	if f.Channel != "" && !f.Channel.Valid() {
		p.Add("channel", "渠道无效", "unknown channel")
	}
	switch f.Sort {
	case "", archive.SortRelevance, archive.SortNewest, archive.SortOldest, archive.SortDue:
	default:
		p.Add("sort", "排序方式无效（relevance、newest、oldest、due）", "sort must be relevance, newest, oldest or due")
	}
	for _, v := range q["status"] {
		for _, st := range strings.Split(v, ",") {
			if st == "" {
				continue
			}
			if !archive.Status(st).Valid() {
				p.Add("status", "状态无效："+st, "unknown status: "+st)
				continue
			}
			f.Statuses = append(f.Statuses, archive.Status(st))
		}
	}
	for name, dst := range map[string]*bool{"overdue": &f.Overdue, "due_soon": &f.DueSoon} {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				p.Add(name, "应为true或false", "must be true or false")
			}
			*dst = b
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > archive.MaxLimit {
			p.Add("limit", "每页条数应为1–100", "limit must be 1–100")
		}
		f.Limit = n
	}
	from, _, err := parseDay("from", q.Get("from"))
	if err != nil {
		p.Add("from", "日期格式应为YYYY-MM-DD或RFC 3339", "must be YYYY-MM-DD or RFC 3339")
	} else if !from.IsZero() {
		f.From = &from
	}
	to, bareDay, err := parseDay("to", q.Get("to"))
	if err != nil {
		p.Add("to", "日期格式应为YYYY-MM-DD或RFC 3339", "must be YYYY-MM-DD or RFC 3339")
	} else if !to.IsZero() {
		if bareDay {
			to = to.AddDate(0, 0, 1) // "to 2021-10-31" includes that day
		}
		f.To = &to
	}
	return f, p.Err()
}

func (s *Server) listItems(w http.ResponseWriter, r *http.Request) error {
	u, err := requireStaff(r)
	if err != nil {
		return err
	}
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	page, err := s.items.List(r.Context(), u, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) error {
	u, err := requireStaff(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := reporting.Filter{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit")}.ThisYearByDefault(time.Now().In(calendar.Zone))
	st, err := s.reports.Stats(r.Context(), u, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
