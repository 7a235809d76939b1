package e2e

import (
	"regexp"
	"strings"
	"testing"
)

var matterPage = regexp.MustCompile(`/staff/matters/(\d+)$`)

// TestOfficerDoesAPracticalMatter: an officer starts a practical matter
// from a citizen's item in one step, starts it, records progress and
// completes it with the story and counted outcomes; the item's desk lists
// it. Every matters page passes axe-core.
func TestOfficerDoesAPracticalMatter(t *testing.T) {
	base := server(t)
	citizen := newPhone(t)
	number, _ := writeIn(t, citizen, base, "我家的5头牛和53只羊被盗了，希望派出所帮忙找回来。")

	leader := newDesk(t)
	login(t, leader, base, "leader")
	leader.Go(base + "/staff/items/" + number)
	leader.Select("#dispatch-unit", "wulan-station")
	leader.SubmitForm("#dispatch")

	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")
	officer.Go(base + "/staff/items/" + number)
	if !strings.Contains(officer.Text("#matters"), "尚无回应此件的实事") {
		t.Fatalf("the desk's matters: %s", officer.Text("#matters"))
	}
	officer.Click("#start-matter")
	if got := officer.Text("#from-item"); !strings.Contains(got, number) {
		t.Fatalf("the form is not started from the item: %q", got)
	}
	t.Run("axe/new", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Fill("#title", "追回被盗牛羊")
	officer.Select("#class", "urgent")
	officer.Select("#beneficiary_kind", "household")
	officer.Fill("#beneficiary_name", "巴特尔")
	officer.Fill("#beneficiary_phone", "13912345678")
	officer.Fill("#beneficiary_place", "乌兰镇东村")
	officer.Fill("#lead", "wulan-officer")
	officer.SubmitForm("#title")
	m := matterPage.FindStringSubmatch(officer.URL())
	if m == nil {
		t.Fatalf("not on the matter's page: %s\n%s", officer.URL(), officer.Text("main"))
	}
	path := "/staff/matters/" + m[1]
	expectStatus(t, officer.Text("#status"), "已计划")
	if strings.Contains(officer.HTML(), "13912345678") || strings.Contains(officer.HTML(), "巴特尔") {
		t.Errorf("the matter's page shows the beneficiary unmasked")
	}
	if !strings.Contains(officer.Text("#items"), number) {
		t.Errorf("the matter does not name its item: %s", officer.Text("#items"))
	}

	officer.SubmitForm("#start")
	expectStatus(t, officer.Text("#status"), "办理中")
	officer.Fill("#progress-text", "走访牧户，调取沿路监控，锁定嫌疑车辆。")
	officer.SubmitForm("#progress")
	if !strings.Contains(officer.Text("#timeline"), "锁定嫌疑车辆") {
		t.Fatalf("the progress is not on the page: %s", officer.Text("main"))
	}
	// The story is required (the server's refusal is web's test).
	officer.Fill("#outcome-cattle", "5")
	officer.Fill("#complete-story", "民警连夜追查，追回被盗的5头牛和53只羊，当面归还牧民。")
	officer.Fill("#outcome-sheep", "53")
	officer.SubmitForm("#complete")
	expectStatus(t, officer.Text("#status"), "已办结")
	if got := officer.Text("#outcomes"); !strings.Contains(got, "5") || !strings.Contains(got, "53") {
		t.Errorf("the outcomes: %q", got)
	}
	if !strings.Contains(officer.Text("#story"), "追回被盗的5头牛") {
		t.Errorf("the story: %q", officer.Text("#story"))
	}
	officer.Screenshot("matter-done")

	officer.Go(base + "/staff/items/" + number)
	if got := officer.Text("#matters"); !strings.Contains(got, "追回被盗牛羊") || !strings.Contains(got, "已办结") {
		t.Errorf("the item desk's matters: %q", got)
	}

	checkPages(t, officer, base, "officer", []struct{ name, path string }{
		{"matters", "/staff/matters"},
		{"matters-filtered", "/staff/matters?status=done&class=urgent"},
		{"matter", path},
		{"matter-edit", path + "/edit"},
		{"matter-new", "/staff/matters/new"},
	})
	checkPages(t, leader, base, "leader", []struct{ name, path string }{
		{"matters", "/staff/matters"},
		{"matter-new", "/staff/matters/new"},
	})
	// A refused form keeps passing axe: errors beside fields and on top.
	t.Run("axe/refused", func(t *testing.T) {
		officer.Go(base + "/staff/matters/new")
		officer.SubmitForm("#title")
		if !officer.Exists("#errors") {
			t.Fatalf("an empty form was not refused: %s", officer.Text("main"))
		}
		officer.AssertNoSeriousAxe(t)
	})
}
