package archive_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
)

// configStore is archive.ConfigStore in memory, counting the writes.
type configStore struct {
	units    map[string]bool
	cats     map[string]archive.Category
	canned   []archive.CannedReply
	holidays []calendar.Entry
	settings map[string]string
	by       string
	writes   int
	reads    int // of settings
}

func newConfigStore() *configStore {
	return &configStore{units: map[string]bool{"a": true}, settings: map[string]string{},
		cats: map[string]archive.Category{"hukou": {Code: "hukou", Name: "户籍", Limit: calendar.Limit{Amount: 3, Unit: calendar.WorkingDays}}}}
}

var ctx = context.Background()

var errMissing = minyi.Errorf(minyi.ENotFound, "missing")

func (s *configStore) Categories(context.Context) ([]archive.Category, error) {
	var out []archive.Category
	for _, c := range s.cats {
		out = append(out, c)
	}
	return out, nil
}
func (s *configStore) Category(_ context.Context, code string) (archive.Category, error) {
	if c, ok := s.cats[code]; ok {
		return c, nil
	}
	return archive.Category{}, errMissing
}
func (s *configStore) CreateCategory(_ context.Context, c *archive.Category) error {
	s.writes++
	s.cats[c.Code] = *c
	return nil
}
func (s *configStore) UpdateCategory(_ context.Context, c archive.Category) error {
	s.writes++
	s.cats[c.Code] = c
	return nil
}
func (s *configStore) Unit(_ context.Context, code string) (org.Unit, error) {
	if s.units[code] {
		return org.Unit{Code: code}, nil
	}
	return org.Unit{}, errMissing
}
func (s *configStore) CannedReplies(context.Context, string) ([]archive.CannedReply, error) {
	return s.canned, nil
}
func (s *configStore) AllCannedReplies(context.Context) ([]archive.CannedReply, error) {
	return s.canned, nil
}
func (s *configStore) CreateCannedReply(_ context.Context, c *archive.CannedReply) error {
	s.writes++
	c.ID = int64(len(s.canned) + 1)
	s.canned = append(s.canned, *c)
	return nil
}
func (s *configStore) UpdateCannedReply(_ context.Context, c archive.CannedReply) error {
	s.writes++
	s.canned[c.ID-1] = c
	return nil
}
func (s *configStore) Holidays(context.Context) ([]calendar.Entry, error) { return s.holidays, nil }
func (s *configStore) PutHolidays(_ context.Context, e []calendar.Entry) error {
	s.writes++
	s.holidays = e
	return nil
}
func (s *configStore) Setting(_ context.Context, name string) (string, error) {
	s.reads++
	return s.settings[name], nil
}
func (s *configStore) Settings(_ context.Context, names ...string) (map[string]string, error) {
	s.reads++
	out := map[string]string{}
	for _, name := range names {
		out[name] = s.settings[name]
	}
	return out, nil
}
func (s *configStore) SetSettings(_ context.Context, values map[string]string, by string) error {
	s.writes++
	for name, value := range values {
		s.settings[name], s.by = value, by
	}
	return nil
}
func (s *configStore) DeskCandidates(context.Context, int) ([]archive.Item, error) {
	return []archive.Item{{Number: "2021-000001"}}, nil
}

func newConfig(st *configStore) *archive.Config {
	return archive.NewConfig(st, archive.NewService(nil, archive.Policy{Calendar: calendar.Default()}))
}

