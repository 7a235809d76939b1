package pages

import (
	"net/http"

	"minyi/archive"
)

// The bureau's settings page: what citizens are told besides what the
// catalogue says, kept in the database so that every server shows the same.

type adminSettingsData struct {
	DutyPhone string
}

func (s *Pages) adminSettingsPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	s.adminRender(w, r, "admin_settings", "admin.settings.title", adminSettingsData{DutyPhone: s.dutyPhone(r.Context())}, nil)
	return nil
}

// adminSetSettings stores the duty phone shown in the emergency notice of
// the citizen pages.
func (s *Pages) adminSetSettings(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	typed := r.PostFormValue("duty_phone")
	phone, err := s.Svc.Config.SetSetting(r.Context(), admin, archive.SettingDutyPhone, typed)
	if err != nil {
		s.adminRender(w, r, "admin_settings", "admin.settings.title", adminSettingsData{DutyPhone: typed}, err)
		return nil
	}
	s.Log.InfoContext(r.Context(), "duty phone set", "phone", phone, "by", admin.Name)
	s.done(w, r, "/staff/admin/settings", "admin.settings.saved")
	return nil
}
