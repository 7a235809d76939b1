package archive

import (
	"testing"
	"time"

	"minyi/calendar"
)

func TestReceivedOn(t *testing.T) {
	now := time.Date(2021, 5, 12, 15, 0, 0, 0, calendar.Zone)
	if got := ReceivedOn(now, now); !got.Equal(now) {
		t.Errorf("today: %v", got)
	}
	earlier := time.Date(2021, 5, 3, 0, 0, 0, 0, calendar.Zone)
	if got := ReceivedOn(earlier.Add(10*time.Hour), now); !got.Equal(earlier) {
		t.Errorf("earlier day: %v", got)
	}
}
