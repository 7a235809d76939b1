// Package notify tells staff what needs them: an item dispatched to their
// unit, put in their charge, falling due, overdue, sent back to be done
// again (重办) or supervised (督办), and once a working day a digest of
// their unit. Each of these is an Alert, written once by its key: those
// that an event causes in the event's own transaction (as the outbox
// writes its rows), the time-based ones and the digests by a periodic job.
// An alert fans out to notifications, one per officer it concerns, which
// they read and mark read in the pages and the API, and to the unit's chat
// robots (outbox webhooks in the wecom or dingtalk format).
package notify

import (
	"strconv"
	"time"

	"minyi/archive"
	"minyi/calendar"
)

// Kind says what an alert is about.
type Kind string

// The kinds of alerts.
const (
	KindDispatched Kind = "dispatched" // an item came to the unit (派单, or a transfer)
	KindAssigned   Kind = "assigned"   // an item was put in an officer's charge (承办人)
	KindDueSoon    Kind = "due_soon"   // an open item falls due within a day
	KindOverdue    Kind = "overdue"    // an open item passed its due time
	KindRedo       Kind = "redo"       // an item was sent back to be done again (重办)
	KindSupervised Kind = "supervised" // a leader supervises an item (督办)
	// KindCitizenAdded: the citizen added information or photos to an
	// item (群众补充); KindWithdrawn: the citizen withdrew it (撤回), so
	// that nobody goes on working it.
	KindCitizenAdded Kind = "citizen_added"
	KindWithdrawn    Kind = "withdrawn"
	KindDigest       Kind = "digest" // the unit's summary of the working day
)

// Kinds lists every kind, in the order pages show them.
var Kinds = []Kind{KindDispatched, KindAssigned, KindDueSoon, KindOverdue, KindRedo, KindSupervised,
	KindCitizenAdded, KindWithdrawn, KindDigest}

// Register is the register of a digest's alert (its record is the unit).
const Register = "units"

// Alert is one thing to tell a unit's staff, or one officer.
type Alert struct {
	ID   int64
	Key  string // unique: the same alert is never written twice
	Kind Kind
	Unit string // the unit concerned (its staff, its robots)
	// User is the one officer to tell; empty tells the unit's staff.
	User string
	// Actor is who caused it; they are not told of their own doing.
	Actor    string
	Register string // the record's register (items, or Register for a digest)
	RecordID int64
	Record   string // the item's number, or the unit's code for a digest
	Title    string // the item's title, masked (MaskTitle)
	EventSeq int64  // the event that caused it; 0 for the periodic ones
	DueAt    time.Time
	Data     map[string]string // a digest's counts by kind
	At       time.Time
}

// Notification is an alert as one officer has it.
type Notification struct {
	ID       int64             `json:"id"`
	Kind     Kind              `json:"kind"`
	Unit     string            `json:"unit"`
	Register string            `json:"register"`
	Record   string            `json:"record"` // the item's number, or the unit for a digest
	Title    string            `json:"title,omitempty"`
	DueAt    *time.Time        `json:"due_at,omitempty"`
	Data     map[string]string `json:"data,omitempty"`
	At       time.Time         `json:"at"`
	Read     bool              `json:"read"`
}

