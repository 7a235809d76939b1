package pages

import (
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/servicepoint"
	"minyi/web/core"
)

// The service points' pages (便民服务站点): the list with its filters and
// total, a new point, a point, and the change of its record (closing it
// too) against the version read.

// pointRoutes are the service points' pages.
func (s *Pages) pointRoutes() []route {
	return []route{
		{"GET", "/staff/points", s.pointsPage, "staff"},
		{"GET", "/staff/points/new", s.pointNewPage, "staff"},
		{"POST", "/staff/points", s.createPoint, "staff"},
		{"GET", "/staff/points/{id}", s.pointPage, "staff"},
		{"GET", "/staff/points/{id}/edit", s.pointEditPage, "staff"},
		{"POST", "/staff/points/{id}", s.editPoint, "staff"},
	}
}

// pointStatuses are a point's statuses, as the filter and the form offer
// them.
var pointStatuses = []servicepoint.Status{servicepoint.StatusActive, servicepoint.StatusClosed}

type pointsData struct {
	ledgerChoices
	Page      servicepoint.Page
	Params    map[string]string
	Statuses  []servicepoint.Status
	Total     int
	Next      template.URL
	CanRecord bool
}

// pointsPage lists the points the user may see, newest first, with the
// API's filters (status, unit, words) and the count of all that match.
func (s *Pages) pointsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	rf, params := listQuery(r, "status", "unit", "campaign")
	camp, err := listCampaign(params)
	if err != nil {
		return err
	}
	page, err := s.Svc.Points.List(ctx, u, servicepoint.Filter{Filter: rf, Unit: params["unit"], Status: servicepoint.Status(params["status"]),
		Campaign: camp})
	if err != nil {
		return err
	}
	c, err := s.ledgerChoices(ctx, u)
	if err == nil {
		c.Campaigns, err = s.keepCampaign(ctx, u, c.Campaigns, c.CampaignNames, params["campaign"])
	}
	if err != nil {
		return err
	}
	d := pointsData{ledgerChoices: c, Page: page, Params: params, Statuses: pointStatuses, CanRecord: u.CanFile()}
	if page.Total != nil {
		d.Total = *page.Total
	}
	if page.NextCursor != "" {
		d.Next = nextQuery(params, page.NextCursor)
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("points.title")
	s.Render(w, r, http.StatusOK, "points", v)
	return nil
}

// pointForm is the service point form as staff filled it.
type pointForm struct {
	Name, Unit, Township, Village, Address, Lat, Lng, OpeningHours, Services, Phone, Status string
	Campaign                                                                                string
	OffPeak, Extended                                                                       bool
	Version                                                                                 int
}

func readPointForm(r *http.Request, u org.User) pointForm {
	f := pointForm{Name: r.PostFormValue("name"), Unit: r.PostFormValue("unit"), Township: r.PostFormValue("township"),
		Village: r.PostFormValue("village"), Address: r.PostFormValue("address"), Lat: strings.TrimSpace(r.PostFormValue("latitude")),
		Lng: strings.TrimSpace(r.PostFormValue("longitude")), OpeningHours: r.PostFormValue("opening_hours"),
		Services: r.PostFormValue("services"), Phone: r.PostFormValue("phone"), Status: r.PostFormValue("status"),
		OffPeak: r.PostFormValue("off_peak") != "", Extended: r.PostFormValue("extended_hours") != "", Campaign: r.PostFormValue("campaign")}
	if !u.SeesAll() && f.Unit == "" {
		f.Unit = u.UnitCode // the form shows unit staff their own unit
	}
	return f
}

func pointFormOf(p servicepoint.Point) pointForm {
	coord := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	return pointForm{Name: p.Name, Unit: p.Unit, Township: p.Township, Village: p.Village, Address: p.Address,
		Lat: coord(p.Lat), Lng: coord(p.Lng), OpeningHours: p.OpeningHours, Services: strings.Join(p.Services, "\n"),
		Phone: p.Phone, Status: string(p.Status), OffPeak: p.OffPeak, Extended: p.Extended, Version: p.Version,
		Campaign: campaignValue(p.Campaign)}
}

// point is the point the form describes, with the problems of the
// coordinates it cannot read; such a coordinate is passed on as not a
// number, which the service refuses too. Services are one per line.
func (f pointForm) point() (servicepoint.Point, minyi.Problems) {
	var pr minyi.Problems
	p := servicepoint.Point{Name: f.Name, Unit: f.Unit, Township: f.Township, Village: f.Village, Address: f.Address,
		OpeningHours: f.OpeningHours, OffPeak: f.OffPeak, Extended: f.Extended, Phone: f.Phone,
		Status: servicepoint.Status(f.Status), Services: []string{}}
	coord := func(field, v, zh, en string) *float64 {
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			pr.Add(field, zh+"须为数字", en+" must be a number")
			x = math.NaN()
		}
		return &x
	}
	p.Campaign = formCampaign(&pr, f.Campaign)
	p.Lat = coord("latitude", f.Lat, "纬度", "latitude")
	p.Lng = coord("longitude", f.Lng, "经度", "longitude")
	for _, line := range strings.Split(f.Services, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Services = append(p.Services, line)
		}
	}
	return p, pr
}

