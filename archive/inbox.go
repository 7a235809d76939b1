package archive

import (
	"context"

	"minyi/org"
)

// Queue is a tab of the staff inbox: one slice of the open work.
type Queue string

// Inbox queues, in the order the inbox shows them.
const (
	QueueNew        Queue = "new"         // 待派單: received or returned, waiting to be dispatched
	QueueToSign     Queue = "to_sign"     // 待簽收: dispatched to a unit
	QueueInProgress Queue = "in_progress" // 辦理中: signed for or being worked on
	QueueDueSoon    Queue = "due_soon"    // 即將到期
	QueueOverdue    Queue = "overdue"     // 已超期
	QueueToVisit    Queue = "to_visit"    // 待回訪: answered, waiting for the return visit
	QueueAll        Queue = "all"
)

// Queues lists the inbox tabs in display order.
var Queues = []Queue{QueueNew, QueueToSign, QueueInProgress, QueueDueSoon, QueueOverdue, QueueToVisit, QueueAll}

// Filter narrows f to the queue's items.
func (q Queue) Filter(f Filter) Filter {
	switch q {
	case QueueNew:
		f.Statuses = []Status{StatusReceived, StatusReturned}
	case QueueToSign:
		f.Statuses = []Status{StatusDispatched}
	case QueueInProgress:
		f.Statuses = []Status{StatusSigned, StatusInProgress}
	case QueueDueSoon:
		f.DueSoon = true
		if f.Sort == "" {
			f.Sort = SortDue
		}
	case QueueOverdue:
		f.Overdue = true
		if f.Sort == "" {
			f.Sort = SortDue
		}
	case QueueToVisit:
		f.Statuses = []Status{StatusAnswered}
	}
	return f
}

// QueueCounts is how many items wait in each queue.
type QueueCounts map[Queue]int

// OpenCounts is what a store counts for the inbox: open and answered items
// by status, and how many open ones are overdue or due soon.
type OpenCounts struct {
	ByStatus         map[Status]int
	Overdue, DueSoon int
}

// InboxCounts counts the queues of the units u sees.
func (s *Service) InboxCounts(ctx context.Context, u org.User) (QueueCounts, error) {
	f := Filter{Units: u.VisibleUnits(), Now: s.now()}
	c, err := s.Store.CountOpen(ctx, f)
	if err != nil {
		return nil, err
	}
	return QueueCounts{
		QueueNew:        c.ByStatus[StatusReceived] + c.ByStatus[StatusReturned],
		QueueToSign:     c.ByStatus[StatusDispatched],
		QueueInProgress: c.ByStatus[StatusSigned] + c.ByStatus[StatusInProgress],
		QueueDueSoon:    c.DueSoon,
		QueueOverdue:    c.Overdue,
		QueueToVisit:    c.ByStatus[StatusAnswered],
	}, nil
}
