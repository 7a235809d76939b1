package pages

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
)

// Categories with their time limits, the holiday calendar and canned
// replies on the administration pages.

type adminCategoriesData struct {
	Categories []archive.Category
	UnitNames  map[string]string
}

func (s *Pages) adminCategoriesPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	cats, err := s.Svc.Config.Categories(r.Context())
	if err != nil {
		return err
	}
	names, err := s.unitNames(r)
	if err != nil {
		return err
	}
	s.adminRender(w, r, "admin_categories", "admin.categories.title", adminCategoriesData{Categories: cats, UnitNames: names}, nil)
	return nil
}

type adminCategoryData struct {
	New        bool
	Form       archive.Category
	Amount     string // the limit's amount as typed
	Units      []unitRow
	Classes    []archive.Label
	LimitUnits []calendar.Unit
}

func (s *Pages) showCategoryForm(w http.ResponseWriter, r *http.Request, isNew bool, c archive.Category, amount string, err error) {
	units, uerr := s.Org.Units(r.Context())
	if uerr != nil {
		s.PageError(w, r, uerr)
		return
	}
	title := "admin.categories.edit"
	if isNew {
		title = "admin.categories.new"
	}
	d := adminCategoryData{New: isNew, Form: c, Amount: amount, Units: unitTree(units), Classes: archive.Classes,
		LimitUnits: []calendar.Unit{calendar.WorkingDays, calendar.WorkingHours}}
	s.adminRender(w, r, "admin_category", title, d, err)
}

// categoryFromForm reads a category as typed, without the spaces around
// each field; a limit amount that is not a number is reported under
// "limit", like a limit out of range. archive.Config checks the rest.
func categoryFromForm(r *http.Request) (archive.Category, string, error) {
	amount := strings.TrimSpace(r.PostFormValue("limit_amount"))
	c := archive.Category{
		Code:        strings.TrimSpace(r.PostFormValue("code")),
		Name:        strings.TrimSpace(r.PostFormValue("name")),
		NameEn:      strings.TrimSpace(r.PostFormValue("name_en")),
		NameMn:      strings.TrimSpace(r.PostFormValue("name_mn")),
		Description: strings.TrimSpace(r.PostFormValue("description")),
		Group:       strings.TrimSpace(r.PostFormValue("group")),
		Keywords:    strings.TrimSpace(r.PostFormValue("keywords")),
		Class:       archive.Class(r.PostFormValue("class")),
		UnitCode:    r.PostFormValue("unit"),
		Limit:       calendar.Limit{Unit: calendar.Unit(r.PostFormValue("limit_unit"))},
		Active:      r.PostFormValue("active") == "1",
	}
	n, err := strconv.Atoi(amount)
	if err != nil {
		return c, amount, minyi.Invalid("limit", "时限须填写整数", "the time limit must be a whole number")
	}
	c.Limit.Amount = n
	return c, amount, nil
}

func (s *Pages) adminNewCategoryPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	c := archive.Category{Active: true, Limit: calendar.Limit{Amount: 15, Unit: calendar.WorkingDays}}
	s.showCategoryForm(w, r, true, c, "15", nil)
	return nil
}

func (s *Pages) adminAddCategory(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	c, amount, err := categoryFromForm(r)
	if err == nil {
		err = s.Svc.Config.AddCategory(r.Context(), admin, &c)
	}
	if err != nil {
		s.showCategoryForm(w, r, true, c, amount, err)
		return nil
	}
	s.done(w, r, "/staff/admin/categories", "admin.categories.added", c.Name)
	return nil
}

func (s *Pages) adminEditCategoryPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	c, err := s.Svc.Config.Category(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	s.showCategoryForm(w, r, false, c, strconv.Itoa(c.Limit.Amount), nil)
	return nil
}

// adminEditCategory stores a changed category. A new limit applies to items
// filed from now on; items already filed keep their due times.
func (s *Pages) adminEditCategory(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	c, amount, err := categoryFromForm(r)
	c.Code = r.PathValue("code")
	if err == nil {
		err = s.Svc.Config.ChangeCategory(r.Context(), admin, c)
	}
	if err != nil {
		s.showCategoryForm(w, r, false, c, amount, err)
		return nil
	}
	s.done(w, r, "/staff/admin/categories", "admin.categories.saved", c.Name)
	return nil
}

type calendarYear struct {
	Year     int
	Holidays int
	Workdays int
	Entries  []calendar.Entry
}

type adminCalendarData struct {
	Years   []calendarYear
	Missing []int
	CSV     string
}

func (s *Pages) adminCalendarPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	s.showCalendar(w, r, "", nil)
	return nil
}

func (s *Pages) showCalendar(w http.ResponseWriter, r *http.Request, csv string, err error) {
	c := s.Svc.Config.Calendar()
	byYear := map[int]*calendarYear{}
	var years []calendarYear
	for _, y := range c.Years() {
		years = append(years, calendarYear{Year: y})
	}
	for i := range years {
		byYear[years[i].Year] = &years[i]
	}
	for _, e := range c.Entries() {
		y, _ := strconv.Atoi(e.Date[:4])
		cy := byYear[y]
		if cy == nil {
			continue
		}
		cy.Entries = append(cy.Entries, e)
		if e.Kind == calendar.Holiday {
			cy.Holidays++
		} else {
			cy.Workdays++
		}
	}
	s.adminRender(w, r, "admin_calendar", "admin.calendar.title", adminCalendarData{Years: years, Missing: s.missingYears(), CSV: csv}, err)
}

