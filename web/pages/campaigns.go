package pages

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/campaign"
	"minyi/indicator"
	"minyi/locale"
	"minyi/org"
	"minyi/outcome"
	"minyi/register"
	"minyi/web/core"
)

// The campaigns' pages (活动): the list, a new campaign and its change
// (targets as rows of a figure and a number), and the campaign's page with
// its targets against the figures reached, its mobilisation meetings, its
// plan documents and links to the ledgers' records of the campaign.

// campaignRoutes are the campaigns' pages.
func (s *Pages) campaignRoutes() []route {
	return []route{
		{"GET", "/staff/campaigns", s.campaignsPage, "staff"},
		{"GET", "/staff/campaigns/new", s.campaignNewPage, "staff"},
		{"POST", "/staff/campaigns", s.createCampaign, "staff"},
		{"GET", "/staff/campaigns/{id}", s.campaignPage, "staff"},
		{"GET", "/staff/campaigns/{id}/edit", s.campaignEditPage, "staff"},
		{"POST", "/staff/campaigns/{id}", s.editCampaign, "staff"},
		{"POST", "/staff/campaigns/{id}/meetings", s.addCampaignMeeting, "staff"},
		{"POST", "/staff/campaigns/{id}/documents", s.addCampaignDocument, "staff"},
		{"GET", "/staff/campaigns/{id}/documents/{doc}", s.campaignDocument, "staff"},
	}
}

// campaignTargetRows is how many empty target rows a form offers beyond
// the targets it holds.
const campaignTargetRows = 4

type campaignsData struct {
	Page     register.Page[campaign.Campaign]
	Params   map[string]string
	Today    string
	Total    int
	CanWrite bool
	// Meetings, when a period is asked (?from=&to=), are the campaign
	// meetings held in it by campaign, over every campaign the period
	// meets, and MeetingsTotal their number, as the report counts
	// campaign.meetings.
	Meetings      map[int64]int
	MeetingsTotal int
	Period        bool
}

// campaignsPage lists the campaigns, latest start first; ?on= keeps those
// running on a day.
func (s *Pages) campaignsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, params, done, err := listOrExport(s, w, r, core.CampaignsExport, func(r *http.Request) (campaign.Filter, map[string]string, error) {
		rf, params := listQuery(r, "on", "from", "to")
		return campaign.Filter{Filter: rf, On: params["on"], From: params["from"], To: params["to"]}, params, nil
	}, s.Svc.Campaigns.List)
	if done || err != nil {
		return err
	}
	d := campaignsData{Page: page, Params: params, Today: chinaToday(), CanWrite: mayRunCampaigns(u)}
	if page.Total != nil {
		d.Total = *page.Total
	}
	if from, to := params["from"], params["to"]; from != "" && to != "" && params["q"] == "" && params["on"] == "" {
		if err := s.periodMeetings(ctx, u, from, to, &d); err != nil {
			return err
		}
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("campaigns.title")
	s.Render(w, r, http.StatusOK, "campaigns", v)
	return nil
}

