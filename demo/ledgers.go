package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/matter"
	"minyi/measure"
	"minyi/org"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/volunteer"
)

// The seed's figures of the campaign “我为群众办实事” as of the report's day,
// 2021-11-02: the ledgers give them as counts of their records.
const (
	// MattersDone is 共计办理实事404件.
	MattersDone = 404
	// MattersLed is 全体民辅警已领办实事289余件: the done matters with a
	// named lead officer.
	MattersLed = 289
	// MeasuresImplemented is 研究并实施了27条…便民利民措施.
	MeasuresImplemented = 27
	// ServicePoints is 建立便民服务站点8个, all active.
	ServicePoints = 8
	// VolunteerActivities is 累计开展志愿服务活动1100余次.
	VolunteerActivities = 1126
	// MattersAnsweringOpinions is how many of the 60 opinions a done
	// matter answers (its items).
	MattersAnsweringOpinions = 12
)

// CampaignStart is the first day of the campaign's ledgers and AsOf the
// report's day: every ledger record of the demo falls between them.
var (
	CampaignStart = time.Date(2021, 3, 1, 0, 0, 0, 0, calendar.Zone)
	AsOf          = time.Date(2021, 11, 2, 0, 0, 0, 0, calendar.Zone)
)

// WinningBranch is the party branch that leads the branch comparison
// (最强党支部): the Mengxi station's, whose officers brought in the corn.
const WinningBranch = "branch-mengxi"

// share is how many records of a ledger a unit (and its branch, if any)
// holds.
type share struct {
	unit, branch string
	n            int
	late         float64 // the share of its matters done after their due day
}

// doneShares divide the 404 done matters: the Mengxi station's branch is
// clearly ahead, the offices and the centre have no branch of their own.
var doneShares = []share{
	{"mengxi-station", "branch-mengxi", 78, 0.03},
	{"wulan-station", "branch-wulan", 52, 0.12},
	{"qipanjing-station", "branch-qipanjing", 47, 0.15},
	{"mukennaoer-station", "branch-mukennaoer", 36, 0.2},
	{"aerbasi-station", "branch-aerbasi", 30, 0.18},
	{"sumitu-station", "branch-sumitu", 31, 0.22},
	{UnitCriminal, "branch-" + UnitCriminal, 28, 0.25},
	{UnitOrder, "branch-" + UnitOrder, 26, 0.15},
	{UnitTraffic, "branch-" + UnitTraffic, 24, 0.1},
	{UnitNarcotics, "branch-" + UnitNarcotics, 14, 0.2},
	{UnitBureau, branchJiguan, 18, 0.1},
	{UnitApproval, "", 8, 0.05},
	{UnitCommand, "", 6, 0.15},
	{UnitLegal, "", 3, 0.15},
	{UnitPolitical, "", 3, 0.15},
}

// activityShares divide the volunteer activities.
var activityShares = []share{
	{"mengxi-station", "branch-mengxi", 168, 0},
	{"wulan-station", "branch-wulan", 130, 0},
	{"qipanjing-station", "branch-qipanjing", 121, 0},
	{"mukennaoer-station", "branch-mukennaoer", 88, 0},
	{"aerbasi-station", "branch-aerbasi", 79, 0},
	{"sumitu-station", "branch-sumitu", 82, 0},
	{UnitCriminal, "branch-" + UnitCriminal, 64, 0},
	{UnitOrder, "branch-" + UnitOrder, 92, 0},
	{UnitTraffic, "branch-" + UnitTraffic, 110, 0},
	{UnitNarcotics, "branch-" + UnitNarcotics, 71, 0},
	{UnitBureau, branchJiguan, 76, 0},
	{UnitApproval, "", 45, 0},
}

// ledgerPart plans the campaign's ledgers: practical matters (the four
// stories of the seed among them, and some answering the 60 opinions),
// convenience measures, service points and volunteer activities, each
// written through its service on the loader's clock by replayPart.
type ledgerPart struct{}

func (ledgerPart) Name() string { return "ledgers" }

func (ledgerPart) Load(_ context.Context, l *Loader) error {
	lp := &ledgerPlan{l: l,
		matters:    &matter.Service{Store: l.Env.Store, Items: l.Archive, Settings: l.Env.Store},
		measures:   &measure.Service{Store: l.Env.Store, Now: l.Now},
		activities: &volunteer.Service{Store: l.Env.Store, Now: l.Now},
		points:     &servicepoint.Service{Store: l.Env.Store, Now: l.Now},
	}
	// The campaign's targets are checked against the keys of the summary of
	// the ledgers the demo writes, and of the matters' counted outcomes.
	lp.campaigns = &campaign.Service{Store: l.Env.Store, ExtraKeys: lp.matters.TargetKeys, Now: l.Now,
		Ledgers: &reporting.Service{Now: l.Now, Ledgers: []reporting.Source{lp.matters, lp.activities, lp.points, lp.measures}}}
	lp.campaignPlan()
	lp.servicePoints()
	lp.measurePlans()
	lp.matterPlans()
	lp.activityPlans()
	return lp.err
}

// ledgerPlan plans the ledgers' records onto the loader's timeline.
type ledgerPlan struct {
	l          *Loader
	matters    *matter.Service
	measures   *measure.Service
	activities *volunteer.Service
	points     *servicepoint.Service
	campaigns  *campaign.Service
	// campaign is the id of the campaign every record belongs to, known
	// once it is created (the first of the ledgers' writes).
	campaign int64
	// linked are the items a demo dispute was found through (disputes'
	// plan only), each linked once.
	linked map[string]bool
	err    error
}

func (lp *ledgerPlan) fail(err error) {
	if lp.err == nil {
		lp.err = err
	}
}

// user returns a demo account, recording a failure when there is none.
func (lp *ledgerPlan) user(name string) org.User {
	u, err := lp.l.User(name)
	if err != nil {
		lp.fail(err)
	}
	return u
}

