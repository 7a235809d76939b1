package pages

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/dispute"
	"minyi/dispute/kind"
	"minyi/locale"
	"minyi/org"
	"minyi/register"
	"minyi/web/core"
)

// The disputes' pages (矛盾纠纷排查化解台账): the list with its filters and
// total, a new dispute with its parties, a dispute with its mediation
// steps, outcome and follow-up visits and the lifecycle's actions
// (dispute.Available), and the change of its fields against the version
// read. Parties are shown masked, as the API answers them.

// disputeRoutes are the disputes' pages.
func (s *Pages) disputeRoutes() []route {
	return []route{
		{"GET", "/staff/disputes", s.disputesPage, "staff"},
		{"GET", "/staff/disputes/new", s.disputeNewPage, "staff"},
		{"POST", "/staff/disputes", s.createDispute, "staff"},
		{"GET", "/staff/disputes/{id}", s.disputePage, "staff"},
		{"GET", "/staff/disputes/{id}/edit", s.disputeEditPage, "staff"},
		{"POST", "/staff/disputes/{id}", s.editDispute, "staff"},
		{"POST", "/staff/disputes/{id}/act", s.actOnDispute, "staff"},
		{"POST", "/staff/disputes/{id}/reveal", s.disputeReveal, "staff"},
		{"GET", "/staff/disputes/{dispute}/shown/{id}", s.disputeShownPage, "staff"},
	}
}

var disputeLedger = ledger{dispute.Register, "disputes", "dispute", "dispute"}

// disputeFormParties is how many rows of parties the new dispute's form
// offers: the page works without script, so it cannot add rows; a dispute
// of more parties adds them on its edit page, disputeAddParties rows at a
// time.
const disputeFormParties = 4

// disputeAddParties is how many empty rows the edit page offers for
// parties found later.
const disputeAddParties = 2

// disputeKinds are the kinds a dispute may be recorded with now, and the
// name of every kind code in the reader's language (a kind dropped from
// the list is named by its code).
type disputeKinds struct {
	Kinds     []kind.Kind
	KindNames map[string]string
}

func (s *Pages) disputeKinds(ctx context.Context, v *core.View) (disputeKinds, error) {
	kinds, err := s.Svc.Disputes.Kinds(ctx)
	if err != nil {
		return disputeKinds{}, err
	}
	d := disputeKinds{Kinds: kinds, KindNames: map[string]string{}}
	for _, k := range append(append([]kind.Kind{}, kind.Defaults...), kinds...) {
		if v.Lang == locale.En {
			d.KindNames[k.Code] = k.En
		} else {
			d.KindNames[k.Code] = v.Conv(k.Zh)
		}
	}
	return d, nil
}

// disputeToday is today in China time on the disputes' clock (the items').
func (s *Pages) disputeToday() string {
	return archive.ChinaDay(s.Svc.Items.Clock()).Format("2006-01-02")
}

type disputesData struct {
	ledgerListPage
	disputeKinds
	Page     register.Page[dispute.Dispute]
	Statuses []dispute.Status
	Risks    []dispute.Risk
	Levels   []dispute.Level
}

// disputeFilter reads the disputes' list filter.
func disputeFilter(r *http.Request) (dispute.Filter, map[string]string, error) {
	rf, params := listQuery(r, "status", "unit", "branch", "kind", "township", "risk", "overdue", "from", "to", "closed_from", "closed_to", "level", "campaign")
	camp, err := listCampaign(params)
	f := dispute.Filter{Filter: rf, Status: dispute.Status(params["status"]),
		Unit: params["unit"], Branch: params["branch"], Kind: params["kind"], Township: params["township"],
		Risk: dispute.Risk(params["risk"]), Overdue: params["overdue"] == "true", From: params["from"], To: params["to"],
		ClosedFrom: params["closed_from"], ClosedTo: params["closed_to"], Level: dispute.Level(params["level"]), Campaign: camp}
	if err == nil {
		f.Reveal, err = core.RevealParam(r)
	}
	return f, params, err
}

// disputesPage lists the disputes the user may see, newest first, with the
// filters of the API and the count of all that match.
func (s *Pages) disputesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, params, done, err := listOrExport(s, w, r, core.DisputesExport, disputeFilter, s.Svc.Disputes.List)
	if done || err != nil {
		return err
	}
	l, err := listPage(ctx, s, u, params, page)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", nil)
	v.RevealExport = register.MayRevealAll(u, dispute.MayReveal) == nil
	k, err := s.disputeKinds(ctx, v)
	if err != nil {
		return err
	}
	v.Data = disputesData{ledgerListPage: l, disputeKinds: k, Page: page, Statuses: dispute.Statuses, Risks: dispute.Risks,
		Levels: dispute.Levels}
	v.Title = v.T("disputes.title")
	s.Render(w, r, http.StatusOK, "disputes", v)
	return nil
}

