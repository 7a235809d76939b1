package archive

import (
	"strings"

	"minyi"
)

// SettingDutyPhone names the bureau's setting of its duty phone (值班电话):
// the pages tell citizens to call 110 or this number in an emergency,
// because a written message may wait a working day.
const SettingDutyPhone = "duty_phone"

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
