package e2e

import (
	"context"
	"strings"
	"testing"

	"minyi/archive"
)

// TestStationActsOnItsQRItem (issue 15 §7, §10): a citizen scans the QR
// poster of 乌兰镇派出所 and writes in on a phone; the station's officer
// finds it in 待签收 at once — no dispatch by the bureau — signs for it and
// answers; the citizen is not satisfied, and the officer sees the item
// marked 重办 in the inbox and on its page, with the citizen's reason
// beside the answer form. Staff pages at 1366×768, axe-clean.
func TestStationActsOnItsQRItem(t *testing.T) {
	base := server(t)
	citizen := newPhone(t)
	citizen.Go(base + "/write?channel=qr_code&unit=wulan-station")
	if !strings.Contains(citizen.Text("main"), "这条留言将直接交给：乌兰镇派出所") {
		t.Fatalf("the QR form does not say where the message goes: %s", citizen.Text("main"))
	}
	citizen.Click(`input[name=kind][value=help]`)
	citizen.Fill("#text", "乌兰镇派出所门口的路灯坏了一个多星期，晚上来办事看不清台阶，请修一修。")
	citizen.Fill("#phone", "13804775678")
	citizen.SubmitForm("#text")
	number := strings.TrimSpace(citizen.Text("#number"))
	if !numberPattern.MatchString(number) {
		t.Fatalf("no tracking number: %s", citizen.Text("main"))
	}

	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")
	officer.Go(base + "/staff?queue=to_sign")
	if !strings.Contains(officer.Text("main"), number) {
		t.Fatalf("the QR item is not in the station's 待签收 at once")
	}
	officer.AssertNoSeriousAxe(t)
	officer.Screenshot("station-to-sign")
	officer.Click(`a[href="/staff/items/` + number + `"]`)
	expectStatus(t, officer.Text("#status"), "已派单")
	if !strings.Contains(officer.Text("#timeline"), "扫码留言直接交乌兰镇派出所办理") {
		t.Errorf("the timeline does not say why the station has it: %s", officer.Text("#timeline"))
	}
	officer.SubmitForm("#sign")
	expectStatus(t, officer.Text("#status"), "已签收")
	officer.Fill("#answer-body", "您好，路灯已联系镇政府维修，今晚前修好。")
	officer.SubmitForm("#answer")
	expectStatus(t, officer.Text("#status"), "已答复")

	citizen.Go(base + "/track/" + number)
	citizen.Click(`input[name=satisfaction][value=unsatisfied]`)
	citizen.Fill("#reason", "过了两天路灯还是不亮。")
	citizen.SubmitForm("#reason")
	expectStatus(t, citizen.Text("#status"), "办理中")

	officer.Go(base + "/staff?queue=in_progress")
	row := officer.Text(`tr:has(a[href="/staff/items/` + number + `"])`)
	if !strings.Contains(row, "重办") {
		t.Errorf("the inbox row lacks the 重办 badge: %q", row)
	}
	officer.Go(base + "/staff/items/" + number)
	if got := officer.Text("#redo-badge"); strings.TrimSpace(got) != "重办" {
		t.Errorf("redo badge %q", got)
	}
	if got := officer.Text("#redo-reason"); !strings.Contains(got, "过了两天路灯还是不亮") {
		t.Errorf("the citizen's reason is not beside the answer form: %q", got)
	}
	officer.AssertNoSeriousAxe(t)
	officer.Screenshot("item-redo")
}

// TestHeadAssignsAndOfficerFindsIt (issue 15 §8): the head of 乌兰镇派出所
// puts an item of the station in an officer's charge on its page; the
// officer finds it under 我的待办 and the head sees it in the workload.
func TestHeadAssignsAndOfficerFindsIt(t *testing.T) {
	base := server(t)
	it, _, err := servicesOf(t).Items.Submit(context.Background(), nil, archive.Submission{Kind: archive.KindHelp,
		Channel: archive.ChannelQRCode, Unit: "wulan-station", Text: "小区门口有人长期占道摆摊，堵住了消防通道。"})
	if err != nil || it.Status != archive.StatusDispatched {
		t.Fatalf("file: %v %s", err, it.Status)
	}
	head := newDesk(t)
	login(t, head, base, "wulan-head")
	head.Go(base + "/staff/items/" + it.Number)
	head.Select("#assign-to", "wulan-officer")
	head.SubmitForm("#assign")
	if got := head.Text("#assignee"); !strings.Contains(got, "wulan-officer") {
		t.Fatalf("officer in charge %q", got)
	}
	head.AssertNoSeriousAxe(t)

	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")
	officer.Click(`a[href="/staff/mine"]`)
	if !officer.Exists(`tr[data-item="` + it.Number + `"]`) {
		t.Fatalf("我的待办 lacks %s: %s", it.Number, officer.Text("main"))
	}
	officer.AssertNoSeriousAxe(t)
	officer.Screenshot("mine")

	head.Go(base + "/staff/workload")
	if got := head.Text(`tr[data-officer="wulan-officer"]`); !strings.Contains(got, "1") {
		t.Errorf("workload row %q", got)
	}
	head.AssertNoSeriousAxe(t)
	head.Screenshot("workload")
}
