package api

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
	"minyi/web/core"
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

func (s *API) createItem(w http.ResponseWriter, r *http.Request) error {
	var req submissionRequest
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	sub := req.Submission
	for _, p := range req.Photos {
		sub.Photos = append(sub.Photos, archive.Photo{Data: p.Data})
	}
	var staff *org.User
	if u, ok := core.UserFrom(r.Context()); ok {
		staff = &u
	}
	sub.Counted = s.IntakeUse(r)
	it, code, err := s.Items.Submit(r.Context(), staff, sub)
	if err != nil {
		return err
	}
	s.Metrics.Created.WithLabelValues(string(it.Channel)).Inc()
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
	core.NoStore(w) // the access code
	core.WriteJSON(w, http.StatusCreated, resp)
	return nil
}

// staffItemView is the staff's view of an item with its answers' files,
// each file and photo with the address it is served at.
type staffItemView struct {
	archive.View
	Attachments []archive.AttachmentInfo `json:"attachments"`
}

// itemFileURLs fills in the addresses of an item's photos and answers'
// files in the API: /api/v1/items/{number}/photos/{id} and …/attachments/{id}
// (a citizen adds ?access_code=, as for the item).
func itemFileURLs(number string, photos []archive.PhotoInfo, files []archive.AttachmentInfo) {
	base := "/api/v1/items/" + number
	for i := range photos {
		photos[i].URL = base + "/photos/" + strconv.FormatInt(photos[i].ID, 10)
	}
	for i := range files {
		files[i].URL = base + "/attachments/" + strconv.FormatInt(files[i].ID, 10)
	}
}

// getItem answers staff with the staff view and a citizen (access code)
// with archive.CitizenView, an allow-list of what the citizen may see; both
// list the item's photos and its answers' files (the citizen's under each
// answer), as the pages show them.
func (s *API) getItem(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	var view any
	var err error
	if u, ok := core.UserFrom(r.Context()); ok {
		var v staffItemView
		if v.View, err = s.Items.Get(r.Context(), u, number); err == nil {
			v.Attachments, err = s.Items.Attachments(r.Context(), u, number)
		}
		if v.Attachments == nil {
			v.Attachments = []archive.AttachmentInfo{}
		}
		itemFileURLs(number, v.Item.Photos, v.Attachments)
		view = v
	} else if code := r.URL.Query().Get("access_code"); code != "" {
		err = s.WithAccessCode(r, number, func() error {
			v, err := s.Items.GetForCitizen(r.Context(), number, code)
			if err != nil {
				return err
			}
			files, err := s.Items.AttachmentsForCitizen(r.Context(), number, code)
			if err != nil {
				return err
			}
			itemFileURLs(number, v.Item.Photos, files)
			view = v.WithAttachments(files)
			return nil
		})
	} else {
		err = minyi.Errorf(minyi.EUnauthorized, "请提供令牌或查询码 / a token or an access_code is required")
	}
	if err != nil {
		return err
	}
	core.NoStore(w)
	core.WriteJSON(w, http.StatusOK, view)
	return nil
}

func (s *API) revealContact(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	c, err := s.Items.Reveal(r.Context(), u, r.PathValue("number"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	core.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (s *API) getPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Invalid("id", "照片编号无效", "photo id must be a number")
	}
	number := r.PathValue("number")
	var photo archive.Photo
	if u, ok := core.UserFrom(r.Context()); ok {
		photo, err = s.Items.Photo(r.Context(), u, number, id)
	} else if code := r.URL.Query().Get("access_code"); code != "" {
		err = s.WithAccessCode(r, number, func() (err error) {
			photo, err = s.Items.PhotoForCitizen(r.Context(), number, code, id)
			return err
		})
	} else {
		err = minyi.Errorf(minyi.EUnauthorized, "请提供令牌或查询码 / a token or an access_code is required")
	}
	if err != nil {
		return err
	}
	if _, staff := core.UserFrom(r.Context()); staff {
		core.WritePhoto(w, photo)
	} else {
		core.WriteCitizenPhoto(w, photo)
	}
	return nil
}

// getAttachment serves a file of an item's answer to staff who may see the
// item (a token) or to its citizen (?access_code=), as getPhoto does: a
// photo shown, a PDF as a download under its name.
func (s *API) getAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Invalid("id", "附件编号无效", "attachment id must be a number")
	}
	number := r.PathValue("number")
	var a archive.Attachment
	if u, ok := core.UserFrom(r.Context()); ok {
		if a, err = s.Items.Attachment(r.Context(), u, number, id); err != nil {
			return err
		}
		core.WriteAttachment(w, number, a, core.WritePhoto)
		return nil
	}
	code := r.URL.Query().Get("access_code")
	if code == "" {
		return minyi.Errorf(minyi.EUnauthorized, "请提供令牌或查询码 / a token or an access_code is required")
	}
	err = s.WithAccessCode(r, number, func() (err error) {
		a, err = s.Items.AttachmentForCitizen(r.Context(), number, code, id)
		return err
	})
	if err != nil {
		return err
	}
	core.WriteAttachment(w, number, a, core.WriteCitizenPhoto)
	return nil
}

func (s *API) act(w http.ResponseWriter, r *http.Request) error {
	var cmd archive.Command
	if err := core.DecodeJSON(r, &cmd); err != nil {
		return err
	}
	number := r.PathValue("number")
	var it any
	var err error
	if u, ok := core.UserFrom(r.Context()); ok {
		var staff archive.Item
		staff, err = s.Items.Act(r.Context(), u, number, cmd, false)
		staff.Contact = archive.MaskContact(staff.Contact)
		it = staff
	} else if code := r.URL.Query().Get("access_code"); code != "" {
		if cmd.Action == archive.ActAddInfo {
			// An addition writes as a filing does and tells the unit and
			// its chat robots: it is held to the same limit per address as
			// the tracking page's form.
			if err := s.Limiter.Take(r.Context(), "intake", s.Config.Limits.Intake, core.LimitSubject(r)); err != nil {
				return err
			}
		}
		err = s.WithAccessCode(r, number, func() (err error) {
			it, err = s.Items.ActAsCitizen(r.Context(), number, code, cmd)
			return err
		})
	} else {
		err = minyi.Errorf(minyi.EUnauthorized, "请提供令牌或查询码 / a token or an access_code is required")
	}
	if err != nil {
		return err
	}
	s.Metrics.Actions.WithLabelValues(string(cmd.Action)).Inc()
	core.NoStore(w)
	core.WriteJSON(w, http.StatusOK, it)
	return nil
}

func (s *API) listItems(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	format, err := core.ExportFormat(r)
	if err != nil {
		return err
	}
	f, err := core.ListFilter(r)
	if err != nil {
		return err
	}
	if format != "" {
		return core.WriteList(s.Base, w, r, u, format, core.ItemsExport, core.ListFilter, s.Items.List)
	}
	page, err := s.Items.List(r.Context(), u, f)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, page)
	return nil
}

func (s *API) stats(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := reporting.Filter{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit")}.ThisYearByDefault(time.Now().In(calendar.Zone))
	st, err := s.Reports.Stats(r.Context(), u, f)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, st)
	return nil
}
