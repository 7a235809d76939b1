package pages

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
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

// formDay reads a day a staff form gives as YYYY-MM-DD, in China time; a
// day it cannot read is a problem of field, and ok is false.
func formDay(p *minyi.Problems, field, value string) (day time.Time, ok bool) {
	day, err := time.ParseInLocation("2006-01-02", value, calendar.Zone)
	if err != nil {
		p.Add(field, "日期格式不正确", "date must be YYYY-MM-DD")
		return time.Time{}, false
	}
	return day, true
}

// unitChoice is what a staff form shows of the unit it files for: the
// units to choose from for a user who sees all, else the name of the
// user's own unit, which the form fills in. A name that cannot be read is
// left blank rather than failing the form.
func (s *Pages) unitChoice(ctx context.Context, u org.User) (units []org.Unit, ownName string, err error) {
	if u.SeesAll() {
		units, err = s.Org.Units(ctx)
		return units, "", err
	}
	if unit, err := s.Org.Unit(ctx, u.UnitCode); err == nil {
		ownName = unit.Name
	}
	return nil, ownName, nil
}