// workers are the accounts that do a unit's ledger work, in creation
// order: the unit's head, officers and auxiliaries, or the leader for the
// bureau itself.
func (lp *ledgerPlan) workers(unit string) []string {
	if unit == UnitBureau {
		return []string{"leader"}
	}
	var out []string
	for _, name := range lp.l.order {
		u := lp.l.users[name]
		if u.UnitCode == unit && (u.Role == org.RoleUnitHead || u.Role == org.RoleOfficer || u.Role == org.RoleAuxiliary) {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		lp.fail(fmt.Errorf("no staff in unit %s", unit))
		return []string{"leader"}
	}
	return out
}

// decider is the account that says a unit's matter is done or a measure in
// place: its head, else an officer (auxiliaries may not).
func (lp *ledgerPlan) decider(unit string) string {
	if unit == UnitBureau {
		return "leader"
	}
	if u, ok := lp.l.Staff(unit, org.RoleUnitHead, org.RoleOfficer); ok {
		return u.Name
	}
	lp.fail(fmt.Errorf("no head or officer in unit %s", unit))
	return "leader"
}

// townOf is where a unit's work is done: a station's township, else one of
// the banner's.
func (lp *ledgerPlan) townOf(unit string) string {
	for _, s := range stations {
		if s.code == unit {
			return s.township
		}
	}
	return pick(lp.l, townships)
}

// ---- the campaign ----

// CampaignName is the demo's campaign, of the seed's title.
const CampaignName = "我为群众办实事"

// campaignMeetings are the mobilisation meetings of the seed (先后召开党委会、
// 党史学习教育动员大会、党委理论中心组学习会和“我为群众办实事”实践活动工作推进会),
// on days of the spring and a second progress meeting in the autumn.
var campaignMeetings = []campaign.Meeting{
	{Day: "2021-03-02", Kind: campaign.KindPartyCommittee, Attendees: "局党委书记、局长，党委班子成员",
		Minutes: "传达学习党史学习教育动员大会精神，研究部署“我为群众办实事”实践活动，牵头制定活动方案。"},
	{Day: "2021-03-05", Kind: campaign.KindMobilisation, Attendees: "局党委班子成员，各所队室负责人、各党支部书记及全体民辅警",
		Minutes: "召开党史学习教育动员大会，动员各所队室、各党支部民警亮身份、做表率、当先锋，深入基层一线、深入群众。"},
	{Day: "2021-03-19", Kind: campaign.KindStudy, Attendees: "党委理论学习中心组成员",
		Minutes: "集体学习党史，交流“为群众办实事”的思路，确定察民情、访民意为实践活动的第一步。"},
	{Day: "2021-06-25", Kind: campaign.KindProgress, Attendees: "局党委班子成员，各所队室负责人、各党支部书记",
		Minutes: "通报上半年实事办理和便民利民措施落实情况，梳理群众“急难愁盼”问题，推动建立“民意档案”销号管理。"},
	{Day: "2021-09-28", Kind: campaign.KindProgress, Attendees: "局党委班子成员，各所队室负责人、各党支部书记",
		Minutes: "通报“最强党支部”创建和实事领办情况，部署秋收秋种期间的便民服务和治安巡防。"},
}

// campaignPlan plans the campaign: created by the leader before its first
// day with its plan and targets, every meeting recorded on its day.
func (lp *ledgerPlan) campaignPlan() {
	l := lp.l
	leader := lp.user("leader")
	c := campaign.Campaign{Name: CampaignName, From: "2021-03-01", To: "2021-12-31",
		Plan: "以党史学习教育为连接线、以办实事为落脚点：设置意见收集箱、开展调查问卷、召开意见座谈恳谈会、“24小时警局”问政，" +
			"建立“民意档案”并实行销号管理；各党支部、所队室围绕矛盾纠纷排查化解、违法犯罪打击、基本民生需求和政务服务改革办理实事，" +
			"研究实施便民利民措施，建立便民服务站点，开展“带党徽、亮身份、树形象”“在职党员进社区”等志愿服务活动。",
		Targets: map[string]int64{matter.Register + ".done": 400, matter.Register + ".led": 280,
			measure.Register + ".implemented": 25, servicepoint.Register + ".active": 8, volunteer.Register + ".activities": 1000}}
	l.At(date(2, 26).Add(16*time.Hour), func(ctx context.Context) error {
		got, err := lp.campaigns.Create(ctx, leader, c)
		if err != nil {
			return fmt.Errorf("campaign: %w", err)
		}
		lp.campaign = got.ID
		return nil
	})
	for _, m := range campaignMeetings {
		day, _ := time.ParseInLocation(time.DateOnly, m.Day, calendar.Zone)
		l.At(day.Add(17*time.Hour+45*time.Minute), func(ctx context.Context) error {
			if _, err := lp.campaigns.AddMeeting(ctx, leader, lp.campaign, m); err != nil {
				return fmt.Errorf("campaign meeting %s: %w", m.Day, err)
			}
			return nil
		})
	}
}

// ---- service points ----

// pointPlan is one of the eight service points.
type pointPlan struct {
	unit, name, town, village, address, hours string
	lat, lng                                  float64
	offPeak, extended                         bool
	services                                  []string
	phone                                     string
	month                                     time.Month
	day                                       int
}

// pointPlans are the eight service points (建立便民服务站点8个): one in every
// township, two more in the populous towns, opened in the spring.
var pointPlans = []pointPlan{
	{UnitApproval, "行政审批服务中心延时服务站", "乌兰镇", "都斯图社区", "乌兰镇政务服务大厅一楼公安窗口",
		"工作日8:00—18:30（中午不休）；周六9:00—17:00；节假日专人值守", 39.0966, 107.9771, true, true,
		[]string{"户籍业务", "居民身份证", "新生儿落户", "无犯罪记录证明"}, "0477-6212006", 4, 6},
	{"wulan-station", "乌兰镇都斯图社区警务服务站", "乌兰镇", "都斯图社区", "乌兰镇都斯图社区综合服务中心",
		"工作日9:00—12:00、15:00—19:30（错时服务）", 39.1042, 107.9843, true, true,
		[]string{"户籍证明", "居住证", "矛盾纠纷调解", "反诈咨询"}, "0477-6212031", 4, 15},
	{"qipanjing-station", "棋盘井镇新井社区便民警务站", "棋盘井镇", "新井社区", "棋盘井镇新井社区便民服务中心",
		"每日8:30—20:00（延时服务）", 39.3412, 106.9738, false, true,
		[]string{"户籍证明", "居民身份证受理", "临时身份证", "出租房屋登记"}, "0477-6230110", 4, 20},
	{"qipanjing-station", "棋盘井工业园区企业服务站", "棋盘井镇", "乌仁都西社区", "棋盘井工业园区管委会一楼",
		"工作日7:30—9:00、17:30—20:00（错时服务，方便倒班职工）", 39.3627, 106.9412, true, true,
		[]string{"外来务工人员居住证", "企业内保咨询", "驾驶证换证代办"}, "0477-6230126", 5, 11},
	{"mengxi-station", "蒙西镇碱柜嘎查牧民服务点", "蒙西镇", "碱柜嘎查", "蒙西镇碱柜嘎查党群服务中心",
		"每周二、五9:00—17:00；牧忙季节周末流动服务", 39.4478, 107.0213, true, false,
		[]string{"户籍业务代办", "身份证上门采集", "牲畜防盗登记", "矛盾纠纷调解"}, "0477-6240110", 5, 6},
	{"mukennaoer-station", "木肯淖尔镇巴音淖尔嘎查服务点", "木肯淖尔镇", "巴音淖尔嘎查", "木肯淖尔镇巴音淖尔嘎查委员会",
		"每周三9:00—18:00；预约上门服务", 39.2031, 108.3624, true, false,
		[]string{"户籍业务代办", "身份证上门采集", "反诈宣传"}, "0477-6250110", 5, 19},
	{"aerbasi-station", "阿尔巴斯苏木赛音乌素嘎查流动服务点", "阿尔巴斯苏木", "赛音乌素嘎查", "阿尔巴斯苏木赛音乌素嘎查文化室",
		"每月逢五、逢十9:00—17:00（流动服务车）", 39.5483, 107.6812, true, false,
		[]string{"户籍业务代办", "身份证上门采集", "牲畜防盗登记"}, "0477-6260110", 6, 1},
	{"sumitu-station", "苏米图苏木查干淖尔嘎查服务点", "苏米图苏木", "查干淖尔嘎查", "苏米图苏木查干淖尔嘎查党群服务中心",
		"每周四9:00—18:00；节假日延时至20:00", 38.9214, 107.4386, false, true,
		[]string{"户籍业务代办", "老年人上门办证", "矛盾纠纷调解"}, "0477-6270110", 6, 8},
}

// servicePoints plans the service points, each recorded by its unit on the
// day it opened.
func (lp *ledgerPlan) servicePoints() {
	l := lp.l
	for _, pp := range pointPlans {
		lat, lng := pp.lat, pp.lng
		p := servicepoint.Point{Name: pp.name, Unit: pp.unit, Township: pp.town, Village: pp.village, Address: pp.address,
			Lat: &lat, Lng: &lng, OpeningHours: pp.hours, OffPeak: pp.offPeak, Extended: pp.extended,
			Services: pp.services, Phone: pp.phone}
		by := lp.user(lp.decider(pp.unit))
		l.At(l.OfficeTime(l.OnOrAfterWorkingDay(date(pp.month, pp.day))), func(ctx context.Context) error {
			p.Campaign = lp.campaign
			if _, err := lp.points.Create(ctx, by, p); err != nil {
				return fmt.Errorf("service point %s: %w", p.Name, err)
			}
			return nil
		})
	}
}

// ---- convenience measures ----

// measureText is one convenience measure: its unit, what it is and what it
// changes for citizens, and the categories of the opinions that prompted
// it.
type measureText struct {
	unit, title, changes string
	prompts              []string // categories of opinions it answers
}

// measureTexts are 30 measures: the 27 implemented (the seed names the
// approval centre, one-stop household registration, off-peak and extended
// hours, help for the elderly and the newborn's one-visit registration),
// then two still being researched and one withdrawn.
var measureTexts = []measureText{
	{UnitApproval, "成立行政审批服务中心", "户籍、身份证、出入境、车驾管等审批业务集中到一个大厅办理，群众只进一扇门。", []string{"huji"}},
	{UnitApproval, "户籍业务一站式办理", "户口登记、迁移、变更更正和户籍证明在一个窗口受理，材料齐全当场办结。", []string{"huji"}},
	{UnitApproval, "节假日错时、延时服务制度", "工作日中午不休息、下午延时至18:30，周六上午正常办理，节假日专人值守。", []string{"huji", "convenience"}},
	{UnitApproval, "优化老年人办证服务", "70岁以上老人和行动不便群众开设绿色通道，可预约民警上门采集信息、办理身份证。", []string{"id-card"}},
	{UnitApproval, "新生儿落户“一件事一次办”", "政务服务中心“蒙速办、一次办”平台统一收件，材料直接交行政审批服务中心审批落户，不再另跑手续。", []string{"newborn"}},
	{UnitApproval, "居民身份证异地受理", "外省户籍群众可在行政审批服务中心申领、换领、补领居民身份证。", []string{"id-card"}},
	{UnitApproval, "临时身份证立等可取", "办理临时居民身份证当场制证发放，无需再次往返。", []string{"id-card"}},
	{UnitApproval, "无犯罪记录证明网上申请", "通过“蒙速办”APP在线申请无犯罪记录证明，3个工作日内出具，可邮寄送达。", nil},
	{UnitApproval, "户籍证明“一次不用跑”", "常用户籍证明经电话或公众号预约后由民警核实开具，邮寄或由服务站点代送。", []string{"huji"}},
	{UnitCommand, "“24小时警局”网上问政", "群众在“平安鄂托克”公众号随时留言，指挥中心分办，一般事项3个工作日内答复。", []string{"convenience"}},
	{UnitCommand, "意见收集箱和二维码全覆盖", "各所队室办事大厅设置“我为群众办实事”意见收集箱和二维码，每周开箱登记。", []string{"convenience"}},
	{"wulan-station", "乌兰镇派出所户籍窗口错时服务", "户籍窗口午间和周六上午照常办理，方便上班族。", []string{"huji"}},
	{"wulan-station", "校园护学岗常态化", "上学、放学时段在乌兰镇各中小学门口设置护学岗，民辅警和家长志愿者共同值守。", nil},
	{"qipanjing-station", "工业园区职工错时办证", "在工业园区服务站为倒班职工提供早晚错时办证服务。", nil},
	{"qipanjing-station", "出租房屋网上登记", "出租房屋和流动人口信息可在公众号在线登记，民警定期上门核查。", nil},
	{"mengxi-station", "牧区户籍业务代办员制度", "每个嘎查确定一名代办员，收集牧民户籍材料由民警集中办理、送证上门。", []string{"huji"}},
	{"mengxi-station", "秋收秋种治安巡防", "收获季节增加对农田、晾晒场和粮仓周边的巡逻，防范盗窃。", nil},
	{"mukennaoer-station", "预约上门办证服务", "偏远嘎查群众电话预约，民警上门采集身份证信息、代办户籍业务。", []string{"id-card"}},
	{"aerbasi-station", "流动服务车进嘎查", "警务流动服务车逢五、逢十进嘎查，现场受理户籍、身份证业务。", nil},
	{"aerbasi-station", "牲畜防盗登记和打耳标", "为牧户登记牲畜数量和耳标信息，被盗后可快速比对追查。", nil},
	{"sumitu-station", "老年人身份证上门办理", "为行动不便的老年牧民上门办理身份证，到期前电话提醒。", []string{"id-card"}},
	{UnitTraffic, "驾驶证业务下放到派出所", "驾驶证期满换证、补证等业务可在乌兰镇、棋盘井派出所就近办理。", []string{"traffic"}},
	{UnitTraffic, "货车超限超载源头治理", "在重点路段和煤矿出口设点检查，超载货车卸载后方可上路。", []string{"traffic"}},
	{UnitTraffic, "校车和学生上下学交通保障", "上学放学时段在学校周边路段增派警力疏导交通。", []string{"traffic"}},
	{UnitCriminal, "电信诈骗预警劝阻快速响应", "接到预警后10分钟内电话劝阻，必要时民警上门，止付冻结被骗资金。", []string{"fraud"}},
	{UnitOrder, "矛盾纠纷“一站式”调处", "派出所联合司法所、嘎查村调委会每月排查矛盾纠纷，当面调处。", []string{"dispute"}},
	{UnitNarcotics, "禁毒宣传进社区进校园", "每月在社区、学校开展禁毒宣传，发放宣传材料，提高群众识毒防毒能力。", nil},
	// Still being researched on the report's day.
	{UnitApproval, "户籍业务“跨省通办”扩面", "户口迁移、户籍证明等业务在更多省份之间通办。", []string{"huji"}},
	{UnitTraffic, "交通违法处理网上办", "非现场交通违法可在网上缴款处理，无需到窗口。", nil},
	// Withdrawn.
	{UnitCommand, "户籍窗口夜间值班", "户籍窗口每晚值班至22:00。", nil},
}

// measurePlans plans the measures: researched between March and July, put
// in place 5 to 40 working days later, the last three left researched or
// withdrawn.
func (lp *ledgerPlan) measurePlans() {
	l := lp.l
	if len(measureTexts) != MeasuresImplemented+3 {
		lp.fail(fmt.Errorf("%d measures planned, want %d + 3", len(measureTexts), MeasuresImplemented))
		return
	}
	used := map[*story]bool{}
	for i, mt := range measureTexts {
		researched := l.WorkingDay(date(3, 1), date(7, 30))
		if i >= MeasuresImplemented {
			researched = l.WorkingDay(date(9, 1), date(10, 20))
		}
		created := l.OfficeTime(researched)
		m := measure.Measure{Title: mt.title, Unit: mt.unit, Changes: mt.changes, Branch: branchOf(mt.unit)}
		// The opinions of the unit that asked for it, filed before it was
		// researched: at most two, each answered by one measure.
		var prompts []*story
		for _, s := range lp.l.archive.opinions {
			with, ok := withUnit(s)
			if len(prompts) < 2 && !used[s] && ok && s.unit == mt.unit && slices.Contains(mt.prompts, s.sub.Category) && with.Before(created) {
				prompts, used[s] = append(prompts, s), true
			}
		}
		by := lp.user(lp.decider(mt.unit))
		var id int64
		var version int
		l.At(created, func(ctx context.Context) error {
			for _, s := range prompts {
				m.Items = append(m.Items, s.item.Number)
			}
			m.Campaign = lp.campaign
			got, err := lp.measures.Create(ctx, by, m)
			if err != nil {
				return fmt.Errorf("measure %s: %w", m.Title, err)
			}
			id, version = got.ID, got.Version
			return nil
		})
		var cmd measure.Command
		var at time.Time
		switch i {
		case MeasuresImplemented, MeasuresImplemented + 1:
			continue
		case MeasuresImplemented + 2:
			cmd = measure.Command{Action: measure.ActWithdraw, Reason: "经研究，夜间办理量很小，改为预约服务和节假日延时服务。"}
			at = l.OfficeTime(l.WorkingDay(date(10, 21), date(10, 29)))
		default:
			cmd = measure.Command{Action: measure.ActImplement}
			at = l.OfficeTime(l.WorkingDays(researched, AsOf)[5+l.Rand.IntN(36)])
		}
		l.At(at, func(ctx context.Context) error {
			if _, err := lp.measures.Act(ctx, by, id, &version, cmd); err != nil {
				return fmt.Errorf("measure %s: %s: %w", m.Title, cmd.Action, err)
			}
			return nil
		})
	}
}

// branchOf returns the party branch of a unit, "" for one without.
func branchOf(unit string) string {
	for _, s := range doneShares {
		if s.unit == unit {
			return s.branch
		}
	}
	return ""
}

// withUnit returns when a story's item is with the unit that handles it:
// its first step by anyone but the leader, who dispatches. Before that,
// the unit's staff may not see it, nor link a record to it.
func withUnit(s *story) (time.Time, bool) {
	for _, st := range s.steps {
		if st.actor != "leader" {
			return st.at, s.unit != ""
		}
	}
	return time.Time{}, false
}

// ---- practical matters ----

// matterPlan is one practical matter's life: its creation and the actions
// that follow, each on the timeline.
type matterPlan struct {
	m       matter.Matter
	by      string // who creates, starts and progresses it
	decider string // who completes or drops it
	created time.Time
	answers *story // the opinion it answers, if any
	// progress are dated entries; start, done and drop the times of those
	// actions (zero: not taken).
	progress []progressPlan
	start    time.Time
	done     time.Time
	drop     time.Time
	story    string
	outcomes map[string]int64
	reason   string

	id      int64
	version int
}

type progressPlan struct {
	at   time.Time
	text string
}

// The demo's four stories of the seed, as practical matters with their
// dates, units and counted outcomes.
func (lp *ledgerPlan) stories() []*matterPlan {
	at := func(m time.Month, d, h, min int) time.Time {
		return date(m, d).Add(time.Duration(h)*time.Hour + time.Duration(min)*time.Minute)
	}
	corn := &matterPlan{
		m: matter.Matter{Title: "组织全体民辅警帮助缺少劳力的居民抢收玉米", Unit: "mengxi-station", Branch: "branch-mengxi",
			Lead: "mengxi-head", Participants: []string{"mengxi-officer", "mengxi-aux"}, Class: archive.ClassUrgent,
			Description: "民警在走访中得知辖区居民刘某因儿女常年在外地工作，家中缺少劳动力，近期因新冠疫情影响儿女无法赶回帮助收秋，玉米迟迟收不回来，心急如焚。",
			Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryHousehold, Name: "刘某", Place: "蒙西镇"},
			OpenedOn:    "2021-10-21", DueDays: 2, Published: true, BeneficiaryConsent: true},
		by: "mengxi-head", decider: "mengxi-head", created: at(10, 21, 10, 40),
		progress: []progressPlan{{at(10, 21, 14, 30), "蒙西镇派出所组织全体民辅警赶赴刘某家，分组掰玉米、装车。"}},
		start:    at(10, 21, 11, 5), done: at(10, 22, 11, 20),
		story:    "“别人家的玉米都已经收归粮仓了，我家的还迟迟没有收回来，这可怎么好。”了解到这一情况，蒙西镇派出所立刻组织全体民辅警集体赶赴刘某家，帮助其将玉米收归粮仓，切实解决了刘某的实际困难。",
		outcomes: map[string]int64{"households": 1}}
	livestock := &matterPlan{
		m: matter.Matter{Title: "侦破“鄂托克旗系列牲畜盗窃案”并返还被盗牲畜", Unit: UnitCriminal, Branch: "branch-" + UnitCriminal,
			Lead: UnitCriminal + "-officer", Participants: []string{UnitOrder + "-officer", "aerbasi-head"}, Class: archive.ClassWorrying,
			Description: "多名牧民报案称牛羊被盗。刑事侦查大队会同属地派出所追根溯源、深挖细掘，侦办系列牲畜盗窃案，追缴被盗牲畜返还牧民。",
			Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryGroup, Name: "被盗牲畜的牧民", Place: "阿尔巴斯苏木"},
			OpenedOn:    "2021-06-15", DueDays: 70, Published: true},
		by: UnitCriminal + "-officer", decider: UnitCriminal + "-officer", created: at(6, 15, 9, 30),
		progress: []progressPlan{
			{at(7, 20, 16, 0), "经连续摸排比对，锁定系列牲畜盗窃案犯罪嫌疑人。"},
			{at(8, 26, 10, 30), "抓获犯罪嫌疑人，追缴被盗牛5头、羊53只，逐一核对耳标。"}},
		start: at(6, 15, 10, 0), done: at(9, 13, 15, 30),
		story:    "2021年9月13日，在“鄂托克旗系列牲畜盗窃案”退赃大会上，辖区牧民被盗的5头牛和53只羊经过民警不辞辛劳的追根溯源、深挖细掘，终于返还到牧民手中。",
		outcomes: map[string]int64{"cattle": 5, "sheep": 53}}
	family := &matterPlan{
		m: matter.Matter{Title: "帮助与家人失散三十年的八旬老人寻亲团聚", Unit: "wulan-station", Branch: "branch-wulan",
			Lead: "wulan-officer", Participants: []string{"wulan-head"}, Class: archive.ClassHopeful,
			Description: "一位八旬患病老人与家人失散三十年，只记得家乡的零星信息。民警多方查证、反复比对户籍资料，寻找老人的亲属。",
			Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryPerson, Name: "孙某", Place: "乌兰镇"},
			OpenedOn:    "2021-09-06", DueDays: 40, Published: true},
		by: "wulan-officer", decider: "wulan-officer", created: at(9, 6, 15, 10),
		progress: []progressPlan{{at(9, 28, 11, 0), "经多番查证，初步确定老人的家乡和亲属线索，与当地公安机关联系核实。"}},
		start:    at(9, 6, 15, 40), done: at(10, 23, 10, 0),
		story:    "2021年10月23日，与家人失散三十年的八旬患病老人孙某，在民警的多番查证和锲而不舍的沟通下终于与家人团聚。",
		outcomes: map[string]int64{"people": 1}}
	grant := &matterPlan{
		m: matter.Matter{Title: "为乌兰镇中学孤儿学生申请助学金", Unit: "wulan-station", Branch: "branch-wulan",
			Lead: "wulan-head", Participants: []string{"wulan-officer"}, Class: archive.ClassHopeful,
			Description: "民警走访中了解到乌兰镇某中学一名孤儿学生家庭困难，担心无法完成学业，协助其向有关部门申请助学金。",
			Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryPerson, Name: "郝某", Place: "乌兰镇"},
			OpenedOn:    "2021-08-23", DueDays: 15, Published: true},
		by: "wulan-head", decider: "wulan-head", created: at(8, 23, 9, 50),
		start: at(8, 23, 10, 20), done: at(9, 10, 16, 0),
		story:    "“我终于有钱可以读完书了，太感谢你们了。”乌兰镇某中学孤儿郝某握着民警的手高兴地说，感谢民警为她申请到了助学金，可以让她安心完成学业。",
		outcomes: map[string]int64{"students": 1}}
	newborn := &matterPlan{
		m: matter.Matter{Title: "新生儿落户帮办代办", Unit: UnitApproval, Lead: "approval-officer", Class: archive.ClassHard,
			Description: "与政务服务中心、医疗等单位协商，统一由政务服务中心“蒙速办、一次办”平台收集资料，出生入户材料直接交行政审批服务中心审批落户，帮办、代办新生儿落户。",
			Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryGroup, Name: "全旗新生儿家庭", Place: "鄂托克旗"},
			OpenedOn:    "2021-04-12", DueDays: 140, Published: true},
		by: "approval-officer", decider: "approval-officer", created: at(4, 12, 9, 15),
		progress: []progressPlan{{at(6, 30, 16, 30), "与政务服务中心确定“一件事一次办”流程，已帮办代办新生儿落户11人。"}},
		start:    at(4, 12, 9, 40), done: at(10, 29, 16, 40),
		story:    "“新生儿落户可以一次办结了，这是真的。”行政审批服务中心与政务服务中心、医疗等单位多方对接，实现新生儿落户“一件事一次办”，不再需要其他审批流程及手续，已帮办、代办新生儿落户23人。",
		outcomes: map[string]int64{"people": 23}}
	return []*matterPlan{newborn, livestock, grant, family, corn}
}

