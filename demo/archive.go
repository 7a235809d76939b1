package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/longbridgeapp/opencc"

	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
)

// The seed's figures for January–October 2021 (see MISSION.md).
const (
	// CollectedOpinions is 收集到意见建议60条, all 回应解决.
	CollectedOpinions = 60
	// DeskReplies is “24小时警局”累计回复群众问政137条.
	DeskReplies = 137
)

// CollectionChannels are the channels through which the seed's 60 opinions
// were collected (意见收集箱、调查问卷、座谈恳谈会).
var CollectionChannels = []archive.Channel{
	archive.ChannelPaperBox, archive.ChannelOnlineBox, archive.ChannelQRCode,
	archive.ChannelSurvey, archive.ChannelForum,
}

func workingDays(n int) calendar.Limit { return calendar.Limit{Amount: n, Unit: calendar.WorkingDays} }

// categories are the archive's subject areas with their units and limits.
var categories = []archive.Category{
	{Code: "huji", Name: "户籍业务", Group: "窗口服务", UnitCode: UnitApproval, Limit: workingDays(3),
		Description: "户口登记、迁移、变更更正、户籍证明等业务，行政审批服务中心一站式办理。",
		Keywords:    "户籍 户口 户口本 迁移 迁入 落户 更正 证明 错时 延时"},
	{Code: "id-card", Name: "身份证办理", Group: "窗口服务", UnitCode: UnitApproval, Limit: workingDays(5),
		Description: "居民身份证申领、换领、补领、临时身份证及老年人上门办证。",
		Keywords:    "身份证 换证 补证 临时身份证 异地办理 老年人 上门"},
	{Code: "newborn", Name: "新生儿落户", Group: "窗口服务", UnitCode: UnitApproval, Limit: workingDays(3),
		Class:       archive.ClassHopeful,
		Description: "新生儿出生登记“一件事一次办”：政务服务中心“蒙速办”平台收件，行政审批服务中心审批落户，帮办代办。",
		Keywords:    "新生儿 出生 落户 上户口 出生医学证明 蒙速办 一次办"},
	{Code: "public-order", Name: "治安管理", Group: "治安交通", UnitCode: UnitOrder, Limit: workingDays(10),
		Description: "社会治安、巡逻防控、牲畜被盗、噪音扰民、出租房屋、养犬等治安管理事项。",
		Keywords:    "治安 巡逻 盗窃 牲畜 偷羊 扰民 护学 出租房 养犬"},
	{Code: "traffic", Name: "交通管理", Group: "治安交通", UnitCode: UnitTraffic, Limit: workingDays(10),
		Description: "道路交通安全、车驾管业务、货车超载超速整治、交通设施。",
		Keywords:    "交通 驾驶证 车辆 超载 超速 红绿灯 电动车 事故"},
	{Code: "dispute", Name: "矛盾纠纷", Group: "基层治理", UnitCode: "wulan-station", Limit: workingDays(13),
		Class:       archive.ClassWorrying,
		Description: "邻里、草场、婚姻家庭、劳资等矛盾纠纷的排查化解，由属地派出所会同有关部门办理。",
		Keywords:    "纠纷 调解 草场 边界 邻里 欠薪 工资"},
	{Code: "fraud", Name: "电信诈骗", Group: "治安交通", UnitCode: UnitCriminal, Limit: workingDays(5),
		Description: "电信网络诈骗的报案、咨询、预警劝阻与防范宣传。",
		Keywords:    "诈骗 电信诈骗 刷单 冒充公检法 安全账户 反诈 96110"},
	{Code: "conduct", Name: "服务态度与作风", Group: "队伍作风", UnitCode: UnitPolitical, Limit: workingDays(13),
		Description: "对民警、辅警服务态度和工作作风的投诉与表扬，由政工室（警务督察）核查。",
		Keywords:    "态度 作风 投诉 表扬 督察 窗口"},
	{Code: "convenience", Name: "便民服务建议", Group: "便民服务", UnitCode: UnitCommand, Limit: workingDays(15),
		Description: "对便民利民措施、服务站点、办事流程的意见建议。",
		Keywords:    "建议 便民 服务站 错时 延时 自助 网上办理"},
	{Code: "other", Name: "其他", Group: "其他", UnitCode: UnitCommand, Limit: workingDays(15),
		Description: "不属于以上分类的事项，由指挥中心分办。",
		Keywords:    "其他 失物 举报 禁毒"},
}

