package api

import (
	"net/http"
	"strconv"

	"minyi"
	"minyi/web/core"
)

// listNotifications answers the caller's own notifications, newest first.
func (s *API) listNotifications(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var before int64
	if v := q.Get("before"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before < 0 {
			return minyi.Invalid("before", "before 须为通知编号", "before must be a notification id")
		}
	}
	limit := 0
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 100 {
			return minyi.Invalid("limit", "limit 须为 1–100", "limit must be 1–100")
		}
	}
	p, err := s.Svc.Notifications.List(r.Context(), u, q.Get("unread") == "true", before, limit)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, p)
	return nil
}

// readNotification marks one of the caller's notifications read.
func (s *API) readNotification(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "没有这条通知 / no such notification")
	}
	if err := s.Svc.Notifications.MarkRead(r.Context(), u, id); err != nil {
		return err
	}
	return s.writeUnread(w, r)
}

// readAllNotifications marks every notification of the caller read.
func (s *API) readAllNotifications(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	if _, err := s.Svc.Notifications.MarkAllRead(r.Context(), u); err != nil {
		return err
	}
	return s.writeUnread(w, r)
}

func (s *API) writeUnread(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	n, err := s.Svc.Notifications.Unread(r.Context(), u)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]int{"unread": n})
	return nil
}
