// Package open311 serves Open311 GeoReport v2
// (http://wiki.open311.org/GeoReport_v2) under /open311/v2/ with
// FixMyStreet's servicerequestupdates extension, in JSON and XML, and
// describes it in OpenAPI 3 (openapi_open311.go). Reading is public;
// filing needs an api_key (org.APIKey). What is readable is archive's rule
// (Item.Open311Visible): items filed through Open311 and the questions on
// the online desk in their reviewed public version, never their contact.
package open311

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/locale"
	"minyi/org"
	"minyi/ratelimit"
	"minyi/web/core"
)

const (
	o311Spec = "http://wiki.open311.org/GeoReport_v2"
	// o311Changeset is when this API last changed in a way clients see.
	o311Changeset = "2026-11-28T00:00:00+08:00"
	// o311MaxWindow is the longest start_date–end_date range, as the spec.
	o311MaxWindow = 90 * 24 * time.Hour
	// Request lists: page_size default and maximum (our extension).
	o311PageSize, o311MaxPageSize = 50, 200
	// Update lists: a client polling a window usually wants all of it.
	o311UpdatesPageSize, o311MaxUpdatesPageSize = 1000, 1000
	// o311TokenPrefix makes a token from a request id: requests are
	// numbered when filed, so a token resolves at once.
	o311TokenPrefix = "tok-"
)

// Open311 is the Open311 door's handlers over the shared state.
type Open311 struct {
	*core.Base
	touched o311Touches // when each Open311 key's use was last recorded
}

// New builds the Open311 door over b.
func New(b *core.Base) *Open311 { return &Open311{Base: b} }

// Mount registers open311Routes: one dispatcher per method and
// pattern picks the endpoint by file name, checks the format suffix, the
// jurisdiction and the api_key, and logs the client of keyed requests.
// An endpoint returns its failure, which the dispatcher answers in the
// spec's error shape (o311Fail).
func (s *Open311) Mount(mux *http.ServeMux) {
	table := s.open311Routes()
	groups, known := o311Groups(table)
	for _, g := range groups {
		mux.HandleFunc(g.method+" "+g.pattern, func(w http.ResponseWriter, r *http.Request) {
			s.o311Dispatch(w, r, table, g)
		})
	}
	// Anything else under /open311/ gets the spec's error shape: 405 for
	// a known path asked with another method, else 404.
	mux.Handle("/open311/", s.Instrument("other", func(w http.ResponseWriter, r *http.Request) {
		name, _, ok := splitFormat(path.Base(r.URL.Path))
		if _, p := known.Handler(r); p != "" && ok {
			if methods := allowedFor(table, p, name); len(methods) > 0 {
				r = r.WithContext(context.WithValue(r.Context(), o311Key{}, o311CallFor(r)))
				s.o311NotAllowed(w, r, methods)
				return
			}
		}
		s.FailPath(w, r, core.NotFoundRoute(r))
	}))
}

// o311Handler is a route of open311Routes as the dispatcher keeps it.
type o311Handler struct {
	h     core.Handler
	auth  string
	label string // for the metrics
}

// o311Group is the routes that share a method and a pattern, by the file
// name they serve ("" for any): the mux cannot tell them apart, so one
// dispatcher serves them all.
type o311Group struct {
	method, pattern string
	endpoints       map[string]o311Handler
}

