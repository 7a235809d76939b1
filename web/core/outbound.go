package core

import (
	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/outbox"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// What leaves minyi, as both the JSON API and the administration pages
// list it: the filter of the notices and deliveries lists, notices as staff
// may see them, and the API key or webhook a path names.

// OutboxPageSize is how many rows the delivery log and the notices page show.
const OutboxPageSize = 50

// OutboxFilter is a list's filter as read from the query: the state, one
// item, and the id to list below (paging, newest first).
type OutboxFilter struct {
	Status string
	Item   string
	Before int64
	Limit  int
}

// ReadOutboxFilter reads ?status, ?item, ?before and ?limit; bad values are
// reported by field. maxLimit bounds ?limit; def is used without one.
func ReadOutboxFilter(q url.Values, def, maxLimit int) (OutboxFilter, error) {
	f := OutboxFilter{Status: strings.TrimSpace(q.Get("status")), Item: strings.TrimSpace(q.Get("item")), Limit: def}
	var p minyi.Problems
	if f.Status != "" && !slices.Contains(outbox.States, f.Status) {
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

// NoticeView is a notice as staff may see it: the phone masked and the
// text with the access code blanked. It has no field for the text as sent.
type NoticeView struct {
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

func viewNotice(n archive.Notice) NoticeView {
	return NoticeView{ID: n.ID, ItemNumber: n.ItemNumber, EventSeq: n.EventSeq, Kind: n.Kind,
		Phone: n.MaskedPhone(), Display: n.Display, Status: n.Status, Attempts: n.Attempts,
		LastError: n.Redact(n.LastError), CreatedAt: n.CreatedAt, SentAt: n.SentAt}
}

// ListNotices reads one page of notices (newest first) as staff may see
// them and the id to list below for the next page, 0 on the last.
func (s *Base) ListNotices(r *http.Request, admin org.User, f OutboxFilter) ([]NoticeView, int64, error) {
	ns, next, err := s.Svc.Outbox.Notices(r.Context(), admin, outbox.NoticeFilter{Status: f.Status, Item: f.Item, Before: f.Before, Limit: f.Limit})
	if err != nil {
		return nil, 0, err
	}
	out := make([]NoticeView, len(ns))
	for i, n := range ns {
		out[i] = viewNotice(n)
	}
	return out, next, nil
}

// ListDeliveries reads one page of a webhook's deliveries, as ListNotices.
func (s *Base) ListDeliveries(r *http.Request, admin org.User, webhook int64, f OutboxFilter) ([]outbox.Delivery, int64, error) {
	return s.Svc.Outbox.Deliveries(r.Context(), admin, outbox.DeliveryFilter{Webhook: webhook, Status: f.Status, Before: f.Before, Limit: f.Limit})
}

// FindAPIKey is the Open311 client key named name, as admin may see it.
func (s *Base) FindAPIKey(r *http.Request, admin org.User, name string) (org.APIKey, error) {
	keys, err := s.Org.APIKeys(r.Context(), admin)
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

// PathWebhook loads the webhook whose id is in the path for admin.
func (s *Base) PathWebhook(r *http.Request, admin org.User) (outbox.Webhook, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return outbox.Webhook{}, minyi.Errorf(minyi.ENotFound, "网络回调不存在 / webhook not found")
	}
	return s.Svc.Outbox.Webhook(r.Context(), admin, id)
}

// NoticeKinds are the kinds of notices, for labels and filters.
var NoticeKinds = []archive.NoticeKind{archive.NoticeReceipt, archive.NoticeReply, archive.NoticeExtension,
	archive.NoticeRate, archive.NoticeClosed}
