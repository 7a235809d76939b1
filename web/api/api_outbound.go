package api

import (
	"net/http"

	"minyi/org"
	"minyi/outbox"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The JSON API for outside systems: Open311 clients' API keys, partner
// webhooks with their delivery log, and the outbox of SMS notices. Admins
// only. A key or a signing secret is in the answer that creates it and
// nowhere else; notices come with the phone masked and without the text as
// sent, which holds the citizen's access code.

// apiListLimit bounds ?limit of the delivery log and the notices.
const apiListLimit = 100

func (s *API) listAPIKeys(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	keys, err := s.Org.APIKeys(r.Context(), admin)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{"api_keys": keys})
	return nil
}

func (s *API) createAPIKey(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var req struct {
		Name          string `json:"name"`
		Contact       string `json:"contact"`
		RatePerMinute int    `json:"rate_per_minute"`
	}
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	k := org.APIKey{Name: req.Name, Contact: req.Contact, RatePerMinute: req.RatePerMinute}
	key, err := s.Org.CreateAPIKey(r.Context(), admin, &k)
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "api key created", "name", k.Name, "prefix", k.Prefix, "by", admin.Name)
	w.Header().Set("Cache-Control", "no-store")
	core.WriteJSON(w, http.StatusCreated, map[string]any{"api_key": k, "key": key})
	return nil
}

func (s *API) revokeAPIKey(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	if err := s.Org.RevokeAPIKey(r.Context(), admin, name); err != nil {
		return err
	}
	k, err := s.FindAPIKey(r, admin, name)
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "api key revoked", "name", k.Name, "prefix", k.Prefix, "by", admin.Name)
	core.WriteJSON(w, http.StatusOK, k)
	return nil
}

func (s *API) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	hooks, err := s.Svc.Outbox.Webhooks(r.Context(), u)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{"webhooks": hooks})
	return nil
}

func (s *API) createWebhook(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var req struct {
		Name   string   `json:"name"`
		URL    string   `json:"url"`
		Events []string `json:"events"`
		Active *bool    `json:"active"`
		Format string   `json:"format"`
		Unit   string   `json:"unit"`
		Secret string   `json:"secret"`
	}
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	h := outbox.Webhook{Name: req.Name, URL: req.URL, Events: req.Events, Active: req.Active == nil || *req.Active,
		Format: req.Format, Unit: req.Unit}
	if req.Secret != "" && (req.Format == outbox.FormatWeCom || req.Format == outbox.FormatDingTalk) {
		h.Secret = req.Secret // a robot's own (DingTalk's 加签); minyi's format makes its own
	}
	secret, err := s.Svc.Outbox.AddWebhook(r.Context(), admin, &h)
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "webhook added", "name", h.Name, "host", core.URLHost(h.URL), "by", admin.Name)
	w.Header().Set("Cache-Control", "no-store")
	core.WriteJSON(w, http.StatusCreated, map[string]any{"webhook": h, "secret": secret})
	return nil
}

// updateWebhook changes a webhook's address, events or state; what the
// request leaves out stays as it is. The name and the secret never change.
func (s *API) updateWebhook(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var req struct {
		URL    *string  `json:"url"`
		Events []string `json:"events"`
		Active *bool    `json:"active"`
		Unit   *string  `json:"unit"`
	}
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	h, err := s.PathWebhook(r, admin)
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
	if req.Unit != nil {
		h.Unit = *req.Unit
	}
	if err := s.Svc.Outbox.ChangeWebhook(r.Context(), admin, h); err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "webhook changed", "name", h.Name, "host", core.URLHost(h.URL), "active", h.Active, "by", admin.Name)
	h, err = s.Svc.Outbox.Webhook(r.Context(), admin, h.ID)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, h)
	return nil
}

func (s *API) listWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	h, err := s.PathWebhook(r, u)
	if err != nil {
		return err
	}
	f, err := core.ReadOutboxFilter(r.URL.Query(), core.OutboxPageSize, apiListLimit)
	if err != nil {
		return err
	}
	ds, next, err := s.ListDeliveries(r, u, h.ID, f)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, deliveryPage{Deliveries: ds, NextBefore: next})
	return nil
}

type deliveryPage struct {
	Deliveries []outbox.Delivery `json:"deliveries"`
	NextBefore int64             `json:"next_before,omitempty"`
}

type noticePage struct {
	Counts     map[string]int64  `json:"counts"`
	Notices    []core.NoticeView `json:"notices"`
	NextBefore int64             `json:"next_before,omitempty"`
}

