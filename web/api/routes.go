package api

import "minyi/web/core"

// route is one endpoint; the table below is also the source of the OpenAPI
// document, so the description cannot drift from what is served.
type route struct {
	method, pattern string
	handler         core.Handler
	summary         string
	auth            string // "", "optional", "staff", "admin"
	request         string // name of the request body schema, if any
	response        string // name of the success response schema
	status          int    // success status
	params          []param
	limited         string // the abuse limit that may answer 429, if any (core/limits.go)
	// exports: a list that answers format=csv|xlsx with every matching
	// record as a file (core.WriteList); the document adds the parameter.
	exports bool
}

type param struct {
	name, in, description string
}

// routeTable lists every route of the JSON API, with health and metrics.
func (s *API) routeTable() []route {
	listParams := []param{
		{"q", "query", "full-text search, simplified or traditional Chinese"},
		{"unit", "query", "unit code"}, {"status", "query", "status code; repeat or comma-separate for several"},
		{"kind", "query", "kind code"}, {"class", "query", "concern class code"},
		{"channel", "query", "channel code"}, {"category", "query", "category code"},
		{"assignee", "query", "the officer in charge (承办人), by user name; me: the caller; none: the items dispatched to a unit that no officer holds (未派)"},
		{"overdue", "query", "true: only open items past their due time"},
		{"due_soon", "query", "true: only open items due within 24 hours"},
		{"public", "query", "true: only the online desk's questions answered and published"},
		{"answered", "query", "true: only the valid items answered (whatever came after: visited, closed), as the report counts items answered; with whole days from/to, total is exact"},
		{"from", "query", "received on or after (YYYY-MM-DD or RFC 3339)"},
		{"to", "query", "received before (YYYY-MM-DD: before the end of that day, or RFC 3339)"},
		{"answered_from", "query", "first answered on or after (YYYY-MM-DD or RFC 3339), whenever received; with only units, the period of receipt and answered_to besides, total is counted"},
		{"answered_to", "query", "first answered before (YYYY-MM-DD: before the end of that day, or RFC 3339)"},
		{"closed_from", "query", "closed on or after (YYYY-MM-DD or RFC 3339), whenever received (a reopened item is not closed until closed again); with only units, the period of receipt and closed_to besides, total is counted"},
		{"closed_to", "query", "closed before (YYYY-MM-DD: before the end of that day, or RFC 3339)"},
		{"sort", "query", "relevance (default with q: the newest matches, most relevant first), newest (with q: most recently filed first), oldest or due"},
		{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"},
	}
	number := param{"number", "path", "tracking number, e.g. 2021-000123"}
	matterParam := param{"id", "path", "the matter's id"}
	const codeGuesses = "wrong access codes per tracking number and per client address (serve --code-guess-limit)"
	return append([]route{
		{method: "GET", pattern: "/healthz", handler: s.healthz, summary: "Liveness and database check: 503 (status database unavailable or degraded) while the database does not answer or refuses writes", response: "Health", status: 200},
		{method: "GET", pattern: "/metrics", handler: s.metricsHandler, summary: "Prometheus metrics", response: "text", status: 200},
		{method: "GET", pattern: "/api/v1/openapi.json", handler: s.openapi, summary: "This API description (OpenAPI 3)", response: "object", status: 200},
		{method: "GET", pattern: "/api/v1/open311.openapi.json", handler: s.open311OpenAPI, summary: "The Open311 GeoReport v2 routes under /open311/v2/ (OpenAPI 3)", response: "object", status: 200},
		{method: "GET", pattern: "/api/v1/meta", handler: s.meta, summary: "Codes and Chinese labels of kinds, channels, classes, statuses, actions, and the matters' counted outcomes the bureau accepts", response: "Meta", status: 200},
		{method: "POST", pattern: "/api/v1/items", handler: s.createItem, auth: "optional", summary: "File an item (citizens without a token; staff with one: into their own unit or, without a unit, the dispatch queue; leaders and admins into any unit; partners never, 403)", request: "Submission", response: "Created", status: 201,
			limited: "anonymous items per client address (serve --intake-limit)"},
		{method: "GET", pattern: "/api/v1/items", handler: s.listItems, auth: "staff", exports: true, summary: "List and search items of the units the caller may see", response: "ItemPage", status: 200, params: listParams},
		{method: "GET", pattern: "/api/v1/items/{number}", handler: s.getItem, auth: "optional", summary: "One item with its timeline: the staff view with a token, the citizen's view (CitizenView, an allow-list) with ?access_code=", response: "ItemView|CitizenView", status: 200, limited: codeGuesses,
			params: []param{number, {"access_code", "query", "the citizen's access code"}}},
		{method: "GET", pattern: "/api/v1/items/{number}/contact", handler: s.revealContact, auth: "staff", summary: "Reveal the citizen's unmasked contact (recorded as an event)", response: "Contact", status: 200, params: []param{number}},
		{method: "GET", pattern: "/api/v1/items/{number}/photos/{id}", handler: s.getPhoto, auth: "optional", summary: "A photo of an item", response: "binary", status: 200, limited: codeGuesses,
			params: []param{number, {"id", "path", "photo id"}, {"access_code", "query", "the citizen's access code"}}},
		{method: "GET", pattern: "/api/v1/items/{number}/attachments/{id}", handler: s.getAttachment, auth: "optional", summary: "A file of an item's answer: a photo, or a PDF as a download under its name", response: "binary", status: 200, limited: codeGuesses,
			params: []param{number, {"id", "path", "attachment id"}, {"access_code", "query", "the citizen's access code"}}},
		{method: "POST", pattern: "/api/v1/items/{number}/actions", handler: s.act, auth: "optional", summary: "Apply a lifecycle action (400 without version, 409 on a stale version, 422 on an illegal transition); citizens may rate with ?access_code= and get the CitizenItem", request: "Command", response: "Item|CitizenItem", status: 200, limited: codeGuesses,
			params: []param{number, {"access_code", "query", "the citizen's access code (action rate only)"}}},
		{method: "GET", pattern: "/api/v1/matters", handler: s.listMatters, auth: "staff", exports: true, summary: "List and search the practical matters (实事台账) of the units the caller may see, newest first, with the count of all matches (total)", response: "MatterPage", status: 200,
			params: []param{{"q", "query", "full-text search of title, description, story and place, simplified or traditional Chinese"},
				{"status", "query", "planned, in_progress, done or dropped"}, {"unit", "query", "unit code"}, {"branch", "query", "party branch code"},
				{"lead", "query", "user name of the lead officer"}, {"led", "query", "true: the matters led by a named officer (领办), as the summary counts led"},
				{"participant", "query", "user name of a participant"}, {"class", "query", "concern class code"},
				{"item", "query", "tracking number: the matters that answer this item"}, campaignFilter,
				{"outcome", "query", "a counted outcome's code (GET /api/v1/meta's matter outcomes): the matters that report it, whose values the answer adds up as outcome_sum (not with q)"},
				{"from", "query", "done on or after (YYYY-MM-DD)"}, {"to", "query", "done on or before (YYYY-MM-DD)"},
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "POST", pattern: "/api/v1/matters", handler: s.createMatter, auth: "staff", summary: "Record a practical matter, planned (staff into their own unit; leaders and admins into any; partners never, 403)", request: "MatterRequest", response: "Matter", status: 201},
		{method: "GET", pattern: "/api/v1/matters/{id}", handler: s.getMatter, auth: "staff", summary: "One practical matter, the beneficiary's personal data masked", response: "Matter", status: 200, params: []param{matterParam}},
		{method: "GET", pattern: "/api/v1/matters/{id}/beneficiary", handler: s.revealBeneficiary, auth: "staff", summary: "Reveal the beneficiary's unmasked personal data to officers, unit heads, leaders and admins (recorded as an event; moves the version)", response: "Beneficiary", status: 200, params: []param{matterParam}},
		{method: "PATCH", pattern: "/api/v1/matters/{id}", handler: s.patchMatter, auth: "staff", summary: "Change the fields sent of a matter (400 without version, 409 on a stale version; partners 403)", request: "MatterPatch", response: "Matter", status: 200, params: []param{matterParam}},
		{method: "POST", pattern: "/api/v1/matters/{id}/actions", handler: s.actOnMatter, auth: "staff", summary: "Apply a lifecycle action: start, progress (a dated entry), complete (with the outcome story and counted outcomes) or drop (with the reason); 400 without version, 409 on a stale version, 422 on an illegal transition", request: "MatterAction", response: "Matter", status: 200, params: []param{matterParam}},
		{method: "GET", pattern: "/api/v1/stats", handler: s.stats, auth: "staff", summary: "Counts and rates (三率) by unit for a period of receipt", response: "Stats", status: 200,
			params: []param{{"from", "query", "first day, YYYY-MM-DD"}, {"to", "query", "last day, YYYY-MM-DD"}, {"unit", "query", "unit code"}}},
		{method: "GET", pattern: "/api/v1/units", handler: s.listUnits, summary: "The organisation's units", response: "UnitList", status: 200},
		{method: "POST", pattern: "/api/v1/units", handler: s.createUnit, auth: "admin", summary: "Add a unit", request: "Unit", response: "Unit", status: 201},
		{method: "PUT", pattern: "/api/v1/units/{code}", handler: s.updateUnit, auth: "admin", summary: "Change a unit: name, kind, parent, township, dispatch_by_bureau (the code stays)", request: "Unit", response: "Unit", status: 200,
			params: []param{{"code", "path", "the unit's code"}}},
		{method: "GET", pattern: "/api/v1/units/{code}/workload", handler: s.unitWorkload, auth: "staff", summary: "The workload per officer of a unit (承办人工作量): open items in their charge, overdue ones, first answered this month; for the unit's head, leaders and admins (others 403)", response: "Workload", status: 200,
			params: []param{{"code", "path", "the unit's code"}}},
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
		{method: "GET", pattern: "/api/v1/notifications", handler: s.listNotifications, auth: "staff", summary: "The caller's own notifications (dispatched to their unit, put in their charge, due soon, overdue, sent back to be done again, supervised, their unit's daily digest), newest first, with the unread count", response: "NotificationPage", status: 200,
			params: []param{{"unread", "query", "true: only the unread"}, {"before", "query", "next of the previous page"}, {"limit", "query", "1–100, default 50"}}},
		{method: "POST", pattern: "/api/v1/notifications/read", handler: s.readAllNotifications, auth: "staff", summary: "Mark every notification of the caller read", response: "Unread", status: 200},
		{method: "POST", pattern: "/api/v1/notifications/{id}/read", handler: s.readNotification, auth: "staff", summary: "Mark one of the caller's notifications read (another user's is 404; twice is no error)", response: "Unread", status: 200,
			params: []param{{"id", "path", "notification id"}}},
		{method: "GET", pattern: "/api/v1/webhooks", handler: s.listWebhooks, auth: "admin", summary: "Partner webhooks (never their secrets)", response: "WebhookList", status: 200},
		{method: "POST", pattern: "/api/v1/webhooks", handler: s.createWebhook, auth: "admin", summary: "Add a webhook; its signing secret is returned once. A url naming an inside address (loopback, private, link-local, localhost) is 400 unless serve --webhook-allow allows it", request: "WebhookRequest", response: "NewWebhook", status: 201},
		{method: "PUT", pattern: "/api/v1/webhooks/{id}", handler: s.updateWebhook, auth: "admin", summary: "Change a webhook's url, events or active; omitted fields stay", request: "WebhookChange", response: "Webhook", status: 200,
			params: []param{{"id", "path", "webhook id"}}},
		{method: "GET", pattern: "/api/v1/webhooks/{id}/deliveries", handler: s.listWebhookDeliveries, auth: "admin", summary: "A webhook's delivery log, newest first", response: "DeliveryPage", status: 200,
			params: []param{{"id", "path", "webhook id"}, {"status", "query", "pending, sent or failed"}, {"before", "query", "next_before of the previous page"}, {"limit", "query", "1–100, default 50"}}},
		{method: "GET", pattern: "/api/v1/notices", handler: s.listNoticesAPI, auth: "admin", summary: "SMS notices to citizens, newest first: phones masked, access codes blanked", response: "NoticePage", status: 200,
			params: []param{{"status", "query", "pending, sent or failed"}, {"item", "query", "tracking number"}, {"before", "query", "next_before of the previous page"}, {"limit", "query", "1–100, default 50"}}},
	}, append(append(append(append(append(s.ledgerRoutes(), s.measureRoutes()...), append(append(s.summaryRoutes(), s.reportRoutes()...), s.issuedRoutes()...)...), s.importRoutes()...), s.campaignRoutes()...), append(append(append(append(s.photoRoutes(), s.publicityRoutes()...), s.indicatorRoutes()...), s.disputeRoutes()...), append(s.onestopRoutes(), append(s.bookingRoutes(), s.surveyRoutes()...)...)...)...)...)
}
