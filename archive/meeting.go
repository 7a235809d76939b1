package archive

import (
	"context"
	"errors"
	"strings"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/org"
	"minyi/register"
)

// Limits on a meeting record.
const (
	MaxMinutesRunes     = 20000 // the minutes of a long afternoon, typed up
	MaxAttendees        = 10000
	MaxMeetingOpinions  = 100 // one meeting's items are stored in one transaction
	MaxPlaceRunes       = 100
	MaxAttendeeGroups   = 20
	MaxGroupRunes       = 40
	meetingDayLayout    = "2006-01-02"
	meetingOpinionField = "opinions"
)

// Meeting is a forum (座談會、懇談會) where the police listened to a group of
// citizens; the opinions raised there become items linked to it.
type Meeting struct {
	ID int64 `json:"id"`
	// Date is the day of the meeting, midnight China time; only the day counts.
	Date     time.Time `json:"date"`
	Place    string    `json:"place"`
	HostUnit string    `json:"host_unit"`
	// AttendeeGroups names who came, e.g. 牧民群众, 企业代表, 人大代表.
	AttendeeGroups []string  `json:"attendee_groups,omitempty"`
	Attendees      int       `json:"attendees"`
	Minutes        string    `json:"minutes,omitempty"`
	CreatedBy      string    `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
	// Opinions and Closed are filled in by lists: how many items were raised
	// at the meeting and how many of them are closed out (銷號).
	Opinions int `json:"opinions"`
	Closed   int `json:"closed"`
	// FormToken is the page form's token (form.go): recording a meeting
	// again with the same token returns the first record. FormKey is its
	// hash, which the store records with the meeting.
	FormToken string `json:"-"`
	FormKey   string `json:"-"`
}

// Day returns the meeting's date as YYYY-MM-DD, China time.
func (m Meeting) Day() string { return m.Date.In(calendar.Zone).Format(meetingDayLayout) }

// MeetingFilter selects meetings for a list.
type MeetingFilter struct {
	Units  []string // visibility: only meetings hosted by these units (nil: all)
	Limit  int      // 1..100, default 20
	Cursor string   // from the previous page
}

// MeetingPage is one page of the list of meetings, newest first.
type MeetingPage struct {
	Meetings   []Meeting `json:"meetings"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// MeetingStore persists meetings. *store.DB implements it; the Service finds
// it on its Store so that stores without meetings (test fakes) need not
// grow four methods.
type MeetingStore interface {
	// CreateMeeting stores m and, in the same transaction, each item with
	// its received event (events[i] belongs to items[i]), linked to m. It
	// assigns m.ID and the items' IDs and numbers.
	CreateMeeting(ctx context.Context, m *Meeting, items []Item, events []Event) error
	Meetings(ctx context.Context, f MeetingFilter) (MeetingPage, error)
	// Meeting returns one meeting with its minutes, or ENotFound.
	Meeting(ctx context.Context, id int64) (Meeting, error)
	// MeetingItems returns the items raised at a meeting, in the order they
	// were recorded.
	MeetingItems(ctx context.Context, id int64) ([]Item, error)
}

// ChinaDay returns midnight China time of t's date there.
func ChinaDay(t time.Time) time.Time {
	y, m, d := t.In(calendar.Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, calendar.Zone)
}

// ReceivedOn is when something collected on day counts as received: now when
// day is today, so that an item entered as it comes in keeps its hour, and
// otherwise the start of that day, the strictest reading of its time limit
// when the hour is unknown.
func ReceivedOn(day, now time.Time) time.Time {
	if ChinaDay(day).Equal(ChinaDay(now)) {
		return now
	}
	return ChinaDay(day)
}

// ParseAttendeeGroups splits what staff type into one field ("牧民群众、企业代表，
// 人大代表") into groups.
func ParseAttendeeGroups(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、，,；;/／\n\r\t", r)
	})
	var out []string
	for _, f := range fields {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Validate checks a meeting record and returns it cleaned: text trimmed,
// the date at midnight China time, duplicate groups dropped. That the host
// unit exists is the Service's to check.
func (m Meeting) Validate(now time.Time) (Meeting, error) {
	var p minyi.Problems
	switch {
	case m.Date.IsZero():
		p.Add("date", "请填写座谈会日期", "date is required")
	case ChinaDay(m.Date).After(ChinaDay(now)):
		p.Add("date", "座谈会日期不能晚于今天", "date cannot be in the future")
	case m.Date.Year() < 2000:
		p.Add("date", "座谈会日期过早", "date is too early")
	default:
		m.Date = ChinaDay(m.Date)
	}
	m.Place = checkText(&p, "place", m.Place, MaxPlaceRunes, true)
	m.HostUnit = strings.TrimSpace(m.HostUnit)
	if m.HostUnit == "" {
		p.Add("host_unit", "请选择主办单位", "host_unit is required")
	}
	m.Minutes = checkText(&p, "minutes", m.Minutes, MaxMinutesRunes, false)
	if m.Attendees < 0 || m.Attendees > MaxAttendees {
		p.Add("attendees", "参加人数须在0到"+itoa(MaxAttendees)+"之间", "attendees must be between 0 and "+itoa(MaxAttendees))
	}
	m.AttendeeGroups = checkGroups(&p, m.AttendeeGroups)
	return m, p.Err()
}

func checkGroups(p *minyi.Problems, groups []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range groups {
		var q minyi.Problems
		g = checkText(&q, "attendee_groups", g, MaxGroupRunes, false)
		if len(q) > 0 {
			p.Add("attendee_groups", "每类参加对象不能超过"+itoa(MaxGroupRunes)+"字，且不能含控制字符",
				"each attendee group must be at most "+itoa(MaxGroupRunes)+" characters without control characters")
			return groups
		}
		if g != "" && !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	if len(out) > MaxAttendeeGroups {
		p.Add("attendee_groups", "参加对象最多"+itoa(MaxAttendeeGroups)+"类", "at most "+itoa(MaxAttendeeGroups)+" attendee groups")
	}
	return out
}

// meetingStore returns the Store's meeting side.
func (s *Service) meetingStore() (MeetingStore, error) {
	ms, ok := s.Store.(MeetingStore)
	if !ok {
		return nil, minyi.Internal(errors.New("archive: the store does not keep meetings"))
	}
	return ms, nil
}

// RecordMeeting stores a meeting and files each opinion raised there as an
// item (channel forum) linked to it. Everything is validated first, the
// opinions' problems reported as opinions[i].field, and then the meeting and
// all its items are written in one transaction: either all are numbered or
// none is. Unit staff record their own unit's meetings; leaders and admins
// any unit's. An opinion without a unit goes to the host unit; without a
// received time it is received on the meeting day.
func (s *Service) RecordMeeting(ctx context.Context, staff org.User, m Meeting, opinions []Submission) (Meeting, []Item, error) {
	ms, err := s.meetingStore()
	if err != nil {
		return Meeting{}, nil, err
	}
	// The items raised at a meeting are filed into its host unit, so
	// recording one is filing under the intake rule.
	m.HostUnit = strings.TrimSpace(m.HostUnit)
	if err := mayFile(staff, "host_unit", m.HostUnit); err != nil {
		return Meeting{}, nil, err
	}
	if m.FormToken != "" {
		if err := checkFormToken(m.FormToken); err != nil {
			return Meeting{}, nil, err
		}
		if r, ok, err := s.formResult(ctx, m.FormToken); err != nil {
			return Meeting{}, nil, err
		} else if ok && r.Meeting != 0 {
			return s.Meeting(ctx, staff, r.Meeting)
		}
	}
	now := s.now()
	var p minyi.Problems
	m, err = m.Validate(now)
	if err := addProblems(&p, "", err); err != nil {
		return Meeting{}, nil, err
	}
	if !hasField(p, "date") {
		s.Policy().checkCollected(&p, "date", "座谈会日期", m.Date, now)
	}
	dated := !hasField(p, "date")
	if m.HostUnit != "" {
		if _, err := s.Store.Unit(ctx, m.HostUnit); minyi.ErrorCode(err) == minyi.ENotFound {
			p.Add("host_unit", "主办单位不存在", "unknown host unit")
		} else if err != nil {
			return Meeting{}, nil, err
		}
	}
	if len(opinions) > MaxMeetingOpinions {
		p.Add(meetingOpinionField, "一次最多录入"+itoa(MaxMeetingOpinions)+"条意见", "at most "+itoa(MaxMeetingOpinions)+" opinions per meeting")
		// Checking each of too many would only bury the problem that matters.
		return Meeting{}, nil, p.Err()
	}
	subs, cats, err := s.checkOpinions(ctx, &p, staff, m, dated, opinions, now)
	if err != nil {
		return Meeting{}, nil, err
	}
	if err := p.Err(); err != nil {
		return Meeting{}, nil, err
	}

	m.ID, m.CreatedBy, m.CreatedAt, m.FormKey = 0, staff.Name, now, FormKey(m.FormToken)
	actor := register.ActorFor(staff)
	items := make([]Item, len(subs))
	events := make([]Event, len(subs))
	for i, sub := range subs {
		// The access code is not shown to anyone: citizens at a meeting are
		// answered by the return visit, and can ask staff for a new code.
		items[i], events[i] = NewItem(sub, now, s.Policy(), cats[i], actor, HashAccessCode(newAccessCode()))
	}
	if err := ms.CreateMeeting(ctx, &m, items, events); err != nil {
		if m.FormToken != "" && minyi.ErrorCode(err) == minyi.EConflict {
			// The same form, sent twice at once, was recorded by the other sending.
			if r, ok, ferr := s.formResult(ctx, m.FormToken); ferr != nil {
				return Meeting{}, nil, ferr
			} else if ok && r.Meeting != 0 {
				return s.Meeting(ctx, staff, r.Meeting)
			}
		}
		return Meeting{}, nil, err
	}
	m.Opinions = len(items)
	for i := range items {
		items[i].Contact = MaskContact(items[i].Contact)
	}
	return m, items, nil
}

// checkOpinions prepares each opinion as a forum submission of meeting m and
// validates it, adding problems under opinions[i]. dated says whether m.Date
// is valid; when it is not, the opinions are checked without their day. It
// returns the cleaned submissions with their categories (nil when none).
func (s *Service) checkOpinions(ctx context.Context, p *minyi.Problems, staff org.User, m Meeting, dated bool, opinions []Submission, now time.Time) ([]Submission, []*Category, error) {
	subs := make([]Submission, len(opinions))
	cats := make([]*Category, len(opinions))
	received := ReceivedOn(m.Date, now)
	detail := m.Day() + " " + m.Place
	for i, sub := range opinions {
		prefix := meetingOpinionField + "[" + itoa(i) + "]."
		sub.Channel, sub.ChannelDetail = ChannelForum, detail
		switch {
		case !dated:
			sub.ReceivedAt = nil
		case sub.ReceivedAt == nil:
			sub.ReceivedAt = &received
		case !ChinaDay(*sub.ReceivedAt).Equal(m.Date):
			p.Add(prefix+"received_at", "意见的受理时间须在座谈会当天", "received_at must be on the day of the meeting")
		}
		if sub.Unit == "" {
			sub.Unit = m.HostUnit
		} else if err := mayFile(staff, prefix+"unit", sub.Unit); err != nil {
			return nil, nil, err
		}
		sub, err := sub.Validate(true, now)
		if err := addProblems(p, prefix, err); err != nil {
			return nil, nil, err
		}
		if sub.Unit != "" && sub.Unit != m.HostUnit {
			if _, err := s.Store.Unit(ctx, sub.Unit); minyi.ErrorCode(err) == minyi.ENotFound {
				p.Add(prefix+"unit", "单位不存在", "unknown unit")
			} else if err != nil {
				return nil, nil, err
			}
		}
		if sub.Category != "" {
			c, err := s.Store.Category(ctx, sub.Category)
			switch {
			case minyi.ErrorCode(err) == minyi.ENotFound || (err == nil && !c.Active):
				p.Add(prefix+"category", "分类不存在", "unknown category")
			case err != nil:
				return nil, nil, err
			default:
				cats[i] = &c
			}
		}
		subs[i] = sub
	}
	return subs, cats, nil
}

func hasField(p minyi.Problems, field string) bool {
	for _, f := range p {
		if f.Field == field {
			return true
		}
	}
	return false
}

// addProblems copies the field problems of a validation error into p with
// their names prefixed. Any other error is returned.
func addProblems(p *minyi.Problems, prefix string, err error) error {
	if err == nil {
		return nil
	}
	var e *minyi.Error
	if !errors.As(err, &e) || e.Code != minyi.EInvalid || len(e.Fields) == 0 {
		return err
	}
	for _, f := range e.Fields {
		p.Add(prefix+f.Field, f.Zh, f.En)
	}
	return nil
}

// Meetings returns a page of the meetings u may see, newest first: unit
// staff see their own unit's, leaders and admins all.
func (s *Service) Meetings(ctx context.Context, u org.User, limit int, cursor string) (MeetingPage, error) {
	ms, err := s.meetingStore()
	if err != nil {
		return MeetingPage{}, err
	}
	f := MeetingFilter{Limit: limit, Cursor: cursor}
	if !u.SeesAll() {
		f.Units = []string{u.UnitCode}
	}
	return ms.Meetings(ctx, f)
}

// Meeting returns a meeting u may see with the items raised at it, contacts
// masked. The items are listed even when they have since been dispatched to
// another unit: the host unit answers to the people at its meeting and needs
// to see where their opinions stand.
func (s *Service) Meeting(ctx context.Context, u org.User, id int64) (Meeting, []Item, error) {
	ms, err := s.meetingStore()
	if err != nil {
		return Meeting{}, nil, err
	}
	m, err := ms.Meeting(ctx, id)
	if err != nil {
		return Meeting{}, nil, err
	}
	if !u.CanSeeUnit(m.HostUnit) {
		return Meeting{}, nil, minyi.Errorf(minyi.EForbidden, "该座谈会不属于您的单位 / this meeting belongs to another unit")
	}
	items, err := ms.MeetingItems(ctx, id)
	if err != nil {
		return Meeting{}, nil, err
	}
	m.Opinions, m.Closed = len(items), 0
	for i := range items {
		items[i].Contact = MaskContact(items[i].Contact)
		if items[i].Status == StatusClosed {
			m.Closed++
		}
	}
	return m, items, nil
}
