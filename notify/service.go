package notify

import (
	"context"
	"maps"
	"slices"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
)

// Store keeps alerts and the notifications they fan out to.
type Store interface {
	// WriteAlerts writes the alerts not written before (by Key), each
	// with its notifications and robot deliveries, and returns how many
	// were new.
	WriteAlerts(ctx context.Context, alerts []Alert) (int, error)
	// Notifications lists user's notifications newest first, below id
	// before (0: from the newest), at most limit, the unread only if asked.
	Notifications(ctx context.Context, user string, unread bool, before int64, limit int) ([]Notification, error)
	// UnreadNotifications counts user's unread notifications.
	UnreadNotifications(ctx context.Context, user string) (int, error)
	// MarkNotificationsRead marks user's notification id (0: all of
	// them) read at at, and returns how many changed.
	MarkNotificationsRead(ctx context.Context, user string, id int64, at time.Time) (int, error)
	// DueItems lists the open items due in (from, to], soonest first.
	DueItems(ctx context.Context, from, to time.Time) ([]DueItem, error)
	// AlertCounts counts per unit and kind the items alerted in [from, to).
	AlertCounts(ctx context.Context, from, to time.Time) (map[string]map[Kind]int, error)
}

// Service is the door to staff's notifications: each user reads and marks
// only their own; Run writes the periodic alerts.
type Service struct {
	Store Store
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Calendar gives the working days of the digest; nil sends none.
	Calendar func() *calendar.Calendar
}

// Page is one page of a user's notifications.
type Page struct {
	Items  []Notification `json:"items"`
	Unread int            `json:"unread"`
	Next   int64          `json:"next,omitempty"` // the before of the next page; 0 on the last
}

// MaxPage bounds a page of notifications.
const MaxPage = 100

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func staff(u org.User) error {
	if u.Name == "" {
		return minyi.Errorf(minyi.EUnauthorized, "请先登录 / log in first")
	}
	return nil
}

// List returns a page of u's own notifications, newest first.
func (s *Service) List(ctx context.Context, u org.User, unread bool, before int64, limit int) (Page, error) {
	if err := staff(u); err != nil {
		return Page{}, err
	}
	if limit <= 0 || limit > MaxPage {
		limit = 50
	}
	ns, err := s.Store.Notifications(ctx, u.Name, unread, before, limit+1)
	if err != nil {
		return Page{}, err
	}
	p := Page{Items: ns}
	if len(ns) > limit {
		p.Items, p.Next = ns[:limit], ns[limit-1].ID
	}
	if p.Unread, err = s.Store.UnreadNotifications(ctx, u.Name); err != nil {
		return Page{}, err
	}
	return p, nil
}

// Unread counts u's unread notifications.
func (s *Service) Unread(ctx context.Context, u org.User) (int, error) {
	if err := staff(u); err != nil {
		return 0, err
	}
	return s.Store.UnreadNotifications(ctx, u.Name)
}

// MarkRead marks u's notification id read; another user's is not found.
// Marking one read twice is no error.
func (s *Service) MarkRead(ctx context.Context, u org.User, id int64) error {
	if err := staff(u); err != nil {
		return err
	}
	if id <= 0 {
		return minyi.Invalid("id", "通知编号无效", "invalid notification id")
	}
	n, err := s.Store.MarkNotificationsRead(ctx, u.Name, id, s.now())
	if err != nil {
		return err
	}
	if n == 0 {
		return minyi.Errorf(minyi.ENotFound, "没有这条通知 / no such notification: %d", id)
	}
	return nil
}

// MarkAllRead marks every notification of u read and returns how many
// were unread.
func (s *Service) MarkAllRead(ctx context.Context, u org.User) (int, error) {
	if err := staff(u); err != nil {
		return 0, err
	}
	return s.Store.MarkNotificationsRead(ctx, u.Name, 0, s.now())
}

// OverdueLookback is how far back Run looks for items that became overdue:
// an hourly job that missed runs (no server for a day) still alerts them,
// while the items overdue for long are not alerted again and again.
const OverdueLookback = 48 * time.Hour

// Run writes the alerts due at now: open items due within
// archive.DueSoonWindow, those that became overdue, and on a working day
// from DigestHour each unit's digest. It is safe to repeat (every alert is
// written once by its key) and returns how many alerts were new.
func (s *Service) Run(ctx context.Context) (int, error) {
	now := s.now()
	var alerts []Alert
	soon, err := s.Store.DueItems(ctx, now, now.Add(archive.DueSoonWindow))
	if err != nil {
		return 0, err
	}
	for _, d := range soon {
		alerts = append(alerts, ForDue(d, KindDueSoon, now))
	}
	late, err := s.Store.DueItems(ctx, now.Add(-OverdueLookback), now)
	if err != nil {
		return 0, err
	}
	for _, d := range late {
		alerts = append(alerts, ForDue(d, KindOverdue, now))
	}
	written, err := s.Store.WriteAlerts(ctx, alerts)
	if err != nil {
		return written, err
	}
	var cal *calendar.Calendar
	if s.Calendar != nil {
		cal = s.Calendar()
	}
	day, from, to, ok := DigestWindow(cal, now)
	if !ok {
		return written, nil
	}
	counts, err := s.Store.AlertCounts(ctx, from, to)
	if err != nil {
		return written, err
	}
	var digests []Alert
	for _, unit := range slices.Sorted(maps.Keys(counts)) {
		c := counts[unit]
		if a, ok := ForDigest(unit, day, c, now); ok {
			digests = append(digests, a)
		}
	}
	n, err := s.Store.WriteAlerts(ctx, digests)
	return written + n, err
}
