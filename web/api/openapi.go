package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/dispute/kind"
	"minyi/docx"
	"minyi/notify"
	"minyi/org"
	"minyi/outbox"
	"minyi/outcome"
	"minyi/pubchannel"
	"minyi/web/core"
	"minyi/web/openapi"
	"minyi/xlsx"
)

// openAPIDocument builds the OpenAPI 3 description from the route table, so
// every served route is described and nothing described is unserved.
func (s *API) openAPIDocument() map[string]any {
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
		if rt.exports {
			params = append(params, map[string]any{"name": "format", "in": "query", "required": false,
				"description": fmt.Sprintf("json (the default: a page), csv or xlsx: every record the filter selects as a file (UTF-8 CSV with a byte order mark, or a workbook: Chinese headers, the header row frozen and filtered, days as dates); the cursor and limit are ignored; over %d records is 400 naming from, any other format 400 naming format", core.DefaultExportMaxRows),
				"schema":      map[string]any{"type": "string", "enum": []string{"json", "csv", "xlsx"}}},
				map[string]any{"name": "reveal", "in": "query", "required": false,
					"description": "1 with format=csv|xlsx: the personal data in full (items' contacts, matters' beneficiaries, disputes' parties) for those who may reveal them (403 otherwise), each record shown recorded in its history as a reveal naming the export; 400 on the other lists and without format",
					"schema":      map[string]any{"type": "string", "enum": []string{"0", "1"}}})
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
		if isXLSX(rt.request) {
			file := map[string]any{"type": "string", "format": "binary"}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				xlsx.ContentType:      map[string]any{"schema": file},
				"multipart/form-data": map[string]any{"schema": openapi.Obj([]string{"file"}, map[string]any{"file": file})}}}
		} else if rt.request != "" {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": openapi.Ref(rt.request)}}}
		}
		success := responseContent(rt.response)
		if rt.exports {
			success["text/csv"] = map[string]any{"schema": map[string]any{"type": "string"}}
			success[xlsx.ContentType] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
		}
		responses := map[string]any{
			itoa(rt.status): map[string]any{"description": "success", "content": success},
			"default":       map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": openapi.Ref("Error")}}},
		}
		if rt.response == "ImportResult" {
			responses["200"] = map[string]any{"description": "dry run: every row is good; nothing was written", "content": responseContent(rt.response)}
			responses["422"] = map[string]any{"description": "a row has a problem: every problem by row and column; nothing was written", "content": responseContent(rt.response)}
		}
		if rt.limited != "" {
			responses["429"] = map[string]any{"description": "over an abuse limit: " + rt.limited + "; nothing was done",
				"headers": map[string]any{"Retry-After": map[string]any{"description": "seconds until the limit's window ends",
					"schema": map[string]any{"type": "integer", "minimum": 1}}},
				"content": map[string]any{"application/json": map[string]any{"schema": openapi.Ref("Error")}}}
		}
		// The database's own failures, at every route: never 500.
		retry := map[string]any{"Retry-After": map[string]any{"description": "seconds to wait", "schema": map[string]any{"type": "integer"}}}
		responses["503"] = map[string]any{"description": "the database is unavailable (code unavailable)",
			"headers": retry, "content": map[string]any{"application/json": map[string]any{"schema": openapi.Ref("Error")}}}
		if rt.method != "GET" {
			responses["507"] = map[string]any{"description": "storage is full: nothing can be written (code storage_full)",
				"headers": retry, "content": map[string]any{"application/json": map[string]any{"schema": openapi.Ref("Error")}}}
		}
		op["responses"] = responses
		openapi.AddOperation(paths, path, rt.method, op)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "minyi API", "version": minyi.Version,
			"description": "群众意见（民意档案）收集、办理、答复、回访与销号。Errors are always {code, message, fields}; a method an address does not take is 405 with Allow; times are in +08:00."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "a staff API token (mny_…): minyi token create NAME or the account page; expires (default 90 days) and is revoked with a password, role or unit change or a disabled account; 401 when expired, revoked or unknown"}},
			"schemas": mergeSchemas(schemas(), requestSchemas(), outboundSchemas(), matterSchemas(), ledgerSchemas(), measureSchemas(), summarySchemas(), reportSchemas(), issuedSchemas(), importSchemas(), campaignSchemas(), publicitySchemas(), indicatorSchemas(), disputeSchemas(), onestopSchemas(), bookingSchemas(), surveySchemas()),
		},
	}
}

