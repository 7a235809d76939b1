package archive

import (
	"reflect"
	"testing"

	"minyi/eventlog"
)

// An item's events go through the log and come back as they were, and the
// log's chain notices an edit to any of their fields.
func TestEventThroughTheLog(t *testing.T) {
	evs := []Event{{ItemID: 1, ItemNumber: "2021-000001", Type: EventReceived, Actor: "citizen", At: t0, To: StatusReceived},
		{ItemID: 1, ItemNumber: "2021-000001", Type: EventDispatched, Actor: "l", At: t0, From: StatusReceived, To: StatusDispatched,
			Body: "b", Public: true, Data: map[string]string{"unit": "a"}}}
	log := []eventlog.Event{evs[0].Log(), evs[1].Log()}
	seq, head := eventlog.Chain(log, 0, eventlog.Genesis)
	for i, le := range log {
		if le.Register != Register || le.RecordID != 1 || le.Record != "2021-000001" {
			t.Fatalf("event %d in the log: %+v", i, le)
		}
		back := EventOf(le)
		want := evs[i]
		want.Seq, want.PrevHash, want.Hash = le.Seq, le.PrevHash, le.Hash
		if !reflect.DeepEqual(back, want) {
			t.Errorf("event %d back from the log: %+v, want %+v", i, back, want)
		}
	}
	if err := eventlog.Verify(log, seq, head); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Event){
		"data":  func(e *Event) { e.Data = map[string]string{"unit": "b"} },
		"actor": func(e *Event) { e.Actor = "someone else" },
		"to":    func(e *Event) { e.To = StatusSigned },
		"item":  func(e *Event) { e.ItemNumber = "2021-000002" },
	} {
		edited := EventOf(log[1])
		edit(&edited)
		le := edited.Log()
		le.HashVersion = log[1].HashVersion
		if err := eventlog.Verify([]eventlog.Event{log[0], le}, seq, head); err == nil {
			t.Errorf("editing the %s went unnoticed", name)
		}
	}
}
