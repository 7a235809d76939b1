package eventlog

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var at = time.Date(2026, 3, 4, 5, 6, 7, 891234567, time.UTC)

// legacy is an item's event as schema versions before 23 stored it.
func legacy() Event {
	return Event{Seq: 7, Register: "items", RecordID: 42, Record: "2026-000042", Type: "dispatched", Actor: "leader", At: at,
		From: "received", To: "dispatched", Body: "请处理", Public: true, Data: map[string]string{"unit": "a", "b": "c"},
		HashVersion: HashV1}
}

// The v1 formula is the one archive.Event.ComputeHash used before the log
// named registers: these hashes were computed by that code, and events
// already stored must keep verifying.
func TestHashV1IsTheLegacyFormula(t *testing.T) {
	for _, tc := range []struct{ prev, want string }{
		{Genesis, "b6f75fde4dc3ebdb5d9a76e28b6ea54d06d9011e8399beba792c82be486f09f8"},
		{"abc", "271be5252a5ec19e340ebff83ae9005bb6ddf38fb3d526bd000cd94ab3d47b99"},
	} {
		if got := legacy().ComputeHash(tc.prev); got != tc.want {
			t.Errorf("v1 hash onto %q = %s, want %s", tc.prev, got, tc.want)
		}
	}
}

func TestHashCoversEveryColumn(t *testing.T) {
	base := legacy()
	base.HashVersion = HashV2
	edits := []struct {
		name string
		edit func(*Event)
		v1   bool // whether the v1 formula notices too
	}{
		{"seq", func(e *Event) { e.Seq++ }, true},
		{"register", func(e *Event) { e.Register = "meetings" }, false},
		{"record id", func(e *Event) { e.RecordID++ }, false},
		{"record", func(e *Event) { e.Record = "2026-000043" }, true},
		{"type", func(e *Event) { e.Type = "signed" }, true},
		{"actor", func(e *Event) { e.Actor = "someone else" }, true},
		{"at", func(e *Event) { e.At = e.At.Add(time.Microsecond) }, true},
		{"from", func(e *Event) { e.From = "returned" }, true},
		{"to", func(e *Event) { e.To = "signed" }, true},
		{"body", func(e *Event) { e.Body = "edited" }, true},
		{"public", func(e *Event) { e.Public = false }, true},
		{"data", func(e *Event) { e.Data = map[string]string{"unit": "b", "b": "c"} }, true},
		{"version", func(e *Event) { e.HashVersion = HashV1 }, true},
	}
	for _, tc := range edits {
		t.Run(tc.name, func(t *testing.T) {
			e := base
			tc.edit(&e)
			if e.ComputeHash(Genesis) == base.ComputeHash(Genesis) {
				t.Error("v2: the edit did not change the hash")
			}
			if tc.name == "version" {
				return
			}
			v1, e1 := legacy(), legacy()
			e1.HashVersion = HashV1
			tc.edit(&e1)
			if got := e1.ComputeHash(Genesis) != v1.ComputeHash(Genesis); got != tc.v1 {
				t.Errorf("v1 notices the edit: %v, want %v", got, tc.v1)
			}
		})
	}
	if (Event{HashVersion: 9}).ComputeHash(Genesis) != "" {
		t.Error("an unknown version has a hash")
	}
	// Microseconds are all the databases keep; finer digits do not count.
	e := base
	e.At = e.At.Truncate(time.Microsecond)
	if e.ComputeHash(Genesis) != base.ComputeHash(Genesis) {
		t.Error("nanoseconds take part in the hash")
	}
}