// patch is the change the form asks of the point: every field it shows.
func (f pointForm) patch(p servicepoint.Point) servicepoint.Patch {
	return servicepoint.Patch{Name: &p.Name, Township: &p.Township, Village: &p.Village, Address: &p.Address,
		Lat: p.Lat, Lng: p.Lng, OpeningHours: &p.OpeningHours, OffPeak: &p.OffPeak, Extended: &p.Extended,
		Services: &p.Services, Phone: &p.Phone, Status: &p.Status, Campaign: &p.Campaign}
}

type pointFormData struct {
	ledgerChoices
	Form     pointForm
	ID       int64
	Statuses []servicepoint.Status
	Summary  []string
	Conflict bool
}

func (s *Pages) showPointForm(w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, f pointForm, errs map[string]string) {
	c, err := s.ledgerChoices(r.Context(), u)
	if err == nil {
		c.Campaigns, err = s.keepCampaign(r.Context(), u, c.Campaigns, c.CampaignNames, f.Campaign)
	}
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	v := s.NewView(w, r, "", nil)
	if id == 0 {
		v.Title = v.T("point.new_title")
	} else {
		v.Title = v.T("point.edit_title", f.Name)
	}
	v.Errors = errs
	v.Data = pointFormData{ledgerChoices: c, Form: f, ID: id, Statuses: pointStatuses, Summary: errorSummary(v, errs),
		Conflict: status == http.StatusConflict}
	s.Render(w, r, status, "point_form", v)
}

// pointNewPage shows an empty service point form.
func (s *Pages) pointNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !u.CanFile() {
		return readOnly()
	}
	s.showPointForm(w, r, http.StatusOK, u, 0, pointForm{Unit: u.UnitCode, Status: string(servicepoint.StatusActive)}, nil)
	return nil
}

// createPoint records a point once per form (fileOnce) and shows it.
func (s *Pages) createPoint(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := readPointForm(r, u)
	p, pr := f.point()
	to, again, err := s.fileOnce(ctx, servicepoint.Register, r.PostFormValue(formTokenField), ledgerPath("points"), func(form archive.Form) (string, error) {
		p.Form = form
		p, err := s.Svc.Points.Create(ctx, u, p)
		if err := withFormProblems(err, pr); err != nil {
			return "", err
		}
		s.Log.InfoContext(ctx, "service point recorded", "point", p.ID, "by", u.Name)
		return "/staff/points/" + strconv.FormatInt(p.ID, 10), nil
	})
	if err != nil {
		return s.refuseLedgerForm(w, r, err, func(status int, errs map[string]string) {
			s.showPointForm(w, r, status, u, 0, f, errs)
		})
	}
	if !again {
		core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "point.saved"))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

type pointData struct {
	ledgerChoices
	Point   servicepoint.Point
	CanEdit bool
}

// pointPage shows a service point's record.
func (s *Pages) pointPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, servicepoint.Noun)
	if err != nil {
		return err
	}
	p, err := s.Svc.Points.Get(ctx, u, id)
	if err != nil {
		return err
	}
	c, err := s.ledgerChoices(ctx, u)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", pointData{ledgerChoices: c, Point: p, CanEdit: u.CanFileInto(p.Unit)})
	v.Title = v.Conv(p.Name)
	s.Render(w, r, http.StatusOK, "point", v)
	return nil
}

// pointEditPage shows the form of a point's record at its version.
func (s *Pages) pointEditPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, servicepoint.Noun)
	if err != nil {
		return err
	}
	p, err := s.Svc.Points.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if !u.CanFileInto(p.Unit) {
		return readOnly()
	}
	s.showPointForm(w, r, http.StatusOK, u, id, pointFormOf(p), nil)
	return nil
}

// editPoint changes a point against the version the form was filled from;
// a stale version shows the form again with what was written and the
// version now stored.
func (s *Pages) editPoint(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, servicepoint.Noun)
	if err != nil {
		return err
	}
	f := readPointForm(r, u)
	version := 0 // none: the service refuses it, naming version
	if v := formVersion(r); v != nil {
		version = *v
	}
	f.Version = version
	p, pr := f.point()
	if len(pr) == 0 {
		_, err = s.Svc.Points.Update(ctx, u, id, version, f.patch(p))
	} else {
		err = pr.Err()
	}
	if err != nil {
		if minyi.ErrorCode(err) == minyi.EConflict {
			if now, gerr := s.Svc.Points.Get(ctx, u, id); gerr == nil {
				f.Version, f.Unit = now.Version, now.Unit
			}
		}
		return s.refuseLedgerForm(w, r, err, func(status int, errs map[string]string) {
			s.showPointForm(w, r, status, u, id, f, errs)
		})
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "point.changed"))
	http.Redirect(w, r, "/staff/points/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
