package web

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
	"minyi/outbox"
)

// openAPIDocument builds the OpenAPI 3 description from the route table, so
// every served route is described and nothing described is unserved.
func (s *Server) openAPIDocument() map[string]any {
	paths := map[string]any{}
	for _, rt := range s.routeTable() {
		if rt.pattern == "/{$}" {
			continue
		}
		path := strings.TrimSuffix(rt.pattern, "{$}")
		op := map[string]any{"summary": rt.summary, "operationId": operationID(rt)}
		var params []any
		for _, p := range rt.params {
			params = append(params, map[string]any{"name": p.name, "in": p.in, "description": p.description,
				"required": p.in == "path", "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		switch rt.auth {
		case "staff", "admin":
			op["security"] = []any{map[string]any{"bearer": []any{}}}
		case "optional":
			op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{}}
		default:
			op["security"] = []any{}
		}
		if rt.request != "" {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": ref(rt.request)}}}
		}
		responses := map[string]any{
			itoa(rt.status): map[string]any{"description": "success", "content": responseContent(rt.response)},
			"default":       map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}},
		}
		if rt.limited != "" {
			responses["429"] = map[string]any{"description": "over an abuse limit: " + rt.limited + "; nothing was done",
				"headers": map[string]any{"Retry-After": map[string]any{"description": "seconds until the limit's window ends",
					"schema": map[string]any{"type": "integer", "minimum": 1}}},
				"content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
		}
		// The database's own failures, at every route: never 500.
		retry := map[string]any{"Retry-After": map[string]any{"description": "seconds to wait", "schema": map[string]any{"type": "integer"}}}
		responses["503"] = map[string]any{"description": "the database is unavailable (code unavailable)",
			"headers": retry, "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
		if rt.method != "GET" {
			responses["507"] = map[string]any{"description": "storage is full: nothing can be written (code storage_full)",
				"headers": retry, "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
		}
		op["responses"] = responses
		addOperation(paths, path, rt.method, op)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "minyi API", "version": minyi.Version,
			"description": "群众意见（民意档案）收集、办理、答复、回访与销号。Errors are always {code, message, fields}; a method an address does not take is 405 with Allow; times are in +08:00."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "a staff API token (mny_…): minyi token create NAME or the account page; expires (default 90 days) and is revoked with a password, role or unit change or a disabled account; 401 when expired, revoked or unknown"}},
			"schemas": mergeSchemas(schemas(), requestSchemas(), outboundSchemas()),
		},
	}
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

func operationID(rt route) string {
	return strings.ToLower(rt.method) + nonWord.ReplaceAllString(strings.ReplaceAll(rt.pattern, "/", " "), "")
}

func itoa(n int) string { return strconv.Itoa(n) }

func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func responseContent(name string) map[string]any {
	switch name {
	case "text":
		return map[string]any{"text/plain": map[string]any{"schema": map[string]any{"type": "string"}}}
	case "html":
		return map[string]any{"text/html": map[string]any{"schema": map[string]any{"type": "string"}}}
	case "binary":
		return map[string]any{"image/*": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
	case "object":
		return map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}
	}
	if staff, citizen, ok := strings.Cut(name, "|"); ok {
		// One route, two readers: staff get the first, the citizen with an
		// access code the second.
		return map[string]any{"application/json": map[string]any{"schema": map[string]any{"oneOf": []any{ref(staff), ref(citizen)}}}}
	}
	return map[string]any{"application/json": map[string]any{"schema": ref(name)}}
}

func enum(labels []archive.Label) map[string]any {
	codes := make([]string, len(labels))
	for i, l := range labels {
		codes[i] = l.Code
	}
	return map[string]any{"type": "string", "enum": codes}
}

// enumOf is the schema of a string that is one of values.
func enumOf[T ~string](values []T) map[string]any {
	codes := make([]string, len(values))
	for i, v := range values {
		codes[i] = string(v)
	}
	return map[string]any{"type": "string", "enum": codes}
}

func obj(required []string, props map[string]any) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// closed is obj for what clients send: the server refuses a field it does
// not know (decodeJSON), and so does the schema.
func closed(required []string, props map[string]any) map[string]any {
	o := obj(required, props)
	o["additionalProperties"] = false
	return o
}

