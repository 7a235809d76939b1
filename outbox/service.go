package outbox

import (
	"context"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/org"
)

// AdminStore is what the outbox's administration reads and writes: the
// webhooks, and the notices and deliveries waiting, sent or failed.
type AdminStore interface {
	WebhookStore
	// Notices lists notices, newest first.
	Notices(ctx context.Context, f NoticeFilter) ([]archive.Notice, error)
	// Deliveries lists webhook deliveries, newest first.
	Deliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error)
	// OutboxCounts counts the rows of table (notices or
	// webhook_deliveries) by state.
	OutboxCounts(ctx context.Context, table string) (map[string]int64, error)
}

// Service is the front door to what leaves minyi, for its administrators:
// partner webhooks, and the log of notices and deliveries. Every method is
// for administrators only (org.CheckManage) and validates what it stores.
type Service struct {
	Store AdminStore
	// Allow are the intranet networks webhooks may point at (serve
	// --webhook-allow); by default only the public Internet.
	Allow AllowList
	// Now is the clock of a webhook's creation; nil is time.Now.
	Now func() time.Time
	// UnitExists checks the unit a robot is limited to; nil accepts any.
	UnitExists func(ctx context.Context, code string) (bool, error)
}

// checkUnit refuses a robot's unit that does not exist, and a unit on a
// webhook of minyi's format (which is told of every event it subscribes
// to, whatever the unit).
func (s *Service) checkUnit(ctx context.Context, w Webhook) error {
	if w.Unit == "" {
		return nil
	}
	if !w.Robot() {
		return minyi.Invalid("unit", "只有群机器人可限定单位", "only a chat robot is limited to a unit")
	}
	if s.UnitExists == nil {
		return nil
	}
	ok, err := s.UnitExists(ctx, w.Unit)
	if err != nil {
		return err
	}
	if !ok {
		return minyi.Invalid("unit", "没有这个单位："+w.Unit, "no such unit: "+w.Unit)
	}
	return nil
}

// States are the states of notices and deliveries, in order.
var States = []string{archive.DeliveryPending, archive.DeliverySent, archive.DeliveryFailed}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Webhooks lists every webhook, without its secret and with its address
// masked (MaskURL): a robot's address is its key.
func (s *Service) Webhooks(ctx context.Context, actor org.User) ([]Webhook, error) {
	if err := org.CheckManage(actor); err != nil {
		return nil, err
	}
	hooks, err := s.Store.Webhooks(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Webhook, len(hooks))
	for i, h := range hooks {
		out[i] = h.Masked()
	}
	return out, nil
}

// Webhook returns the webhook with id, its address masked (MaskURL).
func (s *Service) Webhook(ctx context.Context, actor org.User, id int64) (Webhook, error) {
	if err := org.CheckManage(actor); err != nil {
		return Webhook{}, err
	}
	w, err := s.Store.Webhook(ctx, id)
	return w.Masked(), err
}

// AddWebhook validates and registers w for actor with a fresh secret, which
// it returns (shown once; receivers need it to verify signatures); w is
// then as stored, its address masked (MaskURL) as it is shown from then on.
func (s *Service) AddWebhook(ctx context.Context, actor org.User, w *Webhook) (string, error) {
	if err := org.CheckManage(actor); err != nil {
		return "", err
	}
	w.Name, w.URL = strings.TrimSpace(w.Name), strings.TrimSpace(w.URL)
	w.Unit = strings.TrimSpace(w.Unit)
	if err := w.Validate(s.Allow); err != nil {
		return "", err
	}
	if err := s.checkUnit(ctx, *w); err != nil {
		return "", err
	}
	if w.Format == "" {
		w.Format = FormatMinyi
	}
	if w.Robot() {
		// The robot's own secret (DingTalk's 加签), or none: what was
		// given is what signs; nothing to show.
		w.Secret, w.Events = strings.TrimSpace(w.Secret), nil
	} else {
		w.Secret = NewSecret()
	}
	w.CreatedBy, w.CreatedAt = actor.Name, s.now().Truncate(time.Microsecond)
	if err := s.Store.CreateWebhook(ctx, w); err != nil {
		return "", err
	}
	w.URL = MaskURL(w.URL)
	if w.Robot() {
		return "", nil
	}
	return w.Secret, nil
}

