package open311

import (
	"net/http"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/web/openapi"
)

// The Open311 GeoReport v2 routes described in OpenAPI 3, from
// open311Routes as the JSON API's description is from routeTable. What the
// route table does not say (the parameters and the answer of each
// endpoint) is in o311Docs, keyed like the table's entries; a route
// without an entry is described without them, which the tests refuse.

// o311Doc describes one entry of open311Routes.
type o311Doc struct {
	id     o311Param   // for a pattern's {file} taking any name: what the name is
	params []o311Param // query parameters, or the form fields of a POST
	answer string      // schema of the success answer
}

// o311Param is one parameter with its schema.
type o311Param struct {
	name, description string
	schema            map[string]any
	required          bool
}

// o311DocKey names an entry of open311Routes.
func o311DocKey(rt open311Route) string { return rt.method + " " + rt.pattern + " " + rt.name }

func o311Docs() map[string]o311Doc {
	const v2 = "/open311/v2/{file}"
	day := openapi.With(openapi.Str, "description", "ISO 8601; a bare YYYY-MM-DD is that whole day in China time")
	page := o311Param{"page", "page number, from 1 (our extension)", map[string]any{"type": "integer", "minimum": 1}, false}
	window := []o311Param{
		{"start_date", "from this time (of receipt; of the update); at most 90 days before end_date", day, false},
		{"end_date", "up to this time", day, false},
	}
	listing := append([]o311Param{
		{"service_request_id", "comma-separated ids, at most " + strconv.Itoa(o311MaxPageSize) + "; overrides every other parameter", openapi.Str, false},
		{"service_code", "a category's code", openapi.Str, false},
		{"status", "open, closed or both, comma-separated", openapi.Str, false},
		page,
		{"page_size", "entries a page (our extension)", map[string]any{"type": "integer", "minimum": 1, "maximum": o311MaxPageSize, "default": o311PageSize}, false},
	}, window...)
	updates := append([]o311Param{page,
		{"page_size", "updates a page (our extension)", map[string]any{"type": "integer", "minimum": 1, "maximum": o311MaxUpdatesPageSize, "default": o311UpdatesPageSize}, false},
	}, window...)
	form := []o311Param{
		{"api_key", "the client's key", openapi.Str, true},
		{"service_code", "an active service (category)", openapi.Str, true},
		{"description", "the request's text", openapi.Text(archive.MaxTextRunes, true), true},
		{"lat", "WGS-84 latitude, with long", map[string]any{"type": "number", "minimum": -90, "maximum": 90}, false},
		{"long", "WGS-84 longitude, with lat", map[string]any{"type": "number", "minimum": -180, "maximum": 180}, false},
		{"address_string", "the address, when there is no lat and long", openapi.Text(archive.MaxDetailRunes, false), false},
		{"address_id", "an address identifier", openapi.Str, false},
		{"share_location", "our extension: true (or 1) when the citizen agrees that anybody may read the address and the coordinates; otherwise only the township and village are shown",
			map[string]any{"type": "string", "enum": []string{"true", "1", "false", "0"}}, false},
		{"first_name", "the citizen's given name", openapi.Str, false},
		{"last_name", "the citizen's family name", openapi.Str, false},
		{"phone", "the citizen's phone; an SMS receipt is sent to it", map[string]any{"type": "string", "pattern": archive.PhonePattern}, false},
		{"media_url", "an http(s) URL, added to the text, never fetched", map[string]any{"type": "string", "format": "uri", "pattern": "^https?://"}, false},
		{"email", "accepted, not kept", openapi.Str, false},
		{"device_id", "accepted, not kept", openapi.Str, false},
		{"account_id", "accepted, not kept", openapi.Str, false},
	}
	return map[string]o311Doc{
		"GET " + v2 + " discovery":             {answer: "Discovery"},
		"GET " + v2 + " services":              {answer: "ServiceList"},
		"GET /open311/v2/services/{file} ":     {id: o311Param{name: "service_code", description: "a service's code"}, answer: "ServiceDefinition"},
		"POST " + v2 + " requests":             {params: form, answer: "RequestCreatedList"},
		"GET " + v2 + " requests":              {params: listing, answer: "ServiceRequestList"},
		"GET /open311/v2/requests/{file} ":     {id: o311Param{name: "service_request_id", description: "the tracking number"}, answer: "ServiceRequestList"},
		"GET /open311/v2/tokens/{file} ":       {id: o311Param{name: "token", description: "a token a POST returned"}, answer: "TokenList"},
		"GET " + v2 + " servicerequestupdates": {params: updates, answer: "UpdateList"},
		"OPTIONS " + v2 + " ":                  {id: o311Param{name: "endpoint", description: "any endpoint's name"}},
		"OPTIONS /open311/v2/services/{file} ": {id: o311Param{name: "service_code", description: "a service's code"}},
		"OPTIONS /open311/v2/requests/{file} ": {id: o311Param{name: "service_request_id", description: "the tracking number"}},
		"OPTIONS /open311/v2/tokens/{file} ":   {id: o311Param{name: "token", description: "a token"}},
	}
}

