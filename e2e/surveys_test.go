package e2e

import (
	"regexp"
	"strings"
	"testing"

	"minyi/internal/browsertest"
)

var surveyPage = regexp.MustCompile(`/staff/surveys/(\d+)$`)

// TestQuestionnaire: an officer of the demo bureau builds a questionnaire
// with the builder's buttons (no script needed) and publishes it; a citizen
// answers it on a phone, first refused for a required question left out,
// and another in the elder-friendly mode; the officer reads the live
// results and turns the written answer into an item, once. Every page
// passes axe-core.
func TestQuestionnaire(t *testing.T) {
	base := server(t)
	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")

	officer.Go(base + "/staff/surveys")
	t.Run("axe/list", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	if !strings.Contains(officer.Text("main"), "我为群众办实事") {
		t.Errorf("the demo's questionnaire is not listed to a leader-less officer? %s", officer.Text("main"))
	}
	officer.Click(`a.button[href="/staff/surveys/new"]`)
	t.Run("axe/new", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Fill("#title", "乌兰镇派出所窗口服务满意度调查")
	officer.Fill("#intro", "请您花一分钟告诉我们办事感受。")
	officer.SubmitForm("#title")
	m := surveyPage.FindStringSubmatch(officer.URL())
	if m == nil {
		t.Fatalf("not on the builder: %s\n%s", officer.URL(), officer.Text("main"))
	}
	id := m[1]
	t.Run("axe/builder", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })

	officer.Select("#new-kind", "single")
	officer.Fill("#new-text", "您对窗口服务满意吗？")
	officer.Fill("#new-options", "满意\n不满意")
	officer.Click(`button[name="op"][value="add"]`)
	officer.Select("#new-kind", "text")
	officer.Fill("#new-text", "您的意见建议")
	officer.Click(`button[name="op"][value="add"]`)
	if !officer.Exists(`#q1-text`) {
		t.Fatalf("two questions are not shown: %s", officer.Text("main"))
	}
	// The first question is required.
	officer.Click(`input[name="questions[0].required"]`)
	officer.Click(`button[name="op"][value="save"]`)
	t.Run("axe/questions", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Click(`form[action$="/act"] button`)
	if got := officer.Text("main"); !strings.Contains(got, "收集中") || !strings.Contains(got, "/surveys/"+id) {
		t.Fatalf("not published: %s", got)
	}
	officer.Go(base + "/staff/surveys/" + id + "/poster")
	t.Run("axe/poster", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })

	phone, elder := newPhone(t), newPhone(t)
	answer := func(t *testing.T, citizen *browsertest.Browser, elder bool, text string) {
		if elder {
			citizen.Go(base + "/prefs?large=1")
		}
		citizen.Go(base + "/surveys/" + id)
		t.Run("axe/answer", func(t *testing.T) { citizen.AssertNoSeriousAxe(t) })
		citizen.Fill("#q2-text", text)
		citizen.SubmitForm("#q2-text")
		if !citizen.Exists("#errors") || !strings.Contains(citizen.Text("#errors"), "第1题") {
			t.Fatalf("a required question left out is not refused: %s", citizen.Text("main"))
		}
		t.Run("axe/refused", func(t *testing.T) { citizen.AssertNoSeriousAxe(t) })
		citizen.Click(`input[name="q1"][value="2"]`)
		citizen.SubmitForm("#q2-text")
		if !strings.HasSuffix(citizen.URL(), "/surveys/"+id+"/thanks") {
			t.Fatalf("not thanked: %s %s", citizen.URL(), citizen.Text("main"))
		}
		t.Run("axe/thanks", func(t *testing.T) { citizen.AssertNoSeriousAxe(t) })
	}
	t.Run("phone", func(t *testing.T) { answer(t, phone, false, "希望窗口中午也能办理户口业务") })
	t.Run("elder", func(t *testing.T) { answer(t, elder, true, "") })

	officer.Go(base + "/staff/surveys/" + id + "/results")
	if got := officer.Text("#total"); !strings.Contains(got, "2") {
		t.Errorf("results count %q", got)
	}
	t.Run("axe/results", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Click(`li[data-text] form button`)
	if !strings.Contains(officer.URL(), "/staff/items/") || !strings.Contains(officer.Text("main"), "希望窗口中午也能办理户口业务") {
		t.Fatalf("the answer did not become an item: %s %s", officer.URL(), officer.Text("main"))
	}
	item := officer.URL()
	officer.Go(base + "/staff/surveys/" + id + "/results")
	if officer.Exists(`li[data-text] form button`) || !strings.Contains(officer.Text("main"), "已转为民意条目") {
		t.Errorf("the answer is not linked to its item: %s", officer.Text("main"))
	}
	officer.Click(`li[data-text] a`)
	if officer.URL() != item {
		t.Errorf("the answer links to %s, not %s", officer.URL(), item)
	}
}
