package open311

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"minyi/web/core"
	"net/http"
	"path"
	"strings"

	"minyi"
)

// Open311 GeoReport v2 answers in the format named by the file suffix of the
// address (.json or .xml). Each answer is built once as a JSON value; the
// XML is derived from that JSON, so both formats always carry the same
// fields: an object becomes an element per field in field order, an array
// becomes a wrapper element with one child per entry, null is left out.

// Open311 formats.
const (
	formatJSON = "json"
	formatXML  = "xml"
)

// o311Call is what the Open311 dispatcher learned about a request.
type o311Call struct {
	format string // formatJSON or formatXML
	id     string // the file name before the suffix: a service code, request id or token
	client string // the API key's name, once a key is verified
}

type o311Key struct{}

func o311From(ctx context.Context) *o311Call {
	c, _ := ctx.Value(o311Key{}).(*o311Call)
	if c == nil {
		c = &o311Call{format: formatJSON}
	}
	return c
}

// splitFormat splits "services.json" into "services" and "json"; ok is
// false for any other suffix.
func splitFormat(file string) (name, format string, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i <= 0 {
		return "", "", false
	}
	name, format = file[:i], file[i+1:]
	return name, format, format == formatJSON || format == formatXML
}

// o311Items names the entries of the arrays the spec wraps in XML: the
// array's element name → each entry's element name.
var o311Items = map[string]string{
	"services":                 "service",
	"service_requests":         "request",
	"service_requests_updates": "request_update",
	"errors":                   "error",
	"attributes":               "attribute",
	"values":                   "value",
	"endpoints":                "endpoint",
	"formats":                  "format",
}

// o311Write sends v in the call's format; root names the XML document
// element (and, for arrays, o311Items names its entries).
func (s *Open311) o311Write(w http.ResponseWriter, r *http.Request, status int, root string, v any) {
	c := o311From(r.Context())
	if c.format != formatXML {
		core.WriteJSON(w, status, v)
		return
	}
	body, err := encodeXML(root, v)
	if err != nil {
		s.Log.ErrorContext(r.Context(), "open311 xml", "err", err)
		status, body = http.StatusInternalServerError, []byte(xml.Header+"<errors><error><code>500</code><description>内部错误 / internal error</description></error></errors>\n")
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body)
}

// encodeXML renders v, marshalled as JSON, as an XML document whose
// element is root.
func encodeXML(root string, v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xmlValue(dec, &b, root); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// xmlValue writes the next JSON value of dec as the element name.
func xmlValue(dec *json.Decoder, b *bytes.Buffer, name string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case nil:
		return nil // null: no element
	case json.Delim:
		fmt.Fprintf(b, "<%s>", name)
		switch t {
		case '{':
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				if err := xmlValue(dec, b, key.(string)); err != nil {
					return err
				}
			}
		case '[':
			item, ok := o311Items[name]
			if !ok {
				item = "item"
			}
			for dec.More() {
				if err := xmlValue(dec, b, item); err != nil {
					return err
				}
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return err
		}
		fmt.Fprintf(b, "</%s>", name)
	case string:
		fmt.Fprintf(b, "<%s>", name)
		if err := xml.EscapeText(b, []byte(t)); err != nil {
			return err
		}
		fmt.Fprintf(b, "</%s>", name)
	case json.Number:
		fmt.Fprintf(b, "<%s>%s</%s>", name, t.String(), name)
	case bool:
		fmt.Fprintf(b, "<%s>%t</%s>", name, t, name)
	default:
		return fmt.Errorf("xml: unexpected JSON token %v", tok)
	}
	return nil
}

// o311Error is one entry of the spec's error answer: [{"code","description"}].
type o311Error struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

// o311Fields renames the archive's input fields to the Open311 parameters
// they came from, so an error names what the client sent.
var o311Fields = map[string]string{
	"text":             "description",
	"category":         "service_code",
	"contact.phone":    "phone",
	"contact.name":     "first_name",
	"location.address": "address_string",
	"location.lat":     "lat",
	"location.lng":     "long",
	// A consent the archive refuses names what the client sent.
	"location.share_location": "share_location",
}

// o311Fail sends err in the spec's error shape: one entry per bad field for
// invalid input, else one entry with the message. Internal details go to
// the log only.
func (s *Open311) o311Fail(w http.ResponseWriter, r *http.Request, err error) {
	s.o311FailStatus(w, r, core.Status(w, err), err)
}

// o311CallFor is the call of a request the dispatcher did not see: the
// format from the address's suffix, else JSON.
func o311CallFor(r *http.Request) *o311Call {
	c := &o311Call{format: formatJSON}
	if name, f, ok := splitFormat(path.Base(r.URL.Path)); ok {
		c.format, c.id = f, name
	}
	return c
}

// FailPath answers a request under /open311/ that no endpoint took
// (unknown address, body over the limit) in the spec's error shape.
func (s *Open311) FailPath(w http.ResponseWriter, r *http.Request, err error) {
	if r.Method != http.MethodPost {
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}
	s.o311Fail(w, r.WithContext(context.WithValue(r.Context(), o311Key{}, o311CallFor(r))), err)
}

func (s *Open311) o311FailStatus(w http.ResponseWriter, r *http.Request, status int, err error) {
	s.Failed(w, r, status, err)
	var body []o311Error
	var e *minyi.Error
	if errors.As(err, &e) && len(e.Fields) > 0 && status < 500 {
		seen := map[string]bool{}
		for _, f := range e.Fields {
			field := f.Field
			if renamed, ok := o311Fields[field]; ok {
				field = renamed
			}
			if !seen[field] { // our checks and the archive's may name the same parameter
				seen[field] = true
				body = append(body, o311Error{Code: status, Description: field + ": " + f.Message()})
			}
		}
	} else {
		body = []o311Error{{Code: status, Description: minyi.ErrorMessage(err)}}
	}
	s.o311Write(w, r, status, "errors", body)
}
