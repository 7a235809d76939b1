package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"minyi"
	"minyi/org"
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
func (s *Server) beginTOTPLogin(w http.ResponseWriter, r *http.Request, u org.User, next string) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	s.sessions.Remove(ctx, sessionKeyUser)
	s.sessions.Put(ctx, sessionKeyPendingUser, u.Name)
	s.sessions.Put(ctx, sessionKeyPendingAt, time.Now().Unix())
	s.sessions.Put(ctx, sessionKeyPendingNext, next)
	http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
	return nil
}

// pendingLogin returns the user name of a login waiting for its code, if it
// is recent enough.
func (s *Server) pendingLogin(r *http.Request) (string, bool) {
	ctx := r.Context()
	name := s.sessions.GetString(ctx, sessionKeyPendingUser)
	at := time.Unix(s.sessions.GetInt64(ctx, sessionKeyPendingAt), 0)
	return name, name != "" && time.Since(at) < pendingLoginTTL
}

func (s *Server) dropPendingLogin(r *http.Request) {
	for _, k := range []string{sessionKeyPendingUser, sessionKeyPendingAt, sessionKeyPendingNext} {
		s.sessions.Remove(r.Context(), k)
	}
}

// restartLogin sends the reader back to the password when the pending
// login is gone or stale.
func (s *Server) restartLogin(w http.ResponseWriter, r *http.Request) {
	s.dropPendingLogin(r)
	setFlash(w, s.catalog.T(preferredLang(r), "login.totp_expired"))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) loginTOTPPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.pendingLogin(r); !ok {
		s.restartLogin(w, r)
		return nil
	}
	s.showLoginTOTP(w, r, http.StatusOK, "")
	return nil
}

func (s *Server) showLoginTOTP(w http.ResponseWriter, r *http.Request, status int, msg string) {
	v := s.newView(w, r, "", nil)
	v.Title = v.T("login.totp_title")
	if msg != "" {
		v.Errors = map[string]string{"code": msg}
	}
	s.render(w, r, status, "login_totp", v)
}

// loginTOTP checks the code of a pending login and, if right, completes it.
// Wrong codes count toward the same lockout as wrong passwords.
func (s *Server) loginTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name, ok := s.pendingLogin(r)
	if !ok {
		s.restartLogin(w, r)
		return nil
	}
	lang := preferredLang(r)
	l, err := s.org.LoginCode(ctx, s.loginClient(r), name, r.PostFormValue("code"))
	switch {
	case minyi.ErrorCode(err) == minyi.ETooMany:
		s.dropPendingLogin(r)
		s.showLogin(w, r, status(w, err), loginData{Name: name}, s.lockedMessage(lang, err))
		return nil
	case err == org.ErrLoginGone:
		s.restartLogin(w, r)
		return nil
	case err == org.ErrCodeFailed:
		s.log.WarnContext(ctx, "login code wrong", "name", name, "remote", remoteHost(r), "recent_failures", l.Failures)
		s.showLoginTOTP(w, r, http.StatusUnauthorized, s.catalog.T(lang, "login.totp_failed"))
		return nil
	case err != nil:
		return err
	}
	u := l.User
	next := s.sessions.GetString(ctx, sessionKeyPendingNext)
	if err := s.sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	s.dropPendingLogin(r)
	s.startSession(ctx, u)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: "", Path: "/", MaxAge: -1})
	s.log.InfoContext(ctx, "login", "name", u.Name, "remote", remoteHost(r), "second_factor", true)
	http.Redirect(w, r, localPath(next, "/staff"), http.StatusSeeOther)
	return nil
}

// mustEnrolTOTP reports whether u may use no staff page but their account
// page until they set up a second factor: administrators, when the
// configuration requires it. A failed look-up counts as "must", so that a
// database hiccup does not open the admin pages without the factor.
func (s *Server) mustEnrolTOTP(r *http.Request, u org.User) bool {
	if !s.config.RequireAdminTOTP || !u.CanManage() {
		return false
	}
	if r.URL.Path == "/staff/account" || strings.HasPrefix(r.URL.Path, "/staff/account/") {
		return false
	}
	has, err := s.org.HasTOTP(r.Context(), u, u)
	return err != nil || !has
}

type accountData struct {
	TOTP     bool         // a second factor is set up
	Enrol    *org.TOTPKey // a second factor being set up, until confirmed
	Secret   string       // Enrol's secret in groups of four, for typing
	Required bool         // this user may not go without a second factor
	MinChars int
	tokenList
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	s.showAccount(w, r, http.StatusOK, nil, "")
	return nil
}

