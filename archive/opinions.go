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

// CheckDay reads a YYYY-MM-DD day (China time) written into field (zh its
// Chinese) that is neither after now's day nor before 2000, adding to p
// what is wrong with it; an empty one is today. Registers' days of record
// (a matter opened, a measure researched, a step taken) read through it.
func CheckDay(p *minyi.Problems, field, zh, s string, now time.Time) string {
	today := ChinaDay(now)
	s = strings.TrimSpace(s)
	if s == "" {
		return today.Format(time.DateOnly)
	}
	d, err := time.ParseInLocation(time.DateOnly, s, calendar.Zone)
	switch {
	case err != nil:
		p.Add(field, zh+"须为YYYY-MM-DD格式的日期", field+" must be a date YYYY-MM-DD")
	case d.After(today):
		p.Add(field, zh+"不能晚于今天", field+" cannot be in the future")
	case d.Year() < 2000:
		p.Add(field, zh+"过早", field+" is too early")
	default:
		return d.Format(time.DateOnly)
	}
	return ""
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

// Sitting is where opinions were raised together and collected by staff: a
// meeting of the meetings register, or the like of it in a register to come.
type Sitting struct {
	// Field names the list of opinions in problems: Field[i].text, ….
	Field string
	// HostUnit is the unit the opinions without one are filed into; the
	// caller has checked that staff may file into it and that it exists.
	HostUnit string
	// Day is the sitting's day, midnight China time, or zero when it is not
	// valid: the opinions are then checked without their day.
	Day time.Time
	// Detail is the items' channel detail, e.g. "2021-05-10 会议室".
	Detail string
}

// FileOpinions checks opinions raised at a sitting as forum items filed by
// staff, under the intake rules, adding their problems to p under
// Field[i].; when p then holds no problem it returns them as new items
// with their events (the received event first), ready to be stored with
// the sitting's record in one transaction. An opinion filed into the host
// unit is addressed to it (AddressedMeeting): the host unit has it at once
// when it takes the items addressed to it. An opinion without a unit goes to the host unit —
// even when its category would route it elsewhere: the host unit answers to
// the people at its sitting — and without a received time it is received
// on the sitting's day. An error other than the problems (a refusal, the
// store failing) is returned.
func (s *Service) FileOpinions(ctx context.Context, p *minyi.Problems, staff org.User, st Sitting, opinions []Submission) ([]Item, [][]Event, error) {
	now := s.now()
	subs := make([]Submission, len(opinions))
	cats := make([]*Category, len(opinions))
	received := ReceivedOn(st.Day, now)
	for i, sub := range opinions {
		prefix := st.Field + "[" + itoa(i) + "]."
		sub.Channel, sub.ChannelDetail = ChannelForum, st.Detail
		switch {
		case st.Day.IsZero():
			sub.ReceivedAt = nil
		case sub.ReceivedAt == nil:
			sub.ReceivedAt = &received
		case !ChinaDay(*sub.ReceivedAt).Equal(st.Day):
			p.Add(prefix+"received_at", "意见的受理时间须在座谈会当天", "received_at must be on the day of the meeting")
		}
		if sub.Unit == "" {
			sub.Unit = st.HostUnit
		} else if err := mayFile(staff, prefix+"unit", sub.Unit); err != nil {
			return nil, nil, err
		}
		sub, err := sub.Validate(true, now)
		if err := AddProblems(p, prefix, err); err != nil {
			return nil, nil, err
		}
		if sub.Unit != "" && sub.Unit != st.HostUnit {
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
	if len(*p) > 0 {
		return nil, nil, nil
	}
	var host org.Unit
	if st.HostUnit != "" {
		var err error
		if host, err = s.Store.Unit(ctx, st.HostUnit); err != nil {
			return nil, nil, err
		}
	}
	actor := register.ActorFor(staff)
	items := make([]Item, len(subs))
	events := make([][]Event, len(subs))
	for i, sub := range subs {
		// The access code is not shown to anyone: citizens at a sitting are
		// answered by the return visit, and can ask staff for a new code.
		it, ev := NewItem(sub, now, s.Policy(), cats[i], actor, HashAccessCode(newAccessCode()))
		items[i], events[i] = it, []Event{ev}
		if after, e, ok := address(it, host, AddressedMeeting, now); ok {
			items[i], events[i] = after, append(events[i], e)
		}
	}
	return items, events, nil
}

// MayFile is the intake rule (org.User.CanFileInto) for staff filing into
// unit, refused as forbidden naming field; other registers whose records
// are filed into a unit apply it too.
func MayFile(staff org.User, field, unit string) error { return mayFile(staff, field, unit) }

// CheckFormToken refuses a form token that cannot have come from one of our
// forms (see form.go).
func CheckFormToken(token string) error { return checkFormToken(token) }

// CheckText validates free text as items' text is: valid UTF-8, no control
// characters except newlines and tabs, at most max characters; it returns
// the text trimmed.
func CheckText(p *minyi.Problems, field, s string, max int, required bool) string {
	return checkText(p, field, s, max, required)
}

// CheckNamedText checks free text as CheckText does, its problems naming
// the field in Chinese by zh (措施名称不能为空) and in English by its key
// (title is required), as every ledger's fields are named.
func CheckNamedText(p *minyi.Problems, field, zh, s string, max int, required bool) string {
	var q minyi.Problems
	s = checkText(&q, field, s, max, required)
	for _, f := range q {
		p.Add(f.Field, zh+f.Zh, field+" "+f.En)
	}
	return s
}

// CheckCollected adds a problem under field (zh is its Chinese name) when
// at, a day of collection given by staff, lies further back than the
// policy allows at now (BackdateDays).
func (p Policy) CheckCollected(pr *minyi.Problems, field, zh string, at, now time.Time) {
	p.checkCollected(pr, field, zh, at, now)
}

// AddProblems copies the field problems of a validation error into p with
// their names prefixed. Any other error is returned.
func AddProblems(p *minyi.Problems, prefix string, err error) error {
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