// o311Groups groups table by method and pattern, in the order the table
// first names them. known holds every pattern, whatever the method: it
// tells a 405 from a 404.
func o311Groups(table []open311Route) (groups []*o311Group, known *http.ServeMux) {
	byKey := map[[2]string]*o311Group{}
	known = http.NewServeMux()
	seen := map[string]bool{}
	for _, rt := range table {
		k := [2]string{rt.method, rt.pattern}
		g := byKey[k]
		if g == nil {
			g = &o311Group{method: rt.method, pattern: rt.pattern, endpoints: map[string]o311Handler{}}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.endpoints[rt.name] = o311Handler{rt.handler, rt.auth, o311Label(rt)}
		if !seen[rt.pattern] {
			seen[rt.pattern] = true
			known.Handle(rt.pattern, http.NotFoundHandler())
		}
	}
	return groups, known
}

// o311Label names a route in the metrics: its pattern with the file
// spelled out, so that each request id does not make a series of its own.
func o311Label(rt open311Route) string {
	if rt.name != "" {
		return strings.Replace(rt.pattern, "{file}", rt.name+".{format}", 1)
	}
	return strings.Replace(rt.pattern, "{file}", "{id}.{format}", 1)
}

// o311Dispatch serves a request for one of g's endpoints: it picks the
// endpoint by the file name, counts the request under its label (an
// address it refuses, under "other"), and refuses what no endpoint serves.
func (s *Open311) o311Dispatch(w http.ResponseWriter, r *http.Request, table []open311Route, g *o311Group) {
	name, format, ok := splitFormat(r.PathValue("file"))
	c := &o311Call{format: format, id: name}
	if !ok {
		c.format = formatJSON
	}
	r = r.WithContext(context.WithValue(r.Context(), o311Key{}, c))
	e, found := g.endpoints[name]
	if !found {
		e, found = g.endpoints[""]
	}
	label := "other"
	if found && (ok || r.Method == http.MethodOptions) {
		label = e.label
	}
	s.Instrument(label, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
		rec := &core.StatusRecorder{ResponseWriter: w}
		defer s.o311LogClient(r, c, rec)
		switch {
		case r.Method == http.MethodOptions && found:
			// A browser's preflight carries neither parameters nor an
			// api_key: it is answered as it is.
			s.o311Run(rec, r, e.h)
		case !ok:
			s.o311Fail(rec, r, minyi.Errorf(minyi.ENotFound, "没有这个地址，请以 .json 或 .xml 结尾 / no such endpoint: end the address in .json or .xml"))
		case !found:
			if methods := allowedFor(table, g.pattern, name); len(methods) > 0 {
				s.o311NotAllowed(rec, r, methods)
			} else {
				s.o311Fail(rec, r, core.NotFoundRoute(r))
			}
		default:
			s.o311Serve(rec, r, c, g.pattern, e)
		}
	}).ServeHTTP(w, r)
}

// o311Serve runs endpoint e for a request to pattern once it passes the
// checks every endpoint needs, the api_key last: a request refused for its
// parameters does not count against the key's rate.
func (s *Open311) o311Serve(w http.ResponseWriter, r *http.Request, c *o311Call, pattern string, e o311Handler) {
	if err := s.o311Admit(r, pattern); err != nil {
		s.o311Fail(w, r, err)
		return
	}
	if s.o311Authenticate(w, r, c, e.auth == "key") {
		s.o311Run(w, r, e.h)
	}
}

// o311Admit checks what every request to pattern must pass before its
// api_key: the read limit, its parameters, its {file} and the
// jurisdiction.
func (s *Open311) o311Admit(r *http.Request, pattern string) error {
	if r.Method != http.MethodPost {
		if err := s.LocalLimiter.Take(r.Context(), "open311-read", s.Config.Limits.Open311Read, core.LimitSubject(r)); err != nil {
			return err
		}
	}
	if err := parseO311Form(r); err != nil {
		return err
	}
	if err := core.InputProblem(r, map[string]string{"file": o311FileParams[pattern]}); err != nil {
		return err
	}
	if j := r.Form.Get("jurisdiction_id"); j != "" && s.Config.Jurisdiction != "" && j != s.Config.Jurisdiction {
		return o311Problem(minyi.ENotFound, "jurisdiction_id", "没有这个辖区", "unknown jurisdiction_id")
	}
	return nil
}

// o311Run runs h, answering its failure in the spec's error shape.
func (s *Open311) o311Run(w http.ResponseWriter, r *http.Request, h core.Handler) {
	if err := h(w, r); err != nil {
		s.o311Fail(w, r, err)
	}
}

// o311NotAllowed answers a method the address does not take, naming those
// it does.
func (s *Open311) o311NotAllowed(w http.ResponseWriter, r *http.Request, methods []string) {
	w.Header().Set("Allow", strings.Join(methods, ", "))
	s.o311FailStatus(w, r, http.StatusMethodNotAllowed, minyi.Errorf(minyi.EInvalid,
		"不支持%s方法 / method %s not allowed; use %s", r.Method, r.Method, strings.Join(methods, ", ")))
}