// periodMeetings counts the meetings held from from to to (YYYY-MM-DD,
// inclusive) of every campaign whose period meets them, as the report
// tells the mobilisation's meetings.
func (s *Pages) periodMeetings(ctx context.Context, u org.User, from, to string, d *campaignsData) error {
	d.Meetings, d.Period = map[int64]int{}, true
	f := campaign.Filter{Filter: register.Filter{Limit: 100}, From: from, To: to}
	for {
		page, err := s.Svc.Campaigns.List(ctx, u, f)
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			full, err := s.Svc.Campaigns.Get(ctx, u, c.ID)
			if err != nil {
				return err
			}
			for _, m := range full.Meetings {
				if m.Day >= from && m.Day <= to {
					d.Meetings[c.ID]++
					d.MeetingsTotal++
				}
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		f.Cursor = page.NextCursor
	}
}

// mayRunCampaigns is whether u may create and change campaigns, as the
// service decides (campaign.Service): leaders and admins.
func mayRunCampaigns(u org.User) bool { return !u.Disabled && u.SeesAll() }

// targetRow is one row of a campaign form's targets.
type targetRow struct{ Key, Value string }

// campaignForm is the campaign form as a leader filled it.
type campaignForm struct {
	Name, From, To, Plan string
	Targets              []targetRow
	Version              int
}

func readCampaignForm(r *http.Request) campaignForm {
	f := campaignForm{Name: r.PostFormValue("name"), From: strings.TrimSpace(r.PostFormValue("from")),
		To: strings.TrimSpace(r.PostFormValue("to")), Plan: r.PostFormValue("plan")}
	keys, values := r.PostForm["target_key"], r.PostForm["target_value"]
	for i, k := range keys {
		row := targetRow{Key: strings.TrimSpace(k)}
		if i < len(values) {
			row.Value = strings.TrimSpace(values[i])
		}
		if row.Key != "" || row.Value != "" {
			f.Targets = append(f.Targets, row)
		}
	}
	return f
}

func campaignFormOf(c campaign.Campaign) campaignForm {
	f := campaignForm{Name: c.Name, From: c.From, To: c.To, Plan: c.Plan, Version: c.Version}
	for _, k := range c.TargetKeys() {
		f.Targets = append(f.Targets, targetRow{Key: k, Value: strconv.FormatInt(c.Targets[k], 10)})
	}
	return f
}

// campaign is the campaign the form describes, with the problems of the
// targets it cannot read: a number that is none, a row without a figure or
// without a number, a figure twice.
func (f campaignForm) campaign() (campaign.Campaign, minyi.Problems) {
	var p minyi.Problems
	c := campaign.Campaign{Name: f.Name, From: f.From, To: f.To, Plan: f.Plan, Targets: map[string]int64{}}
	for _, row := range f.Targets {
		field := "targets." + row.Key
		n, err := strconv.ParseInt(row.Value, 10, 64)
		switch {
		case row.Key == "":
			p.Add("targets", "请为目标值"+row.Value+"选择指标", "targets: choose the figure of the target "+row.Value)
		case row.Value == "" || err != nil:
			p.Add(field, "目标值须为整数", "target "+row.Key+" must be a whole number")
		default:
			if _, twice := c.Targets[row.Key]; twice {
				p.Add(field, "同一指标只能设一个目标", "target "+row.Key+" is set twice")
			}
			c.Targets[row.Key] = n
		}
	}
	return c, p
}

type campaignFormData struct {
	Form     campaignForm
	Rows     []targetRow // the targets and empty rows to add more
	Keys     []figureChoice
	ID       int64 // 0 for a new campaign
	Summary  []string
	Conflict bool
}

// figureChoice is a figure a target may aim at, named for the reader.
type figureChoice struct{ Key, Label string }

func (s *Pages) figureChoices(ctx context.Context, v *core.View, u org.User) ([]figureChoice, error) {
	keys, err := s.Svc.Campaigns.Keys(ctx, u)
	if err != nil {
		return nil, err
	}
	out := make([]figureChoice, len(keys))
	for i, k := range keys {
		out[i] = figureChoice{Key: k, Label: s.figureLabel(ctx, v, k)}
	}
	return out, nil
}

// figureLabel names a figure of the ledger summary (register.figure) for
// the reader: its catalogue name, a matter's counted outcome by the name
// the bureau gave it (or the catalogue's, for a key no longer listed), or
// else the key itself.
func (s *Pages) figureLabel(ctx context.Context, v *core.View, key string) string {
	if k, ok := strings.CutPrefix(key, "matters.outcome_"); ok {
		keys, err := s.Svc.Matters.Outcomes(ctx)
		if err != nil {
			s.Log.WarnContext(ctx, "reading the matters' outcomes", "err", err)
		}
		named, _ := outcome.Find(keys, k)
		if named.Code == "" {
			named.Code = k
		}
		if named.Zh != "" || s.Catalog.Has("matter.outcome."+k) {
			return v.T("campaign.figure_outcome", v.Outcome(named))
		}
	}
	if s.Catalog.Has("campaign_figure." + key) {
		return v.T("campaign_figure." + key)
	}
	if code, ok := strings.CutPrefix(key, indicator.Register+"."); ok && s.Svc.Indicators != nil {
		// An indicator is named as its admin named it, in either language.
		defs, err := s.Svc.Indicators.Definitions(ctx, org.User{})
		if err != nil {
			s.Log.WarnContext(ctx, "reading the indicators", "err", err)
		}
		for _, d := range defs {
			if d.Code == code {
				if v.Lang == locale.En {
					return d.NameEn
				}
				return v.Conv(d.Name)
			}
		}
	}
	return key
}

func (s *Pages) showCampaignForm(w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, f campaignForm, errs map[string]string) {
	v := s.NewView(w, r, "", nil)
	keys, err := s.figureChoices(r.Context(), v, u)
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	if id == 0 {
		v.Title = v.T("campaign.new_title")
	} else {
		v.Title = v.T("campaign.edit_title", f.Name)
	}
	v.Errors = errs
	rows := append([]targetRow{}, f.Targets...)
	for range campaignTargetRows {
		rows = append(rows, targetRow{})
	}
	v.Data = campaignFormData{Form: f, Rows: rows, Keys: keys, ID: id, Summary: errorSummary(v, errs), Conflict: status == http.StatusConflict}
	s.Render(w, r, status, "campaign_form", v)
}

// campaignNewPage shows an empty campaign form, to leaders and admins.
func (s *Pages) campaignNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !mayRunCampaigns(u) {
		return readOnly()
	}
	s.showCampaignForm(w, r, http.StatusOK, u, 0, campaignForm{}, nil)
	return nil
}

