package outbox_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"minyi/notify"
	"minyi/outbox"
)

// DingTalk's 加签 against a signature computed apart (Python's hmac,
// base64 and quote_plus, as DingTalk's own example does).
func TestDingTalkSign(t *testing.T) {
	const want = "B0RWzLp5DJ68eWPlqN2is7j/CJw7WP3nV1RkTFHU+F4="
	if got := outbox.DingTalkSign("SEC0123456789abcdef", 1767225600000); got != want {
		t.Errorf("sign %q, want %q", got, want)
	}
}

// The robots' bodies: WeCom's markdown content, DingTalk's title and text,
// the item's number, unit and due time, a title that cannot break the
// markdown; a digest's counts.
func TestRobotBody(t *testing.T) {
	due := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	a := notify.Alert{Kind: notify.KindOverdue, Unit: "a", Record: "2026-000012", Title: "路灯坏了\n# [点我](http://x)", DueAt: due}
	tests := []struct {
		format string
		want   []string
	}{
		{outbox.FormatWeCom, []string{`"msgtype":"markdown"`, `"content":"### 【民意】已超期 2026-000012`, "甲派出所", "2026-03-02 17:30"}},
		{outbox.FormatDingTalk, []string{`"title":"【民意】已超期 2026-000012"`, `"text":"### `, "甲派出所"}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			body := outbox.RobotBody(tt.format, a, "甲派出所")
			if !json.Valid([]byte(body)) {
				t.Fatalf("not JSON: %s", body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %s", body, w)
				}
			}
			if strings.Contains(body, "](http") || strings.Contains(body, `\n# `) {
				t.Errorf("the title breaks the markdown: %s", body)
			}
		})
	}
	d := notify.Alert{Kind: notify.KindDigest, Unit: "a", Title: "2026-03-03",
		Data: map[string]string{"dispatched": "3", "due_soon": "1", "overdue": "2", "redo": "0"}}
	_, text := outbox.RobotMessage(d, "甲派出所")
	for _, w := range []string{"甲派出所 2026-03-03 每日汇总", "新派单：**3** 件", "已超期：**2** 件", "重办：**0** 件"} {
		if !strings.Contains(text, w) {
			t.Errorf("digest lacks %q:\n%s", w, text)
		}
	}
}

// A robot is told of its unit's alerts, never an officer's assignment,
// and of no event; minyi's format of events, never of alerts.
func TestRobotWants(t *testing.T) {
	robot := outbox.Webhook{Format: outbox.FormatWeCom, Unit: "a", Events: []string{"*"}}
	every := outbox.Webhook{Format: outbox.FormatDingTalk}
	plain := outbox.Webhook{Format: outbox.FormatMinyi, Events: []string{"*"}}
	for _, c := range []struct {
		h    outbox.Webhook
		a    notify.Alert
		want bool
	}{
		{robot, notify.Alert{Kind: notify.KindDispatched, Unit: "a"}, true},
		{robot, notify.Alert{Kind: notify.KindDispatched, Unit: "b"}, false},
		{robot, notify.Alert{Kind: notify.KindAssigned, Unit: "a", User: "li"}, false},
		{every, notify.Alert{Kind: notify.KindDigest, Unit: "b"}, true},
		{plain, notify.Alert{Kind: notify.KindDispatched, Unit: "a"}, false},
	} {
		if got := c.h.WantsAlert(c.a); got != c.want {
			t.Errorf("%s/%s wants %s of %s: %v", c.h.Format, c.h.Unit, c.a.Kind, c.a.Unit, got)
		}
	}
	if robot.Wants("dispatched") || !plain.Wants("dispatched") {
		t.Errorf("events: robot %v, minyi %v", robot.Wants("dispatched"), plain.Wants("dispatched"))
	}
}
