package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/demo"
	"minyi/internal/officetest"
	"minyi/internal/testdb"
	"minyi/internal/wire"
	"minyi/locale"
	"minyi/matter"
	"minyi/register"
	"minyi/report"
	"minyi/store"
)

// TestReport loads the demo on each database and writes the summary report
// (工作综述) of 2021-01-01 to 2021-11-02 for the bureau: every figure of the
// source is stated in the source's words, from the records, in simplified
// and traditional script; and one more matter done makes it 405. (Every
// figure's link is followed to its page in web's TestReportLinks.)
func TestReport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
		if _, err := demo.Load(ctx, demo.Env{Store: db, Policy: items.Policy()}); err != nil {
			t.Fatalf("Load: %v", err)
		}
		leader, err := db.UserByName(ctx, "leader")
		if err != nil {
			t.Fatal(err)
		}
		svc := wire.Web(db, items, wire.Options{})
		spec := report.Spec{From: campaignFrom, To: campaignTo}
		phrases := []string{
			fmt.Sprintf("共收集到意见建议%d条，回应解决%d条", demo.CollectedOpinions, demo.CollectedOpinions),
			fmt.Sprintf("“24小时警局”累计受理群众问政%d条，回复%d条", demo.DeskReplies, demo.DeskReplies),
			fmt.Sprintf("共计办理实事%d件", demo.MattersDone),
			fmt.Sprintf("研究并实施了%d条", demo.MeasuresImplemented),
			fmt.Sprintf("领办实事%d件", demo.MattersLed),
			fmt.Sprintf("建立便民服务站点%d个", demo.ServicePoints),
			fmt.Sprintf("累计开展志愿服务活动%d次", demo.VolunteerActivities),
			fmt.Sprintf("帮办代办新生儿落户%d件", demo.NewbornProxyDone),
			fmt.Sprintf("破获刑事案件%d起，查处行政案件%d起", demo.CriminalCasesSolved, demo.AdministrativeCases),
			fmt.Sprintf("累计排查矛盾纠纷%d起，已化解矛盾纠纷%d起", demo.DisputesFound, demo.DisputesResolved),
			"被盗的牛5头、羊53只",
			fmt.Sprintf("各级主流媒体上稿%d篇，微信公众号报道%d篇，制作短视频%d个", demo.MainstreamPieces, demo.WeChatPieces, demo.ShortVideos),
		}
		if demo.VolunteerActivities < 1100 || demo.NewbornProxyDone < 20 {
			t.Fatalf("the demo has %d volunteer activities and %d newborns by proxy: the source says 1,100+ and 20+", demo.VolunteerActivities, demo.NewbornProxyDone)
		}
		var doc report.Document
		for _, script := range []string{report.Hans, report.Hant} {
			t.Run(script, func(t *testing.T) {
				s := spec
				s.Script = script
				d, err := svc.Report.Document(ctx, leader, s)
				if err != nil {
					t.Fatal(err)
				}
				var md bytes.Buffer
				if err := report.Markdown(&md, d); err != nil {
					t.Fatal(err)
				}
				text := plain(d)
				for _, p := range phrases {
					if script == report.Hant {
						p = locale.Default().Convert(locale.Hant, p)
					}
					if !strings.Contains(text, p) {
						t.Errorf("the report does not say %q:\n%s", p, text)
					}
				}
				if script == report.Hans {
					doc = d
				}
				for _, c := range []string{"urgent", "hard", "worrying", "hopeful"} {
					if !hasSection(d, "concern_"+c) {
						t.Errorf("no section of the %s concern", c)
					}
				}
				for _, story := range []string{"玉米", "牛"} {
					if !strings.Contains(text, locale.Default().Convert(map[string]locale.Lang{report.Hans: locale.Hans, report.Hant: locale.Hant}[script], story)) {
						t.Errorf("no story of %s:\n%s", story, text)
					}
				}
			})
		}
		if doc.Title == "" {
			t.FailNow()
		}

		t.Run("docx", func(t *testing.T) {
			var b bytes.Buffer
			if err := report.DOCX(&b, doc, report.DOCXOptions{}); err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("累计排查矛盾纠纷%d起，已化解矛盾纠纷%d起", demo.DisputesFound, demo.DisputesResolved)
			if text, _ := officetest.XMLText(t, b.Bytes()); !strings.Contains(text, want) {
				t.Errorf("the document does not say %q:\n%s", want, text)
			}
			if text := officetest.Text(t, b.Bytes()); !strings.Contains(text, want) {
				t.Errorf("LibreOffice does not read %q:\n%s", want, text)
			}
		})

		t.Run("one more matter done", func(t *testing.T) {
			page, err := svc.Matters.List(ctx, leader, matter.Filter{Filter: register.Filter{Limit: 1}, Status: matter.StatusInProgress})
			if err != nil || len(page.Items) == 0 {
				t.Fatalf("a matter in progress: %v %v", page.Items, err)
			}
			m := page.Items[0]
			lead := leader
			v := m.Version
			if _, err := svc.Matters.Act(ctx, lead, m.ID, &v, matter.Command{Action: matter.ActComplete, Day: "2021-11-01",
				Story: "民警上门帮助群众解决了实际困难。"}); err != nil {
				t.Fatal(err)
			}
			d, err := svc.Report.Document(ctx, leader, spec)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("共计办理实事%d件", demo.MattersDone+1); !strings.Contains(plain(d), want) {
				t.Errorf("after one more matter done the report does not say %q", want)
			}
		})
	})
}

// plain is the report's text, paragraph by paragraph.
func plain(d report.Document) string {
	var b strings.Builder
	for _, s := range d.Sections {
		b.WriteString(s.Heading + "\n")
		for _, p := range s.Paragraphs {
			b.WriteString(p.String() + "\n")
		}
	}
	return b.String()
}

func hasSection(d report.Document, key string) bool {
	for _, s := range d.Sections {
		if s.Key == key && len(s.Paragraphs) > 0 {
			return true
		}
	}
	return false
}
