// Package outbox delivers what the archive has to say to the outside: SMS
// notices to citizens and signed webhook calls to partner systems. Both are
// written as rows in the same transaction as the event that causes them
// (the transactional outbox); a job queue then hands each row's id to the
// Deliverer here, which sends it, retries with back-off and records the
// outcome. A row already marked sent is never sent again.
package outbox

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
	"minyi/archive"
)

// Webhook is a partner endpoint that is told of chosen event types.
type Webhook struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Secret string   `json:"-"` // signs deliveries; shown once, when created
	Events []string `json:"events"`
	Active bool     `json:"active"`
	// Format is how calls are made (FormatMinyi, FormatWeCom,
	// FormatDingTalk); a robot's Secret is the one its chat tool gave (a
	// DingTalk robot's 加签 secret, none for WeCom).
	Format string `json:"format"`
	// Unit limits a robot to the alerts of one unit; empty is every unit.
	Unit      string    `json:"unit,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Bounds of a webhook's settings.
const (
	MaxWebhookNameRunes = 60
	MaxURLBytes         = 500
)

// AllEvents subscribes a webhook to every event type.
const AllEvents = "*"

// EventTypes are the event types a webhook may subscribe to: everything a
// partner system may be told of. Internal notes and looking up a citizen's
// contact are staff matters and never leave.
var EventTypes = []archive.EventType{
	archive.EventReceived, archive.EventDispatched, archive.EventSigned, archive.EventStarted,
	archive.EventReplied, archive.EventAnswered, archive.EventTransferred, archive.EventReturned,
	archive.EventExtensionGranted, archive.EventSupervised, archive.EventVisited, archive.EventRated,
	archive.EventReopened, archive.EventClosed, archive.EventMerged, archive.EventInvalidated,
	EventReportIssued,
}

// EventReportIssued announces an issued report (report.EventReportIssued):
// its payload says what was issued (report.IssuedPayload), not an item's
// event.
const EventReportIssued archive.EventType = "report_issued"

// Validate checks a webhook before it is stored; allow is where receivers
// may be beyond the public Internet (AllowList.CheckURL).
func (w Webhook) Validate(allow AllowList) error {
	var p minyi.Problems
	if n := utf8.RuneCountInString(strings.TrimSpace(w.Name)); n == 0 || n > MaxWebhookNameRunes {
		p.Add("name", "名称须为1–60个字", "name must be 1–60 characters")
	}
	if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(w.URL) > MaxURLBytes {
		p.Add("url", "地址须为完整的 http(s) 网址", "url must be an absolute http or https URL")
	} else {
		p.Merge(allow.CheckURL(w.URL))
	}
	switch {
	case w.Format != "" && !slices.Contains(Formats, w.Format):
		p.Add("format", "未知的格式："+w.Format, "unknown format: "+w.Format)
	case w.Robot():
		if len(w.Secret) > 200 {
			p.Add("secret", "密钥过长", "secret too long")
		}
	case len(w.Events) == 0:
		p.Add("events", "请至少选择一种事件", "choose at least one event type")
	}
	for _, e := range w.Events {
		if e != AllEvents && !slices.Contains(EventTypes, archive.EventType(e)) {
			p.Add("events", "未知的事件类型："+e, "unknown event type: "+e)
			break
		}
	}
	return p.Err()
}

// URLMask is what stands for the hidden part of a credential in an address
// (MaskURL).
const URLMask = "****"

// MaskURL returns a webhook's address with what may be a credential hidden:
// a WeCom robot's URL carries its key (?key=…) and a DingTalk robot's its
// access_token, and whoever has them can post to the group. Every query
// value shows only its last four characters after ****, or **** alone when
// it is short; a password in the address is ****, and so is a user name
// with no password, which is then the credential. An address that does
// not parse is hidden whole but for its start.
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw[:min(len(raw), 8)] + URLMask
	}
	if u.User != nil {
		if pw, _ := u.User.Password(); pw != "" {
			u.User = url.UserPassword(u.User.Username(), URLMask)
		} else if u.User.Username() != "" {
			// A name alone (https://token@host/, or token:@host) is the
			// credential itself, as GitLab's and many gateways' are.
			u.User = url.User(URLMask)
		}
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			k, v, ok := strings.Cut(p, "=")
			if !ok || v == "" {
				continue
			}
			if len(v) <= 8 {
				v = URLMask
			} else {
				v = URLMask + v[len(v)-4:]
			}
			parts[i] = k + "=" + v
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	out := u.String()
	if u.User != nil {
		// url.String escapes the userinfo's stars; show them as typed.
		out = strings.Replace(out, url.PathEscape(URLMask), URLMask, 1)
	}
	return out
}

// Masked returns w as admins see it after saving: its address masked
// (MaskURL).
func (w Webhook) Masked() Webhook {
	w.URL = MaskURL(w.URL)
	return w
}

// Wants reports whether the webhook subscribes to events of type t.
func (w Webhook) Wants(t archive.EventType) bool {
	if w.Robot() || !slices.Contains(EventTypes, t) {
		return false
	}
	return slices.Contains(w.Events, AllEvents) || slices.Contains(w.Events, string(t))
}

// NewSecret returns a fresh signing secret.
func NewSecret() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return "whsec_" + hex.EncodeToString(b)
}

// Delivery is one event sent (or to be sent) to one webhook.
type Delivery struct {
	ID          int64  `json:"id"`
	WebhookID   int64  `json:"webhook_id"`
	WebhookName string `json:"webhook"`
	// Register, RecordID and Record name the record whose event this is
	// (eventlog.Event's Register, RecordID and Record): an item by its
	// number, an issued report (register reports) by its id.
	Register string `json:"register"`
	RecordID int64  `json:"-"`
	Record   string `json:"record"`
	// ItemNumber is the item's number when the event is an item's, and
	// empty otherwise, so that a report's id is never taken for an item.
	ItemNumber string     `json:"item,omitempty"`
	EventSeq   int64      `json:"event_seq"`
	EventType  string     `json:"event_type"`
	Payload    string     `json:"payload"`
	Status     string     `json:"status"`
	Attempts   int        `json:"attempts"`
	LastStatus int        `json:"last_status,omitempty"` // HTTP status of the last attempt
	LastError  string     `json:"last_error,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	SentAt     *time.Time `json:"sent_at,omitempty"`
}

