package pages

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"minyi"
	"minyi/archive"
	"minyi/matter"
	"minyi/org"
	"minyi/register"
	"minyi/web/core"
)

// matterForm is the create or edit form as staff filled it, kept to show
// it again with its problems.
type matterForm struct {
	Title, Description, Unit, Branch, Lead, Participants, Items string
	BenKind, BenName, BenPhone, BenID, BenPlace                 string
	Class, OpenedOn, DueDays, Campaign                          string
	Published, Consent                                          bool
	Version                                                     string
	FromItem                                                    string // the item a new matter is started from
}

// matterFormData is what the create and edit pages show.
type matterFormData struct {
	matterNames
	Form    matterForm
	Edit    bool
	Matter  matter.Matter // the matter edited, as stored (masked)
	Closed  bool          // done or dropped: only published and consent change
	Kinds   []matter.BeneficiaryKind
	Classes []archive.Label
	Choose  bool // the user chooses the unit (leaders and admins)
	Today   string
	Summary []string // every problem, for the list at the top
	Problem string   // a refusal not about one field (stale, illegal)
}

var beneficiaryKinds = []matter.BeneficiaryKind{matter.BeneficiaryPerson, matter.BeneficiaryHousehold,
	matter.BeneficiaryVillage, matter.BeneficiaryGroup}

// splitNames reads a list the form takes as one line: user names or
// tracking numbers separated by commas (either script), 、 or spaces.
func splitNames(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || unicode.IsSpace(r) })
}

// readMatterForm reads the form as sent.
func readMatterForm(r *http.Request) matterForm {
	v := r.PostFormValue
	return matterForm{Title: v("title"), Description: v("description"), Unit: v("unit"), Branch: v("branch"),
		Lead: strings.TrimSpace(v("lead")), Participants: v("participants"), Items: v("items"),
		BenKind: v("beneficiary_kind"), BenName: v("beneficiary_name"), BenPhone: v("beneficiary_phone"),
		BenID: v("beneficiary_id"), BenPlace: v("beneficiary_place"), Class: v("class"), Campaign: v("campaign"),
		OpenedOn: strings.TrimSpace(v("opened_on")), DueDays: strings.TrimSpace(v("due_days")),
		Published: v("published") != "", Consent: v("beneficiary_consent") != "", Version: v("version"),
		FromItem: v("from_item")}
}

// dueDays reads the time limit: empty is the class's (0); one that is not
// a whole number is a problem of the form, passed on as -1 so that the
// service still reports every other problem (meetings do the same).
func (f matterForm) dueDays(p *minyi.Problems) int {
	if f.DueDays == "" {
		return 0
	}
	n, err := strconv.Atoi(f.DueDays)
	if err != nil {
		p.Add("due_days", "办理时限须为整数", "due_days must be a whole number")
		return -1
	}
	return n
}

// campaign reads the campaign chosen: none is 0; one that is not an id is
// a problem of the form, passed on as -1 (the service knows no such
// campaign and says so).
func (f matterForm) campaign(p *minyi.Problems) int64 {
	if f.Campaign == "" {
		return 0
	}
	id, err := strconv.ParseInt(f.Campaign, 10, 64)
	if err != nil || id < 1 {
		p.Add("campaign", "活动编号无效", "campaign must be a campaign's id")
		return -1
	}
	return id
}

// matter is the new matter the form describes, with the problems of what
// the form could not read.
func (f matterForm) matter() (matter.Matter, minyi.Problems) {
	var p minyi.Problems
	m := matter.Matter{Title: f.Title, Description: f.Description, Unit: f.Unit, Branch: f.Branch, Lead: f.Lead,
		Participants: splitNames(f.Participants), Items: splitNames(f.Items), Class: archive.Class(f.Class),
		OpenedOn: f.OpenedOn, Published: f.Published, BeneficiaryConsent: f.Consent,
		Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryKind(f.BenKind), Name: f.BenName, Phone: f.BenPhone,
			IDNumber: f.BenID, Place: f.BenPlace}}
	m.DueDays, m.Campaign = f.dueDays(&p), f.campaign(&p)
	return m, p
}