// o311LogClient logs a keyed request, naming its client, once its status
// is known.
func (s *Open311) o311LogClient(r *http.Request, c *o311Call, rec *core.StatusRecorder) {
	if c.client != "" {
		s.Log.InfoContext(r.Context(), "open311", "client", c.client, "method", r.Method,
			"path", r.URL.Path, "status", rec.Status)
	}
}

// o311FileParams names the parameter that the {file} of a pattern carries,
// for errors about it.
var o311FileParams = map[string]string{
	"/open311/v2/{file}":          "endpoint",
	"/open311/v2/services/{file}": "service_code",
	"/open311/v2/requests/{file}": "service_request_id",
	"/open311/v2/tokens/{file}":   "token",
}

// allowedFor lists the methods of table serving name on pattern; none when
// only the CORS preflight would answer.
func allowedFor(table []open311Route, pattern, name string) []string {
	var out []string
	real := false
	for _, rt := range table {
		if rt.pattern == pattern && (rt.name == name || rt.name == "") && !slices.Contains(out, rt.method) {
			out = append(out, rt.method)
			real = real || rt.method != http.MethodOptions
		}
	}
	if !real {
		return nil
	}
	return out
}

// parseO311Form reads the query and, for POST, the url-encoded (or
// multipart) body.
func parseO311Form(r *http.Request) error {
	var err error
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return core.TooLarge(tooBig.Limit)
	case err != nil:
		return minyi.Invalid("body", "无法读取请求参数", "could not parse the parameters")
	}
	return nil
}

// o311Problem is an error about one parameter.
func o311Problem(code, field, zh, en string) error {
	return &minyi.Error{Code: code, Message: zh + " / " + en, Fields: []minyi.FieldError{{Field: field, Zh: zh, En: en}}}
}

