package e2e

import (
	"regexp"
	"strings"
	"testing"
)

var disputePage = regexp.MustCompile(`/staff/disputes/(\d+)$`)

// TestOfficerMediatesADispute: an officer of the demo bureau lists the
// disputes (the demo's are there), records one — first refused for a blank
// summary, what was written kept —, records a mediation step with the
// village committee, resolves it at village level and is offered the
// follow-up visit. The parties are shown masked, and in full once after a
// recorded reveal. Every page passes axe-core.
func TestOfficerMediatesADispute(t *testing.T) {
	base := server(t)
	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")

	officer.Go(base + "/staff/disputes")
	if !strings.Contains(officer.Text("#total"), "共") || !officer.Exists("table tbody tr") {
		t.Fatalf("no demo disputes: %s", officer.Text("main"))
	}
	t.Run("axe/list", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Go(base + "/staff/disputes?status=resolved&overdue=true")
	t.Run("axe/filtered", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })

	officer.Go(base + "/staff/disputes")
	officer.Click(`a.button[href="/staff/disputes/new"]`)
	t.Run("axe/new", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Select("#kind", "land")
	officer.Fill("#township", "乌兰镇")
	officer.Fill("#village", "巴音乌素嘎查")
	officer.Fill("#party_name_0", "巴特尔")
	officer.Fill("#party_phone_0", "13912345678")
	officer.Fill("#party_name_1", "额尔敦")
	officer.Select("#party_role_1", "respondent")
	officer.Fill("#summary", " ")
	officer.SubmitForm("#summary")
	if !officer.Exists("#errors") || !strings.Contains(officer.Text("#errors"), "纠纷简要情况") {
		t.Fatalf("a blank summary is not refused: %s", officer.Text("main"))
	}
	var kept string
	officer.Eval(`document.querySelector('#party_name_1').value`, &kept)
	if kept != "额尔敦" {
		t.Errorf("the refused form lost a party: %q", kept)
	}
	t.Run("axe/refused", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Fill("#summary", "两户牧民因草场网围栏边界发生争执")
	officer.SubmitForm("#summary")
	if disputePage.FindStringSubmatch(officer.URL()) == nil {
		t.Fatalf("not on the dispute's page: %s\n%s", officer.URL(), officer.Text("main"))
	}
	expectStatus(t, officer.Text("#status"), "已排查")
	if got := officer.Text("#parties"); !strings.Contains(got, "巴*") || strings.Contains(got, "巴特尔") || !strings.Contains(got, "139****5678") {
		t.Errorf("the parties are not masked: %s", got)
	}
	t.Run("axe/dispute", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })

	officer.Click(`#mediate input[value="police"]`)
	officer.Click(`#mediate input[value="village_committee"]`)
	officer.Fill("#mediate-notes", "会同嘎查委会召集双方协商，初步达成意向")
	officer.SubmitForm("#mediate")
	expectStatus(t, officer.Text("#status"), "调解中")
	if got := officer.Text("#mediations"); !strings.Contains(got, "村（嘎查）委会") {
		t.Errorf("the mediation step: %s", got)
	}
	officer.Select("#resolve-level", "village")
	officer.Fill("#resolve-agreement", "双方同意以原网围栏为界，各自管护")
	officer.SubmitForm("#resolve")
	expectStatus(t, officer.Text("#status"), "已化解")
	if officer.Exists("#mediate") || !officer.Exists("#follow_up") {
		t.Errorf("a resolved dispute offers mediation, or no follow-up visit: %s", officer.Text("main"))
	}
	t.Run("axe/resolved", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.SubmitForm("#reveal")
	if got := officer.Text("#parties"); !strings.Contains(got, "巴特尔") || !strings.Contains(got, "13912345678") {
		t.Errorf("the parties are not shown in full after the reveal: %s", got)
	}
	t.Run("axe/revealed", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Click(`a[href$="/edit"]`)
	t.Run("axe/edit", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
}