// matterTitle is a title of an ordinary matter of each concern class.
var matterTitles = map[archive.Class][]string{
	archive.ClassUrgent: {"帮助{village}独居老人补办身份证", "为{village}牧民上门补办户口簿", "协助{village}群众寻回走失牲畜",
		"帮助{village}农户抢收秋粮", "为{town}务工人员追讨欠薪", "帮助{village}群众找回遗失证件"},
	archive.ClassHard: {"为{village}行动不便老人上门采集身份证信息", "为{village}群众代办户口迁移", "协调解决{village}草场边界纠纷",
		"{town}学校周边道路增设减速带", "为{village}群众办理户籍信息更正"},
	archive.ClassWorrying: {"化解{village}邻里矛盾纠纷", "排查化解{village}草场承包纠纷", "整治{town}货车超载超速",
		"帮助{town}电信诈骗受害群众追赃挽损", "督促{village}出租房屋消防隐患整改"},
	archive.ClassHopeful: {"帮助{village}困难学生申请助学金", "{town}学校上下学护学岗", "为{village}孤寡老人送去米面油",
		"帮助{town}走失老人平安返家", "{village}留守儿童防溺水宣传"},
}

// matterStories are the outcome stories of ordinary matters.
var matterStories = []string{
	"民警当天上门了解情况，当场办结，群众连声道谢。",
	"所队室党员民警主动领办，多次上门沟通协调，问题得到解决，群众表示满意。",
	"民警会同嘎查村干部实地走访、逐户核实，问题已妥善解决。",
	"经民警耐心调解，双方达成一致意见，签订调解协议并已履行。",
	"民警联合有关部门现场办公，限期整改到位，回访群众表示满意。",
}