// Document builds the OpenAPI description of the Open311 routes, which the
// JSON API serves at /api/v1/open311.openapi.json.
func (s *Open311) Document() map[string]any {
	docs := o311Docs()
	paths := map[string]any{}
	for _, rt := range s.open311Routes() {
		d := docs[o311DocKey(rt)]
		stem := rt.name
		if stem == "" {
			stem = "{" + d.id.name + "}"
		}
		path := strings.Replace(rt.pattern, "{file}", stem+".{format}", 1)
		op := map[string]any{"summary": rt.summary, "operationId": openapi.OperationID(rt.method, path)}
		params := []any{map[string]any{"name": "format", "in": "path", "required": true,
			"description": "json or xml: the format of the answer", "schema": map[string]any{"type": "string", "enum": []string{formatJSON, formatXML}}}}
		if rt.name == "" {
			params = append(params, map[string]any{"name": d.id.name, "in": "path", "required": true, "description": d.id.description, "schema": openapi.Str})
		}
		if rt.method != http.MethodOptions {
			params = append(params, map[string]any{"name": "jurisdiction_id", "in": "query", "description": "accepted; another jurisdiction than the server's is 404", "schema": openapi.Str})
		}
		switch {
		case rt.method == http.MethodPost:
			props, required := map[string]any{}, []string{}
			for _, p := range d.params {
				props[p.name] = openapi.With(p.schema, "description", p.description)
				if p.required {
					required = append(required, p.name)
				}
			}
			props["attribute[code]"] = openapi.With(openapi.Str, "description", "the answer to the service's question code; attribute[code][] repeated for a multivaluelist")
			body := map[string]any{"schema": openapi.Obj(required, props)}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/x-www-form-urlencoded": body, "multipart/form-data": body}}
		case rt.method == http.MethodGet:
			if rt.auth != "key" {
				params = append(params, map[string]any{"name": "api_key", "in": "query", "description": "optional on reads; checked and counted when given", "schema": openapi.Str})
			}
			for _, p := range d.params {
				params = append(params, map[string]any{"name": p.name, "in": "query", "description": p.description, "required": p.required, "schema": p.schema})
			}
		}
		op["parameters"] = params
		errors := map[string]any{"description": "errors: 400 bad parameters, 403 api_key, 404 unknown, 405 method, 413 too large, 503/507 database unavailable or full (Retry-After)",
			"content": o311Content("ErrorList")}
		tooMany := map[string]any{"description": "over the key's rate, or (reads) over the client address's --open311-read-limit; Retry-After says when to try again",
			"headers": map[string]any{"Retry-After": map[string]any{"description": "seconds to wait", "schema": map[string]any{"type": "integer"}}},
			"content": o311Content("ErrorList")}
		if rt.method == http.MethodOptions {
			op["responses"] = map[string]any{"204": map[string]any{"description": "CORS preflight: GET from any origin"}, "default": errors}
		} else {
			op["responses"] = map[string]any{"200": map[string]any{"description": "success", "content": o311Content(d.answer)}, "429": tooMany, "default": errors}
		}
		openapi.AddOperation(paths, path, rt.method, op)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "minyi Open311 GeoReport v2", "version": minyi.Version,
			"description": "GeoReport v2 (" + o311Spec + ") with FixMyStreet's servicerequestupdates. Every address ends in .json or .xml, which chooses the format; the XML holds the same fields as the JSON. Reads need no key; filing needs api_key."},
		"servers":    []any{map[string]any{"url": "/"}},
		"paths":      paths,
		"components": map[string]any{"schemas": o311Schemas()},
	}
}

