package pages

import (
	"math"
	"net/http"
	"strings"

	"minyi"
	"minyi/locale"
	"minyi/org"
	"minyi/web/core"
)

type loginData struct{ Name, Next string }

func (s *Pages) loginPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := core.UserFrom(r.Context()); ok {
		http.Redirect(w, r, "/staff", http.StatusSeeOther)
		return nil
	}
	s.showLogin(w, r, http.StatusOK, loginData{Next: r.URL.Query().Get("next")}, "")
	return nil
}

func (s *Pages) showLogin(w http.ResponseWriter, r *http.Request, status int, d loginData, msg string) {
	v := s.NewView(w, r, "", d)
	v.Title = v.T("login.title")
	if msg != "" {
		v.Errors = map[string]string{"form": msg}
	}
	s.Render(w, r, status, "login", v)
}

// login checks a name and password (org.Service.Login: every failure, for
// existing accounts or not, counts toward the lockout, and all failures
// read the same).
func (s *Pages) login(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := loginData{Name: strings.ToLower(strings.TrimSpace(r.PostFormValue("name"))), Next: r.PostFormValue("next")}
	lang := core.PreferredLang(r)
	l, err := s.Org.Login(ctx, s.loginClient(r), d.Name, r.PostFormValue("password"))
	switch {
	case minyi.ErrorCode(err) == minyi.ETooMany:
		s.showLogin(w, r, core.Status(w, err), d, s.lockedMessage(lang, err))
		return nil
	case err == org.ErrLoginFailed:
		s.Log.WarnContext(ctx, "login failed", "name", d.Name, "remote", core.RemoteHost(r), "recent_failures", l.Failures)
		s.showLogin(w, r, http.StatusUnauthorized, d, s.Catalog.T(lang, "login.failed"))
		return nil
	case err != nil:
		return err
	}
	u := l.User
	// With a second factor the password only earns the code page.
	if l.NeedsCode {
		return s.beginTOTPLogin(w, r, u, d.Next)
	}
	// A new session token, and a new anti-forgery token, at every change of
	// privilege: whatever was planted before login is worthless after it.
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	s.StartSession(ctx, u)
	http.SetCookie(w, &http.Cookie{Name: core.CSRFCookie, Value: "", Path: "/", MaxAge: -1})
	s.Log.InfoContext(ctx, "login", "name", u.Name, "remote", core.RemoteHost(r))
	http.Redirect(w, r, core.LocalPath(d.Next, "/staff"), http.StatusSeeOther)
	return nil
}

// loginClient is where a login attempt comes from, as org counts its
// failures: the client's address (core.LimitSubject) and the per-address limit.
func (s *Pages) loginClient(r *http.Request) org.Client {
	return org.Client{Address: core.LimitSubject(r), PerAddress: s.Config.Limits.LoginFailures}
}

// lockedMessage tells the reader how many minutes a refused login waits.
func (s *Pages) lockedMessage(lang locale.Lang, err error) string {
	return s.Catalog.T(lang, "login.locked", int(math.Ceil(minyi.RetryAfter(err).Minutes())))
}

func (s *Pages) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.Sessions.Destroy(r.Context()); err != nil {
		return minyi.Internal(err)
	}
	http.SetCookie(w, &http.Cookie{Name: core.CSRFCookie, Value: "", Path: "/", MaxAge: -1})
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "login.logged_out"))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
