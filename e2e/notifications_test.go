package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/outbox"
	"minyi/web"
)

// TestDispatchNotifiesTheStation (issue 15 §9): an officer of 乌兰镇派出所
// has the inbox open; the leader dispatches an item to the station, and
// the header's 通知 count goes up without a reload (app.js asks every
// second here, every minute in service); the notifications page lists the
// item first and marks it read. 1366×768, axe-clean.
func TestDispatchNotifiesTheStation(t *testing.T) {
	base := server(t, func(c *web.Config) { c.NotifyPoll = time.Second })
	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")
	officer.Go(base + "/staff")
	count := func() int {
		var text string
		officer.Eval(`document.querySelector("[data-notify-count]").hidden ? "0" : document.querySelector("[data-notify-count]").textContent`, &text)
		n, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil {
			t.Fatalf("count %q", text)
		}
		return n
	}
	before := count()

	ctx := context.Background()
	items := servicesOf(t).Items
	it, _, err := items.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelOnlineBox,
		Text: "乌兰镇集贸市场门口晚上没有路灯，老人摔倒过两次，请尽快处理。", Contact: archive.Contact{Phone: "13804771234"}})
	if err != nil || it.Status != archive.StatusReceived {
		t.Fatalf("file: %v %s", err, it.Status)
	}
	if _, err := items.Act(ctx, userOf(t, "leader"), it.Number, archive.Command{Action: archive.ActDispatch,
		Unit: "wulan-station", Version: it.Version}, false); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for count() != before+1 {
		if time.Now().After(deadline) {
			t.Fatalf("the count stayed at %d after the dispatch", count())
		}
		time.Sleep(250 * time.Millisecond)
	}
	if !strings.Contains(officer.URL(), "/staff") || strings.Contains(officer.URL(), "notifications") {
		t.Fatalf("the page changed: %s", officer.URL())
	}
	officer.AssertNoSeriousAxe(t)

	officer.Click(`a[href="/staff/notifications"]`)
	first := officer.Text("#notifications li:first-child")
	if !strings.Contains(first, it.Number) || !strings.Contains(first, "新派单") || strings.Contains(first, "13804771234") {
		t.Fatalf("the newest notification: %q", first)
	}
	officer.AssertNoSeriousAxe(t)
	officer.ScreenshotAs("notifications")
	officer.SubmitForm("#notifications li:first-child form button")
	if got := count(); got != before {
		t.Errorf("after mark read the count is %d, want %d", got, before)
	}
}

// TestRobotAddressMasked: a WeCom robot's address holds its key; the
// admin's list and edit form show it masked and say so, and saving the
// form as shown (only pausing the robot) keeps the key. axe-clean.
func TestRobotAddressMasked(t *testing.T) {
	base := server(t)
	const key = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7e2d-4bc4-97a0-0ec2c1fa5aaa"
	h := outbox.Webhook{Name: "乌兰镇值班群", URL: key, Format: outbox.FormatWeCom, Unit: "wulan-station", Active: true}
	if _, err := servicesOf(t).Outbox.AddWebhook(context.Background(), userOf(t, "admin"), &h); err != nil {
		t.Fatal(err)
	}
	admin := newDesk(t)
	login(t, admin, base, "admin")
	admin.Go(base + "/staff/admin/webhooks")
	if list := admin.Text("main"); strings.Contains(list, "0ec2c1fa5aaa") || !strings.Contains(list, "key=****5aaa") {
		t.Fatalf("the list: %s", list)
	}
	edit := base + "/staff/admin/webhooks/" + strconv.FormatInt(h.ID, 10) + "/edit"
	admin.Go(edit)
	var value string
	admin.Eval(`document.querySelector("#url").value`, &value)
	if value != "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****5aaa" || !strings.Contains(admin.Text("#url-hint"), "地址中的密钥已隐去") {
		t.Fatalf("the edit form: %q, hint %q", value, admin.Text("#url-hint"))
	}
	admin.AssertNoSeriousAxe(t)
	admin.ScreenshotAs("webhook-robot-edit")
	admin.Click(`input[name="active"]`)
	admin.SubmitForm(`form[action^="/staff/admin/webhooks/"] button[type="submit"]`)
	stored, err := dbOf(t).Webhook(context.Background(), h.ID)
	if err != nil || stored.URL != key || stored.Active {
		t.Fatalf("after saving as shown: %+v %v", stored, err)
	}
}
