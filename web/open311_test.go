package web_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/store"
	"minyi/web"
)

// The Open311 tests check our GeoReport v2 answers against the project's
// JSON Schemas of the specification (docs/open311/georeport-v2.schema.json),
// and drive the API with a client written only against the specification.

const o311Jurisdiction = "minyi.example.gov.cn"

// o311Env is an environment whose server logs to a buffer, with the
// Open311 jurisdiction, two more categories (one with attributes, one
// retired) and a live API key.
type o311Env struct {
	*env
	key string // api_key of the client "city-app"
}

// o311Categories are the categories Open311 tests add to 户籍: one with
// attributes to answer, and one retired.
var o311Categories = []archive.Category{{Code: "permit", Name: "出入境证件", Description: "护照、港澳通行证的申领与补办。",
	Group: "窗口服务", Keywords: "护照 通行证、签注", UnitCode: "a", Active: true,
	Limit: calendar.Limit{Amount: 5, Unit: calendar.WorkingDays},
	Attributes: []archive.Attribute{
		{Code: "doc", Datatype: "singlevaluelist", Description: "哪种证件？", Required: true, Order: 1,
			Values: []archive.AttributeValue{{Key: "passport", Name: "护照"}, {Key: "hk-macao", Name: "港澳通行证"}}},
		{Code: "for", Datatype: "multivaluelist", Description: "为谁办理？", Order: 2,
			Values: []archive.AttributeValue{{Key: "self", Name: "本人"}, {Key: "child", Name: "子女"}}},
		{Code: "count", Datatype: "number", Description: "几本？", Order: 3},
	}},
	{Code: "retired", Name: "停用的分类", UnitCode: "a", Active: false,
		Limit: calendar.Limit{Amount: 5, Unit: calendar.WorkingDays}}}

func newO311Env(t *testing.T, db *store.DB) *o311Env {
	t.Helper()
	cfg := web.Config{MaxBodyBytes: 64 << 10, Dialect: db.Dialect(), Jurisdiction: o311Jurisdiction}
	e := &o311Env{env: newEnv(t, db, withConfig(cfg), withCategories(o311Categories...), withLogs())}
	e.key = e.newKey("city-app", 0)
	return e
}

// newKey makes a client key; perMinute 0 is the default budget.
func (e *o311Env) newKey(name string, perMinute int) string {
	e.t.Helper()
	key, err := org.NewService(e.db).CreateAPIKey(ctx, org.Operator("admin"), &org.APIKey{Name: name, RatePerMinute: perMinute})
	if err != nil {
		e.t.Fatal(err)
	}
	return key
}

// o311Resp is an answer as received.
type o311Resp struct {
	status int
	header http.Header
	body   []byte
}

func (r o311Resp) json(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("not JSON (%d): %v: %s", r.status, err, r.body)
	}
	return v
}

// list is the answer as an array of objects.
func (r o311Resp) list(t *testing.T) []map[string]any {
	t.Helper()
	arr, ok := r.json(t).([]any)
	if !ok {
		t.Fatalf("not an array (%d): %s", r.status, r.body)
	}
	out := make([]map[string]any, len(arr))
	for i, x := range arr {
		if out[i], ok = x.(map[string]any); !ok {
			t.Fatalf("entry %d is not an object: %s", i, r.body)
		}
	}
	return out
}

// o311Call sends a request to the server; form is the query of a GET and
// the url-encoded body of a POST.
func o311Call(t *testing.T, method, u string, form url.Values) o311Resp {
	t.Helper()
	var body io.Reader
	if method == "POST" {
		body = strings.NewReader(form.Encode())
	} else if len(form) > 0 {
		u += "?" + form.Encode()
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return o311Resp{status: resp.StatusCode, header: resp.Header, body: raw}
}

func (e *o311Env) get(path string, q url.Values) o311Resp {
	e.t.Helper()
	return o311Call(e.t, "GET", e.url+"/open311/v2/"+path, q)
}

func (e *o311Env) post(path string, form url.Values) o311Resp {
	e.t.Helper()
	return o311Call(e.t, "POST", e.url+"/open311/v2/"+path, form)
}

// goodRequest is a complete, valid submission.
func (e *o311Env) goodRequest() url.Values {
	return url.Values{"api_key": {e.key}, "service_code": {"permit"}, "lat": {"39.8365"}, "long": {"109.9808"},
		"description": {"护照丢了，怎么补办？"}, "attribute[doc]": {"passport"}, "first_name": {"小明"},
		"last_name": {"王"}, "phone": {"13900002222"}, "email": {"wang@example.com"}}
}

// file posts a valid request and returns its id.
func (e *o311Env) file(t *testing.T, change func(url.Values)) string {
	t.Helper()
	form := e.goodRequest()
	if change != nil {
		change(form)
	}
	r := e.post("requests.json", form)
	if r.status != 200 {
		t.Fatalf("POST requests.json: %d %s", r.status, r.body)
	}
	return r.list(t)[0]["service_request_id"].(string)
}

// work takes an item through the lifecycle as the leader.
func (e *o311Env) work(t *testing.T, number string, cmds ...archive.Command) archive.Item {
	t.Helper()
	leader, err := e.db.UserByName(ctx, "leader")
	if err != nil {
		t.Fatal(err)
	}
	var it archive.Item
	for _, cmd := range cmds {
		cur, err := e.db.Item(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Version = cur.Version
		if it, err = e.svc.Act(ctx, leader, number, cmd, false); err != nil {
			t.Fatalf("%s: %v", cmd.Action, err)
		}
	}
	return it
}

// Schemas.

// o311Schemas are the project's GeoReport v2 response schemas, compiled.
type o311Schemas struct {
	services, definition, requests, created, token, errors *jsonschema.Schema
}

// loadO311Schemas compiles docs/open311/georeport-v2.schema.json, the
// project's own schemas written from the specification: the repository
// alone must be enough to run its tests.
func loadO311Schemas(t *testing.T) *o311Schemas {
	t.Helper()
	file := filepath.Join("..", "docs", "open311", "georeport-v2.schema.json")
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("the GeoReport v2 schemas are missing: %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	const id = "https://minyi.example/docs/open311/georeport-v2.schema.json"
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	compile := func(def string) *jsonschema.Schema {
		s, err := c.Compile(id + "#/$defs/" + def)
		if err != nil {
			t.Fatalf("schema %s: %v", def, err)
		}
		return s
	}
	return &o311Schemas{
		services:   compile("services"),
		definition: compile("serviceDefinition"),
		requests:   compile("requests"),
		created:    compile("created"),
		token:      compile("token"),
		errors:     compile("errors"),
	}
}

// validate checks a JSON answer against a schema; each, when set, applies
// the schema to every entry of an array answer.
func validate(t *testing.T, s *jsonschema.Schema, r o311Resp, each bool) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("not JSON: %v: %s", err, r.body)
	}
	docs := []any{v}
	if each {
		arr, ok := v.([]any)
		if !ok {
			t.Fatalf("not an array: %s", r.body)
		}
		docs = arr
	}
	for _, d := range docs {
		if err := s.Validate(d); err != nil {
			t.Errorf("%s\ndoes not match the schema: %v", r.body, err)
		}
	}
}

// xnode is any XML element.
type xnode struct {
	XMLName xml.Name
	Text    string  `xml:",chardata"`
	Nodes   []xnode `xml:",any"`
}

// sameAsJSON checks that the XML document carries exactly the JSON's
// fields and values (a null JSON value is an absent element).
func sameAsJSON(t *testing.T, where string, j any, x xnode) {
	t.Helper()
	switch v := j.(type) {
	case map[string]any:
		var names []string
		for _, n := range x.Nodes {
			names = append(names, n.XMLName.Local)
		}
		var keys []string
		for k, val := range v {
			if val != nil {
				keys = append(keys, k)
			}
		}
		slices.Sort(names)
		slices.Sort(keys)
		if !slices.Equal(names, keys) {
			t.Errorf("%s: XML has %v, JSON has %v", where, names, keys)
			return
		}
		for _, n := range x.Nodes {
			sameAsJSON(t, where+"/"+n.XMLName.Local, v[n.XMLName.Local], n)
		}
	case []any:
		if len(v) != len(x.Nodes) {
			t.Errorf("%s: XML has %d entries, JSON %d", where, len(x.Nodes), len(v))
			return
		}
		for i := range v {
			sameAsJSON(t, where+"/"+strconv.Itoa(i), v[i], x.Nodes[i])
		}
	case string:
		if x.Text != v {
			t.Errorf("%s: XML %q, JSON %q", where, x.Text, v)
		}
	case float64:
		f, err := strconv.ParseFloat(x.Text, 64)
		if err != nil || f != v {
			t.Errorf("%s: XML %q, JSON %v", where, x.Text, v)
		}
	case bool:
		if x.Text != strconv.FormatBool(v) {
			t.Errorf("%s: XML %q, JSON %v", where, x.Text, v)
		}
	default:
		t.Errorf("%s: unexpected JSON value %v", where, v)
	}
}

// checkXML fetches the XML twin of a JSON answer and compares them.
func checkXML(t *testing.T, jsonResp, xmlResp o311Resp, root, item string) {
	t.Helper()
	if xmlResp.status != jsonResp.status {
		t.Fatalf("XML status %d, JSON %d", xmlResp.status, jsonResp.status)
	}
	if ct := xmlResp.header.Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		t.Errorf("XML Content-Type %q", ct)
	}
	if ct := jsonResp.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("JSON Content-Type %q", ct)
	}
	var x xnode
	if err := xml.Unmarshal(xmlResp.body, &x); err != nil {
		t.Fatalf("XML does not parse: %v\n%s", err, xmlResp.body)
	}
	if x.XMLName.Local != root {
		t.Errorf("XML root <%s>, want <%s>", x.XMLName.Local, root)
	}
	for _, n := range x.Nodes {
		if item != "" && n.XMLName.Local != item {
			t.Errorf("<%s> holds <%s>, want <%s>", root, n.XMLName.Local, item)
		}
	}
	sameAsJSON(t, root, jsonResp.json(t), x)
}