// classDueDays are the working days a demo matter of each class is given.
var classDueDays = map[archive.Class]int{archive.ClassUrgent: 3, archive.ClassHopeful: 5, archive.ClassHard: 10, archive.ClassWorrying: 15}

var classes = []archive.Class{archive.ClassUrgent, archive.ClassUrgent, archive.ClassHard, archive.ClassHard,
	archive.ClassWorrying, archive.ClassHopeful, archive.ClassHopeful}

// matterPlans plans the matters: the 404 done by the report's day (the
// stories, the ones answering opinions and the ordinary ones, divided by
// doneShares), 289 of them with a named lead, and some still in progress,
// planned or dropped.
func (lp *ledgerPlan) matterPlans() {
	l := lp.l
	remaining := map[string]int{}
	late := map[string]float64{}
	for _, s := range doneShares {
		remaining[s.unit] = s.n
		late[s.unit] = s.late
	}
	var done []*matterPlan
	for _, mp := range lp.stories() {
		remaining[mp.m.Unit]--
		done = append(done, mp)
	}
	named := len(done)

	// Opinions the units took on as matters the day after they were filed.
	var answering []*story
	for _, s := range shuffled(l, lp.l.archive.opinions) {
		with, ok := withUnit(s)
		if len(answering) < MattersAnsweringOpinions && ok && s.unit != "" && remaining[s.unit] > 0 &&
			!with.Before(CampaignStart) && with.Before(date(9, 30)) {
			answering = append(answering, s)
			remaining[s.unit]--
		}
	}
	if len(answering) != MattersAnsweringOpinions {
		lp.fail(fmt.Errorf("%d opinions to answer by matters, want %d", len(answering), MattersAnsweringOpinions))
	}
	for _, s := range answering {
		with, _ := withUnit(s)
		mp := lp.ordinary(s.unit, branchOf(s.unit), late[s.unit], l.WorkingAfter(with, l.Between(30*time.Minute, 4*time.Hour)))
		mp.answers = s
		mp.m.Title = "办理群众意见：" + s.sub.Title
		if n := len([]rune(mp.m.Title)); n > matter.MaxTitleRunes {
			mp.m.Title = string([]rune(mp.m.Title)[:matter.MaxTitleRunes])
		}
		done = append(done, mp)
	}
	for _, sh := range doneShares {
		for range remaining[sh.unit] {
			opened := l.OfficeTime(l.WorkingDay(CampaignStart, date(10, 22)))
			done = append(done, lp.ordinary(sh.unit, sh.branch, sh.late, opened))
		}
	}
	if len(done) != MattersDone {
		lp.fail(fmt.Errorf("%d done matters planned, want %d", len(done), MattersDone))
		return
	}
	// Exactly MattersLed of them have a named lead: all the stories, and
	// the rest drawn.
	order := shuffled(l, seq(len(done)-named))
	for k, i := range order {
		mp := done[named+i]
		if k < MattersLed-named {
			mp.m.Lead = pick(l, lp.workers(mp.m.Unit))
		} else {
			mp.m.Lead = ""
		}
		if l.Chance(0.12) {
			mp.m.Published = true
			mp.m.BeneficiaryConsent = !mp.m.Beneficiary.Kind.Personal() || l.Chance(0.3)
		}
	}
	// The stories and the matters answering opinions are recorded as they
	// happen; the rest each unit enters from its ledger (台账) at the start
	// of the next month, done as they stand (matter.Service.CreateMany).
	monthly := map[string]map[time.Month][]*matterPlan{}
	for i, mp := range done {
		if i < named || mp.answers != nil {
			lp.finish(mp)
			continue
		}
		if monthly[mp.m.Unit] == nil {
			monthly[mp.m.Unit] = map[time.Month][]*matterPlan{}
		}
		month := mp.done.In(calendar.Zone).Month()
		monthly[mp.m.Unit][month] = append(monthly[mp.m.Unit][month], mp)
	}
	for _, sh := range doneShares {
		for month := time.January; month <= time.December; month++ {
			if mps := monthly[sh.unit][month]; len(mps) > 0 {
				lp.enterMonth(sh.unit, month, mps)
			}
		}
	}

	// Still open on the report's day, or dropped.
	open := []struct {
		status     matter.Status
		n          int
		from, till time.Time
	}{
		{matter.StatusInProgress, 23, date(9, 15), date(10, 29)},
		{matter.StatusPlanned, 9, date(10, 18), date(11, 1)},
		{matter.StatusDropped, 3, date(4, 1), date(8, 31)},
	}
	for _, o := range open {
		for range o.n {
			sh := doneShares[l.Rand.IntN(len(doneShares))]
			mp := lp.ordinary(sh.unit, sh.branch, sh.late, l.OfficeTime(l.WorkingDay(o.from, o.till)))
			if l.Chance(0.5) {
				mp.m.Lead = pick(l, lp.workers(mp.m.Unit))
			}
			switch o.status {
			case matter.StatusPlanned:
				mp.start, mp.done = time.Time{}, time.Time{}
			case matter.StatusInProgress:
				mp.done = time.Time{}
				if mp.start.After(AsOf) {
					mp.start = mp.created.Add(10 * time.Minute)
				}
			case matter.StatusDropped:
				mp.drop, mp.done = mp.done, time.Time{}
				mp.reason = pick(l, []string{"经核实，群众反映的问题已自行解决。", "经核实不属于公安机关职责，已移交有关部门办理并告知群众。", "群众已搬离辖区，本人表示不再需要办理。"})
			}
			mp.progress = nil
			lp.finish(mp)
		}
	}
}

