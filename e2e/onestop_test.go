package e2e

import (
	"regexp"
	"strings"
	"testing"
)

var casePage = regexp.MustCompile(`/staff/cases/(\d+)$`)

// TestNewbornThroughBothAgencies: the government service centre's clerk
// (a partner account of the demo) opens a newborn registration, first
// refused for a blank name, collects the materials once and hands the case
// to the bureau's approval centre, whose officer completes it; the admin
// adds a step in the service builder without saving. Every page passes
// axe-core.
func TestNewbornThroughBothAgencies(t *testing.T) {
	base := server(t)
	clerk, officer, admin := newDesk(t), newDesk(t), newDesk(t)
	login(t, clerk, base, "partner")

	var path string
	t.Run("the service centre opens the case", func(t *testing.T) {
		clerk.Go(base + "/staff/cases")
		t.Run("axe/list", func(t *testing.T) { clerk.AssertNoSeriousAxe(t) })
		clerk.Click(`a.button[href="/staff/cases/new"]`)
		t.Run("axe/choose", func(t *testing.T) { clerk.AssertNoSeriousAxe(t) })
		var newborn string
		clerk.Eval(`[...document.querySelectorAll('#service option')].find(o => o.textContent.includes('新生儿落户')).value`, &newborn)
		clerk.Select("#service", newborn)
		clerk.SubmitForm("#service")
		if !clerk.Exists(`input[name=received][value="出生医学证明"]`) {
			t.Fatalf("no checklist: %s", clerk.Text("main"))
		}
		t.Run("axe/new", func(t *testing.T) { clerk.AssertNoSeriousAxe(t) })
		for _, m := range []string{"出生医学证明", "父母户口簿", "父母身份证", "结婚证"} {
			clerk.Click(`input[name=received][value="` + m + `"]`)
		}
		clerk.Fill("#name", " ")
		clerk.Fill("#phone", "13900001234")
		clerk.Fill("#proxy", "approval-officer")
		clerk.SubmitForm("#name")
		if !clerk.Exists("#errors") {
			t.Fatalf("a blank name is not refused: %s", clerk.Text("main"))
		}
		t.Run("axe/refused", func(t *testing.T) { clerk.AssertNoSeriousAxe(t) })
		clerk.Fill("#name", "巴特尔")
		clerk.SubmitForm("#name")
		if casePage.FindStringSubmatch(clerk.URL()) == nil {
			t.Fatalf("not on the case's page: %s\n%s", clerk.URL(), clerk.Text("main"))
		}
		path = strings.TrimPrefix(clerk.URL(), base)
		expectStatus(t, clerk.Text("#status"), "办理中")
		t.Run("axe/case", func(t *testing.T) { clerk.AssertNoSeriousAxe(t) })
		if clerk.Exists("#cancel") || clerk.Exists("#return") {
			t.Error("the partner is offered the bureau's actions")
		}
		clerk.SubmitForm("#finish")
		if got := clerk.Text("#timeline"); !strings.Contains(got, "移交") || !strings.Contains(got, "行政审批服务中心") {
			t.Fatalf("no hand-off in the timeline: %s", got)
		}
		if clerk.Exists("#finish") {
			t.Error("the service centre may still act on the approval centre's step")
		}
	})

	t.Run("the approval centre completes it", func(t *testing.T) {
		if path == "" {
			t.Fatal("no case: the service centre did not open one")
		}
		login(t, officer, base, "approval-officer")
		officer.Go(base + path)
		if !strings.Contains(officer.Text("#applicant"), "13900001234") {
			t.Errorf("the officer of the current step and proxy sees the phone masked: %s", officer.Text("#applicant"))
		}
		t.Run("axe/case", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
		officer.SubmitForm("#finish")
		expectStatus(t, officer.Text("#status"), "已办结")
		// Done, the approval centre still reads the phone: it answers the
		// applicant's calls about the registration.
		if !strings.Contains(officer.Text("#applicant"), "13900001234") {
			t.Errorf("the unit that completed the case sees the phone masked: %s", officer.Text("#applicant"))
		}
		t.Run("axe/done", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	})

	t.Run("the admin's builder", func(t *testing.T) {
		login(t, admin, base, "admin")
		admin.Go(base + "/staff/services")
		t.Run("axe/services", func(t *testing.T) { admin.AssertNoSeriousAxe(t) })
		admin.Go(base + "/staff/services/new")
		t.Run("axe/new", func(t *testing.T) { admin.AssertNoSeriousAxe(t) })
		admin.Fill("#name", "迁入户口")
		admin.Click(`button[value="add"]`)
		if !admin.Exists("#step-name-1") || !strings.Contains(admin.HTML(), "迁入户口") {
			t.Fatalf("no second step, or the name lost: %s", admin.Text("main"))
		}
		t.Run("axe/two-steps", func(t *testing.T) { admin.AssertNoSeriousAxe(t) })
	})
}
