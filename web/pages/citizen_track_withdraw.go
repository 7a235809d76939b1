package pages

import (
	"net/http"
	"strconv"

	"minyi"
	"minyi/archive"
	"minyi/web/core"
)

// withdrawData is the page that asks the citizen to confirm a withdrawal.
type withdrawData struct {
	Item    archive.CitizenItem
	Reason  string
	Summary []summaryEntry
}

// trackWithdrawPage asks the citizen to confirm that they withdraw their
// item, with an optional reason: the confirmation step, a page of its own
// so that it needs no script. An item that can no longer be withdrawn
// leads back to the tracking page.
func (s *Pages) trackWithdrawPage(w http.ResponseWriter, r *http.Request) error {
	s.showWithdraw(w, r, http.StatusOK, "", nil)
	return nil
}

func (s *Pages) showWithdraw(w http.ResponseWriter, r *http.Request, status int, reason string, err error) {
	view, ok := s.citizenView(w, r)
	if !ok {
		return
	}
	if !view.Item.CanWithdraw {
		http.Redirect(w, r, "/track/"+view.Item.Number, http.StatusSeeOther)
		return
	}
	v := s.NewView(w, r, "", nil)
	v.Title = v.T("track.withdraw_title", view.Item.Number)
	v.Errors = core.FormErrors(s.Catalog, v.Lang, err)
	v.Data = withdrawData{Item: view.Item, Reason: reason,
		Summary: linkedErrors(v.Errors, []fieldRef{{Field: "body", ID: "withdraw-reason"}})}
	s.Render(w, r, status, "track_withdraw", v)
}

// trackWithdraw withdraws the citizen's item. Sent twice (a second tap,
// a reload that sends the form again) it changes nothing and leads to
// the tracking page as the first did, never to an error page.
func (s *Pages) trackWithdraw(w http.ResponseWriter, r *http.Request) error {
	number, code := r.PathValue("number"), accessFrom(r)
	if code == "" {
		http.Redirect(w, r, "/track?number="+core.URLEscape(number), http.StatusSeeOther)
		return nil
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	reason := r.PostFormValue("reason")
	var after archive.CitizenItem
	err := s.WithAccessCode(r, number, func() (err error) {
		after, err = s.Items.ActAsCitizen(r.Context(), number, code,
			archive.Command{Action: archive.ActWithdraw, Version: version, Body: reason})
		if minyi.ErrorCode(err) == minyi.EConflict {
			// The item changed since the confirmation was shown: if the
			// change was this very withdrawal, sent twice, say so again.
			if view, verr := s.Items.GetForCitizen(r.Context(), number, code); verr == nil && view.Item.Status == archive.StatusWithdrawn {
				after, err = view.Item, nil
			}
		}
		return err
	})
	lang := core.PreferredLang(r)
	switch minyi.ErrorCode(err) {
	case "":
		if after.Status == archive.StatusWithdrawn {
			core.SetFlash(w, s.Catalog.T(lang, "track.withdrawn"))
		}
		http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
	case minyi.EInvalid:
		s.showWithdraw(w, r, core.Status(w, err), reason, err)
	case minyi.EIllegal, minyi.EConflict:
		core.SetFlash(w, core.LocalMessage(lang, minyi.ErrorMessage(err)))
		http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
	default:
		return err
	}
	return nil
}
