package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
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
		op["responses"] = map[string]any{
			itoa(rt.status): map[string]any{"description": "success", "content": responseContent(rt.response)},
			"default":       map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}},
		}
		entry, _ := paths[path].(map[string]any)
		if entry == nil {
			entry = map[string]any{}
			paths[path] = entry
		}
		entry[strings.ToLower(rt.method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "minyi API", "version": minyi.Version,
			"description": "群众意见（民意档案）收集、办理、答复、回访与销号。Errors are always {code, message, fields}."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
			"schemas":         mergeSchemas(schemas(), outboundSchemas()),
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
	return map[string]any{"application/json": map[string]any{"schema": ref(name)}}
}

func enum(labels []archive.Label) map[string]any {
	codes := make([]string, len(labels))
	for i, l := range labels {
		codes[i] = l.Code
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

var (
	str     = map[string]any{"type": "string"}
	num     = map[string]any{"type": "number"}
	intg    = map[string]any{"type": "integer"}
	boolean = map[string]any{"type": "boolean"}
	when    = map[string]any{"type": "string", "format": "date-time"}
)

func arr(items any) map[string]any { return map[string]any{"type": "array", "items": items} }

// described returns a copy of schema with a description.
func described(schema map[string]any, description string) map[string]any {
	out := map[string]any{"description": description}
	for k, v := range schema {
		out[k] = v
	}
	return out
}

// The two times of an item, described where they appear.
var (
	collectedOn = described(when, "collected on: when the item came in, which staff may date back for a paper slip "+
		"(at most the server's --backdate-days, default 30; citizens cannot set it); periods and rates count from it")
	enteredAt = described(when, "when the item was entered into the archive; its time limit (due_at) runs from it")
)

func schemas() map[string]any {
	actions := []archive.Label{}
	for _, a := range archive.Actions() {
		actions = append(actions, archive.Label{Code: string(a)})
	}
	contact := obj(nil, map[string]any{"anonymous": boolean, "name": str, "phone": str, "id_number": str})
	location := obj(nil, map[string]any{"township": str, "village": str, "address": str, "lat": num, "lng": num})
	limit := obj([]string{"Amount", "Unit"}, map[string]any{"Amount": intg, "Unit": map[string]any{"type": "string", "enum": []string{"working_days", "working_hours"}}})
	rates := obj(nil, map[string]any{"response_rate": num, "resolution_rate": num, "satisfaction_rate": num, "on_time_rate": num, "return_rate": num, "redo_rate": num})
	item := obj([]string{"number", "version", "status"}, map[string]any{
		"number": str, "version": intg, "kind": enum(archive.Kinds), "channel": enum(archive.Channels),
		"channel_detail": str, "class": enum(archive.Classes), "category": str, "title": str, "text": str,
		"status": enum(archive.Statuses), "unit": str, "contact": contact, "location": location, "publish": boolean,
		"received_at": collectedOn, "entered_at": enteredAt, "due_at": when, "responded_at": when, "answered_at": when, "closed_at": when,
		"on_time": boolean, "satisfaction": enum(archive.Satisfactions), "returns": intg, "redos": intg,
		"extensions": intg, "supervisions": intg, "merged_into": str, "public_reply": str, "updated_at": when,
	})
	event := obj([]string{"seq", "type", "at"}, map[string]any{"seq": intg, "item": str, "type": str, "actor": str,
		"at": when, "from": str, "to": str, "body": str, "public": boolean, "data": map[string]any{"type": "object"}})
	unit := obj([]string{"code", "name", "kind"}, map[string]any{"id": intg, "code": str, "name": str, "kind": str, "parent_code": str, "township": str})
	category := obj([]string{"code", "name", "limit"}, map[string]any{"id": intg, "code": str, "name": str, "description": str,
		"group": str, "keywords": str, "class": enum(archive.Classes), "unit": str, "limit": limit, "active": boolean})
	user := obj([]string{"name", "role"}, map[string]any{"id": intg, "name": str, "display_name": str, "role": str,
		"unit_code": str, "branch_code": str, "party_member": boolean, "disabled": boolean})
	entry := obj([]string{"Date", "Kind"}, map[string]any{"Date": str, "Kind": map[string]any{"type": "string", "enum": []string{"holiday", "workday"}}, "Name": str})
	return map[string]any{
		"Error": obj([]string{"code", "message", "fields"}, map[string]any{"code": str, "message": str,
			"fields": map[string]any{"type": "object", "additionalProperties": str}}),
		"Health": obj([]string{"status"}, map[string]any{"status": str, "version": str, "database": str, "uptime_seconds": intg}),
		"Meta":   map[string]any{"type": "object"},
		"Submission": obj([]string{"kind", "channel", "text"}, map[string]any{
			"kind": enum(archive.Kinds), "channel": enum(archive.Channels), "channel_detail": str,
			"class": enum(archive.Classes), "category": str, "unit": str, "title": str, "text": str,
			"contact": contact, "location": location, "publish": boolean, "received_at": collectedOn,
			"photos": arr(obj([]string{"data"}, map[string]any{"data": map[string]any{"type": "string", "format": "byte"}})),
		}),
		"Created": obj([]string{"number", "access_code", "status", "due_at"}, map[string]any{"number": str,
			"access_code": str, "status": enum(archive.Statuses), "received_at": collectedOn, "entered_at": enteredAt,
			"due_at": when, "unit": str, "warning": str,
			"version": intg, "tracking_url": str}),
		"Item":     item,
		"ItemView": obj([]string{"item", "events"}, map[string]any{"item": item, "events": arr(event)}),
		"ItemPage": obj([]string{"items"}, map[string]any{"items": arr(item), "next_cursor": str}),
		"Contact":  contact,
		"Command": obj([]string{"action", "version"}, map[string]any{"action": enum(actions), "version": intg,
			"body": str, "unit": str, "satisfaction": enum(archive.Satisfactions), "extension": limit, "into": str,
			"publish": boolean}),
		"Stats": obj([]string{"from", "to", "counts", "rates", "by_unit"}, map[string]any{"from": str, "to": str,
			"unit": str, "counts": map[string]any{"type": "object"}, "rates": rates, "overdue_now": intg,
			"by_unit": arr(obj(nil, map[string]any{"unit": str, "counts": map[string]any{"type": "object"}, "rates": rates}))}),
		"Unit":            unit,
		"UnitList":        obj([]string{"units"}, map[string]any{"units": arr(unit)}),
		"BranchList":      obj([]string{"branches"}, map[string]any{"branches": arr(map[string]any{"type": "object"})}),
		"Category":        category,
		"CategoryList":    obj([]string{"categories"}, map[string]any{"categories": arr(category)}),
		"User":            user,
		"UserList":        obj([]string{"users"}, map[string]any{"users": arr(user)}),
		"NewUser":         obj([]string{"user", "initial_password"}, map[string]any{"user": user, "initial_password": str}),
		"Calendar":        obj([]string{"years", "entries"}, map[string]any{"years": arr(intg), "entries": arr(entry)}),
		"CalendarEntries": obj([]string{"entries"}, map[string]any{"entries": arr(entry)}),
	}
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.openAPIDocument())
}
