package pages

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/locale"
	"minyi/org"
	"minyi/textsearch"
	"minyi/web/core"
)

// itemDeskForm is one action form as the member of staff sent it, kept to
// fill the form again when the action was refused, or pre-filled from a
// canned reply.
type itemDeskForm struct {
	Action                         archive.Action
	Version                        string
	Body, Unit, Satisfaction, Into string
	Amount, LimitUnit, Publish     string
	Assignee                       string
	// FilesSent counts the files an answer was sent with: a refused
	// answer asks for them again, as a browser cannot keep them.
	FilesSent int
	Marks     map[string]string // visit: the marks as typed (ratingForm)
}

// itemDeskData is the item desk (办件台): one item with everything a member
// of staff needs to work it.
type itemDeskData struct {
	Item             archive.Item // contact masked
	Timeline         []timelineEntry
	Overdue, DueSoon bool
	UnitName         string
	CategoryName     string
	UnitNames        map[string]string
	Units            []org.Unit      // dispatch and transfer targets
	Can              map[string]bool // action code → offered now
	HasActions       bool            // any action form is offered
	CanReveal        bool
	Contact          *archive.Contact // unmasked: only on the page shown once after a recorded reveal
	Similar          []archive.Item   // candidates to merge into
	SimilarSearch    string           // the full search, when looking for candidates took too long
	Canned           []archive.CannedReply
	Form             itemDeskForm      // the refused form, or a canned reply's pre-fill
	Problem          string            // why the last action was refused
	FieldErrs        map[string]string // field → message, for Form.Action's form
	Orphan           string            // text typed into a form no longer offered
	Matters          itemMatters       // the practical matters answering the item
	// AttachmentErrs are the problems of a refused answer's files, which
	// are to be chosen again (a browser cannot keep them).
	AttachmentErrs []string
	// Redo is why the item was last sent back to be done again (重辦):
	// the citizen's verdict or the leader's reopening, shown beside the
	// answer form (archive.LastRedo); nil when it never was.
	Redo *timelineEntry
	// NewInfo is what the citizen added since staff last acted on the
	// item (archive.NewFromCitizen), pointed out at the top of the desk.
	NewInfo []archive.Event
	// Handlers are whom the item may be assigned to (archive.Handlers),
	// when the reader may assign it; Claim says the reader, an officer,
	// may only claim it for themselves.
	Handlers     []org.User
	Claim        bool
	AssigneeName string // the officer in charge, by display name
}

// timelineEntry is one event as the staff timeline shows it.
type timelineEntry struct {
	archive.Event
	Who      string // the actor's display name
	Detail   string // what the event's data says, in the reader's language
	Link     string // an item the event points to (merged into)
	Internal bool   // not shown to the citizen
	// Files are an answer's attachments (photos and PDF documents).
	Files []archive.AttachmentInfo
}

// Text returns what the textarea of form a starts with.
func (d *itemDeskData) Text(a string) string {
	if string(d.Form.Action) == a {
		return d.Form.Body
	}
	return ""
}

// Value returns the value field had in form a when it was refused.
func (d *itemDeskData) Value(a, field string) string {
	if string(d.Form.Action) != a {
		return ""
	}
	switch field {
	case "unit":
		return d.Form.Unit
	case "satisfaction":
		return d.Form.Satisfaction
	case "into":
		return d.Form.Into
	case "amount":
		return d.Form.Amount
	case "limit_unit":
		return d.Form.LimitUnit
	case "assignee":
		return d.Form.Assignee
	}
	return ""
}

// Rating returns the rating fields of the visit form as refused, or empty
// ones, with its field errors.
func (d *itemDeskData) Rating() (f ratingForm, errs map[string]string) {
	if d.Form.Action != archive.ActVisit {
		return ratingForm{Marks: map[string]string{}}, map[string]string{}
	}
	errs = d.FieldErrs
	if errs == nil {
		errs = map[string]string{}
	}
	return ratingForm{Satisfaction: d.Form.Satisfaction, Marks: d.Form.Marks}, errs
}

