package archive

import (
	"context"
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

// settingChecks are the settings admins may change, each with its check,
// which returns the value as stored or why it cannot be one.
var settingChecks = map[string]func(string) (string, error){
	SettingDutyPhone:      CheckDutyPhone,
	SettingMatterOutcomes: outcome.Check,
	pubchannel.Field:      pubchannel.Check,
	SettingDisputeKinds:   kind.Check,
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
	if err := org.CheckManage(actor); err != nil {
		return "", err
	}
	check, ok := settingChecks[name]
	if !ok {
		return "", minyi.Invalid("name", "没有这项设置", "unknown setting "+name)
	}
	value, err := check(value)
	if err != nil {
		return "", err
	}
	if err := s.Store.SetSetting(ctx, name, value, actor.Name); err != nil {
		return "", err
	}
	return value, nil
}
