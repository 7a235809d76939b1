package e2e

import (
	"strings"
	"testing"
)

// TestLeaderIssuesTheReport: a leader of the demo bureau writes the report
// of September 2021 on /staff/reports, issues it with 签发, lands on the
// issued report (its figures linked, the log's position, nothing changed
// since), finds it among the new reports and in the issued list; every
// page passes axe-core.
func TestLeaderIssuesTheReport(t *testing.T) {
	base := server(t)
	leader := newDesk(t)
	login(t, leader, base, "leader")

	leader.Go(base + "/staff/reports?from=2021-09-01&to=2021-09-30")
	leader.Click(`form[action="/staff/reports/issue"] button[type="submit"]`)
	if !strings.HasPrefix(leader.URL(), base+"/staff/reports/issued/") {
		t.Fatalf("issuing leads to %s: %s", leader.URL(), leader.Text("main"))
	}
	issued := strings.TrimPrefix(leader.URL(), base)
	text := leader.Text("main")
	for _, want := range []string{"报告已签发", "鄂托克旗公安局", "工作综述", "2021-09-01–2021-09-30", "签发时日志位置", "签发后数字没有变化"} {
		if !strings.Contains(text, want) {
			t.Errorf("the issued report does not say %q", want)
		}
	}
	if !leader.Exists(`.report-preview a.fig[data-figure="matters.done"]`) {
		t.Error("the report as issued has no linked figures")
	}
	t.Run("axe/issued report", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })

	leader.Go(base + "/staff/reports?from=2021-09-01&to=2021-09-30")
	if !leader.Exists(`#issued-new + ul a[href="` + issued + `"]`) {
		t.Errorf("the new reports do not list %s: %s", issued, leader.Text("main"))
	}
	t.Run("axe/report with its issue button", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })

	leader.Click(`a[href="/staff/reports/issued"]`)
	if !strings.Contains(leader.Text("#total"), "共1条") || !leader.Exists(`table a[href="`+issued+`"]`) {
		t.Errorf("the issued list: %s", leader.Text("main"))
	}
	t.Run("axe/issued list", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })
}
