package web_test

import (
	"fmt"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// The citizen's home page offers a card for each questionnaire open today,
// so a citizen who came without the poster's code finds it too; a draft
// gets none.
func TestHomeOffersOpenQuestionnaires(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		v := e.visitor()
		draft := newSurvey(t, e, false)
		tests := []struct {
			name    string
			publish bool
		}{
			{"a draft", false},
			{"a published questionnaire", true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := draft
				if tt.publish {
					id = newSurvey(t, e, true)
				}
				st, body := v.get("/")
				if st != 200 {
					t.Fatalf("%d %s", st, body)
				}
				card := fmt.Sprintf(`<a class="task" href="/surveys/%d">`, id)
				if got := strings.Contains(body, card); got != tt.publish {
					t.Errorf("card for questionnaire %d shown: %v, want %v", id, got, tt.publish)
				}
			})
		}
	})
}
