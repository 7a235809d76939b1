package pages

import (
	"minyi/locale"
	"minyi/web/core"
	"net/http"
	"time"
)

// setPreference handles the language switch and the elder-friendly toggle.
// They are plain links so that they work without JavaScript; they change
// only how pages look, so a forged link can do no harm.
func (s *Pages) setPreference(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	year := int((365 * 24 * time.Hour).Seconds())
	if l, ok := locale.Parse(q.Get("lang")); ok {
		http.SetCookie(w, &http.Cookie{Name: core.LangCookie, Value: string(l), Path: "/", MaxAge: year, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	}
	switch q.Get("large") {
	case "1":
		http.SetCookie(w, &http.Cookie{Name: core.LargeCookie, Value: "1", Path: "/", MaxAge: year, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	case "0":
		http.SetCookie(w, &http.Cookie{Name: core.LargeCookie, Value: "", Path: "/", MaxAge: -1})
	}
	http.Redirect(w, r, core.LocalPath(q.Get("back"), "/"), http.StatusSeeOther)
	return nil
}
