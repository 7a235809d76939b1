package pages

import (
	"context"
	"minyi"
	"net/http"
	"strconv"
	"time"

	"minyi/archive"
	"minyi/campaign"
	"minyi/matter"
	"minyi/org"
	"minyi/outcome"
	"minyi/register"
	"minyi/web/core"
)

// The practical matters' pages (实事台账): the list with its filters here,
// the create and edit forms in matters_form.go, a matter's page with its
// lifecycle forms in matters_detail.go. The service decides who sees and
// changes what; the pages only leave out the buttons it would refuse.

// matterPageSize is how many matters the list shows at once.
const matterPageSize = 30

// matterFilterParams are the list's filters, kept in its links.
var matterFilterParams = []string{"q", "status", "unit", "branch", "lead", "led", "participant", "class", "campaign", "from", "to", "item", "outcome"}

// matterNames is what the matters' pages show instead of codes: the names
// of units, party branches and staff.
type matterNames struct {
	Units    []org.Unit
	UnitName map[string]string
	Branches []org.Branch
	Branch   map[string]string
	Staff    map[string]string // user name → display name
	// Campaigns are the latest campaigns, to file a matter under one.
	Campaigns []campaign.Campaign
	Campaign  map[int64]string
}

// matterNames reads the names u may read; a page fails without them, since
// choosing a unit, a branch or a campaign needs them.
func (s *Pages) matterNames(ctx context.Context, u org.User) (matterNames, error) {
	var n matterNames
	var err error
	if n.Units, err = s.Org.Units(ctx); err != nil {
		return n, err
	}
	if n.Branches, err = s.Org.Branches(ctx); err != nil {
		return n, err
	}
	if n.Staff, err = s.Org.DisplayNames(ctx); err != nil {
		return n, err
	}
	if n.Campaigns, n.Campaign, err = s.campaignChoices(ctx, u); err != nil {
		return n, err
	}
	n.UnitName, n.Branch = map[string]string{}, map[string]string{}
	for _, u := range n.Units {
		n.UnitName[u.Code] = u.Name
	}
	for _, b := range n.Branches {
		n.Branch[b.Code] = b.Name
	}
	return n, nil
}

// UnitOf names a unit by its code, or gives the code of one not known.
func (n matterNames) UnitOf(code string) string {
	if name, ok := n.UnitName[code]; ok {
		return name
	}
	return code
}

// BranchOf names a party branch by its code.
func (n matterNames) BranchOf(code string) string {
	if name, ok := n.Branch[code]; ok {
		return name
	}
	return code
}

// CampaignOf names a campaign by its id.
func (n matterNames) CampaignOf(id int64) string {
	if name, ok := n.Campaign[id]; ok {
		return name
	}
	return strconv.FormatInt(id, 10)
}

// Person names a member of staff by user name: the display name with the
// user name, which is what the forms ask for.
func (n matterNames) Person(name string) string {
	if d, ok := n.Staff[name]; ok && d != "" && d != name {
		return d + "（" + name + "）"
	}
	return name
}

type matterListData struct {
	matterNames
	Page      register.Page[matter.Matter]
	Params    map[string]string
	Statuses  []matter.Status
	Classes   []archive.Label
	CanCreate bool
	Now       time.Time
	Total     int  // how many matters the filters select, over every page
	Capped    bool // more than Total: a search counted up to its cap
	// Outcome is the counted outcome asked (?outcome=), OutcomeSum its
	// values added up over every matter selected, as the report's
	// matters.outcome_<key>; Summed is false when words select the list.
	Outcome    outcome.Key
	OutcomeSum int64
	Summed     bool
}

// Overdue reports whether m is past its due time and still open.
func (d matterListData) Overdue(m matter.Matter) bool { return matterOverdue(m, d.Now) }

func matterOverdue(m matter.Matter, now time.Time) bool {
	return !m.Status.Terminal() && !m.DueAt.IsZero() && now.After(m.DueAt)
}

