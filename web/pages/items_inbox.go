package pages

import (
	"net/http"
	"strconv"
	"strings"

	"minyi"

	"minyi/archive"
	"minyi/org"
	"minyi/web/core"
)

type inboxData struct {
	Queue      archive.Queue
	Queues     []archive.Queue
	Counts     archive.QueueCounts
	Page       archive.ItemPage
	Filter     archive.Filter
	Params     map[string]string // the filter as given, to keep it in links
	Units      []org.Unit
	UnitNames  map[string]string
	Names      map[string]string // staff's display names, for the officer in charge
	Categories []archive.Category
	Kinds      []archive.Label
	Channels   []archive.Label
	// ChannelSet are the channels of a filter naming several (the report's
	// opinions collected link to them), offered as one choice.
	ChannelSet []archive.Channel
	// Statuses are the statuses the list of every item may be narrowed to.
	Statuses []archive.Status
	// Total is how many items the list holds, where Counted (the
	// counters answer the filter: archive.ItemPage).
	Total   int
	Counted bool
	CanBulk bool // may dispatch several items at once
}

// inboxQueue is the inbox's queue asked for, or the one the user works
// first: new items for those who dispatch, items to sign for a unit's
// head, items in progress for the others.
func inboxQueue(u org.User, asked string) archive.Queue {
	if asked != "" {
		return archive.Queue(asked)
	}
	switch {
	case u.SeesAll():
		return archive.QueueNew
	case u.Role == org.RoleUnitHead:
		return archive.QueueToSign
	}
	return archive.QueueInProgress
}

// inboxPage is a unit's work list: the queues with their counts, filters
// and full-text search over the items the user may see.
func (s *Pages) inboxPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	queue := inboxQueue(u, q.Get("queue"))
	page, _, done, err := listOrExport(s, w, r, core.ItemsExport, func(r *http.Request) (archive.Filter, map[string]string, error) {
		f, err := core.ListFilter(r)
		return queue.Filter(f), nil, err
	}, s.Items.List)
	if done || err != nil {
		return err
	}
	f, _ := core.ListFilter(r)
	f = queue.Filter(f)
	counts, err := s.Items.InboxCounts(ctx, u)
	if err != nil {
		return err
	}
	names, err := s.bureauNames(ctx)
	if err != nil {
		return err
	}
	d := inboxData{Queue: queue, Queues: archive.Queues, Counts: counts, Page: page, Filter: f,
		Params: map[string]string{}, Units: names.Units, UnitNames: names.UnitNames, Categories: names.Categories,
		Kinds: archive.Kinds, Channels: archive.Channels,
		CanBulk: queue == archive.QueueNew && u.SeesAll(), ChannelSet: f.Channels,
		Statuses: append(append([]archive.Status(nil), archive.OpenStatuses...), archive.StatusAnswered, archive.StatusVisited, archive.StatusClosed)}
	if d.Names, err = s.Org.DisplayNames(ctx); err != nil {
		return err
	}
	for _, k := range []string{"q", "unit", "kind", "class", "category", "sort", "from", "to", "public", "answered", "assignee",
		"answered_from", "answered_to", "closed_from", "closed_to"} {
		d.Params[k] = q.Get(k)
	}
	if page.Total != nil {
		d.Total, d.Counted = *page.Total, true
	}
	d.Params["channel"] = strings.Join(q["channel"], ",")
	if queue == archive.QueueAll {
		d.Params["status"] = strings.Join(q["status"], ",")
	}
	v := s.NewView(w, r, "", d)
	v.RevealExport = archive.MayRevealAll(u) == nil
	v.Title = v.T("inbox.title")
	s.Render(w, r, http.StatusOK, "inbox", v)
	return nil
}

// bulkDispatch sends several new items to one unit. Each item carries the
// version the dispatcher saw, so an item changed meanwhile is skipped and
// reported rather than overwritten.
func (s *Pages) bulkDispatch(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	lang := core.PreferredLang(r)
	unit := r.PostFormValue("unit")
	if err := r.ParseForm(); err != nil {
		return minyi.Invalid("item", "表单无效", "bad form")
	}
	var done, failed []string
	for _, v := range r.PostForm["item"] {
		number, ver, _ := strings.Cut(v, ":")
		version, err := strconv.Atoi(ver)
		if err != nil {
			failed = append(failed, number)
			continue
		}
		cmd := archive.Command{Action: archive.ActDispatch, Version: version, Unit: unit}
		if _, err := s.Items.Act(ctx, u, number, cmd, false); err != nil {
			failed = append(failed, number+"（"+core.LocalMessage(lang, minyi.ErrorMessage(err))+"）")
			continue
		}
		done = append(done, number)
	}
	msg := s.Catalog.T(lang, "inbox.dispatched", len(done))
	if len(failed) > 0 {
		msg += " " + s.Catalog.T(lang, "inbox.not_dispatched", strings.Join(failed, "、"))
	}
	core.SetFlash(w, msg)
	http.Redirect(w, r, "/staff?queue=new", http.StatusSeeOther)
	return nil
}
