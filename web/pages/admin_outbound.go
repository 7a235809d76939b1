package pages

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"minyi/archive"
	"minyi/org"
	"minyi/outbox"
	"minyi/report"
	"minyi/web/core"
)

// Outside systems on the administration pages: the API keys of Open311
// clients, partner webhooks with their delivery log, and the outbox of SMS
// notices to citizens. A key or a signing secret is shown once, after a
// redirect (showOnce), never in clear in a cookie, a URL, the database or
// the log.
// The notices page shows phones masked and each notice's display text,
// never the text as sent, which holds the citizen's access code.

// deliveryStates are the states of notices and deliveries, in order.
var deliveryStates = outbox.States

// ---- API keys ----

type adminAPIKeysData struct {
	Keys []org.APIKey
}

func (s *Pages) adminAPIKeysPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	keys, err := s.Org.APIKeys(r.Context(), admin)
	if err != nil {
		return err
	}
	s.adminRender(w, r, "admin_apikeys", "admin.apikeys.title", adminAPIKeysData{Keys: keys}, nil)
	return nil
}

type adminAPIKeyData struct {
	Form org.APIKey
	Rate string // the rate as typed
}

func (s *Pages) showAPIKeyForm(w http.ResponseWriter, r *http.Request, d adminAPIKeyData, err error) {
	s.adminRender(w, r, "admin_apikey", "admin.apikeys.new", d, err)
}

func (s *Pages) adminNewAPIKeyPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	s.showAPIKeyForm(w, r, adminAPIKeyData{Rate: strconv.Itoa(org.DefaultRatePerMinute)}, nil)
	return nil
}

type adminAPIKeyCreatedData struct {
	Key    org.APIKey
	Secret string
}

// adminAddAPIKey creates a client key and shows it, once, after a redirect,
// like a new user's password.
func (s *Pages) adminAddAPIKey(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	rate := strings.TrimSpace(r.PostFormValue("rate_per_minute"))
	k := org.APIKey{Name: strings.ToLower(strings.TrimSpace(r.PostFormValue("name"))), Contact: r.PostFormValue("contact")}
	d := adminAPIKeyData{Form: k, Rate: rate}
	if rate != "" {
		// A rate that is no number, or 0 (to CreateAPIKey: the default), is
		// out of range, reported with the other fields' problems.
		if n, err := strconv.Atoi(rate); err == nil && n > 0 {
			k.RatePerMinute = n
		} else {
			k.RatePerMinute = -1
		}
	}
	key, err := s.Org.CreateAPIKey(r.Context(), admin, &k)
	if err != nil {
		s.showAPIKeyForm(w, r, d, err)
		return nil
	}
	s.Log.InfoContext(r.Context(), "api key created", "name", k.Name, "prefix", k.Prefix, "by", admin.Name)
	s.showOnce(w, r, adminShownArea, shownAPIKey, adminAPIKeyCreatedData{Key: k, Secret: key})
	return nil
}

// apiKeyNamed finds the key named in the path, for admin, or shows why not.
func (s *Pages) apiKeyNamed(w http.ResponseWriter, r *http.Request, admin org.User) (org.APIKey, bool) {
	k, err := s.FindAPIKey(r, admin, r.PathValue("name"))
	if err != nil {
		s.PageError(w, r, err)
		return org.APIKey{}, false
	}
	return k, true
}

// adminRevokeAPIKeyPage asks to confirm a revocation, which cannot be
// undone; the page works without script.
func (s *Pages) adminRevokeAPIKeyPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	k, ok := s.apiKeyNamed(w, r, admin)
	if !ok {
		return nil
	}
	s.adminRender(w, r, "admin_apikey_revoke", "admin.apikeys.revoke_title", k, nil)
	return nil
}

// adminRevokeAPIKey revokes a key. The key stops working at the client's
// next request: every request reads the key from the store.
func (s *Pages) adminRevokeAPIKey(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	k, ok := s.apiKeyNamed(w, r, admin)
	if !ok {
		return nil
	}
	if err := s.Org.RevokeAPIKey(r.Context(), admin, k.Name); err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "api key revoked", "name", k.Name, "prefix", k.Prefix, "by", admin.Name)
	s.done(w, r, "/staff/admin/apikeys", "admin.apikeys.revoked", k.Name)
	return nil
}

