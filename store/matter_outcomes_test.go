package store_test

import (
	"context"
	"errors"
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/matter"
	"minyi/org"
	"minyi/outcome"
	"minyi/store"
)

// TestMatterConfiguredOutcomes: the keys a bureau sets are the keys a
// completion may report, read at once; a key dropped from the list stays on
// the matters that reported it.
func TestMatterConfiguredOutcomes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		svc.Settings = db
		cfg := archive.NewConfig(db, nil)
		if _, err := cfg.SetSetting(bg, maOfficerA, archive.SettingMatterOutcomes, "wells|水井|Wells dug|口"); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Fatalf("an officer set the outcomes: %v", err)
		}
		if _, err := cfg.SetSetting(bg, org.Operator("test"), archive.SettingMatterOutcomes, "cattle|牛|Cattle|头\nWells|水井|Wells dug|口"); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Fatalf("a bad line was stored: %v", err)
		}
		if got, _ := svc.Keys(bg); len(got) != len(outcome.Defaults) {
			t.Fatalf("keys after a refused setting = %v", got)
		}
		complete := func(title string, o map[string]int64) (matter.Matter, error) {
			m, err := svc.Create(bg, maOfficerA, maNew(title))
			if err != nil {
				t.Fatal(err)
			}
			v := 1
			if m, err = svc.Act(bg, maOfficerA, m.ID, &v, matter.Command{Action: matter.ActStart}); err != nil {
				t.Fatal(err)
			}
			v = m.Version
			return svc.Act(bg, maOfficerA, m.ID, &v, matter.Command{Action: matter.ActComplete, Story: "办结", Outcomes: o})
		}
		old, err := complete("追回牲畜", map[string]int64{"cattle": 5, "sheep": 53})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.SetSetting(bg, org.Operator("test"), archive.SettingMatterOutcomes, "cattle|牛|Cattle|头\nwells|水井|Wells dug|口"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name     string
			outcomes map[string]int64
			field    string // the refused field; "" when accepted
		}{
			{"configured key", map[string]int64{"wells": 3, "cattle": 1}, ""},
			{"key dropped from the list", map[string]int64{"sheep": 2}, "outcomes.sheep"},
			{"unknown key", map[string]int64{"goats": 2}, "outcomes.goats"},
			{"negative", map[string]int64{"wells": -1}, "outcomes.wells"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				m, err := complete(tt.name, tt.outcomes)
				if tt.field == "" {
					if err != nil || m.Outcomes["wells"] != 3 {
						t.Fatalf("complete = %+v, %v", m.Outcomes, err)
					}
					return
				}
				var e *minyi.Error
				if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
					t.Fatalf("complete error = %v; want one naming %s", err, tt.field)
				}
			})
		}
		got, err := db.Matter(bg, old.ID)
		if err != nil || got.Outcomes["sheep"] != 53 {
			t.Fatalf("the matter that reported sheep: %+v, %v", got.Outcomes, err)
		}
		targets, err := svc.TargetKeys(bg)
		if err != nil || len(targets) != 2 || targets[1] != "matters.outcome_wells" {
			t.Fatalf("TargetKeys = %v, %v", targets, err)
		}
	})
}
