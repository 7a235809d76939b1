package e2e

import (
	"strconv"
	"strings"
	"testing"
)

// TestLeaderReadsTheFigures: a leader of the demo bureau reads the
// figures of the ledgers for January to October 2021 and finds the seed
// report's: disputes found 173 and resolved 156, publicity 156, 370 and 20,
// criminal cases solved 293 and administrative cases handled 854, and at
// least 20 newborn registrations handled for the applicant; the disputes
// found lead to a list of as many. The campaign page leads to its own
// figures. Every page passes axe-core.
func TestLeaderReadsTheFigures(t *testing.T) {
	base := server(t)
	leader := newDesk(t)
	login(t, leader, base, "leader")

	leader.Go(base + "/staff/figures?from=2021-01-01&to=2021-10-31")
	figure := func(register, key string) string {
		sel := `#reg-` + register + ` + table tr[data-key="` + key + `"] td`
		if !leader.Exists(sel) {
			t.Fatalf("no figure %s.%s: %s", register, key, leader.Text("main"))
		}
		return strings.TrimSpace(leader.Text(sel))
	}
	tests := []struct{ register, key, want string }{
		{"disputes", "found", "173"},
		{"disputes", "resolved", "156"},
		{"publicity", "channel_mainstream_media", "156"},
		{"publicity", "channel_wechat", "370"},
		{"publicity", "channel_short_video", "20"},
		{"indicators", "criminal_cases_solved", "293"},
		{"indicators", "administrative_cases", "854"},
	}
	for _, tt := range tests {
		t.Run(tt.register+"."+tt.key, func(t *testing.T) {
			if got := figure(tt.register, tt.key); got != tt.want {
				t.Errorf("%s.%s = %s, want %s", tt.register, tt.key, got, tt.want)
			}
		})
	}
	if n, err := strconv.Atoi(figure("cases", "proxy_newborn")); err != nil || n < 20 {
		t.Errorf("newborn registrations handled for the applicant: %d (%v), want at least 20", n, err)
	}
	// Every figure is named, none shown by its bare key.
	var unnamed []string
	leader.Eval(`Array.from(document.querySelectorAll("tr[data-key]")).filter(r => {
		const label = r.querySelector("th").textContent.trim(); const h = r.closest("table").previousElementSibling.id.slice(4);
		return label === r.dataset.key || label === h + "." + r.dataset.key }).map(r => r.dataset.key)`, &unnamed)
	if len(unnamed) > 0 {
		t.Errorf("figures without a name: %v", unnamed)
	}
	t.Run("axe/figures", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })

	leader.Click(`#reg-disputes + table tr[data-key="found"] a`)
	if !strings.HasPrefix(leader.URL(), base+"/staff/disputes?") || !strings.Contains(leader.Text("#total"), "共173条") {
		t.Errorf("the disputes found lead to %s: %s", leader.URL(), leader.Text("#total"))
	}

	leader.Go(base + "/staff/campaigns")
	leader.Click(`main table a[href^="/staff/campaigns/"]`)
	leader.Click(`a[href^="/staff/figures?campaign="]`)
	if !strings.Contains(leader.URL(), "/staff/figures?campaign=") || !leader.Exists(`#fig-campaign option[selected]`) || !leader.Exists("table tr[data-key]") {
		t.Fatalf("the campaign's figures: %s\n%s", leader.URL(), leader.Text("main"))
	}
	t.Run("axe/campaign", func(t *testing.T) { leader.AssertNoSeriousAxe(t) })
}
