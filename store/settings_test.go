package store_test

import (
	"fmt"
	"reflect"
	"sync"
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

// TestSettingsAtOnce reads several settings in one query, "" for one never
// set, on both databases; and a reader reading them while another saves
// them again and again sees each time one save's values, never a mix.
func TestSettingsAtOnce(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, _ := openAt(t, d)
			t.Cleanup(func() { db.Close() })
			if got, err := db.Settings(ctx); err != nil || len(got) != 0 {
				t.Fatalf("no names: %v %v", got, err)
			}
			names := []string{"organiser", "duty_phone", "icp_filing", "psb_filing"}
			set := func(n int) map[string]string {
				return map[string]string{"organiser": fmt.Sprint("局", n), "duty_phone": fmt.Sprint("0477-", 1000000+n),
					"icp_filing": fmt.Sprint("蒙ICP备", n), "psb_filing": fmt.Sprint("蒙公网安备", n)}
			}
			if err := db.SetSettings(ctx, map[string]string{"organiser": "测试局", "icp_filing": "蒙ICP备2021000001号-1"}, "boss"); err != nil {
				t.Fatal(err)
			}
			got, err := db.Settings(ctx, names...)
			if want := map[string]string{"organiser": "测试局", "duty_phone": "", "icp_filing": "蒙ICP备2021000001号-1", "psb_filing": ""}; err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("Settings = %v, %v; want %v", got, err, want)
			}
			const saves = 40
			var wg sync.WaitGroup
			wg.Go(func() {
				for n := range saves {
					if err := db.SetSettings(ctx, set(n), "boss"); err != nil {
						t.Error(err)
						return
					}
				}
			})
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			defer wg.Wait() // the writer ends before the database is closed
			for stop := false; !stop; {
				select {
				case <-done:
					stop = true
				default:
				}
				got, err := db.Settings(ctx, names...)
				if err != nil {
					t.Error(err)
					return
				}
				if got["organiser"] == "测试局" {
					continue // before the first save
				}
				var n int
				if _, err := fmt.Sscan(got["organiser"][len("局"):], &n); err != nil || !reflect.DeepEqual(got, set(n)) {
					t.Errorf("read a mix of saves: %v", got)
					return
				}
			}
		})
	}
}