// createCampaign records a campaign once per form (fileOnce) and shows it.
func (s *Pages) createCampaign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !mayRunCampaigns(u) {
		return readOnly()
	}
	f := readCampaignForm(r)
	c, p := f.campaign()
	return campaignLedger.create(s, w, r, p, func(form archive.Form) (int64, error) {
		c.Form = form
		c, err := s.Svc.Campaigns.Create(ctx, u, c)
		return c.ID, err
	}, func(status int, errs map[string]string) {
		s.showCampaignForm(w, r, status, u, 0, f, errs)
	})
}

// campaignEditPage shows the form of a campaign at its version.
func (s *Pages) campaignEditPage(w http.ResponseWriter, r *http.Request) error {
	u, id, c, err := ledgerRecord(r, campaign.Noun, s.Svc.Campaigns.Get)
	if err != nil {
		return err
	}
	if !mayRunCampaigns(u) {
		return readOnly()
	}
	s.showCampaignForm(w, r, http.StatusOK, u, id, campaignFormOf(c), nil)
	return nil
}

// editCampaign changes a campaign against the version the form was filled
// from; a stale version shows the form again with what was written and
// the version now stored.
func (s *Pages) editCampaign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, campaign.Noun)
	if err != nil {
		return err
	}
	if !mayRunCampaigns(u) {
		return readOnly()
	}
	f := readCampaignForm(r)
	version := formVersion(r)
	if version != nil {
		f.Version = *version
	}
	c, p := f.campaign()
	err = p.Err()
	if err == nil {
		_, err = s.Svc.Campaigns.Edit(ctx, u, id, campaign.Patch{Version: version, Name: &c.Name, From: &c.From, To: &c.To,
			Plan: &c.Plan, Targets: &c.Targets})
	}
	return campaignLedger.changed(s, w, r, id, err, func() {
		if now, gerr := s.Svc.Campaigns.Get(ctx, u, id); gerr == nil {
			f.Version = now.Version
		}
	}, func(status int, errs map[string]string) {
		s.showCampaignForm(w, r, status, u, id, f, errs)
	})
}

type campaignData struct {
	Campaign campaign.Campaign
	Progress targetTable
	Kinds    []campaign.Kind
	CanWrite bool
	Today    string
	// Meeting is what the meeting form was sent with, kept when refused.
	Meeting campaign.Meeting
}

// targetShown is a target with its figure's name.
type targetShown struct {
	campaign.Target
	Label string
}

// targetTable is what the partial "campaign-targets" shows: a campaign's
// targets against the figures reached, in the reader's language.
type targetTable struct {
	V       *core.View
	Caption string
	Rows    []targetShown
}

// campaignPage shows a campaign with its targets against the figures
// reached, its meetings and documents.
func (s *Pages) campaignPage(w http.ResponseWriter, r *http.Request) error {
	return s.showCampaign(w, r, http.StatusOK, nil)
}

