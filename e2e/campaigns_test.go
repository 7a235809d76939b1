package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
)

var campaignPage = regexp.MustCompile(`/staff/campaigns/(\d+)$`)

// TestLeaderRunsACampaign: a leader records a campaign with its period,
// plan and targets, is shown a bad period beside its field, records its
// mobilisation meeting and sees its targets against the figures reached on
// the campaign's page and on the dashboard; an officer reads it and is not
// offered its forms. Every campaign page passes axe-core.
func TestLeaderRunsACampaign(t *testing.T) {
	base := server(t)
	leader := newDesk(t)
	login(t, leader, base, "leader")
	leader.Go(base + "/staff/campaigns")
	t.Run("axe/list", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })
	leader.Click(`a[href="/staff/campaigns/new"]`)
	t.Run("axe/new", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })

	now := time.Now().In(calendar.Zone)
	setDay := func(selector, day string) {
		t.Helper()
		leader.Eval(`document.querySelector('`+selector+`').value = '`+day+`'`, nil)
	}
	leader.Fill("#name", "冬季护航专项活动")
	setDay("#from", now.AddDate(0, 0, -10).Format(time.DateOnly))
	setDay("#to", now.AddDate(0, 0, -20).Format(time.DateOnly)) // before the first day
	leader.Fill("#plan", "全体民辅警领办实事，建立便民服务站点。")
	leader.Select("#target_key_0", "matters.done")
	leader.Fill("#target_value_0", "400")
	leader.Select("#target_key_1", "service_points.active")
	leader.Fill("#target_value_1", "8")
	leader.SubmitForm("#name")
	if got := leader.Text("#errors"); !strings.Contains(got, "结束日期不能早于开始日期") {
		t.Fatalf("a period ending before it starts: %q", got)
	}
	t.Run("axe/refused", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })
	setDay("#to", now.AddDate(0, 3, 0).Format(time.DateOnly))
	leader.SubmitForm("#name")
	m := campaignPage.FindStringSubmatch(leader.URL())
	if m == nil {
		t.Fatalf("not on the campaign's page: %s\n%s", leader.URL(), leader.Text("main"))
	}
	path := "/staff/campaigns/" + m[1]
	if got := leader.Text("#targets + p + div"); !strings.Contains(got, "实事办结数") || !strings.Contains(got, "/ 400") ||
		!strings.Contains(got, "服务中的便民站点") || !strings.Contains(got, "/ 8") {
		t.Errorf("the targets: %q", got)
	}
	t.Run("axe/campaign", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })

	leader.Select("#kind", "mobilisation")
	leader.Fill("#attendees", "局党委委员、各所队长")
	leader.Fill("#minutes", "部署冬季护航专项活动。")
	leader.SubmitForm("#attendees")
	if got := leader.Text("main"); !strings.Contains(got, "动员大会") || !strings.Contains(got, "局党委委员、各所队长") {
		t.Fatalf("the meeting is not listed: %s", got)
	}
	leader.Screenshot("campaign")

	leader.Go(base + "/staff/dashboard?campaign=" + m[1])
	if got := leader.Text("main"); !strings.Contains(got, "活动目标") || !strings.Contains(got, "冬季护航专项活动") {
		t.Errorf("the dashboard's campaign: %s", got)
	}
	t.Run("axe/dashboard", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })

	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")
	officer.Go(base + path)
	if !strings.Contains(officer.Text("main"), "冬季护航专项活动") {
		t.Fatalf("the officer does not read the campaign: %s", officer.Text("main"))
	}
	if officer.Exists("#attendees") || officer.Exists("#document") {
		t.Error("an officer is offered the campaign's forms")
	}
	t.Run("axe/officer", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
}
