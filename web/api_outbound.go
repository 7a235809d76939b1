package web

import (
	"net/http"

	"minyi/org"
	"minyi/outbox"
)

// The JSON API for outside systems: Open311 clients' API keys, partner
// webhooks with their delivery log, and the outbox of SMS notices. Admins
// only. A key or a signing secret is in the answer that creates it and
// nowhere else; notices come with the phone masked and without the text as
// sent, which holds the citizen's access code.

// apiListLimit bounds ?limit of the delivery log and the notices.
const apiListLimit = 100

func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	keys, err := s.org.APIKeys(r.Context(), admin)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"api_keys": keys})
	return nil
}

func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	var req struct {
		Name          string `json:"name"`
		Contact       string `json:"contact"`
		RatePerMinute int    `json:"rate_per_minute"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	k := org.APIKey{Name: req.Name, Contact: req.Contact, RatePerMinute: req.RatePerMinute}
	key, err := s.org.CreateAPIKey(r.Context(), admin, &k)
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "api key created", "name", k.Name, "prefix", k.Prefix, "by", admin.Name)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, map[string]any{"api_key": k, "key": key})
	return nil
}

func (s *Server) revokeAPIKey(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	if err := s.org.RevokeAPIKey(r.Context(), admin, name); err != nil {
		return err
	}
	k, err := s.findAPIKey(r, admin, name)
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "api key revoked", "name", k.Name, "prefix", k.Prefix, "by", admin.Name)
	writeJSON(w, http.StatusOK, k)
	return nil
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	u, err := requireStaff(r)
	if err != nil {
		return err
	}
	hooks, err := s.svc.Outbox.Webhooks(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": hooks})
	return nil
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	var req struct {
		Name   string   `json:"name"`
		URL    string   `json:"url"`
		Events []string `json:"events"`
		Active *bool    `json:"active"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	h := outbox.Webhook{Name: req.Name, URL: req.URL, Events: req.Events, Active: req.Active == nil || *req.Active}
	secret, err := s.svc.Outbox.AddWebhook(r.Context(), admin, &h)
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "webhook added", "name", h.Name, "host", urlHost(h.URL), "by", admin.Name)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, map[string]any{"webhook": h, "secret": secret})
	return nil
}

// updateWebhook changes a webhook's address, events or state; what the
// request leaves out stays as it is. The name and the secret never change.
func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	var req struct {
		URL    *string  `json:"url"`
		Events []string `json:"events"`
		Active *bool    `json:"active"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	h, err := s.pathWebhook(r, admin)
	if err != nil {
		return err
	}
	if req.URL != nil {
		h.URL = *req.URL
	}
	if req.Events != nil {
		h.Events = req.Events
	}
	if req.Active != nil {
		h.Active = *req.Active
	}
	if err := s.svc.Outbox.ChangeWebhook(r.Context(), admin, h); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "webhook changed", "name", h.Name, "host", urlHost(h.URL), "active", h.Active, "by", admin.Name)
	h, err = s.svc.Outbox.Webhook(r.Context(), admin, h.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (s *Server) listWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdmin(r)
	if err != nil {
		return err
	}
	h, err := s.pathWebhook(r, u)
	if err != nil {
		return err
	}
	f, err := readOutboxFilter(r.URL.Query(), outboxPageSize, apiListLimit)
	if err != nil {
		return err
	}
	ds, next, err := s.listDeliveries(r, u, h.ID, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deliveryPage{Deliveries: ds, NextBefore: next})
	return nil
}

type deliveryPage struct {
	Deliveries []outbox.Delivery `json:"deliveries"`
	NextBefore int64             `json:"next_before,omitempty"`
}

type noticePage struct {
	Counts     map[string]int64 `json:"counts"`
	Notices    []noticeView     `json:"notices"`
	NextBefore int64            `json:"next_before,omitempty"`
}

func (s *Server) listNoticesAPI(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	f, err := readOutboxFilter(r.URL.Query(), outboxPageSize, apiListLimit)
	if err != nil {
		return err
	}
	counts, err := s.svc.Outbox.NoticeCounts(r.Context(), admin)
	if err != nil {
		return err
	}
	ns, next, err := s.listNotices(r, admin, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, noticePage{Counts: counts, Notices: ns, NextBefore: next})
	return nil
}

// outboundSchemas describes the answers and requests above for the
// OpenAPI document.
func outboundSchemas() map[string]any {
	apiKey := obj([]string{"id", "name", "prefix", "rate_per_minute"}, map[string]any{"id": intg, "name": str, "contact": str,
		"prefix": str, "rate_per_minute": intg, "created_by": str, "created_at": when, "revoked_at": when, "last_used_at": when})
	events := arr(map[string]any{"type": "string", "description": `an event type, or "*" for all`})
	webhook := obj([]string{"id", "name", "url", "events", "active"}, map[string]any{"id": intg, "name": str, "url": str,
		"events": events, "active": boolean, "created_by": str, "created_at": when})
	states := map[string]any{"type": "string", "enum": deliveryStates}
	delivery := obj([]string{"id", "webhook_id", "item", "event_type", "status"}, map[string]any{"id": intg, "webhook_id": intg,
		"webhook": str, "item": str, "event_seq": intg, "event_type": str, "payload": str, "status": states,
		"attempts": intg, "last_status": intg, "last_error": str, "created_at": when, "sent_at": when})
	kinds := make([]string, len(noticeKinds))
	for i, k := range noticeKinds {
		kinds[i] = string(k)
	}
	notice := obj([]string{"id", "item", "kind", "phone", "display", "status"}, map[string]any{"id": intg, "item": str,
		"event_seq": intg, "kind": map[string]any{"type": "string", "enum": kinds},
		"phone":   map[string]any{"type": "string", "description": "masked, e.g. 139****1111"},
		"display": map[string]any{"type": "string", "description": "the text with the access code blanked"},
		"status":  states, "attempts": intg, "last_error": str, "created_at": when, "sent_at": when})
	counts := map[string]any{"type": "object", "additionalProperties": intg}
	return map[string]any{
		"APIKey":       apiKey,
		"APIKeyList":   obj([]string{"api_keys"}, map[string]any{"api_keys": arr(apiKey)}),
		"NewAPIKey":    obj([]string{"api_key", "key"}, map[string]any{"api_key": apiKey, "key": str}),
		"Webhook":      webhook,
		"WebhookList":  obj([]string{"webhooks"}, map[string]any{"webhooks": arr(webhook)}),
		"NewWebhook":   obj([]string{"webhook", "secret"}, map[string]any{"webhook": webhook, "secret": str}),
		"DeliveryPage": obj([]string{"deliveries"}, map[string]any{"deliveries": arr(delivery), "next_before": intg}),
		"NoticePage":   obj([]string{"counts", "notices"}, map[string]any{"counts": counts, "notices": arr(notice), "next_before": intg}),
	}
}

// mergeSchemas adds the schemas of more to base.
func mergeSchemas(base map[string]any, more ...map[string]any) map[string]any {
	for _, m := range more {
		for k, v := range m {
			base[k] = v
		}
	}
	return base
}
