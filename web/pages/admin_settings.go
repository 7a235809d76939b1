package pages

import (
	"context"
	"net/http"
	"strings"

	"minyi/archive"
	"minyi/codelist"
	"minyi/dispute/kind"
	"minyi/org"
	"minyi/pubchannel"
)

// The bureau's settings page: what citizens are told besides what the
// catalogue says, and the counted outcomes its matters report, kept in the
// database so that every server shows the same.

type adminSettingsData struct {
	DutyPhone string
	// Site are the footer's particulars as stored (or typed, refused);
	// its DutyPhone is unused, the form above edits it.
	Site archive.Site
	// Lists are the editors of the bureau's code lists, in the page's
	// order: the counted outcomes, the publicity channels, the dispute
	// kinds.
	Lists []codeListEditor
}

// codeListEditor is the editor of one of the bureau's code lists
// (codelist): a table of rows, row n line n of the setting, so that a
// problem of line n is shown beside row n. Every list's editor is the same
// template block (codelist-editor) over one of these.
type codeListEditor struct {
	Section string // the form's section, posted back
	Anchor  string // the section's id on the page
	Field   string // the setting, and the field its errors name
	Prefix  string // the inputs' names (<prefix>_code…) and rows' ids (<prefix>-row-<n>)
	Keys    string // the catalogue's keys: the title; _hint and _save
	Unit    bool   // a fourth column, the unit word (outcome.Key)
	// Rows are the list as stored (or, never set, the defaults) and blank
	// rows to add more; after a refusal, the rows as typed.
	Rows []codeRow
	// log is what the server log says when the list is saved.
	log string
	// load reads the list as the services apply it.
	load func(ctx context.Context, s *Pages) ([]codeRow, error)
}

// codeRow is one row of a code list's editor.
type codeRow struct {
	codelist.Entry
	Unit string
}

// plainRows are the rows of a list of bare entries.
func plainRows(es []codelist.Entry, err error) ([]codeRow, error) {
	rows := make([]codeRow, len(es))
	for i, e := range es {
		rows[i] = codeRow{Entry: e}
	}
	return rows, err
}

// codeListEditors are the settings page's code lists, in its order.
func codeListEditors() []codeListEditor {
	return []codeListEditor{
		{Section: "outcomes", Anchor: "outcomes", Field: archive.SettingMatterOutcomes, Prefix: "outcome",
			Keys: "admin.settings.outcomes", Unit: true, log: "matter outcomes set",
			load: func(ctx context.Context, s *Pages) ([]codeRow, error) {
				keys, err := s.Svc.Matters.Outcomes(ctx)
				rows := make([]codeRow, len(keys))
				for i, k := range keys {
					rows[i] = codeRow{codelist.Entry{Code: k.Code, Zh: k.Zh, En: k.En}, k.Unit}
				}
				return rows, err
			}},
		{Section: "channels", Anchor: "channels", Field: pubchannel.Field, Prefix: "channel",
			Keys: "admin.settings.channels", log: "publicity channels set",
			load: func(ctx context.Context, s *Pages) ([]codeRow, error) {
				return plainRows(s.Svc.Publicity.Channels(ctx))
			}},
		{Section: "dispute_kinds", Anchor: "dispute-kinds", Field: kind.SettingName, Prefix: "kind",
			Keys: "admin.settings.dispute_kinds", log: "dispute kinds set",
			load: func(ctx context.Context, s *Pages) ([]codeRow, error) {
				return plainRows(s.Svc.Disputes.Kinds(ctx))
			}},
	}
}

// blankRows is how many empty rows a list's editor offers for new entries;
// saving fills them, and the page offers as many again.
const blankRows = 3

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
	site, err := s.Svc.Config.Site(ctx)
	if err != nil {
		return adminSettingsData{}, err
	}
	d := adminSettingsData{DutyPhone: s.dutyPhone(ctx), Site: site, Lists: codeListEditors()}
	for i := range d.Lists {
		rows, err := d.Lists[i].load(ctx, s)
		if err != nil {
			return adminSettingsData{}, err
		}
		d.Lists[i].Rows = append(rows, make([]codeRow, blankRows)...)
	}
	return d, nil
}

