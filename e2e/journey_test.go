package e2e

import (
	"strings"
	"testing"
)

// TestJourney is the whole promise of minyi in one walk: a citizen writes in
// on a phone, the bureau dispatches it, an officer signs for it and answers,
// the citizen is not satisfied and it is done again, then the citizen is
// satisfied and the officer closes it out; the question and its answer
// appear on the online desk.
func TestJourney(t *testing.T) {
	base := server(t)
	citizen := newPhone(t)
	citizen.Go(base + "/write")
	citizen.Click(`input[name=kind][value=consultation]`)
	citizen.Fill("#text", "乌兰镇集市旁的路口没有红绿灯，赶集的日子车多人多，老人孩子过马路很危险，能不能装个红绿灯？")
	citizen.Fill("#township", "乌兰镇")
	citizen.Fill("#phone", "13804771234")
	citizen.Click(`input[name=publish]`)
	citizen.SubmitForm("#text")
	number := strings.TrimSpace(citizen.Text("#number"))
	if !numberPattern.MatchString(number) {
		t.Fatalf("no tracking number: %s", citizen.Text("main"))
	}

	leader := newDesk(t)
	login(t, leader, base, "leader")
	leader.Go(base + "/staff?queue=new")
	if !strings.Contains(leader.Text("main"), number) {
		t.Fatalf("the new item is not in the leader's queue")
	}
	leader.Screenshot("inbox")
	leader.Go(base + "/staff/items/" + number)
	leader.Select("#dispatch-unit", "wulan-station")
	leader.SubmitForm("#dispatch")
	expectStatus(t, leader.Text("#status"), "已派单")

	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")
	officer.Go(base + "/staff?queue=to_sign")
	officer.Click(`a[href="/staff/items/` + number + `"]`)
	if strings.Contains(officer.HTML(), "13804771234") {
		t.Errorf("the item desk shows the citizen's full phone number before it is revealed")
	}
	officer.SubmitForm("#sign")
	expectStatus(t, officer.Text("#status"), "已签收")
	officer.Fill("#answer-body", "您好，我们已将路口情况报交通管理部门，近期先在赶集日安排民警和辅警在路口疏导交通。")
	officer.SubmitForm("#answer")
	expectStatus(t, officer.Text("#status"), "已答复")
	officer.Screenshot("item-desk")

	// The citizen reads the answer and is not satisfied: the item goes back.
	citizen.Go(base + "/track/" + number)
	if !strings.Contains(citizen.Text("#timeline"), "疏导交通") {
		t.Fatalf("the answer is not on the citizen's page: %s", citizen.Text("#timeline"))
	}
	citizen.Click(`input[name=satisfaction][value=unsatisfied]`)
	citizen.Fill("#reason", "只是临时疏导，还是希望能装红绿灯。")
	citizen.SubmitForm("#reason")
	expectStatus(t, citizen.Text("#status"), "办理中")
	citizen.Screenshot("track-redo")

	officer.Go(base + "/staff/items/" + number)
	expectStatus(t, officer.Text("#status"), "办理中")
	if !strings.Contains(officer.Text("#timeline"), "还是希望能装红绿灯") {
		t.Errorf("the citizen's reason is not on the item desk")
	}
	officer.Fill("#answer-body", "经与交通管理部门现场查看，该路口已列入今年信号灯建设计划，十月底前完成安装。")
	officer.SubmitForm("#answer")
	expectStatus(t, officer.Text("#status"), "已答复")

	citizen.Go(base + "/track/" + number)
	citizen.Click(`input[name=satisfaction][value=satisfied]`)
	citizen.SubmitForm("#reason")
	expectStatus(t, citizen.Text("#status"), "已回访")

	officer.Go(base + "/staff/items/" + number)
	officer.SubmitForm("#close")
	expectStatus(t, officer.Text("#status"), "已销号")

	citizen.Go(base + "/track/" + number)
	expectStatus(t, citizen.Text("#status"), "已销号")
	citizen.Screenshot("track-closed")

	// The consented question and its latest answer are on the online desk,
	// without the citizen's phone.
	anyone := newPhone(t)
	anyone.Go(base + "/desk/" + number)
	if got := anyone.Text(".reply"); !strings.Contains(got, "信号灯建设计划") {
		t.Errorf("the online desk shows %q", got)
	}
	if strings.Contains(anyone.HTML(), "1380477") {
		t.Errorf("the online desk shows the citizen's phone")
	}
}

func expectStatus(t *testing.T, got, want string) {
	t.Helper()
	if strings.TrimSpace(got) != want {
		t.Fatalf("status %q, want %q", got, want)
	}
}
