package e2e

import (
	"strings"
	"testing"
)

// TestOutcomesEditor: in Chromium, an administrator edits the matters'
// counted outcomes on the settings page: a code given twice is refused
// beside its row, a new key is added in a blank row, and the page passes
// axe-core before and after.
func TestOutcomesEditor(t *testing.T) {
	base := server(t)
	admin := newDesk(t)
	login(t, admin, base, "admin")
	admin.Go(base + "/staff/admin/settings")
	if !admin.Exists(`#outcome-row-11 input[name="outcome_code"]`) {
		t.Fatalf("no blank row after the ten default keys: %s", admin.Text("#outcomes-form"))
	}
	admin.AssertNoSeriousAxe(t)

	admin.Fill(`#outcome-row-2 input[name="outcome_code"]`, "cattle")
	admin.SubmitForm("#outcomes-form")
	if !admin.Exists("#outcome-err-2") || !strings.Contains(admin.Text("#outcome-err-2"), "重复") {
		t.Fatalf("the repeated code is not refused beside row 2: %s", admin.Text("main"))
	}
	admin.Screenshot("outcomes-refused")
	admin.AssertNoSeriousAxe(t)

	admin.Fill(`#outcome-row-2 input[name="outcome_code"]`, "sheep")
	admin.Fill(`#outcome-row-11 input[name="outcome_code"]`, "wells")
	admin.Fill(`#outcome-row-11 input[name="outcome_zh"]`, "水井")
	admin.Fill(`#outcome-row-11 input[name="outcome_en"]`, "Wells dug")
	admin.Fill(`#outcome-row-11 input[name="outcome_unit"]`, "口")
	admin.SubmitForm("#outcomes-form")
	if admin.Exists(".error-summary") || !strings.HasSuffix(strings.SplitN(admin.URL(), "#", 2)[0], "/staff/admin/settings") {
		t.Fatalf("saving the outcomes: %s %s", admin.URL(), admin.Text("main"))
	}
	var code string
	admin.Eval(`document.querySelector('#outcome-row-11 input[name="outcome_code"]').value`, &code)
	if code != "wells" {
		t.Fatalf("row 11 after saving holds %q", code)
	}
	admin.Screenshot("outcomes-saved")
	admin.AssertNoSeriousAxe(t)
}
