// Package loadgen generates realistic archives for benchmarks: items whose
// histories are produced by the archive's own rules (Decide and Apply), with
// texts in simplified and traditional Chinese drawn from the vocabulary of a
// county bureau's mailbox, spread over several years and all units.
package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
	"minyi/store"
)

// Subjects are what citizens write about; each pairs a category hint with phrases.
var subjects = []struct {
	keyword string // found in the name of the matching category
	phrases []string
}{
	{"户籍", []string{"户籍迁移需要哪些材料", "户口本丢失怎么补办", "集体户口迁出手续", "户籍窗口排队时间太长", "落户政策咨询"}},
	{"身份证", []string{"身份证到期换领", "临时身份证办理", "异地办理身份证", "老人行动不便上门办证", "身份证照片采集"}},
	{"新生儿", []string{"新生儿落户一次办", "出生医学证明落户", "新生儿重名查询", "孩子上户口需要什么"}},
	{"治安", []string{"夜间噪音扰民", "小区门口有人聚众", "网吧接纳未成年人", "牲畜被盗请求调查", "草场边界有人闹事"}},
	{"交通", []string{"路口红绿灯时间太短", "学校门口车辆乱停", "货车超载严重", "驾驶证换证咨询", "乡村道路缺少警示标志"}},
	{"纠纷", []string{"邻里宅基地纠纷", "草场承包纠纷", "工钱被拖欠", "家庭矛盾需要调解", "牧户之间水源纠纷"}},
	{"诈骗", []string{"接到冒充客服电话", "网购被骗请求帮助", "刷单诈骗报案", "老人被骗买保健品"}},
	{"服务态度", []string{"窗口民警态度很好表扬", "办事效率需要提高", "希望延长节假日服务时间", "接警后出警及时感谢"}},
	{"便民", []string{"建议增设便民服务点", "希望开通网上预约", "牧区办证太远", "建议错时延时服务"}},
}

var places = []string{"乌兰镇", "棋盘井镇", "蒙西镇", "木肯淖尔镇", "阿尔巴斯苏木", "苏米图苏木", "包乐浩晓", "新召"}

var fillers = []string{"请尽快处理", "谢谢", "麻烦了", "已经反映过一次", "希望给个答复", "家里老人着急", "孩子要上学", "牧民群众都很关心", "盼回复"}

// traditional turns some texts into traditional characters, as a share of
// citizens write them.
var traditional = strings.NewReplacer("户", "戶", "籍", "籍", "迁", "遷", "证", "證", "办", "辦", "时", "時", "间", "間", "长", "長",
	"儿", "兒", "车", "車", "辆", "輛", "纠", "糾", "纷", "紛", "诈", "詐", "骗", "騙", "务", "務", "请", "請", "谢", "謝",
	"处", "處", "理", "理", "关", "關", "盼", "盼", "复", "復", "气", "氣", "态", "態", "度", "度", "学", "學", "门", "門")

// Generator builds items for an installation's units and categories.
type Generator struct {
	rng        *rand.Rand
	policy     archive.Policy
	units      []string
	categories map[string]archive.Category // by subject keyword
	Start      time.Time                   // first day items are received
	Days       int                         // spread over this many days
}