// both fetches path in JSON and XML, checks the XML against the JSON, and
// returns the JSON answer.
func (e *o311Env) both(t *testing.T, method, path string, form url.Values, root, item string) o311Resp {
	t.Helper()
	call := e.get
	if method == "POST" {
		call = e.post
	}
	j := call(path+".json", form)
	x := call(path+".xml", form)
	if method == "POST" {
		// Each POST files a request: compare the shapes, not the ids.
		var xj any
		json.Unmarshal(j.body, &xj)
		var n xnode
		if err := xml.Unmarshal(x.body, &n); err != nil {
			t.Fatalf("XML does not parse: %v\n%s", err, x.body)
		}
		if n.XMLName.Local != root || len(n.Nodes) != 1 || n.Nodes[0].XMLName.Local != item {
			t.Fatalf("POST XML: %s", x.body)
		}
		var names []string
		for _, c := range n.Nodes[0].Nodes {
			names = append(names, c.XMLName.Local)
		}
		var keys []string
		for k := range xj.([]any)[0].(map[string]any) {
			keys = append(keys, k)
		}
		slices.Sort(names)
		slices.Sort(keys)
		if !slices.Equal(names, keys) {
			t.Errorf("POST XML has %v, JSON %v", names, keys)
		}
		return j
	}
	checkXML(t, j, x, root, item)
	return j
}

func TestOpen311AnswersMatchTheSchemas(t *testing.T) {
	schemas := loadO311Schemas(t)
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		id := e.file(t, func(f url.Values) {
			f.Set("address_string", "乌兰镇 <b>幸福</b>路 & 1号")
			f.Set("share_location", "true") // else only the township and village are shown
			f["attribute[for][]"] = []string{"self", "child"}
		})
		e.work(t, id, archive.Command{Action: archive.ActDispatch, Unit: "a"}, archive.Command{Action: archive.ActSign},
			archive.Command{Action: archive.ActReply, Body: "已收到，正在核实。"})
		// A published item from the online desk, answered, without a category.
		st, created := e.do("POST", "/api/v1/items", "", map[string]any{"kind": "consultation", "channel": "online_desk",
			"text": "夜间可以办身份证吗？", "publish": true, "contact": map[string]any{"name": "李某", "phone": "13900003333"}})
		if st != 201 {
			t.Fatalf("desk item: %d %v", st, created)
		}
		e.work(t, created["number"].(string), archive.Command{Action: archive.ActDispatch, Unit: "b"},
			archive.Command{Action: archive.ActSign}, archive.Command{Action: archive.ActAnswer, Body: "可以预约夜间办理。"})

		t.Run("discovery", func(t *testing.T) {
			r := e.both(t, "GET", "discovery", nil, "discovery", "")
			d := r.json(t).(map[string]any)
			ep := d["endpoints"].([]any)[0].(map[string]any)
			if ep["url"] != e.url+"/open311/v2" || ep["specification"] != "http://wiki.open311.org/GeoReport_v2" ||
				ep["type"] != "production" || fmt.Sprint(ep["formats"]) != "[application/json text/xml]" {
				t.Errorf("discovery: %s", r.body)
			}
			for _, f := range []string{"changeset", "contact", "key_service"} {
				if d[f] == "" || d[f] == nil {
					t.Errorf("discovery lacks %s: %s", f, r.body)
				}
			}
		})
		t.Run("services", func(t *testing.T) {
			r := e.both(t, "GET", "services", nil, "services", "service")
			validate(t, schemas.services, r, false)
			list := r.list(t)
			codes := []string{}
			for _, s := range list {
				codes = append(codes, s["service_code"].(string))
			}
			if !slices.Equal(codes, []string{"hukou", "permit"}) {
				t.Errorf("services %v: the active categories are hukou and permit", codes)
			}
			p := list[1]
			if p["metadata"] != true || list[0]["metadata"] != false || p["type"] != "realtime" ||
				p["keywords"] != "护照,通行证,签注" || p["group"] != "窗口服务" || p["service_name"] != "出入境证件" {
				t.Errorf("service: %v", p)
			}
		})
		t.Run("service definition", func(t *testing.T) {
			for _, code := range []string{"permit", "hukou"} {
				r := e.both(t, "GET", "services/"+code, nil, "service_definition", "")
				validate(t, schemas.definition, r, false)
				if r.status != 200 {
					t.Fatalf("%s: %d %s", code, r.status, r.body)
				}
			}
			d := e.get("services/permit.json", nil).json(t).(map[string]any)
			attrs := d["attributes"].([]any)
			doc := attrs[0].(map[string]any)
			if len(attrs) != 3 || doc["code"] != "doc" || doc["variable"] != true || doc["required"] != true ||
				doc["order"] != 1.0 || doc["datatype"] != "singlevaluelist" || len(doc["values"].([]any)) != 2 {
				t.Errorf("definition: %v", d)
			}
			// The XML nests <attributes><attribute>…<values><value><key/><name/>.
			x := e.get("services/permit.xml", nil)
			for _, want := range []string{"<service_definition><service_code>permit</service_code><attributes><attribute><variable>true</variable>",
				"<values><value><key>passport</key><name>护照</name></value>"} {
				if !strings.Contains(string(x.body), want) {
					t.Errorf("XML lacks %s: %s", want, x.body)
				}
			}
		})
		t.Run("POST requests", func(t *testing.T) {
			r := e.both(t, "POST", "requests", e.goodRequest(), "service_requests", "request")
			validate(t, schemas.created, r, true)
			c := r.list(t)[0]
			if c["token"] != "tok-"+c["service_request_id"].(string) || !strings.Contains(c["service_notice"].(string), "办理期限") {
				t.Errorf("created: %s", r.body)
			}
		})
		t.Run("requests", func(t *testing.T) {
			r := e.both(t, "GET", "requests", nil, "service_requests", "request")
			validate(t, schemas.requests, r, false)
			if n := len(r.list(t)); n != 4 {
				t.Errorf("%d requests, want 4 (three filed through Open311, one published): %s", n, r.body)
			}
			one := e.both(t, "GET", "requests/"+id, nil, "service_requests", "request")
			validate(t, schemas.requests, one, false)
			req := one.list(t)[0]
			if req["service_request_id"] != id || req["status"] != "open" || req["status_notes"] != "已收到，正在核实。" ||
				req["service_code"] != "permit" || req["service_name"] != "出入境证件" || req["agency_responsible"] != "甲派出所" ||
				req["lat"] != 39.8365 || req["long"] != 109.9808 || req["address"] != "乌兰镇 <b>幸福</b>路 & 1号" {
				t.Errorf("request: %s", one.body)
			}
			for _, f := range []string{"requested_datetime", "updated_datetime", "expected_datetime"} {
				if !strings.HasSuffix(req[f].(string), "+08:00") {
					t.Errorf("%s = %v: want China time", f, req[f])
				}
			}
			if !strings.Contains(req["description"].(string), "哪种证件？：护照") || !strings.Contains(req["description"].(string), "本人、子女") {
				t.Errorf("description lacks the answers: %v", req["description"])
			}
			for _, secret := range []string{"13900002222", "王", "小明", "wang@example.com", "13900003333", "李某", "city-app"} {
				if bytes.Contains(r.body, []byte(secret)) || bytes.Contains(one.body, []byte(secret)) {
					t.Errorf("requests leak %q", secret)
				}
			}
		})
		t.Run("tokens", func(t *testing.T) {
			r := e.both(t, "GET", "tokens/tok-"+id, nil, "service_requests", "request")
			validate(t, schemas.token, r, true)
			if got := r.list(t)[0]; got["token"] != "tok-"+id || got["service_request_id"] != id {
				t.Errorf("token: %s", r.body)
			}
		})
		t.Run("servicerequestupdates", func(t *testing.T) {
			r := e.both(t, "GET", "servicerequestupdates", nil, "service_requests_updates", "request_update")
			if len(r.list(t)) == 0 {
				t.Fatalf("no updates: %s", r.body)
			}
		})
		t.Run("errors", func(t *testing.T) {
			r := e.both(t, "GET", "requests/2000-999999", nil, "errors", "error")
			validate(t, schemas.errors, r, false)
			errs := r.list(t)
			if r.status != 404 || len(errs) != 1 || errs[0]["code"] != 404.0 || errs[0]["description"] == "" {
				t.Errorf("error: %d %s", r.status, r.body)
			}
		})
	})
}

