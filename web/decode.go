package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
	"minyi/calendar"
)

// decodeJSON reads a JSON body into v. The raw bytes are checked for valid
// UTF-8 first because encoding/json would silently replace bad bytes.
func decodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return tooLarge(tooBig.Limit)
	} else if err != nil {
		return minyi.Invalid("body", "无法读取请求内容", "could not read the request body")
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return minyi.Invalid("body", "请以 application/json 格式提交", "send application/json")
	}
	if !utf8.Valid(body) {
		return minyi.Invalid("body", "含有无效的字符编码", "body must be valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return minyi.Invalid("body", "请求内容只能是一个JSON对象", "body must hold exactly one JSON object")
	}
	return nil
}

// jsonProblem names the field a JSON error is about, where it can.
func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := jsonPath(typeErr.Field)
		if field == "" {
			field = "body"
		}
		return minyi.Invalid(field, "类型不正确，应为"+typeErr.Type.String(), "must be of type "+typeErr.Type.String())
	case errors.As(err, &syntaxErr):
		return minyi.Invalid("body", "JSON格式错误（第"+strconv.FormatInt(syntaxErr.Offset, 10)+"字节）",
			"malformed JSON at byte "+strconv.FormatInt(syntaxErr.Offset, 10))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return minyi.Invalid(field, "未知字段", "unknown field")
	case errors.Is(err, io.EOF):
		return minyi.Invalid("body", "请求内容为空", "body is empty")
	default:
		return minyi.Invalid("body", "JSON格式错误", "malformed JSON: "+err.Error())
	}
}

// parseDay reads YYYY-MM-DD or RFC 3339; a bare day means its start in China time.
func parseDay(field, s string) (time.Time, bool, error) {
	if s == "" {
		return time.Time{}, false, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, calendar.Zone); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, minyi.Invalid(field, "日期格式应为YYYY-MM-DD或RFC 3339", "must be YYYY-MM-DD or RFC 3339")
}

// jsonPath drops the names of embedded Go structs (upper-case segments) that
// encoding/json puts into field paths, leaving the JSON names clients sent.
func jsonPath(p string) string {
	var keep []string
	for _, seg := range strings.Split(p, ".") {
		if seg != "" && !(seg[0] >= 'A' && seg[0] <= 'Z') {
			keep = append(keep, seg)
		}
	}
	return strings.Join(keep, ".")
}
