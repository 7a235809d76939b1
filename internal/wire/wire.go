// Package wire builds the web layer's services over a database, in one
// place for the server, the benchmarks and the tests.
package wire

import (
	"context"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/booking"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/dispute"
	"minyi/indicator"
	"minyi/ledgerimport"
	"minyi/matter"
	"minyi/measure"
	"minyi/meeting"
	"minyi/notify"
	"minyi/onestop"
	"minyi/org"
	"minyi/outbox"
	"minyi/publicity"
	"minyi/report"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/store"
	"minyi/survey"
	"minyi/volunteer"
	"minyi/web"
)

// Options are the services' settings beyond the database.
type Options struct {
	// Now is the clock of logins and tokens; nil is time.Now.
	Now func() time.Time
	// WebhookAllow are the intranet networks webhooks may point at.
	WebhookAllow outbox.AllowList
}

// Web returns the services of web.New over db; items is the archive's
// service, which the caller sets up (policy, notices, limits).
func Web(db *store.DB, items *archive.Service, o Options) web.Services {
	s := web.Services{
		Items:      items,
		Org:        &org.Service{Store: db, Now: o.Now},
		Meetings:   &meeting.Service{Store: db, Items: items},
		Volunteer:  &volunteer.Service{Store: db, Now: items.Clock},
		Points:     &servicepoint.Service{Store: db, Now: items.Clock},
		Matters:    &matter.Service{Store: db, Items: items, Settings: db},
		Measures:   &measure.Service{Store: db, Now: items.Clock},
		Publicity:  &publicity.Service{Store: db, Settings: db, Now: items.Clock},
		Indicators: &indicator.Service{Store: db, Now: items.Clock},
		Disputes:   &dispute.Service{Store: db, Items: items, Settings: db},
		OneStop:    &onestop.Service{Store: db, Items: items},
		Bookings:   Bookings(db, items),
		Surveys:    &survey.Service{Store: db, Items: items, Now: items.Clock},
		Campaigns:  Campaigns(db, items),
		Reports:    Reports(db, items),
		Config:     archive.NewConfig(db, items),
		Outbox: &outbox.Service{Store: db, Allow: o.WebhookAllow, UnitExists: func(ctx context.Context, code string) (bool, error) {
			_, err := db.Unit(ctx, code)
			if minyi.ErrorCode(err) == minyi.ENotFound {
				return false, nil
			}
			return err == nil, err
		}},
		Notifications: &notify.Service{Store: db, Now: items.Clock,
			Calendar: func() *calendar.Calendar { return items.Policy().Calendar }},
		Sessions:     db,
		Limits:       db,
		Ping:         db.Ping,
		WriteFailure: db.WriteFailure,
	}
	s.Report = &report.Service{Reports: s.Reports, Campaigns: s.Campaigns, Matters: s.Matters, OneStop: s.OneStop,
		Publicity: s.Publicity, Indicators: s.Indicators, Org: s.Org, Items: items, Templates: db, Now: items.Clock}
	s.Issued = &report.Issuing{Reports: s.Report, Store: db, Forms: db, Campaigns: s.Campaigns, Now: items.Clock,
		Calendar: func() *calendar.Calendar { return items.Policy().Calendar }}
	s.Imports = &ledgerimport.Service{Store: db, Matters: s.Matters, Measures: s.Measures, Points: s.Points,
		Volunteers: s.Volunteer, Publicity: s.Publicity, Indicators: s.Indicators, Now: items.Clock}
	return s
}

// Reports returns the reporting service over db: the items register is its
// overdue list and its first source, and lends it its clock; meetings are
// the second source (held, attendees, opinions, opinions_closed), then
// practical matters (done, led, on_time, done_<class>, outcome_<key>),
// volunteer activities (activities, volunteers, volunteer_hours, served),
// service points (active) and convenience measures (researched,
// implemented, withdrawn), publicity (pieces, channel_<code>) and period
// indicators (one key per indicator code), disputes (found, resolved,
// referred, unresolved, open, overdue, resolved_village, village_share),
// one-stop cases (opened, done, proxy, green_channel, cancelled, overdue;
// opened_, done_ and proxy_<service code>) and bookings (booked, attended, cancelled,
// no_show, green_channel, extended_hours), then questionnaires (answers, published,
// items_created). These last are the ledgers, which the ledger
// summary asks: a new ledger's source goes into ledgers and nowhere else.
// The branch comparison ranks by matters done, then done on time, then
// volunteer activities, then volunteer hours.
func Reports(db *store.DB, items *archive.Service) *reporting.Service {
	meetings := &meeting.Service{Store: db, Items: items}
	matters := &matter.Service{Store: db, Items: items, Settings: db}
	activities := &volunteer.Service{Store: db, Now: items.Clock}
	points := &servicepoint.Service{Store: db, Now: items.Clock}
	measures := &measure.Service{Store: db, Now: items.Clock}
	pieces := &publicity.Service{Store: db, Settings: db, Now: items.Clock}
	indicators := &indicator.Service{Store: db, Now: items.Clock}
	disputes := &dispute.Service{Store: db, Items: items, Settings: db}
	cases := &onestop.Service{Store: db, Items: items}
	surveys := &survey.Service{Store: db, Items: items, Now: items.Clock}
	ledgers := []reporting.Source{matters, activities, points, measures, pieces, indicators, disputes, cases, Bookings(db, items), surveys}
	return &reporting.Service{Store: db, Overdue: items, Now: items.Clock,
		Sources: append([]reporting.Source{items, meetings}, ledgers...), Ledgers: ledgers,
		RankBy: []reporting.FigureKey{{Register: matter.Register, Key: "done"}, {Register: matter.Register, Key: "on_time"},
			{Register: volunteer.Register, Key: "activities"}, {Register: volunteer.Register, Key: "volunteer_hours"}}}
}

// Bookings returns the bookings service over db: the archive's clock, its
// calendar (holidays) and its SMS signature; a booking may name an active
// one-stop service (一件事) by its id.
func Bookings(db *store.DB, items *archive.Service) *booking.Service {
	return &booking.Service{Store: db, Now: items.Clock, Notices: items.Notices,
		Calendar: func() *calendar.Calendar { return items.Policy().Calendar },
		Services: func(ctx context.Context, id int64) (string, bool, error) {
			d, err := db.Service(ctx, id)
			if minyi.ErrorCode(err) == minyi.ENotFound {
				return "", false, nil
			}
			return d.Name, err == nil && d.Active, err
		}}
}

// Campaigns returns the campaigns service over db: its targets name, and
// its progress reads, the figures of the ledger summary (Reports), and a
// target may name a matter's counted outcome (matters.outcome_<key>), which
// the summary answers only when it is not zero.
func Campaigns(db *store.DB, items *archive.Service) *campaign.Service {
	matters := &matter.Service{Store: db, Items: items, Settings: db}
	return &campaign.Service{Store: db, Ledgers: Reports(db, items), ExtraKeys: matters.TargetKeys, Now: items.Clock}
}