// ordinary plans an ordinary matter of a unit, taken on at created: its
// class, title, beneficiary and participants, its start, and its
// completion within its due day or, with probability late, after it.
func (lp *ledgerPlan) ordinary(unit, branch string, late float64, created time.Time) *matterPlan {
	l := lp.l
	class := pick(l, classes)
	town := lp.townOf(unit)
	village := pick(l, villages[town])
	workers := lp.workers(unit)
	mp := &matterPlan{by: pick(l, workers), decider: lp.decider(unit), created: created}
	mp.m = matter.Matter{Unit: unit, Branch: branch, Class: class, DueDays: classDueDays[class],
		OpenedOn: archive.ChinaDay(created).Format(time.DateOnly),
		Title:    strings.NewReplacer("{town}", town, "{village}", village).Replace(pick(l, matterTitles[class]))}
	switch r := l.Rand.IntN(10); {
	case r < 4:
		mp.m.Beneficiary = matter.Beneficiary{Kind: matter.BeneficiaryVillage, Name: village, Place: town}
	case r < 7:
		mp.m.Beneficiary = matter.Beneficiary{Kind: matter.BeneficiaryHousehold, Name: pick(l, surnames) + "某", Place: town + village}
	case r < 9:
		mp.m.Beneficiary = matter.Beneficiary{Kind: matter.BeneficiaryPerson, Name: pick(l, surnames) + "某", Place: town + village}
	default:
		mp.m.Beneficiary = matter.Beneficiary{Kind: matter.BeneficiaryGroup, Name: village + "群众", Place: town}
	}
	for _, w := range workers {
		if w != mp.by && l.Chance(0.4) {
			mp.m.Participants = append(mp.m.Participants, w)
		}
	}
	mp.start = l.WorkingAfter(created, l.Between(10*time.Minute, 3*time.Hour))
	due := midnight(l.Calendar().Due(created, calendar.Limit{Amount: mp.m.DueDays, Unit: calendar.WorkingDays}).At)
	var day time.Time
	if l.Chance(late) {
		day = l.WorkingDay(due.AddDate(0, 0, 1), due.AddDate(0, 0, 14))
	} else {
		day = l.WorkingDay(midnight(mp.start), due)
	}
	if day.IsZero() || day.Before(midnight(mp.start)) {
		day = midnight(mp.start)
	}
	if day.After(AsOf) {
		day = AsOf
	}
	mp.done = later(l.OfficeTime(day), mp.start.Add(5*time.Minute))
	mp.story = pick(l, matterStories)
	switch r := l.Rand.IntN(10); {
	case r < 3:
		mp.outcomes = map[string]int64{"households": int64(1 + l.Rand.IntN(20))}
	case r < 6:
		mp.outcomes = map[string]int64{"people": int64(1 + l.Rand.IntN(40))}
	}
	return mp
}

