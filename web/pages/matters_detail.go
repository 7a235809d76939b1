package pages

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/matter"
	"minyi/org"
	"minyi/outcome"
	"minyi/register"
	"minyi/web/core"
)

// matterActForm is one lifecycle form of a matter's page as sent, kept to
// fill it again when the action was refused.
type matterActForm struct {
	Action                         matter.Action
	Version, Day, Text, Story, Why string
	Outcomes                       map[string]string
}

// matterDetailData is a matter's page: the record, its progress, and the
// forms of the actions the user can take now.
type matterDetailData struct {
	matterNames
	Matter      matter.Matter // beneficiary masked
	Overdue     bool
	Can         map[string]bool // action → offered now (matter.Available)
	HasActions  bool
	CanEdit     bool
	CanReveal   bool
	Beneficiary *matter.Beneficiary // unmasked: only on the page shown once after a recorded reveal
	Keys        []outcome.Key       // the counted outcomes complete asks for
	Outcomes    []outcomeRow        // the matter's counted outcomes, in the keys' order
	Form        matterActForm       // the refused form
	Problem     string              // why the last action was refused
	FieldErrs   map[string]string   // field → message, for Form.Action's form
	Today       string
}

// Value returns what field held in form a when it was refused.
func (d *matterDetailData) Value(a, field string) string {
	if string(d.Form.Action) != a {
		return ""
	}
	switch field {
	case "day":
		return d.Form.Day
	case "text":
		return d.Form.Text
	case "story":
		return d.Form.Story
	case "reason":
		return d.Form.Why
	}
	return ""
}

// Outcome returns what the refused complete form held for a counted
// outcome.
func (d *matterDetailData) Outcome(key string) string {
	if d.Form.Action != matter.ActComplete {
		return ""
	}
	return d.Form.Outcomes[key]
}

// FieldErr returns the message for field of form a, if that form was
// refused.
func (d *matterDetailData) FieldErr(a, field string) string {
	if string(d.Form.Action) != a {
		return ""
	}
	return d.FieldErrs[field]
}

// PhotoErrs returns the messages about the photos of form a, if that form
// was refused: the list's (photos) and each photo's (photos[i]).
func (d *matterDetailData) PhotoErrs(a string) []string {
	if string(d.Form.Action) != a {
		return nil
	}
	return photoErrs(d.FieldErrs, "photos")
}

// matterPage shows a matter to a member of staff who may see it.
func (s *Pages) matterPage(w http.ResponseWriter, r *http.Request) error {
	id, err := matterID(r)
	if err != nil {
		return err
	}
	s.showMatter(w, r, http.StatusOK, id, matterActForm{}, nil, nil)
	return nil
}

// matterAct takes one lifecycle action from a form of the matter's page,
// against the version the page showed: a matter changed meanwhile is
// refused (409) rather than overwritten, and a refused action shows the
// page again with the reason and what was typed.
func (s *Pages) matterAct(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := matterID(r)
	if err != nil {
		return err
	}
	keys, err := s.Svc.Matters.Keys(ctx)
	if err != nil {
		return err
	}
	f := matterActForm{Action: matter.Action(r.PostFormValue("action")), Version: r.PostFormValue("version"),
		Day: strings.TrimSpace(r.PostFormValue("day")), Text: r.PostFormValue("text"), Story: r.PostFormValue("story"),
		Why: r.PostFormValue("reason"), Outcomes: map[string]string{}}
	for _, k := range keys {
		f.Outcomes[k] = strings.TrimSpace(r.PostFormValue("outcome." + k))
	}
	cmd, version, p := f.command(keys)
	if cmd.Action == matter.ActProgress || cmd.Action == matter.ActComplete {
		photos, err := formPhotos(r.MultipartForm)
		if err != nil {
			s.showMatter(w, r, core.StatusOf(minyi.ErrorCode(err)), id, f, err, nil)
			return nil
		}
		cmd.Photos = photos
	}
	if version == nil {
		s.showMatter(w, r, http.StatusBadRequest, id, f, p.Err(), nil)
		return nil
	}
	if _, err := s.Svc.Matters.Act(ctx, u, id, version, cmd); err != nil {
		var e minyi.Problems
		e.Merge(err)
		if len(e) > 0 {
			// The form's own words for a value it could not read.
			e = append(e, p...)
			err = e.Err()
		}
		s.showMatter(w, r, core.StatusOf(minyi.ErrorCode(err)), id, f, err, nil)
		return nil
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "matter.done."+string(cmd.Action)))
	http.Redirect(w, r, matterPath(id), http.StatusSeeOther)
	return nil
}

