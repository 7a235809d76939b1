package pages

import (
	"net/http"
	"strconv"

	"minyi"
	"minyi/archive"
	"minyi/web/core"
)

// trackAdd records what the citizen adds to their open item, text and
// optionally photos: an event on the item that its unit sees on the item
// desk. Each addition counts against the intake limit of the client's
// address, as writing in does, so that nobody floods an item or the
// store through a known code. A refused addition shows the page again
// with the text typed and why, and changes nothing.
func (s *Pages) trackAdd(w http.ResponseWriter, r *http.Request) error {
	number, code := r.PathValue("number"), accessFrom(r)
	if code == "" {
		http.Redirect(w, r, "/track?number="+core.URLEscape(number), http.StatusSeeOther)
		return nil
	}
	text := r.PostFormValue("body")
	photos, err := formPhotos(r.MultipartForm)
	if err != nil {
		s.showTrack(w, r, core.Status(w, err), text, err)
		return nil
	}
	if err := s.Limiter.Take(r.Context(), "intake", s.Config.Limits.Intake, core.LimitSubject(r)); err != nil {
		s.showTrack(w, r, core.Status(w, err), text, err)
		return nil
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	cmd := archive.Command{Action: archive.ActAddInfo, Version: version, Body: text, Photos: photos}
	err = s.WithAccessCode(r, number, func() error {
		_, err := s.Items.ActAsCitizen(r.Context(), number, code, cmd)
		return err
	})
	lang := core.PreferredLang(r)
	switch minyi.ErrorCode(err) {
	case "":
		core.SetFlash(w, s.Catalog.T(lang, "track.added"))
		http.Redirect(w, r, "/track/"+number+"#timeline", http.StatusSeeOther)
	case minyi.EInvalid, minyi.ETooMany, minyi.EConflict:
		// A conflict is staff's step since the page was read: the page
		// shows it, with the text kept to send again.
		s.showTrack(w, r, core.Status(w, err), text, err)
	case minyi.EIllegal:
		// Crossed off or withdrawn meanwhile: the page as it stands now
		// says what can be done.
		core.SetFlash(w, core.LocalMessage(lang, minyi.ErrorMessage(err)))
		http.Redirect(w, r, "/track/"+number, http.StatusSeeOther)
	default:
		return err
	}
	return nil
}
