// Package api serves the JSON API under /api/v1 with health and metrics:
// its route table (routes.go), which is also the OpenAPI document
// (openapi.go), and the handlers, which stay thin and call the domain
// services, which check authorisation.
package api

import (
	"net/http"

	"minyi/web/core"
	"minyi/web/open311"
)

// API is the JSON API's handlers over the shared state.
type API struct {
	*core.Base
	// o311 describes the Open311 routes, whose OpenAPI document the API
	// serves beside its own.
	o311 *open311.Open311
}

// New builds the JSON API over b; o311 is the Open311 door it describes.
func New(b *core.Base, o311 *open311.Open311) *API { return &API{Base: b, o311: o311} }

// Mount registers the route table on mux and returns, by pattern, the
// methods each path takes, for the 405 answers of the fallback.
func (s *API) Mount(mux *http.ServeMux) map[string][]string {
	allowed := map[string][]string{}
	for _, r := range s.routeTable() {
		mux.Handle(r.method+" "+r.pattern, s.Instrument(r.pattern, core.CheckInput(s.API(r.handler), s.Error)))
		allowed[r.pattern] = append(allowed[r.pattern], r.method)
	}
	return allowed
}
