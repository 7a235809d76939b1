package pages

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/campaign"
	"minyi/measure"
	"minyi/org"
	"minyi/register"
	"minyi/servicepoint"
	"minyi/volunteer"
	"minyi/web/core"
)

// What the ledgers' pages (convenience measures, service points, volunteer
// activities, the branch comparison) share: the units and branches their
// forms and filters offer, the reading of a list's query, and the
// once-only filing of their create forms.

// ledgerPageSize is how many records a ledger's list shows at a time.
const ledgerPageSize = 20

// ledgerChoices are the units and party branches a ledger's forms and
// filters offer a user: every unit and branch to those who see all, else
// their own unit's; with the names of all of them for showing records.
type ledgerChoices struct {
	Units       []org.Unit
	Branches    []org.Branch
	UnitNames   map[string]string
	BranchNames map[string]string

	// Campaigns are the latest campaigns, to file a record under one and
	// to filter by; CampaignNames names them by id.
	Campaigns     []campaign.Campaign
	CampaignNames map[int64]string
}

func (s *Pages) ledgerChoices(ctx context.Context, u org.User) (ledgerChoices, error) {
	units, err := s.Org.Units(ctx)
	if err != nil {
		return ledgerChoices{}, err
	}
	branches, err := s.Org.Branches(ctx)
	if err != nil {
		return ledgerChoices{}, err
	}
	c := ledgerChoices{UnitNames: map[string]string{}, BranchNames: map[string]string{}}
	for _, un := range units {
		c.UnitNames[un.Code] = un.Name
		if u.CanSeeUnit(un.Code) {
			c.Units = append(c.Units, un)
		}
	}
	for _, b := range branches {
		c.BranchNames[b.Code] = b.Name
		if u.CanSeeUnit(b.UnitCode) {
			c.Branches = append(c.Branches, b)
		}
	}
	if c.Campaigns, c.CampaignNames, err = s.campaignChoices(ctx, u); err != nil {
		return ledgerChoices{}, err
	}
	return c, nil
}

// listQuery reads a ledger list's query: the shared part (q, cursor, the
// page size) as a register.Filter, and the values of keys as given, to
// show them in the filter form and keep them in the next page's link.
func listQuery(r *http.Request, keys ...string) (register.Filter, map[string]string) {
	q := r.URL.Query()
	params := map[string]string{"q": q.Get("q")}
	for _, k := range keys {
		params[k] = strings.TrimSpace(q.Get(k))
	}
	return register.Filter{Query: q.Get("q"), Cursor: q.Get("cursor"), Limit: ledgerPageSize}, params
}

// listOrExport answers a staff list: filter reads its filter (and the
// parameters the page keeps in its links) from the request; with
// format=csv|xlsx the answer is every record the filter selects as a file
// of ex's columns through list (core.WriteList: the list's authorisation
// and masking), and done is true; otherwise page is list's page for the
// page to show.
func listOrExport[F, T any](s *Pages, w http.ResponseWriter, r *http.Request, ex core.Export[T],
	filter func(*http.Request) (F, map[string]string, error),
	list func(context.Context, org.User, F) (register.Page[T], error)) (page register.Page[T], params map[string]string, done bool, err error) {
	u, _ := core.UserFrom(r.Context())
	format, err := core.ExportFormat(r)
	if err != nil {
		return page, nil, false, err
	}
	f, params, err := filter(r)
	if err != nil {
		return page, nil, false, err
	}
	if format != "" {
		read := func(r *http.Request) (F, error) {
			f, _, err := filter(r)
			return f, err
		}
		return page, nil, true, core.WriteList(s.Base, w, r, u, format, ex, read, list)
	}
	page, err = list(r.Context(), u, f)
	return page, params, false, err
}

// nextQuery is the query of a list's next page: the filter as given and
// the cursor.
func nextQuery(params map[string]string, cursor string) template.URL {
	v := make([]string, 0, len(params)*2+2)
	for k, x := range params {
		if x != "" {
			v = append(v, core.URLEscape(k)+"="+core.URLEscape(x))
		}
	}
	v = append(v, "cursor="+core.URLEscape(cursor))
	return template.URL(strings.Join(v, "&"))
}

var listSeparators = regexp.MustCompile(`[\s,，、;；]+`)