// adminPutCalendar adds or changes days from pasted text in the format of
// cn-holidays.csv, through the same parser and update as PUT /api/v1/calendar.
func (s *Pages) adminPutCalendar(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	text := strings.TrimSpace(r.PostFormValue("csv"))
	entries, err := calendar.ParseCSV(strings.NewReader(text + "\n"))
	if err != nil {
		s.showCalendar(w, r, text, minyi.Invalid("csv", "日历格式错误："+err.Error(), "calendar CSV: "+err.Error()))
		return nil
	}
	if len(entries) == 0 {
		s.showCalendar(w, r, text, minyi.Invalid("csv", "请在表头下面至少填写一行日期", "add at least one day below the header"))
		return nil
	}
	if _, err := s.Svc.Config.UpdateCalendar(r.Context(), admin, entries); err != nil {
		s.showCalendar(w, r, text, renameField(err, "entries", "csv"))
		return nil
	}
	s.Log.InfoContext(r.Context(), "calendar changed", "days", len(entries))
	s.done(w, r, "/staff/admin/calendar", "admin.calendar.saved", len(entries))
	return nil
}

// renameField moves the problems of one field to another, for a form whose
// field is named differently from the domain's.
func renameField(err error, from, to string) error {
	var e *minyi.Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Fields = append([]minyi.FieldError(nil), e.Fields...)
	for i := range c.Fields {
		if c.Fields[i].Field == from {
			c.Fields[i].Field = to
		}
	}
	return &c
}

type adminCannedData struct {
	Replies       []archive.CannedReply
	CategoryNames map[string]string
}

// bureauNames are the bureau's units and the archive's categories with
// their names by code, read together because the pages that choose or show
// them (the inbox, the dashboard and its export) need both.
type bureauNames struct {
	Units         []org.Unit
	UnitNames     map[string]string
	Categories    []archive.Category
	CategoryNames map[string]string
}

func (s *Pages) bureauNames(ctx context.Context) (bureauNames, error) {
	units, err := s.Org.Units(ctx)
	if err != nil {
		return bureauNames{}, err
	}
	cats, catNames, err := s.categoryNames(ctx)
	if err != nil {
		return bureauNames{}, err
	}
	n := bureauNames{Units: units, UnitNames: make(map[string]string, len(units)), Categories: cats, CategoryNames: catNames}
	for _, un := range units {
		n.UnitNames[un.Code] = un.Name
	}
	return n, nil
}

func (s *Pages) categoryNames(ctx context.Context) ([]archive.Category, map[string]string, error) {
	cats, err := s.Svc.Config.Categories(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(cats))
	for _, c := range cats {
		names[c.Code] = c.Name
	}
	return cats, names, nil
}

func (s *Pages) adminCannedPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	replies, err := s.Svc.Config.AllCannedReplies(r.Context(), admin)
	if err != nil {
		return err
	}
	_, names, err := s.categoryNames(r.Context())
	if err != nil {
		return err
	}
	s.adminRender(w, r, "admin_canned", "admin.canned.title", adminCannedData{Replies: replies, CategoryNames: names}, nil)
	return nil
}

type adminCannedReplyData struct {
	New        bool
	Form       archive.CannedReply
	Categories []archive.Category
}

func (s *Pages) showCannedForm(w http.ResponseWriter, r *http.Request, isNew bool, c archive.CannedReply, err error) {
	cats, _, cerr := s.categoryNames(r.Context())
	if cerr != nil {
		s.PageError(w, r, cerr)
		return
	}
	title := "admin.canned.edit"
	if isNew {
		title = "admin.canned.new"
	}
	s.adminRender(w, r, "admin_canned_reply", title, adminCannedReplyData{New: isNew, Form: c, Categories: cats}, err)
}

func cannedFromForm(r *http.Request) archive.CannedReply {
	return archive.CannedReply{
		CategoryCode: r.PostFormValue("category"),
		Title:        r.PostFormValue("title"),
		Body:         r.PostFormValue("body"),
		Active:       r.PostFormValue("active") == "1",
	}
}

func (s *Pages) adminNewCannedPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	s.showCannedForm(w, r, true, archive.CannedReply{Active: true, CategoryCode: r.URL.Query().Get("category")}, nil)
	return nil
}

func (s *Pages) adminAddCanned(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	c := cannedFromForm(r)
	if err := s.Svc.Config.AddCannedReply(r.Context(), admin, &c); err != nil {
		s.showCannedForm(w, r, true, c, err)
		return nil
	}
	s.done(w, r, "/staff/admin/canned", "admin.canned.added", c.Title)
	return nil
}

// cannedToEdit finds the canned reply whose id is in the path for admin.
func (s *Pages) cannedToEdit(r *http.Request, admin org.User) (archive.CannedReply, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return archive.CannedReply{}, minyi.Errorf(minyi.ENotFound, "没有这条常用答复 / no such canned reply")
	}
	return s.Svc.Config.CannedReply(r.Context(), admin, id)
}

func (s *Pages) adminEditCannedPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	c, err := s.cannedToEdit(r, admin)
	if err != nil {
		return err
	}
	s.showCannedForm(w, r, false, c, nil)
	return nil
}

func (s *Pages) adminEditCanned(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	old, err := s.cannedToEdit(r, admin)
	if err != nil {
		return err
	}
	c := cannedFromForm(r)
	c.ID = old.ID
	if err := s.Svc.Config.ChangeCannedReply(r.Context(), admin, c); err != nil {
		s.showCannedForm(w, r, false, c, err)
		return nil
	}
	s.done(w, r, "/staff/admin/canned", "admin.canned.saved", strings.TrimSpace(c.Title))
	return nil
}
