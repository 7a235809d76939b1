package notify

import (
	"testing"
	"time"

	"minyi/archive"
)

// TestForEventOfTheCitizen: what the citizen adds and their withdrawal tell
// the officer in charge, else the unit's staff, and nobody while the item
// waits in the bureau's queue; the citizen is the actor, never told.
func TestForEventOfTheCitizen(t *testing.T) {
	at := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		it       archive.Item
		typ      archive.EventType
		ok       bool
		kind     Kind
		unit     string
		user     string
		eventKey string
	}{
		{"added, nobody in charge", archive.Item{UnitCode: "a"}, archive.EventCitizenAdded, true, KindCitizenAdded, "a", "", "event:7"},
		{"added, an officer in charge", archive.Item{UnitCode: "a", Assignee: "li"}, archive.EventCitizenAdded, true, KindCitizenAdded, "a", "li", "event:7"},
		{"withdrawn", archive.Item{UnitCode: "a", Assignee: "li"}, archive.EventWithdrawn, true, KindWithdrawn, "a", "li", "event:7"},
		{"added in the bureau's queue", archive.Item{}, archive.EventCitizenAdded, false, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.it.Number, tt.it.Title = "2021-000001", "路灯坏了"
			a, ok := ForEvent(tt.it, archive.Event{Seq: 7, Type: tt.typ, Actor: archive.ActorCitizen, At: at})
			if ok != tt.ok {
				t.Fatalf("alert %v, want %v", ok, tt.ok)
			}
			if ok && (a.Kind != tt.kind || a.Unit != tt.unit || a.User != tt.user || a.Key != tt.eventKey || a.Actor != archive.ActorCitizen) {
				t.Fatalf("alert %+v", a)
			}
		})
	}
}
