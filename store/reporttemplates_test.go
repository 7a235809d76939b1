package store_test

import (
	"context"
	"strings"
	"testing"

	"minyi"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/report"
	"minyi/store"
)

// TestReportTemplates saves versions of the report template on both
// databases: each save is a version and an event of the log; a template
// that does not parse or names an unknown figure is refused naming the
// line and stores nothing; a save over a stale version is a conflict; only
// admins save.
func TestReportTemplates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := &report.Service{Templates: db}
		admin := org.User{Name: "admin", Role: org.RoleAdmin}
		st, err := svc.Template(ctx, admin)
		if err != nil || st.Version != 0 || st.Text != report.DefaultText() {
			t.Fatalf("before any save: %+v %v", st.Version, err)
		}
		good := func(n string) string {
			return "{{define \"intro\"}}第" + n + "版：共{{fig \"matters.done\"}}件。{{end}}"
		}
		for _, tt := range []struct {
			name  string
			user  org.User
			text  string
			base  int
			code  string
			field string
			want  int // the version in use afterwards
		}{
			{"first version", admin, good("一"), 0, "", "", 1},
			{"unknown figure", admin, "{{define \"intro\"}}\n{{fig \"matters.nothing\"}}{{end}}", 1, minyi.EInvalid, "text", 1},
			{"does not parse", admin, "{{define \"intro\"}}{{if}}{{end}}", 1, minyi.EInvalid, "text", 1},
			{"empty", admin, "  ", 1, minyi.EInvalid, "text", 1},
			{"stale version", admin, good("二"), 0, minyi.EConflict, "version", 1},
			{"not an admin", org.User{Name: "leader", Role: org.RoleLeader}, good("二"), 1, minyi.EForbidden, "", 1},
			{"second version", admin, good("二"), 1, "", "", 2},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := svc.SaveTemplate(ctx, tt.user, tt.text, tt.base)
				if minyi.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
					t.Fatalf("error %v, want %q", err, tt.code)
				}
				if tt.field != "" {
					e, _ := err.(*minyi.Error)
					if e == nil || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
						t.Errorf("error %+v does not name %s", err, tt.field)
					}
				}
				st, err := svc.Template(ctx, admin)
				if err != nil || st.Version != tt.want || st.Latest != tt.want {
					t.Errorf("in use: version %d (latest %d), want %d: %v", st.Version, st.Latest, tt.want, err)
				}
			})
		}
		if err, ok := func() (error, bool) {
			_, err := svc.SaveTemplate(ctx, admin, "{{define \"intro\"}}\n\n{{fig \"x.y\"}}{{end}}", 2)
			return err, err != nil && strings.Contains(err.Error(), "3")
		}(); !ok {
			t.Errorf("the error does not name line 3: %v", err)
		}
		tpl, err := svc.Current(ctx)
		if err != nil || tpl.Version != 2 || !strings.Contains(tpl.Text, "第二版") {
			t.Errorf("current: %+v %v", tpl, err)
		}
		by, err := db.VerifyByRegister(ctx)
		if err != nil || by[report.Register] != 2 {
			t.Errorf("events by register %v, %v: want 2 saves", by, err)
		}
	})
}
