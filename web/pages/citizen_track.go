package pages

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/web/core"
)

// accessCookie remembers a citizen's access code for one item, scoped to
// that item's tracking pages, so that the code need not travel in URLs.
const accessCookie = "minyi_access"

func (s *Pages) rememberAccess(w http.ResponseWriter, r *http.Request, number, code string) {
	http.SetCookie(w, &http.Cookie{Name: accessCookie, Value: code, Path: "/track/" + number,
		MaxAge: int((180 * 24 * time.Hour).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Secure(r)})
}

func accessFrom(r *http.Request) string {
	if c, err := r.Cookie(accessCookie); err == nil {
		return c.Value
	}
	return ""
}

// receiptCookie lets the browser that wrote in see the receipt, with its
// access code, for receiptTTL: a reload (the messaging apps' browsers
// reload often) shows it again without filing anything, but the code is not
// in the URL, so the history never hands it to someone else, and after a
// day the page leads to the tracking page, which does not show the code.
const (
	receiptCookie = "minyi_receipt"
	receiptTTL    = 24 * time.Hour
	// receiptSMSWithheld is the receipt cookie's value when the receipt
	// SMS was not sent.
	receiptSMSWithheld = "sms-withheld"
)

func receiptPath(number string) string { return "/track/" + number + "/receipt" }

// showReceiptLater lets this browser see the receipt of item number for
// receiptTTL; the code itself comes from the access cookie. The cookie also
// says whether the receipt SMS was withheld (Service.SMSRate), which is
// known only when the item is filed.
func (s *Pages) showReceiptLater(w http.ResponseWriter, r *http.Request, number string, smsWithheld bool) {
	value := "1"
	if smsWithheld {
		value = receiptSMSWithheld
	}
	http.SetCookie(w, &http.Cookie{Name: receiptCookie, Value: value, Path: receiptPath(number),
		MaxAge: int(receiptTTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Secure(r)})
}

// writtenData is what the citizen keeps after writing in.
type writtenData struct {
	Number, AccessCode string
	DueAt              time.Time
	Phone              bool // a receipt SMS is on its way
	SMSWithheld        bool // a phone was given but the receipt was not sent (Service.SMSRate)
}

// receiptPage shows the tracking number and access code of an item just
// written in, printable: where the write-in form leads after filing.
func (s *Pages) receiptPage(w http.ResponseWriter, r *http.Request) error {
	number, code := r.PathValue("number"), accessFrom(r)
	marker, err := r.Cookie(receiptCookie)
	if err != nil || code == "" {
		http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
		return nil
	}
	// The code comes from a cookie, which anyone can set: this door is held
	// to the code-guess limits as every other one is.
	var view archive.CitizenView
	err = s.WithAccessCode(r, number, func() (err error) {
		view, err = s.Items.GetForCitizen(r.Context(), number, code)
		return err
	})
	if minyi.ErrorCode(err) == minyi.ETooMany {
		return err
	} else if err != nil {
		http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
		return nil
	}
	withheld := marker.Value == receiptSMSWithheld
	v := s.NewView(w, r, "", writtenData{Number: number, AccessCode: code, DueAt: view.Item.DueAt,
		Phone: view.Item.Contact.Phone != "" && !withheld, SMSWithheld: withheld})
	v.Title = v.T("written.title")
	v.Mongolian = true // the receipt is in Mongolian and Chinese
	s.Render(w, r, http.StatusOK, "written", s.withEmergency(r, v))
	return nil
}

type trackForm struct{ Number, Code string }

// trackFormPage asks for the tracking number and access code.
func (s *Pages) trackFormPage(w http.ResponseWriter, r *http.Request) error {
	s.showTrackForm(w, r, http.StatusOK, trackForm{Number: r.URL.Query().Get("number")}, nil)
	return nil
}

func (s *Pages) showTrackForm(w http.ResponseWriter, r *http.Request, status int, f trackForm, err error) {
	v := s.NewView(w, r, "", f)
	v.Title = v.T("track.title")
	if err != nil {
		v.Errors = map[string]string{"code": core.LocalMessage(v.Lang, minyi.ErrorMessage(err))}
	}
	s.Render(w, r, status, "track_form", v)
}

// trackLookup checks a number and code typed into the form.
func (s *Pages) trackLookup(w http.ResponseWriter, r *http.Request) error {
	f := trackForm{
		Number: strings.TrimSpace(r.PostFormValue("number")),
		Code:   strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("code")), " ", "")),
	}
	err := s.WithAccessCode(r, f.Number, func() error {
		_, err := s.Items.GetForCitizen(r.Context(), f.Number, f.Code)
		return err
	})
	if err != nil {
		s.showTrackForm(w, r, core.Status(w, err), f, err)
		return nil
	}
	s.rememberAccess(w, r, f.Number, f.Code)
	http.Redirect(w, r, "/track/"+f.Number, http.StatusSeeOther)
	return nil
}