var (
	str     = map[string]any{"type": "string"}
	num     = map[string]any{"type": "number"}
	intg    = map[string]any{"type": "integer"}
	boolean = map[string]any{"type": "boolean"}
	when    = map[string]any{"type": "string", "format": "date-time"}
)

func arr(items any) map[string]any { return map[string]any{"type": "array", "items": items} }

// with returns a copy of schema with more keywords.
func with(schema map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(schema)+len(kv)/2)
	for k, v := range schema {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// text is free text of at most max characters as archive's checkText
// takes it; required text must hold more than white space.
func text(max int, required bool) map[string]any {
	if required {
		return map[string]any{"type": "string", "minLength": 1, "maxLength": max, "pattern": archive.RequiredTextPattern}
	}
	return map[string]any{"type": "string", "maxLength": max, "pattern": archive.TextPattern}
}

// name is a name the server trims and counts: 1 to max characters, not all
// white space.
func name(max int) map[string]any {
	return map[string]any{"type": "string", "minLength": 1, "maxLength": max, "pattern": archive.NonBlankPattern}
}

// nonBlank is text that must hold more than white space.
var nonBlank = map[string]any{"type": "string", "minLength": 1, "pattern": archive.NonBlankPattern}

// code is a unit, category, user or client code.
func code(description string) map[string]any {
	return map[string]any{"type": "string", "pattern": org.CodePattern, "description": description}
}

// serverSet marks what the server sets: sent back, ignored when sent.
func serverSet(schema map[string]any) map[string]any { return with(schema, "readOnly", true) }

// limitSchema is a time limit: working days from minDays, or working hours.
// The JSON keys are calendar.Limit's (snake_case; the server also takes
// the older Amount and Unit).
func limitSchema(minDays int) map[string]any {
	branch := func(u calendar.Unit, lo, hi int) map[string]any {
		required := []string{"unit"}
		if lo > 0 { // an absent amount is 0
			required = append(required, "amount")
		}
		return closed(required, map[string]any{
			"amount": map[string]any{"type": "integer", "minimum": lo, "maximum": hi},
			"unit":   enumOf([]calendar.Unit{u})})
	}
	return map[string]any{"oneOf": []any{
		branch(calendar.WorkingDays, minDays, calendar.MaxLimitDays),
		branch(calendar.WorkingHours, 1, calendar.MaxLimitHours)}}
}

// The two times of an item, described where they appear.
var (
	collectedOn = with(when, "description", "collected on: when the item came in, which staff may date back for a paper slip "+
		"(at most the server's --backdate-days, default 30; citizens cannot set it); periods and rates count from it")
	enteredAt = with(when, "description", "when the item was entered into the archive; its time limit (due_at) runs from it")
)

// rateSchema is one of the rates: a fraction, null when there is nothing to
// divide by.
var rateSchema = map[string]any{"type": "number", "minimum": 0, "maximum": 1, "nullable": true}

func schemas() map[string]any {
	contact := obj(nil, map[string]any{"anonymous": boolean, "name": str, "phone": str, "id_number": str})
	location := obj(nil, map[string]any{"township": str, "village": str, "address": str, "lat": num, "lng": num, "share_location": boolean})
	rates := obj(nil, map[string]any{"response_rate": rateSchema, "resolution_rate": rateSchema, "satisfaction_rate": rateSchema, "on_time_rate": rateSchema, "return_rate": rateSchema, "redo_rate": rateSchema})
	photo := obj([]string{"id"}, map[string]any{"id": intg, "content_type": str, "size": intg, "sha256": str})
	item := obj([]string{"number", "version", "status"}, map[string]any{
		"number": str, "version": intg, "kind": enum(archive.Kinds), "channel": enum(archive.Channels),
		"channel_detail": str, "class": enum(archive.Classes), "category": str, "title": str, "text": str,
		"status": enum(archive.Statuses), "unit": str, "contact": contact, "location": location, "publish": boolean,
		"received_at": collectedOn, "entered_at": enteredAt, "due_at": when, "responded_at": when, "answered_at": when, "closed_at": when,
		"on_time": boolean, "satisfaction": enum(archive.Satisfactions), "returns": intg, "redos": intg,
		"extensions": intg, "supervisions": intg, "merged_into": str, "public_reply": str, "updated_at": when,
		"desk_title": str, "desk_text": str, "desk_answer": str,
	})
	event := obj([]string{"seq", "type", "at"}, map[string]any{"seq": intg, "item": str, "type": str, "actor": str,
		"at": when, "from": str, "to": str, "body": str, "public": boolean, "data": map[string]any{"type": "object"}})
	citizenItem := obj([]string{"number", "version", "status", "can_rate"}, map[string]any{
		"number": str, "version": intg, "kind": enum(archive.Kinds), "channel": enum(archive.Channels),
		"category": str, "title": str, "text": str, "status": enum(archive.Statuses), "unit": str,
		"contact": contact, "publish": boolean, "received_at": collectedOn, "entered_at": enteredAt, "due_at": when,
		"responded_at": when, "answered_at": when, "closed_at": when, "satisfaction": enum(archive.Satisfactions),
		"public_reply": str, "photos": arr(photo), "can_rate": boolean,
	})
	citizenEvent := obj([]string{"type", "at"}, map[string]any{"type": str, "at": when, "from": str, "to": str, "body": str})
	user := obj([]string{"name", "role"}, map[string]any{"id": intg, "name": str, "display_name": str, "role": str,
		"unit_code": str, "branch_code": str, "party_member": boolean, "disabled": boolean})
	requests := requestSchemas()
	return map[string]any{
		"Error": obj([]string{"code", "message", "fields"}, map[string]any{"code": str, "message": str,
			"fields": map[string]any{"type": "object", "additionalProperties": str}}),
		"Health": obj([]string{"status"}, map[string]any{"status": map[string]any{"type": "string", "enum": []string{"ok", "degraded", "database unavailable"}},
			"version": str, "database": str, "uptime_seconds": intg, "writes": str}),
		"Meta": map[string]any{"type": "object"},
		"Created": obj([]string{"number", "access_code", "status", "due_at"}, map[string]any{"number": str,
			"access_code": str, "status": enum(archive.Statuses), "received_at": collectedOn, "entered_at": enteredAt,
			"due_at": when, "unit": str, "warning": str, "version": intg, "tracking_url": str,
			"receipt_sms": map[string]any{"type": "string", "enum": []string{"withheld"},
				"description": "withheld: the phone number had its receipts by SMS for the hour (serve --sms-limit); none was sent, the item is filed"}}),
		"Item":        item,
		"ItemView":    obj([]string{"item", "events"}, map[string]any{"item": item, "events": arr(event)}),
		"CitizenItem": citizenItem,
		"CitizenView": obj([]string{"item", "events"}, map[string]any{"item": citizenItem, "events": arr(citizenEvent)}),
		"ItemPage":    obj([]string{"items"}, map[string]any{"items": arr(item), "next_cursor": str}),
		"Contact":     contact,
		"Stats": obj([]string{"from", "to", "counts", "rates", "by_unit"}, map[string]any{"from": str, "to": str,
			"unit": str, "counts": map[string]any{"type": "object"}, "rates": rates, "overdue_now": intg,
			"by_unit": arr(obj(nil, map[string]any{"unit": str, "counts": map[string]any{"type": "object"}, "rates": rates}))}),
		"UnitList":     obj([]string{"units"}, map[string]any{"units": arr(ref("Unit"))}),
		"BranchList":   obj([]string{"branches"}, map[string]any{"branches": arr(map[string]any{"type": "object"})}),
		"CategoryList": obj([]string{"categories"}, map[string]any{"categories": arr(ref("Category"))}),
		"UserList":     obj([]string{"users"}, map[string]any{"users": arr(user)}),
		"NewUser":      obj([]string{"user", "initial_password"}, map[string]any{"user": ref("User"), "initial_password": str}),
		"Calendar": obj([]string{"years", "entries"}, map[string]any{"years": arr(intg),
			"entries": requests["CalendarEntries"].(map[string]any)["properties"].(map[string]any)["entries"]}),
	}
}

// requestSchemas are the bodies clients send, with the rules the server
// enforces: a request the schema accepts is accepted unless it names
// something that does not exist (a unit, a category, a duplicate code) or
// breaks a rule that depends on who sends it; a request the schema refuses
// is refused with 400 naming the field. The limits come from the domain's
// constants and lists, so the document follows them.
func requestSchemas() map[string]any {
	var channels []archive.Label
	for _, c := range archive.Channels {
		if c.Code != string(archive.ChannelOpen311) { // files through Open311 only
			channels = append(channels, c)
		}
	}
	var roles, seeAll, unitKinds []string
	for _, r := range org.Roles {
		roles = append(roles, string(r.Role))
		if (org.User{Role: r.Role}).SeesAll() {
			seeAll = append(seeAll, string(r.Role))
		}
	}
	for _, k := range org.UnitKinds {
		unitKinds = append(unitKinds, string(k.Kind))
	}
	var nonLists []string
	for _, t := range archive.AttributeTypes {
		if !slices.Contains(archive.ListTypes, t) {
			nonLists = append(nonLists, t)
		}
	}
	events := []string{outbox.AllEvents}
	for _, e := range outbox.EventTypes {
		events = append(events, string(e))
	}
	present := func(fields ...string) map[string]any {
		var alts []any
		for _, f := range fields {
			alts = append(alts, map[string]any{"required": []string{f}})
		}
		return map[string]any{"anyOf": alts}
	}

	contact := closed(nil, map[string]any{"anonymous": boolean, "name": text(archive.MaxShortRunes, false),
		"phone": map[string]any{"type": "string", "maxLength": archive.MaxPhoneRunes, "pattern": archive.PhonePattern},
		"id_number": map[string]any{"type": "string", "pattern": archive.IDNumberPattern,
			"description": "a resident ID number with a valid check digit"}})
	// An anonymous item carries no name, phone or ID number.
	contact["anyOf"] = []any{
		map[string]any{"properties": map[string]any{"anonymous": map[string]any{"enum": []any{false}}}},
		map[string]any{"not": present("name", "phone", "id_number")}}
	location := closed(nil, map[string]any{"township": text(archive.MaxShortRunes, false),
		"village": text(archive.MaxShortRunes, false), "address": text(archive.MaxDetailRunes, false),
		"lat": map[string]any{"type": "number", "minimum": -90, "maximum": 90},
		"lng": map[string]any{"type": "number", "minimum": -180, "maximum": 180}})
	// lat and lng go together.
	location["anyOf"] = []any{map[string]any{"required": []string{"lat", "lng"}}, map[string]any{"not": present("lat", "lng")}}
	photo := closed([]string{"data"}, map[string]any{"data": map[string]any{"type": "string", "format": "byte",
		"minLength": 1, "maxLength": (archive.MaxPhotoBytes + 2) / 3 * 4,
		"description": "base64 of a JPEG, PNG, GIF or WebP image"}})

	attribute := closed([]string{"code", "datatype", "description"}, map[string]any{
		"code": code("unique within the category"), "datatype": enumOf(archive.AttributeTypes),
		"description": name(archive.MaxDetailRunes), "required": boolean, "order": intg,
		"values": arr(closed([]string{"key", "name"}, map[string]any{"key": nonBlank, "name": nonBlank}))})
	// List types are answered from values; the others have none.
	attribute["oneOf"] = []any{
		map[string]any{"required": []string{"values"}, "properties": map[string]any{
			"datatype": enumOf(archive.ListTypes), "values": map[string]any{"minItems": 1}}},
		map[string]any{"properties": map[string]any{"datatype": enumOf(nonLists), "values": map[string]any{"maxItems": 0}}}}
	user := closed([]string{"name", "role"}, map[string]any{"id": serverSet(intg), "name": code("the login name"),
		"display_name": with(name(org.MaxNameRunes), "minLength", 0, "pattern", "^$|"+archive.NonBlankPattern),
		"role":         enumOf(roles), "unit_code": code("the unit; every role but " + strings.Join(seeAll, " and ") + " needs one"),
		"branch_code": code("the party branch"), "party_member": boolean, "disabled": boolean, "created_at": serverSet(when)})
	user["anyOf"] = []any{map[string]any{"properties": map[string]any{"role": enumOf(seeAll)}}, map[string]any{"required": []string{"unit_code"}}}
	url := map[string]any{"type": "string", "format": "uri", "maxLength": outbox.MaxURLBytes, "pattern": `^https?://[^/?#]+`,
		"description": "an absolute http or https URL"}
	eventList := map[string]any{"type": "array", "minItems": 1, "items": with(enumOf(events),
		"description", `an event type, or "`+outbox.AllEvents+`" for all`)}

	return map[string]any{
		"Submission": closed([]string{"kind", "channel", "text"}, map[string]any{
			"kind":           enum(archive.Kinds),
			"channel":        with(enum(channels), "description", "citizens (without a token) write through the citizen channels only; see GET /api/v1/meta"),
			"channel_detail": text(archive.MaxDetailRunes, false),
			"class":          enum(archive.Classes),
			"category":       code("an active category (GET /api/v1/categories)"),
			"unit":           code("a unit (GET /api/v1/units)"),
			"title":          text(archive.MaxTitleRunes, false),
			"text":           text(archive.MaxTextRunes, true),
			"contact":        contact, "location": location, "publish": boolean,
			"received_at": collectedOn,
			"photos":      map[string]any{"type": "array", "maxItems": archive.MaxPhotos, "items": photo},
		}),
		"Command": closed([]string{"action", "version"}, map[string]any{
			"action": enumOf(archive.Actions()), "version": with(intg, "minimum", 1, "description", "the item's version as last seen"),
			"body": text(archive.MaxTextRunes, false), "unit": code("dispatch, transfer: the unit"),
			"satisfaction": enum(archive.Satisfactions), "extension": limitSchema(1),
			"into": with(str, "description", "merge: the tracking number of an unfinished item"), "publish": boolean,
			"desk": with(closed(nil, map[string]any{"title": text(archive.MaxTitleRunes, false), "text": text(archive.MaxTextRunes, false),
				"answer": text(archive.MaxTextRunes, false)}), "description", "set_publish with publish true: the public version for the online desk; an empty field keeps the draft")}),
		"Unit": closed([]string{"code", "name", "kind"}, map[string]any{"id": serverSet(intg), "code": code("the unit's code"),
			"name": name(org.MaxNameRunes), "kind": enumOf(unitKinds), "parent_code": code("an existing unit"), "township": str}),
		"Category": closed([]string{"code", "name", "limit"}, map[string]any{"id": serverSet(intg), "code": code("the category's code"),
			"name": text(archive.MaxShortRunes, true), "description": text(archive.MaxDescriptionRunes, false),
			"group": text(archive.MaxShortRunes, false), "keywords": text(archive.MaxDetailRunes, false),
			"class": enum(archive.Classes), "unit": code("the unit items of the category go to"), "limit": limitSchema(0),
			"active":     with(boolean, "description", "default true"),
			"attributes": with(arr(attribute), "description", "questions asked beyond the text (Open311 service attributes)")}),
		"User": user,
		"CalendarEntries": closed([]string{"entries"}, map[string]any{"entries": with(arr(closed([]string{"date", "kind"}, map[string]any{
			"date": map[string]any{"type": "string", "format": "date", "pattern": calendar.DatePattern, "description": "YYYY-MM-DD, once in the request"},
			"kind": enumOf(calendar.DayKinds), "name": str})), "minItems", 1)}),
		"APIKeyRequest": closed([]string{"name"}, map[string]any{"name": code("the client's name"),
			"contact": map[string]any{"type": "string", "maxLength": org.MaxContactRunes},
			"rate_per_minute": map[string]any{"type": "integer", "minimum": 0, "maximum": org.MaxRatePerMinute,
				"description": "requests a minute; 0 or absent: " + itoa(org.DefaultRatePerMinute)}}),
		"WebhookRequest": closed([]string{"name", "url", "events"}, map[string]any{"name": name(outbox.MaxWebhookNameRunes),
			"url": url, "events": eventList, "active": with(boolean, "description", "default true")}),
		"WebhookChange": closed(nil, map[string]any{"url": url, "events": eventList, "active": boolean}),
	}
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.openAPIDocument())
	return nil
}

// addOperation files op under its path and method in an OpenAPI paths object.
func addOperation(paths map[string]any, path, method string, op map[string]any) {
	entry, _ := paths[path].(map[string]any)
	if entry == nil {
		entry = map[string]any{}
		paths[path] = entry
	}
	entry[strings.ToLower(method)] = op
}