// o311Preflight answers CORS preflights: reading is open to any origin.
func (s *Open311) o311Preflight(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// o311Touches remembers when each client key's use was last recorded in
// the store, so that a busy key is recorded once a minute, not per request.
type o311Touches struct {
	mu sync.Mutex
	at map[int64]time.Time
}

// due reports whether key k's use at now should be recorded: a minute
// after this server or another (k.LastUsedAt, as read) last recorded it.
func (t *o311Touches) due(k org.APIKey, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.at == nil {
		t.at = map[int64]time.Time{}
	}
	last := t.at[k.ID]
	if k.LastUsedAt != nil && k.LastUsedAt.After(last) {
		last = *k.LastUsedAt
	}
	if now.Sub(last) < time.Minute {
		t.at[k.ID] = last
		return false
	}
	t.at[k.ID] = now
	return true
}

// o311Authenticate checks the api_key parameter: required says whether it
// must be there. A verified key is rate-limited and named in the log. It
// answers the request itself and returns false when it may not go on.
func (s *Open311) o311Authenticate(w http.ResponseWriter, r *http.Request, c *o311Call, required bool) bool {
	key := r.Form.Get("api_key")
	if key == "" {
		if required {
			s.o311Fail(w, r, o311Problem(minyi.EForbidden, "api_key", "请提供 API key", "api_key is required"))
		}
		return !required
	}
	k, err := s.Org.AuthenticateAPIKey(r.Context(), key)
	if err != nil {
		if minyi.ErrorCode(err) == minyi.EForbidden {
			err = o311Problem(minyi.EForbidden, "api_key", "API key 无效或已撤销", "invalid or revoked api_key")
		}
		s.o311Fail(w, r, err)
		return false
	}
	c.client = k.Name
	now := s.Now()
	if s.touched.due(k, now) {
		if err := s.Org.TouchAPIKey(r.Context(), k.ID, now); err != nil {
			s.Log.WarnContext(r.Context(), "open311: recording the key's use", "client", k.Name, "err", err)
		}
	}
	// Each server counts a key's requests in its own memory, as it counts
	// Open311 reads (Limits.Open311Read).
	rate := ratelimit.Rate{N: max(k.RatePerMinute, 1), Per: time.Minute}
	if err := s.LocalLimiter.Take(r.Context(), "open311-key", rate, strconv.FormatInt(k.ID, 10)); err != nil {
		s.o311Fail(w, r, err)
		return false
	}
	return true
}

// Discovery.

type o311DiscoveryDoc struct {
	Changeset  string         `json:"changeset"`
	Contact    string         `json:"contact"`
	KeyService string         `json:"key_service"`
	Endpoints  []o311Endpoint `json:"endpoints"`
}

type o311Endpoint struct {
	Specification string   `json:"specification"`
	URL           string   `json:"url"`
	Changeset     string   `json:"changeset"`
	Type          string   `json:"type"`
	Formats       []string `json:"formats"`
}

func (s *Open311) o311Discovery(w http.ResponseWriter, r *http.Request) error {
	agency := s.Config.AgencyName
	s.o311Write(w, r, http.StatusOK, "discovery", o311DiscoveryDoc{
		Changeset:  o311Changeset,
		Contact:    agency + "：接入事宜请联系系统管理员 / " + agency + ": ask the system administrators about access",
		KeyService: "API key 由系统管理员签发，提交诉求时必须提供；查询无需 API key / api_keys are issued by the administrators; needed to submit requests, not to read them",
		Endpoints: []o311Endpoint{{Specification: o311Spec, URL: s.PublicURL(r) + "/open311/v2", Changeset: o311Changeset,
			Type: "production", Formats: []string{"application/json", "text/xml"}}},
	})
	return nil
}

// Services.

type o311ServiceDoc struct {
	Code        string `json:"service_code"`
	Name        string `json:"service_name"`
	Description string `json:"description,omitempty"`
	Metadata    bool   `json:"metadata"`
	Type        string `json:"type"`
	Keywords    string `json:"keywords,omitempty"`
	Group       string `json:"group,omitempty"`
}

type o311Definition struct {
	Code       string          `json:"service_code"`
	Attributes []o311Attribute `json:"attributes"`
}

type o311Attribute struct {
	Variable            bool             `json:"variable"`
	Code                string           `json:"code"`
	Datatype            string           `json:"datatype"`
	Required            bool             `json:"required"`
	DatatypeDescription string           `json:"datatype_description"`
	Order               int              `json:"order"`
	Description         string           `json:"description"`
	Values              []o311ValueEntry `json:"values,omitempty"`
}

type o311ValueEntry struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// o311Datatypes explain the datatypes to the people filling them in.
var o311Datatypes = map[string]string{
	"string":          "文字，200字以内 / text, at most 200 characters",
	"number":          "数字 / a number",
	"datetime":        "日期时间（ISO 8601，如 2026-01-02T15:04:05+08:00） / date and time, ISO 8601",
	"text":            "长文字，2000字以内 / text, at most 2000 characters",
	"singlevaluelist": "从选项中选一个 / one of the values",
	"multivaluelist":  "从选项中选一个或多个（attribute[code][]=…） / one or more of the values",
}

func (s *Open311) o311Services(w http.ResponseWriter, r *http.Request) error {
	cats, err := s.ActiveCategories(r)
	if err != nil {
		return err
	}
	out := make([]o311ServiceDoc, 0, len(cats))
	for _, c := range cats {
		out = append(out, o311ServiceDoc{Code: c.Code, Name: c.Name, Description: c.Description,
			Metadata: len(c.Attributes) > 0, Type: "realtime", Keywords: o311Keywords(c.Keywords), Group: c.Group})
	}
	s.o311Write(w, r, http.StatusOK, "services", out)
	return nil
}

// o311Keywords turns our space-separated keywords into the spec's comma list.
func o311Keywords(k string) string {
	return strings.Join(strings.FieldsFunc(k, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '，' || r == '、' || r == ';' || r == '；'
	}), ",")
}