// archivePart loads the categories and the items of 2021.
type archivePart struct{}

func (archivePart) Name() string { return "archive" }

func (archivePart) Load(ctx context.Context, l *Loader) error {
	p := &plan{l: l, cats: map[string]*archive.Category{}}
	config := archive.NewConfig(l.Env.Store, nil)
	for i := range categories {
		c := categories[i]
		c.Active = true
		if err := config.AddCategory(ctx, org.Operator("demo"), &c); err != nil {
			return fmt.Errorf("category %s: %w", c.Code, err)
		}
		p.cats[c.Code] = &c
	}
	for _, r := range cannedReplies {
		c := archive.CannedReply{CategoryCode: r.category, Title: r.title, Body: r.body, Active: true}
		if err := config.AddCannedReply(ctx, org.Operator("demo"), &c); err != nil {
			return fmt.Errorf("canned reply %s: %w", r.title, err)
		}
	}
	p.collection()
	p.opinions = p.stories[:len(p.stories):len(p.stories)]
	p.desk()
	p.others()
	if p.err != nil {
		return p.err
	}
	l.archive = p
	return p.schedule()
}

// plan holds the stories of all items before any is filed, so that their
// actions can be replayed in time order: the event log then reads like a
// real year, with items interleaved as they would have been.
type plan struct {
	l       *Loader
	cats    map[string]*archive.Category
	stories []*story
	// opinions are the stories of the seed's 60 collected opinions, which
	// practical matters may answer (ledgerPart).
	opinions []*story
	err      error
}

// story is one item's life: its submission and the actions that follow.
type story struct {
	sub     archive.Submission
	filer   string    // the member of staff who enters it; "" for a citizen
	entered time.Time // when it is filed
	steps   []step
	item    archive.Item
	// unit is the unit that handles the item, once planned (fromDispatched).
	unit string
	// fileVia files the item another way than Submit when set: an opinion
	// collected by questionnaire is filed by turning its answer into an
	// item (surveyPart).
	fileVia func(ctx context.Context, staff org.User) (archive.Item, error)

	// t is the planning cursor and due the item's due time, for the builders.
	t   time.Time
	due time.Time
}

// step is one action on a story's item.
type step struct {
	at    time.Time
	actor string
	cmd   archive.Command
	into  *story // for merge: the target, whose number is known only when run
}

// fail records the first planning error; the builders carry on so that the
// plan code stays linear.
func (p *plan) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// newStory plans the filing of sub, received at received and entered at
// entered by filer ("" for a citizen filing it themselves).
func (p *plan) newStory(sub archive.Submission, filer string, received, entered time.Time) *story {
	if filer != "" {
		r := received
		sub.ReceivedAt = &r
	}
	s := &story{sub: sub, filer: filer, entered: entered, t: entered}
	var cat *archive.Category
	if sub.Category != "" {
		cat = p.cats[sub.Category]
		if cat == nil {
			p.fail(fmt.Errorf("unknown category %q", sub.Category))
			return s
		}
	}
	class := sub.Class
	if class == "" && cat != nil {
		class = cat.Class
	}
	// The time limit runs from entry, as the service computes it.
	s.due, _ = p.l.Env.Policy.DueAt(entered, sub.Kind, class, cat)
	p.stories = append(p.stories, s)
	return s
}

// wait moves the story's cursor on by lo..hi of office time.
func (s *story) wait(l *Loader, lo, hi time.Duration) *story {
	s.t = l.WorkingAfter(s.t, l.Between(lo, hi))
	return s
}

// do plans an action at the cursor.
func (s *story) do(actor string, cmd archive.Command) *story {
	s.steps = append(s.steps, step{at: s.t, actor: actor, cmd: cmd})
	return s
}

// staff names the account that takes a part in a unit's work: the first of
// the roles the unit has.
func (p *plan) staff(unit string, roles ...org.Role) string {
	u, ok := p.l.Staff(unit, roles...)
	if !ok {
		p.fail(fmt.Errorf("no %v in unit %s", roles, unit))
		return ""
	}
	return u.Name
}

