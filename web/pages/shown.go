package pages

import (
	"encoding/json"
	"net/http"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/web/core"
)

// Secrets shown once, after a redirect like every other form: a form that
// makes one (a new or reset password, an Open311 key, a webhook's signing
// secret, an API token, a citizen's contact revealed) keeps it with
// showOnce (org.Service.ShownOnce: sealed in the database, its key in a cookie
// scoped to the page) and redirects to the area's shown page, which shows
// it once to the user who sent the form, in the browser that sent it, and
// deletes it. A reload, another user or another session finds it gone
// (404), and a reload never repeats the action.

// The pages of the areas that show secrets once; the id follows.
const (
	adminShownArea   = "/staff/admin/shown/"
	accountShownArea = "/staff/account/shown/"
)

// shownCookie carries a secret's own key to its page, and nowhere else.
const shownCookie = "minyi_shown"

// The kinds of secrets shown once, each on its area's page.
const (
	shownPassword = "password" // adminPasswordData, on adminShownPage
	shownAPIKey   = "apikey"   // adminAPIKeyCreatedData, likewise
	shownWebhook  = "webhook"  // adminWebhookCreatedData, likewise
	shownToken    = "token"    // the token, on accountShownPage
	shownContact  = "contact"  // shownContactData, on itemDeskShownPage
)

// shownContactData is a citizen's contact just revealed on the item desk.
type shownContactData struct {
	Number  string
	Contact archive.Contact
}

// showOnce keeps payload for the logged-in user to see once on the page
// under area ("/staff/admin/shown/"), hands their browser its key and
// redirects there.
func (s *Pages) showOnce(w http.ResponseWriter, r *http.Request, area, kind string, payload any) {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	b, err := json.Marshal(payload)
	if err != nil {
		s.PageError(w, r, minyi.Internal(err))
		return
	}
	id, key, err := s.Org.ShownOnce(ctx, u, kind, b)
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	page := area + id
	http.SetCookie(w, &http.Cookie{Name: shownCookie, Value: key, Path: page, MaxAge: int(org.ShownOnceTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.Secure(r)})
	http.Redirect(w, r, page, http.StatusSeeOther)
}

// takeShown opens the secret whose page this is, of one of kinds, into
// payload, and deletes it; or shows why not (404) and reports false.
func (s *Pages) takeShown(w http.ResponseWriter, r *http.Request, payload any, kinds ...string) (string, bool) {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	var key string
	if c, err := r.Cookie(shownCookie); err == nil {
		key = c.Value
	}
	kind, b, err := s.Org.TakeShownOnce(ctx, u, kinds, r.PathValue("id"), key)
	if err == nil {
		err = json.Unmarshal(b, payload)
	}
	if err != nil {
		s.PageError(w, r, err)
		return "", false
	}
	http.SetCookie(w, &http.Cookie{Name: shownCookie, Value: "", Path: r.URL.Path, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.Secure(r)})
	return kind, true
}

// adminShownPage shows a new or reset password, a new Open311 key or a
// new webhook's signing secret, once.
func (s *Pages) adminShownPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	var raw json.RawMessage
	kind, ok := s.takeShown(w, r, &raw, shownPassword, shownAPIKey, shownWebhook)
	if !ok {
		return nil
	}
	var (
		page, title, back string
		data              any
		err               error
	)
	switch kind {
	case shownPassword:
		var d adminPasswordData
		err = json.Unmarshal(raw, &d)
		page, title, back, data = "admin_password", "admin.password.title", "/staff/admin/users/"+d.User.Name+"/edit", d
	case shownAPIKey:
		var d adminAPIKeyCreatedData
		err = json.Unmarshal(raw, &d)
		page, title, back, data = "admin_apikey_created", "admin.apikeys.created_title", "/staff/admin/apikeys", d
	case shownWebhook:
		var d adminWebhookCreatedData
		err = json.Unmarshal(raw, &d)
		page, title, back, data = "admin_webhook_created", "admin.webhooks.created_title", "/staff/admin/webhooks", d
	}
	if err != nil {
		return minyi.Internal(err)
	}
	v := s.NewView(w, r, "", data)
	v.Title = v.T(title)
	v.Path = back // the language switch comes back there: this page is gone once shown
	s.Render(w, r, http.StatusOK, page, v)
	return nil
}

// accountShownPage shows an API token just made, once, on the account page.
func (s *Pages) accountShownPage(w http.ResponseWriter, r *http.Request) error {
	var token string
	if _, ok := s.takeShown(w, r, &token, shownToken); !ok {
		return nil
	}
	s.showAccount(w, r, http.StatusOK, nil, token)
	return nil
}

// itemDeskShownPage shows the item desk with the citizen's contact just
// revealed, once; the reveal was recorded by the form, and this page
// records nothing, so a reload is no second reveal.
func (s *Pages) itemDeskShownPage(w http.ResponseWriter, r *http.Request) error {
	var d shownContactData
	if _, ok := s.takeShown(w, r, &d, shownContact); !ok {
		return nil
	}
	if d.Number != r.PathValue("number") {
		return org.ErrShownOnceGone
	}
	s.showItemDesk(w, r, http.StatusOK, itemDeskForm{}, nil, &d.Contact)
	return nil
}
