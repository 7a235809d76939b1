package pages

import (
	"maps"
	"slices"
	"strings"
)

// summaryEntry is one line of a form's error summary (the GOV.UK pattern):
// the field's problem, and the id of the input it links to ("" when the
// problem is the form's as a whole).
type summaryEntry struct {
	ID, Message string
}

// fieldRef ties the name of a field in a service's errors to the id of the
// input that fixes it. Prefix matches the indexed fields (photos[0]).
type fieldRef struct {
	Field, ID string
	Prefix    bool
}

// linkedErrors orders a refused form's messages as its fields come on the
// page (refs), each linked to its input, so that the summary reads in the
// order the citizen meets the fields; messages of fields not on the page
// come last, unlinked.
func linkedErrors(errs map[string]string, refs []fieldRef) []summaryEntry {
	if len(errs) == 0 {
		return nil
	}
	out := make([]summaryEntry, 0, len(errs))
	used := make(map[string]bool, len(errs))
	for _, ref := range refs {
		for _, f := range slices.Sorted(maps.Keys(errs)) {
			if used[f] || !(f == ref.Field || ref.Prefix && strings.HasPrefix(f, ref.Field)) {
				continue
			}
			used[f] = true
			out = append(out, summaryEntry{ID: ref.ID, Message: errs[f]})
		}
	}
	for _, f := range slices.Sorted(maps.Keys(errs)) {
		if !used[f] {
			out = append(out, summaryEntry{Message: errs[f]})
		}
	}
	return out
}
