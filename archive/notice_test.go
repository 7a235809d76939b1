package archive

import (
	"strings"
	"testing"
	"time"
)

func TestNoticesFor(t *testing.T) {
	settings := NoticeSettings{Bureau: "鄂托克旗公安局", TrackURL: "https://minyi.example/track"}
	due := time.Date(2021, 3, 4, 9, 30, 0, 0, time.UTC)
	reachable := Item{Contact: Contact{Phone: "13900001111"}, DueAt: due, PublicReply: "请携带户口本到大厅办理"}
	tests := []struct {
		name  string
		item  Item
		event Event
		kind  NoticeKind // "" for none
		has   []string
	}{
		{"receipt", reachable, Event{Type: EventReceived}, NoticeReceipt, []string{"2021-000001", "ABCD2345", "2021年3月4日17:30", "【鄂托克旗公安局】"}},
		{"public reply", reachable, Event{Type: EventReplied, Public: true, Body: "正在核实"}, NoticeReply, []string{"正在核实"}},
		{"internal reply is not sent", reachable, Event{Type: EventReplied, Body: "内部"}, "", nil},
		{"answer asks for a rating", reachable, Event{Type: EventAnswered, Public: true}, NoticeRate, []string{"请携带户口本", "评价"}},
		{"extension", reachable, Event{Type: EventExtensionGranted}, NoticeExtension, []string{"延长至2021年3月4日17:30"}},
		{"closed out", reachable, Event{Type: EventClosed}, NoticeClosed, []string{"销号"}},
		{"no phone", Item{}, Event{Type: EventReceived}, "", nil},
		{"anonymous", Item{Contact: Contact{Phone: "13900001111", Anonymous: true}}, Event{Type: EventReceived}, "", nil},
		{"staff matters are not sent", reachable, Event{Type: EventNoted}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := NoticesFor(tt.item, tt.event, "ABCD2345", settings)
			if tt.kind == "" {
				if len(ns) != 0 {
					t.Fatalf("got %+v, want none", ns)
				}
				return
			}
			if len(ns) != 1 || ns[0].Kind != tt.kind || ns[0].Phone != "13900001111" {
				t.Fatalf("got %+v, want one %s", ns, tt.kind)
			}
			n := ns[0]
			n.Render("2021-000001")
			for _, want := range tt.has {
				if !strings.Contains(n.Body, want) {
					t.Errorf("body %q lacks %q", n.Body, want)
				}
			}
			if strings.Contains(n.Display, "ABCD2345") {
				t.Errorf("the staff's view shows the access code: %q", n.Display)
			}
			if strings.Contains(n.Body, "{") {
				t.Errorf("unfilled placeholder in %q", n.Body)
			}
		})
	}
}

func TestLongRepliesAreShortenedForSMS(t *testing.T) {
	it := Item{Contact: Contact{Phone: "13900001111"}, PublicReply: strings.Repeat("很长的答复", 40)}
	n := NoticesFor(it, Event{Type: EventAnswered, Public: true}, "", NoticeSettings{Bureau: "局"})[0]
	n.Render("2021-000001")
	if !strings.Contains(n.Body, "…") || len([]rune(n.Body)) > 150 {
		t.Errorf("SMS not shortened (%d characters): %s", len([]rune(n.Body)), n.Body)
	}
}
