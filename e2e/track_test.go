package e2e

import (
	"strings"
	"testing"

	"minyi/locale"
)

// TestTrackAddAndWithdrawOnAPhone follows an item on a phone (390×844) in
// every language: the stepper marks the current step, the citizen adds
// information with a photo (shown as a thumbnail in the timeline's item),
// then withdraws the item through its confirmation page. Every page is
// checked with axe-core at AA; the tracking page is kept as
// tmp/artifacts/track-<lang>-open.png after the addition and as
// tmp/artifacts/track-<lang>.png once withdrawn.
func TestTrackAddAndWithdrawOnAPhone(t *testing.T) {
	base := server(t)
	b := newPhone(t)
	for _, lang := range locale.Langs {
		t.Run(string(lang), func(t *testing.T) {
			b.Go(base + "/prefs?lang=zh-Hans")
			number, _ := writeIn(t, b, base, "村口的路灯坏了，晚上很黑。")
			b.Go(base + "/prefs?lang=" + string(lang))
			b.Go(base + "/track/" + number)
			if n := strings.Count(b.HTML(), `aria-current="step"`); n != 1 || !b.Exists(`ol.stepper li[aria-current=step]`) || !b.Exists("#step-now time") {
				t.Fatalf("the stepper does not mark one current step with its due date: %d", n)
			}
			if lang != locale.Mn { // the Mongolian pages are set vertically and scroll sideways by design
				var wide bool
				b.Eval(`document.documentElement.scrollWidth > window.innerWidth`, &wide)
				if wide {
					t.Errorf("the tracking page is wider than the phone")
				}
			}
			b.AssertNoSeriousAxe(t)

			b.Fill("#add-body", "补充：是东边第二根路灯。")
			b.Upload("#add-photos", pngFile(t, "lamp.png"))
			b.SubmitForm("#add-body")
			if !b.Exists(`#timeline li[data-event=citizen_added]`) || !b.Exists(`#photos img.thumb`) {
				t.Fatalf("the addition is not shown: %s", b.Text("main"))
			}
			b.ScreenshotAs("track-" + string(lang) + "-open")
			b.AssertNoSeriousAxe(t)

			b.Click(`#withdraw-link a`)
			if !b.Exists("#confirm-withdraw") {
				t.Fatalf("no confirmation step: %s", b.Text("main"))
			}
			b.AssertNoSeriousAxe(t)
			b.Fill("#withdraw-reason", "已经修好了")
			b.SubmitForm("#withdraw-reason")
			if !b.Exists("#withdrawn-note") || b.Exists("#add-body") || b.Exists("#withdraw-link") {
				t.Fatalf("the item is not shown withdrawn: %s", b.Text("main"))
			}
			b.Reload() // the messaging apps' browsers reload often: nothing changes
			if !b.Exists("#withdrawn-note") || strings.Count(b.HTML(), `data-event="withdrawn"`) != 1 {
				t.Fatalf("after a reload: %s", b.Text("main"))
			}
			b.ScreenshotAs("track-" + string(lang))
			b.AssertNoSeriousAxe(t)
		})
	}
}
