package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/demo"
	"minyi/dispute"
	"minyi/internal/officetest"
	"minyi/internal/testdb"
	"minyi/internal/wire"
	"minyi/locale"
	"minyi/matter"
	"minyi/org"
	"minyi/publicity"
	"minyi/register"
	"minyi/report"
	"minyi/store"
	"minyi/web"
)

// TestReport loads the demo on each database and writes the summary report
// (工作综述) of 2021-01-01 to 2021-11-02 for the bureau: every figure of the
// source is stated in the source's words, from the records, in simplified
// and traditional script; every figure that links to a list gives a list
// whose total is the figure; and one more matter done makes it 405.
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
			fmt.Sprintf("“24小时警局”累计受理群众问政%d条", demo.DeskReplies),
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

		t.Run("every list gives its figure", func(t *testing.T) {
			linked := 0
			for _, f := range doc.Figures {
				if f.List == "" {
					continue
				}
				linked++
				if got := listTotal(t, svc, leader, f.List); got != f.Value {
					t.Errorf("%s = %d, but its list %s holds %d", f.Key, f.Value, f.List, got)
				}
			}
			if linked < 8 {
				t.Errorf("only %d figures link to a list", linked)
			}
		})

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

// listTotal reads the total of a staff list the report links to, asking
// the list's service with the filter its page reads from the same query.
func listTotal(t *testing.T, svc web.Services, u org.User, link string) int64 {
	t.Helper()
	ctx := context.Background()
	path, query, _ := strings.Cut(link, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	camp, _ := strconv.ParseInt(q.Get("campaign"), 10, 64)
	switch path {
	case "/staff/matters":
		page, err := svc.Matters.List(ctx, u, matter.Filter{Filter: register.Filter{Limit: 1}, Status: matter.Status(q.Get("status")),
			Unit: q.Get("unit"), Class: archive.Class(q.Get("class")), From: q.Get("from"), To: q.Get("to"), Campaign: camp})
		if err != nil || page.Total == nil {
			t.Fatalf("%s: %v (total %v)", link, err, page.Total)
		}
		return int64(*page.Total)
	case "/staff/disputes":
		page, err := svc.Disputes.List(ctx, u, dispute.Filter{Filter: register.Filter{Limit: 1}, Unit: q.Get("unit"), From: q.Get("from"), To: q.Get("to"), Campaign: camp})
		if err != nil || page.Total == nil {
			t.Fatalf("%s: %v (total %v)", link, err, page.Total)
		}
		return int64(*page.Total)
	case "/staff/publicity":
		page, err := svc.Publicity.List(ctx, u, publicity.Filter{Filter: register.Filter{Limit: 1}, Unit: q.Get("unit"),
			Channel: publicity.Channel(q.Get("channel")), From: q.Get("from"), To: q.Get("to"), Campaign: camp})
		if err != nil || page.Total == nil {
			t.Fatalf("%s: %v (total %v)", link, err, page.Total)
		}
		return int64(*page.Total)
	}
	t.Fatalf("no list %s", path)
	return 0
}