// showAccount renders the account page; err, if any, is shown at the form
// fields it names; newToken, if any, is an API token just made.
func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, err error, newToken string) {
	ctx := r.Context()
	u, _ := userFrom(ctx)
	hasTOTP, lerr := s.org.HasTOTP(ctx, u, u)
	if lerr != nil {
		s.pageError(w, r, lerr)
		return
	}
	d := accountData{TOTP: hasTOTP, Required: s.config.RequireAdminTOTP && u.CanManage(), MinChars: org.MinPasswordRunes}
	if d.tokenList, lerr = s.tokensOf(r, u, u, "/staff/account/tokens/"); lerr != nil {
		s.pageError(w, r, lerr)
		return
	}
	d.NewToken = newToken
	// A set-up the server can no longer open (its key changed) is shown
	// as none: the user starts again.
	if es, _ := s.enrolment(ctx, u, sessionKeyEnrolSecret); es != "" {
		link, _ := s.enrolment(ctx, u, sessionKeyEnrolURL)
		d.Enrol = &org.TOTPKey{Secret: es, URL: link}
		d.Secret = groupsOf4(es)
	}
	v := s.newView(w, r, "", d)
	v.Title = v.T("account.title")
	v.Path = "/staff/account" // the language switch comes back here, not to a form target or a page shown once
	if err != nil {
		v.Errors = fieldErrors(s.catalog, v.Lang, err)
		if v.Errors == nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "account", v)
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
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := userFrom(ctx)
	changed, err := s.org.ChangePassword(ctx, s.loginClient(r), u, r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm"))
	switch code := minyi.ErrorCode(err); {
	case code == minyi.ETooMany:
		msg := s.lockedMessage(preferredLang(r), err)
		s.showAccount(w, r, status(w, err), &minyi.Error{Code: minyi.EInvalid, Fields: []minyi.FieldError{{Field: "current", Zh: msg, En: msg}}}, "")
		return nil
	case code == minyi.EInvalid:
		s.showAccount(w, r, statusOf(code), err, "")
		return nil
	case err != nil:
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	// This session carries on under the new password; every other session
	// of the account ends at its next request.
	s.startSession(ctx, changed)
	s.log.InfoContext(ctx, "password changed", "name", u.Name, "remote", remoteHost(r))
	setFlash(w, s.catalog.T(preferredLang(r), "account.password_changed"))
	http.Redirect(w, r, "/staff/account", http.StatusSeeOther)
	return nil
}

// startTOTP makes a new secret and shows it until the user confirms it with
// a code; the second factor in force, if any, stays until then.
func (s *Server) startTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := userFrom(ctx)
	// Without the server's secret key the secret could not be stored,
	// which the account page says at the field it names.
	secret, link, err := s.org.StartTOTP(u, s.config.AgencyName)
	if err != nil {
		s.showAccount(w, r, statusOf(minyi.ErrorCode(err)), err, "")
		return nil
	}
	s.sessions.Put(ctx, sessionKeyEnrolSecret, secret)
	s.sessions.Put(ctx, sessionKeyEnrolURL, link)
	http.Redirect(w, r, "/staff/account#totp", http.StatusSeeOther)
	return nil
}

// confirmTOTP puts the new secret in force once a code from it is right,
// which proves the authenticator app holds it.
func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := userFrom(ctx)
	lang := preferredLang(r)
	secret, err := s.enrolment(ctx, u, sessionKeyEnrolSecret)
	if err != nil || secret == "" {
		// A secret sealed with a key the server no longer has is as good
		// as none: the user starts again.
		setFlash(w, s.catalog.T(lang, "account.totp_start_again"))
		http.Redirect(w, r, "/staff/account#totp", http.StatusSeeOther)
		return nil
	}
	if err := s.org.ConfirmTOTP(ctx, u, secret, r.PostFormValue("code")); minyi.ErrorCode(err) == minyi.EInvalid {
		s.showAccount(w, r, http.StatusBadRequest, err, "")
		return nil
	} else if err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessionKeyEnrolSecret)
	s.sessions.Remove(ctx, sessionKeyEnrolURL)
	if err := s.sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	s.log.InfoContext(ctx, "second factor set up", "name", u.Name, "remote", remoteHost(r))
	setFlash(w, s.catalog.T(lang, "account.totp_enabled"))
	http.Redirect(w, r, "/staff/account", http.StatusSeeOther)
	return nil
}

// disableTOTP removes the user's second factor, on a right code: whoever
// borrows an unlocked screen must not be able to switch it off.
func (s *Server) disableTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := userFrom(ctx)
	if s.config.RequireAdminTOTP && u.CanManage() {
		s.showAccount(w, r, http.StatusForbidden, &minyi.Error{Code: minyi.EForbidden, Fields: []minyi.FieldError{{Field: "disable_code",
			Zh: "管理员必须使用动态验证码，不能关闭", En: "administrators must keep a second factor"}}}, "")
		return nil
	}
	if err := s.org.DisableTOTP(ctx, u, r.PostFormValue("code")); minyi.ErrorCode(err) == minyi.EInvalid {
		s.showAccount(w, r, http.StatusBadRequest, err, "")
		return nil
	} else if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "second factor removed", "name", u.Name, "remote", remoteHost(r))
	setFlash(w, s.catalog.T(preferredLang(r), "account.totp_disabled"))
	http.Redirect(w, r, "/staff/account", http.StatusSeeOther)
	return nil
}

// enrolment opens the sealed value of a second factor being set up that
// the session keeps under key, or "" when there is none.
func (s *Server) enrolment(ctx context.Context, u org.User, key string) (string, error) {
	sealed := s.sessions.GetString(ctx, key)
	if sealed == "" {
		return "", nil
	}
	return s.org.OpenEnrolment(u, sealed)
}

// totpQR draws the secret being set up as a QR code for authenticator apps.
func (s *Server) totpQR(w http.ResponseWriter, r *http.Request) error {
	u, _ := userFrom(r.Context())
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