// disputeForm is the dispute form as staff filled it.
type disputeForm struct {
	FoundOn, Kind, Township, Village, Risk, Source, Item, Unit, Branch, Summary, DueDays, Campaign string
	// Parties are the rows of parties sent: a new dispute's parties, or
	// those a change adds after the stored ones.
	Parties []dispute.Party
	// Stored are a changed dispute's parties as stored, masked: the edit
	// page lists them above the rows that add parties.
	Stored  []dispute.Party
	Version int
}

func readDisputeForm(r *http.Request, u org.User) disputeForm {
	v := func(k string) string { return r.PostFormValue(k) }
	f := disputeForm{FoundOn: strings.TrimSpace(v("found_on")), Kind: v("kind"), Township: v("township"), Village: v("village"),
		Risk: v("risk"), Source: v("source"), Item: v("item"), Unit: v("unit"), Branch: v("branch"), Summary: v("summary"),
		DueDays: v("due_days"), Campaign: v("campaign")}
	if !u.SeesAll() && f.Unit == "" {
		// The form shows unit staff their own unit; the service refuses
		// any other.
		f.Unit = u.UnitCode
	}
	names, phones, roles := r.PostForm["party_name"], r.PostForm["party_phone"], r.PostForm["party_role"]
	for i := range names {
		p := dispute.Party{Name: names[i]}
		if i < len(phones) {
			p.Phone = phones[i]
		}
		if i < len(roles) {
			p.Role = dispute.PartyRole(roles[i])
		}
		f.Parties = append(f.Parties, p)
	}
	return f
}

func disputeFormOf(d dispute.Dispute) disputeForm {
	return disputeForm{FoundOn: d.FoundOn, Kind: d.Kind, Township: d.Township, Village: d.Village, Risk: string(d.Risk),
		Source: string(d.Source), Item: d.Item, Unit: d.Unit, Branch: d.Branch, Summary: d.Summary,
		DueDays: strconv.Itoa(d.DueDays), Campaign: campaignValue(d.Campaign), Version: d.Version, Stored: d.Parties}
}

// dispute is the dispute the form describes, with the problems of the
// values it cannot read. Rows of parties left empty are no parties.
func (f disputeForm) dispute() (dispute.Dispute, minyi.Problems) {
	var p minyi.Problems
	d := dispute.Dispute{FoundOn: f.FoundOn, Kind: f.Kind, Township: f.Township, Village: f.Village, Risk: dispute.Risk(f.Risk),
		Source: dispute.Source(f.Source), Item: f.Item, Unit: f.Unit, Branch: f.Branch, Summary: f.Summary,
		DueDays: formInt(&p, "due_days", f.DueDays, "化解时限", "due_days"), Campaign: formCampaign(&p, f.Campaign)}
	for _, x := range f.Parties {
		if strings.TrimSpace(x.Name) != "" || strings.TrimSpace(x.Phone) != "" {
			d.Parties = append(d.Parties, x)
		}
	}
	return d, p
}

// rows are the party rows the form shows: those sent, and empty ones up
// to disputeFormParties on a new dispute, disputeAddParties on a change.
func (f disputeForm) rows(change bool) []dispute.Party {
	rows := append([]dispute.Party{}, f.Parties...)
	n := disputeFormParties
	if change {
		n = disputeAddParties
	}
	for len(rows) < n {
		rows = append(rows, dispute.Party{})
	}
	return rows
}

type disputeFormData struct {
	ledgerFormPage
	disputeKinds
	Form      disputeForm
	PartyRows []dispute.Party
	// Offset is the number of the first row's party among the dispute's
	// (the stored parties come first on a change), so that a row's label
	// and the service's problem parties[i] match.
	Offset     int
	Today      string
	Risks      []dispute.Risk
	Sources    []dispute.Source
	PartyRoles []dispute.PartyRole
}

// PartyErr is the problem of row i's field of the parties (parties[i].name).
func (d disputeFormData) PartyErr(v *core.View, i int, field string) string {
	return v.Err("parties[" + strconv.Itoa(i) + "]." + field)
}

