package pages

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/volunteer"
	"minyi/web/core"
)

// The volunteer activities' pages (志愿服务活动): the list with its filters
// and total, a new activity, an activity, and the change of its record
// against the version read.

// volunteerRoutes are the volunteer activities' pages.
func (s *Pages) volunteerRoutes() []route {
	return []route{
		{"GET", "/staff/volunteer", s.activitiesPage, "staff"},
		{"GET", "/staff/volunteer/new", s.activityNewPage, "staff"},
		{"POST", "/staff/volunteer", s.createActivity, "staff"},
		{"GET", "/staff/volunteer/{id}", s.activityPage, "staff"},
		{"GET", "/staff/volunteer/{id}/edit", s.activityEditPage, "staff"},
		{"POST", "/staff/volunteer/{id}", s.editActivity, "staff"},
		{"GET", "/staff/volunteer/{id}/photos/{photo}", s.activityPhoto, "staff"},
	}
}

type activitiesData struct {
	ledgerListPage
	Page volunteer.Page
}

// activitiesPage lists the activities the user may see, latest first,
// with the API's filters (unit, branch, a participant, words, the days)
// and the count of all that match.
func (s *Pages) activitiesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, params, done, err := listOrExport(s, w, r, core.VolunteerExport, activityFilter, s.Svc.Volunteer.List)
	if done || err != nil {
		return err
	}
	l, err := listPage(ctx, s, u, params, page)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", activitiesData{ledgerListPage: l, Page: page})
	v.Title = v.T("volunteer.title")
	s.Render(w, r, http.StatusOK, "volunteer", v)
	return nil
}

// activityFilter reads the volunteer activities' list filter.
func activityFilter(r *http.Request) (volunteer.Filter, map[string]string, error) {
	rf, params := listQuery(r, "unit", "branch", "participant", "from", "to", "campaign")
	camp, err := listCampaign(params)
	return volunteer.Filter{Filter: rf, Unit: params["unit"], Branch: params["branch"],
		Participant: params["participant"], From: params["from"], To: params["to"], Campaign: camp}, params, err
}

// activityForm is the activity form as staff filled it.
type activityForm struct {
	Date, Title, Unit, Branch, Participants, Volunteers, Hours, Served, Township, Village, Place, Description string
	Campaign                                                                                                  string
	Version                                                                                                   int
	// Remove are the ids of the photos ticked for removal.
	Remove []string
}

func readActivityForm(r *http.Request, u org.User) activityForm {
	f := activityForm{Date: strings.TrimSpace(r.PostFormValue("date")), Title: r.PostFormValue("title"),
		Unit: r.PostFormValue("unit"), Branch: r.PostFormValue("branch"), Participants: r.PostFormValue("participants"),
		Volunteers: r.PostFormValue("volunteers"), Hours: r.PostFormValue("hours"), Served: r.PostFormValue("served"),
		Township: r.PostFormValue("township"), Village: r.PostFormValue("village"), Place: r.PostFormValue("place"),
		Description: r.PostFormValue("description"), Campaign: r.PostFormValue("campaign"), Remove: r.PostForm["remove_photos"]}
	if !u.SeesAll() && f.Unit == "" {
		f.Unit = u.UnitCode // the form shows unit staff their own unit
	}
	return f
}

func activityFormOf(a volunteer.Activity) activityForm {
	return activityForm{Date: a.Date, Title: a.Title, Unit: a.Unit, Branch: a.Branch, Participants: strings.Join(a.Participants, "\n"),
		Volunteers: strconv.Itoa(a.Volunteers), Hours: strconv.FormatFloat(a.Hours, 'f', -1, 64), Served: strconv.Itoa(a.Served),
		Township: a.Township, Village: a.Village, Place: a.Place, Description: a.Description, Version: a.Version,
		Campaign: campaignValue(a.Campaign)}
}

// activity is the activity the form describes, with the problems of the
// numbers it cannot read; such a number is passed on as a negative one,
// which the service refuses too, so that every other problem is named.
func (f activityForm) activity() (volunteer.Activity, minyi.Problems) {
	var p minyi.Problems
	a := volunteer.Activity{Date: f.Date, Title: f.Title, Unit: f.Unit, Branch: f.Branch, Participants: splitList(f.Participants),
		Township: f.Township, Village: f.Village, Place: f.Place, Description: f.Description}
	a.Campaign = formCampaign(&p, f.Campaign)
	a.Volunteers = formInt(&p, "volunteers", f.Volunteers, "志愿者人数", "volunteers")
	a.Served = formInt(&p, "served", f.Served, "服务群众人数", "served")
	if h := strings.TrimSpace(f.Hours); h != "" {
		x, err := strconv.ParseFloat(h, 64)
		if err != nil {
			p.Add("hours", "服务时长须为数字", "hours must be a number")
			x = -1
		}
		a.Hours = x
	}
	return a, p
}

// patch is the change the form asks of the activity: every field it shows.
func (f activityForm) patch(a volunteer.Activity) volunteer.Patch {
	return volunteer.Patch{Date: &a.Date, Title: &a.Title, Branch: &a.Branch, Participants: &a.Participants,
		Volunteers: &a.Volunteers, Hours: &a.Hours, Served: &a.Served, Township: &a.Township, Village: &a.Village,
		Place: &a.Place, Description: &a.Description, Campaign: &a.Campaign}
}

