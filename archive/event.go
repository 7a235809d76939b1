package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
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
)

// Event is one recorded change: who, when, from which state to which, and why.
// Events form one hash chain across the whole archive so that an edit to any
// stored event is detectable (minyi verify).
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

	// Notices are the messages to the citizen this event causes; they are
	// stored with it, in the same transaction.
	Notices []Notice `json:"-"`
}

// Actors that are not members of staff.
const (
	ActorCitizen = "citizen"
	ActorSystem  = "system"
)

// GenesisHash is the PrevHash of the first event in the archive.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the hash of e chained onto prev. Every stored column of
// the event takes part, so editing any of them breaks the chain.
func (e Event) ComputeHash(prev string) string {
	data, _ := json.Marshal(e.Data) // map keys are sorted, so this is canonical
	fields := []string{
		prev,
		strconv.FormatInt(e.Seq, 10),
		e.ItemNumber,
		string(e.Type),
		e.Actor,
		// Both databases keep microseconds; hashing finer digits would
		// make a faithfully stored event fail verification.
		e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano),
		string(e.From),
		string(e.To),
		e.Body,
		strconv.FormatBool(e.Public),
		string(data),
	}
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// Chain assigns sequence numbers and hashes to events appended after the
// event with sequence lastSeq and hash lastHash, returning the new head.
func Chain(events []Event, lastSeq int64, lastHash string) (int64, string) {
	for i := range events {
		lastSeq++
		events[i].Seq = lastSeq
		events[i].PrevHash = lastHash
		events[i].Hash = events[i].ComputeHash(lastHash)
		lastHash = events[i].Hash
	}
	return lastSeq, lastHash
}

// PrivateEvents are the event types citizens never see (PublicView); stores
// filter on them when they list public events.
var PrivateEvents = []EventType{EventNoted, EventContactRevealed, EventExtensionAsked, EventExtensionRefused,
	EventSupervised, EventReminded, EventPublishingChanged}

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