// adminSetSettings stores the duty phone shown in the emergency notice of
// the citizen pages, or (the form's section) one of the code lists. Each form sends its own section, so that a refused one keeps what
// was typed and the other is shown as stored.
func (s *Pages) adminSetSettings(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	for i, e := range codeListEditors() {
		if r.PostFormValue("section") != e.Section {
			continue
		}
		rows, text := e.rowsForm(r)
		if _, err := s.Svc.Config.SetSetting(ctx, admin, e.Field, text); err != nil {
			d, derr := s.settingsData(ctx)
			if derr != nil {
				return derr
			}
			d.Lists[i].Rows = rows
			s.adminRender(w, r, "admin_settings", "admin.settings.title", d, err)
			return nil
		}
		s.Log.InfoContext(ctx, e.log, "lines", len(rows), "by", admin.Name)
		s.done(w, r, "/staff/admin/settings#"+e.Anchor, "admin.settings.saved")
		return nil
	}
	if r.PostFormValue("section") == "site" {
		return s.adminSetSite(w, r, admin)
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

// rowsForm reads the editor's rows as typed and as the setting's lines:
// row n is line n (an empty row an empty line, which the check skips), so
// that a problem of line n is shown beside row n.
func (e codeListEditor) rowsForm(r *http.Request) ([]codeRow, string) {
	f := r.PostForm
	cell := func(name string, i int) string {
		if v := f[e.Prefix+"_"+name]; i < len(v) {
			// The line's separators cannot be typed into a cell.
			return strings.TrimSpace(strings.NewReplacer("|", "", "\n", "", "\r", "").Replace(v[i]))
		}
		return ""
	}
	var rows []codeRow
	var lines []string
	for i := range f[e.Prefix+"_code"] {
		row := codeRow{Entry: codelist.Entry{Code: cell("code", i), Zh: cell("zh", i), En: cell("en", i)}}
		if e.Unit {
			row.Unit = cell("unit", i)
		}
		rows = append(rows, row)
		if row == (codeRow{}) {
			lines = append(lines, "")
			continue
		}
		line := row.Code + "|" + row.Zh + "|" + row.En
		if e.Unit {
			line += "|" + row.Unit
		}
		lines = append(lines, line)
	}
	return rows, strings.Join(lines, "\n")
}

// siteFields are the footer's particulars the settings page edits: the
// setting, which is also the field's name, and where its value lives.
func siteFields(site *archive.Site) []struct {
	name string
	to   *string
} {
	return []struct {
		name string
		to   *string
	}{{archive.SettingOrganiser, &site.Organiser}, {archive.SettingICPFiling, &site.ICPFiling}, {archive.SettingPSBFiling, &site.PSBFiling}}
}

// adminSetSite stores the footer's particulars (archive.Site): the
// organiser and the filing numbers. All are checked before any is stored
// and all are stored in one transaction, so that the footer shows them
// together: a refused or failed form changes nothing.
func (s *Pages) adminSetSite(w http.ResponseWriter, r *http.Request, admin org.User) error {
	ctx := r.Context()
	var typed archive.Site
	values := make(map[string]string)
	for _, f := range siteFields(&typed) {
		*f.to = r.PostFormValue(f.name)
		values[f.name] = *f.to
	}
	if _, err := s.Svc.Config.SetSettings(ctx, admin, values); err != nil {
		d, derr := s.settingsData(ctx)
		if derr != nil {
			return derr
		}
		d.Site = typed
		s.adminRender(w, r, "admin_settings", "admin.settings.title", d, err)
		return nil
	}
	s.Log.InfoContext(ctx, "site particulars set", "by", admin.Name)
	s.done(w, r, "/staff/admin/settings#site", "admin.settings.saved")
	return nil
}
