package pages

import (
	"net/http"
	"slices"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/web/core"
)

// The administration pages (系统管理): units, users and roles, categories
// and time limits, the holiday calendar, canned replies and moderation of
// the online desk. Every handler checks for an administrator itself rather
// than trusting the route table, so a page added later cannot forget it.

// adminOnly returns the logged-in administrator, or shows 403 and reports
// false.
func (s *Pages) adminOnly(w http.ResponseWriter, r *http.Request) (org.User, bool) {
	u, err := core.RequireAdmin(r)
	if err != nil {
		s.PageError(w, r, err)
		return org.User{}, false
	}
	return u, true
}

// adminRender renders an administration page: with err, again with the
// reader's entries and the problems at their fields, in the status that
// fits the error; an error not about fields becomes an error page.
func (s *Pages) adminRender(w http.ResponseWriter, r *http.Request, page, titleKey string, data any, err error) {
	v := s.NewView(w, r, "", data)
	v.Title = v.T(titleKey)
	// The unit and category forms take a name in Mongolian: its field
	// needs the Mongolian font whatever the admin's language.
	v.Mongolian = page == "admin_unit" || page == "admin_category"
	status := http.StatusOK
	if err != nil {
		v.Errors = core.FieldErrors(s.Catalog, v.Lang, err)
		if v.Errors == nil {
			s.PageError(w, r, err)
			return
		}
		status = core.StatusOf(minyi.ErrorCode(err))
	}
	s.Render(w, r, status, page, v)
}

// done ends a successful change: a message for the next page, and there.
func (s *Pages) done(w http.ResponseWriter, r *http.Request, target, key string, args ...any) {
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), key, args...))
	http.Redirect(w, r, target, http.StatusSeeOther)
}

type adminIndexData struct {
	MissingYears []int // the current or next year, when the calendar lacks it
}

// adminIndex links to the sections and warns about what needs doing.
func (s *Pages) adminIndex(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	s.adminRender(w, r, "admin", "admin.title", adminIndexData{MissingYears: s.missingYears()}, nil)
	return nil
}

// missingYears lists the current and next year (China time) when the
// calendar has no data for them, so due dates there would be guesses.
func (s *Pages) missingYears() []int {
	years := s.Items.Policy().Calendar.Years()
	now := time.Now().In(chinaTime).Year()
	var out []int
	for _, y := range []int{now, now + 1} {
		if !slices.Contains(years, y) {
			out = append(out, y)
		}
	}
	return out
}

// deskCandidateLimit bounds the moderation list of items not on the desk.
const deskCandidateLimit = 100

type adminDeskData struct {
	OnDesk     archive.DeskPage
	Cursor     string
	Candidates []archive.Item
	UnitNames  map[string]string
}

// adminDeskPage lists the questions on the public online desk and those
// that may go there, each with a button to withdraw or publish it.
func (s *Pages) adminDeskPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	cursor := r.URL.Query().Get("cursor")
	page, err := s.Items.Desk(ctx, "", cursor, 50)
	if err != nil {
		return err
	}
	cands, err := s.Svc.Config.DeskCandidates(ctx, admin, deskCandidateLimit)
	if err != nil {
		return err
	}
	names, err := s.unitNames(r)
	if err != nil {
		return err
	}
	s.adminRender(w, r, "admin_desk", "admin.desk.title", adminDeskData{OnDesk: page, Cursor: cursor, Candidates: cands, UnitNames: names}, nil)
	return nil
}

// adminDeskSet publishes or withdraws one item as a lifecycle action, so
// that who did it and when is in the item's hash-chained history. A public
// version that names the citizen is refused with the review page, its
// personal data marked.
func (s *Pages) adminDeskSet(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	number := r.PathValue("number")
	var publish bool
	switch r.PostFormValue("publish") {
	case "1":
		publish = true
	case "0":
	default:
		return minyi.Invalid("publish", "请选择公开或取消公开", "choose publish or withdraw")
	}
	cmd := archive.Command{Action: archive.ActSetPublish, Publish: &publish}
	if _, err := s.Items.Act(r.Context(), u, number, cmd, true); err != nil {
		if publish && minyi.ErrorCode(err) == minyi.EInvalid {
			// The public version names the citizen: show it marked, to edit.
			s.showDeskReview(w, r, http.StatusBadRequest, nil, err)
			return nil
		}
		return err
	}
	key := "admin.desk.withdrawn"
	if publish {
		key = "admin.desk.published"
	}
	s.done(w, r, "/staff/admin/desk", key, number)
	return nil
}
