package core

import (
	"net/url"
	"testing"
)

// Errors name fields as clients wrote them, whichever way encoding/json
// spells its path.
func TestJSONPathNamesTheFieldAsSent(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"text", "text"},
		{"contact.phone", "contact.phone"},
		{"photos.0.data", "photos[0].data"},
		{"entries.12", "entries[12]"},
		{"Submission.photos.1", "photos[1]"},
		{"attributes.0.values.3.key", "attributes[0].values[3].key"},
		{"", ""},
	} {
		if got := jsonPath(c.in); got != c.want {
			t.Errorf("jsonPath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPageLimit(t *testing.T) {
	for _, tc := range []struct {
		query string
		max   int
		n     int
		ok    bool
	}{
		{"", 100, 0, true},
		{"limit=1", 100, 1, true},
		{"limit=100", 100, 100, true},
		{"limit=101", 100, 101, false},
		{"limit=101", 0, 101, true},
		{"limit=0", 0, 0, false},
		{"limit=-3", 100, -3, false},
		{"limit=x", 100, 0, false},
	} {
		q, _ := url.ParseQuery(tc.query)
		if n, ok := PageLimit(q, tc.max); n != tc.n || ok != tc.ok {
			t.Errorf("PageLimit(%q, %d) = %d, %v; want %d, %v", tc.query, tc.max, n, ok, tc.n, tc.ok)
		}
	}
}