func (s *API) listNoticesAPI(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	f, err := core.ReadOutboxFilter(r.URL.Query(), core.OutboxPageSize, apiListLimit)
	if err != nil {
		return err
	}
	counts, err := s.Svc.Outbox.NoticeCounts(r.Context(), admin)
	if err != nil {
		return err
	}
	ns, next, err := s.ListNotices(r, admin, f)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, noticePage{Counts: counts, Notices: ns, NextBefore: next})
	return nil
}

// outboundSchemas describes the answers and requests above for the
// OpenAPI document.
func outboundSchemas() map[string]any {
	apiKey := openapi.Obj([]string{"id", "name", "prefix", "rate_per_minute"}, map[string]any{"id": openapi.Int, "name": openapi.Str, "contact": openapi.Str,
		"prefix": openapi.Str, "rate_per_minute": openapi.Int, "created_by": openapi.Str, "created_at": openapi.When, "revoked_at": openapi.When, "last_used_at": openapi.When})
	events := openapi.Arr(map[string]any{"type": "string", "description": `an event type, or "*" for all`})
	webhook := openapi.Obj([]string{"id", "name", "url", "events", "active"}, map[string]any{"id": openapi.Int, "name": openapi.Str,
		"url":    openapi.With(openapi.Str, "description", "masked, since a robot's holds its key: each query value shows its last four characters after ****, a password ****; sent back unchanged in a change, it keeps the stored address"),
		"events": events, "active": openapi.Bool, "created_by": openapi.Str, "created_at": openapi.When,
		"format": openapi.With(openapi.EnumOf(outbox.Formats), "description", "minyi: the signed JSON of each event subscribed to; wecom, dingtalk: a group robot's markdown message of the alerts of its unit (issue 15 §9)"),
		"unit":   openapi.With(openapi.Str, "description", "a robot's unit: it is told of that unit's alerts only; absent: every unit's")})
	states := map[string]any{"type": "string", "enum": outbox.States}
	delivery := openapi.Obj([]string{"id", "webhook_id", "register", "record", "event_type", "status"}, map[string]any{"id": openapi.Int, "webhook_id": openapi.Int,
		"webhook": openapi.Str, "register": openapi.With(openapi.Str, "description", "the register of the record the event is about: items, or reports for report_issued"),
		"record": openapi.With(openapi.Str, "description", "the record: an item's number, an issued report's id"),
		"item":   openapi.With(openapi.Str, "description", "the item's number, for an item's event only"), "event_seq": openapi.Int, "event_type": openapi.Str, "payload": openapi.Str, "status": states,
		"attempts": openapi.Int, "last_status": openapi.Int, "last_error": openapi.Str, "created_at": openapi.When, "sent_at": openapi.When})
	kinds := make([]string, len(core.NoticeKinds))
	for i, k := range core.NoticeKinds {
		kinds[i] = string(k)
	}
	notice := openapi.Obj([]string{"id", "item", "kind", "phone", "display", "status"}, map[string]any{"id": openapi.Int, "item": openapi.Str,
		"event_seq": openapi.Int, "kind": map[string]any{"type": "string", "enum": kinds},
		"phone":   map[string]any{"type": "string", "description": "masked, e.g. 139****1111"},
		"display": map[string]any{"type": "string", "description": "the text with the access code blanked"},
		"status":  states, "attempts": openapi.Int, "last_error": openapi.Str, "created_at": openapi.When, "sent_at": openapi.When})
	counts := map[string]any{"type": "object", "additionalProperties": openapi.Int}
	return map[string]any{
		"APIKey":       apiKey,
		"APIKeyList":   openapi.Obj([]string{"api_keys"}, map[string]any{"api_keys": openapi.Arr(apiKey)}),
		"NewAPIKey":    openapi.Obj([]string{"api_key", "key"}, map[string]any{"api_key": apiKey, "key": openapi.Str}),
		"Webhook":      webhook,
		"WebhookList":  openapi.Obj([]string{"webhooks"}, map[string]any{"webhooks": openapi.Arr(webhook)}),
		"NewWebhook":   openapi.Obj([]string{"webhook", "secret"}, map[string]any{"webhook": webhook, "secret": openapi.Str}),
		"DeliveryPage": openapi.Obj([]string{"deliveries"}, map[string]any{"deliveries": openapi.Arr(delivery), "next_before": openapi.Int}),
		"NoticePage":   openapi.Obj([]string{"counts", "notices"}, map[string]any{"counts": counts, "notices": openapi.Arr(notice), "next_before": openapi.Int}),
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