// o311Client is a GeoReport v2 client written from the specification only:
// it discovers the endpoint, then speaks url-encoded POSTs and JSON or XML GETs.
type o311Client struct {
	t    *testing.T
	base string
	key  string
}

func discover(t *testing.T, server, key string) *o311Client {
	t.Helper()
	r := o311Call(t, "GET", server+"/open311/v2/discovery.json", nil)
	var d struct {
		Endpoints []struct {
			Specification, URL, Type string
			Formats                  []string
		}
	}
	if err := json.Unmarshal(r.body, &d); err != nil {
		t.Fatalf("discovery: %v %s", err, r.body)
	}
	for _, ep := range d.Endpoints {
		if ep.Specification == "http://wiki.open311.org/GeoReport_v2" && ep.Type == "production" && slices.Contains(ep.Formats, "application/json") {
			return &o311Client{t: t, base: ep.URL, key: key}
		}
	}
	t.Fatalf("no GeoReport v2 endpoint: %s", r.body)
	return nil
}

func (c *o311Client) getJSON(path string, q url.Values, v any) int {
	c.t.Helper()
	r := o311Call(c.t, "GET", c.base+"/"+path+".json", q)
	if err := json.Unmarshal(r.body, v); err != nil {
		c.t.Fatalf("%s: %v: %s", path, err, r.body)
	}
	return r.status
}

type specRequest struct {
	ID          string   `json:"service_request_id" xml:"service_request_id"`
	Status      string   `json:"status" xml:"status"`
	StatusNotes string   `json:"status_notes" xml:"status_notes"`
	ServiceCode string   `json:"service_code" xml:"service_code"`
	Description string   `json:"description" xml:"description"`
	Requested   string   `json:"requested_datetime" xml:"requested_datetime"`
	Updated     string   `json:"updated_datetime" xml:"updated_datetime"`
	Expected    string   `json:"expected_datetime" xml:"expected_datetime"`
	Lat         *float64 `json:"lat" xml:"lat"`
	Long        *float64 `json:"long" xml:"long"`
}

type specUpdate struct {
	UpdateID    string `json:"update_id" xml:"update_id"`
	ID          string `json:"service_request_id" xml:"service_request_id"`
	Status      string `json:"status" xml:"status"`
	Description string `json:"description" xml:"description"`
	Updated     string `json:"updated_datetime" xml:"updated_datetime"`
}

func TestOpen311ClientFollowsARequestToItsEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		c := discover(t, e.url, e.key)

		type service struct {
			Code     string `json:"service_code"`
			Metadata bool   `json:"metadata"`
		}
		var services []service
		c.getJSON("services", nil, &services)
		i := slices.IndexFunc(services, func(s service) bool { return s.Metadata })
		if i < 0 {
			t.Fatalf("no service with metadata: %v", services)
		}
		code := services[i].Code
		var def struct {
			Attributes []struct {
				Code, Datatype string
				Required       bool
				Values         []struct{ Key, Name string }
			}
		}
		c.getJSON("services/"+code, nil, &def)
		form := url.Values{"api_key": {c.key}, "service_code": {code}, "lat": {"39.5"}, "long": {"107.9"},
			"description": {"孩子的港澳通行证要续签注。"}, "phone": {"13900004444"}, "media_url": {"https://example.org/p/1.jpg"},
			"share_location": {"true"}} // our documented extension: the citizen agrees to show where
		for _, a := range def.Attributes {
			switch {
			case a.Datatype == "multivaluelist":
				form["attribute["+a.Code+"][]"] = []string{a.Values[0].Key, a.Values[1].Key}
			case a.Datatype == "singlevaluelist":
				form.Set("attribute["+a.Code+"]", a.Values[1].Key)
			case a.Required:
				form.Set("attribute["+a.Code+"]", "1")
			}
		}
		r := o311Call(t, "POST", c.base+"/requests.json", form)
		var created []struct {
			ID     string `json:"service_request_id"`
			Token  string `json:"token"`
			Notice string `json:"service_notice"`
		}
		if err := json.Unmarshal(r.body, &created); err != nil || r.status != 200 || len(created) != 1 || created[0].ID == "" {
			t.Fatalf("POST: %d %s", r.status, r.body)
		}
		id := created[0].ID
		var tokens []struct {
			Token string `json:"token"`
			ID    string `json:"service_request_id"`
		}
		if st := c.getJSON("tokens/"+created[0].Token, nil, &tokens); st != 200 || tokens[0].ID != id {
			t.Fatalf("token: %d %v", st, tokens)
		}
		var reqs []specRequest
		if st := c.getJSON("requests/"+id, nil, &reqs); st != 200 || len(reqs) != 1 || reqs[0].Status != "open" ||
			reqs[0].ServiceCode != code || reqs[0].Lat == nil || *reqs[0].Lat != 39.5 {
			t.Fatalf("poll: %d %+v", st, reqs)
		}
		if d := reqs[0].Description; !strings.Contains(d, "港澳通行证") || !strings.Contains(d, "图片: https://example.org/p/1.jpg") {
			t.Errorf("description: %q", d)
		}
		start := time.Now().Add(-time.Hour).Format(time.RFC3339)

		// Staff handle it to the end.
		const reply = "请携带户口簿到出入境窗口办理签注。"
		e.work(t, id, archive.Command{Action: archive.ActDispatch, Unit: "a"}, archive.Command{Action: archive.ActSign},
			archive.Command{Action: archive.ActNote, Body: "内部：核对户籍"},
			archive.Command{Action: archive.ActAnswer, Body: reply},
			archive.Command{Action: archive.ActVisit, Satisfaction: archive.Satisfied},
			archive.Command{Action: archive.ActClose})

		c.getJSON("requests/"+id, nil, &reqs)
		if reqs[0].Status != "closed" || reqs[0].StatusNotes != reply {
			t.Errorf("after close: %+v", reqs[0])
		}
		// The same through XML.
		x := o311Call(t, "GET", c.base+"/requests/"+id+".xml", nil)
		var doc struct {
			XMLName  xml.Name      `xml:"service_requests"`
			Requests []specRequest `xml:"request"`
		}
		if err := xml.Unmarshal(x.body, &doc); err != nil || len(doc.Requests) != 1 || doc.Requests[0].Status != "closed" || doc.Requests[0].StatusNotes != reply {
			t.Errorf("XML after close: %v %s", err, x.body)
		}
		// In the list, by status.
		for _, tc := range []struct {
			status string
			has    bool
		}{{"closed", true}, {"open", false}, {"open,closed", true}, {"", true}} {
			c.getJSON("requests", url.Values{"status": {tc.status}, "service_code": {code}}, &reqs)
			if got := slices.ContainsFunc(reqs, func(r specRequest) bool { return r.ID == id }); got != tc.has {
				t.Errorf("status=%q lists it: %v", tc.status, got)
			}
		}
		// The updates tell the story, the reply and the close included.
		var updates []specUpdate
		if st := c.getJSON("servicerequestupdates", url.Values{"start_date": {start}, "end_date": {time.Now().Add(time.Minute).Format(time.RFC3339)}}, &updates); st != 200 {
			t.Fatalf("updates: %d", st)
		}
		var mine []specUpdate
		for _, u := range updates {
			if u.ID == id {
				mine = append(mine, u)
			}
		}
		if len(mine) < 4 {
			t.Fatalf("updates: %+v", updates)
		}
		last := mine[len(mine)-1]
		if last.Status != "closed" || !slices.ContainsFunc(mine, func(u specUpdate) bool { return u.Description == reply && u.Status == "open" }) {
			t.Errorf("updates: %+v", mine)
		}
		prev := int64(0)
		for _, u := range updates {
			n, err := strconv.ParseInt(u.UpdateID, 10, 64)
			if err != nil || n <= prev {
				t.Errorf("update ids not ascending: %+v", updates)
			}
			prev = n
			if strings.Contains(u.Description, "内部") {
				t.Errorf("an internal note leaked: %+v", u)
			}
		}
		xu := o311Call(t, "GET", c.base+"/servicerequestupdates.xml", nil)
		var xdoc struct {
			Updates []specUpdate `xml:"request_update"`
		}
		if err := xml.Unmarshal(xu.body, &xdoc); err != nil || len(xdoc.Updates) != len(updates) {
			t.Errorf("XML updates: %v %s", err, xu.body)
		}
		// The client was named in the log.
		if !strings.Contains(e.logs.String(), `"client":"city-app"`) {
			t.Errorf("the log does not name the client:\n%s", e.logs.String())
		}
	})
}

