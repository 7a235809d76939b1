package core

import (
	"errors"
	"net/http"

	"minyi"
)

// StatusOf is the one place where error codes become HTTP statuses.
func StatusOf(code string) int {
	switch code {
	case minyi.EInvalid:
		return http.StatusBadRequest
	case minyi.EIllegal:
		return http.StatusUnprocessableEntity
	case minyi.ENotFound:
		return http.StatusNotFound
	case minyi.EConflict:
		return http.StatusConflict
	case minyi.EForbidden:
		return http.StatusForbidden
	case minyi.EUnauthorized:
		return http.StatusUnauthorized
	case minyi.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case minyi.ETooMany:
		return http.StatusTooManyRequests
	case minyi.EUnavailable:
		return http.StatusServiceUnavailable
	case minyi.EStorageFull:
		return http.StatusInsufficientStorage
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the API's one error shape: {"code","message","fields"}.
type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

// Error writes err as JSON; internal details go to the log only.
func (s *Base) Error(w http.ResponseWriter, r *http.Request, err error) {
	s.ErrorStatus(w, r, Status(w, err), err)
}

// ErrorStatus is error with a status that no code decides (405).
func (s *Base) ErrorStatus(w http.ResponseWriter, r *http.Request, status int, err error) {
	code := minyi.ErrorCode(err)
	body := errorBody{Code: code, Message: minyi.ErrorMessage(err), Fields: map[string]string{}}
	var e *minyi.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			body.Fields[f.Field] = f.Message()
		}
	}
	s.Failed(w, r, status, err)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="minyi"`)
	}
	WriteJSON(w, status, body)
}

// NotFoundRoute is the error of an address no route serves.
func NotFoundRoute(r *http.Request) error {
	return minyi.Errorf(minyi.ENotFound, "没有这个地址 / no such endpoint: %s %s", r.Method, r.URL.Path)
}
