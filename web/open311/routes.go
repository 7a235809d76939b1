package open311

import "minyi/web/core"

// open311Route is one endpoint of Open311 GeoReport v2 under /open311/v2/
// (open311.go). The last segment of every pattern is {file}: name.json or
// name.xml, the suffix choosing the format. Entries sharing a method and
// pattern are told apart by name; name "" takes any file name (a service
// code, request id or token). These routes sit beside the JSON API: no
// sessions, no CSRF; GET and OPTIONS answers allow any origin.
type open311Route struct {
	method, pattern, name string
	handler               core.Handler
	auth                  string // "key": api_key required; "": checked only when given
	summary               string
}

// open311Routes lists the Open311 endpoints.
func (s *Open311) open311Routes() []open311Route {
	const v2 = "/open311/v2/{file}"
	return []open311Route{
		{"GET", v2, "discovery", s.o311Discovery, "", "Service discovery: endpoints and formats"},
		{"GET", v2, "services", s.o311Services, "", "Service list: the active categories"},
		{"GET", "/open311/v2/services/{file}", "", s.o311ServiceDefinition, "", "Service definition: a category's questions (attributes)"},
		{"POST", v2, "requests", s.o311CreateRequest, "key", "Submit a service request (files an item on channel open311)"},
		{"GET", v2, "requests", s.o311Requests, "", "Service requests readable through Open311 (filtered, paged)"},
		{"GET", "/open311/v2/requests/{file}", "", s.o311Request, "", "One service request"},
		{"GET", "/open311/v2/tokens/{file}", "", s.o311Token, "", "The service request id of a token"},
		{"GET", v2, "servicerequestupdates", s.o311Updates, "", "Public updates of service requests by time (FixMyStreet's extension)"},
		{"OPTIONS", v2, "", s.o311Preflight, "", "CORS preflight"},
		{"OPTIONS", "/open311/v2/services/{file}", "", s.o311Preflight, "", "CORS preflight"},
		{"OPTIONS", "/open311/v2/requests/{file}", "", s.o311Preflight, "", "CORS preflight"},
		{"OPTIONS", "/open311/v2/tokens/{file}", "", s.o311Preflight, "", "CORS preflight"},
	}
}
