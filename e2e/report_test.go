package e2e

import (
	"strings"
	"testing"
)

// TestLeaderReadsTheReport: a leader of the demo bureau opens the summary
// report (工作综述) of 2021-01-01 to 2021-11-02 from the staff nav and reads
// the source's figures in its prose, each a link: matters done 404,
// disputes found 173, 156 mainstream-media pieces, 370 WeChat articles and
// 20 short videos; the link of the disputes found leads to a list whose
// total is 173. The page passes axe-core.
func TestLeaderReadsTheReport(t *testing.T) {
	base := server(t)
	leader := newDesk(t)
	login(t, leader, base, "leader")

	leader.Go(base + "/staff")
	leader.Click(`nav.staffnav a[href="/staff/reports"]`)
	if !strings.HasPrefix(leader.URL(), base+"/staff/reports") {
		t.Fatalf("the nav leads to %s", leader.URL())
	}
	leader.Go(base + "/staff/reports?from=2021-01-01&to=2021-11-02")
	figure := func(key string) string {
		sel := `.report-preview section:not(#report-figures) a.fig[data-figure="` + key + `"]`
		if !leader.Exists(sel) {
			t.Fatalf("no linked figure %s: %s", key, leader.Text("main"))
		}
		return strings.TrimSpace(leader.Text(sel))
	}
	for _, tt := range []struct{ key, want string }{
		{"matters.done", "404"},
		{"disputes.found", "173"},
		{"publicity.channel_mainstream_media", "156"},
		{"publicity.channel_wechat", "370"},
		{"publicity.channel_short_video", "20"},
	} {
		t.Run(tt.key, func(t *testing.T) {
			if got := figure(tt.key); got != tt.want {
				t.Errorf("%s = %s, want %s", tt.key, got, tt.want)
			}
		})
	}
	text := leader.Text(".report-preview")
	for _, want := range []string{"共收集到意见建议60条，回应解决60条", "破获刑事案件293起，查处行政案件854起", "被盗的牛5头、羊53只"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	t.Run("axe/report", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })

	leader.Click(`.report-preview section:not(#report-figures) a.fig[data-figure="disputes.found"]`)
	if !strings.HasPrefix(leader.URL(), base+"/staff/disputes?") || !strings.Contains(leader.Text("#total"), "共173条") {
		t.Errorf("the disputes found lead to %s: %s", leader.URL(), leader.Text("#total"))
	}
}
