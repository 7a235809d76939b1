package register

import (
	"encoding/json"
	"testing"
)

func TestSize(t *testing.T) {
	for _, tt := range []struct{ limit, want int }{{0, 20}, {-3, 20}, {1, 1}, {20, 20}, {100, 100}, {101, 100}} {
		if got := (Filter{Limit: tt.limit}).Size(20, 100); got != tt.want {
			t.Errorf("Size of limit %d = %d, want %d", tt.limit, got, tt.want)
		}
	}
}

// TestPageJSON: the keys every list of the API answers with; a page whose
// register does not count says nothing of a total.
func TestPageJSON(t *testing.T) {
	n := 42
	for _, tt := range []struct {
		page Page[string]
		want string
	}{
		{Page[string]{Items: []string{}}, `{"items":[]}`},
		{Page[string]{Items: []string{"a"}, NextCursor: "c"}, `{"items":["a"],"next_cursor":"c"}`},
		{Page[string]{Items: []string{"a"}, Total: &n}, `{"items":["a"],"total":42}`},
	} {
		b, err := json.Marshal(tt.page)
		if err != nil || string(b) != tt.want {
			t.Errorf("%+v encodes as %s (%v), want %s", tt.page, b, err, tt.want)
		}
	}
}
