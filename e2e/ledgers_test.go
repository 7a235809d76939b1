package e2e

import (
	"regexp"
	"strings"
	"testing"
)

var (
	measurePage  = regexp.MustCompile(`/staff/measures/(\d+)$`)
	activityPage = regexp.MustCompile(`/staff/volunteer/(\d+)$`)
	pointPage    = regexp.MustCompile(`/staff/points/(\d+)$`)
)

// TestOfficerKeepsTheLedgers: an officer of the demo bureau records a
// convenience measure and puts it in place, records a volunteer activity
// and a service point, each first refused for bad input and then filed;
// a leader compares the party branches over the demo's campaign and
// follows a figure to the records behind it; the officer sees their own
// record. Every page passes axe-core.
func TestOfficerKeepsTheLedgers(t *testing.T) {
	base := server(t)
	officer, leader := newDesk(t), newDesk(t)
	login(t, officer, base, "wulan-officer")

	t.Run("measures", func(t *testing.T) {
		officer.Go(base + "/staff/measures")
		if !strings.Contains(officer.Text("#total"), "共") {
			t.Fatalf("no total: %s", officer.Text("main"))
		}
		t.Run("axe/list", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Click(`a.button[href="/staff/measures/new"]`)
		t.Run("axe/new", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Fill("#title", " ")
		officer.Fill("#changes", "户籍窗口午间和周末照常办理，群众不必请假。")
		officer.SubmitForm("#title")
		if !officer.Exists("#errors") || !strings.Contains(officer.Text("#changes"), "") {
			t.Fatalf("a blank title is not refused: %s", officer.Text("main"))
		}
		t.Run("axe/refused", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Fill("#title", "户籍窗口错时延时服务")
		officer.SubmitForm("#title")
		if measurePage.FindStringSubmatch(officer.URL()) == nil {
			t.Fatalf("not on the measure's page: %s\n%s", officer.URL(), officer.Text("main"))
		}
		expectStatus(t, officer.Text("#status"), "已研究")
		t.Run("axe/measure", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.SubmitForm("#implement")
		expectStatus(t, officer.Text("#status"), "已实施")
		if officer.Exists("#withdraw") {
			t.Error("an implemented measure still offers to withdraw")
		}
		officer.Click(`a[href$="/edit"]`)
		t.Run("axe/edit", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	})

	t.Run("volunteer", func(t *testing.T) {
		officer.Go(base + "/staff/volunteer")
		t.Run("axe/list", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Go(base + "/staff/volunteer/new")
		t.Run("axe/new", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Fill("#title", "帮助牧民抢收玉米")
		officer.Fill("#participants", "wulan-officer、nobody-here")
		officer.Fill("#volunteers", "12")
		officer.Fill("#hours", "3.5")
		officer.Fill("#served", "4")
		officer.SubmitForm("#title")
		if !officer.Exists("#errors") || !strings.Contains(officer.Text("#errors"), "nobody-here") {
			t.Fatalf("an unknown participant is not refused: %s", officer.Text("main"))
		}
		officer.Fill("#participants", "wulan-officer")
		officer.SubmitForm("#title")
		if activityPage.FindStringSubmatch(officer.URL()) == nil {
			t.Fatalf("not on the activity's page: %s\n%s", officer.URL(), officer.Text("main"))
		}
		if got := officer.Text("main"); !strings.Contains(got, "帮助牧民抢收玉米") || !strings.Contains(got, "3.5") {
			t.Errorf("the activity: %s", got)
		}
		t.Run("axe/activity", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Click(`a[href$="/edit"]`)
		t.Run("axe/edit", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	})

	t.Run("points", func(t *testing.T) {
		officer.Go(base + "/staff/points")
		t.Run("axe/list", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Go(base + "/staff/points/new")
		t.Run("axe/new", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Fill("#name", "乌兰镇便民警务站")
		officer.Fill("#address", "乌兰镇团结路1号")
		officer.Fill("#latitude", "北纬39度")
		officer.Fill("#longitude", "107.98")
		officer.Fill("#opening_hours", "工作日 8:30–20:00；周六 9:00–12:00")
		officer.Click(`input[name=off_peak]`)
		officer.Fill("#services", "户籍咨询\n身份证受理")
		officer.SubmitForm("#name")
		if !officer.Exists("#errors") {
			t.Fatalf("a latitude in words is not refused: %s", officer.Text("main"))
		}
		t.Run("axe/refused", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Fill("#latitude", "39.1")
		officer.SubmitForm("#name")
		if pointPage.FindStringSubmatch(officer.URL()) == nil {
			t.Fatalf("not on the point's page: %s\n%s", officer.URL(), officer.Text("main"))
		}
		expectStatus(t, officer.Text("#status"), "服务中")
		if got := officer.Text("main"); !strings.Contains(got, "身份证受理") || !strings.Contains(got, "提供错时服务") {
			t.Errorf("the point: %s", got)
		}
		t.Run("axe/point", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Click(`a[href$="/edit"]`)
		officer.Select("#status", "closed")
		officer.SubmitForm("#name")
		expectStatus(t, officer.Text("#status"), "已关闭")
	})

	t.Run("record", func(t *testing.T) {
		officer.Go(base + "/staff/account")
		if !officer.Exists("#record") {
			t.Fatalf("no record on the account page: %s", officer.Text("main"))
		}
		t.Run("axe", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	})

	t.Run("branches", func(t *testing.T) {
		login(t, leader, base, "leader")
		leader.Go(base + "/staff/branches?from=2021-01-01&to=2021-11-02")
		if !leader.Exists("#branches tbody tr") {
			t.Fatalf("no branches: %s", leader.Text("main"))
		}
		t.Run("axe", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })
		first := leader.Text("#branches tbody tr th")
		leader.Click(`#branches tbody tr a[href^="/staff/volunteer?"]`)
		if !strings.Contains(leader.URL(), "/staff/volunteer?branch=") || !strings.Contains(leader.URL(), "from=2021-01-01") {
			t.Fatalf("the figure does not lead to its records: %s (%s)", leader.URL(), first)
		}
	})
}
