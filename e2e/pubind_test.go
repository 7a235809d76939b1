package e2e

import (
	"regexp"
	"strings"
	"testing"
)

var piecePage = regexp.MustCompile(`/staff/publicity/(\d+)$`)

// TestOfficerRecordsPublicityAndIndicators: an officer of the demo bureau
// records a publicity piece (refused for a blank title, then filed), enters
// a month's value of an indicator (refused out of range, then entered) and
// corrects it, the cell's history showing both values; the year's grid shows
// the demo's figure; an admin opens the indicators' definitions and the
// channels' editor. Every page passes axe-core.
func TestOfficerRecordsPublicityAndIndicators(t *testing.T) {
	base := server(t)
	officer, admin := newDesk(t), newDesk(t)
	login(t, officer, base, "wulan-officer")

	t.Run("publicity", func(t *testing.T) {
		officer.Go(base + "/staff/publicity")
		if !strings.Contains(officer.Text("#total"), "共") {
			t.Fatalf("no total: %s", officer.Text("main"))
		}
		t.Run("axe/list", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Click(`a.button[href="/staff/publicity/new"]`)
		t.Run("axe/new", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Fill("#title", " ")
		officer.Select("#channel", "wechat")
		officer.Fill("#outlet", "平安鄂托克")
		officer.Fill("#link", "https://mp.weixin.qq.com/s/e2e")
		officer.SubmitForm("#title")
		if !officer.Exists("#errors") || !strings.Contains(officer.Text("#errors"), "标题") {
			t.Fatalf("a blank title is not refused: %s", officer.Text("main"))
		}
		t.Run("axe/refused", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Fill("#title", "乌兰镇派出所开展反诈宣传进社区")
		officer.SubmitForm("#title")
		if piecePage.FindStringSubmatch(officer.URL()) == nil {
			t.Fatalf("not on the piece's page: %s\n%s", officer.URL(), officer.Text("main"))
		}
		if got := officer.Text("#channel"); got != "微信公众号" {
			t.Errorf("the piece's channel: %q", got)
		}
		t.Run("axe/piece", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Click(`a[href$="/edit"]`)
		t.Run("axe/edit", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	})

	t.Run("indicators", func(t *testing.T) {
		officer.Go(base + "/staff/indicators?indicator=criminal_cases_solved&year=2021")
		if !strings.Contains(officer.Text("#figure"), "起") || !officer.Exists("#grid") {
			t.Fatalf("no grid: %s", officer.Text("main"))
		}
		t.Run("axe/grid", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Go(base + "/staff/indicators/enter?indicator=criminal_cases_solved&unit=wulan-station&month=2021-11")
		t.Run("axe/cell", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Fill("#value", "1000000001")
		officer.SubmitForm("#value")
		if !officer.Exists("#errors") || !strings.Contains(officer.Text("#errors"), "数值") {
			t.Fatalf("a value out of range is not refused: %s", officer.Text("main"))
		}
		t.Run("axe/refused", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.Fill("#value", "5")
		officer.SubmitForm("#value")
		if !strings.Contains(officer.Text("#history"), "2021-11") || !strings.Contains(officer.Text("#history-table"), "现行") {
			t.Fatalf("the value is not entered: %s", officer.Text("main"))
		}
		officer.Fill("#value", "6")
		officer.Fill("#note", "核对后更正")
		officer.SubmitForm("#value")
		history := officer.Text("#history-table")
		if !strings.Contains(history, "核对后更正") || !strings.Contains(history, "已被取代") || strings.Count(history, "wulan-officer") != 2 {
			t.Fatalf("the history does not show both values: %s", history)
		}
		t.Run("axe/corrected", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	})

	t.Run("definitions and channels", func(t *testing.T) {
		login(t, admin, base, "admin")
		admin.Go(base + "/staff/indicators/definitions")
		if !admin.Exists("#def-criminal_cases_solved") {
			t.Fatalf("no definitions: %s", admin.Text("main"))
		}
		t.Run("axe/definitions", func(t *testing.T) { admin.AssertNoSeriousAxe(t) })
		admin.Go(base + "/staff/admin/settings#channels")
		if !admin.Exists("#channels-form") {
			t.Fatalf("no channels' editor: %s", admin.Text("main"))
		}
		t.Run("axe/settings", func(t *testing.T) { admin.AssertNoSeriousAxe(t) })
	})
}
