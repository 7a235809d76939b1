package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"minyi/demo"
	"minyi/internal/testdb"
	"minyi/store"
)

// TestDemoPrintsItsLedgers: `minyi demo` tells what it loaded, the
// ledgers' figures of the campaign read back from the records as well as
// the items, on each database.
func TestDemoPrintsItsLedgers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		var out bytes.Buffer
		if err := loadDemo(ctx, db, &out); err != nil {
			t.Fatalf("loadDemo: %v", err)
		}
		for _, want := range []string{
			fmt.Sprintf("campaign %q", demo.CampaignName),
			fmt.Sprintf("matters done %d (led by a named officer %d)", demo.MattersDone, demo.MattersLed),
			fmt.Sprintf("measures implemented %d", demo.MeasuresImplemented),
			fmt.Sprintf("service points active %d", demo.ServicePoints),
			fmt.Sprintf("volunteer activities %d (", demo.VolunteerActivities),
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("the demo's printout lacks %q:\n%s", want, out.String())
			}
		}
		if strings.Contains(out.String(), "(0 volunteer hours)") {
			t.Errorf("no volunteer hours printed:\n%s", out.String())
		}
	})
}