func (p *plan) signer(unit string) string {
	if unit == "mengxi-station" && p.l.Chance(0.5) {
		return "mengxi-aux"
	}
	return p.staff(unit, org.RoleOfficer, org.RoleUnitHead)
}

func (p *plan) answerer(unit string) string {
	return p.staff(unit, org.RoleOfficer, org.RoleUnitHead)
}

func (p *plan) visitor(unit string) string {
	if unit == "mengxi-station" {
		return "mengxi-aux"
	}
	return p.staff(unit, org.RoleOfficer, org.RoleUnitHead)
}

func (p *plan) closer(unit string) string {
	return p.staff(unit, org.RoleUnitHead, org.RoleOfficer)
}

// flow says how an item is handled by the usual path: dispatch, sign,
// (start), answer, visit back, close.
type flow struct {
	unit   string // the unit that handles it
	start  bool   // record 开始办理 before answering
	late   bool   // answer after the due time
	redo   bool   // the first visit finds the citizen unsatisfied
	visit  bool   // the citizen can be visited back (otherwise closed with a reason)
	sat    archive.Satisfaction
	answer string
	// stopAt leaves the item at this status: answered (no visit yet).
	stopAt archive.Status
	// closeNote is the reason for closing without a visit.
	closeNote string
}

// handle plans the usual path for s.
func (p *plan) handle(s *story, f flow) {
	l := p.l
	s.wait(l, 10*time.Minute, 3*time.Hour).do("leader", archive.Command{Action: archive.ActDispatch, Unit: f.unit})
	p.fromDispatched(s, f)
}

// fromDispatched plans the path of a dispatched item: sign, (start), answer
// and what follows.
func (p *plan) fromDispatched(s *story, f flow) {
	l := p.l
	s.unit = f.unit
	s.wait(l, 5*time.Minute, 2*time.Hour).do(p.signer(f.unit), archive.Command{Action: archive.ActSign})
	if f.start {
		s.wait(l, 0, 90*time.Minute).do(p.signer(f.unit), archive.Command{Action: archive.ActStart})
	}
	p.answer(s, f)
}

// answer plans the answer and the close-out.
func (p *plan) answer(s *story, f flow) {
	l := p.l
	if f.late {
		s.t = l.WorkingAfter(later(s.t, s.due), l.Between(time.Hour, 14*time.Hour))
	} else {
		// Somewhere between now and the due time, as most items are; an item
		// whose due time is already near is answered soon after.
		span := l.WorkingBetween(s.t, s.due)
		at := l.WorkingAfter(s.t, time.Duration(float64(span)*(0.1+0.6*l.Rand.Float64())).Truncate(time.Minute))
		if limit := s.due.Add(-15 * time.Minute); at.After(limit) {
			at = limit
		}
		s.t = later(s.t.Add(5*time.Minute), at)
	}
	unit := f.unit
	s.do(p.answerer(unit), archive.Command{Action: archive.ActAnswer, Body: f.answer})
	if f.stopAt == archive.StatusAnswered {
		return
	}
	if !f.visit {
		s.wait(l, 30*time.Minute, 6*time.Hour).do(p.closer(unit), archive.Command{Action: archive.ActClose, Body: f.closeNote})
		return
	}
	if f.redo {
		s.wait(l, 2*time.Hour, 16*time.Hour).do(p.visitor(unit), archive.Command{Action: archive.ActVisit,
			Satisfaction: archive.Unsatisfied, Body: pick(l, unsatisfiedNotes)})
		s.wait(l, 9*time.Hour, 27*time.Hour).do(p.answerer(unit), archive.Command{Action: archive.ActAnswer,
			Body: "重新办理后答复：" + pick(l, redoAnswers) + f.answer})
		f.sat = archive.Satisfied
	}
	s.wait(l, 1*time.Hour, 18*time.Hour)
	note := pick(l, satisfiedNotes)
	if f.sat == archive.BasicSatisfied {
		note = pick(l, basicNotes)
	}
	s.do(p.visitor(unit), archive.Command{Action: archive.ActVisit, Satisfaction: f.sat, Body: note})
	s.wait(l, 5*time.Minute, 2*time.Hour).do(p.closer(unit), archive.Command{Action: archive.ActClose})
}

