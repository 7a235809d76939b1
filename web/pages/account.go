package pages

import (
	"context"
	"net/http"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"minyi"
	"minyi/org"
	"minyi/web/core"
)

// The staff account page: a member of staff changes their own password and
// sets up or removes a second login factor (TOTP, 动态验证码), which login
// then asks for after the password.

// Session keys of a login waiting for its code, and of a second factor
// being set up. The secret being set up waits in the session rather than
// the users table, so that an unconfirmed secret never guards an account.
const (
	sessionKeyPendingUser = "totp_pending_user"
	sessionKeyPendingAt   = "totp_pending_at" // Unix seconds
	sessionKeyPendingNext = "totp_pending_next"
	sessionKeyEnrolSecret = "totp_enrol_secret"
	sessionKeyEnrolURL    = "totp_enrol_url"
)

// pendingLoginTTL is how long the code page waits after the password.
const pendingLoginTTL = 5 * time.Minute

// beginTOTPLogin is called once the password of u, who has a second
// factor, was right: it sets the login pending and sends the reader to the
// code page.
func (s *Pages) beginTOTPLogin(w http.ResponseWriter, r *http.Request, u org.User, next string) error {
	ctx := r.Context()
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	s.Sessions.Remove(ctx, core.SessionKeyUser)
	s.Sessions.Put(ctx, sessionKeyPendingUser, u.Name)
	s.Sessions.Put(ctx, sessionKeyPendingAt, time.Now().Unix())
	s.Sessions.Put(ctx, sessionKeyPendingNext, next)
	http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
	return nil
}

// pendingLogin returns the user name of a login waiting for its code, if it
// is recent enough.
func (s *Pages) pendingLogin(r *http.Request) (string, bool) {
	ctx := r.Context()
	name := s.Sessions.GetString(ctx, sessionKeyPendingUser)
	at := time.Unix(s.Sessions.GetInt64(ctx, sessionKeyPendingAt), 0)
	return name, name != "" && time.Since(at) < pendingLoginTTL
}

func (s *Pages) dropPendingLogin(r *http.Request) {
	for _, k := range []string{sessionKeyPendingUser, sessionKeyPendingAt, sessionKeyPendingNext} {
		s.Sessions.Remove(r.Context(), k)
	}
}

// restartLogin sends the reader back to the password when the pending
// login is gone or stale.
func (s *Pages) restartLogin(w http.ResponseWriter, r *http.Request) {
	s.dropPendingLogin(r)
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "login.totp_expired"))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Pages) loginTOTPPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.pendingLogin(r); !ok {
		s.restartLogin(w, r)
		return nil
	}
	s.showLoginTOTP(w, r, http.StatusOK, "")
	return nil
}

func (s *Pages) showLoginTOTP(w http.ResponseWriter, r *http.Request, status int, msg string) {
	v := s.NewView(w, r, "", nil)
	v.Title = v.T("login.totp_title")
	if msg != "" {
		v.Errors = map[string]string{"code": msg}
	}
	s.Render(w, r, status, "login_totp", v)
}

// loginTOTP checks the code of a pending login and, if right, completes it.
// Wrong codes count toward the same lockout as wrong passwords.
func (s *Pages) loginTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name, ok := s.pendingLogin(r)
	if !ok {
		s.restartLogin(w, r)
		return nil
	}
	lang := core.PreferredLang(r)
	l, err := s.Org.LoginCode(ctx, s.loginClient(r), name, r.PostFormValue("code"))
	switch {
	case minyi.ErrorCode(err) == minyi.ETooMany:
		s.dropPendingLogin(r)
		s.showLogin(w, r, core.Status(w, err), loginData{Name: name}, s.lockedMessage(lang, err))
		return nil
	case err == org.ErrLoginGone:
		s.restartLogin(w, r)
		return nil
	case err == org.ErrCodeFailed:
		s.Log.WarnContext(ctx, "login code wrong", "name", name, "remote", core.RemoteHost(r), "recent_failures", l.Failures)
		s.showLoginTOTP(w, r, http.StatusUnauthorized, s.Catalog.T(lang, "login.totp_failed"))
		return nil
	case err != nil:
		return err
	}
	u := l.User
	next := s.Sessions.GetString(ctx, sessionKeyPendingNext)
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	s.dropPendingLogin(r)
	s.StartSession(ctx, u)
	http.SetCookie(w, &http.Cookie{Name: core.CSRFCookie, Value: "", Path: "/", MaxAge: -1})
	s.Log.InfoContext(ctx, "login", "name", u.Name, "remote", core.RemoteHost(r), "second_factor", true)
	http.Redirect(w, r, core.LocalPath(next, "/staff"), http.StatusSeeOther)
	return nil
}