func operationID(rt route) string {
	return openapi.OperationID(rt.method, rt.pattern)
}

func itoa(n int) string { return strconv.Itoa(n) }

func responseContent(name string) map[string]any {
	switch name {
	case "text":
		return map[string]any{"text/plain": map[string]any{"schema": map[string]any{"type": "string"}}}
	case "html":
		return map[string]any{"text/html": map[string]any{"schema": map[string]any{"type": "string"}}}
	case "xlsx":
		return map[string]any{xlsx.ContentType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
	case "binary":
		return map[string]any{"image/*": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
	case "document":
		return map[string]any{"application/octet-stream": map[string]any{"schema": map[string]any{"type": "string", "format": "binary",
			"description": "the document's bytes; Content-Type is its own, Content-Disposition names it"}}}
	case "object":
		return map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}
	case "ReportDocument":
		// The report in the format asked for (format=).
		return map[string]any{"application/json": map[string]any{"schema": openapi.Ref(name)},
			"text/html":      map[string]any{"schema": map[string]any{"type": "string", "description": "format=html: a printable page"}},
			"text/markdown":  map[string]any{"schema": map[string]any{"type": "string", "description": "format=md"}},
			docx.ContentType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary", "description": "format=docx: a Word document"}}}
	}
	if staff, citizen, ok := strings.Cut(name, "|"); ok {
		// One route, two readers: staff get the first, the citizen with an
		// access code the second.
		return map[string]any{"application/json": map[string]any{"schema": map[string]any{"oneOf": []any{openapi.Ref(staff), openapi.Ref(citizen)}}}}
	}
	return map[string]any{"application/json": map[string]any{"schema": openapi.Ref(name)}}
}

func enum(labels []archive.Label) map[string]any {
	codes := make([]string, len(labels))
	for i, l := range labels {
		codes[i] = l.Code
	}
	return map[string]any{"type": "string", "enum": codes}
}

// closed is obj for what clients send: the server refuses a field it does
// not know (core.DecodeJSON), and so does the schema.
func closed(required []string, props map[string]any) map[string]any {
	o := openapi.Obj(required, props)
	o["additionalProperties"] = false
	return o
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
func serverSet(schema map[string]any) map[string]any { return openapi.With(schema, "readOnly", true) }

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
			"unit":   openapi.EnumOf([]calendar.Unit{u})})
	}
	return map[string]any{"oneOf": []any{
		branch(calendar.WorkingDays, minDays, calendar.MaxLimitDays),
		branch(calendar.WorkingHours, 1, calendar.MaxLimitHours)}}
}

// mark is one of a rating's optional marks (archive.Marks): 1 to 5.
var mark = map[string]any{"type": "integer", "minimum": 1, "maximum": 5}

// The two times of an item, described where they appear.
var (
	collectedOn = openapi.With(openapi.When, "description", "collected on: when the item came in, which staff may date back for a paper slip "+
		"(at most the server's --backdate-days, default 30; citizens cannot set it); periods and rates count from it")
	enteredAt = openapi.With(openapi.When, "description", "when the item was entered into the archive; its time limit (due_at) runs from it")
)

// rateSchema is one of the rates: a fraction, null when there is nothing to
// divide by.
var rateSchema = map[string]any{"type": "number", "minimum": 0, "maximum": 1, "nullable": true}