// ---- Webhooks ----

type adminWebhooksData struct {
	Webhooks []outbox.Webhook
	Counts   map[string]int64
	States   []string
}

func (s *Pages) adminWebhooksPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	hooks, err := s.Svc.Outbox.Webhooks(r.Context(), admin)
	if err != nil {
		return err
	}
	counts, err := s.Svc.Outbox.DeliveryCounts(r.Context(), admin)
	if err != nil {
		return err
	}
	s.adminRender(w, r, "admin_webhooks", "admin.webhooks.title", adminWebhooksData{Webhooks: hooks, Counts: counts, States: deliveryStates}, nil)
	return nil
}

type adminWebhookData struct {
	New        bool
	Form       outbox.Webhook
	EventTypes []archive.EventType
	Formats    []string
	Units      []org.Unit // a robot's choice of unit
}

// All reports whether the form subscribes to every event type.
func (d adminWebhookData) All() bool { return slices.Contains(d.Form.Events, outbox.AllEvents) }

// Wants reports whether the form subscribes to t by name.
func (d adminWebhookData) Wants(t archive.EventType) bool {
	return slices.Contains(d.Form.Events, string(t))
}

// KeyHidden reports whether the address shown holds a hidden key
// (outbox.MaskURL), which the form keeps unless the address is retyped.
func (d adminWebhookData) KeyHidden() bool {
	return !d.New && strings.Contains(d.Form.URL, outbox.URLMask)
}

// AllEvents is the value of the "all events" choice.
func (adminWebhookData) AllEvents() string { return outbox.AllEvents }

func (s *Pages) showWebhookForm(w http.ResponseWriter, r *http.Request, isNew bool, f outbox.Webhook, err error) {
	title := "admin.webhooks.edit"
	if isNew {
		title = "admin.webhooks.new"
	}
	units, _ := s.Org.Units(r.Context()) // without them the unit is every unit's
	s.adminRender(w, r, "admin_webhook", title, adminWebhookData{New: isNew, Form: f, EventTypes: outbox.EventTypes,
		Formats: outbox.Formats, Units: units}, err)
}

// webhookFromForm reads a webhook; "all events" stands for itself alone.
func webhookFromForm(r *http.Request) outbox.Webhook {
	r.ParseForm()
	var events []string
	for _, e := range r.PostForm["events"] {
		if e = strings.TrimSpace(e); e != "" && !slices.Contains(events, e) {
			events = append(events, e)
		}
	}
	if slices.Contains(events, outbox.AllEvents) {
		events = []string{outbox.AllEvents}
	}
	h := outbox.Webhook{
		Name:   strings.TrimSpace(r.PostFormValue("name")),
		URL:    strings.TrimSpace(r.PostFormValue("url")),
		Events: events,
		Active: r.PostFormValue("active") == "1",
		Format: r.PostFormValue("format"),
		Unit:   r.PostFormValue("unit"),
	}
	if h.Robot() {
		h.Secret = strings.TrimSpace(r.PostFormValue("secret"))
	}
	return h
}

func (s *Pages) adminNewWebhookPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	s.showWebhookForm(w, r, true, outbox.Webhook{Active: true}, nil)
	return nil
}

type adminWebhookCreatedData struct {
	Webhook outbox.Webhook
	Secret  string
	Header  string
}

// adminAddWebhook registers a webhook and shows its signing secret, once,
// after a redirect.
func (s *Pages) adminAddWebhook(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	h := webhookFromForm(r)
	secret, err := s.Svc.Outbox.AddWebhook(r.Context(), admin, &h)
	if err != nil {
		s.showWebhookForm(w, r, true, h, err)
		return nil
	}
	s.Log.InfoContext(r.Context(), "webhook added", "name", h.Name, "host", core.URLHost(h.URL), "by", admin.Name)
	if h.Robot() {
		// A robot signs with its own secret, if any: nothing to show.
		s.done(w, r, "/staff/admin/webhooks/"+strconv.FormatInt(h.ID, 10), "admin.webhooks.saved", h.Name)
		return nil
	}
	s.showOnce(w, r, adminShownArea, shownWebhook, adminWebhookCreatedData{Webhook: h, Secret: secret, Header: outbox.SignatureHeader})
	return nil
}

