package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
)

// accessCookie remembers a citizen's access code for one item, scoped to
// that item's tracking pages, so that the code need not travel in URLs.
const accessCookie = "minyi_access"

func (s *Server) rememberAccess(w http.ResponseWriter, r *http.Request, number, code string) {
	http.SetCookie(w, &http.Cookie{Name: accessCookie, Value: code, Path: "/track/" + number,
		MaxAge: int((180 * 24 * time.Hour).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// secure reports whether cookies must be marked Secure: when configured
// (behind a TLS-terminating proxy the request itself looks plain) or when
// the request came over TLS.
func (s *Server) secure(r *http.Request) bool { return s.config.SecureCookies || r.TLS != nil }

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
func (s *Server) showReceiptLater(w http.ResponseWriter, r *http.Request, number string, smsWithheld bool) {
	value := "1"
	if smsWithheld {
		value = receiptSMSWithheld
	}
	http.SetCookie(w, &http.Cookie{Name: receiptCookie, Value: value, Path: receiptPath(number),
		MaxAge: int(receiptTTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
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
func (s *Server) receiptPage(w http.ResponseWriter, r *http.Request) error {
	number, code := r.PathValue("number"), accessFrom(r)
	marker, err := r.Cookie(receiptCookie)
	if err != nil || code == "" {
		http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
		return nil
	}
	// The code comes from a cookie, which anyone can set: this door is held
	// to the code-guess limits as every other one is.
	var view archive.CitizenView
	err = s.withAccessCode(r, number, func() (err error) {
		view, err = s.items.GetForCitizen(r.Context(), number, code)
		return err
	})
	if minyi.ErrorCode(err) == minyi.ETooMany {
		return err
	} else if err != nil {
		http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
		return nil
	}
	withheld := marker.Value == receiptSMSWithheld
	v := s.newView(w, r, "", writtenData{Number: number, AccessCode: code, DueAt: view.Item.DueAt,
		Phone: view.Item.Contact.Phone != "" && !withheld, SMSWithheld: withheld})
	v.Title = v.T("written.title")
	s.render(w, r, http.StatusOK, "written", s.withEmergency(r, v))
	return nil
}

type trackForm struct{ Number, Code string }

// trackFormPage asks for the tracking number and access code.
func (s *Server) trackFormPage(w http.ResponseWriter, r *http.Request) error {
	s.showTrackForm(w, r, http.StatusOK, trackForm{Number: r.URL.Query().Get("number")}, nil)
	return nil
}

func (s *Server) showTrackForm(w http.ResponseWriter, r *http.Request, status int, f trackForm, err error) {
	v := s.newView(w, r, "", f)
	v.Title = v.T("track.title")
	if err != nil {
		v.Errors = map[string]string{"code": localMessage(v.Lang, minyi.ErrorMessage(err))}
	}
	s.render(w, r, status, "track_form", v)
}

// trackLookup checks a number and code typed into the form.
func (s *Server) trackLookup(w http.ResponseWriter, r *http.Request) error {
	f := trackForm{
		Number: strings.TrimSpace(r.PostFormValue("number")),
		Code:   strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("code")), " ", "")),
	}
	err := s.withAccessCode(r, f.Number, func() error {
		_, err := s.items.GetForCitizen(r.Context(), f.Number, f.Code)
		return err
	})
	if err != nil {
		s.showTrackForm(w, r, status(w, err), f, err)
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
func (s *Server) trackPage(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	if code := r.URL.Query().Get("code"); code != "" {
		err := s.withAccessCode(r, number, func() error {
			_, err := s.items.GetForCitizen(r.Context(), number, strings.ToUpper(code))
			return err
		})
		if err != nil {
			s.showTrackForm(w, r, status(w, err), trackForm{Number: number}, err)
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
	err := s.withAccessCode(r, number, func() (err error) {
		view, err = s.items.GetForCitizen(r.Context(), number, code)
		return err
	})
	if err != nil {
		s.showTrackForm(w, r, status(w, err), trackForm{Number: number}, err)
		return nil
	}
	data := trackData{Item: view.Item, Events: view.Events, Overdue: view.Item.Overdue(time.Now())}
	if view.Item.UnitCode != "" {
		if u, err := s.org.Unit(r.Context(), view.Item.UnitCode); err == nil {
			data.UnitName = u.Name
		}
	}
	v := s.newView(w, r, "", data)
	v.Title = v.T("track.item_title", number)
	s.render(w, r, http.StatusOK, "track", v)
	return nil
}

// trackRate records the citizen's verdict on the answer; "unsatisfied"
// sends the item back for redo (重辦) with the reason given.
func (s *Server) trackRate(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	code := accessFrom(r)
	if code == "" {
		http.Redirect(w, r, "/track?number="+urlEscape(number), http.StatusSeeOther)
		return nil
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	cmd := archive.Command{Action: archive.ActRate, Version: version,
		Satisfaction: archive.Satisfaction(r.PostFormValue("satisfaction")),
		Body:         r.PostFormValue("reason")}
	err := s.withAccessCode(r, number, func() error {
		_, err := s.items.ActAsCitizen(r.Context(), number, code, cmd)
		return err
	})
	if err != nil {
		switch minyi.ErrorCode(err) {
		case minyi.EInvalid, minyi.EIllegal, minyi.EConflict:
			lang := preferredLang(r)
			setFlash(w, localMessage(lang, minyi.ErrorMessage(err)))
			http.Redirect(w, r, "/track/"+number+"#rate", http.StatusSeeOther)
			return nil
		}
		return err
	}
	msg := "track.rated"
	if cmd.Satisfaction == archive.Unsatisfied {
		msg = "track.rated_redo"
	}
	setFlash(w, s.catalog.T(preferredLang(r), msg))
	http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
	return nil
}

// trackPhoto serves a photo of the citizen's own item.
func (s *Server) trackPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "没有这张照片 / no such photo")
	}
	var ph archive.Photo
	err = s.withAccessCode(r, r.PathValue("number"), func() (err error) {
		ph, err = s.items.PhotoForCitizen(r.Context(), r.PathValue("number"), accessFrom(r), id)
		return err
	})
	if err != nil {
		return err
	}
	writePhoto(w, ph)
	return nil
}
