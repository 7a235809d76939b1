package pages

import (
	"context"
	"time"

	"minyi/calendar"
	"minyi/matter"
	"minyi/org"
	"minyi/register"
	"minyi/volunteer"
)

// memberRecord is a member of staff's own record of a year (带党徽亮身份):
// the practical matters they led and joined that were done in the year,
// the volunteer activities they took part in, and the items they
// answered; shown on their account page and on the admin's page of the
// user. Each figure links to the list it counts.
type memberRecord struct {
	Name                              string
	Year, From, To                    string
	Led, Joined, Activities, Answered int
}

// memberRecord counts the record of name for viewer, over this year up to
// today; the lists count what viewer may see (their own units' records,
// or all for leaders and admins).
func (s *Pages) memberRecord(ctx context.Context, viewer org.User, name string) (memberRecord, error) {
	now := time.Now().In(calendar.Zone)
	start := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, calendar.Zone)
	rec := memberRecord{Name: name, Year: now.Format("2006"), From: start.Format(time.DateOnly), To: now.Format(time.DateOnly)}
	one := register.Filter{Limit: 1}
	total := func(n *int) int {
		if n == nil {
			return 0
		}
		return *n
	}
	led, err := s.Svc.Matters.List(ctx, viewer, matter.Filter{Filter: one, Lead: name, Status: matter.StatusDone, From: rec.From, To: rec.To})
	if err != nil {
		return rec, err
	}
	joined, err := s.Svc.Matters.List(ctx, viewer, matter.Filter{Filter: one, Participant: name, Status: matter.StatusDone, From: rec.From, To: rec.To})
	if err != nil {
		return rec, err
	}
	acts, err := s.Svc.Volunteer.List(ctx, viewer, volunteer.Filter{Filter: one, Participant: name, From: rec.From, To: rec.To})
	if err != nil {
		return rec, err
	}
	answered, err := s.Items.AnsweredBy(ctx, viewer, name, start, start.AddDate(1, 0, 0))
	if err != nil {
		return rec, err
	}
	rec.Led, rec.Joined, rec.Activities, rec.Answered = total(led.Total), total(joined.Total), total(acts.Total), int(answered)
	return rec, nil
}