func (s *Pages) showCampaign(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, campaign.Noun)
	if err != nil {
		return err
	}
	c, err := s.Svc.Campaigns.Get(ctx, u, id)
	if err != nil {
		return err
	}
	prog, err := s.Svc.Campaigns.Progress(ctx, u, id)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", nil)
	d := campaignData{Campaign: c, Kinds: campaign.Kinds, CanWrite: mayRunCampaigns(u), Today: chinaToday(),
		Progress: targetTable{V: v, Caption: v.T("campaign.progress_caption", v.Conv(c.Name)), Rows: s.targetsShown(r.Context(), v, prog)}}
	if errs != nil && r.URL.Path == "/staff/campaigns/"+strconv.FormatInt(id, 10)+"/meetings" {
		d.Meeting = campaign.Meeting{Day: r.PostFormValue("day"), Kind: campaign.Kind(r.PostFormValue("kind")),
			Attendees: r.PostFormValue("attendees"), Minutes: r.PostFormValue("minutes")}
	}
	v.Data = d
	v.Title = v.Conv(c.Name)
	v.Errors = errs
	s.Render(w, r, status, "campaign", v)
	return nil
}

func (s *Pages) targetsShown(ctx context.Context, v *core.View, p campaign.Progress) []targetShown {
	out := make([]targetShown, len(p.Targets))
	for i, t := range p.Targets {
		out[i] = targetShown{Target: t, Label: s.figureLabel(ctx, v, t.Key)}
	}
	return out
}

// addCampaignMeeting records a mobilisation meeting of the campaign, once
// per form (fileOnce): sent again, the form leads to the campaign's
// meetings and records nothing.
func (s *Pages) addCampaignMeeting(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, campaign.Noun)
	if err != nil {
		return err
	}
	if !mayRunCampaigns(u) {
		return readOnly()
	}
	m := campaign.Meeting{Day: strings.TrimSpace(r.PostFormValue("day")), Kind: campaign.Kind(r.PostFormValue("kind")),
		Attendees: r.PostFormValue("attendees"), Minutes: r.PostFormValue("minutes")}
	to := "/staff/campaigns/" + strconv.FormatInt(id, 10) + "#meetings"
	_, again, err := s.fileOnce(ctx, campaign.MeetingForms, r.PostFormValue(formTokenField), func(int64) string { return to },
		func(form archive.Form) (string, error) {
			m.Form = form
			_, err := s.Svc.Campaigns.AddMeeting(ctx, u, id, m)
			return to, err
		})
	if err != nil {
		if refused(err) == 0 {
			return err
		}
		return s.showCampaign(w, r, refused(err), core.FormErrors(s.Catalog, core.PreferredLang(r), err))
	}
	if !again {
		core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "campaign.meeting_added"))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// addCampaignDocument attaches the uploaded plan document to the
// campaign, once per form as meetings are recorded.
func (s *Pages) addCampaignDocument(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, campaign.Noun)
	if err != nil {
		return err
	}
	if !mayRunCampaigns(u) {
		return readOnly()
	}
	to := "/staff/campaigns/" + strconv.FormatInt(id, 10) + "#documents"
	_, again, err := s.fileOnce(ctx, campaign.DocumentForms, r.PostFormValue(formTokenField), func(int64) string { return to },
		func(form archive.Form) (string, error) {
			name, data, err := uploadedDocument(r)
			if err == nil {
				_, err = s.Svc.Campaigns.AddDocument(ctx, u, id, form, name, data)
			}
			return to, err
		})
	if err != nil {
		if refused(err) == 0 {
			return err
		}
		return s.showCampaign(w, r, refused(err), core.FormErrors(s.Catalog, core.PreferredLang(r), err))
	}
	if !again {
		core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "campaign.document_added"))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// uploadedDocument reads the form's file "document": its name and at most
// one byte more than a document may hold, so that the service refuses a
// larger one by its size.
func uploadedDocument(r *http.Request) (string, []byte, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["document"]) == 0 {
		return "", nil, minyi.Invalid("document", "请选择要上传的文件", "document: choose a file")
	}
	fh := r.MultipartForm.File["document"][0]
	f, err := fh.Open()
	if err != nil {
		return "", nil, minyi.Internal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, campaign.MaxDocumentBytes+1))
	if err != nil {
		return "", nil, minyi.Internal(err)
	}
	return fh.Filename, data, nil
}

