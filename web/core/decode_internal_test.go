package core

import "testing"

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