// schedule puts the filing of the items and their actions on the loader's
// timeline (Loader.At), which replayPart runs in time order on the loader's
// clock, interleaved with the other parts' writes.
func (p *plan) schedule() error {
	type act struct {
		at    time.Time
		story int
		step  int // -1: the filing
	}
	var acts []act
	for i, s := range p.stories {
		acts = append(acts, act{s.entered, i, -1})
		for j, st := range s.steps {
			if st.at.Before(s.entered) || (j > 0 && st.at.Before(s.steps[j-1].at)) {
				return fmt.Errorf("story %d (%s): step %d goes back in time", i, s.sub.Title, j)
			}
			acts = append(acts, act{st.at, i, j})
		}
	}
	slices.SortStableFunc(acts, func(a, b act) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.story != b.story {
			return a.story - b.story
		}
		return a.step - b.step
	})
	for _, a := range acts {
		s := p.stories[a.story]
		if a.step < 0 {
			p.l.At(a.at, func(ctx context.Context) error { return p.file(ctx, s) })
			continue
		}
		st := s.steps[a.step]
		p.l.At(a.at, func(ctx context.Context) error { return p.act(ctx, s, st) })
	}
	return nil
}

// file files a story's item.
func (p *plan) file(ctx context.Context, s *story) error {
	l := p.l
	var staff *org.User
	if s.filer != "" {
		u, err := l.User(s.filer)
		if err != nil {
			return err
		}
		staff = &u
	}
	var it archive.Item
	var err error
	if s.fileVia != nil && staff != nil {
		it, err = s.fileVia(ctx, *staff)
	} else {
		it, _, err = l.Archive.Submit(ctx, staff, s.sub)
	}
	if err != nil {
		return fmt.Errorf("file %q (%s): %w", s.sub.Title, s.sub.Channel, err)
	}
	s.item = it
	l.Result.Items++
	return nil
}

// act takes one step of a story's item.
func (p *plan) act(ctx context.Context, s *story, st step) error {
	st, ok := p.routed(s, st)
	if !ok {
		return nil
	}
	u, err := p.l.User(st.actor)
	if err != nil {
		return err
	}
	cmd := st.cmd
	cmd.Version = s.item.Version
	if st.into != nil {
		cmd.Into = st.into.item.Number
	}
	it, err := p.l.Archive.Act(ctx, u, s.item.Number, cmd, false)
	if err != nil {
		return fmt.Errorf("item %s %q: %s by %s: %w", s.item.Number, s.sub.Title, cmd.Action, st.actor, err)
	}
	s.item = it
	return nil
}

// routed is the step st as it is taken now that an item addressed to its
// unit is that unit's from its filing (archive.Addressed: its QR poster,
// its own staff's entry): the plan dispatches every item as the bureau did
// in 2021, and a dispatch of such an item is then nothing (ok false) when it
// names the unit that has it, or that unit's head transferring it to the
// unit the bureau named. Nothing else changes, so the figures stay the
// seed's: a transfer, like a dispatch, counts in no rate.
func (p *plan) routed(s *story, st step) (step, bool) {
	it := s.item
	if st.cmd.Action != archive.ActDispatch || it.Status != archive.StatusDispatched {
		return st, true
	}
	if it.UnitCode == st.cmd.Unit {
		return st, false
	}
	head, ok := p.l.Staff(it.UnitCode, org.RoleUnitHead)
	if !ok {
		return st, true // refused as the plan's error, naming the item
	}
	st.actor = head.Name
	st.cmd = archive.Command{Action: archive.ActTransfer, Unit: st.cmd.Unit, Body: "经查该事项不属本单位职责，转主管单位办理。"}
	return st, true
}

// s2t converts simplified to traditional Chinese for the citizens who write
// traditional; it is built once because OpenCC parses its dictionaries.
var s2t = sync.OnceValues(func() (*opencc.OpenCC, error) { return opencc.New("s2t") })

// traditional converts text to traditional Chinese.
func traditional(text string) (string, error) {
	cc, err := s2t()
	if err != nil {
		return "", err
	}
	return cc.Convert(text)
}

// render fills a template's placeholders.
func render(text string, v vars) string {
	return strings.NewReplacer(
		"{town}", v.town, "{village}", v.village, "{station}", stationOf(v.town).name,
		"{who}", v.who,
	).Replace(text)
}

// vars are the small variations of a template.
type vars struct {
	town, village, who string
}
