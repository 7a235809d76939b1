// Package openapi builds the pieces of the OpenAPI 3 documents that the
// JSON API (web/api) and Open311 (web/open311) serve: schemas, references,
// operations.
package openapi

import (
	"regexp"
	"strings"

	"minyi/archive"
)

// The schemas of JSON's plain values.
var (
	Str  = map[string]any{"type": "string"}
	Num  = map[string]any{"type": "number"}
	Int  = map[string]any{"type": "integer"}
	Bool = map[string]any{"type": "boolean"}
	When = map[string]any{"type": "string", "format": "date-time"}
)

// TotalCapped is the schema of a list page's total_capped
// (register.Page.TotalCapped), beside its total.
var TotalCapped = map[string]any{"type": "boolean", "description": "true (else absent) when more records match the search q " +
	"than a list counts (1,000): total is then that cap, a lower bound (\"more than total\"); an exact count of a word " +
	"in half a register costs a count of half the register, as Elasticsearch's track_total_hits. A list without q always " +
	"has its exact total"}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

// OperationID names the operation of method at path: the method in lower
// case and the path's words run together.
func OperationID(method, path string) string {
	return strings.ToLower(method) + nonWord.ReplaceAllString(strings.ReplaceAll(path, "/", " "), "")
}

// Ref refers to the schema name of the document's components.
func Ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// EnumOf is the schema of a string that is one of values.
func EnumOf[T ~string](values []T) map[string]any {
	codes := make([]string, len(values))
	for i, v := range values {
		codes[i] = string(v)
	}
	return map[string]any{"type": "string", "enum": codes}
}

// Obj is an object with props, of which required must be present.
func Obj(required []string, props map[string]any) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// Arr is an array of items.
func Arr(items any) map[string]any { return map[string]any{"type": "array", "items": items} }

// With returns a copy of schema with more keywords.
func With(schema map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(schema)+len(kv)/2)
	for k, v := range schema {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// Text is free text of at most max characters as archive's checkText
// takes it; required text must hold more than white space.
func Text(max int, required bool) map[string]any {
	if required {
		return map[string]any{"type": "string", "minLength": 1, "maxLength": max, "pattern": archive.RequiredTextPattern}
	}
	return map[string]any{"type": "string", "maxLength": max, "pattern": archive.TextPattern}
}

// AddOperation files op under its path and method in an OpenAPI paths object.
func AddOperation(paths map[string]any, path, method string, op map[string]any) {
	entry, _ := paths[path].(map[string]any)
	if entry == nil {
		entry = map[string]any{}
		paths[path] = entry
	}
	entry[strings.ToLower(method)] = op
}
