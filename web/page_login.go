package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math"
	"net/http"
	"strings"

	"minyi"
	"minyi/locale"
	"minyi/org"
)

// Session keys: the logged-in user's name, and a fingerprint of the
// password hash the session was opened with, so that changing or resetting
// a password ends every other session of that account.
const (
	sessionKeyUser       = "user"
	sessionKeyCredential = "credential"
)

// credentialFingerprint identifies a password hash without revealing it.
func credentialFingerprint(passwordHash string) string {
	sum := sha256.Sum256([]byte(passwordHash))
	return hex.EncodeToString(sum[:8])
}

// startSession binds the (already renewed) session to u.
func (s *Server) startSession(ctx context.Context, u org.User) {
	s.sessions.Put(ctx, sessionKeyUser, u.Name)
	s.sessions.Put(ctx, sessionKeyCredential, credentialFingerprint(u.PasswordHash))
}

type loginData struct{ Name, Next string }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := userFrom(r.Context()); ok {
		http.Redirect(w, r, "/staff", http.StatusSeeOther)
		return nil
	}
	s.showLogin(w, r, http.StatusOK, loginData{Next: r.URL.Query().Get("next")}, "")
	return nil
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, d loginData, msg string) {
	v := s.newView(w, r, "", d)
	v.Title = v.T("login.title")
	if msg != "" {
		v.Errors = map[string]string{"form": msg}
	}
	s.render(w, r, status, "login", v)
}

// login checks a name and password (org.Service.Login: every failure, for
// existing accounts or not, counts toward the lockout, and all failures
// read the same).
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := loginData{Name: strings.ToLower(strings.TrimSpace(r.PostFormValue("name"))), Next: r.PostFormValue("next")}
	lang := preferredLang(r)
	l, err := s.org.Login(ctx, s.loginClient(r), d.Name, r.PostFormValue("password"))
	switch {
	case minyi.ErrorCode(err) == minyi.ETooMany:
		s.showLogin(w, r, status(w, err), d, s.lockedMessage(lang, err))
		return nil
	case err == org.ErrLoginFailed:
		s.log.WarnContext(ctx, "login failed", "name", d.Name, "remote", remoteHost(r), "recent_failures", l.Failures)
		s.showLogin(w, r, http.StatusUnauthorized, d, s.catalog.T(lang, "login.failed"))
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
	if err := s.sessions.RenewToken(ctx); err != nil {
		return minyi.Internal(err)
	}
	s.startSession(ctx, u)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: "", Path: "/", MaxAge: -1})
	s.log.InfoContext(ctx, "login", "name", u.Name, "remote", remoteHost(r))
	http.Redirect(w, r, localPath(d.Next, "/staff"), http.StatusSeeOther)
	return nil
}

// loginClient is where a login attempt comes from, as org counts its
// failures: the client's address (limitSubject) and the per-address limit.
func (s *Server) loginClient(r *http.Request) org.Client {
	return org.Client{Address: limitSubject(r), PerAddress: s.config.Limits.LoginFailures}
}

// lockedMessage tells the reader how many minutes a refused login waits.
func (s *Server) lockedMessage(lang locale.Lang, err error) string {
	return s.catalog.T(lang, "login.locked", int(math.Ceil(minyi.RetryAfter(err).Minutes())))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return minyi.Internal(err)
	}
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: "", Path: "/", MaxAge: -1})
	setFlash(w, s.catalog.T(preferredLang(r), "login.logged_out"))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// sessionUser puts the logged-in member of staff into the request context.
// An account disabled since login loses its session at the next request.
func (s *Server) sessionUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		name := s.sessions.GetString(ctx, sessionKeyUser)
		if name == "" {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.org.Account(ctx, name)
		if err == nil && s.sessions.GetString(ctx, sessionKeyCredential) != credentialFingerprint(u.PasswordHash) {
			u.Disabled = true // the password changed since this session began
		}
		if err != nil || u.Disabled {
			if err != nil && minyi.ErrorCode(err) != minyi.ENotFound {
				s.pageError(w, r, err)
				return
			}
			s.sessions.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey, u)))
	})
}

// requireLogin sends anonymous visitors of staff pages to the login page,
// and administrators without a second factor to set one up when the
// configuration requires it (RequireAdminTOTP).
func (s *Server) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := userFrom(r.Context())
		if !ok {
			http.Redirect(w, r, "/login?next="+urlEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if s.mustEnrolTOTP(r, u) {
			setFlash(w, s.catalog.T(preferredLang(r), "account.totp_required"))
			http.Redirect(w, r, "/staff/account", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// securePage sets the headers every page carries: no framing (clickjacking),
// scripts only from our own origin (so injected markup cannot run), and no
// leaking of page addresses to other sites.
func (s *Server) securePage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// static serves the embedded stylesheet, script and icons.
func (s *Server) static() http.HandlerFunc {
	sub, _ := fs.Sub(assets, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	}
}
