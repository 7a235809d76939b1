package store

import (
	"context"
	"errors"
	"strings"

	"minyi"
)

// wrap turns a database error into a minyi error: unavailable or storage
// full when the database itself failed (classify), else internal. Minyi
// errors (already meaningful) are left alone.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var e *minyi.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &minyi.Error{Code: minyi.EUnavailable, Message: "请求已取消或超时 / request cancelled or timed out", Err: err}
	}
	if e := classify(err); e != nil {
		return e
	}
	return minyi.Internal(err)
}

// notFound names what was not found and its key, e.g. "件 2021-000999 不存在 /
// item 2021-000999 not found".
// A nil key (a secret's hash, say) is not shown.
func notFound(zh, en string, key any) error {
	if key == nil {
		return minyi.Errorf(minyi.ENotFound, "%s不存在 / %s not found", zh, en)
	}
	return minyi.Errorf(minyi.ENotFound, "%s %v 不存在 / %s %v not found", zh, key, en, key)
}

func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

func duplicate(field, what string) error {
	return &minyi.Error{Code: minyi.EConflict, Message: what + "已存在 / " + field + " already exists",
		Fields: []minyi.FieldError{{Field: field, Zh: "已存在", En: "already exists"}}}
}
