// Package eventlog is the one log of every register: each change to a record
// of any register (items, meetings, …) is an Event naming its register and
// its record, and all events form one hash chain, so that an edit to any
// stored event, or its removal, is detectable (minyi verify).
//
// The package is pure: registers build events, stores persist them in
// order, and Verifier checks them.
package eventlog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"
)

// Genesis is the PrevHash of the first event of the log.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Hash formulas. A stored event keeps the formula it was hashed with, so
// that the log written before registers existed stays verifiable as it is.
const (
	// HashV1 is the items-only formula of schema versions before 23: it
	// covers the record's number (the item number) but neither the
	// register nor the record's id, which the log did not store then.
	HashV1 = 1
	// HashV2 covers the register and the record's id as well.
	HashV2 = 2
	// HashCurrent is the formula new events are hashed with.
	HashCurrent = HashV2
)

// LegacyRegister is the only register events hashed with HashV1 can
// belong to: before the log named registers, every event was an item's.
const LegacyRegister = "items"

// Event is one recorded change to one record of one register: who, when,
// from which state to which, and why.
type Event struct {
	Seq      int64
	Register string // "items", "meetings", …
	RecordID int64  // the record's id in its register's table
	Record   string // the record's number or key, as people cite it
	Type     string
	Actor    string
	At       time.Time
	From     string // the record's state before, when the register has states
	To       string // and after
	Body     string
	Public   bool
	Data     map[string]string
	// HashVersion names the formula Hash was computed with (HashV1,
	// HashV2); zero in an event not yet chained.
	HashVersion int
	PrevHash    string
	Hash        string
}

// ComputeHash returns the hash of e chained onto prev, by e's HashVersion
// (HashCurrent when unset). Every stored column the formula covers takes
// part, so editing any of them breaks the chain; it returns "" for an
// unknown version, which matches no stored hash.
func (e Event) ComputeHash(prev string) string {
	data, _ := json.Marshal(e.Data) // map keys are sorted, so this is canonical
	fields := []string{
		prev,
		strconv.FormatInt(e.Seq, 10),
		e.Record,
		e.Type,
		e.Actor,
		// Both databases keep microseconds; hashing finer digits would
		// make a faithfully stored event fail verification.
		e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano),
		e.From,
		e.To,
		e.Body,
		strconv.FormatBool(e.Public),
		string(data),
	}
	switch e.HashVersion {
	case HashV1:
	case HashV2, 0:
		// A tag first, so that no v2 input is ever a v1 input.
		fields = append([]string{"v2", e.Register, strconv.FormatInt(e.RecordID, 10)}, fields...)
	default:
		return ""
	}
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// Chain assigns sequence numbers, the current hash formula and hashes to
// events appended after the event with sequence lastSeq and hash lastHash,
// returning the new head.
func Chain(events []Event, lastSeq int64, lastHash string) (int64, string) {
	for i := range events {
		lastSeq++
		events[i].Seq = lastSeq
		events[i].HashVersion = HashCurrent
		events[i].PrevHash = lastHash
		events[i].Hash = events[i].ComputeHash(lastHash)
		lastHash = events[i].Hash
	}
	return lastSeq, lastHash
}

// ChainError names the first event that breaks the chain: its register, its
// record and its sequence number.
type ChainError struct {
	Seq      int64
	Register string // empty when the event could not be read or is missing
	Record   string
	Reason   string
}

func (e *ChainError) Error() string {
	if e.Register == "" {
		return fmt.Sprintf("event %d: %s", e.Seq, e.Reason)
	}
	return fmt.Sprintf("event %d (%s %s): %s", e.Seq, e.Register, e.Record, e.Reason)
}

// Verifier checks a log event by event, in order of sequence, without
// holding it: a store streams its events through Next, then gives Head the
// chain head it keeps.
type Verifier struct {
	prev string
	n    int64
	by   map[string]int64
}

// NewVerifier starts a check at the beginning of the log.
func NewVerifier() *Verifier { return &Verifier{prev: Genesis, by: map[string]int64{}} }

// Checked returns how many events passed so far.
func (v *Verifier) Checked() int64 { return v.n }

// ByRegister returns how many events of each register passed so far.
func (v *Verifier) ByRegister() map[string]int64 { return maps.Clone(v.by) }

// Next checks the next stored event and returns a *ChainError if it breaks
// the chain: missing, not linked to the previous one, or edited.
func (v *Verifier) Next(e Event) error {
	want := v.n + 1
	fail := func(seq int64, reason string) error {
		return &ChainError{Seq: seq, Register: e.Register, Record: e.Record, Reason: reason}
	}
	switch {
	case e.Seq != want:
		return fail(want, fmt.Sprintf("missing (next stored event is %d)", e.Seq))
	case e.PrevHash != v.prev:
		return fail(e.Seq, "prev_hash does not match the previous event")
	case e.HashVersion == HashV1 && e.Register != LegacyRegister:
		// The v1 formula does not cover the register: a v1 event moved
		// to another register was edited.
		return fail(e.Seq, "register does not match its hash formula (edited)")
	case e.HashVersion != HashV1 && e.HashVersion != HashV2:
		return fail(e.Seq, fmt.Sprintf("unknown hash version %d (edited, or written by a newer minyi)", e.HashVersion))
	case e.ComputeHash(v.prev) != e.Hash:
		return fail(e.Seq, "content does not match its hash (edited)")
	}
	v.prev, v.n = e.Hash, want
	v.by[e.Register]++
	return nil
}

// Head checks the stored chain head against the events checked: a log
// whose last events were deleted still chains, but no longer reaches the
// head.
func (v *Verifier) Head(seq int64, hash string) error {
	if seq != v.n || hash != v.prev {
		return &ChainError{Seq: seq, Reason: fmt.Sprintf("chain head says %d events but %d are stored (events deleted at the end?)", seq, v.n)}
	}
	return nil
}

// Verify checks a whole log held in memory, oldest first, against its head.
func Verify(events []Event, headSeq int64, headHash string) error {
	v := NewVerifier()
	for _, e := range events {
		if err := v.Next(e); err != nil {
			return err
		}
	}
	return v.Head(headSeq, headHash)
}