// patch is the change the edit form describes of old; without a version
// it could not read, Version is nil. A closed matter's
// form sends only whether it is published and the consent. The
// beneficiary's personal data is shown masked, so its fields start empty
// and an empty one keeps what is stored.
func (f matterForm) patch(old matter.Matter) (matter.Patch, minyi.Problems) {
	var p minyi.Problems
	pt := matter.Patch{Published: &f.Published, BeneficiaryConsent: &f.Consent}
	if version, err := strconv.Atoi(strings.TrimSpace(f.Version)); err == nil {
		pt.Version = &version
	} else {
		p.Add("version", "页面版本无效，请刷新后重试", "invalid version: reload the page and try again")
	}
	if old.Status.Terminal() {
		return pt, p
	}
	participants, items := splitNames(f.Participants), splitNames(f.Items)
	class, due, campaign := archive.Class(f.Class), f.dueDays(&p), f.campaign(&p)
	if due == 0 {
		due = old.DueDays // emptied: the limit stays
	}
	kind := matter.BeneficiaryKind(f.BenKind)
	ben := &matter.BeneficiaryPatch{Kind: &kind, Place: &f.BenPlace}
	for _, x := range []struct {
		value string
		to    **string
	}{{f.BenName, &ben.Name}, {f.BenPhone, &ben.Phone}, {f.BenID, &ben.IDNumber}} {
		if strings.TrimSpace(x.value) != "" {
			v := x.value
			*x.to = &v
		}
	}
	if !kind.Personal() {
		// A village's or group's name is not masked: the form shows it, and
		// emptying it is a change.
		ben.Name = &f.BenName
	}
	pt.Title, pt.Description, pt.Branch, pt.Lead = &f.Title, &f.Description, &f.Branch, &f.Lead
	pt.Participants, pt.Items, pt.Class, pt.DueDays, pt.Beneficiary = &participants, &items, &class, &due, ben
	pt.Campaign = &campaign
	return pt, p
}

// formOf is the edit form of m as stored.
func formOf(m matter.Matter) matterForm {
	f := matterForm{Title: m.Title, Description: m.Description, Unit: m.Unit, Branch: m.Branch, Lead: m.Lead,
		Participants: strings.Join(m.Participants, ", "), Items: strings.Join(m.Items, ", "),
		BenKind: string(m.Beneficiary.Kind), BenPlace: m.Beneficiary.Place, Class: string(m.Class),
		OpenedOn: m.OpenedOn, DueDays: strconv.Itoa(m.DueDays), Published: m.Published,
		Consent: m.BeneficiaryConsent, Version: strconv.Itoa(m.Version)}
	if m.Campaign != 0 {
		f.Campaign = strconv.FormatInt(m.Campaign, 10)
	}
	if !m.Beneficiary.Kind.Personal() {
		f.BenName = m.Beneficiary.Name
	}
	return f
}

// matterNewPage shows an empty form; ?item=<number> fills it from that
// opinion (title, class, unit, the item itself), so that a matter is
// started from an item in one step.
func (s *Pages) matterNewPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := matterForm{OpenedOn: chinaToday(), Unit: u.UnitCode}
	if number := strings.TrimSpace(r.URL.Query().Get("item")); number != "" {
		view, err := s.Items.Get(ctx, u, number)
		if err != nil {
			return err
		}
		it := view.Item
		f.Title, f.Class, f.Items, f.FromItem = headOf(it.Title, matter.MaxTitleRunes), string(it.Class), it.Number, it.Number
		if it.UnitCode != "" && u.CanFileInto(it.UnitCode) {
			f.Unit = it.UnitCode
		}
	}
	s.showMatterForm(w, r, http.StatusOK, u, f, matter.Matter{}, nil, "")
	return nil
}

// headOf is the start of text, at most n characters, for a title.
func headOf(text string, n int) string {
	text = strings.TrimSpace(strings.TrimSuffix(text, "…"))
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n])
}

// createMatter records a new matter and goes to its page, once per form
// (fileOnce): the same form sent twice (a double click, a reload of the
// answer) records one matter and leads the second sending to it.
func (s *Pages) createMatter(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := readMatterForm(r)
	if !u.SeesAll() {
		// Unit staff are shown their own unit without a choice; the
		// service refuses any other.
		f.Unit = u.UnitCode
	}
	m, p := f.matter()
	to, again, err := s.fileOnce(ctx, matter.Register, r.PostFormValue(formTokenField), matterPath, func(form archive.Form) (string, error) {
		m.Form = form
		m, err := s.Svc.Matters.Create(ctx, u, m)
		if err != nil {
			return "", err
		}
		s.Log.InfoContext(ctx, "matter recorded", "matter", m.ID, "by", u.Name)
		return matterPath(m.ID), nil
	})
	if err != nil {
		if minyi.ErrorCode(err) != minyi.EInvalid {
			return err
		}
		s.showMatterForm(w, r, http.StatusBadRequest, u, f, matter.Matter{}, s.formProblems(r, err, p), "")
		return nil
	}
	if !again {
		core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "matter.created"))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// formProblems are the messages of a refused form by field: the service's,
