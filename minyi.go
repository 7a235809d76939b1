// Package minyi holds what every part of the program shares: the error type
// whose code decides the HTTP status, and the version of the program.
//
// The domain lives in its own packages (archive, org, calendar, textsearch);
// technology sits at the edges (store for SQLite and PostgreSQL, web for HTTP).
package minyi

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Version is the program's release, reported by /healthz and `minyi help`.
const Version = "0.1.0"

// Error codes. Each maps to exactly one HTTP status in core.StatusOf (web/core/errors.go).
const (
	EInvalid      = "invalid"      // bad input: 400 or 422 depending on where it was found
	EIllegal      = "illegal"      // a lifecycle transition the rules forbid: 422
	ENotFound     = "not_found"    // 404
	EConflict     = "conflict"     // a stale version or a duplicate: 409
	EForbidden    = "forbidden"    // authenticated but not allowed: 403
	EUnauthorized = "unauthorized" // no or bad credentials: 401
	ETooLarge     = "too_large"    // body over the limit: 413
	ETooMany      = "too_many"     // over an abuse limit: 429, with Error.RetryAfter
	EInternal     = "internal"     // our fault: 500
	EUnavailable  = "unavailable"  // shutting down, overloaded or the database unreachable: 503
	EStorageFull  = "storage_full" // the disk or the database is full, nothing can be written: 507
)

// FieldError explains what is wrong with one input field, in Chinese and English.
type FieldError struct {
	Field string
	Zh    string
	En    string
}

// Message renders the bilingual text shown to users.
func (f FieldError) Message() string { return f.Zh + " / " + f.En }

// Error is the one error type that crosses package boundaries. Message is safe
// to show to users; internal causes stay in Err and only reach the log.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Err     error
	// RetryAfter is how long the caller should wait before trying again
	// (ETooMany); zero when waiting would not help.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.En)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with a code and a formatted user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure; users see only a generic message.
func Internal(err error) *Error {
	return &Error{Code: EInternal, Message: "内部错误 / internal error", Err: err}
}

// ErrorCode returns the code of err, EInternal for foreign errors and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EInternal
	}
}

// ErrorMessage returns the user-facing message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "内部错误 / internal error"
}

// RetryAfter returns how long err asks the caller to wait, or zero.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Problems collects field errors during validation so that a user learns about
// every bad field at once rather than one per attempt.
type Problems []FieldError

// Add records a problem with a field.
func (p *Problems) Add(field, zh, en string) { *p = append(*p, FieldError{field, zh, en}) }

// Merge adds the field errors of err, an error returned by Err.
func (p *Problems) Merge(err error) {
	var e *Error
	if errors.As(err, &e) {
		*p = append(*p, e.Fields...)
	}
}

// Err returns nil when nothing was recorded, otherwise an EInvalid error.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	fields := append([]FieldError(nil), p...)
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Field
	}
	return &Error{
		Code:    EInvalid,
		Message: "输入有误：" + strings.Join(names, "、") + " / invalid input: " + strings.Join(names, ", "),
		Fields:  fields,
	}
}

// Invalid returns an EInvalid error about a single field.
func Invalid(field, zh, en string) error {
	var p Problems
	p.Add(field, zh, en)
	return p.Err()
}
