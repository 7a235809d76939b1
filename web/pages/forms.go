package pages

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"

	"minyi/archive"
	"minyi/web/core"
)

// formTokenField carries the form token of a page form that files
// something (write-in, staff entry, meeting): a fresh random secret each
// time the form is shown, so that the same form sent twice files once
// (archive/form.go).
const formTokenField = "form_token"

func newFormToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// telURL is a tel: link to a phone number, keeping only what dials.
func telURL(phone string) template.URL {
	var b strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' || r == '+' {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
}

// dutyPhone returns the bureau's duty phone from its settings. A citizen
// page never fails for it: without it, the emergency notice names 110.
func (s *Pages) dutyPhone(ctx context.Context) string {
	p, err := s.Svc.Config.Setting(ctx, archive.SettingDutyPhone)
	if err != nil {
		s.Log.WarnContext(ctx, "reading the duty phone", "err", err)
	}
	return p
}

// withEmergency readies the emergency notice (template "emergency") of a
// citizen page: call 110, or the bureau's duty phone.
func (s *Pages) withEmergency(r *http.Request, v *core.View) *core.View {
	v.DutyPhone = s.dutyPhone(r.Context())
	return v
}
