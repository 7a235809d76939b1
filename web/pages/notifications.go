package pages

import (
	"net/http"
	"net/url"
	"strconv"

	"minyi"
	"minyi/archive"
	"minyi/notify"
	"minyi/web/core"
)

// notificationsData is the reader's own notifications, newest first.
type notificationsData struct {
	Page   notify.Page
	Unread bool              // only the unread ones
	Names  map[string]string // unit codes → names
}

// Href is where notification n leads: its item, or for a digest the
// inbox of its unit.
func (notificationsData) Href(n notify.Notification) string {
	if n.Register == archive.Register {
		return "/staff/items/" + url.PathEscape(n.Record)
	}
	return "/staff?unit=" + url.QueryEscape(n.Unit)
}

// notificationsPage lists the logged-in user's notifications (通知), with
// their own mark-read buttons; the header counts the unread ones.
func (s *Pages) notificationsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	d := notificationsData{Unread: q.Get("unread") == "1", Names: map[string]string{}}
	page, err := s.Svc.Notifications.List(ctx, u, d.Unread, before, 50)
	if err != nil {
		return err
	}
	d.Page = page
	units, err := s.Org.Units(ctx)
	if err != nil {
		return err
	}
	for _, un := range units {
		d.Names[un.Code] = un.Name
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("notify.title")
	s.Render(w, r, http.StatusOK, "notifications", v)
	return nil
}

// notificationRead marks one of the reader's notifications read and goes
// back to the list, or on to the item when asked (open=1).
func (s *Pages) notificationRead(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "没有这条通知 / no such notification")
	}
	if err := s.Svc.Notifications.MarkRead(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/staff/notifications", http.StatusSeeOther)
	return nil
}

// notificationsReadAll marks every notification of the reader read.
func (s *Pages) notificationsReadAll(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	n, err := s.Svc.Notifications.MarkAllRead(r.Context(), u)
	if err != nil {
		return err
	}
	s.done(w, r, "/staff/notifications", "notify.all_marked", n)
	return nil
}

// notificationsCount answers the header's poll (app.js) with the reader's
// unread count as JSON.
func (s *Pages) notificationsCount(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	n, err := s.Svc.Notifications.Unread(r.Context(), u)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	core.WriteJSON(w, http.StatusOK, map[string]int{"unread": n})
	return nil
}