// New prepares a generator over the units and categories stored in db.
func New(ctx context.Context, db *store.DB, policy archive.Policy, seed uint64) (*Generator, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := db.Categories(ctx)
	if err != nil {
		return nil, err
	}
	g := &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), policy: policy,
		categories: map[string]archive.Category{}, Start: time.Date(2021, 1, 1, 0, 0, 0, 0, calendar.Zone), Days: 6 * 365}
	for _, u := range units {
		if u.Kind != org.UnitBureau && u.Kind != org.UnitPartner {
			g.units = append(g.units, u.Code)
		}
	}
	for _, subj := range subjects {
		for _, c := range cats {
			if strings.Contains(c.Name, subj.keyword) && c.Active {
				g.categories[subj.keyword] = c
				break
			}
		}
	}
	if len(g.units) == 0 {
		return nil, fmt.Errorf("loadgen: the database has no units; load the demo bureau first")
	}
	return g, nil
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// Item returns one generated item with its history.
func (g *Generator) Item() store.Imported {
	r := g.rng
	subj := pick(r, subjects)
	text := pick(r, places) + "：" + pick(r, subj.phrases) + "，" + pick(r, fillers) + "。" + pick(r, subjects[r.IntN(len(subjects))].phrases) + "？"
	if r.IntN(3) == 0 {
		text = traditional.Replace(text)
	}
	kinds := []archive.Kind{archive.KindSuggestion, archive.KindComplaint, archive.KindHelp, archive.KindConsultation, archive.KindReport, archive.KindPraise}
	channels := []archive.Channel{archive.ChannelOnlineBox, archive.ChannelOnlineDesk, archive.ChannelQRCode, archive.ChannelPhone,
		archive.ChannelPaperBox, archive.ChannelWalkIn, archive.ChannelVisit, archive.ChannelSurvey, archive.ChannelForum}
	received := g.Start.Add(time.Duration(r.Int64N(int64(g.Days)*24)) * time.Hour).Add(time.Duration(r.IntN(3600)) * time.Second)
	sub := archive.Submission{Kind: pick(r, kinds), Channel: pick(r, channels), Text: text,
		Location: archive.Location{Township: pick(r, places)}, Publish: r.IntN(4) == 0, ReceivedAt: &received}
	if r.IntN(5) > 0 {
		sub.Contact = archive.Contact{Name: "群众", Phone: fmt.Sprintf("139%08d", r.IntN(1e8))}
	} else {
		sub.Contact.Anonymous = true
	}
	var cat *archive.Category
	if c, ok := g.categories[subj.keyword]; ok {
		cat = &c
		sub.Category = c.Code
	}
	it, ev := archive.NewItem(sub, received, g.policy, cat, archive.Citizen, archive.HashAccessCode(fmt.Sprint(r.Uint64())))
	if it.UnitCode == "" {
		it.UnitCode = pick(r, g.units)
	}
	it = archive.Apply(it, ev)
	events := []archive.Event{ev}
	unit := pick(r, g.units)
	leader := archive.Actor{Name: "leader", Role: org.RoleLeader}
	now := received
	step := func(cmd archive.Command) bool {
		now = now.Add(time.Duration(1+r.IntN(30)) * time.Hour)
		evs, err := archive.Decide(it, cmd, leader, now, g.policy, nil)
		if err != nil {
			return false
		}
		for _, e := range evs {
			it = archive.Apply(it, e)
		}
		events = append(events, evs...)
		return true
	}
	// Most items are long finished; recent ones are still open.
	outcome := r.IntN(100)
	switch {
	case outcome < 3:
		step(archive.Command{Action: archive.ActInvalidate, Body: "重复或无效"})
		return store.Imported{Item: it, Events: events}
	case outcome < 8:
		return store.Imported{Item: it, Events: events}
	}
	step(archive.Command{Action: archive.ActDispatch, Unit: unit})
	if outcome < 12 {
		return store.Imported{Item: it, Events: events}
	}
	step(archive.Command{Action: archive.ActSign})
	if outcome < 16 {
		return store.Imported{Item: it, Events: events}
	}
	step(archive.Command{Action: archive.ActAnswer, Body: "您好，您反映的问题已办理：" + pick(r, subj.phrases) + "，已按规定处理。"})
	if outcome < 22 {
		return store.Imported{Item: it, Events: events}
	}
	sat := []archive.Satisfaction{archive.Satisfied, archive.Satisfied, archive.Satisfied, archive.BasicSatisfied, archive.Unsatisfied}
	if !it.Contact.Reachable() {
		step(archive.Command{Action: archive.ActClose, Body: "匿名无法回访"})
		return store.Imported{Item: it, Events: events}
	}
	// A verdict below satisfied says why (the five-level rating's rule).
	v := archive.Command{Action: archive.ActVisit, Satisfaction: pick(r, sat)}
	if v.Satisfaction.BelowSatisfied() {
		v.Body = "群众希望办得再快些。"
	}
	step(v)
	if it.Status == archive.StatusInProgress { // unsatisfied: redo
		step(archive.Command{Action: archive.ActAnswer, Body: "重新办理后答复。"})
		step(archive.Command{Action: archive.ActVisit, Satisfaction: archive.BasicSatisfied, Body: "群众基本认可重新办理的结果。"})
	}
	step(archive.Command{Action: archive.ActClose})
	return store.Imported{Item: it, Events: events}
}

// Generate stores n generated items in batches, calling progress after each.
func (g *Generator) Generate(ctx context.Context, db *store.DB, n, batch int, progress func(done int)) error {
	for done := 0; done < n; {
		size := min(batch, n-done)
		items := make([]store.Imported, size)
		for i := range items {
			items[i] = g.Item()
		}
		if err := db.Import(ctx, items); err != nil {
			return err
		}
		done += size
		if progress != nil {
			progress(done)
		}
	}
	return nil
}

// Query is one request of the benchmark's mix.
type Query struct {
	Class string // list, search, rates, desk
	Path  string
}

// Mix returns the read benchmark's requests: list/filter, full-text search
// (two-character words, longer words, traditional spellings, several words),
// and yearly rates per unit.
func Mix(units []string) []Query {
	var qs []Query
	add := func(class, path string) { qs = append(qs, Query{class, path}) }
	add("list", "/api/v1/items?limit=20")
	add("list", "/api/v1/items?status=received,dispatched,signed,in_progress&sort=due&limit=20")
	add("list", "/api/v1/items?overdue=true&limit=20")
	add("list", "/api/v1/items?channel=online_desk&kind=consultation&limit=20")
	add("list", "/api/v1/items?from=2023-03-01&to=2023-03-31&limit=20")
	for _, u := range units {
		add("list", "/api/v1/items?unit="+u+"&limit=20")
		add("list", "/api/v1/items?unit="+u+"&status=closed&limit=20")
		add("rates", "/api/v1/stats?from=2024-01-01&to=2024-12-31&unit="+u)
	}
	add("rates", "/api/v1/stats?from=2024-01-01&to=2024-12-31")
	for _, q := range []string{"户籍", "投诉", "诈骗", "纠纷", "噪音", "身份证", "新生儿落户", "戶籍遷移", "詐騙", "草场 纠纷", "红绿灯", "便民服务点", "上门办证"} {
		add("search", "/api/v1/items?limit=20&q="+urlQuery(q))
		add("search", "/api/v1/items?limit=20&sort=newest&q="+urlQuery(q))
	}
	add("search", "/api/v1/items?limit=20&q="+urlQuery("户籍")+"&unit="+units[0])
	add("search", "/api/v1/items?limit=20&q="+urlQuery("诈骗")+"&status=closed")
	return qs
}

func urlQuery(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c == ' ' {
			b.WriteString("+")
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
