package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/matter"
	"minyi/servicepoint"
)

// portalLedgers records, on the test's database, what the citizen portal's
// ledger pages show: a done matter of 蒙西镇 whose household did not agree
// to be named (its story names them), an ongoing matter whose beneficiary
// agreed, a matter not published, and two service points. It returns the
// ids of the three matters.
func portalLedgers(t *testing.T) (done, ongoing, hidden int64) {
	t.Helper()
	ctx := context.Background()
	svc, leader := servicesOf(t), userOf(t, "leader")
	record := func(m matter.Matter, cmds ...matter.Command) int64 {
		t.Helper()
		m, err := svc.Matters.Create(ctx, leader, m)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cmds {
			v := m.Version
			if m, err = svc.Matters.Act(ctx, leader, m.ID, &v, c); err != nil {
				t.Fatalf("%s: %v", c.Action, err)
			}
		}
		return m.ID
	}
	done = record(matter.Matter{Title: "无障碍检查：帮助牧户追回被盗牛羊", Unit: "mengxi-station", Branch: "branch-mengxi", Lead: "mengxi-officer",
		Class: archive.ClassUrgent, Description: "牧民反映牛羊被盗。", Published: true,
		Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryHousehold, Name: "格日勒图", Phone: "13912345678", Place: "蒙西镇东村"}},
		matter.Command{Action: matter.ActStart}, matter.Command{Action: matter.ActProgress, Text: "走访牧户，调取监控。"},
		matter.Command{Action: matter.ActComplete, Story: "民警连夜追查，为格日勒图家追回牛5头、羊53只。", Outcomes: map[string]int64{"cattle": 5, "sheep": 53}})
	ongoing = record(matter.Matter{Title: "无障碍检查：为学生申请助学金", Unit: "wulan-station", Class: archive.ClassHard, Published: true,
		BeneficiaryConsent: true, Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryPerson, Name: "其其格", Place: "乌兰镇"}},
		matter.Command{Action: matter.ActStart},
		matter.Command{Action: matter.ActProgress, Text: "申请材料已报送。", Photos: []archive.Photo{{Data: pixelPNG}}})
	hidden = record(matter.Matter{Title: "无障碍检查：内部事项", Unit: "wulan-station", Class: archive.ClassWorrying,
		Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryGroup, Name: "辖区商户"}})
	lat, lng := 39.52, 107.02
	for _, p := range []servicepoint.Point{
		{Name: "无障碍检查：蒙西镇便民服务站", Unit: "mengxi-station", Township: "蒙西镇", Village: "东村", Address: "镇政府院内",
			Lat: &lat, Lng: &lng, OpeningHours: "周一至周日 8:00-20:00，午间不休", OffPeak: true, Extended: true,
			Services: []string{"户籍办理", "居住证", "开具证明"}, Phone: "0477-6211234"},
		{Name: "无障碍检查：乌兰镇便民服务站", Unit: "wulan-station", Township: "乌兰镇", Address: "乌兰镇政务大厅一楼", Services: []string{"户籍办理"}},
	} {
		if _, err := svc.Points.Create(ctx, leader, p); err != nil {
			t.Fatal(err)
		}
	}
	return done, ongoing, hidden
}

// pixelPNG is a one-pixel PNG, a photo of a progress entry.
var pixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