// command is the form as a lifecycle command; fields the action does not
// use are left out. A count that is not a whole number is a problem of the
// form, passed on as -1 so that the service refuses the action and names
// every other problem too.
func (f matterActForm) command(keys []string) (matter.Command, *int, minyi.Problems) {
	var p minyi.Problems
	var version *int
	if v, err := strconv.Atoi(strings.TrimSpace(f.Version)); err == nil {
		version = &v
	} else {
		p.Add("version", "页面版本无效，请刷新后重试", "invalid version: reload the page and try again")
	}
	cmd := matter.Command{Action: f.Action}
	switch f.Action {
	case matter.ActProgress:
		cmd.Day, cmd.Text = f.Day, f.Text
	case matter.ActComplete:
		cmd.Day, cmd.Story, cmd.Outcomes = f.Day, f.Story, map[string]int64{}
		for _, k := range keys {
			v := f.Outcomes[k]
			if v == "" {
				continue
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				p.Add("outcomes."+k, "成效数量须为整数", "outcome "+k+" must be a whole number")
				n = -1
			}
			cmd.Outcomes[k] = n
		}
	case matter.ActDrop:
		cmd.Reason = f.Why
	}
	return cmd, version, p
}

// The kind of what a matter's page shows once: the beneficiary revealed.
const shownBeneficiary = "beneficiary"

// shownBeneficiaryData is a matter's beneficiary just revealed.
type shownBeneficiaryData struct {
	Matter      int64
	Beneficiary matter.Beneficiary
}

// matterReveal records that the user looked at the beneficiary in full
// (the service's event) and shows it once, after a redirect, as the item
// desk shows a citizen's contact: a reload records no second look, and the
// data never travels in a URL nor sits in clear in a cookie or the
// database.
func (s *Pages) matterReveal(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	id, err := matterID(r)
	if err != nil {
		return err
	}
	b, err := s.Svc.Matters.Reveal(r.Context(), u, id)
	if err != nil {
		return err
	}
	s.showOnce(w, r, matterPath(id)+"/shown/", shownBeneficiary, shownBeneficiaryData{Matter: id, Beneficiary: b})
	return nil
}

// matterShownPage shows the matter's page with its beneficiary just
// revealed, once.
func (s *Pages) matterShownPage(w http.ResponseWriter, r *http.Request) error {
	var d shownBeneficiaryData
	if _, ok := s.takeShown(w, r, &d, shownBeneficiary); !ok {
		return nil
	}
	if strconv.FormatInt(d.Matter, 10) != r.PathValue("matter") {
		return org.ErrShownOnceGone
	}
	s.showMatter(w, r, http.StatusOK, d.Matter, matterActForm{}, nil, &d.Beneficiary)
	return nil
}

// showMatter renders matter id's page, with the form f and the reason
// actErr when an action was refused, and the beneficiary in full right
// after a reveal.
func (s *Pages) showMatter(w http.ResponseWriter, r *http.Request, status int, id int64, f matterActForm, actErr error, revealed *matter.Beneficiary) {
	if status >= http.StatusInternalServerError {
		s.PageError(w, r, actErr)
		return
	}
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	m, err := s.Svc.Matters.Get(ctx, u, id)
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	names, err := s.matterNames(ctx, u)
	if err == nil {
		names.Campaigns, err = s.keepCampaign(ctx, u, names.Campaigns, names.Campaign, strconv.FormatInt(m.Campaign, 10))
	}
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	keys, err := s.Svc.Matters.Outcomes(ctx)
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	now := time.Now()
	actor := register.ActorFor(u)
	d := &matterDetailData{matterNames: names, Matter: m, Overdue: matterOverdue(m, now), Can: map[string]bool{},
		Keys: keys, Outcomes: outcomeRows(keys, m.Outcomes), Form: f, Beneficiary: revealed, Today: chinaToday()}
	if u.CanFile() {
		for a, ok := range matter.Available(m, actor, now) {
			d.Can[string(a)] = ok
			d.HasActions = d.HasActions || ok
		}
		d.CanEdit = matter.MayEdit(actor, m.Unit) == nil
		b := m.Beneficiary
		d.CanReveal = matter.MayReveal(actor, m.Unit) == nil && b.Kind.Personal() && (b.Name != "" || b.Phone != "" || b.IDNumber != "")
	}
	if actErr != nil {
		lang := core.PreferredLang(r)
		d.FieldErrs = core.FieldErrors(s.Catalog, lang, actErr)
		switch {
		case minyi.ErrorCode(actErr) == minyi.EConflict:
			d.Problem = s.Catalog.T(lang, "matter.stale_action")
		case minyi.ErrorCode(actErr) == minyi.EInvalid && d.FieldErrs != nil:
			d.Problem = s.Catalog.T(lang, "matter.fix")
		default:
			d.Problem = s.Catalog.T(lang, "matter.refused", core.LocalMessage(lang, minyi.ErrorMessage(actErr)))
		}
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("matter.page_title", v.Conv(m.Title))
	// The language switch comes back to the page, not to a form target or
	// a page shown once.
	v.Path = matterPath(m.ID)
	s.Render(w, r, status, "matter", v)
}

// matterPhoto serves a photo of a matter the user may see.
func (s *Pages) matterPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("matter"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "实事不存在 / matter not found")
	}
	photo, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "没有这张照片 / no such photo")
	}
	u, _ := core.UserFrom(r.Context())
	ph, err := s.Svc.Matters.Photo(r.Context(), u, id, photo)
	if err != nil {
		return err
	}
	core.WritePhoto(w, ph)
	return nil
}