// chain builds a log of an item's and a meeting's events after n legacy
// events, as a database migrated to schema 23 holds it.
func chain(t *testing.T) ([]Event, int64, string) {
	t.Helper()
	var log []Event
	prev := Genesis
	for i := int64(1); i <= 2; i++ {
		e := legacy()
		e.Seq, e.PrevHash = i, prev
		e.Hash = e.ComputeHash(prev)
		prev = e.Hash
		log = append(log, e)
	}
	more := []Event{
		{Register: "items", RecordID: 43, Record: "2026-000043", Type: "received", Actor: "citizen", At: at, To: "received"},
		{Register: "meetings", RecordID: 5, Record: "5", Type: "recorded", Actor: "officer", At: at, Data: map[string]string{"host_unit": "a"}},
	}
	seq, head := Chain(more, 2, prev)
	if seq != 4 || head != more[1].Hash || more[0].PrevHash != prev || more[1].PrevHash != more[0].Hash {
		t.Fatalf("Chain: head %d %s, events %+v", seq, head, more)
	}
	for _, e := range more {
		if e.HashVersion != HashCurrent {
			t.Fatalf("Chain left version %d", e.HashVersion)
		}
	}
	return append(log, more...), seq, head
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(log []Event) []Event
		head   func(seq int64, hash string) (int64, string)
		seq    int64
		reg    string
		record string
		reason string
	}{
		{name: "intact"},
		{name: "legacy body edited", edit: func(l []Event) []Event { l[1].Body = "x"; return l },
			seq: 2, reg: "items", record: "2026-000042", reason: "edited"},
		{name: "meeting data edited", edit: func(l []Event) []Event { l[3].Data = map[string]string{"host_unit": "b"}; return l },
			seq: 4, reg: "meetings", record: "5", reason: "edited"},
		{name: "meeting moved to another record", edit: func(l []Event) []Event { l[3].RecordID = 6; return l },
			seq: 4, reg: "meetings", record: "5", reason: "edited"},
		{name: "legacy event moved to another register", edit: func(l []Event) []Event { l[0].Register = "meetings"; return l },
			seq: 1, reg: "meetings", record: "2026-000042", reason: "register"},
		{name: "new event passed off as legacy", edit: func(l []Event) []Event { l[2].HashVersion = HashV1; return l },
			seq: 3, reg: "items", record: "2026-000043", reason: "edited"},
		{name: "unknown version", edit: func(l []Event) []Event { l[2].HashVersion = 3; return l },
			seq: 3, reg: "items", record: "2026-000043", reason: "unknown hash version"},
		{name: "event removed", edit: func(l []Event) []Event { return append(l[:1:1], l[2:]...) },
			seq: 2, reg: "items", record: "2026-000043", reason: "missing"},
		{name: "relinked", edit: func(l []Event) []Event { l[2].PrevHash = Genesis; return l },
			seq: 3, reg: "items", record: "2026-000043", reason: "prev_hash"},
		{name: "last events removed", edit: func(l []Event) []Event { return l[:3] },
			seq: 4, reason: "chain head"},
		{name: "head rewound", head: func(seq int64, hash string) (int64, string) { return seq - 1, hash },
			seq: 3, reason: "chain head"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log, seq, head := chain(t)
			if tc.edit != nil {
				log = tc.edit(log)
			}
			if tc.head != nil {
				seq, head = tc.head(seq, head)
			}
			err := Verify(log, seq, head)
			if tc.reason == "" {
				if err != nil {
					t.Fatal(err)
				}
				v := NewVerifier()
				for _, e := range log {
					v.Next(e)
				}
				if by := v.ByRegister(); len(by) != 2 || by["items"] != 3 || by["meetings"] != 1 {
					t.Errorf("by register %v", by)
				}
				return
			}
			var ce *ChainError
			if !errors.As(err, &ce) || ce.Seq != tc.seq || ce.Register != tc.reg || ce.Record != tc.record || !strings.Contains(ce.Reason, tc.reason) {
				t.Fatalf("got %#v, want seq %d %s %s %q", err, tc.seq, tc.reg, tc.record, tc.reason)
			}
			if tc.reg != "" && !strings.Contains(err.Error(), tc.reg+" "+tc.record) {
				t.Errorf("message %q does not name the register and record", err)
			}
		})
	}
}
