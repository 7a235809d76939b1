package store_test

import (
	"testing"

	"minyi/internal/testdb"
)

// TestSetSettingsAllOrNothing stores several settings at once and then a
// set of which the database refuses one (a trigger or a check constraint
// stands in for a failure half-way; the settings are stored in their
// names' order, so psb_filing is the last): the first set is stored whole, the
// second changes nothing, on both databases.
func TestSetSettingsAllOrNothing(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, _ := openAt(t, d)
			t.Cleanup(func() { db.Close() })
			first := map[string]string{"organiser": "测试局", "icp_filing": "蒙ICP备2021000001号-1", "psb_filing": "蒙公网安备15062402000001号"}
			if err := db.SetSettings(ctx, first, "boss"); err != nil {
				t.Fatal(err)
			}
			refuse := map[string]string{
				"sqlite":   `CREATE TRIGGER refuse BEFORE INSERT ON settings WHEN NEW.value = 'refused' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
				"postgres": `ALTER TABLE settings ADD CONSTRAINT refuse CHECK (value <> 'refused')`,
			}[d]
			if _, err := raw(t, db).Exec(refuse); err != nil {
				t.Fatal(err)
			}
			second := map[string]string{"organiser": "另一个局", "icp_filing": "蒙ICP备2021000002号-1", "psb_filing": "refused"}
			if err := db.SetSettings(ctx, second, "boss"); err == nil {
				t.Fatal("the refused set was stored")
			}
			for name, want := range first {
				if got, err := db.Setting(ctx, name); err != nil || got != want {
					t.Errorf("%s = %q, %v; want %q as first stored", name, got, err, want)
				}
			}
		})
	}
}