func schemas() map[string]any {
	contact := openapi.Obj(nil, map[string]any{"anonymous": openapi.Bool, "name": openapi.Str, "phone": openapi.Str, "id_number": openapi.Str})
	location := openapi.Obj(nil, map[string]any{"township": openapi.Str, "village": openapi.Str, "address": openapi.Str, "lat": openapi.Num, "lng": openapi.Num, "share_location": openapi.Bool})
	rates := openapi.Obj(nil, map[string]any{"response_rate": rateSchema, "resolution_rate": rateSchema, "satisfaction_rate": rateSchema, "on_time_rate": rateSchema, "return_rate": rateSchema, "redo_rate": rateSchema})
	fileURL := openapi.With(openapi.Str, "description", "where the API serves the file (/api/v1/items/{number}/photos/{id} or …/attachments/{id}); a citizen adds ?access_code= as for the item")
	photo := openapi.Obj([]string{"id"}, map[string]any{"id": openapi.Int, "content_type": openapi.Str, "size": openapi.Int, "sha256": openapi.Str, "url": fileURL})
	attachment := openapi.Obj([]string{"id", "name", "content_type", "size", "sha256", "url"}, map[string]any{"id": openapi.Int,
		"event_seq": openapi.With(openapi.Int, "description", "the answer's event (staff only: a citizen's view lists the files under their answer)"),
		"name":      openapi.Str, "content_type": openapi.With(openapi.Str, "enum", append(slices.Clone(archive.PhotoTypes), archive.ContentTypePDF)),
		"size": openapi.Int, "sha256": openapi.Str, "url": fileURL})
	item := openapi.Obj([]string{"number", "version", "status"}, map[string]any{
		"number": openapi.Str, "version": openapi.Int, "kind": enum(archive.Kinds), "channel": enum(archive.Channels),
		"channel_detail": openapi.Str, "class": enum(archive.Classes), "category": openapi.Str, "title": openapi.Str, "text": openapi.Str,
		"status": enum(archive.Statuses), "unit": openapi.Str, "contact": contact, "location": location, "publish": openapi.Bool,
		"assignee":    openapi.With(openapi.Str, "description", "the user name of the officer in charge (承办人); absent until one is named"),
		"received_at": collectedOn, "entered_at": enteredAt, "due_at": openapi.When, "responded_at": openapi.When, "answered_at": openapi.When, "closed_at": openapi.When,
		"on_time": openapi.Bool, "satisfaction": enum(archive.Satisfactions), "returns": openapi.Int, "redos": openapi.Int,
		"extensions": openapi.Int, "supervisions": openapi.Int, "merged_into": openapi.Str, "public_reply": openapi.Str, "updated_at": openapi.When,
		"desk_title": openapi.Str, "desk_text": openapi.Str, "desk_answer": openapi.Str, "photos": openapi.Arr(photo),
	})
	event := openapi.Obj([]string{"seq", "type", "at"}, map[string]any{"seq": openapi.Int, "item": openapi.Str, "type": openapi.Str, "actor": openapi.Str,
		"at": openapi.When, "from": openapi.Str, "to": openapi.Str, "body": openapi.Str, "public": openapi.Bool, "data": map[string]any{"type": "object"}})
	citizenItem := openapi.Obj([]string{"number", "version", "status", "can_rate"}, map[string]any{
		"number": openapi.Str, "version": openapi.Int, "kind": enum(archive.Kinds), "channel": enum(archive.Channels),
		"category": openapi.Str, "title": openapi.Str, "text": openapi.Str, "status": enum(archive.Statuses), "unit": openapi.Str,
		"contact": contact, "publish": openapi.Bool, "received_at": collectedOn, "entered_at": enteredAt, "due_at": openapi.When,
		"responded_at": openapi.When, "answered_at": openapi.When, "closed_at": openapi.When, "satisfaction": enum(archive.Satisfactions),
		"public_reply": openapi.Str, "photos": openapi.Arr(photo), "can_rate": openapi.Bool,
		"can_add":      openapi.With(openapi.Bool, "description", "the citizen may add information now (add_info): until the item is closed out"),
		"can_withdraw": openapi.With(openapi.Bool, "description", "the citizen may withdraw the item now (withdraw): until it is answered"),
	})
	citizenEvent := openapi.Obj([]string{"type", "at"}, map[string]any{"type": openapi.Str, "at": openapi.When, "from": openapi.Str, "to": openapi.Str, "body": openapi.Str,
		"attachments": openapi.With(openapi.Arr(attachment), "description", "an answer's own files")})
	user := openapi.Obj([]string{"name", "role"}, map[string]any{"id": openapi.Int, "name": openapi.Str, "display_name": openapi.Str, "role": openapi.Str,
		"unit_code": openapi.Str, "branch_code": openapi.Str, "party_member": openapi.Bool, "disabled": openapi.Bool})
	requests := requestSchemas()
	return map[string]any{
		"Error": openapi.Obj([]string{"code", "message", "fields"}, map[string]any{"code": openapi.Str, "message": openapi.Str,
			"fields": map[string]any{"type": "object", "additionalProperties": openapi.Str},
			// Only for a client whose Accept-Language asks for Mongolian.
			"mn": openapi.Obj([]string{"message", "fields"}, map[string]any{"message": openapi.Str,
				"fields": map[string]any{"type": "object", "additionalProperties": openapi.Str}})}),
		"Health": openapi.Obj([]string{"status"}, map[string]any{"status": map[string]any{"type": "string", "enum": []string{"ok", "degraded", "database unavailable"}},
			"version": openapi.Str, "database": openapi.Str, "uptime_seconds": openapi.Int, "writes": openapi.Str}),
		"Meta": openapi.Obj(nil, map[string]any{"matter_outcomes": openapi.Arr(openapi.Obj([]string{"code", "zh", "en"}, map[string]any{
			"code": map[string]any{"type": "string", "pattern": outcome.CodePattern}, "zh": openapi.Str, "en": openapi.Str,
			"unit": map[string]any{"type": "string", "description": "the Chinese unit word (头, 只, 元); absent when none"}})),
			"publicity_channels": openapi.With(openapi.Arr(openapi.Obj([]string{"code", "zh", "en"}, map[string]any{
				"code": map[string]any{"type": "string", "pattern": pubchannel.CodePattern}, "zh": openapi.Str, "en": openapi.Str})),
				"description", "the channels a new publicity piece may name, in the bureau's order (its setting publicity_channels)"),
			"dispute_kinds": openapi.With(openapi.Arr(openapi.Obj([]string{"code", "zh", "en"}, map[string]any{
				"code": map[string]any{"type": "string", "pattern": kind.CodePattern}, "zh": openapi.Str, "en": openapi.Str})),
				"description", "the kinds a new dispute may name, in the bureau's order (its setting dispute_kinds)")}),
		"Created": openapi.Obj([]string{"number", "access_code", "status", "due_at"}, map[string]any{"number": openapi.Str,
			"access_code": openapi.Str, "status": enum(archive.Statuses), "received_at": collectedOn, "entered_at": enteredAt,
			"due_at": openapi.When, "unit": openapi.Str, "warning": openapi.Str, "version": openapi.Int, "tracking_url": openapi.Str,
			"receipt_sms": map[string]any{"type": "string", "enum": []string{"withheld"},
				"description": "withheld: the phone number had its receipts by SMS for the hour (serve --sms-limit); none was sent, the item is filed"}}),
		"Item": item,
		"ItemView": openapi.Obj([]string{"item", "events", "attachments"}, map[string]any{"item": item, "events": openapi.Arr(event),
			"attachments": openapi.With(openapi.Arr(attachment), "description", "every answer's files, each with its answer's event_seq")}),
		"CitizenItem": citizenItem,
		"CitizenView": openapi.Obj([]string{"item", "events"}, map[string]any{"item": citizenItem, "events": openapi.Arr(citizenEvent),
			"redo": openapi.With(openapi.Obj([]string{"at"}, map[string]any{"at": openapi.When, "reason": openapi.Str}),
				"description", "while the item is done again (重办): since when, and the citizen's own reason when they gave it by rating")}),
		"ItemPage": openapi.Obj([]string{"items"}, map[string]any{"items": openapi.Arr(item), "next_cursor": openapi.Str}),
		"Contact":  contact,
		"Stats": openapi.Obj([]string{"from", "to", "counts", "rates", "by_unit"}, map[string]any{"from": openapi.Str, "to": openapi.Str,
			"unit": openapi.Str, "counts": map[string]any{"type": "object"}, "rates": rates, "overdue_now": openapi.Int,
			"by_unit": openapi.Arr(openapi.Obj(nil, map[string]any{"unit": openapi.Str, "counts": map[string]any{"type": "object"}, "rates": rates}))}),
		"UnitList":     openapi.Obj([]string{"units"}, map[string]any{"units": openapi.Arr(openapi.Ref("Unit"))}),
		"BranchList":   openapi.Obj([]string{"branches"}, map[string]any{"branches": openapi.Arr(map[string]any{"type": "object"})}),
		"CategoryList": openapi.Obj([]string{"categories"}, map[string]any{"categories": openapi.Arr(openapi.Ref("Category"))}),
		"UserList":     openapi.Obj([]string{"users"}, map[string]any{"users": openapi.Arr(user)}),
		"NewUser":      openapi.Obj([]string{"user", "initial_password"}, map[string]any{"user": openapi.Ref("User"), "initial_password": openapi.Str}),
		"Calendar": openapi.Obj([]string{"years", "entries"}, map[string]any{"years": openapi.Arr(openapi.Int),
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

	contact := closed(nil, map[string]any{"anonymous": openapi.Bool, "name": openapi.Text(archive.MaxShortRunes, false),
		"phone": map[string]any{"type": "string", "maxLength": archive.MaxPhoneRunes, "pattern": archive.PhonePattern},
		"id_number": map[string]any{"type": "string", "pattern": archive.IDNumberPattern,
			"description": "a resident ID number with a valid check digit"}})
	// An anonymous item carries no name, phone or ID number.
	contact["anyOf"] = []any{
		map[string]any{"properties": map[string]any{"anonymous": map[string]any{"enum": []any{false}}}},
		map[string]any{"not": present("name", "phone", "id_number")}}
	location := closed(nil, map[string]any{"township": openapi.Text(archive.MaxShortRunes, false),
		"village": openapi.Text(archive.MaxShortRunes, false), "address": openapi.Text(archive.MaxDetailRunes, false),
		"lat": map[string]any{"type": "number", "minimum": -90, "maximum": 90},
		"lng": map[string]any{"type": "number", "minimum": -180, "maximum": 180}})
	// lat and lng go together.
	location["anyOf"] = []any{map[string]any{"required": []string{"lat", "lng"}}, map[string]any{"not": present("lat", "lng")}}
	photo := closed([]string{"data"}, map[string]any{"data": map[string]any{"type": "string", "format": "byte",
		"minLength": 1, "maxLength": (archive.MaxPhotoBytes + 2) / 3 * 4,
		"description": "base64 of a JPEG, PNG, GIF or WebP image"}})

	attribute := closed([]string{"code", "datatype", "description"}, map[string]any{
		"code": code("unique within the category"), "datatype": openapi.EnumOf(archive.AttributeTypes),
		"description": name(archive.MaxDetailRunes), "required": openapi.Bool, "order": openapi.Int,
		"values": openapi.Arr(closed([]string{"key", "name"}, map[string]any{"key": nonBlank, "name": nonBlank}))})
	// List types are answered from values; the others have none.
	attribute["oneOf"] = []any{
		map[string]any{"required": []string{"values"}, "properties": map[string]any{
			"datatype": openapi.EnumOf(archive.ListTypes), "values": map[string]any{"minItems": 1}}},
		map[string]any{"properties": map[string]any{"datatype": openapi.EnumOf(nonLists), "values": map[string]any{"maxItems": 0}}}}
	user := closed([]string{"name", "role"}, map[string]any{"id": serverSet(openapi.Int), "name": code("the login name"),
		"display_name": openapi.With(name(org.MaxNameRunes), "minLength", 0, "pattern", "^$|"+archive.NonBlankPattern),
		"role":         openapi.EnumOf(roles), "unit_code": code("the unit; every role but " + strings.Join(seeAll, " and ") + " needs one"),
		"branch_code": code("the party branch"), "party_member": openapi.Bool, "disabled": openapi.Bool, "created_at": serverSet(openapi.When)})
	user["anyOf"] = []any{map[string]any{"properties": map[string]any{"role": openapi.EnumOf(seeAll)}}, map[string]any{"required": []string{"unit_code"}}}
	url := map[string]any{"type": "string", "format": "uri", "maxLength": outbox.MaxURLBytes, "pattern": `^https?://[^/?#]+`,
		"description": "an absolute http or https URL"}
	eventList := map[string]any{"type": "array", "minItems": 1, "items": openapi.With(openapi.EnumOf(events),
		"description", `an event type, or "`+outbox.AllEvents+`" for all`)}

	return map[string]any{
		"Submission": closed([]string{"kind", "channel", "text"}, map[string]any{
			"kind":           enum(archive.Kinds),
			"channel":        openapi.With(enum(channels), "description", "citizens (without a token) write through the citizen channels only; see GET /api/v1/meta"),
			"channel_detail": openapi.Text(archive.MaxDetailRunes, false),
			"class":          enum(archive.Classes),
			"category":       code("an active category (GET /api/v1/categories)"),
			"unit":           code("a unit (GET /api/v1/units)"),
			"title":          openapi.Text(archive.MaxTitleRunes, false),
			"text":           openapi.Text(archive.MaxTextRunes, true),
			"contact":        contact, "location": location, "publish": openapi.Bool,
			"received_at": collectedOn,
			"photos":      map[string]any{"type": "array", "maxItems": archive.MaxPhotos, "items": photo},
		}),
		"NotificationPage": openapi.Obj([]string{"items", "unread"}, map[string]any{"unread": openapi.Int,
			"next": openapi.With(openapi.Int, "description", "before for the next page; absent on the last"),
			"items": openapi.Arr(openapi.Obj([]string{"id", "kind", "unit", "register", "record", "at", "read"}, map[string]any{
				"id": openapi.Int, "kind": openapi.EnumOf(notify.Kinds), "unit": openapi.Str,
				"register": openapi.With(openapi.Str, "description", "items, or units for a digest"),
				"record":   openapi.With(openapi.Str, "description", "the item's tracking number, or the unit's code for a digest"),
				"title":    openapi.With(openapi.Str, "description", "the item's title, phone and ID numbers masked; a digest's day"),
				"due_at":   openapi.When, "at": openapi.When, "read": openapi.Bool,
				"data": openapi.With(map[string]any{"type": "object", "additionalProperties": openapi.Str}, "description", "a digest's counts: dispatched, due_soon, overdue, redo")}))}),
		"Unread": openapi.Obj([]string{"unread"}, map[string]any{"unread": openapi.Int}),
		"Workload": openapi.Obj([]string{"unit", "officers"}, map[string]any{"unit": openapi.Str, "officers": openapi.Arr(openapi.Obj([]string{"assignee"}, map[string]any{
			"assignee": openapi.Str, "open": openapi.Int, "overdue": openapi.Int, "answered_this_month": openapi.Int}))}),
		"Command": closed([]string{"action", "version"}, map[string]any{
			"action": openapi.EnumOf(archive.Actions()), "version": openapi.With(openapi.Int, "minimum", 1, "description", "the item's version as last seen"),
			"body": openapi.Text(archive.MaxTextRunes, false), "unit": code("dispatch, transfer: the unit"),
			"satisfaction": openapi.With(enum(archive.Satisfactions), "description", "visit, rate: the five levels of 好差评; below satisfied (basic_satisfied and worse) needs a body saying why"),
			"marks": openapi.With(closed(nil, map[string]any{"speed": mark, "result": mark, "attitude": mark}),
				"description", "visit, rate: optional marks from 1 (worst) to 5 (best) for the handling's speed, result and attitude"),
			"extension": limitSchema(1),
			"into":      openapi.With(openapi.Str, "description", "merge: the tracking number of an unfinished item"), "publish": openapi.Bool,
			"assignee": openapi.With(openapi.Str, "description", "assign: the user name of an active officer or head of the item's unit, or me"),
			"attachments": map[string]any{"type": "array", "maxItems": archive.MaxAttachments, "description": "answer: photos (JPEG, PNG, GIF, WebP, 5 MB each) or PDF documents (10 MB), 20 MB in all, judged from their bytes; the citizen opens them from the tracking page",
				"items": closed([]string{"data"}, map[string]any{"name": openapi.Text(archive.MaxAttachmentNameLen, false),
					"data": map[string]any{"type": "string", "format": "byte", "description": "the file's bytes, base64"}})},
			"desk": openapi.With(closed(nil, map[string]any{"title": openapi.Text(archive.MaxTitleRunes, false), "text": openapi.Text(archive.MaxTextRunes, false),
				"answer": openapi.Text(archive.MaxTextRunes, false)}), "description", "set_publish with publish true: the public version for the online desk; an empty field keeps the draft")}),
		"Unit": closed([]string{"code", "name", "kind"}, map[string]any{"id": serverSet(openapi.Int), "code": code("the unit's code"),
			"name": name(org.MaxNameRunes), "name_en": openapi.With(openapi.Text(org.MaxNameRunes, false), "description", "the name English readers see; empty: the Chinese name"),
			"name_mn": openapi.With(openapi.Text(org.MaxNameRunes, false), "description", "the name Mongolian readers see, in the traditional script; empty: the Chinese name"),
			"kind":    openapi.EnumOf(unitKinds), "parent_code": code("an existing unit"), "township": openapi.Str,
			"dispatch_by_bureau": openapi.With(openapi.Bool, "description", "true: the items addressed to the unit (its QR code, its staff's entries, its meetings) wait for the bureau's dispatch")}),
		"Category": closed([]string{"code", "name", "limit"}, map[string]any{"id": serverSet(openapi.Int), "code": code("the category's code"),
			"name": openapi.Text(archive.MaxShortRunes, true), "description": openapi.Text(archive.MaxDescriptionRunes, false),
			"name_en": openapi.With(openapi.Text(archive.MaxShortRunes, false), "description", "the name English readers see; empty: the Chinese name"),
			"name_mn": openapi.With(openapi.Text(archive.MaxShortRunes, false), "description", "the name Mongolian readers see, in the traditional script; empty: the Chinese name"),
			"group":   openapi.Text(archive.MaxShortRunes, false), "keywords": openapi.Text(archive.MaxDetailRunes, false),
			"class": enum(archive.Classes), "unit": code("the unit items of the category go to"), "limit": limitSchema(0),
			"active":     openapi.With(openapi.Bool, "description", "default true"),
			"attributes": openapi.With(openapi.Arr(attribute), "description", "questions asked beyond the text (Open311 service attributes)")}),
		"User": user,
		"CalendarEntries": closed([]string{"entries"}, map[string]any{"entries": openapi.With(openapi.Arr(closed([]string{"date", "kind"}, map[string]any{
			"date": map[string]any{"type": "string", "format": "date", "pattern": calendar.DatePattern, "description": "YYYY-MM-DD, once in the request"},
			"kind": openapi.EnumOf(calendar.DayKinds), "name": openapi.Str})), "minItems", 1)}),
		"APIKeyRequest": closed([]string{"name"}, map[string]any{"name": code("the client's name"),
			"contact": map[string]any{"type": "string", "maxLength": org.MaxContactRunes},
			"rate_per_minute": map[string]any{"type": "integer", "minimum": 0, "maximum": org.MaxRatePerMinute,
				"description": "requests a minute; 0 or absent: " + itoa(org.DefaultRatePerMinute)}}),
		"WebhookRequest": closed([]string{"name", "url", "events"}, map[string]any{"name": name(outbox.MaxWebhookNameRunes),
			"url": url, "events": eventList, "active": openapi.With(openapi.Bool, "description", "default true"),
			"format": openapi.With(openapi.EnumOf(outbox.Formats), "description", "default minyi; wecom or dingtalk: a group robot, told of the alerts of its unit (its events are ignored)"),
			"unit":   openapi.With(openapi.Str, "description", "a robot's unit code; absent: every unit"),
			"secret": openapi.With(openapi.Str, "description", "a DingTalk robot's 加签 secret (SEC…), which signs its calls; minyi's format makes its own")}),
		"WebhookChange": closed(nil, map[string]any{"url": url, "events": eventList, "active": openapi.Bool, "unit": openapi.With(openapi.Str, "description", "a robot's unit code; empty: every unit")}),
	}
}

func (s *API) openapi(w http.ResponseWriter, r *http.Request) error {
	core.WriteJSON(w, http.StatusOK, s.openAPIDocument())
	return nil
}
