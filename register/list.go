package register

// Filter is what every register's list filter shares: a register embeds it
// in its own filter, beside its own fields.
type Filter struct {
	Query  string // full text, simplified or traditional
	Limit  int    // the page size asked for; see Size
	Cursor string // from the previous page's NextCursor
}

// Size returns the page size to read: Limit, or def when Limit is not
// positive, and at most max.
func (f Filter) Size(def, max int) int {
	switch {
	case f.Limit <= 0:
		return def
	case f.Limit > max:
		return max
	}
	return f.Limit
}

// Page is one page of a register's list.
type Page[T any] struct {
	Items []T `json:"items"`
	// NextCursor asks for the next page (Filter.Cursor); empty on the last.
	NextCursor string `json:"next_cursor,omitempty"`
	// Total is how many records the whole list holds, when the register
	// counts them; nil when it does not, as the archive does not: counting
	// every match of a search in a million items costs more than the page.
	Total *int `json:"total,omitempty"`
	// TotalCapped says that more records match a search than Total, which
	// is then the most a search counts (a lower bound, "more than N"):
	// counting every match of a word found in half a register costs a count
	// of half the register, while its page reads a few rows.
	TotalCapped bool `json:"total_capped,omitempty"`
}

// SetIf sets *dst to *v when a patch names v (v not nil): the fields a
// PATCH leaves out stay as they are.
func SetIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