// mustEnrolTOTP reports whether u may use no staff page but their account
// page until they set up a second factor: administrators, when the
// configuration requires it. A failed look-up counts as "must", so that a
// database hiccup does not open the admin pages without the factor.
func (s *Pages) mustEnrolTOTP(r *http.Request, u org.User) bool {
	if !s.Config.RequireAdminTOTP || !u.CanManage() {
		return false
	}
	if r.URL.Path == "/staff/account" || strings.HasPrefix(r.URL.Path, "/staff/account/") {
		return false
	}
	has, err := s.Org.HasTOTP(r.Context(), u, u)
	return err != nil || !has
}

type accountData struct {
	TOTP     bool         // a second factor is set up
	Enrol    *org.TOTPKey // a second factor being set up, until confirmed
	Secret   string       // Enrol's secret in groups of four, for typing
	Required bool         // this user may not go without a second factor
	MinChars int
	tokenList
	Record *memberRecord // the user's record of the year (members.go)
}

func (s *Pages) accountPage(w http.ResponseWriter, r *http.Request) error {
	s.showAccount(w, r, http.StatusOK, nil, "")
	return nil
}

// showAccount renders the account page; err, if any, is shown at the form
// fields it names; newToken, if any, is an API token just made.
func (s *Pages) showAccount(w http.ResponseWriter, r *http.Request, status int, err error, newToken string) {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	hasTOTP, lerr := s.Org.HasTOTP(ctx, u, u)
	if lerr != nil {
		s.PageError(w, r, lerr)
		return
	}
	d := accountData{TOTP: hasTOTP, Required: s.Config.RequireAdminTOTP && u.CanManage(), MinChars: org.MinPasswordRunes}
	if d.tokenList, lerr = s.tokensOf(r, u, u, "/staff/account/tokens/"); lerr != nil {
		s.PageError(w, r, lerr)
		return
	}
	d.NewToken = newToken
	if u.IsStaff() {
		rec, rerr := s.memberRecord(ctx, u, u.Name)
		if rerr != nil {
			s.PageError(w, r, rerr)
			return
		}
		d.Record = &rec
	}
	// A set-up the server can no longer open (its key changed) is shown
	// as none: the user starts again.
	if es, _ := s.enrolment(ctx, u, sessionKeyEnrolSecret); es != "" {
		link, _ := s.enrolment(ctx, u, sessionKeyEnrolURL)
		d.Enrol = &org.TOTPKey{Secret: es, URL: link}
		d.Secret = groupsOf4(es)
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("account.title")
	v.Path = "/staff/account" // the language switch comes back here, not to a form target or a page shown once
	if err != nil {
		v.Errors = core.FieldErrors(s.Catalog, v.Lang, err)
		if v.Errors == nil {
			s.PageError(w, r, err)
			return
		}
	}
	s.Render(w, r, status, "account", v)
}

func groupsOf4(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// changePassword sets the user's own new password. A wrong current
// password counts toward the login lockout (org.Service.ChangePassword).
func (s *Pages) changePassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	changed, err := s.Org.ChangePassword(ctx, s.loginClient(r), u, r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm"))
	switch code := minyi.ErrorCode(err); {
	case code == minyi.ETooMany:
		msg := s.lockedMessage(core.PreferredLang(r), err)
		s.showAccount(w, r, core.Status(w, err), &minyi.Error{Code: minyi.EInvalid, Fields: []minyi.FieldError{{Field: "current", Zh: msg, En: msg}}}, "")
		return nil
	case code == minyi.EInvalid:
		s.showAccount(w, r, core.StatusOf(code), err, "")
		return nil
	case err != nil:
		return err
	}
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	// This session carries on under the new password; every other session
	// of the account ends at its next request.
	s.StartSession(ctx, changed)
	s.Log.InfoContext(ctx, "password changed", "name", u.Name, "remote", core.RemoteHost(r))
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "account.password_changed"))
	http.Redirect(w, r, "/staff/account", http.StatusSeeOther)
	return nil
}

