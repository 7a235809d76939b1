package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
)

// DecodeJSON reads a JSON body into v. The raw bytes are checked for valid
// UTF-8 first because encoding/json would silently replace bad bytes.
func DecodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return TooLarge(tooBig.Limit)
	} else if err != nil {
		return minyi.Invalid("body", "无法读取请求内容", "could not read the request body")
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return minyi.Invalid("body", "请以 application/json 格式提交", "send application/json")
	}
	if !utf8.Valid(body) {
		return minyi.Invalid("body", "含有无效的字符编码", "body must be valid UTF-8")
	}
	if err := escapedText(body); err != nil {
		return err
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

// escapedText refuses strings whose escapes are not text: a lone
// surrogate (\ud800), which encoding/json would store as U+FFFD, or NUL
// (\u0000), which PostgreSQL cannot store. It names the member holding
// the string. Malformed JSON is left to the decoder to report.
func escapedText(body []byte) error {
	if !bytes.Contains(body, []byte(`\u`)) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object bool
		key    string
	}
	var stack []frame
	wantKey := false // the next string in an object is a member name
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true})
				wantKey = true
			case '[':
				stack = append(stack, frame{})
				wantKey = false
			default:
				stack = stack[:len(stack)-1]
				wantKey = len(stack) > 0 && stack[len(stack)-1].object
			}
			continue
		case string:
			if !goodEscapes(body[start:dec.InputOffset()]) {
				var path []string
				for _, f := range stack {
					if f.object && f.key != "" {
						path = append(path, f.key)
					}
				}
				field := strings.Join(path, ".")
				if wantKey || field == "" {
					field = "body"
				}
				return badText(field)
			}
			if wantKey {
				stack[len(stack)-1].key = t
				wantKey = false
				continue
			}
		}
		wantKey = len(stack) > 0 && stack[len(stack)-1].object
	}
}

// goodEscapes reports whether the \u escapes in raw JSON text pair their
// surrogates and spell no NUL.
func goodEscapes(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // a two-character escape such as \\ or \"
			continue
		}
		r, ok := hex4(raw, i+2)
		switch {
		case !ok:
			return true // malformed: the decoder says so
		case r == 0:
			return false
		case r >= 0xdc00 && r <= 0xdfff:
			return false // a low surrogate without its high one
		case r >= 0xd800 && r <= 0xdbff:
			lo, ok := hex4(raw, i+8)
			if !ok || raw[i+6] != '\\' || raw[i+7] != 'u' || lo < 0xdc00 || lo > 0xdfff {
				return false
			}
			i += 11
			continue
		}
		i += 5
	}
	return true
}

// hex4 reads four hex digits at raw[i:].
func hex4(raw []byte, i int) (rune, bool) {
	if i+4 > len(raw) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(raw[i:i+4]), 16, 32)
	return rune(v), err == nil
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
		zh, en := jsonKind(typeErr.Type)
		return minyi.Invalid(field, "类型不正确，应为"+zh, "must be "+en)
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

// jsonKind names what JSON a Go type takes, so that no error shows a Go
// type's name.
func jsonKind(t reflect.Type) (zh, en string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Time]() {
		return "时间字符串", "a time string"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "JSON对象", "a JSON object"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "base64字符串", "a base64 string"
		}
		return "JSON数组", "a JSON array"
	case reflect.String:
		return "字符串", "a string"
	case reflect.Bool:
		return "true或false", "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "整数", "an integer"
	case reflect.Float32, reflect.Float64:
		return "数字", "a number"
	default:
		return "其他类型", "another type"
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
// Array indices (which encoding/json gives as segments since Go 1.27) are
// written as the API writes them elsewhere: photos[0].data.
func jsonPath(p string) string {
	var keep []string
	for _, seg := range strings.Split(p, ".") {
		if _, err := strconv.Atoi(seg); err == nil && len(keep) > 0 {
			keep[len(keep)-1] += "[" + seg + "]"
		} else if seg != "" && !(seg[0] >= 'A' && seg[0] <= 'Z') {
			keep = append(keep, seg)
		}
	}
	return strings.Join(keep, ".")
}