// Payload is the JSON body of a webhook call. It carries what the public
// may know of the event: never the citizen's contact, never internal notes.
type Payload struct {
	EventSeq int64             `json:"event_seq"`
	Type     archive.EventType `json:"type"`
	At       time.Time         `json:"at"`
	Item     string            `json:"item"`
	Status   archive.Status    `json:"status"`
	From     archive.Status    `json:"from,omitempty"`
	To       archive.Status    `json:"to,omitempty"`
	Unit     string            `json:"unit"`
	Category string            `json:"category,omitempty"`
	Channel  archive.Channel   `json:"channel"`
	DueAt    time.Time         `json:"due_at"`
	Body     string            `json:"body,omitempty"` // public replies only
}

// PayloadFor describes event e of item it (the item as it is after e).
func PayloadFor(it archive.Item, e archive.Event) Payload {
	p := Payload{EventSeq: e.Seq, Type: e.Type, At: e.At, Item: it.Number, Status: it.Status, From: e.From,
		To: e.To, Unit: it.UnitCode, Category: it.CategoryCode, Channel: it.Channel, DueAt: it.DueAt}
	if e.Public && (e.Type == archive.EventReplied || e.Type == archive.EventAnswered) {
		p.Body = e.Body
	}
	return p
}

// SignatureHeader carries a delivery's signature: "t=<unix seconds>,v1=<hex
// HMAC-SHA256 of "<t>.<body>" keyed with the webhook's secret>". The time
// inside the signed text lets a receiver refuse replays of old deliveries.
const SignatureHeader = "Minyi-Signature"

// Sign returns the SignatureHeader value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks a SignatureHeader value as a receiver should: the MAC must
// match and the time must be within tolerance of now.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return fmt.Errorf("malformed signature header")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("signature time %s is outside the tolerance", time.Unix(sec, 0).UTC().Format(time.RFC3339))
	}
	if !hmac.Equal([]byte(sig), []byte(mac(secret, ts, body))) {
		return fmt.Errorf("signature does not match")
	}
	return nil
}

// Marshal encodes p.
func (p Payload) Marshal() string {
	b, _ := json.Marshal(p)
	return string(b)
}

// WebhookStore keeps webhooks and their delivery log.
type WebhookStore interface {
	CreateWebhook(ctx context.Context, w *Webhook) error
	UpdateWebhook(ctx context.Context, w Webhook) error
	Webhook(ctx context.Context, id int64) (Webhook, error)
	Webhooks(ctx context.Context) ([]Webhook, error)
}

// NoticeFilter selects notices for the outbox page.
type NoticeFilter struct {
	Status string // pending, sent or failed; empty for all
	Item   string // one item's number
	Before int64  // ids below this (paging, newest first)
	Limit  int    // 1–200, default 50
}

// DeliveryFilter selects webhook deliveries for the delivery log.
type DeliveryFilter struct {
	Webhook int64  // one webhook's deliveries
	Status  string // pending, sent or failed; empty for all
	Before  int64  // ids below this (paging, newest first)
	Limit   int    // 1–200, default 50
}
