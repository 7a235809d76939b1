package e2e

import (
	"context"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/locale"
)

// TestRatingWithFiveLevels (issue 15 §2): on a phone, the citizen rates the
// answer as the national 好差评 asks — five levels and optional marks for
// speed, result and attitude. "Mostly satisfied" without a reason is
// refused next to the reason's field, with the choice kept; with the reason
// and marks the item is visited back, and the officer's timeline shows the
// level and the marks. The rating form is axe-clean at 390×844, its
// targets 44 px, in each of the four languages.
func TestRatingWithFiveLevels(t *testing.T) {
	base := server(t)
	citizen := newPhone(t)
	citizen.Go(base + "/write?channel=qr_code&unit=wulan-station")
	citizen.Click(`input[name=kind][value=consultation]`)
	citizen.Fill("#text", "在乌兰镇办居住证要带哪些材料？需要本人到场吗？")
	citizen.Fill("#phone", "13804779876")
	citizen.SubmitForm("#text")
	number := strings.TrimSpace(citizen.Text("#number"))
	if !numberPattern.MatchString(number) {
		t.Fatalf("no tracking number: %s", citizen.Text("main"))
	}

	// The station answers (through the service: the pages are another test's).
	ctx := context.Background()
	items, err := service(ctx, dbOf(t))
	if err != nil {
		t.Fatal(err)
	}
	officer := userOf(t, "wulan-officer")
	for _, cmd := range []archive.Command{{Action: archive.ActSign},
		{Action: archive.ActAnswer, Body: "您好，办理居住证请带身份证和租房合同，本人到乌兰镇派出所户籍窗口办理，当场受理。"}} {
		it, err := dbOf(t).Item(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Version = it.Version
		if _, err := items.Act(ctx, officer, number, cmd, false); err != nil {
			t.Fatalf("%s: %v", cmd.Action, err)
		}
	}

	// The form in every language: axe-clean, 44 px targets, a screenshot.
	for _, lang := range locale.Langs {
		t.Run(string(lang), func(t *testing.T) {
			citizen.Go(base + "/prefs?lang=" + string(lang))
			citizen.Go(base + "/track/" + number)
			if !citizen.Exists(`#rate input[name=satisfaction][value=very_unsatisfied]`) || !citizen.Exists("#rate-attitude") {
				t.Fatalf("no five-level form in %s", lang)
			}
			citizen.AssertNoSeriousAxe(t)
			for _, small := range smallTargets(citizen) {
				t.Errorf("a touch target under 44 px: %s", small)
			}
			if lang == locale.Mn {
				citizen.ScreenshotSideways("rating-mn")
			} else {
				citizen.ScreenshotAs("rating-" + string(lang))
			}
		})
	}
	citizen.Go(base + "/prefs?lang=zh-Hans")

	citizen.Go(base + "/track/" + number)
	form := citizen.Text("#rate")
	for _, want := range []string{"非常满意", "满意", "基本满意", "不满意", "非常不满意", "办理速度", "办理结果", "服务态度"} {
		if !strings.Contains(form, want) {
			t.Errorf("the rating form lacks %s: %s", want, form)
		}
	}
	citizen.AssertNoSeriousAxe(t)

	// Below satisfied without a reason: refused beside the reason, kept.
	citizen.Click(`input[name=satisfaction][value=basic_satisfied]`)
	citizen.Select("#rate-speed", "2")
	citizen.SubmitForm("#reason")
	if !strings.Contains(citizen.Text("#rate"), "评价低于满意时请说明原因") {
		t.Fatalf("no error for the missing reason: %s", citizen.Text("#rate"))
	}
	if !citizen.Exists(`input[name=satisfaction][value=basic_satisfied]:checked`) || !citizen.Exists(`#rate-speed option[value="2"]:checked`) {
		t.Errorf("the refused form lost the choices")
	}
	citizen.AssertNoSeriousAxe(t)

	citizen.Click(`input[name=satisfaction][value=very_satisfied]`)
	citizen.Select("#rate-speed", "5")
	citizen.Select("#rate-result", "5")
	citizen.Select("#rate-attitude", "4")
	citizen.ScreenshotAs("rating") // tmp/artifacts/rating.png
	citizen.SubmitForm("#reason")
	expectStatus(t, citizen.Text("#status"), "已回访")
	if !strings.Contains(citizen.Text("main"), "非常满意") {
		t.Errorf("the citizen's page does not show their rating")
	}

	desk := newDesk(t)
	login(t, desk, base, "wulan-officer")
	desk.Go(base + "/staff/items/" + number)
	if tl := desk.Text("#timeline"); !strings.Contains(tl, "非常满意 · 办理速度 5分 · 办理结果 5分 · 服务态度 4分") {
		t.Errorf("the timeline lacks the rating's marks: %s", tl)
	}
	desk.AssertNoSeriousAxe(t)
}