// ForEvent returns the alert that event e of item it (the item after e)
// causes, if any: a dispatch or transfer tells the receiving unit, naming
// an officer in charge tells that officer, a redo tells the officer in
// charge or else the unit, a supervision tells the unit, and what the
// citizen adds or their withdrawal tells the officer in charge or else
// the unit (an item still in the bureau's queue tells nobody: the
// dispatcher sees it on the item).
func ForEvent(it archive.Item, e archive.Event) (Alert, bool) {
	a := Alert{Unit: it.UnitCode, Actor: e.Actor, Register: archive.Register, RecordID: it.ID, Record: it.Number,
		Title: MaskTitle(it.Title, it.Contact, it.Location), EventSeq: e.Seq, DueAt: it.DueAt, At: e.At}
	switch e.Type {
	case archive.EventDispatched, archive.EventTransferred:
		a.Kind = KindDispatched
	case archive.EventAssigned:
		if it.Assignee == "" || it.Assignee == e.Actor {
			return Alert{}, false
		}
		a.Kind, a.User = KindAssigned, it.Assignee
	case archive.EventReopened:
		a.Kind, a.User = KindRedo, it.Assignee
	case archive.EventSupervised:
		a.Kind = KindSupervised
	case archive.EventCitizenAdded:
		a.Kind, a.User = KindCitizenAdded, it.Assignee
	case archive.EventWithdrawn:
		a.Kind, a.User = KindWithdrawn, it.Assignee
	default:
		return Alert{}, false
	}
	if a.Unit == "" && a.User == "" {
		return Alert{}, false
	}
	a.Key = "event:" + strconv.FormatInt(e.Seq, 10)
	return a, true
}

// DueItem is an open item near or past its due time, as the periodic job
// reads it.
type DueItem struct {
	ID       int64
	Number   string
	Title    string
	Unit     string
	Assignee string
	DueAt    time.Time
	// Contact and Location are the citizen's, masked out of the title.
	Contact  archive.Contact
	Location archive.Location
}

// ForDue returns the alert of an open item due soon (kind KindDueSoon) or
// overdue (KindOverdue): to its officer in charge, or else its unit; once
// per item, kind and due time (an extension's new due time alerts anew).
func ForDue(d DueItem, kind Kind, now time.Time) Alert {
	return Alert{Key: string(kind) + ":" + strconv.FormatInt(d.ID, 10) + ":" + strconv.FormatInt(d.DueAt.Unix(), 10),
		Kind: kind, Unit: d.Unit, User: d.Assignee, Actor: archive.ActorSystem, Register: archive.Register,
		RecordID: d.ID, Record: d.Number, Title: MaskTitle(d.Title, d.Contact, d.Location), DueAt: d.DueAt, At: now}
}

// DigestKinds are what a unit's digest counts (items, each once per kind).
var DigestKinds = []Kind{KindDispatched, KindDueSoon, KindOverdue, KindRedo}

// ForDigest returns unit's digest of day (YYYY-MM-DD) with its counts by
// kind, or false when there is nothing to tell.
func ForDigest(unit, day string, counts map[Kind]int, now time.Time) (Alert, bool) {
	data := map[string]string{}
	total := 0
	for _, k := range DigestKinds {
		data[string(k)] = strconv.Itoa(counts[k])
		total += counts[k]
	}
	if total == 0 {
		return Alert{}, false
	}
	return Alert{Key: "digest:" + unit + ":" + day, Kind: KindDigest, Unit: unit, Actor: archive.ActorSystem,
		Register: Register, Record: unit, Title: day, Data: data, At: now}, true
}

// DigestHour is the hour (China time) from which a working day's digest
// goes out.
const DigestHour = 8

// DigestWindow returns the day whose digest is due at now and the span it
// covers, from the previous working day's digest hour to today's; ok is
// false before the digest hour and on days off.
func DigestWindow(cal *calendar.Calendar, now time.Time) (day string, from, to time.Time, ok bool) {
	local := now.In(calendar.Zone)
	if cal == nil || !cal.IsWorkingDay(local) || local.Hour() < DigestHour {
		return "", time.Time{}, time.Time{}, false
	}
	to = time.Date(local.Year(), local.Month(), local.Day(), DigestHour, 0, 0, 0, calendar.Zone)
	from = to.AddDate(0, 0, -1)
	for i := 0; i < 30 && !cal.IsWorkingDay(from); i++ {
		from = from.AddDate(0, 0, -1)
	}
	return local.Format(time.DateOnly), from, to, true
}

// MaskTitle removes from an item's title what looks like a phone or ID
// number, and the citizen's name and address when c and l are given
// (archive.PersonalData): alerts leave minyi for chat groups.
func MaskTitle(title string, c archive.Contact, l archive.Location) string {
	return archive.MaskPersonalData(title, c, l)
}