func (s *Pages) showDisputeForm(w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, f disputeForm, errs map[string]string) {
	v, page, ok := disputeLedger.formView(s, w, r, status, u, id, f.Summary, f.Campaign, errs)
	if !ok {
		return
	}
	if id != 0 {
		v.Title = v.T("dispute.edit_title", id)
	}
	k, err := s.disputeKinds(r.Context(), v)
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	v.Data = disputeFormData{ledgerFormPage: page, disputeKinds: k, Form: f, PartyRows: f.rows(id != 0), Offset: len(f.Stored), Today: s.disputeToday(),
		Risks: dispute.Risks, Sources: dispute.Sources, PartyRoles: dispute.PartyRoles}
	s.Render(w, r, status, "dispute_form", v)
}

// disputeNewPage shows an empty dispute form, found today.
func (s *Pages) disputeNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !u.CanFile() {
		return readOnly()
	}
	s.showDisputeForm(w, r, http.StatusOK, u, 0, disputeForm{Unit: u.UnitCode, FoundOn: s.disputeToday(),
		Risk: string(dispute.RiskLow), Source: string(dispute.SourceVisit)}, nil)
	return nil
}

// createDispute records a dispute once per form (fileOnce) and shows it.
func (s *Pages) createDispute(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := readDisputeForm(r, u)
	d, p := f.dispute()
	return disputeLedger.create(s, w, r, p, func(form archive.Form) (int64, error) {
		d.Form = form
		d, err := s.Svc.Disputes.Create(ctx, u, d)
		return d.ID, err
	}, func(status int, errs map[string]string) {
		s.showDisputeForm(w, r, status, u, 0, f, errs)
	})
}

type disputeData struct {
	ledgerChoices
	disputeKinds
	Dispute dispute.Dispute
	Actions map[string]bool // by action: offered now
	CanEdit bool
	Today   string
	// Sent is the action's form that was refused, kept as written; its
	// problems are shown beside that form only (Err).
	Sent   dispute.Command
	errs   map[string]string
	Levels []dispute.Level
	To     []dispute.Referral
	With   []dispute.Participant
	// CanReveal: the reader may see the parties in full (dispute.MayReveal);
	// Revealed are they, unmasked, on the page shown once after a
	// recorded reveal.
	CanReveal bool
	Revealed  []dispute.Party
}

// Err is the problem of field in action's form, when that form was the
// one refused.
func (d disputeData) Err(action, field string) string {
	if string(d.Sent.Action) != action {
		return ""
	}
	return d.errs[field]
}

// Took reports whether the refused mediation named who.
func (d disputeData) Took(who dispute.Participant) bool { return slices.Contains(d.Sent.With, who) }

// disputePage shows a dispute with the lifecycle's actions the user can
// take now.
func (s *Pages) disputePage(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r, dispute.Noun)
	if err != nil {
		return err
	}
	return s.showDispute(w, r, http.StatusOK, id, dispute.Command{}, nil, nil)
}

// showDispute renders dispute id's page, with the action's form sent and
// its problems errs when it was refused, and the parties in full right
// after a reveal.
func (s *Pages) showDispute(w http.ResponseWriter, r *http.Request, status int, id int64, sent dispute.Command, errs map[string]string, revealed []dispute.Party) error {
	u, _ := core.UserFrom(r.Context())
	d, err := s.Svc.Disputes.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	c, err := s.ledgerChoices(r.Context(), u)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", nil)
	k, err := s.disputeKinds(r.Context(), v)
	if err != nil {
		return err
	}
	actor := register.ActorFor(u)
	data := disputeData{ledgerChoices: c, disputeKinds: k, Dispute: d, Actions: map[string]bool{},
		CanEdit: !u.Disabled && dispute.MayEdit(actor, d.Unit) == nil, Today: s.disputeToday(), Sent: sent, errs: errs,
		Levels: dispute.Levels, To: dispute.Referrals, With: dispute.Participants, Revealed: revealed,
		CanReveal: !u.Disabled && dispute.MayReveal(actor, d.Unit) == nil}
	for a, ok := range dispute.Available(d, actor, s.Svc.Items.Clock()) {
		data.Actions[string(a)] = ok
	}
	v.Data = data
	v.Title = v.T("dispute.title", d.ID)
	v.Errors = errs
	s.Render(w, r, status, "dispute", v)
	return nil
}