func (s *Open311) o311ServiceDefinition(w http.ResponseWriter, r *http.Request) error {
	code := o311From(r.Context()).id
	cats, err := s.ActiveCategories(r)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(cats, func(c archive.Category) bool { return c.Code == code })
	if i < 0 {
		return o311Problem(minyi.ENotFound, "service_code", "没有这个服务类别", "no such service_code")
	}
	attrs := slices.Clone(cats[i].Attributes)
	slices.SortStableFunc(attrs, func(a, b archive.Attribute) int { return a.Order - b.Order })
	def := o311Definition{Code: code, Attributes: make([]o311Attribute, 0, len(attrs))}
	for n, a := range attrs {
		at := o311Attribute{Variable: true, Code: a.Code, Datatype: a.Datatype, Required: a.Required,
			DatatypeDescription: o311Datatypes[a.Datatype], Order: n + 1, Description: a.Description}
		for _, v := range a.Values {
			at.Values = append(at.Values, o311ValueEntry{Key: v.Key, Name: v.Name})
		}
		def.Attributes = append(def.Attributes, at)
	}
	s.o311Write(w, r, http.StatusOK, "service_definition", def)
	return nil
}

// Requests.

// o311RequestDoc is a service request as the spec shows it. Contact
// details are never part of it.
type o311RequestDoc struct {
	ID                string   `json:"service_request_id"`
	Status            string   `json:"status"`
	StatusNotes       string   `json:"status_notes,omitempty"`
	ServiceName       string   `json:"service_name,omitempty"`
	ServiceCode       string   `json:"service_code"`
	Description       string   `json:"description"`
	AgencyResponsible string   `json:"agency_responsible,omitempty"`
	ServiceNotice     string   `json:"service_notice,omitempty"`
	RequestedDatetime string   `json:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime"`
	Address           string   `json:"address,omitempty"`
	Lat               *float64 `json:"lat,omitempty"`
	Long              *float64 `json:"long,omitempty"`
}

// o311Status is the spec's two-valued status: an item is closed once
// nothing more happens to it (closed out, merged or invalid).
func o311Status(st archive.Status) string {
	if st.Terminal() {
		return "closed"
	}
	return "open"
}

// o311Time is ISO 8601 with the time zone, in China time.
func o311Time(t time.Time) string { return t.In(calendar.Zone).Format(time.RFC3339) }

// o311Names are the display names a list needs, read once per request.
type o311Names struct {
	units, services map[string]string
}

func (s *Open311) o311Names(ctx context.Context) (o311Names, error) {
	n := o311Names{units: map[string]string{}, services: map[string]string{}}
	units, err := s.Org.Units(ctx)
	if err != nil {
		return n, err
	}
	for _, u := range units {
		n.units[u.Code] = u.Name
	}
	cats, err := s.Svc.Config.Categories(ctx)
	if err != nil {
		return n, err
	}
	for _, c := range cats {
		n.services[c.Code] = c.Name
	}
	return n, nil
}

// o311Notice tells what will happen to a request: who handles it by when.
func o311Notice(it archive.Item, unit string) string {
	var b strings.Builder
	b.WriteString("已受理，编号" + it.Number)
	if unit != "" {
		b.WriteString("，承办单位" + unit)
	}
	b.WriteString("，办理期限" + it.DueAt.In(calendar.Zone).Format("2006年1月2日15:04"))
	if it.CalendarGap {
		b.WriteString("（节假日数据不全，按普通周末推算）")
	}
	b.WriteString("。")
	return b.String()
}

// request describes an item archive's Open311 reads return: at its public
// location (Item.PublicLocation), updated at its last public event.
func (n o311Names) request(it archive.Item) o311RequestDoc {
	var place []string
	for _, p := range []string{it.Location.Township, it.Location.Village, it.Location.Address} {
		if p = strings.TrimSpace(p); p != "" {
			place = append(place, p)
		}
	}
	return o311RequestDoc{
		ID: it.Number, Status: o311Status(it.Status), StatusNotes: it.PublicReply,
		ServiceName: n.services[it.CategoryCode], ServiceCode: it.CategoryCode,
		Description:       clip(it.Text, archive.MaxTextRunes),
		AgencyResponsible: n.units[it.UnitCode], ServiceNotice: o311Notice(it, n.units[it.UnitCode]),
		RequestedDatetime: o311Time(it.ReceivedAt), UpdatedDatetime: o311Time(it.UpdatedAt),
		ExpectedDatetime: o311Time(it.DueAt), Address: strings.Join(place, " "),
		Lat: it.Location.Lat, Long: it.Location.Lng,
	}
}