// enterMonth puts on the timeline a unit's entry of the matters it did in
// month: on the first working day of the next month (the report's day at
// the latest), by the unit's head or officer, each done on its day with its
// story and outcomes, in one write.
func (lp *ledgerPlan) enterMonth(unit string, month time.Month, mps []*matterPlan) {
	l := lp.l
	day := l.OnOrAfterWorkingDay(date(month+1, 1))
	if day.After(AsOf) {
		day = AsOf
	}
	by := lp.user(lp.decider(unit))
	l.At(l.OfficeTime(day), func(ctx context.Context) error {
		ms := make([]matter.Matter, len(mps))
		for i, mp := range mps {
			m := mp.m
			m.Campaign, m.Status = lp.campaign, matter.StatusDone
			m.DoneOn, m.Story, m.Outcomes = archive.ChinaDay(mp.done).Format(time.DateOnly), mp.story, mp.outcomes
			ms[i] = m
		}
		_, refused, err := lp.matters.CreateMany(ctx, by, ms, nil, false)
		for i, r := range refused {
			if r != nil && err == nil {
				err = fmt.Errorf("%q: %w", ms[i].Title, r)
			}
		}
		if err != nil {
			return fmt.Errorf("matters of %s done in month %d: %w", unit, month, err)
		}
		return nil
	})
}