// splitList reads a form's list of names or numbers, one per line or
// separated by commas (Latin or Chinese), 、 or semicolons.
func splitList(s string) []string {
	out := []string{}
	for _, x := range listSeparators.Split(strings.TrimSpace(s), -1) {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// formInt reads a whole number a form gives; an empty value is 0, a value
// it cannot read a problem of field.
func formInt(p *minyi.Problems, field, value, zh, en string) int {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	n, err := strconv.Atoi(value)
	if err != nil {
		p.Add(field, zh+"须为整数", en+" must be a whole number")
		return -1
	}
	return n
}

// withFormProblems adds to err, the service's refusal of a record the
// form passed on with the values it could not read made invalid, the
// form's own problems p, which say better what is wrong with those values:
// they replace the service's of the same fields. Any other error, or none
// when p has problems, is the form's problems alone.
func withFormProblems(err error, p minyi.Problems) error {
	if len(p) == 0 {
		return err
	}
	if err != nil && minyi.ErrorCode(err) != minyi.EInvalid {
		return err
	}
	var e *minyi.Error
	var out minyi.Problems
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if !slices.ContainsFunc(p, func(x minyi.FieldError) bool { return x.Field == f.Field }) {
				out = append(out, f)
			}
		}
	}
	return append(out, p...).Err()
}

// ledgerPath returns the path of a record of the staff's ledger list
// /staff/<list>.
func ledgerPath(list string) func(id int64) string {
	return func(id int64) string { return "/staff/" + list + "/" + strconv.FormatInt(id, 10) }
}

// recordID reads a record's {id} from the path; a bad one is not found.
func recordID(r *http.Request, noun register.Noun) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, minyi.Errorf(minyi.ENotFound, "%s不存在 / %s not found", noun.Zh, noun.En)
	}
	return id, nil
}

// formVersion reads the version a change form was filled from.
func formVersion(r *http.Request) *int {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return nil
	}
	return &v
}

// refused is the status a form refused by err is shown again with, or 0
// when err is not one a form shows beside its fields (then the error page).
func refused(err error) int {
	switch minyi.ErrorCode(err) {
	case minyi.EInvalid:
		return http.StatusBadRequest
	case minyi.EConflict:
		return http.StatusConflict
	case minyi.EIllegal:
		return http.StatusUnprocessableEntity
	}
	return 0
}

// fileOnce files a ledger's create form, of register reg, once: the form
// carries a fresh form token (template "formtoken"), and a second sending
// of the same token — a reload of the answer, a double click, on any
// server, after a restart — is sent to the record the first created
// (path), filing nothing; again is then true. file passes the form on to
// the service's Create, which notes it in the record's transaction
// (archive.FileOnce), so two sendings at once also create one record. A
// form without a token, or with one that cannot be ours, is refused.
func (s *Pages) fileOnce(ctx context.Context, reg, token string, path func(id int64) string, file func(f archive.Form) (to string, err error)) (to string, again bool, err error) {
	stale := minyi.Invalid("form", "表单已失效，请刷新页面后重新填写", "the form is no longer valid: reload it and fill it in again")
	if !formTokenShape.MatchString(token) {
		return "", false, stale
	}
	id, err := s.Svc.Items.FormRecord(ctx, reg, token)
	if minyi.ErrorCode(err) == minyi.EInvalid {
		return "", false, stale // the token of another form: shown beside the form's button
	} else if err != nil {
		return "", false, err
	}
	if id != 0 {
		return path(id), true, nil
	}
	to, err = file(archive.Form{FormToken: token})
	return to, false, err
}

var formTokenShape = regexp.MustCompile(`^[A-Za-z0-9_-]{32,128}$`)

// ledger names a ledger's pages to the handlers they share: its register
// (as in the event log), its list's path under /staff/, the prefix of its
// texts and log entries' key (measure: measure.saved, measure.changed,
// measure.new_title, measure.edit_title) and how the log calls a record.
type ledger struct {
	reg, list, key, logNoun string
}

var (
	measureLedger  = ledger{measure.Register, "measures", "measure", "measure"}
	pointLedger    = ledger{servicepoint.Register, "points", "point", "service point"}
	activityLedger = ledger{volunteer.Register, "volunteer", "activity", "volunteer activity"}
	campaignLedger = ledger{campaign.Register, "campaigns", "campaign", "campaign"}
)

// path is the path of the ledger's record id.
func (l ledger) path(id int64) string { return ledgerPath(l.list)(id) }

// ledgerListPage is what a ledger's list shows besides its records: the
// choices of its filters (with the campaign filtered by), the filter as
// given, the count of all that match (Capped: more than Total, a search
// counted up to its cap), the next page's query and whether the user may
// record.
type ledgerListPage struct {
	ledgerChoices
	Params    map[string]string
	Total     int
	Capped    bool
	Next      template.URL
	CanRecord bool
}

// listPage makes the ledgerListPage of a list's page of records, found
// with the filter params.
func listPage[T any](ctx context.Context, s *Pages, u org.User, params map[string]string, page register.Page[T]) (ledgerListPage, error) {
	c, err := s.ledgerChoicesKeeping(ctx, u, params["campaign"])
	if err != nil {
		return ledgerListPage{}, err
	}
	l := ledgerListPage{ledgerChoices: c, Params: params, CanRecord: u.CanFile()}
	if page.Total != nil {
		l.Total, l.Capped = *page.Total, page.TotalCapped
	}
	if page.NextCursor != "" {
		l.Next = nextQuery(params, page.NextCursor)
	}
	return l, nil
}