// then the form's own (p), which say better what is wrong with a value the
// form could not read.
func (s *Pages) formProblems(r *http.Request, err error, p minyi.Problems) map[string]string {
	lang := core.PreferredLang(r)
	errs := core.FormErrors(s.Catalog, lang, err)
	for k, msg := range core.FieldErrors(s.Catalog, lang, p.Err()) {
		errs[k] = msg
	}
	return errs
}

// matterEditPage shows the edit form of a matter the user may change.
func (s *Pages) matterEditPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	m, err := s.editableMatter(ctx, u, r)
	if err != nil {
		return err
	}
	s.showMatterForm(w, r, http.StatusOK, u, formOf(m), m, nil, "")
	return nil
}

// editableMatter reads the matter of the path and refuses one the user may
// see but not change (a partner, another role).
func (s *Pages) editableMatter(ctx context.Context, u org.User, r *http.Request) (matter.Matter, error) {
	id, err := matterID(r)
	if err != nil {
		return matter.Matter{}, err
	}
	m, err := s.Svc.Matters.Get(ctx, u, id)
	if err != nil {
		return matter.Matter{}, err
	}
	if err := mayChangeMatter(u, m); err != nil {
		return matter.Matter{}, err
	}
	return m, nil
}

// mayChangeMatter refuses a user who may not edit m: the service's rule
// (matter.MayEdit), and disabled accounts.
func mayChangeMatter(u org.User, m matter.Matter) error {
	if !u.CanFile() {
		return readOnly()
	}
	return matter.MayEdit(register.ActorFor(u), m.Unit)
}

// editMatter saves the edit form against the version it was read at. A
// stale version shows the form again with what the matter holds now (409);
// bad input shows what was typed with the problems (400); a change a done
// matter may not take is refused (422). Nothing is changed then.
func (s *Pages) editMatter(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	old, err := s.editableMatter(ctx, u, r)
	if err != nil {
		return err
	}
	f := readMatterForm(r)
	f.Unit, f.OpenedOn = old.Unit, old.OpenedOn // not editable
	pt, p := f.patch(old)
	lang := core.PreferredLang(r)
	if pt.Version == nil {
		s.showMatterForm(w, r, http.StatusBadRequest, u, f, old, s.formProblems(r, p.Err(), minyi.Problems{}), "")
		return nil
	}
	// A value the form could not read went to the service as an invalid
	// one, so the service refuses the edit and names every other problem.
	m, err := s.Svc.Matters.Edit(ctx, u, old.ID, pt)
	if err == nil {
		msg := "matter.edited"
		if m.Version == old.Version {
			msg = "matter.unchanged"
		}
		core.SetFlash(w, s.Catalog.T(lang, msg))
		http.Redirect(w, r, matterPath(m.ID), http.StatusSeeOther)
		return nil
	}
	switch minyi.ErrorCode(err) {
	case minyi.EInvalid:
		s.showMatterForm(w, r, http.StatusBadRequest, u, f, old, s.formProblems(r, err, p), "")
	case minyi.EConflict:
		now, gerr := s.Svc.Matters.Get(ctx, u, old.ID)
		if gerr != nil {
			return gerr
		}
		s.showMatterForm(w, r, http.StatusConflict, u, formOf(now), now, nil, s.Catalog.T(lang, "matter.stale"))
	case minyi.EIllegal:
		s.showMatterForm(w, r, http.StatusUnprocessableEntity, u, f, old, nil,
			s.Catalog.T(lang, "matter.refused", core.LocalMessage(lang, minyi.ErrorMessage(err))))
	default:
		return err
	}
	return nil
}

// showMatterForm renders the create form, or the edit form of m when m
// has an id, with f, the problems by field and a refusal not about one.
func (s *Pages) showMatterForm(w http.ResponseWriter, r *http.Request, status int, u org.User, f matterForm, m matter.Matter, errs map[string]string, problem string) {
	names, err := s.matterNames(r.Context(), u)
	if err == nil {
		names.Campaigns, err = s.keepCampaign(r.Context(), u, names.Campaigns, names.Campaign, f.Campaign)
	}
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	d := matterFormData{matterNames: names, Form: f, Edit: m.ID != 0, Matter: m, Closed: m.Status.Terminal(),
		Kinds: beneficiaryKinds, Classes: archive.Classes, Choose: u.SeesAll() && m.ID == 0, Today: chinaToday(),
		Problem: problem}
	v := s.NewView(w, r, "", nil)
	if d.Edit {
		v.Title = v.T("matter.edit_title", v.Conv(m.Title))
		v.Path = matterPath(m.ID) + "/edit"
	} else {
		v.Title = v.T("matter.new_title")
		v.Path = "/staff/matters/new"
	}
	v.Errors = errs
	d.Summary = errorSummary(v, errs)
	v.Data = d
	s.Render(w, r, status, "matter_form", v)
}
