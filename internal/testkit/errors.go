package testkit

import (
	"errors"

	"minyi"
)

// Fields returns the fields a refusal (a *minyi.Error) names, in its order;
// nil for any other error, or none, so that a test compares what a
// validation names with what it should.
func Fields(err error) []string {
	var e *minyi.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}
