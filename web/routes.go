package web

import (
	"net/http"
	"strings"

	"minyi"
)

// route is one endpoint; the table below is also the source of the OpenAPI
// document, so the description cannot drift from what is served.
type route struct {
	method, pattern string
	handler         apiHandler
	summary         string
	auth            string // "", "optional", "staff", "admin"
	request         string // name of the request body schema, if any
	response        string // name of the success response schema
	status          int    // success status
	params          []param
	limited         string // the abuse limit that may answer 429, if any (limits.go)
}

// apiHandler is a JSON API handler that returns its failure instead of
// writing it, so every error reaches the client through s.error alone.
type apiHandler func(w http.ResponseWriter, r *http.Request) error

// api serves h, answering its error with s.error. A handler that fails
// must not have written its answer yet; headers it set stay.
func (s *Server) api(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.error(w, r, err)
		}
	}
}

type param struct {
	name, in, description string
}

// routes lists every route of minyi.
func (s *Server) routeTable() []route {
	listParams := []param{
		{"q", "query", "full-text search, simplified or traditional Chinese"},
		{"unit", "query", "unit code"}, {"status", "query", "status code; repeat or comma-separate for several"},
		{"kind", "query", "kind code"}, {"class", "query", "concern class code"},
		{"channel", "query", "channel code"}, {"category", "query", "category code"},
		{"overdue", "query", "true: only open items past their due time"},
		{"due_soon", "query", "true: only open items due within 24 hours"},
		{"from", "query", "received on or after (YYYY-MM-DD or RFC 3339)"},
		{"to", "query", "received before (YYYY-MM-DD: before the end of that day, or RFC 3339)"},
		{"sort", "query", "relevance (default with q: the newest matches, most relevant first), newest (with q: most recently filed first), oldest or due"},
		{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"},
	}
	number := param{"number", "path", "tracking number, e.g. 2021-000123"}
	const codeGuesses = "wrong access codes per tracking number and per client address (serve --code-guess-limit)"
	return []route{
		{method: "GET", pattern: "/healthz", handler: s.healthz, summary: "Liveness and database check: 503 (status database unavailable or degraded) while the database does not answer or refuses writes", response: "Health", status: 200},
		{method: "GET", pattern: "/metrics", handler: s.metricsHandler, summary: "Prometheus metrics", response: "text", status: 200},
		{method: "GET", pattern: "/api/v1/openapi.json", handler: s.openapi, summary: "This API description (OpenAPI 3)", response: "object", status: 200},
		{method: "GET", pattern: "/api/v1/open311.openapi.json", handler: s.open311OpenAPI, summary: "The Open311 GeoReport v2 routes under /open311/v2/ (OpenAPI 3)", response: "object", status: 200},
		{method: "GET", pattern: "/api/v1/meta", handler: s.meta, summary: "Codes and Chinese labels of kinds, channels, classes, statuses, actions", response: "Meta", status: 200},
		{method: "POST", pattern: "/api/v1/items", handler: s.createItem, auth: "optional", summary: "File an item (citizens without a token; staff with one: into their own unit or, without a unit, the dispatch queue; leaders and admins into any unit; partners never, 403)", request: "Submission", response: "Created", status: 201,
			limited: "anonymous items per client address (serve --intake-limit)"},
		{method: "GET", pattern: "/api/v1/items", handler: s.listItems, auth: "staff", summary: "List and search items of the units the caller may see", response: "ItemPage", status: 200, params: listParams},
		{method: "GET", pattern: "/api/v1/items/{number}", handler: s.getItem, auth: "optional", summary: "One item with its timeline: the staff view with a token, the citizen's view (CitizenView, an allow-list) with ?access_code=", response: "ItemView|CitizenView", status: 200, limited: codeGuesses,
			params: []param{number, {"access_code", "query", "the citizen's access code"}}},
		{method: "GET", pattern: "/api/v1/items/{number}/contact", handler: s.revealContact, auth: "staff", summary: "Reveal the citizen's unmasked contact (recorded as an event)", response: "Contact", status: 200, params: []param{number}},
		{method: "GET", pattern: "/api/v1/items/{number}/photos/{id}", handler: s.getPhoto, auth: "optional", summary: "A photo of an item", response: "binary", status: 200, limited: codeGuesses,
			params: []param{number, {"id", "path", "photo id"}, {"access_code", "query", "the citizen's access code"}}},
		{method: "POST", pattern: "/api/v1/items/{number}/actions", handler: s.act, auth: "optional", summary: "Apply a lifecycle action (400 without version, 409 on a stale version, 422 on an illegal transition); citizens may rate with ?access_code= and get the CitizenItem", request: "Command", response: "Item|CitizenItem", status: 200, limited: codeGuesses,
			params: []param{number, {"access_code", "query", "the citizen's access code (action rate only)"}}},
		{method: "GET", pattern: "/api/v1/stats", handler: s.stats, auth: "staff", summary: "Counts and rates (三率) by unit for a period of receipt", response: "Stats", status: 200,
			params: []param{{"from", "query", "first day, YYYY-MM-DD"}, {"to", "query", "last day, YYYY-MM-DD"}, {"unit", "query", "unit code"}}},
		{method: "GET", pattern: "/api/v1/units", handler: s.listUnits, summary: "The organisation's units", response: "UnitList", status: 200},
		{method: "POST", pattern: "/api/v1/units", handler: s.createUnit, auth: "admin", summary: "Add a unit", request: "Unit", response: "Unit", status: 201},
		{method: "GET", pattern: "/api/v1/branches", handler: s.listBranches, auth: "staff", summary: "Party branches", response: "BranchList", status: 200},
		{method: "GET", pattern: "/api/v1/categories", handler: s.listCategories, summary: "Categories with their default unit and time limit", response: "CategoryList", status: 200},
		{method: "POST", pattern: "/api/v1/categories", handler: s.createCategory, auth: "admin", summary: "Add a category", request: "Category", response: "Category", status: 201},
		{method: "GET", pattern: "/api/v1/users", handler: s.listUsers, auth: "admin", summary: "Staff accounts", response: "UserList", status: 200},
		{method: "POST", pattern: "/api/v1/users", handler: s.createUser, auth: "admin", summary: "Add a staff account; the initial password is returned once", request: "User", response: "NewUser", status: 201},
		{method: "GET", pattern: "/api/v1/calendar", handler: s.getCalendar, summary: "Holiday and make-up working-day calendar, with the years it covers", response: "Calendar", status: 200},
		{method: "PUT", pattern: "/api/v1/calendar", handler: s.putCalendar, auth: "admin", summary: "Add or change calendar days (JSON entries or the CSV format; none is 400)", request: "CalendarEntries", response: "Calendar", status: 200},
		{method: "GET", pattern: "/api/v1/apikeys", handler: s.listAPIKeys, auth: "admin", summary: "Open311 clients' API keys, revoked ones included (never the keys themselves)", response: "APIKeyList", status: 200},
		{method: "POST", pattern: "/api/v1/apikeys", handler: s.createAPIKey, auth: "admin", summary: "Add a client API key; the key is returned once", request: "APIKeyRequest", response: "NewAPIKey", status: 201},
		{method: "POST", pattern: "/api/v1/apikeys/{name}/revoke", handler: s.revokeAPIKey, auth: "admin", summary: "Revoke a client API key at once", response: "APIKey", status: 200,
			params: []param{{"name", "path", "the client's name"}}},
		{method: "GET", pattern: "/api/v1/webhooks", handler: s.listWebhooks, auth: "admin", summary: "Partner webhooks (never their secrets)", response: "WebhookList", status: 200},
		{method: "POST", pattern: "/api/v1/webhooks", handler: s.createWebhook, auth: "admin", summary: "Add a webhook; its signing secret is returned once. A url naming an inside address (loopback, private, link-local, localhost) is 400 unless serve --webhook-allow allows it", request: "WebhookRequest", response: "NewWebhook", status: 201},
		{method: "PUT", pattern: "/api/v1/webhooks/{id}", handler: s.updateWebhook, auth: "admin", summary: "Change a webhook's url, events or active; omitted fields stay", request: "WebhookChange", response: "Webhook", status: 200,
			params: []param{{"id", "path", "webhook id"}}},
		{method: "GET", pattern: "/api/v1/webhooks/{id}/deliveries", handler: s.listWebhookDeliveries, auth: "admin", summary: "A webhook's delivery log, newest first", response: "DeliveryPage", status: 200,
			params: []param{{"id", "path", "webhook id"}, {"status", "query", "pending, sent or failed"}, {"before", "query", "next_before of the previous page"}, {"limit", "query", "1–100, default 50"}}},
		{method: "GET", pattern: "/api/v1/notices", handler: s.listNoticesAPI, auth: "admin", summary: "SMS notices to citizens, newest first: phones masked, access codes blanked", response: "NoticePage", status: 200,
			params: []param{{"status", "query", "pending, sent or failed"}, {"item", "query", "tracking number"}, {"before", "query", "next_before of the previous page"}, {"limit", "query", "1–100, default 50"}}},
	}
}

// open311Route is one endpoint of Open311 GeoReport v2 under /open311/v2/
// (open311.go). The last segment of every pattern is {file}: name.json or
// name.xml, the suffix choosing the format. Entries sharing a method and
// pattern are told apart by name; name "" takes any file name (a service
// code, request id or token). These routes sit beside the JSON API: no
// sessions, no CSRF; GET and OPTIONS answers allow any origin.
type open311Route struct {
	method, pattern, name string
	handler               http.HandlerFunc
	auth                  string // "key": api_key required; "": checked only when given
	summary               string
}

// open311Routes lists the Open311 endpoints.
func (s *Server) open311Routes() []open311Route {
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

// pageRoute is one HTML page or form target. Pages share the session,
// CSRF and language handling; who may do what is still decided by the
// services behind them.
type pageRoute struct {
	method, pattern string
	handler         pageHandler
	access          string // "public" or "staff" (logged in; else sent to the login page)
}

// pageHandler is an HTML page handler that returns its failure instead of
// showing it, so every such error reaches the reader through s.pageError
// alone. Answers that are not an error page (a form shown again with its
// field errors, a flash and a redirect, a 429 page) the handler writes
// itself and then returns nil.
type pageHandler func(w http.ResponseWriter, r *http.Request) error

// page serves h, answering its error with s.pageError. A handler that
// fails must not have written its answer yet; headers it set stay.
func (s *Server) page(h pageHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	}
}

// pageRoutes lists every page of minyi: the citizen portal first, then the
// staff workspace.
func (s *Server) pageRoutes() []pageRoute {
	return []pageRoute{
		{"GET", "/{$}", s.homePage, "public"},
		{"GET", "/prefs", s.setPreference, "public"},
		{"GET", "/write", s.writePage, "public"},
		{"POST", "/write", s.submitWrite, "public"},
		{"GET", "/track", s.trackFormPage, "public"},
		{"POST", "/track", s.trackLookup, "public"},
		{"GET", "/track/{number}", s.trackPage, "public"},
		{"GET", "/track/{number}/receipt", s.receiptPage, "public"},
		{"POST", "/track/{number}/rate", s.trackRate, "public"},
		{"GET", "/track/{number}/photos/{id}", s.trackPhoto, "public"},
		{"GET", "/desk", s.deskPage, "public"},
		{"GET", "/desk/{number}", s.deskQuestionPage, "public"},

		{"GET", "/login", s.loginPage, "public"},
		{"POST", "/login", s.login, "public"},
		{"POST", "/logout", s.logout, "public"},
		{"GET", "/login/totp", s.loginTOTPPage, "public"},
		{"POST", "/login/totp", s.loginTOTP, "public"},
		{"GET", "/staff", s.inboxPage, "staff"},
		{"POST", "/staff/dispatch", s.bulkDispatch, "staff"},
		{"GET", "/staff/entry", s.entryPage, "staff"},
		{"POST", "/staff/entry", s.submitEntry, "staff"},
		{"GET", "/staff/meetings", s.meetingsPage, "staff"},
		{"GET", "/staff/meetings/new", s.meetingNewPage, "staff"},
		{"POST", "/staff/meetings", s.createMeeting, "staff"},
		{"GET", "/staff/meetings/{id}", s.meetingPage, "staff"},
		{"GET", "/staff/dashboard", s.dashboardPage, "staff"},
		{"GET", "/staff/items/{number}", s.itemDeskPage, "staff"},
		{"POST", "/staff/items/{number}/act", s.itemDeskAct, "staff"},
		{"POST", "/staff/items/{number}/reveal", s.itemDeskReveal, "staff"},
		{"GET", "/staff/items/{number}/shown/{id}", s.itemDeskShownPage, "staff"},
		{"GET", "/staff/items/{number}/desk", s.deskReviewPage, "staff"},
		{"POST", "/staff/items/{number}/desk", s.deskReviewPublish, "staff"},
		{"GET", "/staff/items/{number}/photos/{id}", s.itemDeskPhoto, "staff"},
		{"GET", "/qr", s.qrIndexPage, "staff"},
		{"GET", "/qr/go", s.qrGo, "staff"},
		{"GET", "/qr/{unit}", s.qrPosterPage, "staff"},
		{"GET", "/qr/{unit}/code.svg", s.qrCodeSVG, "staff"},
		{"GET", "/staff/account", s.accountPage, "staff"},
		{"POST", "/staff/account/password", s.changePassword, "staff"},
		{"POST", "/staff/account/totp/start", s.startTOTP, "staff"},
		{"POST", "/staff/account/totp/confirm", s.confirmTOTP, "staff"},
		{"POST", "/staff/account/totp/disable", s.disableTOTP, "staff"},
		{"GET", "/staff/account/totp/qr.svg", s.totpQR, "staff"},
		{"POST", "/staff/account/tokens", s.createOwnToken, "staff"},
		{"GET", accountShownArea + "{id}", s.accountShownPage, "staff"},
		{"POST", "/staff/account/tokens/{id}/revoke", s.revokeOwnToken, "staff"},
		{"GET", "/staff/admin", s.adminIndex, "staff"},
		{"GET", adminShownArea + "{id}", s.adminShownPage, "staff"},
		{"GET", "/staff/admin/units", s.adminUnitsPage, "staff"},
		{"GET", "/staff/admin/units/new", s.adminNewUnitPage, "staff"},
		{"POST", "/staff/admin/units", s.adminAddUnit, "staff"},
		{"GET", "/staff/admin/units/{code}/edit", s.adminEditUnitPage, "staff"},
		{"POST", "/staff/admin/units/{code}", s.adminEditUnit, "staff"},
		{"GET", "/staff/admin/users", s.adminUsersPage, "staff"},
		{"GET", "/staff/admin/users/new", s.adminNewUserPage, "staff"},
		{"POST", "/staff/admin/users", s.adminAddUser, "staff"},
		{"GET", "/staff/admin/users/{name}/edit", s.adminEditUserPage, "staff"},
		{"POST", "/staff/admin/users/{name}", s.adminEditUser, "staff"},
		{"POST", "/staff/admin/users/{name}/status", s.adminSetUserStatus, "staff"},
		{"POST", "/staff/admin/users/{name}/password", s.adminResetPassword, "staff"},
		{"POST", "/staff/admin/users/{name}/totp", s.adminResetTOTP, "staff"},
		{"POST", "/staff/admin/users/{name}/tokens/{id}/revoke", s.adminRevokeToken, "staff"},
		{"GET", "/staff/admin/categories", s.adminCategoriesPage, "staff"},
		{"GET", "/staff/admin/categories/new", s.adminNewCategoryPage, "staff"},
		{"POST", "/staff/admin/categories", s.adminAddCategory, "staff"},
		{"GET", "/staff/admin/categories/{code}/edit", s.adminEditCategoryPage, "staff"},
		{"POST", "/staff/admin/categories/{code}", s.adminEditCategory, "staff"},
		{"GET", "/staff/admin/calendar", s.adminCalendarPage, "staff"},
		{"POST", "/staff/admin/calendar", s.adminPutCalendar, "staff"},
		{"GET", "/staff/admin/canned", s.adminCannedPage, "staff"},
		{"GET", "/staff/admin/canned/new", s.adminNewCannedPage, "staff"},
		{"POST", "/staff/admin/canned", s.adminAddCanned, "staff"},
		{"GET", "/staff/admin/canned/{id}/edit", s.adminEditCannedPage, "staff"},
		{"POST", "/staff/admin/canned/{id}", s.adminEditCanned, "staff"},
		{"GET", "/staff/admin/desk", s.adminDeskPage, "staff"},
		{"POST", "/staff/admin/desk/{number}", s.adminDeskSet, "staff"},
		{"GET", "/staff/admin/apikeys", s.adminAPIKeysPage, "staff"},
		{"GET", "/staff/admin/apikeys/new", s.adminNewAPIKeyPage, "staff"},
		{"POST", "/staff/admin/apikeys", s.adminAddAPIKey, "staff"},
		{"GET", "/staff/admin/apikeys/{name}/revoke", s.adminRevokeAPIKeyPage, "staff"},
		{"POST", "/staff/admin/apikeys/{name}/revoke", s.adminRevokeAPIKey, "staff"},
		{"GET", "/staff/admin/webhooks", s.adminWebhooksPage, "staff"},
		{"GET", "/staff/admin/webhooks/new", s.adminNewWebhookPage, "staff"},
		{"POST", "/staff/admin/webhooks", s.adminAddWebhook, "staff"},
		{"GET", "/staff/admin/webhooks/{id}", s.adminWebhookPage, "staff"},
		{"GET", "/staff/admin/webhooks/{id}/edit", s.adminEditWebhookPage, "staff"},
		{"POST", "/staff/admin/webhooks/{id}", s.adminEditWebhook, "staff"},
		{"GET", "/staff/admin/notices", s.adminNoticesPage, "staff"},
		{"GET", "/staff/admin/settings", s.adminSettingsPage, "staff"},
		{"POST", "/staff/admin/settings", s.adminSetSettings, "staff"},
	}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	known := http.NewServeMux() // the API's paths, whatever the method: tells 405 from 404
	allowed := map[string][]string{}
	for _, r := range s.routeTable() {
		mux.Handle(r.method+" "+r.pattern, s.instrument(r.pattern, checkInput(s.api(r.handler), s.error)))
		if allowed[r.pattern] == nil {
			known.Handle(r.pattern, http.NotFoundHandler())
		}
		allowed[r.pattern] = append(allowed[r.pattern], r.method)
	}
	for _, r := range s.pageRoutes() {
		h := http.Handler(s.instrument(r.pattern, checkInput(s.page(r.handler), s.pageError)))
		if r.access == "staff" {
			h = s.requireLogin(h)
		}
		mux.Handle(r.method+" "+r.pattern, s.sessions.LoadAndSave(s.sessionUser(s.csrf(s.securePage(h)))))
	}
	s.mountOpen311(mux)
	mux.Handle("GET /static/", s.instrument("/static/", s.static()))
	// Unknown addresses: JSON for API clients, a page for people.
	// A route of the table asked with another method: 405 with Allow.
	wrongMethod := func(w http.ResponseWriter, r *http.Request) bool {
		_, p := known.Handler(r)
		if p == "" {
			return false
		}
		methods := strings.Join(allowed[p], ", ")
		w.Header().Set("Allow", methods)
		s.errorStatus(w, r, http.StatusMethodNotAllowed, minyi.Errorf(minyi.EInvalid,
			"不支持%s方法 / method %s not allowed; use %s", r.Method, r.Method, methods))
		return true
	}
	mux.Handle("/api/", s.instrument("other", func(w http.ResponseWriter, r *http.Request) {
		if !wrongMethod(w, r) {
			s.error(w, r, notFoundRoute(r))
		}
	}))
	mux.Handle("/", s.instrument("other", s.securePage(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !wrongMethod(w, r) {
			s.pageError(w, r, minyi.Errorf(minyi.ENotFound, "没有这个页面 / no such page"))
		}
	})).ServeHTTP))
	return s.recoverPanics(s.clientAddress(s.logRequests(s.limitBody(s.authenticate(mux)))))
}
