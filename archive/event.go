package archive

import (
	"slices"
	"time"

	"minyi/eventlog"
)

// EventType names a change to an item.
type EventType string

// Event types. Each lifecycle action produces one or more of these.
const (
	EventReceived          EventType = "received"
	EventDispatched        EventType = "dispatched"
	EventSigned            EventType = "signed"
	EventStarted           EventType = "started"
	EventReplied           EventType = "replied" // public interim reply
	EventNoted             EventType = "noted"   // internal note
	EventAnswered          EventType = "answered"
	EventTransferred       EventType = "transferred"
	EventReturned          EventType = "returned"
	EventExtensionAsked    EventType = "extension_requested"
	EventExtensionGranted  EventType = "extension_granted"
	EventExtensionRefused  EventType = "extension_refused"
	EventSupervised        EventType = "supervised"
	EventReminded          EventType = "reminded"
	EventVisited           EventType = "visited"
	EventRated             EventType = "rated"
	EventReopened          EventType = "reopened"
	EventClosed            EventType = "closed"
	EventMerged            EventType = "merged"
	EventInvalidated       EventType = "invalidated"
	EventContactRevealed   EventType = "contact_revealed"
	EventPublishingChanged EventType = "publishing_changed"
	EventAssigned          EventType = "assigned"      // 承辦人 named or changed
	EventCitizenAdded      EventType = "citizen_added" // the citizen added information (群眾補充), perhaps photos
	EventWithdrawn         EventType = "withdrawn"     // the citizen withdrew the item (群眾撤回)
)

// Register is the items' name in the event log (eventlog.Event.Register).
const Register = "items"

// Event is one recorded change to an item: who, when, from which state to
// which, and why. It is the items' typed view of an eventlog.Event (Log and
// EventOf convert), chained with the events of every register so that an
// edit to any stored event is detectable (minyi verify).
type Event struct {
	Seq        int64             `json:"seq"`
	ItemID     int64             `json:"-"`
	ItemNumber string            `json:"item"`
	Type       EventType         `json:"type"`
	Actor      string            `json:"actor"`
	At         time.Time         `json:"at"`
	From       Status            `json:"from,omitempty"`
	To         Status            `json:"to,omitempty"`
	Body       string            `json:"body,omitempty"`
	Public     bool              `json:"public"`
	Data       map[string]string `json:"data,omitempty"`
	PrevHash   string            `json:"prev_hash,omitempty"`
	Hash       string            `json:"hash,omitempty"`
	// Attachments are the files an answer comes with, described
	// (CheckAttachments); the store writes them with the event.
	Attachments []Attachment `json:"-"`

	// Notices are the messages to the citizen this event causes; they are
	// stored with it, in the same transaction.
	Notices []Notice `json:"-"`
	// Photos are the photos this event adds to its item (the citizen's
	// addition), described (DescribePhotos); the store writes them with
	// the event, in the same transaction, and the event's data holds their
	// SHA-256 sums so that the hash chain covers their bytes.
	Photos []Photo `json:"-"`
}

// Actors that are not members of staff.
const (
	ActorCitizen = "citizen"
	ActorSystem  = "system"
)

// Log returns e as an event of the log, in the items register; the item's
// number is its record.
func (e Event) Log() eventlog.Event {
	return eventlog.Event{Seq: e.Seq, Register: Register, RecordID: e.ItemID, Record: e.ItemNumber,
		Type: string(e.Type), Actor: e.Actor, At: e.At, From: string(e.From), To: string(e.To), Body: e.Body,
		Public: e.Public, Data: e.Data, PrevHash: e.PrevHash, Hash: e.Hash}
}

// EventOf returns an items event of the log as the items' typed Event.
func EventOf(e eventlog.Event) Event {
	return Event{Seq: e.Seq, ItemID: e.RecordID, ItemNumber: e.Record, Type: EventType(e.Type), Actor: e.Actor,
		At: e.At, From: Status(e.From), To: Status(e.To), Body: e.Body, Public: e.Public, Data: e.Data,
		PrevHash: e.PrevHash, Hash: e.Hash}
}

// PrivateEvents are the event types citizens never see (PublicView); stores
// filter on them when they list public events.
var PrivateEvents = []EventType{EventNoted, EventContactRevealed, EventExtensionAsked, EventExtensionRefused,
	EventSupervised, EventReminded, EventPublishingChanged, EventAssigned}

// PublicView reports whether a citizen may see the event on the tracking page.
func (e Event) PublicView() bool {
	if slices.Contains(PrivateEvents, e.Type) {
		return false
	}
	if e.Type == EventReplied || e.Type == EventAnswered {
		return e.Public
	}
	return true
}
