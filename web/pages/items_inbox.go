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
	Categories []archive.Category
	Kinds      []archive.Label
	Channels   []archive.Label
	CanBulk    bool // may dispatch several items at once
}

// inboxPage is a unit's work list: the queues with their counts, filters
// and full-text search over the items the user may see.
func (s *Pages) inboxPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	f, err := core.ListFilter(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	queue := archive.Queue(q.Get("queue"))
	if queue == "" {
		queue = archive.QueueInProgress
		if u.SeesAll() {
			queue = archive.QueueNew
		} else if u.Role == org.RoleUnitHead {
			queue = archive.QueueToSign
		}
	}
	f = queue.Filter(f)
	page, err := s.Items.List(ctx, u, f)
	if err != nil {
		return err
	}
	counts, err := s.Items.InboxCounts(ctx, u)
	if err != nil {
		return err
	}
	units, err := s.Org.Units(ctx)
	if err != nil {
		return err
	}
	cats, err := s.Svc.Config.Categories(ctx)
	if err != nil {
		return err
	}
	d := inboxData{Queue: queue, Queues: archive.Queues, Counts: counts, Page: page, Filter: f,
		Params: map[string]string{}, Units: units, UnitNames: map[string]string{}, Categories: cats,
		Kinds: archive.Kinds, Channels: archive.Channels,
		CanBulk: queue == archive.QueueNew && u.SeesAll()}
	for _, k := range []string{"q", "unit", "kind", "channel", "class", "category", "sort", "from", "to"} {
		d.Params[k] = q.Get(k)
	}
	for _, un := range units {
		d.UnitNames[un.Code] = un.Name
	}
	v := s.NewView(w, r, "", d)
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