// TestConfigIsForAdministrators runs every administrators-only door of the
// configuration as each role: only the administrator gets through, and a
// refusal is forbidden and writes nothing.
func TestConfigIsForAdministrators(t *testing.T) {
	doors := []struct {
		name string
		call func(*archive.Config, org.User) error
	}{
		{"add category", func(c *archive.Config, u org.User) error {
			return c.AddCategory(ctx, u, &archive.Category{Code: "traffic", Name: "交通", Limit: calendar.Limit{Amount: 5, Unit: calendar.WorkingDays}})
		}},
		{"change category", func(c *archive.Config, u org.User) error {
			return c.ChangeCategory(ctx, u, archive.Category{Code: "hukou", Name: "户口", Limit: calendar.Limit{Amount: 2, Unit: calendar.WorkingDays}})
		}},
		{"all canned replies", func(c *archive.Config, u org.User) error { _, err := c.AllCannedReplies(ctx, u); return err }},
		{"add canned reply", func(c *archive.Config, u org.User) error {
			return c.AddCannedReply(ctx, u, &archive.CannedReply{Title: "感谢", Body: "感谢来信"})
		}},
		{"change canned reply", func(c *archive.Config, u org.User) error {
			return c.ChangeCannedReply(ctx, u, archive.CannedReply{ID: 1, Title: "感谢", Body: "谢谢"})
		}},
		{"canned reply", func(c *archive.Config, u org.User) error { _, err := c.CannedReply(ctx, u, 1); return err }},
		{"update calendar", func(c *archive.Config, u org.User) error {
			_, err := c.UpdateCalendar(ctx, u, []calendar.Entry{{Date: "2026-01-02", Kind: calendar.Holiday, Name: "元旦"}})
			return err
		}},
		{"set setting", func(c *archive.Config, u org.User) error {
			_, err := c.SetSetting(ctx, u, archive.SettingDutyPhone, "0477-1234567")
			return err
		}},
		{"desk candidates", func(c *archive.Config, u org.User) error { _, err := c.DeskCandidates(ctx, u, 10); return err }},
	}
	roles := []org.Role{org.RoleAdmin, org.RoleLeader, org.RoleUnitHead, org.RoleOfficer, org.RoleAuxiliary, org.RolePartner}
	for _, d := range doors {
		for _, role := range roles {
			t.Run(d.name+" as "+string(role), func(t *testing.T) {
				st := newConfigStore()
				st.canned = []archive.CannedReply{{ID: 1, Title: "感谢", Body: "感谢来信", Active: true}}
				err := d.call(newConfig(st), org.User{Name: "x", Role: role, UnitCode: "a"})
				if role == org.RoleAdmin {
					if err != nil {
						t.Fatalf("the administrator is refused: %v", err)
					}
					return
				}
				if minyi.ErrorCode(err) != minyi.EForbidden {
					t.Fatalf("got %v, want forbidden", err)
				}
				if st.writes != 0 {
					t.Fatalf("a refused door wrote %d times", st.writes)
				}
			})
		}
	}
}

