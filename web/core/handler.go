package core

import "net/http"

// Handler is a handler that returns its failure instead of writing it, so
// every error reaches the client through one writer: Error for the JSON
// API, PageError for the pages. Answers that are not an error (a form
// shown again with its field errors, a flash and a redirect, a 429 page)
// the handler writes itself and then returns nil.
type Handler func(w http.ResponseWriter, r *http.Request) error

// API serves h, answering its error with s.Error. A handler that fails
// must not have written its answer yet; headers it set stay.
func (s *Base) API(h Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.Error(w, r, err)
		}
	}
}

// Page serves h, answering its error with s.PageError. A handler that
// fails must not have written its answer yet; headers it set stay.
func (s *Base) Page(h Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.PageError(w, r, err)
		}
	}
}