type trackData struct {
	Item   archive.CitizenItem
	Events []archive.CitizenEvent
	// Steps is the stepper at the top (受理 → … → 銷號), Answer the last
	// answer, shown first and in full, Redo the redo under way with the
	// citizen's own reason.
	Steps    []archive.Step
	Answer   *archive.CitizenEvent
	Redo     *archive.CitizenRedo
	UnitName string
	Overdue  bool
	// AddText is an addition that was refused, to correct and send again,
	// Summary its error summary.
	AddText string
	Summary []summaryEntry
	// Files are the photos and PDF documents the answers came with, each
	// shown with its own answer (FilesOf).
	Files []archive.AttachmentInfo
	// Rate is the rating form as refused, or empty, RateSummary its
	// error summary.
	Rate        trackRating
	RateSummary []summaryEntry
}

// FilesOf lists the files of the answer recorded as event seq: an item
// answered again after a redo shows each answer with its own.
func (d trackData) FilesOf(seq int64) []archive.AttachmentInfo {
	var out []archive.AttachmentInfo
	for _, f := range d.Files {
		if f.Seq == seq {
			out = append(out, f)
		}
	}
	return out
}

// trackRating is the rating form of the tracking page: what was typed when
// it was refused, and why, by the form's field names.
type trackRating struct {
	ratingForm
	Reason string
	Errs   map[string]string
}

// rateFields are the rating form's fields with the ids of their inputs,
// for the error summary's links.
var rateFields = []fieldRef{{Field: "satisfaction", ID: "rate-very_satisfied"}, {Field: "marks.speed", ID: "rate-speed"},
	{Field: "marks.result", ID: "rate-result"}, {Field: "marks.attitude", ID: "rate-attitude"}, {Field: "reason", ID: "reason"}}

// RatingArgs are the arguments of the rating form's fields.
func (d trackData) RatingArgs(v any) map[string]any {
	marks, errs := d.Rate.Marks, d.Rate.Errs
	if marks == nil {
		marks = map[string]string{}
	}
	if errs == nil {
		errs = map[string]string{}
	}
	return map[string]any{"View": v, "ID": "rate", "Question": "track.rate_question", "Sat": d.Rate.Satisfaction, "Marks": marks, "Errs": errs}
}

// addFields are the addition form's fields with the ids of their inputs,
// for the error summary's links.
var addFields = []fieldRef{{Field: "body", ID: "add-body"}, {Field: "photos", ID: "add-photos", Prefix: true}}

// trackPage shows the citizen's own item: where it stands on the stepper,
// the answer in full, its timeline in plain words, and what the citizen
// may do now (rate, add information, withdraw). A link with ?code= (as
// sent by SMS) is remembered and then dropped from the URL.
func (s *Pages) trackPage(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	if code := r.URL.Query().Get("code"); code != "" {
		err := s.WithAccessCode(r, number, func() error {
			_, err := s.Items.GetForCitizen(r.Context(), number, strings.ToUpper(code))
			return err
		})
		if err != nil {
			s.showTrackForm(w, r, core.Status(w, err), trackForm{Number: number}, err)
			return nil
		}
		s.rememberAccess(w, r, number, strings.ToUpper(code))
		http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
		return nil
	}
	s.showTrack(w, r, http.StatusOK, "", nil)
	return nil
}

// citizenView reads the item of the path with the access code remembered
// for it, within the code-guess limits; ok is false when it has shown the
// form asking for the code instead.
func (s *Pages) citizenView(w http.ResponseWriter, r *http.Request) (view archive.CitizenView, ok bool) {
	number, code := r.PathValue("number"), accessFrom(r)
	if code == "" {
		s.showTrackForm(w, r, http.StatusOK, trackForm{Number: number}, nil)
		return view, false
	}
	err := s.WithAccessCode(r, number, func() (err error) {
		view, err = s.Items.GetForCitizen(r.Context(), number, code)
		return err
	})
	if err != nil {
		s.showTrackForm(w, r, core.Status(w, err), trackForm{Number: number}, err)
		return view, false
	}
	return view, true
}