func TestOpen311Errors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		revoked := e.newKey("old-app", 0)
		if err := db.RevokeAPIKey(ctx, "old-app", time.Now()); err != nil {
			t.Fatal(err)
		}
		id := e.file(t, nil)
		before := e.count()
		with := func(change func(url.Values)) url.Values {
			f := e.goodRequest()
			change(f)
			return f
		}
		day := func(d int) string { return time.Now().AddDate(0, 0, d).Format(time.RFC3339) }
		tests := []struct {
			name, method, path string
			form               url.Values
			status             int
			field              string // named at the start of a description
		}{
			{"no api_key", "POST", "requests.json", with(func(f url.Values) { f.Del("api_key") }), 403, "api_key"},
			{"empty api_key", "POST", "requests.json", with(func(f url.Values) { f.Set("api_key", "") }), 403, "api_key"},
			{"unknown api_key", "POST", "requests.json", with(func(f url.Values) { f.Set("api_key", "mnk_nosuchkey") }), 403, "api_key"},
			{"revoked api_key", "POST", "requests.json", with(func(f url.Values) { f.Set("api_key", revoked) }), 403, "api_key"},
			{"revoked api_key, XML", "POST", "requests.xml", with(func(f url.Values) { f.Set("api_key", revoked) }), 403, "api_key"},
			{"bad api_key on a GET", "GET", "services.json", url.Values{"api_key": {"mnk_nosuchkey"}}, 403, "api_key"},
			{"unknown service_code", "POST", "requests.json", with(func(f url.Values) { f.Set("service_code", "nosuch") }), 400, "service_code"},
			{"inactive service_code", "POST", "requests.json", with(func(f url.Values) { f.Set("service_code", "retired") }), 400, "service_code"},
			{"no service_code", "POST", "requests.json", with(func(f url.Values) { f.Del("service_code") }), 400, "service_code"},
			{"description over 4000", "POST", "requests.json", with(func(f url.Values) { f.Set("description", strings.Repeat("字", 4001)) }), 400, "description"},
			{"description fits, not with its answers", "POST", "requests.json", with(func(f url.Values) { f.Set("description", strings.Repeat("字", 3999)) }), 400, "description"},
			{"no description", "POST", "requests.json", with(func(f url.Values) { f.Del("description") }), 400, "description"},
			{"lat out of range", "POST", "requests.json", with(func(f url.Values) { f.Set("lat", "91") }), 400, "lat"},
			{"lat not a number", "POST", "requests.json", with(func(f url.Values) { f.Set("lat", "north") }), 400, "lat"},
			{"lat NaN", "POST", "requests.json", with(func(f url.Values) { f.Set("lat", "NaN") }), 400, "lat"},
			{"long out of range", "POST", "requests.json", with(func(f url.Values) { f.Set("long", "-181") }), 400, "long"},
			{"lat without long", "POST", "requests.json", with(func(f url.Values) { f.Del("long") }), 400, "lat"},
			{"no location", "POST", "requests.json", with(func(f url.Values) { f.Del("lat"); f.Del("long") }), 400, "location"},
			{"bad phone", "POST", "requests.json", with(func(f url.Values) { f.Set("phone", "12345") }), 400, "phone"},
			{"bad media_url", "POST", "requests.json", with(func(f url.Values) { f.Set("media_url", "javascript:alert(1)") }), 400, "media_url"},
			{"required attribute missing", "POST", "requests.json", with(func(f url.Values) { f.Del("attribute[doc]") }), 400, "attribute[doc]"},
			{"unknown attribute value", "POST", "requests.json", with(func(f url.Values) { f.Set("attribute[doc]", "visa") }), 400, "attribute[doc]"},
			{"unknown attribute", "POST", "requests.json", with(func(f url.Values) { f.Set("attribute[colour]", "red") }), 400, "attribute[colour]"},
			{"unknown jurisdiction, POST", "POST", "requests.json", with(func(f url.Values) { f.Set("jurisdiction_id", "elsewhere.gov") }), 404, "jurisdiction_id"},
			{"unknown jurisdiction, GET", "GET", "services.json", url.Values{"jurisdiction_id": {"elsewhere.gov"}}, 404, "jurisdiction_id"},
			{"unknown jurisdiction, discovery", "GET", "discovery.xml", url.Values{"jurisdiction_id": {"elsewhere.gov"}}, 404, "jurisdiction_id"},
			{"unknown request id", "GET", "requests/2000-999999.json", nil, 404, ""},
			{"unknown request id, XML", "GET", "requests/nonsense.xml", nil, 404, ""},
			{"unknown service definition", "GET", "services/nosuch.json", nil, 404, "service_code"},
			{"inactive service definition", "GET", "services/retired.json", nil, 404, "service_code"},
			{"unknown token", "GET", "tokens/tok-2000-999999.json", nil, 404, "token"},
			{"token of no form", "GET", "tokens/" + id + ".json", nil, 404, "token"},
			{"range over 90 days", "GET", "requests.json", url.Values{"start_date": {day(-91)}, "end_date": {day(0)}}, 400, "end_date"},
			{"updates range over 90 days", "GET", "servicerequestupdates.json", url.Values{"start_date": {"2026-01-01"}, "end_date": {"2026-04-01"}}, 400, "end_date"},
			{"end before start", "GET", "requests.json", url.Values{"start_date": {day(0)}, "end_date": {day(-1)}}, 400, "end_date"},
			{"bad start_date", "GET", "requests.json", url.Values{"start_date": {"yesterday"}}, 400, "start_date"},
			{"bad status", "GET", "requests.json", url.Values{"status": {"open,pending"}}, 400, "status"},
			{"page_size too big", "GET", "requests.json", url.Values{"page_size": {"201"}}, 400, "page_size"},
			{"page 0", "GET", "requests.json", url.Values{"page": {"0"}}, 400, "page"},
			{"paging too deep", "GET", "requests.json", url.Values{"page": {"51"}, "page_size": {"200"}}, 400, "page"},
			{"updates paging too deep", "GET", "servicerequestupdates.json", url.Values{"page": {"11"}}, 400, "page"},
			{"unknown format", "GET", "requests.txt", nil, 404, ""},
			{"no format", "GET", "requests", nil, 404, ""},
			{"unknown endpoint", "GET", "nothing.json", nil, 404, ""},
			{"unknown endpoint, XML", "GET", "v3/nothing.xml", nil, 404, ""},
			{"body over the limit", "POST", "requests.xml", with(func(f url.Values) { f.Set("description", strings.Repeat("a", 70<<10)) }), 413, ""},
			{"unknown nested endpoint", "GET", "services/a/b.json", nil, 404, ""},
			{"wrong method", "PUT", "requests.json", nil, 405, ""},
			{"POST to services", "POST", "services.json", with(func(url.Values) {}), 405, ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := o311Call(t, tc.method, e.url+"/open311/v2/"+tc.path, tc.form)
				if r.status != tc.status {
					t.Fatalf("%d, want %d: %s", r.status, tc.status, r.body)
				}
				var errs []struct {
					Code        int    `json:"code"`
					Description string `json:"description"`
				}
				if strings.HasSuffix(tc.path, ".xml") {
					var x struct {
						XMLName xml.Name `xml:"errors"`
						Errors  []struct {
							Code        int    `xml:"code"`
							Description string `xml:"description"`
						} `xml:"error"`
					}
					if err := xml.Unmarshal(r.body, &x); err != nil {
						t.Fatalf("XML errors: %v: %s", err, r.body)
					}
					for _, x := range x.Errors {
						errs = append(errs, struct {
							Code        int    `json:"code"`
							Description string `json:"description"`
						}{x.Code, x.Description})
					}
				} else if err := json.Unmarshal(r.body, &errs); err != nil {
					t.Fatalf("not the spec's error array: %v: %s", err, r.body)
				}
				if len(errs) == 0 {
					t.Fatalf("no errors: %s", r.body)
				}
				named := tc.field == ""
				for _, x := range errs {
					if x.Code != tc.status || x.Description == "" {
						t.Errorf("entry %+v", x)
					}
					named = named || strings.HasPrefix(x.Description, tc.field+": ")
				}
				if !named {
					t.Errorf("no entry names %s: %s", tc.field, r.body)
				}
			})
		}
		if after := e.count(); after != before {
			t.Errorf("refused requests stored %d items", after-before)
		}

		t.Run("empty parameters are absent", func(t *testing.T) {
			empty := url.Values{}
			for _, p := range []string{"service_request_id", "service_code", "start_date", "end_date", "status", "page", "page_size", "jurisdiction_id", "api_key"} {
				empty.Set(p, "")
			}
			a, b := e.get("requests.json", nil), e.get("requests.json", empty)
			if a.status != 200 || b.status != 200 || !bytes.Equal(a.body, b.body) {
				t.Errorf("absent %d %s\nempty %d %s", a.status, a.body, b.status, b.body)
			}
			u1, u2 := e.get("servicerequestupdates.json", nil), e.get("servicerequestupdates.json", url.Values{"start_date": {""}, "end_date": {""}})
			if u2.status != 200 || !bytes.Equal(u1.body, u2.body) {
				t.Errorf("updates: %d %s", u2.status, u2.body)
			}
			// An empty address_string next to coordinates is no address.
			id := e.file(t, func(f url.Values) {
				f.Set("address_string", "")
				f.Set("address_id", "")
				f.Set("email", "")
			})
			if got := e.get("requests/"+id+".json", nil).list(t)[0]; got["address"] != nil {
				t.Errorf("address %v", got["address"])
			}
			// Without coordinates, an address is the location.
			e.file(t, func(f url.Values) {
				f.Set("lat", "")
				f.Set("long", "")
				f.Set("address_string", "乌兰镇")
			})
		})
		t.Run("the configured jurisdiction", func(t *testing.T) {
			if r := e.get("services.json", url.Values{"jurisdiction_id": {o311Jurisdiction}}); r.status != 200 {
				t.Errorf("%d %s", r.status, r.body)
			}
		})
	})
}

