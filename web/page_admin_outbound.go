package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/outbox"
)

// Outside systems on the administration pages: the API keys of Open311
// clients, partner webhooks with their delivery log, and the outbox of SMS
// notices to citizens. A key or a signing secret is shown once, after a
// redirect (showOnce), never in clear in a cookie, a URL, the database or
// the log.
// The notices page shows phones masked and each notice's display text,
// never the text as sent, which holds the citizen's access code.

// outboxPageSize is how many rows the delivery log and the notices page show.
const outboxPageSize = 50

// deliveryStates are the states of notices and deliveries, in order.
var deliveryStates = outbox.States

// noticeKinds are the kinds of notices, for labels and filters.
var noticeKinds = []archive.NoticeKind{archive.NoticeReceipt, archive.NoticeReply, archive.NoticeExtension,
	archive.NoticeRate, archive.NoticeClosed}

// outboxFilter is a list's filter as read from the query: the state, one
// item, and the id to list below (paging, newest first).
type outboxFilter struct {
	Status string
	Item   string
	Before int64
	Limit  int
}

// readOutboxFilter reads ?status, ?item, ?before and ?limit; bad values are
// reported by field. maxLimit bounds ?limit; def is used without one.
func readOutboxFilter(q url.Values, def, maxLimit int) (outboxFilter, error) {
	f := outboxFilter{Status: strings.TrimSpace(q.Get("status")), Item: strings.TrimSpace(q.Get("item")), Limit: def}
	var p minyi.Problems
	if f.Status != "" && !slices.Contains(deliveryStates, f.Status) {
		p.Add("status", "状态须为pending、sent或failed", "status must be pending, sent or failed")
	}
	if len(f.Item) > 40 {
		p.Add("item", "件号过长", "item number too long")
	}
	if b := strings.TrimSpace(q.Get("before")); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 1 {
			p.Add("before", "before须为正整数", "before must be a positive whole number")
		}
		f.Before = n
	}
	if l := strings.TrimSpace(q.Get("limit")); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxLimit {
			p.Add("limit", "limit须为1到"+strconv.Itoa(maxLimit)+"之间的整数", "limit must be a whole number from 1 to "+strconv.Itoa(maxLimit))
		}
		f.Limit = n
	}
	return f, p.Err()
}

// noticeView is a notice as staff may see it: the phone masked and the
// text with the access code blanked. It has no field for the text as sent.
type noticeView struct {
	ID         int64              `json:"id"`
	ItemNumber string             `json:"item"`
	EventSeq   int64              `json:"event_seq"`
	Kind       archive.NoticeKind `json:"kind"`
	Phone      string             `json:"phone"` // masked
	Display    string             `json:"display"`
	Status     string             `json:"status"`
	Attempts   int                `json:"attempts"`
	LastError  string             `json:"last_error,omitempty"`
	CreatedAt  time.Time          `json:"created_at"`
	SentAt     *time.Time         `json:"sent_at,omitempty"`
}

func viewNotice(n archive.Notice) noticeView {
	return noticeView{ID: n.ID, ItemNumber: n.ItemNumber, EventSeq: n.EventSeq, Kind: n.Kind,
		Phone: n.MaskedPhone(), Display: n.Display, Status: n.Status, Attempts: n.Attempts,
		LastError: n.Redact(n.LastError), CreatedAt: n.CreatedAt, SentAt: n.SentAt}
}

// listNotices reads one page of notices (newest first) as staff may see
// them and the id to list below for the next page, 0 on the last.
func (s *Server) listNotices(r *http.Request, admin org.User, f outboxFilter) ([]noticeView, int64, error) {
	ns, next, err := s.svc.Outbox.Notices(r.Context(), admin, outbox.NoticeFilter{Status: f.Status, Item: f.Item, Before: f.Before, Limit: f.Limit})
	if err != nil {
		return nil, 0, err
	}
	out := make([]noticeView, len(ns))
	for i, n := range ns {
		out[i] = viewNotice(n)
	}
	return out, next, nil
}

// listDeliveries reads one page of a webhook's deliveries, as listNotices.
func (s *Server) listDeliveries(r *http.Request, admin org.User, webhook int64, f outboxFilter) ([]outbox.Delivery, int64, error) {
	return s.svc.Outbox.Deliveries(r.Context(), admin, outbox.DeliveryFilter{Webhook: webhook, Status: f.Status, Before: f.Before, Limit: f.Limit})
}