// clip cuts s to at most n characters (the spec's description limit; an
// item's text may have grown by the answers to its category's questions).
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// o311Window reads start_date and end_date: at most 90 days apart; one
// alone spans 90 days from or to it; neither means the last 90 days. A bare
// date (YYYY-MM-DD) is a whole day in China time. The window is [from, to).
func o311Window(r *http.Request, p *minyi.Problems, now time.Time) (from, to time.Time) {
	start, errStart := o311ParseTime(r.Form.Get("start_date"), false)
	end, errEnd := o311ParseTime(r.Form.Get("end_date"), true)
	if errStart != nil {
		p.Add("start_date", "时间格式应为 ISO 8601（如 2026-01-02T15:04:05+08:00）", "must be ISO 8601, e.g. 2026-01-02T15:04:05+08:00")
	}
	if errEnd != nil {
		p.Add("end_date", "时间格式应为 ISO 8601（如 2026-01-02T15:04:05+08:00）", "must be ISO 8601, e.g. 2026-01-02T15:04:05+08:00")
	}
	if errStart != nil || errEnd != nil {
		return
	}
	switch {
	case start.IsZero() && end.IsZero():
		end = now
		start = end.Add(-o311MaxWindow)
	case start.IsZero():
		start = end.Add(-o311MaxWindow)
	case end.IsZero():
		end = start.Add(o311MaxWindow)
	}
	switch {
	case end.Before(start):
		p.Add("end_date", "结束时间不能早于开始时间", "end_date must not be before start_date")
	case end.Sub(start) > o311MaxWindow:
		p.Add("end_date", "起止时间最多相隔90天", "start_date and end_date may be at most 90 days apart")
	}
	return start, end.Add(time.Microsecond) // end_date is included
}

// o311ParseTime reads an ISO 8601 time: RFC 3339, or without a zone (China
// time), or a bare date; for an end, a bare date means the end of that day.
// An empty value is the zero time.
func o311ParseTime(v string, end bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, v, calendar.Zone); err == nil {
			return t, nil
		}
	}
	t, err := time.ParseInLocation("2006-01-02", v, calendar.Zone)
	if err == nil && end {
		t = t.AddDate(0, 0, 1).Add(-time.Microsecond)
	}
	return t, err
}

