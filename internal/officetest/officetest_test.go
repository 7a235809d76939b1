package officetest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMissing: a soffice that is not there is missing, and a missing one
// fails the tests exactly when MINYI_REQUIRE_OFFICE=1.
func TestMissing(t *testing.T) {
	for _, tt := range []struct {
		require string
		fail    bool
	}{
		{"", false},
		{"0", false},
		{"1", true},
	} {
		t.Run("MINYI_REQUIRE_OFFICE="+tt.require, func(t *testing.T) {
			t.Setenv("MINYI_SOFFICE", filepath.Join(t.TempDir(), "no-soffice"))
			t.Setenv("MINYI_REQUIRE_OFFICE", tt.require)
			if p := Soffice(); p != "" {
				t.Errorf("Soffice() = %q for a binary that does not exist", p)
			}
			if got := mustRun(); got != tt.fail {
				t.Errorf("mustRun() = %v, want %v", got, tt.fail)
			}
		})
	}
	t.Run("present", func(t *testing.T) {
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		t.Setenv("MINYI_SOFFICE", exe)
		if p := Soffice(); p != exe {
			t.Errorf("Soffice() = %q, want %q", p, exe)
		}
	})
}