// matterFilter reads the matters' list filter.
func matterFilter(r *http.Request) (matter.Filter, map[string]string, error) {
	q := r.URL.Query()
	f := matter.Filter{Filter: register.Filter{Query: q.Get("q"), Cursor: q.Get("cursor"), Limit: matterPageSize},
		Status: matter.Status(q.Get("status")), Unit: q.Get("unit"), Branch: q.Get("branch"), Lead: q.Get("lead"),
		Class: archive.Class(q.Get("class")), From: q.Get("from"), To: q.Get("to"), Item: q.Get("item"),
		Participant: q.Get("participant"), Outcome: q.Get("outcome")}
	var err error
	if f.Reveal, err = core.RevealParam(r); err != nil {
		return f, nil, err
	}
	switch q.Get("led") {
	case "", "false":
	case "true":
		f.Led = true
	default:
		return f, nil, minyi.Invalid("led", "led须为true或false", "led must be true or false")
	}
	if c := q.Get("campaign"); c != "" {
		if f.Campaign, err = strconv.ParseInt(c, 10, 64); err != nil || f.Campaign < 1 {
			return f, nil, minyi.Invalid("campaign", "活动编号无效", "campaign must be a campaign's id")
		}
	}
	return f, nil, nil
}

// mattersPage lists the matters the user may see, newest first, filtered
// by status, unit, branch, lead, concern class, the day of completion and
// full text, with the count of all that match and a page at a time.
func (s *Pages) mattersPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	page, _, done, err := listOrExport(s, w, r, core.MattersExport, matterFilter, s.Svc.Matters.List)
	if done || err != nil {
		return err
	}
	names, err := s.matterNames(ctx, u)
	if err == nil {
		names.Campaigns, err = s.keepCampaign(ctx, u, names.Campaigns, names.Campaign, q.Get("campaign"))
	}
	if err != nil {
		return err
	}
	d := matterListData{matterNames: names, Page: page, Params: map[string]string{}, Statuses: matter.Statuses,
		Classes: archive.Classes, CanCreate: u.CanFile(), Now: time.Now()}
	if page.Total != nil {
		d.Total, d.Capped = *page.Total, page.TotalCapped
	}
	for _, k := range matterFilterParams {
		d.Params[k] = q.Get(k)
	}
	if f, _, _ := matterFilter(r); f.Outcome != "" {
		keys, err := s.Svc.Matters.Outcomes(ctx)
		if err != nil {
			return err
		}
		d.Outcome = outcome.Key{Code: f.Outcome, Zh: f.Outcome, En: f.Outcome}
		if k, ok := outcome.Find(keys, f.Outcome); ok {
			d.Outcome = k
		}
		if f.Query == "" {
			if d.OutcomeSum, err = s.Svc.Matters.OutcomeSum(ctx, u, f); err != nil {
				return err
			}
			d.Summed = true
		}
	}
	v := s.NewView(w, r, "", d)
	v.RevealExport = register.MayRevealAll(u, matter.MayReveal) == nil
	v.Title = v.T("matters.title")
	s.Render(w, r, http.StatusOK, "matters", v)
	return nil
}

// matterID reads the matter's id in the path; a bad one is no matter.
func matterID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, minyi.Errorf(minyi.ENotFound, "实事不存在 / matter not found")
	}
	return id, nil
}

func matterPath(id int64) string { return "/staff/matters/" + strconv.FormatInt(id, 10) }

// itemMatters are the practical matters answering an item, for its desk,
// and whether the reader may start one from it.
type itemMatters struct {
	List     []matter.Matter
	More     bool // more than the desk lists; the matters' list has them all
	CanStart bool
}

// itemMattersShown is how many matters an item's desk lists.
const itemMattersShown = 10

// itemMatters reads the matters answering the item numbered number that u
// may see. The desk shows no count of them (More links to the list that
// has it), so none is made on every item's page.
func (s *Pages) itemMatters(ctx context.Context, u org.User, number string) (itemMatters, error) {
	page, err := s.Svc.Matters.List(ctx, u, matter.Filter{Filter: register.Filter{Limit: itemMattersShown}, Item: number, NoTotal: true})
	if err != nil {
		return itemMatters{}, err
	}
	return itemMatters{List: page.Items, More: page.NextCursor != "", CanStart: u.CanFile()}, nil
}