// ---- API keys ----

type adminAPIKeysData struct {
	Keys []org.APIKey
}

func (s *Server) adminAPIKeysPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	keys, err := s.org.APIKeys(r.Context(), admin)
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

func (s *Server) showAPIKeyForm(w http.ResponseWriter, r *http.Request, d adminAPIKeyData, err error) {
	s.adminRender(w, r, "admin_apikey", "admin.apikeys.new", d, err)
}

func (s *Server) adminNewAPIKeyPage(w http.ResponseWriter, r *http.Request) error {
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
func (s *Server) adminAddAPIKey(w http.ResponseWriter, r *http.Request) error {
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
	key, err := s.org.CreateAPIKey(r.Context(), admin, &k)
	if err != nil {
		s.showAPIKeyForm(w, r, d, err)
		return nil
	}
	s.log.InfoContext(r.Context(), "api key created", "name", k.Name, "prefix", k.Prefix, "by", admin.Name)
	s.showOnce(w, r, adminShownArea, shownAPIKey, adminAPIKeyCreatedData{Key: k, Secret: key})
	return nil
}

// apiKeyNamed finds the key named in the path, for admin, or shows why not.
func (s *Server) apiKeyNamed(w http.ResponseWriter, r *http.Request, admin org.User) (org.APIKey, bool) {
	k, err := s.findAPIKey(r, admin, r.PathValue("name"))
	if err != nil {
		s.pageError(w, r, err)
		return org.APIKey{}, false
	}
	return k, true
}

func (s *Server) findAPIKey(r *http.Request, admin org.User, name string) (org.APIKey, error) {
	keys, err := s.org.APIKeys(r.Context(), admin)
	if err != nil {
		return org.APIKey{}, err
	}
	for _, k := range keys {
		if k.Name == name {
			return k, nil
		}
	}
	return org.APIKey{}, minyi.Errorf(minyi.ENotFound, "API key不存在 / API key not found")
}

// adminRevokeAPIKeyPage asks to confirm a revocation, which cannot be
// undone; the page works without script.
func (s *Server) adminRevokeAPIKeyPage(w http.ResponseWriter, r *http.Request) error {
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
func (s *Server) adminRevokeAPIKey(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	k, ok := s.apiKeyNamed(w, r, admin)
	if !ok {
		return nil
	}
	if err := s.org.RevokeAPIKey(r.Context(), admin, k.Name); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "api key revoked", "name", k.Name, "prefix", k.Prefix, "by", admin.Name)
	s.done(w, r, "/staff/admin/apikeys", "admin.apikeys.revoked", k.Name)
	return nil
}

// ---- Webhooks ----

type adminWebhooksData struct {
	Webhooks []outbox.Webhook
	Counts   map[string]int64
	States   []string
}

func (s *Server) adminWebhooksPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	hooks, err := s.svc.Outbox.Webhooks(r.Context(), admin)
	if err != nil {
		return err
	}
	counts, err := s.svc.Outbox.DeliveryCounts(r.Context(), admin)
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
}

// All reports whether the form subscribes to every event type.
func (d adminWebhookData) All() bool { return slices.Contains(d.Form.Events, outbox.AllEvents) }

// Wants reports whether the form subscribes to t by name.
func (d adminWebhookData) Wants(t archive.EventType) bool {
	return slices.Contains(d.Form.Events, string(t))
}

// AllEvents is the value of the "all events" choice.
func (adminWebhookData) AllEvents() string { return outbox.AllEvents }

func (s *Server) showWebhookForm(w http.ResponseWriter, r *http.Request, isNew bool, f outbox.Webhook, err error) {
	title := "admin.webhooks.edit"
	if isNew {
		title = "admin.webhooks.new"
	}
	s.adminRender(w, r, "admin_webhook", title, adminWebhookData{New: isNew, Form: f, EventTypes: outbox.EventTypes}, err)
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
	return outbox.Webhook{
		Name:   strings.TrimSpace(r.PostFormValue("name")),
		URL:    strings.TrimSpace(r.PostFormValue("url")),
		Events: events,
		Active: r.PostFormValue("active") == "1",
	}
}