// ListFilter reads the list parameters, naming any bad one.
func ListFilter(r *http.Request) (archive.Filter, error) {
	q := r.URL.Query()
	var p minyi.Problems
	f := archive.Filter{
		Query: q.Get("q"), Unit: q.Get("unit"), Category: q.Get("category"), Cursor: q.Get("cursor"),
		Kind: archive.Kind(q.Get("kind")), Class: archive.Class(q.Get("class")),
		Sort: q.Get("sort"), Assignee: q.Get("assignee"),
	}
	// channel=a,b (or channel=a&channel=b) selects the items of any of
	// them; one channel is Channel.
	for _, v := range q["channel"] {
		for _, c := range strings.Split(v, ",") {
			if c = strings.TrimSpace(c); c != "" && !slices.Contains(f.Channels, archive.Channel(c)) {
				f.Channels = append(f.Channels, archive.Channel(c))
			}
		}
	}
	if len(f.Channels) == 1 {
		f.Channel, f.Channels = f.Channels[0], nil
	}
	if f.Kind != "" && !f.Kind.Valid() {
		p.Add("kind", "类型无效", "unknown kind")
	}
	if f.Class != "" && !f.Class.Valid() {
		p.Add("class", "类别无效", "unknown class")
	}
	for _, c := range append(f.Channels, f.Channel) {
		if c != "" && !c.Valid() {
			p.Add("channel", "渠道无效："+string(c), "unknown channel: "+string(c))
		}
	}
	switch f.Sort {
	case "", archive.SortRelevance, archive.SortNewest, archive.SortOldest, archive.SortDue:
	default:
		p.Add("sort", "排序方式无效（relevance、newest、oldest、due）", "sort must be relevance, newest, oldest or due")
	}
	for _, v := range q["status"] {
		for _, st := range strings.Split(v, ",") {
			if st == "" {
				continue
			}
			if !archive.Status(st).Valid() {
				p.Add("status", "状态无效："+st, "unknown status: "+st)
				continue
			}
			f.Statuses = append(f.Statuses, archive.Status(st))
		}
	}
	for name, dst := range map[string]*bool{"overdue": &f.Overdue, "due_soon": &f.DueSoon, "public": &f.Public, "answered": &f.Answered} {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				p.Add(name, "应为true或false", "must be true or false")
			}
			*dst = b
		}
	}
	n, ok := PageLimit(q, archive.MaxLimit)
	if !ok {
		p.Add("limit", "每页条数应为1–100", "limit must be 1–100")
	}
	f.Limit = n
	if reveal, err := RevealParam(r); err != nil {
		p.Merge(err)
	} else {
		f.Reveal = reveal
	}
	// The days of answer and of closure, bounded as the day of receipt.
	for _, b := range []struct {
		from, to   string
		dFrom, dTo **time.Time
	}{{"answered_from", "answered_to", &f.AnsweredFrom, &f.AnsweredTo}, {"closed_from", "closed_to", &f.ClosedFrom, &f.ClosedTo}} {
		if t, _, err := parseDay(b.from, q.Get(b.from)); err != nil {
			zh, en := badWorkDay(b.from)
			p.Add(b.from, zh, en)
		} else if !t.IsZero() {
			*b.dFrom = &t
		}
		if t, bareDay, err := parseDay(b.to, q.Get(b.to)); err != nil {
			zh, en := badWorkDay(b.to)
			p.Add(b.to, zh, en)
		} else if !t.IsZero() {
			if bareDay {
				t = t.AddDate(0, 0, 1) // the last day included
			}
			*b.dTo = &t
		}
	}
	from, _, err := parseDay("from", q.Get("from"))
	if err != nil {
		p.Add("from", "日期格式应为YYYY-MM-DD或RFC 3339", "must be YYYY-MM-DD or RFC 3339")
	} else if !from.IsZero() {
		f.From = &from
	}
	to, bareDay, err := parseDay("to", q.Get("to"))
	if err != nil {
		p.Add("to", "日期格式应为YYYY-MM-DD或RFC 3339", "must be YYYY-MM-DD or RFC 3339")
	} else if !to.IsZero() {
		if bareDay {
			to = to.AddDate(0, 0, 1) // "to 2021-10-31" includes that day
		}
		f.To = &to
	}
	return f, p.Err()
}

// badWorkDay is the refusal, in Chinese and English, of a bad day of
// answer or of closure (answered_from … closed_to), each its own text so
// that its Mongolian names the day (locale/errors.json).
func badWorkDay(field string) (string, string) {
	switch field {
	case "answered_from":
		return "答复日期（answered_from）格式应为YYYY-MM-DD或RFC 3339", "answered_from must be YYYY-MM-DD or RFC 3339"
	case "answered_to":
		return "答复日期（answered_to）格式应为YYYY-MM-DD或RFC 3339", "answered_to must be YYYY-MM-DD or RFC 3339"
	case "closed_from":
		return "销号日期（closed_from）格式应为YYYY-MM-DD或RFC 3339", "closed_from must be YYYY-MM-DD or RFC 3339"
	}
	return "销号日期（closed_to）格式应为YYYY-MM-DD或RFC 3339", "closed_to must be YYYY-MM-DD or RFC 3339"
}

// PageLimit reads a list's page size, the query's limit: 0 when absent
// (the register's default), and ok false when it is not a whole number
// from 1 to max, or from 1 up when max is 0 (the register caps it, see
// register.Filter.Size). The words of the refusal are the caller's.
func PageLimit(q url.Values, max int) (n int, ok bool) {
	v := q.Get("limit")
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1 && (max == 0 || n <= max)
}
