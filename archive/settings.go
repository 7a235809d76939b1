package archive

import (
	"context"
	"maps"
	"slices"
	"strings"

	"minyi"
	"minyi/dispute/kind"
	"minyi/org"
	"minyi/outcome"
	"minyi/pubchannel"
)

// SettingDutyPhone names the bureau's setting of its duty phone (值班电话):
// the pages tell citizens to call 110 or this number in an emergency,
// because a written message may wait a working day.
const SettingDutyPhone = "duty_phone"

// SettingMatterOutcomes names the bureau's list of counted outcomes a
// practical matter may report, one `code|中文|English|unit` a line
// (package outcome); unset, the defaults apply.
const SettingMatterOutcomes = outcome.Field

// SettingDisputeKinds names the bureau's list of dispute kinds, one
// `code|中文|English` a line (package dispute/kind); unset, the defaults
// apply.
const SettingDisputeKinds = kind.SettingName

// The site's legal particulars, shown in the footer of every page: the
// organiser (主办单位, the agency's name when unset) and the filing numbers
// a Chinese public website shows, the MIIT's ICP filing (ICP备案号) and the
// public security organs' filing (公安机关备案号).
const (
	SettingOrganiser = "organiser"
	SettingICPFiling = "icp_filing"
	SettingPSBFiling = "psb_filing"
)

// settingChecks are the settings admins may change, each with its check,
// which returns the value as stored or why it cannot be one.
var settingChecks = map[string]func(string) (string, error){
	SettingDutyPhone:      CheckDutyPhone,
	SettingMatterOutcomes: outcome.Check,
	pubchannel.Field:      pubchannel.Check,
	SettingDisputeKinds:   kind.Check,
	SettingOrganiser:      checkSiteLine("organiser", "主办单位"),
	SettingICPFiling:      checkSiteLine("icp_filing", "ICP备案号"),
	SettingPSBFiling:      checkSiteLine("psb_filing", "公安机关备案号"),
}

// MaxSiteLineRunes bounds a line of the site's particulars: an organiser's
// name, a filing number (蒙ICP备2021000001号-1).
const MaxSiteLineRunes = 80

// checkSiteLine checks one line of the site's particulars: plain text of
// one line, trimmed, at most MaxSiteLineRunes; empty means none shown.
func checkSiteLine(field, zh string) func(string) (string, error) {
	return func(v string) (string, error) {
		var p minyi.Problems
		v = checkText(&p, field, v, MaxSiteLineRunes, false)
		if strings.ContainsAny(v, "\r\n\t") {
			p.Add(field, zh+"只能填写一行", field+" must be one line")
		}
		if err := p.Err(); err != nil {
			return "", err
		}
		return v, nil
	}
}

// CheckSetting returns value as the setting name would store it, or why it
// cannot be stored, storing nothing: a form of several settings checks
// them all before saving any.
func CheckSetting(name, value string) (string, error) {
	check, ok := settingChecks[name]
	if !ok {
		return "", minyi.Invalid("name", "没有这项设置", "unknown setting "+name)
	}
	return check(value)
}

// Site is what the footer of every page says of the site: who runs it,
// the duty phone and the filing numbers, as the admins set them.
type Site struct {
	Organiser, DutyPhone, ICPFiling, PSBFiling string
}

// Site reads the site's particulars; unset ones are empty. They are read
// at once, so a page never shows half of them as they were before a save
// of the footer's form and half as after it.
func (s *Config) Site(ctx context.Context) (Site, error) {
	v, err := s.Store.Settings(ctx, SettingOrganiser, SettingDutyPhone, SettingICPFiling, SettingPSBFiling)
	if err != nil {
		return Site{}, err
	}
	return Site{Organiser: v[SettingOrganiser], DutyPhone: v[SettingDutyPhone], ICPFiling: v[SettingICPFiling], PSBFiling: v[SettingPSBFiling]}, nil
}

// CheckDutyPhone returns the duty phone cleaned of surrounding spaces, or
// why it cannot be one: a landline with its area code (0477-1234567) or a
// mobile number. Empty means none: the pages then name 110 alone.
func CheckDutyPhone(phone string) (string, error) {
	phone = strings.TrimSpace(phone)
	if phone == "" || phonePattern.MatchString(phone) {
		return phone, nil
	}
	return "", minyi.Invalid("duty_phone", "请填写带区号的固定电话（如0477-1234567）或手机号", "enter a landline with its area code (e.g. 0477-1234567) or a mobile number")
}

// Setting returns the bureau's setting name, "" when it was never set. The
// settings are what citizens are told (the duty phone): public.
func (s *Config) Setting(ctx context.Context, name string) (string, error) {
	return s.Store.Setting(ctx, name)
}

// SetSetting checks and stores the setting name for actor, an
// administrator, recorded as who changed it; it returns the value stored.
func (s *Config) SetSetting(ctx context.Context, actor org.User, name, value string) (string, error) {
	stored, err := s.SetSettings(ctx, actor, map[string]string{name: value})
	return stored[name], err
}

// SetSettings checks every setting in values and, when all pass, stores
// them in one transaction for actor, an administrator; it returns the
// values stored. A form of several settings (the footer's particulars) so
// changes all of them or, refused or failing, none: the problems of every
// value are reported together.
func (s *Config) SetSettings(ctx context.Context, actor org.User, values map[string]string) (map[string]string, error) {
	if err := org.CheckManage(actor); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(values))
	var problems minyi.Problems
	// In the names' order, so that the problems of a form come in the same
	// order every time, not in the map's.
	for _, name := range slices.Sorted(maps.Keys(values)) {
		v, err := CheckSetting(name, values[name])
		if err != nil {
			if minyi.ErrorCode(err) != minyi.EInvalid {
				return nil, err
			}
			problems.Merge(err)
			continue
		}
		out[name] = v
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	if err := s.Store.SetSettings(ctx, out, actor.Name); err != nil {
		return nil, err
	}
	return out, nil
}