func (s *Pages) adminEditWebhookPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	h, err := s.PathWebhook(r, admin)
	if err != nil {
		return err
	}
	s.showWebhookForm(w, r, false, h, nil)
	return nil
}

func (s *Pages) adminEditWebhook(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	old, err := s.PathWebhook(r, admin)
	if err != nil {
		return err
	}
	h := webhookFromForm(r)
	h.ID, h.Name, h.Format = old.ID, old.Name, old.Format
	if err := s.Svc.Outbox.ChangeWebhook(r.Context(), admin, h); err != nil {
		s.showWebhookForm(w, r, false, h, err)
		return nil
	}
	s.Log.InfoContext(r.Context(), "webhook changed", "name", h.Name, "host", core.URLHost(h.URL), "active", h.Active, "by", admin.Name)
	s.done(w, r, "/staff/admin/webhooks/"+strconv.FormatInt(h.ID, 10), "admin.webhooks.saved", h.Name)
	return nil
}

type adminDeliveriesData struct {
	Webhook    outbox.Webhook
	Deliveries []deliveryRow
	Filter     core.OutboxFilter
	Next       int64
	States     []string
}

// deliveryRow is a delivery with the record it is about as the log shows
// it: an item by its number, an issued report by its id and title (the
// announcement's own), each linked to its page.
type deliveryRow struct {
	outbox.Delivery
	AboutHref, AboutText string
}

// newDeliveryRow names what d is about; reportWord is "报告" in the
// reader's language. A register without a page shows its record as logged.
func newDeliveryRow(reportWord string, d outbox.Delivery) deliveryRow {
	row := deliveryRow{Delivery: d, AboutText: d.Register + " " + d.Record}
	switch d.Register {
	case archive.Register:
		row.AboutHref, row.AboutText = "/staff/items/"+url.PathEscape(d.Record), d.Record
	case report.IssuedRegister:
		row.AboutHref, row.AboutText = "/staff/reports/issued/"+url.PathEscape(d.Record), reportWord+" #"+d.Record
		var p report.IssuedPayload
		if json.Unmarshal([]byte(d.Payload), &p) == nil && p.Title != "" {
			row.AboutText += " " + p.Title
		}
	}
	return row
}

// NextParam is the id to list below on the next page, as a query value.
func (d adminDeliveriesData) NextParam() string { return strconv.FormatInt(d.Next, 10) }

// adminWebhookPage shows a webhook and its delivery log, newest first.
func (s *Pages) adminWebhookPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	h, err := s.PathWebhook(r, admin)
	if err != nil {
		return err
	}
	d := adminDeliveriesData{Webhook: h, States: deliveryStates}
	f, err := core.ReadOutboxFilter(r.URL.Query(), core.OutboxPageSize, core.OutboxPageSize)
	d.Filter = f
	if err == nil {
		var ds []outbox.Delivery
		ds, d.Next, err = s.ListDeliveries(r, admin, h.ID, f)
		for _, dl := range ds {
			d.Deliveries = append(d.Deliveries, newDeliveryRow(s.Catalog.T(core.PreferredLang(r), "issued.report"), dl))
		}
	}
	s.adminRender(w, r, "admin_webhook_log", "admin.webhooks.log_title", d, err)
	return nil
}

// ---- Notices ----

type adminNoticesData struct {
	Counts  map[string]int64
	Notices []core.NoticeView
	Filter  core.OutboxFilter
	Next    int64
	States  []string
	Kinds   []archive.NoticeKind
}

// NextParam is the id to list below on the next page, as a query value.
func (d adminNoticesData) NextParam() string { return strconv.FormatInt(d.Next, 10) }

// adminNoticesPage shows the outbox of SMS notices: how many wait, went or
// failed, and the notices themselves, newest first, phones masked.
func (s *Pages) adminNoticesPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	counts, err := s.Svc.Outbox.NoticeCounts(r.Context(), admin)
	if err != nil {
		return err
	}
	d := adminNoticesData{Counts: counts, States: deliveryStates, Kinds: core.NoticeKinds}
	f, err := core.ReadOutboxFilter(r.URL.Query(), core.OutboxPageSize, core.OutboxPageSize)
	d.Filter = f
	if err == nil {
		d.Notices, d.Next, err = s.ListNotices(r, admin, f)
	}
	s.adminRender(w, r, "admin_notices", "admin.notices.title", d, err)
	return nil
}