// campaignDocument sends a plan document as a download.
func (s *Pages) campaignDocument(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, campaign.Noun)
	if err != nil {
		return err
	}
	doc, err := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	if err != nil || doc <= 0 {
		return minyi.Errorf(minyi.ENotFound, "文件不存在 / document not found")
	}
	d, data, err := s.Svc.Campaigns.Document(ctx, u, id, doc)
	if err != nil {
		return err
	}
	core.WriteDocument(w, d.Name, d.ContentType, data)
	return nil
}

// dashCampaign is a campaign on the leaders' dashboard with its targets.
type dashCampaign struct {
	Campaign campaign.Campaign
	Targets  targetTable
}

// dashboardCampaigns are the campaigns the dashboard shows: the one ?campaign=
// names, else those running in the dashboard's period (from, to), each with
// its targets against the figures its records reached over its own period.
func (s *Pages) dashboardCampaigns(r *http.Request, v *core.View, u org.User, from, to string) ([]dashCampaign, error) {
	ctx := r.Context()
	var list []campaign.Campaign
	if q := r.URL.Query().Get("campaign"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			return nil, minyi.Errorf(minyi.ENotFound, "活动不存在 / campaign not found")
		}
		c, err := s.Svc.Campaigns.Get(ctx, u, id)
		if err != nil {
			return nil, err
		}
		list = []campaign.Campaign{c}
	} else {
		page, err := s.Svc.Campaigns.List(ctx, u, campaign.Filter{Filter: register.Filter{Limit: 10}, From: from, To: to})
		if err != nil {
			return nil, err
		}
		list = page.Items
	}
	out := make([]dashCampaign, 0, len(list))
	for _, c := range list {
		p, err := s.Svc.Campaigns.Progress(ctx, u, c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, dashCampaign{Campaign: c, Targets: targetTable{V: v,
			Caption: v.T("campaign.progress_caption", v.Conv(c.Name)), Rows: s.targetsShown(ctx, v, p)}})
	}
	return out, nil
}

// campaignChoices are the latest campaigns (a hundred), which the ledgers'
// forms and filters offer, and their names by id.
func (s *Pages) campaignChoices(ctx context.Context, u org.User) ([]campaign.Campaign, map[int64]string, error) {
	page, err := s.Svc.Campaigns.List(ctx, u, campaign.Filter{Filter: register.Filter{Limit: 100}})
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(page.Items))
	for _, c := range page.Items {
		names[c.ID] = c.Name
	}
	return page.Items, names, nil
}

// keepCampaign adds the campaign a form or filter names (id, as the form
// holds it) to cs, the latest campaigns it offers, and its name to names,
// when it is not among them: a record filed under an older campaign keeps
// it when edited, rather than losing it to a choice list without it. An id
// that names no campaign adds nothing (the form says what is wrong).
func (s *Pages) keepCampaign(ctx context.Context, u org.User, cs []campaign.Campaign, names map[int64]string, id string) ([]campaign.Campaign, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
	if err != nil || n < 1 {
		return cs, nil
	}
	if _, ok := names[n]; ok {
		return cs, nil
	}
	c, err := s.Svc.Campaigns.Get(ctx, u, n)
	if minyi.ErrorCode(err) == minyi.ENotFound {
		return cs, nil
	} else if err != nil {
		return cs, err
	}
	names[n] = c.Name
	return append(cs, c), nil
}

// formCampaign reads the campaign a ledger's form or filter names: none
// is 0; a value that is no campaign's id is a problem of field campaign,
// passed on as -1, which the service refuses too.
func formCampaign(p *minyi.Problems, s string) int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		p.Add("campaign", "活动编号无效", "campaign must be a campaign's id")
		return -1
	}
	return id
}

// listCampaign reads a ledger list's campaign filter: a bad one is the
// list's bad input.
func listCampaign(params map[string]string) (int64, error) {
	var p minyi.Problems
	id := formCampaign(&p, params["campaign"])
	return id, p.Err()
}

// campaignValue is a record's campaign as a form shows it: "" for none.
func campaignValue(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
