package meeting

import (
	"context"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/reporting"
)

// Store persists meetings. *store.DB implements it.
type Store interface {
	// CreateMeeting stores m and, in the same transaction, each item with
	// its received event (events[i] belongs to items[i]), linked to m, and
	// m's event of the log (Meeting.Recorded). It assigns m.ID and the
	// items' IDs and numbers, and refuses a m.FormKey already recorded with
	// an EConflict error.
	CreateMeeting(ctx context.Context, m *Meeting, items []archive.Item, events [][]archive.Event) error
	Meetings(ctx context.Context, f Filter) (Page, error)
	// Meeting returns one meeting with its minutes, or ENotFound.
	Meeting(ctx context.Context, id int64) (Meeting, error)
	// MeetingItems returns the items raised at a meeting, in the order they
	// were recorded.
	MeetingItems(ctx context.Context, id int64) ([]archive.Item, error)
	// Unit returns a unit, or ENotFound.
	Unit(ctx context.Context, code string) (org.Unit, error)
	// FormResult returns what the form with key filed, or ENotFound.
	FormResult(ctx context.Context, key string) (archive.FormResult, error)
	// MeetingFigures counts the meetings of f's period and units for
	// reports (Service.Figures).
	MeetingFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
}

// Service records and reads meetings. The opinions raised at a meeting are
// filed through Items, under the items' rules (who may file into which
// unit, what an item must hold); its clock and policy are the meetings'.
type Service struct {
	Store Store
	Items *archive.Service
}

// Record stores a meeting and files each opinion raised there as an item
// (channel forum) linked to it. Everything is validated first, the
// opinions' problems reported as opinions[i].field, and then the meeting,
// its event and all its items are written in one transaction: either all
// are numbered or none is. Unit staff record their own unit's meetings;
// leaders and admins any unit's. An opinion without a unit goes to the host
// unit; without a received time it is received on the meeting day.
func (s *Service) Record(ctx context.Context, staff org.User, m Meeting, opinions []archive.Submission) (Meeting, []archive.Item, error) {
	// The items raised at a meeting are filed into its host unit, so
	// recording one is filing under the intake rule.
	m.HostUnit = strings.TrimSpace(m.HostUnit)
	if err := archive.MayFile(staff, "host_unit", m.HostUnit); err != nil {
		return Meeting{}, nil, err
	}
	if m.FormToken != "" {
		if err := archive.CheckFormToken(m.FormToken); err != nil {
			return Meeting{}, nil, err
		}
		if id, err := s.formMeeting(ctx, m.FormToken); err != nil || id != 0 {
			if err != nil {
				return Meeting{}, nil, err
			}
			return s.Get(ctx, staff, id)
		}
	}
	now := s.Items.Clock()
	var p minyi.Problems
	m, err := m.Validate(now)
	if err := archive.AddProblems(&p, "", err); err != nil {
		return Meeting{}, nil, err
	}
	if !hasField(p, "date") {
		s.Items.Policy().CheckCollected(&p, "date", "座谈会日期", m.Date, now)
	}
	dated := !hasField(p, "date")
	if m.HostUnit != "" {
		if _, err := s.Store.Unit(ctx, m.HostUnit); minyi.ErrorCode(err) == minyi.ENotFound {
			p.Add("host_unit", "主办单位不存在", "unknown host unit")
		} else if err != nil {
			return Meeting{}, nil, err
		}
	}
	if len(opinions) > MaxOpinions {
		p.Add(opinionField, "一次最多录入"+itoa(MaxOpinions)+"条意见", "at most "+itoa(MaxOpinions)+" opinions per meeting")
		// Checking each of too many would only bury the problem that matters.
		return Meeting{}, nil, p.Err()
	}
	sitting := archive.Sitting{Field: opinionField, HostUnit: m.HostUnit, Detail: m.Day() + " " + m.Place}
	if dated {
		sitting.Day = m.Date
	}
	items, events, err := s.Items.FileOpinions(ctx, &p, staff, sitting, opinions)
	if err != nil {
		return Meeting{}, nil, err
	}
	if err := p.Err(); err != nil {
		return Meeting{}, nil, err
	}

	m.ID, m.CreatedBy, m.CreatedAt, m.FormKey = 0, staff.Name, now, archive.FormKey(m.FormToken)
	if err := s.Store.CreateMeeting(ctx, &m, items, events); err != nil {
		if m.FormToken != "" && minyi.ErrorCode(err) == minyi.EConflict {
			// The same form, sent twice at once, was recorded by the other sending.
			if id, ferr := s.formMeeting(ctx, m.FormToken); ferr != nil {
				return Meeting{}, nil, ferr
			} else if id != 0 {
				return s.Get(ctx, staff, id)
			}
		}
		return Meeting{}, nil, err
	}
	m.Opinions = len(items)
	for i := range items {
		items[i].Contact = archive.MaskContact(items[i].Contact)
	}
	return m, items, nil
}

// formMeeting returns the meeting the form with token recorded, or 0.
func (s *Service) formMeeting(ctx context.Context, token string) (int64, error) {
	r, err := s.Store.FormResult(ctx, archive.FormKey(token))
	if minyi.ErrorCode(err) == minyi.ENotFound {
		return 0, nil
	}
	return r.Meeting, err
}

func hasField(p minyi.Problems, field string) bool {
	for _, f := range p {
		if f.Field == field {
			return true
		}
	}
	return false
}

// List returns a page of the meetings u may see, newest first: unit staff
// see their own unit's, leaders and admins all.
func (s *Service) List(ctx context.Context, u org.User, limit int, cursor string) (Page, error) {
	f := Filter{Limit: limit, Cursor: cursor}
	if !u.SeesAll() {
		f.Units = []string{u.UnitCode}
	}
	return s.Store.Meetings(ctx, f)
}

// Get returns a meeting u may see with the items raised at it, contacts
// masked. The items are listed even when they have since been dispatched to
// another unit: the host unit answers to the people at its meeting and needs
// to see where their opinions stand.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Meeting, []archive.Item, error) {
	m, err := s.Store.Meeting(ctx, id)
	if err != nil {
		return Meeting{}, nil, err
	}
	if !u.CanSeeUnit(m.HostUnit) {
		return Meeting{}, nil, minyi.Errorf(minyi.EForbidden, "该座谈会不属于您的单位 / this meeting belongs to another unit")
	}
	items, err := s.Store.MeetingItems(ctx, id)
	if err != nil {
		return Meeting{}, nil, err
	}
	m.Opinions, m.Closed = len(items), 0
	for i := range items {
		items[i].Contact = archive.MaskContact(items[i].Contact)
		if items[i].Status == archive.StatusClosed {
			m.Closed++
		}
	}
	return m, items, nil
}