// o311Int reads a whole number parameter in [lo, hi], def when absent.
func o311Int(r *http.Request, p *minyi.Problems, name string, def, lo, hi int) int {
	v := strings.TrimSpace(r.Form.Get(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.Add(name, "应为"+strconv.Itoa(lo)+"到"+strconv.Itoa(hi)+"的整数", "must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
		return def
	}
	return n
}

// o311List splits comma-separated and repeated values, dropping empty ones.
func o311List(values []string) []string {
	var out []string
	for _, v := range values {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}

func (s *Open311) o311Requests(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var p minyi.Problems
	var items []archive.Item
	if ids := o311List(r.Form["service_request_id"]); len(ids) > 0 {
		// The ids override every other parameter.
		if len(ids) > o311MaxPageSize {
			return o311Problem(minyi.EInvalid, "service_request_id", "一次最多查询200个编号", "at most 200 ids at once")
		}
		for _, id := range ids {
			it, err := s.Items.Open311Request(ctx, id)
			if minyi.ErrorCode(err) == minyi.ENotFound {
				continue
			} else if err != nil {
				return err
			}
			items = append(items, it)
		}
	} else {
		f := archive.Filter{Category: strings.TrimSpace(r.Form.Get("service_code"))}
		from, to := o311Window(r, &p, time.Now())
		f.From, f.To = &from, &to
		var open, closed bool
		for _, st := range o311List(r.Form["status"]) {
			switch st {
			case "open":
				open = true
			case "closed":
				closed = true
			default:
				p.Add("status", "状态应为 open 或 closed", "status must be open or closed")
			}
		}
		if open != closed {
			for _, l := range archive.Statuses {
				if st := archive.Status(l.Code); st.Terminal() == closed {
					f.Statuses = append(f.Statuses, st)
				}
			}
		}
		page := o311Int(r, &p, "page", 1, 1, 1_000_000)
		size := o311Int(r, &p, "page_size", o311PageSize, 1, o311MaxPageSize)
		if err := p.Err(); err != nil {
			return err
		}
		var err error
		if items, err = s.Items.Open311Requests(ctx, f, page, size); err != nil {
			return err
		}
	}
	return s.o311WriteRequests(w, r, items)
}

func (s *Open311) o311WriteRequests(w http.ResponseWriter, r *http.Request, items []archive.Item) error {
	names, err := s.o311Names(r.Context())
	if err != nil {
		return err
	}
	out := make([]o311RequestDoc, 0, len(items))
	for _, it := range items {
		out = append(out, names.request(it))
	}
	s.o311Write(w, r, http.StatusOK, "service_requests", out)
	return nil
}

func (s *Open311) o311Request(w http.ResponseWriter, r *http.Request) error {
	it, err := s.Items.Open311Request(r.Context(), o311From(r.Context()).id)
	if err != nil {
		return err
	}
	return s.o311WriteRequests(w, r, []archive.Item{it})
}

type o311TokenDoc struct {
	Token string `json:"token"`
	ID    string `json:"service_request_id"`
}

func (s *Open311) o311Token(w http.ResponseWriter, r *http.Request) error {
	token := o311From(r.Context()).id
	notFound := o311Problem(minyi.ENotFound, "token", "没有这个 token", "no such token")
	number, ok := strings.CutPrefix(token, o311TokenPrefix)
	if !ok {
		return notFound
	}
	it, err := s.Items.Open311Request(r.Context(), number)
	if minyi.ErrorCode(err) == minyi.ENotFound || (err == nil && it.Channel != archive.ChannelOpen311) {
		return notFound
	} else if err != nil {
		return err
	}
	s.o311Write(w, r, http.StatusOK, "service_requests", []o311TokenDoc{{Token: token, ID: it.Number}})
	return nil
}

// Filing.

type o311CreatedDoc struct {
	ID     string `json:"service_request_id"`
	Token  string `json:"token"`
	Notice string `json:"service_notice"`
}

// o311Attr matches attribute[code] and attribute[code][].
var o311Attr = regexp.MustCompile(`^attribute\[([^\[\]]+)\](\[\])?$`)

// o311Submission reads a POSTed service request. email, device_id and
// account_id are not kept: items have no place for them, and the client
// knows its own users.
func o311Submission(form url.Values) (archive.Submission, archive.Answers, error) {
	var p minyi.Problems
	get := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	sub := archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelOpen311, Category: get("service_code"),
		Text: form.Get("description")}
	sub.Location = o311Location(&p, get)
	sub.Contact.Name = o311ContactName(get("first_name"), get("last_name"))
	sub.Contact.Phone = get("phone")
	if media := get("media_url"); media != "" {
		u, err := url.Parse(media)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(media) > 2000 {
			p.Add("media_url", "应为 http 或 https 网址", "must be an http or https URL")
		} else {
			sub.Text = strings.TrimSpace(sub.Text) + "\n\n图片: " + media
		}
	}
	answers := archive.Answers{}
	for k, vs := range form {
		if m := o311Attr.FindStringSubmatch(k); m != nil {
			answers[m[1]] = append(answers[m[1]], vs...)
		}
	}
	if len(p) > 0 {
		// Name every problem at once: add the archive's own checks.
		if sub.Category == "" {
			p.Add("service_code", "请选择服务类别", "service_code is required")
		}
		_, err := sub.Validate(false, time.Now())
		p.Merge(err)
		return sub, answers, p.Err()
	}
	return sub, answers, nil
}

// o311Location reads where a request is: lat and long, an address, or
// both; at least one is required.
func o311Location(p *minyi.Problems, get func(string) string) archive.Location {
	var loc archive.Location
	lat, long := get("lat"), get("long")
	switch {
	case (lat == "") != (long == ""):
		p.Add("lat", "lat 和 long 须同时提供", "lat and long go together")
	case lat != "":
		la, errLat := strconv.ParseFloat(lat, 64)
		lo, errLong := strconv.ParseFloat(long, 64)
		if errLat != nil || math.IsNaN(la) || la < -90 || la > 90 {
			p.Add("lat", "纬度应为-90到90之间的数", "lat must be a number from -90 to 90")
		}
		if errLong != nil || math.IsNaN(lo) || lo < -180 || lo > 180 {
			p.Add("long", "经度应为-180到180之间的数", "long must be a number from -180 to 180")
		}
		loc.Lat, loc.Lng = &la, &lo
	}
	address, addressID := get("address_string"), get("address_id")
	loc.Address = o311Address(address, addressID)
	if lat == "" && long == "" && address == "" && addressID == "" {
		p.Add("location", "请提供位置：lat 和 long、address_string 或 address_id", "a location is required: lat and long, address_string or address_id")
	}
	// Our extension: the citizen agrees that anybody may read the address
	// and coordinates (without it, only the township and village).
	switch get("share_location") {
	case "", "false", "0":
	case "true", "1":
		loc.ShareLocation = true
	default:
		p.Add("share_location", "share_location 应为 true 或 false", "share_location must be true or false")
	}
	return loc
}

// o311Address is the address of a request: items have one address, so an
// address_id the client gave beside it is kept in it, for its staff to
// look up.
func o311Address(address, addressID string) string {
	switch {
	case addressID == "":
		return address
	case address == "":
		return addressID
	default:
		return address + "（地址编号 " + addressID + "）"
	}
}

// o311ContactName joins first_name and last_name as the name is written:
// one with any non-ASCII letter is taken for Chinese, family name first
// without a space (王 + 小明); any other given name first.
func o311ContactName(first, last string) string {
	if strings.IndexFunc(first+last, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
		return last + first
	}
	return strings.TrimSpace(first + " " + last)
}

func (s *Open311) o311CreateRequest(w http.ResponseWriter, r *http.Request) error {
	c := o311From(r.Context())
	sub, answers, err := o311Submission(r.Form)
	if err != nil {
		return err
	}
	it, _, err := s.Items.SubmitFromClient(r.Context(), c.client, sub, answers)
	if err != nil {
		return err
	}
	s.Metrics.Created.WithLabelValues(string(it.Channel)).Inc()
	unit := ""
	if u, err := s.Org.Unit(r.Context(), it.UnitCode); err == nil {
		unit = u.Name
	}
	s.o311Write(w, r, http.StatusOK, "service_requests", []o311CreatedDoc{{
		ID: it.Number, Token: o311TokenPrefix + it.Number, Notice: o311Notice(it, unit)}})
	return nil
}

// Updates (FixMyStreet's servicerequestupdates).

type o311UpdateDoc struct {
	UpdateID        string `json:"update_id"`
	RequestID       string `json:"service_request_id"`
	Status          string `json:"status"`
	UpdatedDatetime string `json:"updated_datetime"`
	Description     string `json:"description"`
}

func (s *Open311) o311Updates(w http.ResponseWriter, r *http.Request) error {
	var p minyi.Problems
	from, to := o311Window(r, &p, time.Now())
	page := o311Int(r, &p, "page", 1, 1, 1_000_000)
	size := o311Int(r, &p, "page_size", o311UpdatesPageSize, 1, o311MaxUpdatesPageSize)
	if err := p.Err(); err != nil {
		return err
	}
	evs, err := s.Items.Open311Updates(r.Context(), archive.EventFilter{From: from, To: to, Limit: size, Offset: (page - 1) * size})
	if err != nil {
		return err
	}
	out := make([]o311UpdateDoc, 0, len(evs))
	for _, e := range evs {
		out = append(out, o311UpdateDoc{UpdateID: strconv.FormatInt(e.Seq, 10), RequestID: e.ItemNumber,
			Status: o311Status(e.To), UpdatedDatetime: o311Time(e.At), Description: s.o311EventText(e)})
	}
	s.o311Write(w, r, http.StatusOK, "service_requests_updates", out)
	return nil
}

// o311EventText describes an update: the reply itself for public replies
// and answers, else what happened, in the words of the tracking page.
func (s *Open311) o311EventText(e archive.Event) string {
	if e.Public && e.Body != "" {
		return e.Body
	}
	if e.Type == archive.EventRated {
		return "群众已评价"
	}
	if key := "event." + string(e.Type); s.Catalog.Has(key) {
		return s.Catalog.T(locale.Hans, key)
	}
	return archive.LabelOf(archive.Statuses, string(e.To))
}
