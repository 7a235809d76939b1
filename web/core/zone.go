package core

import (
	"reflect"
	"sync"
	"time"

	"minyi/calendar"
)

// The store reads times back in UTC and the server's clock has its own
// zone; clients of the API see one zone, the bureau's (+08:00), whatever
// value a handler answers with. inBureauZone converts at the edge, in
// WriteJSON, so no handler or domain type has to remember it.

var timeType = reflect.TypeFor[time.Time]()

// inBureauZone returns v with every time.Time it holds in an exported field,
// a slice, an array, a map, a pointer or an interface moved into the
// bureau's zone. v itself is not changed: what holds times is copied.
func inBureauZone(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || !holdsTime(rv.Type()) {
		return v
	}
	return zoned(rv).Interface()
}

func zoned(v reflect.Value) reflect.Value {
	t := v.Type()
	if t == timeType {
		tm := v.Interface().(time.Time)
		if tm.IsZero() {
			return v
		}
		return reflect.ValueOf(tm.In(calendar.Zone))
	}
	if !holdsTime(t) {
		return v
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(zoned(v.Elem()))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t).Elem()
		out.Set(zoned(v.Elem()))
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v)
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && holdsTime(f.Type) {
				out.Field(i).Set(zoned(v.Field(i)))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(zoned(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(zoned(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), zoned(it.Value()))
		}
		return out
	}
	return v
}

// timeHolders remembers, per type, whether a value of it can hold a time.
var timeHolders sync.Map // reflect.Type → bool

// holdsTime reports whether a value of type t can hold a time.Time that
// encoding/json would write.
func holdsTime(t reflect.Type) bool {
	if v, ok := timeHolders.Load(t); ok {
		return v.(bool)
	}
	holds := holdsTimeIn(t, map[reflect.Type]bool{})
	timeHolders.Store(t, holds)
	return holds
}

// holdsTimeIn is holdsTime for a type met inside the types in seen, which
// a type referring to itself does not look at twice.
func holdsTimeIn(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == timeType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsTimeIn(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && holdsTimeIn(f.Type, seen) {
				return true
			}
		}
	}
	return false
}