// RatingArgs are the arguments of the visit form's rating fields.
func (d *itemDeskData) RatingArgs(v any) map[string]any {
	f, errs := d.Rating()
	if f.Marks == nil {
		f.Marks = map[string]string{}
	}
	return map[string]any{"View": v, "ID": "visit", "Question": "item.visit_question", "Sat": f.Satisfaction, "Marks": f.Marks, "Errs": errs}
}

// FieldErr returns the message for field of form a, if that form was refused.
func (d *itemDeskData) FieldErr(a, field string) string {
	if string(d.Form.Action) != a {
		return ""
	}
	return d.FieldErrs[field]
}

func itemDeskPath(number string) string { return "/staff/items/" + number }

// itemDeskPage shows one item to a member of staff who may see it.
func (s *Pages) itemDeskPage(w http.ResponseWriter, r *http.Request) error {
	s.showItemDesk(w, r, http.StatusOK, itemDeskForm{}, nil, nil)
	return nil
}

// itemDeskAct applies one lifecycle action from a desk form. The form
// carries the version the user saw, so an item changed meanwhile is refused
// (409) rather than overwritten; a refused action shows the desk again with
// the reason and what was typed.
func (s *Pages) itemDeskAct(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	number := r.PathValue("number")
	f := itemDeskForm{
		Action: archive.Action(r.PostFormValue("action")), Version: r.PostFormValue("version"),
		Body: r.PostFormValue("body"), Unit: r.PostFormValue("unit"),
		Satisfaction: r.PostFormValue("satisfaction"), Into: strings.TrimSpace(r.PostFormValue("into")),
		Amount: strings.TrimSpace(r.PostFormValue("amount")), LimitUnit: r.PostFormValue("limit_unit"),
		Publish: r.PostFormValue("publish"), Assignee: r.PostFormValue("assignee"),
	}
	if f.Action == archive.ActVisit {
		f.Marks = ratingFrom(r).Marks
	}
	cmd, err := f.command()
	if err == nil && cmd.Action == archive.ActAnswer {
		cmd.Attachments, err = formAttachments(r.MultipartForm)
		f.FilesSent = len(cmd.Attachments)
	}
	if err == nil {
		var it archive.Item
		if it, err = s.Items.Act(ctx, u, number, cmd, false); err == nil {
			core.SetFlash(w, s.actionDone(ctx, core.PreferredLang(r), cmd, it))
			next := itemDeskPath(number)
			if !u.CanSeeUnit(it.UnitCode) {
				next = "/staff" // transferred out of the user's sight
			}
			http.Redirect(w, r, next, http.StatusSeeOther)
			return nil
		}
	}
	s.showItemDesk(w, r, core.StatusOf(minyi.ErrorCode(err)), f, err, nil)
	return nil
}

// command turns the form into a lifecycle command; fields the action does
// not use are left out, so that a stray value cannot change its meaning.
func (f itemDeskForm) command() (archive.Command, error) {
	version, err := strconv.Atoi(strings.TrimSpace(f.Version))
	if err != nil {
		return archive.Command{}, minyi.Invalid("version", "页面版本无效，请刷新后重试", "invalid version: reload the page and try again")
	}
	cmd := archive.Command{Action: f.Action, Version: version, Body: f.Body}
	switch f.Action {
	case archive.ActDispatch, archive.ActTransfer:
		cmd.Unit = f.Unit
	case archive.ActVisit:
		cmd.Satisfaction = archive.Satisfaction(f.Satisfaction)
		m, err := ratingForm{Marks: f.Marks}.marks()
		if err != nil {
			return archive.Command{}, err
		}
		cmd.Marks = m
	case archive.ActMerge:
		cmd.Into = f.Into
	case archive.ActAssign:
		cmd.Assignee = f.Assignee
	case archive.ActRequestExtension:
		if f.Amount != "" {
			n, err := strconv.Atoi(f.Amount)
			if err != nil {
				return archive.Command{}, minyi.Invalid("extension", "延期时长须为整数", "the extension must be a whole number")
			}
			cmd.Extension = &calendar.Limit{Amount: n, Unit: calendar.Unit(f.LimitUnit)}
		}
	case archive.ActSetPublish:
		if p, err := strconv.ParseBool(f.Publish); err == nil {
			cmd.Publish = &p
		}
	}
	return cmd, nil
}

