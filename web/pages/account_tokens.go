package pages

import (
	"net/http"
	"strconv"
	"time"

	"minyi"
	"minyi/org"
	"minyi/web/core"
)

// Staff API tokens on pages: each user lists, makes and revokes their own
// on the account page; administrators list and revoke a user's on the
// user's page. The secret is shown once, after a redirect (showOnce).

// tokenLifetimes are the choices offered when making a token, in days.
var tokenLifetimes = []int{30, 90, 180, 365}

// tokenList is what the token table shows: the tokens and where their
// revoke buttons post (the token's id and "/revoke" follow).
type tokenList struct {
	Tokens      []org.Token
	TokenAction string
	Lifetimes   []int
	NewToken    string // a token just made, shown this once
}

// tokensOf lists owner's tokens as actor sees them, with their revoke
// buttons posting under action.
func (s *Pages) tokensOf(r *http.Request, actor, owner org.User, action string) (tokenList, error) {
	ts, err := s.Org.Tokens(r.Context(), actor, owner)
	return tokenList{Tokens: ts, TokenAction: action, Lifetimes: tokenLifetimes}, err
}

// revokePathToken revokes, as by, the token of owner whose id is in the
// path; a token of anybody else is not found, so ids cannot be probed.
func (s *Pages) revokePathToken(r *http.Request, owner, by org.User) (org.Token, error) {
	notFound := minyi.Errorf(minyi.ENotFound, "令牌不存在 / token not found")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return org.Token{}, notFound
	}
	return s.Org.RevokeToken(r.Context(), by, owner, id)
}

// createOwnToken makes an API token for the logged-in user and shows it
// once on the account page, after a redirect (showOnce), so that it never
// sits in clear in a session, a cookie or the database.
func (s *Pages) createOwnToken(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	days, err := strconv.Atoi(r.PostFormValue("days"))
	if err != nil || days < 1 {
		s.showAccount(w, r, http.StatusBadRequest, minyi.Invalid("expires", "请选择有效期", "choose how long the token works"), "")
		return nil
	}
	token, t, err := s.Org.IssueToken(r.Context(), u, u.Name, r.PostFormValue("label"), time.Duration(days)*24*time.Hour)
	if err != nil {
		s.showAccount(w, r, core.StatusOf(minyi.ErrorCode(err)), err, "")
		return nil
	}
	s.Log.InfoContext(r.Context(), "api token created", "name", u.Name, "token", t.ID, "expires", t.ExpiresAt)
	s.showOnce(w, r, accountShownArea, shownToken, token)
	return nil
}

// revokeOwnToken revokes one of the logged-in user's tokens.
func (s *Pages) revokeOwnToken(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	t, err := s.revokePathToken(r, u, u)
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "api token revoked", "name", u.Name, "token", t.ID)
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "tokens.revoked", t.ID))
	http.Redirect(w, r, "/staff/account#tokens", http.StatusSeeOther)
	return nil
}

// adminRevokeToken revokes a token of the user being edited.
func (s *Pages) adminRevokeToken(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	u, ok := s.userToEdit(w, r, admin)
	if !ok {
		return nil
	}
	t, err := s.revokePathToken(r, u, admin)
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "api token revoked", "name", u.Name, "token", t.ID, "by", admin.Name)
	s.done(w, r, "/staff/admin/users/"+u.Name+"/edit#tokens", "tokens.revoked", t.ID)
	return nil
}
