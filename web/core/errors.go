package core

import (
	"errors"
	"net/http"

	"minyi"
	"minyi/locale"
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

// errorBody is the API's one error shape: {"code","message","fields"},
// and "mn" for a client that asks for Mongolian.
type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
	Mn      *mnErrorBody      `json:"mn,omitempty"`
}

// mnErrorBody is the message and the fields' problems in Mongolian, beside
// the bilingual "中文 / English" ones rather than instead of them, so that a
// client that reads message and fields keeps working whatever it asks for.
// A text without a Mongolian one is in Chinese.
type mnErrorBody struct {
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
	if l := PreferredLang(r); l == locale.Mn {
		body.Mn = &mnErrorBody{Message: LocalMessage(l, body.Message), Fields: map[string]string{}}
		if e != nil {
			for _, f := range e.Fields {
				body.Mn.Fields[f.Field] = localText(s.Catalog, l, f.Zh, f.En)
			}
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
