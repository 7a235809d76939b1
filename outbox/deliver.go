package outbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"minyi/archive"
)

// Store is what delivery needs of the database.
type Store interface {
	Notice(ctx context.Context, id int64) (archive.Notice, error)
	// RecordNotice stores the outcome of an attempt: sent when sentAt is
	// set, otherwise the error, and failed for good when final.
	RecordNotice(ctx context.Context, id int64, sentAt *time.Time, errText string, final bool) error
	Delivery(ctx context.Context, id int64) (Delivery, Webhook, error)
	// EarlierUnfinished reports whether an earlier delivery of the same item
	// to the same webhook, written since since, is still pending.
	EarlierUnfinished(ctx context.Context, d Delivery, since time.Time) (bool, error)
	RecordDelivery(ctx context.Context, id int64, httpStatus int, sentAt *time.Time, errText string, final bool) error
}

// AbandonAfter is how long a delivery may stay pending: well past the job
// queue's whole retry span (about two hours), so a row still pending after
// it lost its job (its server died during the last attempt). Such rows are
// marked failed, and no longer hold back later events of their item.
const AbandonAfter = 6 * time.Hour

// ErrWaitForEarlier asks the queue to try a delivery again shortly without
// counting an attempt: partners see one item's events in order.
var ErrWaitForEarlier = errors.New("an earlier delivery of this item to this webhook is unfinished")

// Deliverer sends notices and webhook calls and records the outcome.
type Deliverer struct {
	Store  Store
	Sender Sender
	// Allow lets webhook calls reach receivers in these networks besides
	// the public Internet (serve --webhook-allow); by default none.
	Allow AllowList
	Now   func() time.Time
	Log   *slog.Logger

	clientOnce sync.Once
	client     *http.Client
}

// WebhookTimeout bounds one webhook call, connecting included.
const WebhookTimeout = 10 * time.Second

// ErrUndeliverable is what the delivery log records when a webhook call
// fails below HTTP (no route, connection refused, timeout, an address not
// allowed): one text for all, so the log cannot be used to map which
// ports answer inside the network. The cause goes to the server log.
var ErrUndeliverable = errors.New("无法投递 / could not deliver")

func (d *Deliverer) log() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}

func (d *Deliverer) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// scrub keeps out of the log of attempts what a gateway's error may echo of
// the message: the access code (where the text as sent differs from the
// text as staff see it) and the phone number, which staff see masked.
func scrub(errText string, n archive.Notice) string {
	p := 0
	for p < len(n.Body) && p < len(n.Display) && n.Body[p] == n.Display[p] {
		p++
	}
	q := 0
	for q < len(n.Body)-p && q < len(n.Display)-p && n.Body[len(n.Body)-1-q] == n.Display[len(n.Display)-1-q] {
		q++
	}
	pairs := []string{}
	if secret := n.Body[p : len(n.Body)-q]; secret != "" {
		pairs = append(pairs, secret, n.Display[p:len(n.Display)-q])
	}
	if n.Phone != "" {
		pairs = append(pairs, n.Phone, n.MaskedPhone())
	}
	if len(pairs) == 0 {
		return errText
	}
	return strings.NewReplacer(pairs...).Replace(errText)
}

// DeliverNotice sends notice id unless it was sent already. final says this
// is the last attempt the queue will make. An error means "try again".
func (d *Deliverer) DeliverNotice(ctx context.Context, id int64, final bool) error {
	n, err := d.Store.Notice(ctx, id)
	if err != nil {
		return err
	}
	if n.Status != archive.DeliveryPending {
		return nil // sent, or given up on: nothing to do
	}
	sendErr := d.Sender.Send(ctx, Message{To: n.Phone, Body: n.Body, Display: n.Display, IdempotencyKey: n.IdempotencyKey()})
	if sendErr != nil {
		if err := d.Store.RecordNotice(ctx, id, nil, scrub(sendErr.Error(), n), final); err != nil {
			return errors.Join(sendErr, err)
		}
		return sendErr
	}
	// A crash here sends the notice again on restart, with the same
	// idempotency key: the gateway recognises it. The record outlives the
	// job's deadline: dropping it would send the notice again.
	now := d.now()
	return d.Store.RecordNotice(context.WithoutCancel(ctx), id, &now, "", false)
}

// DeliverWebhook posts delivery id to its webhook unless it was delivered
// already or an earlier event of the same item is still on its way.
func (d *Deliverer) DeliverWebhook(ctx context.Context, id int64, final bool) error {
	del, hook, err := d.Store.Delivery(ctx, id)
	if err != nil {
		return err
	}
	if del.Status != archive.DeliveryPending {
		return nil
	}
	if wait, err := d.Store.EarlierUnfinished(ctx, del, d.now().Add(-AbandonAfter)); err != nil {
		return err
	} else if wait {
		return ErrWaitForEarlier
	}
	status, postErr := d.post(ctx, del, hook)
	if postErr != nil && status == 0 {
		d.log().WarnContext(ctx, "webhook delivery failed", "delivery", del.ID, "webhook", hook.Name, "err", postErr)
		postErr = ErrUndeliverable
	}
	if postErr != nil {
		if err := d.Store.RecordDelivery(ctx, id, status, nil, postErr.Error(), final); err != nil {
			return errors.Join(postErr, err)
		}
		return postErr
	}
	now := d.now()
	return d.Store.RecordDelivery(context.WithoutCancel(ctx), id, status, &now, "", false)
}

// maskURLError hides in err, when it holds the *url.Error of a request, the
// credentials the request's address may carry (MaskURL): a robot's key or
// access_token, the signature added to a DingTalk call, a gateway's key.
// The error goes to the server log, which those who read it may not post
// with.
func maskURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = MaskURL(ue.URL)
	}
	return err
}

func (d *Deliverer) post(ctx context.Context, del Delivery, hook Webhook) (int, error) {
	body := []byte(del.Payload)
	target := hook.URL
	if hook.Robot() {
		target = robotURL(hook, d.now())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, maskURLError(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "minyi-webhook/1")
	if !hook.Robot() {
		req.Header.Set("Minyi-Event", del.EventType)
		req.Header.Set("Minyi-Delivery", strconv.FormatInt(del.ID, 10))
		req.Header.Set(SignatureHeader, Sign(hook.Secret, d.now(), body))
	}
	d.clientOnce.Do(func() { d.client = d.Allow.Client(WebhookTimeout) })
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, maskURLError(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		// The code only: the reason phrase is the receiver's to choose.
		return resp.StatusCode, fmt.Errorf("webhook answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if hook.Robot() {
		if err := robotError(answer); err != nil {
			return resp.StatusCode, err
		}
	}
	return resp.StatusCode, nil
}