// ChangeWebhook stores a webhook's new address, events and state (active or
// not); its name and secret never change. The address as shown, masked
// (MaskURL), keeps the stored one, so that a form saved without retyping
// the key keeps it; another address with the mask in it is refused, since
// its key is lost.
func (s *Service) ChangeWebhook(ctx context.Context, actor org.User, w Webhook) error {
	if err := org.CheckManage(actor); err != nil {
		return err
	}
	old, err := s.Store.Webhook(ctx, w.ID)
	if err != nil {
		return err
	}
	w.Name, w.URL, w.Format, w.Secret = old.Name, strings.TrimSpace(w.URL), old.Format, old.Secret
	switch {
	case w.URL == MaskURL(old.URL):
		w.URL = old.URL
	case strings.Contains(w.URL, URLMask):
		return minyi.Invalid("url", "地址中隐去的密钥（****）已无法还原：请填写完整的新地址，或不改原地址", "the hidden key (****) cannot be restored from this address: type the whole new address, or leave the address as it was")
	}
	if w.Robot() {
		w.Events = nil
	}
	w.Unit = strings.TrimSpace(w.Unit)
	if err := w.Validate(s.Allow); err != nil {
		return err
	}
	if err := s.checkUnit(ctx, w); err != nil {
		return err
	}
	return s.Store.UpdateWebhook(ctx, w)
}

// Notices lists one page of f.Limit notices, newest first, and the id to
// list below for the next page, 0 on the last. They hold the citizen's
// phone and the text as sent: callers show archive.Notice's masked forms.
func (s *Service) Notices(ctx context.Context, actor org.User, f NoticeFilter) ([]archive.Notice, int64, error) {
	if err := org.CheckManage(actor); err != nil {
		return nil, 0, err
	}
	limit := pageLimit(f.Limit)
	f.Limit = limit + 1
	ns, err := s.Store.Notices(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(ns) > limit {
		ns = ns[:limit]
		next = ns[len(ns)-1].ID
	}
	return ns, next, nil
}

// Deliveries lists one page of webhook deliveries, as Notices.
func (s *Service) Deliveries(ctx context.Context, actor org.User, f DeliveryFilter) ([]Delivery, int64, error) {
	if err := org.CheckManage(actor); err != nil {
		return nil, 0, err
	}
	limit := pageLimit(f.Limit)
	f.Limit = limit + 1
	ds, err := s.Store.Deliveries(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(ds) > limit {
		ds = ds[:limit]
		next = ds[len(ds)-1].ID
	}
	return ds, next, nil
}

// pageLimit is a page's length: limit, or 50 without one.
func pageLimit(limit int) int {
	if limit < 1 {
		return 50
	}
	return limit
}

// NoticeCounts counts the notices by state, every state present.
func (s *Service) NoticeCounts(ctx context.Context, actor org.User) (map[string]int64, error) {
	return s.counts(ctx, actor, "notices")
}

// DeliveryCounts counts the webhook deliveries by state, every state present.
func (s *Service) DeliveryCounts(ctx context.Context, actor org.User) (map[string]int64, error) {
	return s.counts(ctx, actor, "webhook_deliveries")
}

func (s *Service) counts(ctx context.Context, actor org.User, table string) (map[string]int64, error) {
	if err := org.CheckManage(actor); err != nil {
		return nil, err
	}
	c, err := s.Store.OutboxCounts(ctx, table)
	if err != nil {
		return nil, err
	}
	for _, st := range States {
		c[st] += 0
	}
	return c, nil
}