// ledgerChoicesKeeping are the ledgerChoices with the campaign a form or
// filter names among them even when it is older than the latest ones
// (keepCampaign).
func (s *Pages) ledgerChoicesKeeping(ctx context.Context, u org.User, campaign string) (ledgerChoices, error) {
	c, err := s.ledgerChoices(ctx, u)
	if err == nil {
		c.Campaigns, err = s.keepCampaign(ctx, u, c.Campaigns, c.CampaignNames, campaign)
	}
	return c, err
}

// ledgerFormPage is what a ledger's form shows besides its fields: the
// choices of its selects, the record's id (0 for a new one) and list, the summary
// of the problems and whether someone changed the record meanwhile.
type ledgerFormPage struct {
	ledgerChoices
	ID       int64
	List     string // the path of the ledger's list: /staff/measures
	Summary  []string
	Conflict bool
}

// formView makes the view of the ledger's form of record id (0: a new
// one, else the record called name), shown with status and the problems
// errs, the campaign it names among the choices; false when it showed the
// error page instead.
func (l ledger) formView(s *Pages, w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, name, campaign string, errs map[string]string) (*core.View, ledgerFormPage, bool) {
	c, err := s.ledgerChoicesKeeping(r.Context(), u, campaign)
	if err != nil {
		s.PageError(w, r, err)
		return nil, ledgerFormPage{}, false
	}
	v := s.NewView(w, r, "", nil)
	if id == 0 {
		v.Title = v.T(l.key + ".new_title")
	} else {
		v.Title = v.T(l.key+".edit_title", name)
	}
	v.Errors = errs
	return v, ledgerFormPage{ledgerChoices: c, ID: id, List: "/staff/" + l.list, Summary: errorSummary(v, errs), Conflict: status == http.StatusConflict}, true
}

// create answers the ledger's create form: it files the record once
// (fileOnce) by create, which stores it through the service and answers
// its id, the form's own problems p beside the service's; then goes to
// the record, saying it was saved unless the form was sent before. A
// refused form is shown again (show).
func (l ledger) create(s *Pages, w http.ResponseWriter, r *http.Request, p minyi.Problems, create func(archive.Form) (int64, error), show func(status int, errs map[string]string)) error {
	ctx := r.Context()
	to, again, err := s.fileOnce(ctx, l.reg, r.PostFormValue(formTokenField), l.path, func(form archive.Form) (string, error) {
		id, err := create(form)
		if err := withFormProblems(err, p); err != nil {
			return "", err
		}
		u, _ := core.UserFrom(ctx)
		s.Log.InfoContext(ctx, l.logNoun+" recorded", l.key, id, "by", u.Name)
		return l.path(id), nil
	})
	if err != nil {
		return s.refuseLedgerForm(w, r, err, show)
	}
	if !again {
		core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), l.key+".saved"))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// changed answers the ledger's change form of record id, err its refusal
// or nil: refused, the form is shown again (show), after reread has taken
// the version now stored when the form's was stale; else the record,
// saying it was changed.
func (l ledger) changed(s *Pages, w http.ResponseWriter, r *http.Request, id int64, err error, reread func(), show func(status int, errs map[string]string)) error {
	if err != nil {
		if minyi.ErrorCode(err) == minyi.EConflict {
			reread()
		}
		return s.refuseLedgerForm(w, r, err, show)
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), l.key+".changed"))
	http.Redirect(w, r, l.path(id), http.StatusSeeOther)
	return nil
}

// refuseLedgerForm shows a ledger's form again with the problems of err
// beside their fields, when err is about what was sent (invalid, a stale
// version, an illegal step); any other error is the error page's.
func (s *Pages) refuseLedgerForm(w http.ResponseWriter, r *http.Request, err error, show func(status int, errs map[string]string)) error {
	status := refused(err)
	if status == 0 {
		return err
	}
	show(status, core.FormErrors(s.Catalog, core.PreferredLang(r), err))
	return nil
}

// ledgerRecord reads the path's {id} and the record of that id that the
// user may see, by get (a service's Get).
func ledgerRecord[T any](r *http.Request, noun register.Noun, get func(context.Context, org.User, int64) (T, error)) (org.User, int64, T, error) {
	u, _ := core.UserFrom(r.Context())
	var rec T
	id, err := recordID(r, noun)
	if err == nil {
		rec, err = get(r.Context(), u, id)
	}
	return u, id, rec, err
}
