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
	Item     archive.CitizenItem
	Events   []archive.CitizenEvent
	UnitName string
	Overdue  bool
}

// trackPage shows the citizen's own item: its timeline in plain words, the
// public replies, the due date and, once answered, the rating form. A link
// with ?code= (as sent by SMS) is remembered and then dropped from the URL.
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
	code := accessFrom(r)
	if code == "" {
		s.showTrackForm(w, r, http.StatusOK, trackForm{Number: number}, nil)
		return nil
	}
	var view archive.CitizenView
	err := s.WithAccessCode(r, number, func() (err error) {
		view, err = s.Items.GetForCitizen(r.Context(), number, code)
		return err
	})
	if err != nil {
		s.showTrackForm(w, r, core.Status(w, err), trackForm{Number: number}, err)
		return nil
	}
	data := trackData{Item: view.Item, Events: view.Events, Overdue: view.Item.Overdue(time.Now())}
	if view.Item.UnitCode != "" {
		if u, err := s.Org.Unit(r.Context(), view.Item.UnitCode); err == nil {
			data.UnitName = u.Name
		}
	}
	v := s.NewView(w, r, "", data)
	v.Title = v.T("track.item_title", number)
	s.Render(w, r, http.StatusOK, "track", v)
	return nil
}

// trackRate records the citizen's verdict on the answer; "unsatisfied"
// sends the item back for redo (重辦) with the reason given.
func (s *Pages) trackRate(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	code := accessFrom(r)
	if code == "" {
		http.Redirect(w, r, "/track?number="+core.URLEscape(number), http.StatusSeeOther)
		return nil
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	cmd := archive.Command{Action: archive.ActRate, Version: version,
		Satisfaction: archive.Satisfaction(r.PostFormValue("satisfaction")),
		Body:         r.PostFormValue("reason")}
	err := s.WithAccessCode(r, number, func() error {
		_, err := s.Items.ActAsCitizen(r.Context(), number, code, cmd)
		return err
	})
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
	if cmd.Satisfaction == archive.Unsatisfied {
		msg = "track.rated_redo"
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), msg))
	http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
	return nil
}

// trackPhoto serves a photo of the citizen's own item.
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
	core.WritePhoto(w, ph)
	return nil
}
