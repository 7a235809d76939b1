package archive

import (
	"strings"
	"testing"
)

// TestProgress: the stepper marks the stages reached and the one the item
// waits for, with the answer's due time until the answer; an item that
// ended otherwise marks the stages it had reached and none current.
func TestProgress(t *testing.T) {
	due := t0.AddDate(0, 0, 5)
	tests := []struct {
		name   string
		status Status
		events []CitizenEvent
		want   string // per step: d done, c current (with due), n current (no due), . neither
	}{
		{"received", StatusReceived, nil, "dc...."},
		{"returned to the bureau", StatusReturned, nil, "dc...."},
		{"dispatched", StatusDispatched, nil, "ddc..."},
		{"in progress", StatusInProgress, nil, "dddc.."},
		{"answered", StatusAnswered, nil, "ddddn."},
		{"visited", StatusVisited, nil, "dddddn"},
		{"closed", StatusClosed, nil, "dddddd"},
		{"withdrawn when signed", StatusWithdrawn, []CitizenEvent{{Type: EventWithdrawn, From: StatusSigned, To: StatusWithdrawn}}, "ddd..."},
		{"invalid at once", StatusInvalid, []CitizenEvent{{Type: EventInvalidated, From: StatusReceived, To: StatusInvalid}}, "d....."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := CitizenView{Item: CitizenItem{Status: tt.status, DueAt: due}, Events: tt.events}
			var got strings.Builder
			for _, s := range v.Progress() {
				switch {
				case s.Done:
					got.WriteByte('d')
				case s.Current && s.Due.Equal(due):
					got.WriteByte('c')
				case s.Current && s.Due.IsZero():
					got.WriteByte('n')
				default:
					got.WriteByte('.')
				}
			}
			if got.String() != tt.want {
				t.Fatalf("steps %s, want %s", got.String(), tt.want)
			}
		})
	}
}

// TestCitizenRedo: while an item is done again, the citizen sees since
// when and their own reason, never a leader's.
func TestCitizenRedo(t *testing.T) {
	rated := Event{Type: EventRated, Actor: ActorCitizen, At: t0, Body: "路灯还是不亮", Data: map[string]string{"satisfaction": "unsatisfied"}}
	redo := Event{Type: EventReopened, Actor: ActorSystem, At: t0, From: StatusVisited, To: StatusInProgress}
	byLeader := Event{Type: EventReopened, Actor: "leader", At: t0, Body: "内部：领导要求重办", From: StatusClosed, To: StatusInProgress}
	tests := []struct {
		name   string
		status Status
		evs    []Event
		want   *CitizenRedo
	}{
		{"never redone", StatusInProgress, nil, nil},
		{"after the citizen's rating", StatusInProgress, []Event{rated, redo}, &CitizenRedo{At: t0, Reason: "路灯还是不亮"}},
		{"a leader's reopening", StatusInProgress, []Event{byLeader}, &CitizenRedo{At: t0}},
		{"answered again", StatusAnswered, []Event{rated, redo}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CitizenViewOf(Item{Status: tt.status}, tt.evs).Redo
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Fatalf("redo %+v, want %+v", got, tt.want)
			}
		})
	}
}