// actionDone says in the reader's language what an action did, for the
// flash after the redirect.
func (s *Pages) actionDone(ctx context.Context, l locale.Lang, cmd archive.Command, it archive.Item) string {
	t := func(key string, args ...any) string { return s.Catalog.T(l, key, args...) }
	switch cmd.Action {
	case archive.ActDispatch, archive.ActTransfer:
		name := cmd.Unit
		if un, err := s.Org.Unit(ctx, cmd.Unit); err == nil {
			name = s.Catalog.Convert(l, un.Name)
		}
		return t("item.done."+string(cmd.Action), name)
	case archive.ActGrantExtension:
		return t("item.done.grant_extension", formatTime(it.DueAt, "2006-01-02 15:04"))
	case archive.ActVisit:
		if cmd.Satisfaction.Group() == archive.Unsatisfied {
			return t("item.done.visit_redo")
		}
	case archive.ActMerge:
		return t("item.done.merge", cmd.Into)
	case archive.ActAssign:
		name := it.Assignee
		if names, err := s.Org.DisplayNames(ctx); err == nil && names[name] != "" {
			name = s.Catalog.Convert(l, names[name])
		}
		return t("item.done.assign", name)
	case archive.ActSetPublish:
		if it.Publish {
			return t("item.done.published")
		}
		return t("item.done.unpublished")
	}
	return t("item.done." + string(cmd.Action))
}

// itemDeskReveal records that the user looked at the citizen's contact
// (the service's event) and shows it unmasked, once, after a redirect
// (showOnce): a reload records no second reveal, and the contact never
// travels in a URL nor sits in clear in a cookie or the database.
func (s *Pages) itemDeskReveal(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	c, err := s.Items.Reveal(r.Context(), u, r.PathValue("number"))
	if err != nil {
		s.showItemDesk(w, r, core.StatusOf(minyi.ErrorCode(err)), itemDeskForm{}, err, nil)
		return nil
	}
	number := r.PathValue("number")
	s.showOnce(w, r, itemDeskPath(number)+"/shown/", shownContact, shownContactData{Number: number, Contact: c})
	return nil
}

// itemDeskPhoto serves a photo of an item the user may see.
func (s *Pages) itemDeskPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "没有这张照片 / no such photo")
	}
	u, _ := core.UserFrom(r.Context())
	ph, err := s.Items.Photo(r.Context(), u, r.PathValue("number"), id)
	if err != nil {
		return err
	}
	core.WritePhoto(w, ph)
	return nil
}

// itemDeskAttachment sends a file of an answer of an item the user may
// see: a photo shown as one, a PDF as a download named as it was sent.
func (s *Pages) itemDeskAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "没有这个附件 / no such attachment")
	}
	u, _ := core.UserFrom(r.Context())
	a, err := s.Items.Attachment(r.Context(), u, r.PathValue("number"), id)
	if err != nil {
		return err
	}
	core.WriteAttachment(w, r.PathValue("number"), a, core.WritePhoto)
	return nil
}