// startTOTP makes a new secret and shows it until the user confirms it with
// a code; the second factor in force, if any, stays until then.
func (s *Pages) startTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	// Without the server's secret key the secret could not be stored,
	// which the account page says at the field it names.
	secret, link, err := s.Org.StartTOTP(u, s.Config.AgencyName)
	if err != nil {
		s.showAccount(w, r, core.StatusOf(minyi.ErrorCode(err)), err, "")
		return nil
	}
	s.Sessions.Put(ctx, sessionKeyEnrolSecret, secret)
	s.Sessions.Put(ctx, sessionKeyEnrolURL, link)
	http.Redirect(w, r, "/staff/account#totp", http.StatusSeeOther)
	return nil
}

// confirmTOTP puts the new secret in force once a code from it is right,
// which proves the authenticator app holds it.
func (s *Pages) confirmTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	lang := core.PreferredLang(r)
	secret, err := s.enrolment(ctx, u, sessionKeyEnrolSecret)
	if err != nil || secret == "" {
		// A secret sealed with a key the server no longer has is as good
		// as none: the user starts again.
		core.SetFlash(w, s.Catalog.T(lang, "account.totp_start_again"))
		http.Redirect(w, r, "/staff/account#totp", http.StatusSeeOther)
		return nil
	}
	if err := s.Org.ConfirmTOTP(ctx, u, secret, r.PostFormValue("code")); minyi.ErrorCode(err) == minyi.EInvalid {
		s.showAccount(w, r, http.StatusBadRequest, err, "")
		return nil
	} else if err != nil {
		return err
	}
	s.Sessions.Remove(ctx, sessionKeyEnrolSecret)
	s.Sessions.Remove(ctx, sessionKeyEnrolURL)
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	s.Log.InfoContext(ctx, "second factor set up", "name", u.Name, "remote", core.RemoteHost(r))
	core.SetFlash(w, s.Catalog.T(lang, "account.totp_enabled"))
	http.Redirect(w, r, "/staff/account", http.StatusSeeOther)
	return nil
}

// disableTOTP removes the user's second factor, on a right code: whoever
// borrows an unlocked screen must not be able to switch it off.
func (s *Pages) disableTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if s.Config.RequireAdminTOTP && u.CanManage() {
		s.showAccount(w, r, http.StatusForbidden, &minyi.Error{Code: minyi.EForbidden, Fields: []minyi.FieldError{{Field: "disable_code",
			Zh: "管理员必须使用动态验证码，不能关闭", En: "administrators must keep a second factor"}}}, "")
		return nil
	}
	if err := s.Org.DisableTOTP(ctx, u, r.PostFormValue("code")); minyi.ErrorCode(err) == minyi.EInvalid {
		s.showAccount(w, r, http.StatusBadRequest, err, "")
		return nil
	} else if err != nil {
		return err
	}
	s.Log.InfoContext(ctx, "second factor removed", "name", u.Name, "remote", core.RemoteHost(r))
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "account.totp_disabled"))
	http.Redirect(w, r, "/staff/account", http.StatusSeeOther)
	return nil
}

// enrolment opens the sealed value of a second factor being set up that
// the session keeps under key, or "" when there is none.
func (s *Pages) enrolment(ctx context.Context, u org.User, key string) (string, error) {
	sealed := s.Sessions.GetString(ctx, key)
	if sealed == "" {
		return "", nil
	}
	return s.Org.OpenEnrolment(u, sealed)
}

// totpQR draws the secret being set up as a QR code for authenticator apps.
func (s *Pages) totpQR(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	link, err := s.enrolment(r.Context(), u, sessionKeyEnrolURL)
	if err != nil || link == "" {
		return minyi.Errorf(minyi.ENotFound, "没有正在设置的动态验证码 / no second factor being set up")
	}
	code, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return minyi.Internal(err)
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(qrSVG(code.Bitmap()))
	return nil
}