// disputeEditPage shows the form of a dispute's fields at its version.
func (s *Pages) disputeEditPage(w http.ResponseWriter, r *http.Request) error {
	u, id, d, err := ledgerRecord(r, dispute.Noun, s.Svc.Disputes.Get)
	if err != nil {
		return err
	}
	if u.Disabled || dispute.MayEdit(register.ActorFor(u), d.Unit) != nil {
		return readOnly()
	}
	s.showDisputeForm(w, r, http.StatusOK, u, id, disputeFormOf(d), nil)
	return nil
}

// editDispute changes a dispute's fields against the version the form was
// filled from, and adds the parties of the rows filled in (a mediator
// finding a second party): the stored ones the page shows masked stay as
// they are. A stale version shows the form again with what was written
// and the version now stored.
func (s *Pages) editDispute(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, dispute.Noun)
	if err != nil {
		return err
	}
	f := readDisputeForm(r, u)
	version := formVersion(r)
	if version != nil {
		f.Version = *version
	}
	d, p := f.dispute()
	err = p.Err()
	if err == nil {
		_, err = s.Svc.Disputes.Edit(ctx, u, id, dispute.Patch{Version: version, FoundOn: &d.FoundOn, Kind: &d.Kind,
			Township: &d.Township, Village: &d.Village, Risk: &d.Risk, Source: &d.Source, Item: &d.Item, Branch: &d.Branch,
			Summary: &d.Summary, DueDays: &d.DueDays, Campaign: &d.Campaign, AddParties: d.Parties})
	}
	return disputeLedger.changed(s, w, r, id, err, func() {
		if now, gerr := s.Svc.Disputes.Get(ctx, u, id); gerr == nil {
			f.Version, f.Unit = now.Version, now.Unit
		}
	}, func(status int, errs map[string]string) {
		if f.Stored == nil {
			// The parties stored, masked, listed above the rows again.
			if now, gerr := s.Svc.Disputes.Get(ctx, u, id); gerr == nil {
				f.Stored = now.Parties
			}
		}
		s.showDisputeForm(w, r, status, u, id, f, errs)
	})
}

// actOnDispute takes a lifecycle action against the version shown: each
// action's form sends its own fields.
func (s *Pages) actOnDispute(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, dispute.Noun)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	cmd := dispute.Command{Action: dispute.Action(v("action")), Day: strings.TrimSpace(v("day")), Notes: v("notes"),
		Agreement: v("agreement"), Level: dispute.Level(v("level")), To: dispute.Referral(v("to")), Whom: v("whom"),
		Reason: v("reason"), Result: v("result")}
	for _, w := range r.PostForm["with"] {
		cmd.With = append(cmd.With, dispute.Participant(w))
	}
	if _, err := s.Svc.Disputes.Act(ctx, u, id, formVersion(r), cmd); err != nil {
		status := refused(err)
		if status == 0 {
			return err
		}
		return s.showDispute(w, r, status, id, cmd, core.FormErrors(s.Catalog, core.PreferredLang(r), err), nil)
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "dispute.done_"+string(cmd.Action)))
	http.Redirect(w, r, disputeLedger.path(id), http.StatusSeeOther)
	return nil
}

// Short is the start of a dispute's summary, as the list shows it.
func (disputesData) Short(s string) string {
	const max = 60
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

// The kind of what a dispute's page shows once: the parties revealed.
const shownParties = "dispute_parties"

// shownPartiesData is a dispute's parties just revealed.
type shownPartiesData struct {
	Dispute int64
	Parties []dispute.Party
}

// disputeReveal records that the user looked at the parties in full (the
// service's event) and shows them once, after a redirect, as a matter's
// beneficiary is shown: a reload records no second look, and the data
// never travels in a URL nor sits in clear in a cookie or the database.
func (s *Pages) disputeReveal(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	id, err := recordID(r, dispute.Noun)
	if err != nil {
		return err
	}
	parties, err := s.Svc.Disputes.Reveal(r.Context(), u, id)
	if err != nil {
		return err
	}
	s.showOnce(w, r, disputeLedger.path(id)+"/shown/", shownParties, shownPartiesData{Dispute: id, Parties: parties})
	return nil
}

// disputeShownPage shows the dispute's page with its parties just
// revealed, once.
func (s *Pages) disputeShownPage(w http.ResponseWriter, r *http.Request) error {
	var d shownPartiesData
	if _, ok := s.takeShown(w, r, &d, shownParties); !ok {
		return nil
	}
	if strconv.FormatInt(d.Dispute, 10) != r.PathValue("dispute") {
		return org.ErrShownOnceGone
	}
	return s.showDispute(w, r, http.StatusOK, d.Dispute, dispute.Command{}, nil, d.Parties)
}