// TestCategoryIsCheckedOnceForEveryDoor runs each case through both doors
// that store a category, adding and changing, which share one check.
func TestCategoryIsCheckedOnceForEveryDoor(t *testing.T) {
	days := func(n int) calendar.Limit { return calendar.Limit{Amount: n, Unit: calendar.WorkingDays} }
	long := strings.Repeat("长", archive.MaxShortRunes+1)
	tests := []struct {
		name  string
		cat   archive.Category
		field string // the field refused; "" accepted
	}{
		{"valid", archive.Category{Code: "hukou", Name: "户籍", UnitCode: "a", Limit: days(3)}, ""},
		{"no unit", archive.Category{Code: "hukou", Name: "户籍", Limit: days(3)}, ""},
		{"code with spaces", archive.Category{Code: " hukou", Name: "户籍", Limit: days(3)}, "code"},
		{"upper-case code", archive.Category{Code: "HuKou", Name: "户籍", Limit: days(3)}, "code"},
		{"empty code", archive.Category{Name: "户籍", Limit: days(3)}, "code"},
		{"blank name", archive.Category{Code: "hukou", Name: "  ", Limit: days(3)}, "name"},
		{"name too long", archive.Category{Code: "hukou", Name: long, Limit: days(3)}, "name"},
		{"group too long", archive.Category{Code: "hukou", Name: "户籍", Group: long, Limit: days(3)}, "group"},
		{"control character", archive.Category{Code: "hukou", Name: "户籍", Description: "a\u0007b", Limit: days(3)}, "description"},
		{"unknown class", archive.Category{Code: "hukou", Name: "户籍", Class: "moon", Limit: days(3)}, "class"},
		{"limit out of range", archive.Category{Code: "hukou", Name: "户籍", Limit: days(-1)}, "limit"},
		{"no limit unit", archive.Category{Code: "hukou", Name: "户籍", Limit: calendar.Limit{Amount: 3}}, "limit"},
		{"zero working hours", archive.Category{Code: "hukou", Name: "户籍", Limit: calendar.Limit{Unit: calendar.WorkingHours}}, "limit"},
		{"unknown unit", archive.Category{Code: "hukou", Name: "户籍", UnitCode: "nope", Limit: days(3)}, "unit"},
		{"bad question", archive.Category{Code: "hukou", Name: "户籍", Limit: days(3), Attributes: []archive.Attribute{{Code: "Bad Code"}}}, "attributes[0].code"},
	}
	admin := org.Operator("test")
	for _, tt := range tests {
		doors := map[string]func(*archive.Config, archive.Category) error{
			"add": func(c *archive.Config, cat archive.Category) error {
				cat.Code = strings.Replace(cat.Code, "hukou", "new", 1)
				return c.AddCategory(ctx, admin, &cat)
			},
			"change": func(c *archive.Config, cat archive.Category) error { return c.ChangeCategory(ctx, admin, cat) },
		}
		for door, call := range doors {
			t.Run(door+" "+tt.name, func(t *testing.T) {
				st := newConfigStore()
				err := call(newConfig(st), tt.cat)
				if tt.field == "" {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				if minyi.ErrorCode(err) != minyi.EInvalid || !hasField(err, tt.field) {
					t.Fatalf("got %v, want invalid naming %s", err, tt.field)
				}
				if st.writes != 0 {
					t.Fatal("an invalid category was stored")
				}
			})
		}
	}
}

func TestCategoryTextsAreStoredWithoutSurroundingSpaces(t *testing.T) {
	for _, door := range []string{"add", "change"} {
		st := newConfigStore()
		c := newConfig(st)
		cat := archive.Category{Code: "hukou", Name: " 户籍 ", Description: "落户\n", Group: " 户政", Keywords: "户口 ",
			Limit: calendar.Limit{Amount: 3, Unit: calendar.WorkingDays}}
		var err error
		if door == "add" {
			cat.Code = "new"
			err = c.AddCategory(ctx, org.Operator("test"), &cat)
		} else {
			err = c.ChangeCategory(ctx, org.Operator("test"), cat)
		}
		if err != nil {
			t.Fatal(door, err)
		}
		got := st.cats[cat.Code]
		if got.Name != "户籍" || got.Description != "落户" || got.Group != "户政" || got.Keywords != "户口" {
			t.Errorf("%s stored %+v", door, got)
		}
	}
}

func TestSettings(t *testing.T) {
	tests := []struct {
		name, setting, value, want, field string
	}{
		{"landline", archive.SettingDutyPhone, " 0477-1234567 ", "0477-1234567", ""},
		{"mobile", archive.SettingDutyPhone, "13900001111", "13900001111", ""},
		{"none", archive.SettingDutyPhone, "", "", ""},
		{"not a phone", archive.SettingDutyPhone, "call us", "", "duty_phone"},
		{"unknown setting", "colour", "red", "", "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newConfigStore()
			c := newConfig(st)
			got, err := c.SetSetting(ctx, org.User{Name: "boss", Role: org.RoleAdmin}, tt.setting, tt.value)
			if tt.field != "" {
				if !hasField(err, tt.field) || st.writes != 0 {
					t.Fatalf("got %v after %d writes, want invalid naming %s", err, st.writes, tt.field)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v", got, err)
			}
			if stored, _ := c.Setting(ctx, tt.setting); stored != tt.want || st.by != "boss" {
				t.Fatalf("stored %q by %q", stored, st.by)
			}
		})
	}
}

// TestSetSettings stores several settings in one write, or, when any is
// refused, none, naming every field refused.
func TestSetSettings(t *testing.T) {
	boss := org.User{Name: "boss", Role: org.RoleAdmin}
	tests := []struct {
		name   string
		values map[string]string
		fields []string
	}{
		{"all good", map[string]string{archive.SettingOrganiser: " 测试局 ", archive.SettingICPFiling: "蒙ICP备2021000001号-1", archive.SettingPSBFiling: ""}, nil},
		{"one too long", map[string]string{archive.SettingOrganiser: "测试局", archive.SettingICPFiling: strings.Repeat("号", 81)}, []string{"icp_filing"}},
		{"two refused", map[string]string{archive.SettingOrganiser: "测试局", archive.SettingPSBFiling: "a\nb", archive.SettingDutyPhone: "call us"}, []string{"duty_phone", "psb_filing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newConfigStore()
			got, err := newConfig(st).SetSettings(ctx, boss, tt.values)
			if tt.fields != nil {
				for _, f := range tt.fields {
					if !hasField(err, f) {
						t.Errorf("got %v, want invalid naming %s", err, f)
					}
				}
				if st.writes != 0 || len(st.settings) != 0 {
					t.Errorf("a refused set wrote %d times: %v", st.writes, st.settings)
				}
				return
			}
			if err != nil || st.writes != 1 || got[archive.SettingOrganiser] != "测试局" || st.settings[archive.SettingICPFiling] != "蒙ICP备2021000001号-1" {
				t.Fatalf("got %v, %v after %d writes: %v", got, err, st.writes, st.settings)
			}
		})
	}
	if _, err := newConfig(newConfigStore()).SetSettings(ctx, org.User{Name: "o", Role: org.RoleOfficer, UnitCode: "a"}, map[string]string{archive.SettingOrganiser: "x"}); minyi.ErrorCode(err) != minyi.EForbidden {
		t.Errorf("an officer: %v", err)
	}
}

// TestSetSettingsProblemsInOrder: the problems of a form of settings come
// in the names' order every time, whatever the map's order.
func TestSetSettingsProblemsInOrder(t *testing.T) {
	boss := org.User{Name: "boss", Role: org.RoleAdmin}
	values := map[string]string{archive.SettingPSBFiling: "a\nb", archive.SettingOrganiser: strings.Repeat("局", 81),
		archive.SettingDutyPhone: "call us", archive.SettingICPFiling: "a\tb", "nope": "x"}
	want := []string{"duty_phone", "icp_filing", "name", "organiser", "psb_filing"}
	for range 20 {
		_, err := newConfig(newConfigStore()).SetSettings(ctx, boss, values)
		var e *minyi.Error
		if !errors.As(err, &e) {
			t.Fatalf("got %v, want problems", err)
		}
		var got []string
		for _, f := range e.Fields {
			got = append(got, f.Field)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("problems %q, want %q", got, want)
		}
	}
}

// TestSite reads the footer's particulars at once, "" for those unset.
func TestSite(t *testing.T) {
	st := newConfigStore()
	st.settings = map[string]string{archive.SettingOrganiser: "测试局", archive.SettingPSBFiling: "蒙公网安备15062402000001号", "other": "x"}
	got, err := newConfig(st).Site(ctx)
	if want := (archive.Site{Organiser: "测试局", PSBFiling: "蒙公网安备15062402000001号"}); err != nil || got != want {
		t.Fatalf("Site = %+v, %v; want %+v", got, err, want)
	}
	if st.reads != 1 {
		t.Errorf("read in %d reads, want one", st.reads)
	}
}

func TestCannedReplyNotFound(t *testing.T) {
	_, err := newConfig(newConfigStore()).CannedReply(ctx, org.Operator("test"), 7)
	if minyi.ErrorCode(err) != minyi.ENotFound {
		t.Fatalf("got %v, want not found", err)
	}
}

func TestCalendarChangeIsPutInForce(t *testing.T) {
	st := newConfigStore()
	c := newConfig(st)
	if _, err := c.UpdateCalendar(ctx, org.Operator("test"), nil); !hasField(err, "entries") {
		t.Fatalf("no entries: %v", err)
	}
	if _, err := c.UpdateCalendar(ctx, org.Operator("test"), []calendar.Entry{{Date: "2026-12-07", Kind: calendar.Holiday, Name: "测试"}}); err != nil {
		t.Fatal(err)
	}
	if c.Calendar().IsWorkingDay(time.Date(2026, 12, 7, 12, 0, 0, 0, calendar.Zone)) || len(st.holidays) == 0 {
		t.Fatal("the new day is not in force or not stored")
	}
}

func hasField(err error, field string) bool {
	e, ok := err.(*minyi.Error)
	if !ok {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
