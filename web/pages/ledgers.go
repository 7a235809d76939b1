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
	"minyi/org"
	"minyi/register"
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
