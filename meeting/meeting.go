// Package meeting is the register of meetings (座談會、懇談會) where the
// police listened to a group of citizens: the record of each meeting, its
// limits and validation, and the Service that records and reads meetings.
// The opinions raised at a meeting become items, filed under the items'
// own rules (archive.Service.FileOpinions); each recorded meeting is an
// event of the one log (eventlog), in the transaction that stores it.
package meeting

import (
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
)

// Register is the meetings' name in the event log.
const Register = "meetings"

// EventRecorded is the type of the event that records a meeting.
const EventRecorded = "recorded"

// Limits on a meeting record.
const (
	MaxMinutesRunes = 20000 // the minutes of a long afternoon, typed up
	MaxAttendees    = 10000
	MaxOpinions     = 100 // one meeting's items are stored in one transaction
	MaxPlaceRunes   = 100
	MaxGroups       = 20
	MaxGroupRunes   = 40
	dayLayout       = "2006-01-02"
	opinionField    = "opinions"
)

// Meeting is a forum where the police listened to a group of citizens; the
// opinions raised there become items linked to it.
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
	// FormToken is the page form's token (archive/form.go): recording a
	// meeting again with the same token returns the first record. FormKey
	// is its hash, which the store records with the meeting.
	FormToken string `json:"-"`
	FormKey   string `json:"-"`
}

// Day returns the meeting's date as YYYY-MM-DD, China time.
func (m Meeting) Day() string { return m.Date.In(calendar.Zone).Format(dayLayout) }

// Filter selects meetings for a list.
type Filter struct {
	Units  []string // visibility: only meetings hosted by these units (nil: all)
	Limit  int      // 1..100, default 20
	Cursor string   // from the previous page
}

// Page is one page of the list of meetings, newest first.
type Page struct {
	Meetings   []Meeting `json:"meetings"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// Recorded returns the log's event of a stored meeting (m.ID assigned) whose
// opinions became the items numbered items: the record as it was made, so
// that an edit to the meeting's event is found by minyi verify.
func (m Meeting) Recorded(items []string) eventlog.Event {
	data := map[string]string{"host_unit": m.HostUnit, "day": m.Day(), "place": m.Place,
		"attendees": strconv.Itoa(m.Attendees), "opinions": strconv.Itoa(len(items))}
	if len(m.AttendeeGroups) > 0 {
		data["attendee_groups"] = strings.Join(m.AttendeeGroups, "\n")
	}
	if len(items) > 0 {
		data["items"] = strings.Join(items, ",")
	}
	return eventlog.Event{Register: Register, RecordID: m.ID, Record: strconv.FormatInt(m.ID, 10),
		Type: EventRecorded, Actor: m.CreatedBy, At: m.CreatedAt, Body: m.Minutes, Data: data}
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
	case archive.ChinaDay(m.Date).After(archive.ChinaDay(now)):
		p.Add("date", "座谈会日期不能晚于今天", "date cannot be in the future")
	case m.Date.Year() < 2000:
		p.Add("date", "座谈会日期过早", "date is too early")
	default:
		m.Date = archive.ChinaDay(m.Date)
	}
	m.Place = archive.CheckText(&p, "place", m.Place, MaxPlaceRunes, true)
	m.HostUnit = strings.TrimSpace(m.HostUnit)
	if m.HostUnit == "" {
		p.Add("host_unit", "请选择主办单位", "host_unit is required")
	}
	m.Minutes = archive.CheckText(&p, "minutes", m.Minutes, MaxMinutesRunes, false)
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
		g = archive.CheckText(&q, "attendee_groups", g, MaxGroupRunes, false)
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
	if len(out) > MaxGroups {
		p.Add("attendee_groups", "参加对象最多"+itoa(MaxGroups)+"类", "at most "+itoa(MaxGroups)+" attendee groups")
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