// TestAccountabilityPages walks the citizen's ledger pages in real Chromium
// in each language, with axe-core on every page: the published matters and
// their filters, one matter's story, the service points.
func TestAccountabilityPages(t *testing.T) {
	base := server(t)
	done, ongoing, hidden := portalLedgers(t)
	citizen := newPhone(t)

	// From the home page to the matters.
	citizen.Go(base + "/")
	citizen.Click(`a.task[href="/matters"]`)
	list := citizen.Text("main")
	for _, want := range []string{"我们办的实事", "无障碍检查：帮助牧户追回被盗牛羊", "无障碍检查：为学生申请助学金", "领办民警：蒙西镇派出所民警"} {
		if !strings.Contains(list, want) {
			t.Errorf("/matters lacks %q", want)
		}
	}
	for _, never := range []string{"格日勒图", "13912345678", "无障碍检查：内部事项"} {
		if strings.Contains(citizen.HTML(), never) {
			t.Errorf("/matters shows %q", never)
		}
	}
	var shares []string
	citizen.Eval(`[...document.querySelectorAll("progress")].map(p => p.labels[0].innerText + "=" + p.value)`, &shares)
	bars := map[string]bool{}
	for _, s := range shares {
		for _, stage := range []string{"已办结", "办理中"} {
			if strings.Contains(s, stage) {
				bars[stage+s[strings.LastIndex(s, "="):]] = true
			}
		}
	}
	if !bars["已办结=100"] || !bars["办理中=50"] {
		t.Errorf("the stage bars, by their labels: %v", shares)
	}

	// The demo publishes more than a page: the next page goes on from the
	// last one shown.
	links := func() []string {
		var hrefs []string
		citizen.Eval(`[...document.querySelectorAll("article.matter h2 a")].map(a => a.getAttribute("href"))`, &hrefs)
		return hrefs
	}
	citizen.Go(base + "/matters")
	first := links()
	if len(first) != 20 || !citizen.Exists(`a[rel="next"]`) {
		t.Fatalf("the first page lists %d matters, next page link %v", len(first), citizen.Exists(`a[rel="next"]`))
	}
	citizen.Click(`a[rel="next"]`)
	if u := citizen.URL(); !strings.Contains(u, "cursor=") {
		t.Errorf("the next page's address %s", u)
	}
	next := links()
	if len(next) == 0 || strings.Contains(strings.Join(first, " ")+" ", next[0]+" ") {
		t.Errorf("the next page %v goes not on from the first %v", next, first)
	}

	// The filter by township, as a citizen uses it.
	citizen.Select("#township", "蒙西镇")
	citizen.SubmitForm("#township")
	if got := citizen.Text("main"); !strings.Contains(got, "帮助牧户追回被盗牛羊") || strings.Contains(got, "为学生申请助学金") {
		t.Errorf("filtered by 蒙西镇: %s", got)
	}

	// The demo's story of the stolen livestock, a team's matter for the
	// herders of 阿尔巴斯苏木: its place puts it in that township.
	citizen.Go(base + "/matters?township=阿尔巴斯苏木&class=worrying")
	if got := citizen.Text("main"); !strings.Contains(got, "返还被盗牲畜") || !strings.Contains(got, "53") {
		t.Errorf("the demo's livestock story is not under 阿尔巴斯苏木: %s", got)
	}

	// One matter: the story that names the household is withheld, its
	// outcomes are counted.
	citizen.Go(base + "/matters?township=蒙西镇")
	citizen.Click(fmt.Sprintf(`a[href="/matters/%d"]`, done))
	page := citizen.Text("main")
	for _, want := range []string{"此段含个人信息，不予公开", "走访牧户，调取监控。", "羊（只）", "53", "家庭 · 蒙西镇"} {
		if !strings.Contains(page, want) {
			t.Errorf("the matter's page lacks %q", want)
		}
	}
	// The consenting beneficiary's matter shows its progress photo.
	citizen.Go(fmt.Sprintf("%s/matters/%d", base, ongoing))
	var shown string
	citizen.Eval(`(async () => {
		const i = document.querySelector(".timeline img.thumb");
		if (!i) return "no photo";
		i.scrollIntoView();
		try { await i.decode(); } catch (e) { return "not loaded: " + i.src; }
		return "width " + i.naturalWidth;
	})()`, &shown)
	if shown != "width 1" {
		t.Errorf("the progress photo of a consenting beneficiary's matter: %s", shown)
	}
	citizen.Go(fmt.Sprintf("%s/matters/%d", base, hidden))
	if strings.Contains(citizen.Text("main"), "内部事项") {
		t.Errorf("an unpublished matter is shown")
	}

	pages := []struct{ name, path string }{
		{"matters", "/matters"},
		{"matters-filtered", "/matters?class=urgent&township=蒙西镇"},
		{"matter-done", fmt.Sprintf("/matters/%d", done)},
		{"matter-ongoing", fmt.Sprintf("/matters/%d", ongoing)},
		{"service-points", "/service-points"},
		{"service-points-town", "/service-points?township=蒙西镇"},
	}
	titles := map[string][2]string{ // the language's titles of the matters and the service points
		"zh-Hans": {"我们办的实事", "哪里办"},
		"zh-Hant": {"我們辦的實事", "哪裏辦"},
		"en":      {"What we did for you", "Where to get it done"},
	}
	for _, lang := range []string{"zh-Hans", "zh-Hant", "en"} {
		citizen.Go(base + "/prefs?lang=" + lang)
		for _, p := range pages {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				citizen.Go(base + p.path)
				citizen.Screenshot("accountability-" + lang + "-" + p.name)
				citizen.AssertNoSeriousAxe(t)
				want := titles[lang][0]
				if strings.HasPrefix(p.name, "service-points") {
					want = titles[lang][1]
				}
				if p.name == "matters" || strings.HasPrefix(p.name, "service-points") {
					if h1 := citizen.Text("h1"); h1 != want {
						t.Errorf("heading %q, want %q", h1, want)
					}
				}
			})
		}
	}

	// The service points: hours with their marks, a phone to call, a map.
	citizen.Go(base + "/prefs?lang=zh-Hans")
	citizen.Go(base + "/service-points")
	points := citizen.Text("main")
	for _, want := range []string{"无障碍检查：蒙西镇便民服务站", "错时服务", "延时服务", "周一至周日 8:00-20:00，午间不休", "开具证明"} {
		if !strings.Contains(points, want) {
			t.Errorf("/service-points lacks %q", want)
		}
	}
	for _, sel := range []string{`a[href="tel:04776211234"]`, `a[href="geo:39.52,107.02"]`} {
		if !citizen.Exists(sel) {
			t.Errorf("/service-points has no %s", sel)
		}
	}

	// In the elder-friendly mode too.
	citizen.Go(base + "/prefs?large=1")
	citizen.Go(base + "/matters")
	citizen.Screenshot("accountability-large")
	citizen.AssertNoSeriousAxe(t)
}
