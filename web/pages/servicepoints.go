package pages

import (
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
	ledgerListPage
	Page     servicepoint.Page
	Statuses []servicepoint.Status
}

// pointFilter reads the service points' list filter.
func pointFilter(r *http.Request) (servicepoint.Filter, map[string]string, error) {
	rf, params := listQuery(r, "status", "unit", "campaign", "open_on")
	camp, err := listCampaign(params)
	return servicepoint.Filter{Filter: rf, Unit: params["unit"], Status: servicepoint.Status(params["status"]), Campaign: camp,
		OpenOn: params["open_on"]}, params, err
}

// pointsPage lists the points the user may see, newest first, with the
// API's filters (status, unit, words) and the count of all that match.
func (s *Pages) pointsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, params, done, err := listOrExport(s, w, r, core.PointsExport, pointFilter, s.Svc.Points.List)
	if done || err != nil {
		return err
	}
	l, err := listPage(ctx, s, u, params, page)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", pointsData{ledgerListPage: l, Page: page, Statuses: pointStatuses})
	v.Title = v.T("points.title")
	s.Render(w, r, http.StatusOK, "points", v)
	return nil
}

// pointForm is the service point form as staff filled it.
type pointForm struct {
	Name, Unit, Township, Village, Address, Lat, Lng, OpeningHours, Services, Phone, Status string
	Campaign, OpenedOn, ClosedOn                                                            string
	OffPeak, Extended                                                                       bool
	Version                                                                                 int
}

func readPointForm(r *http.Request, u org.User) pointForm {
	f := pointForm{Name: r.PostFormValue("name"), Unit: r.PostFormValue("unit"), Township: r.PostFormValue("township"),
		Village: r.PostFormValue("village"), Address: r.PostFormValue("address"), Lat: strings.TrimSpace(r.PostFormValue("latitude")),
		Lng: strings.TrimSpace(r.PostFormValue("longitude")), OpeningHours: r.PostFormValue("opening_hours"),
		Services: r.PostFormValue("services"), Phone: r.PostFormValue("phone"), Status: r.PostFormValue("status"),
		OffPeak: r.PostFormValue("off_peak") != "", Extended: r.PostFormValue("extended_hours") != "", Campaign: r.PostFormValue("campaign"),
		OpenedOn: strings.TrimSpace(r.PostFormValue("opened_on")), ClosedOn: strings.TrimSpace(r.PostFormValue("closed_on"))}
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
		Campaign: campaignValue(p.Campaign), OpenedOn: p.OpenedOn, ClosedOn: p.ClosedOn}
}

// point is the point the form describes, with the problems of the
// coordinates it cannot read; such a coordinate is passed on as not a
// number, which the service refuses too. Services are one per line.
func (f pointForm) point() (servicepoint.Point, minyi.Problems) {
	var pr minyi.Problems
	p := servicepoint.Point{Name: f.Name, Unit: f.Unit, Township: f.Township, Village: f.Village, Address: f.Address,
		OpeningHours: f.OpeningHours, OffPeak: f.OffPeak, Extended: f.Extended, Phone: f.Phone,
		Status: servicepoint.Status(f.Status), Services: []string{}, OpenedOn: f.OpenedOn}
	// The closing day belongs to a closed point: a point the form reopens
	// drops the day it still shows.
	if p.Status == servicepoint.StatusClosed {
		p.ClosedOn = f.ClosedOn
	}
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

// patch is the change the form asks of the point: every field it shows;
// an opening day left empty stays as it was.
func (f pointForm) patch(p servicepoint.Point) servicepoint.Patch {
	c := servicepoint.Patch{Name: &p.Name, Township: &p.Township, Village: &p.Village, Address: &p.Address,
		Lat: p.Lat, Lng: p.Lng, OpeningHours: &p.OpeningHours, OffPeak: &p.OffPeak, Extended: &p.Extended,
		Services: &p.Services, Phone: &p.Phone, Status: &p.Status, ClosedOn: &p.ClosedOn, Campaign: &p.Campaign}
	if p.OpenedOn != "" {
		c.OpenedOn = &p.OpenedOn
	}
	return c
}

type pointFormData struct {
	ledgerFormPage
	Form     pointForm
	Statuses []servicepoint.Status
	// Today is the latest opening or closing day (China time).
	Today string
}

func (s *Pages) showPointForm(w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, f pointForm, errs map[string]string) {
	v, page, ok := pointLedger.formView(s, w, r, status, u, id, f.Name, f.Campaign, errs)
	if !ok {
		return
	}
	v.Data = pointFormData{ledgerFormPage: page, Form: f, Statuses: pointStatuses, Today: chinaToday()}
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
	return pointLedger.create(s, w, r, pr, func(form archive.Form) (int64, error) {
		p.Form = form
		p, err := s.Svc.Points.Create(ctx, u, p)
		return p.ID, err
	}, func(status int, errs map[string]string) {
		s.showPointForm(w, r, status, u, 0, f, errs)
	})
}

type pointData struct {
	ledgerChoices
	Point   servicepoint.Point
	CanEdit bool
}

// pointPage shows a service point's record.
func (s *Pages) pointPage(w http.ResponseWriter, r *http.Request) error {
	u, _, p, err := ledgerRecord(r, servicepoint.Noun, s.Svc.Points.Get)
	if err != nil {
		return err
	}
	c, err := s.ledgerChoices(r.Context(), u)
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
	u, id, p, err := ledgerRecord(r, servicepoint.Noun, s.Svc.Points.Get)
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
	return pointLedger.changed(s, w, r, id, err, func() {
		if now, gerr := s.Svc.Points.Get(ctx, u, id); gerr == nil {
			f.Version, f.Unit = now.Version, now.Unit
		}
	}, func(status int, errs map[string]string) {
		s.showPointForm(w, r, status, u, id, f, errs)
	})
}