// showItemDesk renders the desk of the item in the path, with the form f
// and the reason actErr when an action was refused, and the unmasked
// contact right after a reveal.
func (s *Pages) showItemDesk(w http.ResponseWriter, r *http.Request, status int, f itemDeskForm, actErr error, contact *archive.Contact) {
	if status >= http.StatusInternalServerError {
		s.PageError(w, r, actErr)
		return
	}
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	lang := core.PreferredLang(r)
	d, err := s.itemDesk(ctx, u, r.PathValue("number"), lang)
	if err != nil {
		// Another unit's item, or none: the error page says which.
		s.PageError(w, r, err)
		return
	}
	d.Contact = contact
	d.Form = f
	if actErr != nil {
		s.explainRefusal(d, lang, actErr)
	} else {
		d.prefill(r)
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("item.title", d.Item.Number)
	if r.URL.Path != itemDeskPath(d.Item.Number) {
		// The language switch comes back here: to the desk, not to a form
		// target or a page shown once.
		v.Path = itemDeskPath(d.Item.Number)
	}
	s.Render(w, r, status, "item", v)
}

// explainRefusal puts why an action was refused on the desk, in the
// reader's language, and keeps text typed into a form no longer offered.
func (s *Pages) explainRefusal(d *itemDeskData, lang locale.Lang, err error) {
	switch minyi.ErrorCode(err) {
	case minyi.EConflict:
		d.Problem = s.Catalog.T(lang, "item.stale")
	case minyi.EInvalid:
		d.Problem = s.Catalog.T(lang, "item.fix")
		d.FieldErrs = core.FieldErrors(s.Catalog, lang, err)
		if d.Form.Action == archive.ActAnswer {
			d.AttachmentErrs = photoErrs(d.FieldErrs, "attachments")
		}
	default:
		d.Problem = s.Catalog.T(lang, "item.refused", core.LocalMessage(lang, minyi.ErrorMessage(err)))
	}
	if d.Form.Action == archive.ActAnswer && d.Form.FilesSent > 0 {
		d.AttachmentErrs = append(d.AttachmentErrs, s.Catalog.T(lang, "item.attachments_again", d.Form.FilesSent))
	}
	if strings.TrimSpace(d.Form.Body) != "" && !d.Can[string(d.Form.Action)] {
		d.Orphan = d.Form.Body
	}
}

// prefill fills the reply or answer form with the canned reply chosen by
// ?canned=ID (and ?for=answer), a plain link that works without script.
func (d *itemDeskData) prefill(r *http.Request) {
	q := r.URL.Query()
	id, err := strconv.ParseInt(q.Get("canned"), 10, 64)
	if err != nil {
		return
	}
	target := archive.ActReply
	if q.Get("for") == string(archive.ActAnswer) {
		target = archive.ActAnswer
	}
	if !d.Can[string(target)] {
		return
	}
	for _, c := range d.Canned {
		if c.ID == id {
			d.Form = itemDeskForm{Action: target, Body: c.Body}
			return
		}
	}
}

// itemDesk gathers the item, its timeline and the actions u may take now.
func (s *Pages) itemDesk(ctx context.Context, u org.User, number string, lang locale.Lang) (*itemDeskData, error) {
	view, err := s.Items.Get(ctx, u, number)
	if err != nil {
		return nil, err
	}
	it := view.Item
	now := time.Now()
	d := &itemDeskData{Item: it, Overdue: it.Overdue(now), DueSoon: it.DueSoon(now),
		UnitNames: map[string]string{}, Can: map[string]bool{}}
	available := s.Items.Available(u, it)
	for a, ok := range available {
		// Revealing the contact is offered with the contact, not as a
		// form of the desk.
		d.Can[string(a)] = ok && a != archive.ActRevealContact
		d.HasActions = d.HasActions || d.Can[string(a)]
	}
	d.CanReveal = available[archive.ActRevealContact] &&
		!it.Contact.Anonymous && (it.Contact.Name != "" || it.Contact.Phone != "" || it.Contact.IDNumber != "")
	units, err := s.Org.Units(ctx)
	if err != nil {
		return nil, err
	}
	for _, un := range units {
		d.UnitNames[un.Code] = un.Name
		if un.Kind != org.UnitBureau {
			d.Units = append(d.Units, un)
		}
	}
	d.UnitName = d.UnitNames[it.UnitCode]
	if it.CategoryCode != "" {
		cats, err := s.Svc.Config.Categories(ctx)
		if err != nil {
			return nil, err
		}
		d.CategoryName = it.CategoryCode
		for _, c := range cats {
			if c.Code == it.CategoryCode {
				d.CategoryName = c.Name
			}
		}
	}
	if d.Timeline, err = s.timeline(ctx, lang, view.Events, d.UnitNames); err != nil {
		return nil, err
	}
	// The answers' files go beside their answers in the timeline.
	files, err := s.Items.Attachments(ctx, u, number)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		for i := range d.Timeline {
			if d.Timeline[i].Seq == f.Seq {
				d.Timeline[i].Files = append(d.Timeline[i].Files, f)
			}
		}
	}

	if d.Can[string(archive.ActAssign)] {
		if u.Role == org.RoleOfficer {
			d.Claim = true
		} else if d.Handlers, err = s.Items.Handlers(ctx, u, it.UnitCode); err != nil {
			return nil, err
		}
	}
	if it.Assignee != "" {
		d.AssigneeName = it.Assignee
		if names, err := s.Org.DisplayNames(ctx); err == nil && names[it.Assignee] != "" {
			d.AssigneeName = names[it.Assignee] + "（" + it.Assignee + "）"
		}
	}
	d.NewInfo = archive.NewFromCitizen(view.Events)
	if e, ok := archive.LastRedo(view.Events); ok {
		for i := range d.Timeline {
			if d.Timeline[i].Seq == e.Seq {
				d.Redo = &d.Timeline[i]
			}
		}
	}
	if d.Can[string(archive.ActReply)] || d.Can[string(archive.ActAnswer)] {
		if d.Canned, err = s.Svc.Config.CannedReplies(ctx, it.CategoryCode); err != nil {
			return nil, err
		}
	}
	if d.Can[string(archive.ActMerge)] {
		d.Similar, d.SimilarSearch = s.similarItems(ctx, u, it)
	}
	if d.Matters, err = s.itemMatters(ctx, u, it.Number); err != nil {
		return nil, err
	}
	return d, nil
}