// showTrack renders the tracking page with status and, when an addition
// was refused, its text and why.
func (s *Pages) showTrack(w http.ResponseWriter, r *http.Request, status int, addText string, addErr error) {
	s.renderTrack(w, r, status, addText, addErr, trackRating{})
}

// renderTrack renders the tracking page with status, a refused addition
// (addText, addErr) and a refused rating (rate).
func (s *Pages) renderTrack(w http.ResponseWriter, r *http.Request, status int, addText string, addErr error, rate trackRating) {
	view, ok := s.citizenView(w, r)
	if !ok {
		return
	}
	data := trackData{Item: view.Item, Events: view.Events, Steps: view.Progress(), Answer: view.Answer(), Redo: view.Redo,
		Overdue: view.Item.Overdue(time.Now()), AddText: addText, Rate: rate, RateSummary: linkedErrors(rate.Errs, rateFields)}
	if view.Item.UnitCode != "" {
		if u, err := s.Org.Unit(r.Context(), view.Item.UnitCode); err == nil {
			data.UnitName = u.Name
		}
	}
	if data.Answer != nil {
		var err error
		if data.Files, err = s.trackFiles(r, view.Item.Number); err != nil {
			s.PageError(w, r, err)
			return
		}
	}
	v := s.NewView(w, r, "", nil)
	v.Title = v.T("track.item_title", view.Item.Number)
	v.Errors = core.FormErrors(s.Catalog, v.Lang, addErr)
	data.Summary = linkedErrors(v.Errors, addFields)
	v.Data = data
	s.Render(w, r, status, "track", v)
}

// trackRate records the citizen's verdict on the answer (the five levels of
// 好差評 and the optional marks); "unsatisfied" or worse sends the item back
// for redo (重辦) with the reason given. A refused rating shows the page
// again with what was typed, each field's error and their summary.
func (s *Pages) trackRate(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	code := accessFrom(r)
	if code == "" {
		http.Redirect(w, r, "/track?number="+core.URLEscape(number), http.StatusSeeOther)
		return nil
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	rate := trackRating{ratingForm: ratingFrom(r), Reason: r.PostFormValue("reason")}
	cmd := archive.Command{Action: archive.ActRate, Version: version,
		Satisfaction: archive.Satisfaction(rate.Satisfaction), Body: rate.Reason}
	marks, err := rate.marks()
	cmd.Marks = marks
	if err == nil {
		err = s.WithAccessCode(r, number, func() error {
			_, err := s.Items.ActAsCitizen(r.Context(), number, code, cmd)
			return err
		})
	}
	if errs := core.FieldErrors(s.Catalog, core.PreferredLang(r), err); errs != nil && minyi.ErrorCode(err) == minyi.EInvalid {
		if msg, ok := errs["body"]; ok {
			delete(errs, "body")
			errs["reason"] = msg // the form's name for the command's body
		}
		rate.Errs = errs
		s.renderTrack(w, r, core.StatusOf(minyi.EInvalid), "", nil, rate)
		return nil
	}
	if err != nil {
		switch minyi.ErrorCode(err) {
		case minyi.EInvalid, minyi.EIllegal, minyi.EConflict:
			lang := core.PreferredLang(r)
			core.SetFlash(w, core.LocalMessage(lang, minyi.ErrorMessage(err)))
			http.Redirect(w, r, "/track/"+number+"#rate", http.StatusSeeOther)
			return nil
		}
		return err
	}
	msg := "track.rated"
	if cmd.Satisfaction.Group() == archive.Unsatisfied {
		msg = "track.rated_redo"
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), msg))
	http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
	return nil
}

// trackPhoto serves a photo of the citizen's own item, named for the item
// and its place among the item's photos (2021-000001-2.jpg) when saved.
func (s *Pages) trackPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "没有这张照片 / no such photo")
	}
	var ph archive.Photo
	err = s.WithAccessCode(r, r.PathValue("number"), func() (err error) {
		ph, err = s.Items.PhotoForCitizen(r.Context(), r.PathValue("number"), accessFrom(r), id)
		return err
	})
	if err != nil {
		return err
	}
	core.WriteCitizenPhoto(w, ph)
	return nil
}
