package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestAPIConfiguredOutcomes: GET /api/v1/meta lists the counted outcomes the
// bureau accepts now, with their names, and completing a matter accepts
// those keys and refuses another naming outcomes.<key>.
func TestAPIConfiguredOutcomes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		metaOutcomes := func() []any {
			st, b := e.do("GET", "/api/v1/meta", "officer-a", nil)
			if st != 200 {
				t.Fatalf("meta: %d %v", st, b)
			}
			return b["matter_outcomes"].([]any)
		}
		if first := metaOutcomes()[0].(map[string]any); first["code"] != "cattle" || first["zh"] != "牛" || first["unit"] != "头" {
			t.Fatalf("the defaults' first key: %v", first)
		}
		if _, err := archive.NewConfig(db, nil).SetSetting(context.Background(), org.Operator("test"), archive.SettingMatterOutcomes,
			"wells|水井|Wells dug|口\ncattle|牛|Cattle|头"); err != nil {
			t.Fatal(err)
		}
		if got := metaOutcomes(); len(got) != 2 || got[0].(map[string]any)["en"] != "Wells dug" {
			t.Fatalf("configured outcomes in meta: %v", got)
		}
		tests := []struct {
			name     string
			outcomes map[string]any
			status   int
			field    string
		}{
			{"unknown key", map[string]any{"sheep": 53}, 400, "outcomes.sheep"},
			{"negative", map[string]any{"wells": -1}, 400, "outcomes.wells"},
			{"configured keys", map[string]any{"wells": 2, "cattle": 5}, 200, ""},
		}
		id := newMatter(t, e, "officer-a")
		path := fmt.Sprintf("/api/v1/matters/%d/actions", id)
		if st, b := e.do("POST", path, "officer-a", map[string]any{"version": 1, "action": "start"}); st != 200 {
			t.Fatalf("start: %d %v", st, b)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st, b := e.do("POST", path, "officer-a", map[string]any{"version": 2, "action": "complete", "story": "打井两口，追回牛五头",
					"outcomes": tt.outcomes})
				if st != tt.status {
					t.Fatalf("complete: %d %v", st, b)
				}
				if tt.field != "" && !strings.Contains(fmt.Sprint(fieldsOf(b)), tt.field) {
					t.Fatalf("refusal %v does not name %s", b, tt.field)
				}
				if tt.field == "" && fmt.Sprint(b["outcomes"]) != "map[cattle:5 wells:2]" {
					t.Fatalf("completed with %v", b["outcomes"])
				}
			})
		}
	})
}
