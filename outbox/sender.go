package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"text/template"
	"time"
)

// Message is one SMS to send.
type Message struct {
	To             string
	Body           string
	Display        string // Body with the access code blanked, for logs
	IdempotencyKey string // the same for every attempt at one notice
}

// Sender sends SMS. It is the one thing minyi mocks in tests: the SMS
// network is outside.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender only writes each message to the log: the default, so a new
// installation never texts anybody by accident.
type LogSender struct{ Log *slog.Logger }

// Send logs m with the phone number masked and the access code blanked:
// logs are read by more people than the citizen.
func (s LogSender) Send(ctx context.Context, m Message) error {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "sms (log only)", "to", maskPhone(m.To), "key", m.IdempotencyKey, "body", m.Display)
	return nil
}

func maskPhone(p string) string {
	if len(p) <= 7 {
		return "****"
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// GatewaySender posts each message to an HTTP SMS gateway. The request body
// is Template filled with the message (fields .To, .Body, .IdempotencyKey,
// each JSON-quoted by the json function); the idempotency key also goes in
// the Idempotency-Key header, so a gateway that honours it sends a retried
// message once. Any 2xx answer is success.
type GatewaySender struct {
	URL         string
	Template    *template.Template
	ContentType string
	Client      *http.Client
}

// DefaultGatewayTemplate is the body posted when none is configured.
const DefaultGatewayTemplate = `{"to":{{json .To}},"text":{{json .Body}},"id":{{json .IdempotencyKey}}}`

// NewGatewaySender returns a sender posting to url with the body template
// text (DefaultGatewayTemplate when empty).
func NewGatewaySender(url, text string) (*GatewaySender, error) {
	if text == "" {
		text = DefaultGatewayTemplate
	}
	t, err := template.New("sms").Funcs(template.FuncMap{"json": func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}}).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("sms template: %w", err)
	}
	return &GatewaySender{URL: url, Template: t, ContentType: "application/json",
		Client: &http.Client{Timeout: 10 * time.Second}}, nil
}

// Send posts m to the gateway.
func (s *GatewaySender) Send(ctx context.Context, m Message) error {
	var body bytes.Buffer
	if err := s.Template.Execute(&body, m); err != nil {
		return fmt.Errorf("sms template: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, &body)
	if err != nil {
		return maskURLError(err)
	}
	req.Header.Set("Content-Type", s.ContentType)
	req.Header.Set("Idempotency-Key", m.IdempotencyKey)
	resp, err := s.Client.Do(req)
	if err != nil {
		return maskURLError(err) // recorded with the notice, shown to administrators
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return fmt.Errorf("sms gateway answered %s: %s", resp.Status, strings.ToValidUTF8(strings.TrimSpace(string(msg)), ""))
	}
	return nil
}