type activityFormData struct {
	ledgerFormPage
	Form  activityForm
	Today string
	// Photos are the activity's photos (a change's form), PhotoErrs what
	// is wrong with those sent or ticked.
	Photos    []archive.PhotoInfo
	PhotoErrs []string
}

// Removing reports whether the refused form had photo id ticked for
// removal.
func (d activityFormData) Removing(id int64) bool {
	return slices.Contains(d.Form.Remove, strconv.FormatInt(id, 10))
}

func (s *Pages) showActivityForm(w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, f activityForm, errs map[string]string) {
	v, page, ok := activityLedger.formView(s, w, r, status, u, id, f.Title, f.Campaign, errs)
	if !ok {
		return
	}
	d := activityFormData{ledgerFormPage: page, Form: f, Today: chinaToday(),
		PhotoErrs: photoErrs(errs, "photos", "add_photos", "remove_photos")}
	if id != 0 {
		a, err := s.Svc.Volunteer.Get(r.Context(), u, id)
		if err != nil {
			s.PageError(w, r, err)
			return
		}
		d.Photos = a.Photos
	}
	v.Data = d
	s.Render(w, r, status, "activity_form", v)
}

// activityNewPage shows an empty activity form, dated today, the user
// among the participants.
func (s *Pages) activityNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !u.CanFile() {
		return readOnly()
	}
	s.showActivityForm(w, r, http.StatusOK, u, 0, activityForm{Date: chinaToday(), Unit: u.UnitCode, Participants: u.Name}, nil)
	return nil
}

// createActivity records an activity once per form (fileOnce) and shows it.
func (s *Pages) createActivity(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := readActivityForm(r, u)
	a, p := f.activity()
	var err error
	if a.NewPhotos, err = uploadedPhotos(r.MultipartForm, archive.MaxPhotos); err != nil {
		return err
	}
	return activityLedger.create(s, w, r, p, func(form archive.Form) (int64, error) {
		a.Form = form
		a, err := s.Svc.Volunteer.Create(ctx, u, a)
		return a.ID, err
	}, func(status int, errs map[string]string) {
		s.showActivityForm(w, r, status, u, 0, f, errs)
	})
}

type activityData struct {
	ledgerChoices
	Activity volunteer.Activity
	CanEdit  bool
}

// activityPage shows an activity's record.
func (s *Pages) activityPage(w http.ResponseWriter, r *http.Request) error {
	u, _, a, err := ledgerRecord(r, volunteer.Noun, s.Svc.Volunteer.Get)
	if err != nil {
		return err
	}
	c, err := s.ledgerChoices(r.Context(), u)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", activityData{ledgerChoices: c, Activity: a, CanEdit: u.CanFileInto(a.Unit)})
	v.Title = v.Conv(a.Title)
	s.Render(w, r, http.StatusOK, "activity", v)
	return nil
}

// activityPhoto serves a photo of an activity the user may see.
func (s *Pages) activityPhoto(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	id, err := recordID(r, volunteer.Noun)
	if err != nil {
		return err
	}
	photo, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "没有这张照片 / no such photo")
	}
	ph, err := s.Svc.Volunteer.Photo(r.Context(), u, id, photo)
	if err != nil {
		return err
	}
	core.WritePhoto(w, ph)
	return nil
}

// activityEditPage shows the form of an activity's record at its version.
func (s *Pages) activityEditPage(w http.ResponseWriter, r *http.Request) error {
	u, id, a, err := ledgerRecord(r, volunteer.Noun, s.Svc.Volunteer.Get)
	if err != nil {
		return err
	}
	if !u.CanFileInto(a.Unit) {
		return readOnly()
	}
	s.showActivityForm(w, r, http.StatusOK, u, id, activityFormOf(a), nil)
	return nil
}

// editActivity changes an activity against the version the form was
// filled from; a stale version shows the form again with what was
// written and the version now stored.
func (s *Pages) editActivity(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, volunteer.Noun)
	if err != nil {
		return err
	}
	f := readActivityForm(r, u)
	version := 0 // none: the service refuses it, naming version
	if v := formVersion(r); v != nil {
		version = *v
	}
	f.Version = version
	a, p := f.activity()
	patch := f.patch(a)
	if patch.AddPhotos, err = uploadedPhotos(r.MultipartForm, archive.MaxPhotos); err != nil {
		return err
	}
	for _, v := range f.Remove {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			p.Add("remove_photos", "照片编号无效", "remove_photos: not a photo id")
		}
		patch.RemovePhotos = append(patch.RemovePhotos, n)
	}
	if len(p) == 0 {
		_, err = s.Svc.Volunteer.Update(ctx, u, id, version, patch)
	} else {
		// Checked by the service without being stored: the form's
		// problems beside the service's.
		err = withFormProblems(p.Err(), p)
	}
	return activityLedger.changed(s, w, r, id, err, func() {
		if now, gerr := s.Svc.Volunteer.Get(ctx, u, id); gerr == nil {
			f.Version, f.Unit = now.Version, now.Unit
		}
	}, func(status int, errs map[string]string) {
		s.showActivityForm(w, r, status, u, id, f, errs)
	})
}