func TestOpen311RateLimitAndCORS(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		key := e.newKey("slow-app", 3)
		before := e.count()
		form := e.goodRequest()
		form.Set("api_key", key)
		for i := range 3 {
			if r := e.post("requests.json", form); r.status != 200 {
				t.Fatalf("request %d: %d %s", i+1, r.status, r.body)
			}
		}
		r := e.post("requests.json", form)
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("over the limit: %d %s", r.status, r.body)
		}
		if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
			t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
		}
		if errs := r.list(t); len(errs) != 1 || errs[0]["code"] != 429.0 {
			t.Errorf("429 body: %s", r.body)
		}
		if r := e.get("services.xml", url.Values{"api_key": {key}}); r.status != 429 || !bytes.Contains(r.body, []byte("<errors><error><code>429</code>")) {
			t.Errorf("keyed GET over the limit: %d %s", r.status, r.body)
		}
		if got := e.count() - before; got != 3 {
			t.Errorf("%d items stored, want 3", got)
		}
		// Other keys and keyless reading are not held back.
		if r := e.post("requests.json", e.goodRequest()); r.status != 200 {
			t.Errorf("another key: %d %s", r.status, r.body)
		}
		if r := e.get("services.json", nil); r.status != 200 {
			t.Errorf("keyless GET: %d", r.status)
		}
		// The key's use was recorded.
		keys, err := db.APIKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if k.Name == "slow-app" && k.LastUsedAt == nil {
				t.Errorf("last use of %s not recorded", k.Name)
			}
		}

		// CORS: reading is open to any origin; filing is not.
		for _, path := range []string{"services.json", "requests.xml", "discovery.json", "requests/2000-999999.json"} {
			if r := e.get(path, nil); r.header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("GET %s: no CORS header", path)
			}
		}
		if r := e.post("requests.json", e.goodRequest()); r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("POST answered with CORS")
		}
		for _, path := range []string{"requests.json", "services/permit.json", "requests/x.json", "tokens/x.json"} {
			r := o311Call(t, "OPTIONS", e.url+"/open311/v2/"+path, nil)
			if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "*" || r.header.Get("Access-Control-Allow-Methods") != "GET" {
				t.Errorf("OPTIONS %s: %d %v", path, r.status, r.header)
			}
		}
	})
}

func TestOpen311ListsOnlyWhatIsPublic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		fileAPI := func(publish bool, text string) string {
			st, body := e.do("POST", "/api/v1/items", "", map[string]any{"kind": "consultation", "channel": "online_box",
				"category": "hukou", "text": text, "publish": publish, "contact": map[string]any{"name": "赵某", "phone": "13900005555"}})
			if st != 201 {
				t.Fatalf("file: %d %v", st, body)
			}
			return body["number"].(string)
		}
		private := fileAPI(false, "不公开的留言")
		e.work(t, private, archive.Command{Action: archive.ActDispatch, Unit: "a"}, archive.Command{Action: archive.ActSign},
			archive.Command{Action: archive.ActAnswer, Body: "私下答复"})
		unanswered := fileAPI(true, "愿意公开但还没答复")
		published := fileAPI(true, "愿意公开且已答复")
		e.work(t, published, archive.Command{Action: archive.ActDispatch, Unit: "a"}, archive.Command{Action: archive.ActSign},
			archive.Command{Action: archive.ActNote, Body: "内部备注不能外传"},
			archive.Command{Action: archive.ActAnswer, Body: "公开答复"})
		var filed []string
		for i := range 7 {
			filed = append(filed, e.file(t, func(f url.Values) { f.Set("description", "第"+strconv.Itoa(i)+"件") }))
		}
		slices.Reverse(filed) // newest first
		want := append(slices.Clone(filed), published)

		all := e.get("requests.json", url.Values{"page_size": {"200"}}).list(t)
		var ids []string
		for _, r := range all {
			ids = append(ids, r["service_request_id"].(string))
		}
		if !slices.Equal(ids, want) {
			t.Errorf("listed %v, want %v", ids, want)
		}
		for _, hidden := range []string{private, unanswered} {
			if r := e.get("requests/"+hidden+".json", nil); r.status != 404 {
				t.Errorf("%s readable: %d %s", hidden, r.status, r.body)
			}
			if r := e.get("requests.json", url.Values{"service_request_id": {hidden}}); r.status != 200 || len(r.list(t)) != 0 {
				t.Errorf("%s listed by id: %s", hidden, r.body)
			}
			if r := e.get("tokens/tok-"+hidden+".json", nil); r.status != 404 {
				t.Errorf("token of %s: %d", hidden, r.status)
			}
		}
		if r := e.get("tokens/tok-"+published+".json", nil); r.status != 404 {
			t.Errorf("a desk item has no token: %d", r.status)
		}

		t.Run("pages", func(t *testing.T) {
			for _, size := range []int{1, 3, 4, 8, 9} {
				var got []string
				for page := 1; ; page++ {
					r := e.get("requests.json", url.Values{"page": {strconv.Itoa(page)}, "page_size": {strconv.Itoa(size)}})
					list := r.list(t)
					if len(list) > size {
						t.Fatalf("page of %d holds %d", size, len(list))
					}
					for _, x := range list {
						got = append(got, x["service_request_id"].(string))
					}
					if len(list) < size {
						break
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("pages of %d: %v, want %v", size, got, want)
				}
			}
		})
		t.Run("by id", func(t *testing.T) {
			q := url.Values{"service_request_id": {filed[2] + "," + published + ",2000-999999," + private},
				"status": {"nonsense"}, "start_date": {"2001-01-01"}} // the ids override everything else
			r := e.get("requests.json", q)
			var ids []string
			for _, x := range r.list(t) {
				ids = append(ids, x["service_request_id"].(string))
			}
			if !slices.Equal(ids, []string{filed[2], published}) {
				t.Errorf("by id: %d %v", r.status, ids)
			}
		})
		t.Run("filters", func(t *testing.T) {
			if n := len(e.get("requests.json", url.Values{"service_code": {"hukou"}}).list(t)); n != 1 {
				t.Errorf("service_code=hukou: %d", n)
			}
			if n := len(e.get("requests.json", url.Values{"status": {"closed"}}).list(t)); n != 0 {
				t.Errorf("status=closed: %d", n)
			}
			past := url.Values{"start_date": {"2020-01-01"}, "end_date": {"2020-03-01"}}
			if n := len(e.get("requests.json", past).list(t)); n != 0 {
				t.Errorf("2020: %d", n)
			}
			today := time.Now().In(calendar.Zone).Format("2006-01-02")
			if n := len(e.get("requests.json", url.Values{"start_date": {today}, "end_date": {today}}).list(t)); n != len(want) {
				t.Errorf("today: %d", n)
			}
		})
		t.Run("updates", func(t *testing.T) {
			r := e.get("servicerequestupdates.json", nil)
			body := string(r.body)
			for _, secret := range []string{"内部备注", "私下答复", "13900005555", "赵某", "leader"} {
				if strings.Contains(body, secret) {
					t.Errorf("updates leak %q", secret)
				}
			}
			updates := r.list(t)
			seen := map[string]bool{}
			for _, u := range updates {
				seen[u["service_request_id"].(string)] = true
			}
			if seen[private] || seen[unanswered] || !seen[published] || !seen[filed[0]] {
				t.Errorf("updates of %v", seen)
			}
			// Paged, they are the same updates.
			var paged []any
			for page := 1; page < 100; page++ {
				list := e.get("servicerequestupdates.json", url.Values{"page": {strconv.Itoa(page)}, "page_size": {"4"}}).list(t)
				for _, x := range list {
					paged = append(paged, x["update_id"])
				}
				if len(list) < 4 {
					break
				}
			}
			if len(paged) != len(updates) {
				t.Errorf("%d updates paged, %d at once", len(paged), len(updates))
			}
		})
	})
}