// similarSearchTime bounds the search for duplicates: the item desk must
// stay quick on a large archive, where a title's words match widely.
const similarSearchTime = 12 * time.Millisecond

// similarSearchLimit bounds the search for duplicates once the page has
// stopped waiting for it (see similarItems).
const similarSearchLimit = 200 * time.Millisecond

// similarTerms is how many of the title's terms the search for duplicates
// asks for (see textsearch.Gist). Few terms find matches early, newest
// first; many common terms that rarely occur together make the index
// read the whole of their lists to find the few that do. On the million
// item archive the 60 titles of the page benchmark took p90 43 ms with 8
// terms and 3.5 ms with 5, finding as many suggestions.
const similarTerms = 5

// similarItems finds open items that may be duplicates of it, to merge:
// those holding the gist of its title, newest first (every one holds all
// its terms, so relevance would add little). They are a convenience: a
// failed search shows none, and a search that takes too long gives the
// address of the same search on the inbox instead.
func (s *Pages) similarItems(ctx context.Context, u org.User, it archive.Item) ([]archive.Item, string) {
	gist := textsearch.Gist(strings.TrimSuffix(it.Title, "…"), similarTerms)
	if gist == "" {
		return nil, ""
	}
	search := "/staff?queue=all&q=" + url.QueryEscape(gist)
	type result struct {
		page archive.ItemPage
		err  error
	}
	done := make(chan result, 1)
	go func() {
		// The search runs to its end (within similarSearchLimit) when the
		// page stops waiting for it: a PostgreSQL query cancelled by its
		// context closes its connection (pgx), and the requests after it
		// paid for a new one and for planning their statements again. In
		// 12 s of the page benchmark at load average 6, the server opened
		// 153 connections (38–52 with the search's cheaper query shape); 12,
		// as many as without the panel, once the search was left to finish.
		// On SQLite the rare search that outlasts the wait costs its few
		// milliseconds more of a core.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), similarSearchLimit)
		defer cancel()
		page, err := s.Items.List(ctx, u, archive.Filter{Query: gist, Statuses: archive.OpenStatuses, Sort: archive.SortNewest, Limit: 6})
		done <- result{page, err}
	}()
	wait := time.NewTimer(similarSearchTime)
	defer wait.Stop()
	var page archive.ItemPage
	select {
	case r := <-done:
		if r.err != nil {
			s.Log.WarnContext(ctx, "similar items", "item", it.Number, "err", r.err)
			return nil, ""
		}
		page = r.page
	case <-wait.C:
		return nil, search
	case <-ctx.Done():
		return nil, ""
	}
	var out []archive.Item
	for _, x := range page.Items {
		if x.Number != it.Number && len(out) < 5 {
			out = append(out, x)
		}
	}
	return out, ""
}