// o311Content is an answer in either format; the schema describes the JSON.
func o311Content(schema string) map[string]any {
	return map[string]any{
		"application/json": map[string]any{"schema": openapi.Ref(schema)},
		"text/xml":         map[string]any{"schema": map[string]any{"type": "string", "description": "the same fields as GeoReport v2 XML"}},
	}
}

func o311Schemas() map[string]any {
	status := map[string]any{"type": "string", "enum": []string{"open", "closed"}}
	stamp := openapi.With(openapi.When, "description", "ISO 8601 in China time")
	service := openapi.Obj([]string{"service_code", "service_name", "metadata", "type"}, map[string]any{"service_code": openapi.Str,
		"service_name": openapi.Str, "description": openapi.Str, "metadata": openapi.Bool, "type": map[string]any{"type": "string", "enum": []string{"realtime", "batch", "blackbox"}},
		"keywords": openapi.Str, "group": openapi.Str})
	attribute := openapi.Obj([]string{"variable", "code", "datatype", "required", "order", "description"}, map[string]any{
		"variable": openapi.Bool, "code": openapi.Str, "datatype": openapi.EnumOf(archive.AttributeTypes), "required": openapi.Bool,
		"datatype_description": openapi.Str, "order": openapi.Int, "description": openapi.Str,
		"values": openapi.Arr(openapi.Obj([]string{"key", "name"}, map[string]any{"key": openapi.Str, "name": openapi.Str}))})
	withheldNote := "a reply to the citizen of an Open311 request that names them shows as \"" + archive.Open311Withheld + "\""
	request := openapi.Obj([]string{"service_request_id", "status", "service_code", "description", "requested_datetime"}, map[string]any{
		"service_request_id": openapi.Str, "status": status, "status_notes": openapi.With(openapi.Str, "description", withheldNote), "service_name": openapi.Str, "service_code": openapi.Str,
		"description": openapi.Str, "agency_responsible": openapi.Str, "service_notice": openapi.Str, "requested_datetime": stamp,
		"updated_datetime":  openapi.With(stamp, "description", "when the last update servicerequestupdates lists happened"),
		"expected_datetime": stamp,
		"address":           openapi.With(openapi.Str, "description", "the township and village; with the citizen's consent (share_location) to an Open311 request, also the street address"),
		"lat":               openapi.With(openapi.Num, "description", "only with the citizen's consent to an Open311 request"),
		"long":              openapi.With(openapi.Num, "description", "only with the citizen's consent to an Open311 request")})
	return map[string]any{
		"Discovery": openapi.Obj([]string{"changeset", "contact", "key_service", "endpoints"}, map[string]any{"changeset": openapi.Str, "contact": openapi.Str,
			"key_service": openapi.Str, "endpoints": openapi.Arr(openapi.Obj([]string{"specification", "url", "type", "formats"}, map[string]any{
				"specification": openapi.Str, "url": openapi.Str, "changeset": openapi.Str, "type": openapi.Str, "formats": openapi.Arr(openapi.Str)}))}),
		"ServiceList":        openapi.Arr(service),
		"ServiceDefinition":  openapi.Obj([]string{"service_code", "attributes"}, map[string]any{"service_code": openapi.Str, "attributes": openapi.Arr(attribute)}),
		"ServiceRequestList": openapi.Arr(request),
		"RequestCreatedList": openapi.Arr(openapi.Obj([]string{"service_request_id"}, map[string]any{"service_request_id": openapi.Str, "token": openapi.Str, "service_notice": openapi.Str})),
		"TokenList":          openapi.Arr(openapi.Obj([]string{"token", "service_request_id"}, map[string]any{"token": openapi.Str, "service_request_id": openapi.Str})),
		"UpdateList": openapi.Arr(openapi.Obj([]string{"update_id", "service_request_id", "status", "updated_datetime"}, map[string]any{
			"update_id": openapi.Str, "service_request_id": openapi.Str, "status": status, "updated_datetime": stamp, "description": openapi.With(openapi.Str, "description", withheldNote)})),
		"ErrorList": openapi.Arr(openapi.Obj([]string{"code", "description"}, map[string]any{"code": openapi.Int, "description": openapi.Str})),
	}
}