// The schemas must be able to fail: answers that break the specification
// are refused, so a passing TestOpen311AnswersMatchTheSchemas means something.
func TestOpen311SchemasRefuseWrongAnswers(t *testing.T) {
	s := loadO311Schemas(t)
	cases := []struct {
		name   string
		schema *jsonschema.Schema
		doc    string
	}{
		{"service without code", s.services, `[{"service_name":"户籍","metadata":false,"type":"realtime"}]`},
		{"service of unknown type", s.services, `[{"service_code":"a","service_name":"户籍","metadata":false,"type":"manual"}]`},
		{"list question without values", s.definition, `{"service_code":"a","attributes":[{"variable":true,"code":"q","datatype":"singlevaluelist","required":true,"order":1,"description":"?"}]}`},
		{"request with an internal status", s.requests, `[{"service_request_id":"2021-000001","status":"signed","service_code":"a","requested_datetime":"2021-01-04T09:00:00+08:00"}]`},
		{"request time without zone", s.requests, `[{"service_request_id":"2021-000001","status":"open","service_code":"a","requested_datetime":"2021-01-04 09:00"}]`},
		{"number as id", s.requests, `[{"service_request_id":1,"status":"open","service_code":"a","requested_datetime":"2021-01-04T09:00:00+08:00"}]`},
		{"created without id or token", s.created, `{"service_notice":"ok"}`},
		{"error without description", s.errors, `[{"code":400}]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(c.doc))
			if err != nil {
				t.Fatal(err)
			}
			if c.schema.Validate(doc) == nil {
				t.Errorf("the schema accepts %s", c.doc)
			}
		})
	}
}

// TestOpen311PublishesLocationOnlyWithConsent: anybody may read Open311,
// so an item's location is its township and village; the street address
// and coordinates only for an Open311 request whose citizen consented, and
// never for a question on the online desk.
func TestOpen311PublishesLocationOnlyWithConsent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		lat, lng := 39.8365, 109.9808
		where := archive.Location{Township: "乌兰镇", Village: "新村", Address: "幸福路8号", Lat: &lat, Lng: &lng}
		location := map[string]any{"township": where.Township, "village": where.Village, "address": where.Address,
			"lat": lat, "lng": lng}

		// A desk question with an address and coordinates, published and answered.
		st, b := e.do("POST", "/api/v1/items", "", map[string]any{"kind": "consultation", "channel": "online_desk",
			"text": "夜里门口总有人喝酒吵闹。", "publish": true, "location": location})
		if st != 201 {
			t.Fatalf("desk question: %d %v", st, b)
		}
		desk := b["number"].(string)
		e.work(t, desk, archive.Command{Action: archive.ActDispatch, Unit: "a"}, archive.Command{Action: archive.ActSign},
			archive.Command{Action: archive.ActAnswer, Body: "已加强夜间巡逻。"})
		// Consent is for Open311 requests only: elsewhere it is refused.
		consenting := maps.Clone(location)
		consenting["share_location"] = true
		st, b = e.do("POST", "/api/v1/items", "", map[string]any{"kind": "consultation", "channel": "online_desk",
			"text": "同意公开位置的提问", "publish": true, "location": consenting})
		if st != 400 || fieldsOf(b)["location.share_location"] == nil {
			t.Errorf("consent on a desk question: %d %v", st, b)
		}

		// Open311 requests with the same place, without and with consent.
		file := func(share bool) string {
			sub := archive.Submission{Kind: archive.KindHelp, Category: "permit", Text: "护照丢了，怎么补办？", Location: where}
			sub.Location.ShareLocation = share
			it, _, err := e.svc.SubmitFromClient(ctx, "city-app", sub, archive.Answers{"doc": {"passport"}})
			if err != nil {
				t.Fatal(err)
			}
			return it.Number
		}
		private, shared := file(false), file(true)
		posted := e.file(t, func(f url.Values) { f.Set("address_string", "幸福路8号") })
		postedShared := e.file(t, func(f url.Values) {
			f.Set("address_string", "幸福路8号")
			f.Set("share_location", "1")
		})
		if r := e.post("requests.json", func() url.Values { f := e.goodRequest(); f.Set("share_location", "yes"); return f }()); r.status != 400 ||
			!strings.Contains(string(r.body), "share_location") {
			t.Errorf("share_location=yes: %d %s", r.status, r.body)
		}

		tests := []struct {
			name, id, address string
			coordinates       bool
		}{
			{"desk question", desk, "乌兰镇 新村", false},
			{"Open311 without consent", private, "乌兰镇 新村", false},
			{"Open311 with consent", shared, "乌兰镇 新村 幸福路8号", true},
			{"posted without consent", posted, "", false},
			{"posted with consent", postedShared, "幸福路8号", true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, r := range []o311Resp{
					e.both(t, "GET", "requests/"+tt.id, nil, "service_requests", "request"),
					e.both(t, "GET", "requests", url.Values{"service_request_id": {tt.id}}, "service_requests", "request"),
				} {
					req := r.list(t)[0]
					if got, _ := req["address"].(string); got != tt.address {
						t.Errorf("address %q, want %q", got, tt.address)
					}
					if has := req["lat"] != nil || req["long"] != nil; has != tt.coordinates {
						t.Errorf("coordinates shown: %v, want %v: %s", has, tt.coordinates, r.body)
					}
				}
				x := e.get("requests/"+tt.id+".xml", nil)
				if bytes.Contains(x.body, []byte("<lat>")) != tt.coordinates || bytes.Contains(x.body, []byte("幸福路")) != strings.Contains(tt.address, "幸福路") {
					t.Errorf("XML: %s", x.body)
				}
			})
		}
		// The list shows no more than the requests one by one.
		all := e.get("requests.xml", url.Values{"page_size": {"200"}})
		if n := bytes.Count(all.body, []byte("幸福路")); n != 2 {
			t.Errorf("the list shows the street %d times, want 2 (the consenting requests): %s", n, all.body)
		}
	})
}

// TestOpen311UpdatedOnlyByPublicEvents: updated_datetime moves with what
// servicerequestupdates shows, never with an internal note or a look at
// the citizen's phone, which would tell anybody when staff looked.
func TestOpen311UpdatedOnlyByPublicEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		base := time.Now().Add(-time.Hour).Truncate(time.Second)
		clock := testkit.NewClock(base)
		e.svc.Now = clock.Now
		at := func(minutes int) { clock.Set(base.Add(time.Duration(minutes) * time.Minute)) }
		leader, err := db.UserByName(ctx, "leader")
		if err != nil {
			t.Fatal(err)
		}
		id := e.file(t, nil)
		updated := func() string {
			t.Helper()
			one := e.get("requests/"+id+".json", nil).list(t)[0]["updated_datetime"]
			var listed any
			for _, r := range e.get("requests.json", url.Values{"service_code": {"permit"}}).list(t) {
				if r["service_request_id"] == id {
					listed = r["updated_datetime"]
				}
			}
			if one != listed {
				t.Errorf("by id %v, listed %v", one, listed)
			}
			s, _ := one.(string)
			return s
		}
		stamp := func(minutes int) string {
			return base.Add(time.Duration(minutes) * time.Minute).In(calendar.Zone).Format(time.RFC3339)
		}
		if got := updated(); got != stamp(0) {
			t.Fatalf("filed: updated %s, want %s", got, stamp(0))
		}
		at(1)
		e.work(t, id, archive.Command{Action: archive.ActDispatch, Unit: "a"}, archive.Command{Action: archive.ActSign})
		tests := []struct {
			name string
			act  func()
			want int // minutes after base
		}{
			{"internal note", func() { e.work(t, id, archive.Command{Action: archive.ActNote, Body: "内部：核对户籍"}) }, 1},
			{"reveal contact", func() {
				if _, err := e.svc.Reveal(ctx, leader, id); err != nil {
					t.Fatal(err)
				}
			}, 1},
			{"public reply", func() { e.work(t, id, archive.Command{Action: archive.ActReply, Body: "已收到，正在核实。"}) }, 4},
			{"note after the reply", func() { e.work(t, id, archive.Command{Action: archive.ActNote, Body: "再次核对"}) }, 4},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				at(2 + i)
				tt.act()
				if got := updated(); got != stamp(tt.want) {
					t.Errorf("updated_datetime %s, want %s", got, stamp(tt.want))
				}
			})
		}
		// The same notion as the updates: the last one listed is that time.
		var last string
		for _, u := range e.get("servicerequestupdates.json", nil).list(t) {
			if u["service_request_id"] == id {
				last = u["updated_datetime"].(string)
			}
		}
		if last != updated() {
			t.Errorf("last update at %s, updated_datetime %s", last, updated())
		}
	})
}

// TestOpen311ShowsTheDesksPublicVersion: a desk question is readable
// through Open311 only as the desk shows it, in its reviewed public
// version: never before that version is published, never with the text
// the citizen or the officer wrote, which may name the citizen, and its
// updates carry no reply written to the citizen.
func TestOpen311ShowsTheDesksPublicVersion(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		file := func(name, text string) string {
			st, body := e.do("POST", "/api/v1/items", "", map[string]any{"kind": "consultation", "channel": "online_desk",
				"category": "hukou", "text": text, "publish": true, "contact": map[string]any{"name": name, "phone": "13900006666"}})
			if st != 201 {
				t.Fatalf("file: %d %v", st, body)
			}
			return body["number"].(string)
		}
		start := []archive.Command{{Action: archive.ActDispatch, Unit: "a"}, {Action: archive.ActSign}}
		clean := file("赵某", "户籍迁移怎么办？")
		e.work(t, clean, append(start, archive.Command{Action: archive.ActReply, Body: "赵某您好，已收到，正在办理。"},
			archive.Command{Action: archive.ActAnswer, Body: "带户口簿到户籍窗口办理。"})...)
		named := file("巴特尔", "我是巴特尔，户籍窗口几点开门？")
		e.work(t, named, append(start, archive.Command{Action: archive.ActAnswer, Body: "巴特尔您好，工作日八点半开门。"})...)
		secrets := []string{"巴特尔", "赵某", "13900006666"}
		leaks := func(what string, body []byte) {
			t.Helper()
			for _, s := range secrets {
				if strings.Contains(string(body), s) {
					t.Errorf("%s shows %q: %s", what, s, body)
				}
			}
		}
		ids := func(list []map[string]any) []string {
			var out []string
			for _, r := range list {
				out = append(out, r["service_request_id"].(string))
			}
			return out
		}

		// Waiting for review, the question that names its citizen is not public.
		if r := e.get("requests/"+named+".json", nil); r.status != 404 {
			t.Errorf("a question waiting for review: %d %s", r.status, r.body)
		}
		list := e.get("requests.json", nil)
		leaks("the list", list.body)
		if got := ids(list.list(t)); !slices.Equal(got, []string{clean}) {
			t.Errorf("listed %v, want only %s", got, clean)
		}
		updates := e.get("servicerequestupdates.json", nil)
		leaks("the updates", updates.body)
		var answer bool
		for _, u := range updates.list(t) {
			if u["service_request_id"] == named {
				t.Errorf("an update of the question waiting for review: %v", u)
			}
			answer = answer || u["description"] == "带户口簿到户籍窗口办理。"
		}
		if !answer {
			t.Errorf("the updates lack the public answer: %s", updates.body)
		}

		// Published in its reviewed version, it shows that version only.
		yes := true
		public := archive.DeskVersion{Title: "户籍窗口几点开门", Text: "户籍窗口几点开门？", Answer: "您好，工作日八点半开门。"}
		e.work(t, named, archive.Command{Action: archive.ActSetPublish, Publish: &yes, Desk: &public})
		r := e.get("requests/"+named+".json", nil)
		leaks("the request", r.body)
		if got := r.list(t); r.status != 200 || len(got) != 1 || got[0]["description"] != public.Text || got[0]["status_notes"] != public.Answer {
			t.Errorf("the published question: %d %s, want its public version", r.status, r.body)
		}
		list = e.get("requests.json", nil)
		leaks("the list", list.body)
		if got := ids(list.list(t)); !slices.Equal(got, []string{named, clean}) {
			t.Errorf("listed %v, want %s and %s", got, named, clean)
		}
		leaks("the updates", e.get("servicerequestupdates.json", nil).body)
	})
}

// TestOpen311WithholdsRepliesThatNameTheCitizen: the replies and answers
// staff write to the citizen of an item filed through Open311 are public
// through Open311 only when they name nobody; one greeting the citizen by
// name or quoting their phone shows as a placeholder in the request and
// its updates, in both formats, and a clean one still shows.
func TestOpen311WithholdsRepliesThatNameTheCitizen(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newO311Env(t, db)
		start := []archive.Command{{Action: archive.ActDispatch, Unit: "a"}, {Action: archive.ActSign}}
		tests := []struct {
			name   string
			change func(url.Values) // of the POST filing the item
			reply  string
			answer string
			secret []string // never shown; none when the answer is clean
		}{
			{"greeted by family name and title", nil, "王先生您好，已收到，正在核实。",
				"王先生您好，护照补办请带身份证到出入境窗口。", []string{"王先生"}},
			{"the full name given as first_name and last_name", func(f url.Values) { f.Set("first_name", "红梅"); f.Set("last_name", "李") },
				"已收到。", "李红梅您好，请带身份证到出入境窗口。", []string{"李红梅"}},
			{"the citizen's phone quoted", nil, "已收到。", "请保持13900002222畅通，民警会联系您。", []string{"13900002222"}},
			{"a clean answer", nil, "已收到，正在核实。", "请带身份证到出入境窗口办理补办。", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := e.file(t, tt.change)
				e.work(t, id, append(start, archive.Command{Action: archive.ActReply, Body: tt.reply},
					archive.Command{Action: archive.ActAnswer, Body: tt.answer})...)
				want := tt.answer
				if tt.secret != nil {
					want = archive.Open311Withheld
				}
				for _, format := range []string{"json", "xml"} {
					for _, path := range []string{"requests." + format, "requests/" + id + "." + format, "servicerequestupdates." + format} {
						body := string(e.get(path, nil).body)
						for _, s := range tt.secret {
							if strings.Contains(body, s) {
								t.Errorf("%s shows %q: %s", path, s, body)
							}
						}
						if !strings.Contains(body, want) {
							t.Errorf("%s lacks %q: %s", path, want, body)
						}
					}
				}
				r := e.get("requests/"+id+".json", nil).list(t)
				if r[0]["status_notes"] != want {
					t.Errorf("status_notes %q, want %q", r[0]["status_notes"], want)
				}
				var replies []any
				for _, u := range e.get("servicerequestupdates.json", nil).list(t) {
					if u["service_request_id"] == id && (u["description"] == tt.reply ||
						u["description"] == want || u["description"] == archive.Open311Withheld) {
						replies = append(replies, u["description"])
					}
				}
				if len(replies) != 2 || replies[1] != want {
					t.Errorf("updates show the reply and answer as %v, want the answer as %q", replies, want)
				}
			})
		}
	})
}
