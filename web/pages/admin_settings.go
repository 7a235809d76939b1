package pages

import (
	"context"
	"net/http"
	"strings"

	"minyi/archive"
	"minyi/dispute/kind"
	"minyi/outcome"
	"minyi/pubchannel"
)

// The bureau's settings page: what citizens are told besides what the
// catalogue says, and the counted outcomes its matters report, kept in the
// database so that every server shows the same.

type adminSettingsData struct {
	DutyPhone string
	// Outcomes are the rows of the counted outcomes' editor: the bureau's
	// keys (or, never set, the defaults) and blank rows to add more.
	Outcomes []outcome.Key
	// Channels are the rows of the publicity channels' editor, likewise.
	Channels []pubchannel.Channel
	// DisputeKinds are the rows of the dispute kinds' editor, likewise.
	DisputeKinds []kind.Kind
}

// blankOutcomeRows is how many empty rows the outcomes' editor offers for
// new keys; saving fills them, and the page offers as many again.
const blankOutcomeRows = 3

func (s *Pages) adminSettingsPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	d, err := s.settingsData(r.Context())
	if err != nil {
		return err
	}
	s.adminRender(w, r, "admin_settings", "admin.settings.title", d, nil)
	return nil
}

// settingsData is the page's data as stored, each editor with its blank
// rows.
func (s *Pages) settingsData(ctx context.Context) (adminSettingsData, error) {
	keys, err := s.Svc.Matters.Outcomes(ctx)
	if err != nil {
		return adminSettingsData{}, err
	}
	channels, err := s.Svc.Publicity.Channels(ctx)
	if err != nil {
		return adminSettingsData{}, err
	}
	kinds, err := s.Svc.Disputes.Kinds(ctx)
	if err != nil {
		return adminSettingsData{}, err
	}
	return adminSettingsData{DutyPhone: s.dutyPhone(ctx), Outcomes: withBlankRows(keys),
		Channels:     append(append([]pubchannel.Channel(nil), channels...), make([]pubchannel.Channel, blankOutcomeRows)...),
		DisputeKinds: append(append([]kind.Kind(nil), kinds...), make([]kind.Kind, blankOutcomeRows)...)}, nil
}

func withBlankRows(keys []outcome.Key) []outcome.Key {
	return append(append([]outcome.Key(nil), keys...), make([]outcome.Key, blankOutcomeRows)...)
}

// adminSetSettings stores the duty phone shown in the emergency notice of
// the citizen pages, or (section outcomes) the counted outcomes matters may
// report. Each form sends its own section, so that a refused one keeps what
// was typed and the other is shown as stored.
func (s *Pages) adminSetSettings(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	switch r.PostFormValue("section") {
	case "dispute_kinds":
		rows, text := disputeKindRowsForm(r)
		if _, err := s.Svc.Config.SetSetting(ctx, admin, kind.SettingName, text); err != nil {
			d, derr := s.settingsData(ctx)
			if derr != nil {
				return derr
			}
			d.DisputeKinds = rows
			s.adminRender(w, r, "admin_settings", "admin.settings.title", d, err)
			return nil
		}
		s.Log.InfoContext(ctx, "dispute kinds set", "kinds", strings.Count(text, "\n")+1, "by", admin.Name)
		s.done(w, r, "/staff/admin/settings#dispute-kinds", "admin.settings.saved")
		return nil
	case "channels":
		rows, text := channelRowsForm(r)
		if _, err := s.Svc.Config.SetSetting(ctx, admin, pubchannel.Field, text); err != nil {
			d, derr := s.settingsData(ctx)
			if derr != nil {
				return derr
			}
			d.Channels = rows
			s.adminRender(w, r, "admin_settings", "admin.settings.title", d, err)
			return nil
		}
		s.Log.InfoContext(ctx, "publicity channels set", "channels", strings.Count(text, "\n")+1, "by", admin.Name)
		s.done(w, r, "/staff/admin/settings#channels", "admin.settings.saved")
		return nil
	case "outcomes":
		rows, text := outcomeRowsForm(r)
		if _, err := s.Svc.Config.SetSetting(ctx, admin, archive.SettingMatterOutcomes, text); err != nil {
			d, derr := s.settingsData(ctx)
			if derr != nil {
				return derr
			}
			d.Outcomes = rows
			s.adminRender(w, r, "admin_settings", "admin.settings.title", d, err)
			return nil
		}
		s.Log.InfoContext(ctx, "matter outcomes set", "keys", strings.Count(text, "\n"), "by", admin.Name)
		s.done(w, r, "/staff/admin/settings#outcomes", "admin.settings.saved")
		return nil
	}
	typed := r.PostFormValue("duty_phone")
	phone, err := s.Svc.Config.SetSetting(ctx, admin, archive.SettingDutyPhone, typed)
	if err != nil {
		d, derr := s.settingsData(ctx)
		if derr != nil {
			return derr
		}
		d.DutyPhone = typed
		s.adminRender(w, r, "admin_settings", "admin.settings.title", d, err)
		return nil
	}
	s.Log.InfoContext(ctx, "duty phone set", "phone", phone, "by", admin.Name)
	s.done(w, r, "/staff/admin/settings", "admin.settings.saved")
	return nil
}

// outcomeRowsForm reads the editor's rows as typed and as the setting's
// lines: row n is line n (an empty row an empty line, which the check
// skips), so that a problem of line n is shown beside row n.
func outcomeRowsForm(r *http.Request) ([]outcome.Key, string) {
	f := r.PostForm
	codes := f["outcome_code"]
	var rows []outcome.Key
	var lines []string
	cell := func(name string, i int) string {
		if v := f[name]; i < len(v) {
			// The line's separators cannot be typed into a cell.
			return strings.TrimSpace(strings.NewReplacer("|", "", "\n", "", "\r", "").Replace(v[i]))
		}
		return ""
	}
	for i := range codes {
		k := outcome.Key{Code: cell("outcome_code", i), Zh: cell("outcome_zh", i), En: cell("outcome_en", i), Unit: cell("outcome_unit", i)}
		rows = append(rows, k)
		if k == (outcome.Key{}) {
			lines = append(lines, "")
			continue
		}
		lines = append(lines, k.Code+"|"+k.Zh+"|"+k.En+"|"+k.Unit)
	}
	return rows, strings.Join(lines, "\n")
}

// channelRowsForm reads the channels' editor as outcomeRowsForm reads the
// outcomes': row n is line n of the setting.
func channelRowsForm(r *http.Request) ([]pubchannel.Channel, string) {
	f := r.PostForm
	cell := func(name string, i int) string {
		if v := f[name]; i < len(v) {
			return strings.TrimSpace(strings.NewReplacer("|", "", "\n", "", "\r", "").Replace(v[i]))
		}
		return ""
	}
	var rows []pubchannel.Channel
	var lines []string
	for i := range f["channel_code"] {
		c := pubchannel.Channel{Code: cell("channel_code", i), Zh: cell("channel_zh", i), En: cell("channel_en", i)}
		rows = append(rows, c)
		if c == (pubchannel.Channel{}) {
			lines = append(lines, "")
			continue
		}
		lines = append(lines, c.Code+"|"+c.Zh+"|"+c.En)
	}
	return rows, strings.Join(lines, "\n")
}