// finish puts a matter's creation and actions on the timeline.
func (lp *ledgerPlan) finish(mp *matterPlan) {
	l := lp.l
	by, decider := lp.user(mp.by), lp.user(mp.decider)
	l.At(mp.created, func(ctx context.Context) error {
		m := mp.m
		m.Campaign = lp.campaign
		if mp.answers != nil {
			m.Items = []string{mp.answers.item.Number}
		}
		got, err := lp.matters.Create(ctx, by, m)
		if err != nil {
			return fmt.Errorf("matter %q: %w", m.Title, err)
		}
		mp.id, mp.version = got.ID, got.Version
		return nil
	})
	act := func(at time.Time, u org.User, cmd matter.Command) {
		l.At(at, func(ctx context.Context) error {
			got, err := lp.matters.Act(ctx, u, mp.id, &mp.version, cmd)
			if err != nil {
				return fmt.Errorf("matter %d %q: %s: %w", mp.id, mp.m.Title, cmd.Action, err)
			}
			mp.version = got.Version
			return nil
		})
	}
	if !mp.start.IsZero() {
		act(mp.start, by, matter.Command{Action: matter.ActStart})
	}
	for _, p := range mp.progress {
		act(p.at, by, matter.Command{Action: matter.ActProgress, Text: p.text})
	}
	switch {
	case !mp.done.IsZero():
		act(mp.done, decider, matter.Command{Action: matter.ActComplete, Story: mp.story, Outcomes: mp.outcomes})
	case !mp.drop.IsZero():
		act(mp.drop, decider, matter.Command{Action: matter.ActDrop, Reason: mp.reason})
	}
}