func (s *Server) adminNewWebhookPage(w http.ResponseWriter, r *http.Request) error {
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
func (s *Server) adminAddWebhook(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	h := webhookFromForm(r)
	secret, err := s.svc.Outbox.AddWebhook(r.Context(), admin, &h)
	if err != nil {
		s.showWebhookForm(w, r, true, h, err)
		return nil
	}
	s.log.InfoContext(r.Context(), "webhook added", "name", h.Name, "host", urlHost(h.URL), "by", admin.Name)
	s.showOnce(w, r, adminShownArea, shownWebhook, adminWebhookCreatedData{Webhook: h, Secret: secret, Header: outbox.SignatureHeader})
	return nil
}

// pathWebhook loads the webhook whose id is in the path for admin.
func (s *Server) pathWebhook(r *http.Request, admin org.User) (outbox.Webhook, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return outbox.Webhook{}, minyi.Errorf(minyi.ENotFound, "网络回调不存在 / webhook not found")
	}
	return s.svc.Outbox.Webhook(r.Context(), admin, id)
}

func (s *Server) adminEditWebhookPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	h, err := s.pathWebhook(r, admin)
	if err != nil {
		return err
	}
	s.showWebhookForm(w, r, false, h, nil)
	return nil
}

func (s *Server) adminEditWebhook(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	old, err := s.pathWebhook(r, admin)
	if err != nil {
		return err
	}
	h := webhookFromForm(r)
	h.ID, h.Name = old.ID, old.Name
	if err := s.svc.Outbox.ChangeWebhook(r.Context(), admin, h); err != nil {
		s.showWebhookForm(w, r, false, h, err)
		return nil
	}
	s.log.InfoContext(r.Context(), "webhook changed", "name", h.Name, "host", urlHost(h.URL), "active", h.Active, "by", admin.Name)
	s.done(w, r, "/staff/admin/webhooks/"+strconv.FormatInt(h.ID, 10), "admin.webhooks.saved", h.Name)
	return nil
}

type adminDeliveriesData struct {
	Webhook    outbox.Webhook
	Deliveries []outbox.Delivery
	Filter     outboxFilter
	Next       int64
	States     []string
}

// NextParam is the id to list below on the next page, as a query value.
func (d adminDeliveriesData) NextParam() string { return strconv.FormatInt(d.Next, 10) }

// adminWebhookPage shows a webhook and its delivery log, newest first.
func (s *Server) adminWebhookPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	h, err := s.pathWebhook(r, admin)
	if err != nil {
		return err
	}
	d := adminDeliveriesData{Webhook: h, States: deliveryStates}
	f, err := readOutboxFilter(r.URL.Query(), outboxPageSize, outboxPageSize)
	d.Filter = f
	if err == nil {
		d.Deliveries, d.Next, err = s.listDeliveries(r, admin, h.ID, f)
	}
	s.adminRender(w, r, "admin_webhook_log", "admin.webhooks.log_title", d, err)
	return nil
}

// ---- Notices ----

type adminNoticesData struct {
	Counts  map[string]int64
	Notices []noticeView
	Filter  outboxFilter
	Next    int64
	States  []string
	Kinds   []archive.NoticeKind
}

// NextParam is the id to list below on the next page, as a query value.
func (d adminNoticesData) NextParam() string { return strconv.FormatInt(d.Next, 10) }

// adminNoticesPage shows the outbox of SMS notices: how many wait, went or
// failed, and the notices themselves, newest first, phones masked.
func (s *Server) adminNoticesPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	counts, err := s.svc.Outbox.NoticeCounts(r.Context(), admin)
	if err != nil {
		return err
	}
	d := adminNoticesData{Counts: counts, States: deliveryStates, Kinds: noticeKinds}
	f, err := readOutboxFilter(r.URL.Query(), outboxPageSize, outboxPageSize)
	d.Filter = f
	if err == nil {
		d.Notices, d.Next, err = s.listNotices(r, admin, f)
	}
	s.adminRender(w, r, "admin_notices", "admin.notices.title", d, err)
	return nil
}

// urlHost is what the log says of a webhook's address: its host, not a
// token a partner may have put in the path or query.
func urlHost(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Host
	}
	return ""
}
