package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"minyi/campaign"
	"minyi/measure"
	"minyi/register"
)

// TestLedgerEditKeepsAnOlderCampaign: the ledgers' forms offer the latest
// 100 campaigns; an officer who edits a measure of an older campaign (the
// demo's, after 100 newer ones) finds it chosen and keeps it on saving.
// The matters list's filters have the participant field that a member's
// record links by. Both pages pass axe-core.
func TestLedgerEditKeepsAnOlderCampaign(t *testing.T) {
	base := server(t)
	ctx := context.Background()
	svc := servicesOf(t)
	leader, officer := userOf(t, "leader"), userOf(t, "wulan-officer")
	page, err := svc.Campaigns.List(ctx, leader, campaign.Filter{Filter: register.Filter{Limit: 100}})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("the demo's campaigns: %v %v", page.Items, err)
	}
	old := page.Items[len(page.Items)-1]
	for i := range 100 {
		if _, err := svc.Campaigns.Create(ctx, leader, campaign.Campaign{Name: fmt.Sprintf("专项活动%03d", i), From: old.From, To: old.To}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := svc.Measures.Create(ctx, officer, measure.Measure{Title: "错时延时服务", Unit: officer.UnitCode,
		Changes: "户籍窗口午间照常办理", ResearchedOn: old.From, Campaign: old.ID})
	if err != nil {
		t.Fatal(err)
	}

	b := newDesk(t)
	login(t, b, base, "wulan-officer")
	b.Go(base + "/staff/measures/" + strconv.FormatInt(m.ID, 10) + "/edit")
	var chosen string
	b.Eval(`document.querySelector('#campaign').value`, &chosen)
	if chosen != strconv.FormatInt(old.ID, 10) {
		t.Fatalf("the edit form's campaign is %q, want %d (%s)", chosen, old.ID, old.Name)
	}
	t.Run("axe/edit", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
	b.Fill("#title", "错时延时服务（午间）")
	b.SubmitForm("#title")
	got, err := svc.Measures.Get(ctx, officer, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "错时延时服务（午间）" || got.Campaign != old.ID {
		t.Errorf("after the edit: title %q, campaign %d, want %d", got.Title, got.Campaign, old.ID)
	}

	b.Go(base + "/staff/matters")
	b.Click(".filters summary")
	b.Fill(`input[name="participant"]`, officer.Name)
	b.SubmitForm(`input[name="participant"]`)
	if !strings.Contains(b.URL(), "participant="+officer.Name) {
		t.Fatalf("the filter is not followed: %s", b.URL())
	}
	var kept string
	b.Eval(`document.querySelector('input[name="participant"]').value`, &kept)
	if kept != officer.Name || !b.Exists(".filters details[open]") {
		t.Errorf("the field keeps %q, the filters open: %v", kept, b.Exists(".filters details[open]"))
	}
	t.Run("axe/filtered", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
}