// ---- volunteer activities ----

// activityTexts are the kinds of volunteer activity the bureau's members
// take part in (带党徽、亮身份、树形象; 在职党员进社区).
var activityTexts = []struct{ title, description string }{
	{"“在职党员进社区”志愿服务", "党员民警佩戴党徽进社区，帮助居民打扫楼道、排查安全隐患。"},
	{"校园护学岗", "上学、放学时段在学校门口维护秩序，护送学生安全过马路。"},
	{"反电信诈骗宣传进社区", "向群众讲解常见诈骗手法，指导安装国家反诈中心APP。"},
	{"看望慰问孤寡老人", "为辖区孤寡老人送去米面油，帮助打扫卫生、检查用电安全。"},
	{"交通安全宣传进校园", "为中小学生讲解交通安全知识，开展头盔佩戴宣传。"},
	{"禁毒宣传进嘎查", "向牧民群众发放禁毒宣传材料，讲解识毒防毒知识。"},
	{"牧区流动办证服务", "民警驾驶流动服务车进嘎查，为牧民现场办理户籍和身份证业务。"},
	{"“我是共产党员、我帮你有我在”帮扶活动", "党员民警结对帮扶困难群众，了解生产生活困难并帮助解决。"},
	{"疫情防控卡点志愿服务", "在疫情防控卡点协助登记、测温和疏导车辆。"},
	{"防溺水安全巡查", "在河湖、水库周边巡查，劝离戏水人员，设置警示标志。"},
}

// activityPlans plans the volunteer activities, divided by activityShares,
// on days from the campaign's start to the day before the report. Each
// unit enters a week's activities together on the next working day after
// it (CreateMany, as the ledger's import does), one write for the lot.
func (lp *ledgerPlan) activityPlans() {
	l := lp.l
	total := 0
	for _, sh := range activityShares {
		total += sh.n
	}
	if total != VolunteerActivities {
		lp.fail(fmt.Errorf("%d volunteer activities planned, want %d", total, VolunteerActivities))
		return
	}
	days := int(AsOf.Sub(CampaignStart).Hours() / 24)
	for _, sh := range activityShares {
		workers := lp.workers(sh.unit)
		weeks := map[int][]volunteer.Activity{}
		for range sh.n {
			k := l.Rand.IntN(days)
			day := CampaignStart.AddDate(0, 0, k)
			text := pick(l, activityTexts)
			town := lp.townOf(sh.unit)
			a := volunteer.Activity{Date: day.Format(time.DateOnly), Title: text.title, Description: text.description,
				Unit: sh.unit, Branch: sh.branch, Volunteers: 2 + l.Rand.IntN(12), Hours: float64(2+l.Rand.IntN(7)) / 2,
				Served: 10 + l.Rand.IntN(190), Township: town, Village: pick(l, villages[town])}
			for _, w := range workers {
				if len(a.Participants) == 0 || l.Chance(0.3) {
					a.Participants = append(a.Participants, w)
				}
			}
			weeks[k/7] = append(weeks[k/7], a)
		}
		for w := range days/7 + 1 {
			as := weeks[w]
			if len(as) == 0 {
				continue
			}
			slices.SortStableFunc(as, func(a, b volunteer.Activity) int { return strings.Compare(a.Date, b.Date) })
			recorded := l.OnOrAfterWorkingDay(CampaignStart.AddDate(0, 0, 7*(w+1)))
			if recorded.After(AsOf) {
				recorded = AsOf
			}
			by := lp.user(pick(l, workers))
			l.At(l.OfficeTime(recorded), func(ctx context.Context) error {
				for i := range as {
					as[i].Campaign = lp.campaign
				}
				_, refused, err := lp.activities.CreateMany(ctx, by, as, nil, false)
				for i, r := range refused {
					if r != nil && err == nil {
						err = fmt.Errorf("%s %s: %w", as[i].Date, as[i].Title, r)
					}
				}
				if err != nil {
					return fmt.Errorf("volunteer activities of %s: %w", sh.unit, err)
				}
				return nil
			})
		}
	}
}