// timeline turns the events into what the staff timeline shows: every
// event, with who did it by name and what its data says.
func (s *Pages) timeline(ctx context.Context, lang locale.Lang, evs []archive.Event, unitNames map[string]string) ([]timelineEntry, error) {
	displayNames, err := s.Org.DisplayNames(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{
		archive.ActorCitizen: s.Catalog.T(lang, "item.actor.citizen"),
		archive.ActorSystem:  s.Catalog.T(lang, "item.actor.system"),
	}
	for name, display := range displayNames {
		names[name] = s.Catalog.Convert(lang, display) + "（" + name + "）"
	}
	t := func(key string, args ...any) string { return s.Catalog.T(lang, key, args...) }
	unit := func(code string) string {
		if n, ok := unitNames[code]; ok {
			return s.Catalog.Convert(lang, n)
		}
		return code
	}
	out := make([]timelineEntry, len(evs))
	for i, e := range evs {
		te := timelineEntry{Event: e, Who: e.Actor, Internal: !e.PublicView()}
		if e.Actor == archive.ActorSystem {
			te.Body = core.LocalMessage(lang, e.Body) // the system writes "中文 / English"
		}
		if n, ok := names[e.Actor]; ok {
			te.Who = n
		}
		switch e.Type {
		case archive.EventReceived:
			if c := e.Data["channel"]; c != "" {
				te.Detail = t("channel." + c)
			}
		case archive.EventDispatched, archive.EventTransferred:
			te.Detail = t("item.detail.to_unit", unit(e.Data["unit"]))
			if why := e.Data["addressed"]; why != "" {
				te.Detail = t("item.detail.addressed."+why, unit(e.Data["unit"]))
			}
		case archive.EventExtensionAsked:
			n, _ := strconv.Atoi(e.Data["amount"])
			te.Detail = t("item.limit."+e.Data["unit"], n)
		case archive.EventExtensionGranted:
			if due, err := time.Parse(time.RFC3339Nano, e.Data["due_at"]); err == nil {
				te.Detail = t("item.detail.new_due", formatTime(due, "2006-01-02 15:04"))
			}
		case archive.EventVisited, archive.EventRated:
			te.Detail = t("satisfaction." + e.Data["satisfaction"])
			for _, n := range archive.MarkNames {
				if m := e.Data[n]; m != "" {
					te.Detail += " · " + t("rating.mark."+n) + " " + t("rating.mark_value", m)
				}
			}
		case archive.EventMerged:
			te.Detail, te.Link = t("item.detail.merged_into", e.Data["into"]), e.Data["into"]
		case archive.EventAssigned:
			who := e.Data["assignee"]
			if n, ok := names[who]; ok {
				who = n
			}
			te.Detail = t("item.detail.assigned", who)
		case archive.EventPublishingChanged:
			te.Detail = t("item.detail.publish_" + e.Data["publish"])
		}
		out[i] = te
	}
	return out, nil
}
