package demo

import (
	"fmt"
	"time"

	"minyi/archive"
	"minyi/calendar"
)

// others plans the items that came in by visits, phone calls and walk-ins:
// the seed's stories, and one item for every lifecycle path a newcomer
// should see — open and overdue, returned, transferred, extended,
// supervised, merged, invalid and praise.
func (p *plan) others() {
	p.cornHarvest()
	p.livestock()
	p.studentAid()
	p.newbornOnce()
	p.reunionPraise()
	p.returned()
	p.transferred()
	p.extended()
	p.supervised()
	p.merged()
	p.invalid()
	p.stillOpen()
}

// on is a time of day on a day of 2021, moved to the next working day if the
// day is not one.
func (p *plan) on(month time.Month, day, hour, minute int) time.Time {
	return p.l.OnOrAfterWorkingDay(date(month, day)).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// at moves a story's cursor to t, which must not be earlier.
func (p *plan) at(s *story, t time.Time) *story {
	if t.Before(s.t) {
		p.fail(fmt.Errorf("story %q: %s is before %s", s.sub.Title, t, s.t))
	}
	s.t = t
	return s
}

// staffItem plans an item a member of staff enters from a visit, a call or a
// walk-in, a few minutes after it was received.
func (p *plan) staffItem(filer string, received time.Time, sub archive.Submission) *story {
	if sub.Contact == (archive.Contact{}) {
		sub.Contact = p.contact()
	}
	return p.newStory(sub, filer, received, p.l.WorkingAfter(received, p.l.Between(5*time.Minute, 40*time.Minute)))
}

func cmd(a archive.Action, body string) archive.Command {
	return archive.Command{Action: a, Body: body}
}

func dispatch(unit string) archive.Command {
	return archive.Command{Action: archive.ActDispatch, Unit: unit}
}

func visit(sat archive.Satisfaction, body string) archive.Command {
	return archive.Command{Action: archive.ActVisit, Satisfaction: sat, Body: body}
}

// cornHarvest is the seed's story of 21 October 2021: on a visit, officers of
// the 蒙西镇 station learn that 刘某 cannot bring in the corn harvest, and the
// whole station goes to help the same afternoon (急事速办).
func (p *plan) cornHarvest() {
	l := p.l
	received := p.on(10, 21, 10, 0)
	s := p.staffItem("mengxi-officer", received, archive.Submission{
		Kind: archive.KindHelp, Channel: archive.ChannelVisit, ChannelDetail: "“百万警进千万家”入户走访",
		Class: archive.ClassUrgent, Category: "other", Unit: "mengxi-station",
		Title: "走访发现：刘某家玉米无人收秋",
		Text: "走访中得知：辖区居民刘某儿女常年在外地工作，家中缺少劳动力，近期受新冠疫情影响儿女无法赶回帮助收秋。" +
			"刘某说：“别人家的玉米都已经收归粮仓了，我家的还迟迟没有收回来，这可怎么好。”",
		Contact:  archive.Contact{Name: "刘某", Phone: p.contact().Phone},
		Location: archive.Location{Township: "蒙西镇", Village: "碱柜嘎查"},
	})
	s.wait(l, 10*time.Minute, 20*time.Minute).do("leader", dispatch("mengxi-station"))
	s.wait(l, 5*time.Minute, 15*time.Minute).do("mengxi-head", cmd(archive.ActSign, ""))
	s.wait(l, 5*time.Minute, 10*time.Minute).do("mengxi-head", cmd(archive.ActStart, ""))
	s.wait(l, 5*time.Minute, 10*time.Minute).do("mengxi-head", cmd(archive.ActNote, "所长组织全体民辅警下午集体赶赴刘某家帮助收秋。"))
	p.at(s, p.on(10, 21, 17, 5)).do("mengxi-head", cmd(archive.ActAnswer,
		"蒙西镇派出所立刻组织全体民辅警，集体赶赴刘某家，帮助其将玉米全部收归粮仓，解决了刘某的实际困难。"))
	p.at(s, p.on(10, 22, 9, 40)).do("mengxi-aux", visit(archive.Satisfied, "上门回访，玉米已全部收进粮仓，刘某连声道谢，非常满意。"))
	s.wait(l, 10*time.Minute, 30*time.Minute).do("mengxi-head", cmd(archive.ActClose, ""))
}

// livestock is a herder's report of stolen cattle and sheep, answered when
// the series of thefts was solved and visited back after the 13 September
// 2021 meeting at which the stolen animals were returned (退赃大会).
func (p *plan) livestock() {
	l := p.l
	s := p.staffItem("command-centre-officer", p.on(8, 23, 9, 40), archive.Submission{
		Kind: archive.KindReport, Channel: archive.ChannelPhone, Category: "public-order",
		Title:    "牧民来电：草场上的牛羊被盗",
		Text:     "牧民来电反映：近一周自家草场上放养的牛羊接连减少，清点后发现少了2头牛、10多只羊，怀疑被人夜间开车盗走，请求公安机关尽快侦破、追回牲畜。",
		Location: archive.Location{Township: "阿尔巴斯苏木", Village: "赛音乌素嘎查"},
	})
	s.wait(l, 10*time.Minute, 30*time.Minute).do("leader", dispatch(UnitCriminal))
	s.wait(l, 10*time.Minute, 30*time.Minute).do("criminal-team-officer", cmd(archive.ActSign, ""))
	s.wait(l, 5*time.Minute, 20*time.Minute).do("criminal-team-officer", cmd(archive.ActStart, ""))
	p.at(s, p.on(8, 24, 11, 0)).do("criminal-team-officer", cmd(archive.ActReply,
		"您好，案件已立案侦查，民警正在调取沿线监控、走访周边牧户，有进展会及时告知您。"))
	p.at(s, p.on(9, 3, 16, 0)).do("criminal-team-officer", cmd(archive.ActAnswer,
		"“鄂托克旗系列牲畜盗窃案”已告破，犯罪嫌疑人已到案，被盗牲畜正在追缴，将在退赃大会上统一返还牧民。"))
	p.at(s, p.on(9, 13, 15, 30)).do("criminal-team-officer", visit(archive.Satisfied,
		"9月13日“鄂托克旗系列牲畜盗窃案”退赃大会上，被盗的5头牛和53只羊返还到牧民手中，其中包括该户的牛羊，群众非常满意。"))
	s.wait(l, 10*time.Minute, time.Hour).do("criminal-team-officer", cmd(archive.ActClose, ""))
}

// studentAid is the seed's orphan student at a middle school in 乌兰镇 for
// whom officers obtained a grant (盼事速办).
func (p *plan) studentAid() {
	l := p.l
	s := p.staffItem("wulan-officer", p.on(9, 6, 10, 30), archive.Submission{
		Kind: archive.KindHelp, Channel: archive.ChannelVisit, ChannelDetail: "“在职党员进社区”走访",
		Class: archive.ClassHopeful, Category: "other", Unit: "wulan-station",
		Title:    "走访发现：孤儿学生郝某担心学费",
		Text:     "走访中了解到：乌兰镇某中学学生郝某是孤儿，由亲属抚养，家庭困难，担心交不起学费、无法完成学业。",
		Contact:  archive.Contact{Name: "郝某亲属", Phone: p.contact().Phone},
		Location: archive.Location{Township: "乌兰镇", Village: "都斯图社区"},
	})
	s.wait(l, 10*time.Minute, 30*time.Minute).do("leader", dispatch("wulan-station"))
	s.wait(l, 5*time.Minute, 20*time.Minute).do("wulan-head", cmd(archive.ActSign, ""))
	s.wait(l, 5*time.Minute, 20*time.Minute).do("wulan-officer", cmd(archive.ActStart, ""))
	p.at(s, p.on(9, 8, 16, 0)).do("wulan-officer", cmd(archive.ActAnswer,
		"乌兰镇派出所民警协调教育、民政部门，为郝某申请到助学金，学费问题已经解决，民警将持续关心她的学习和生活。"))
	p.at(s, p.on(9, 9, 10, 0)).do("wulan-officer", visit(archive.Satisfied,
		"回访时郝某握着民警的手说：“我终于有钱可以读完书了，太感谢你们了。”"))
	s.wait(l, 10*time.Minute, 30*time.Minute).do("wulan-head", cmd(archive.ActClose, ""))
}

// newbornOnce is 王某, who found that a newborn's registration is now done in
// one go (一件事一次办).
func (p *plan) newbornOnce() {
	l := p.l
	s := p.staffItem("approval-officer", p.on(7, 14, 10, 20), archive.Submission{
		Kind: archive.KindConsultation, Channel: archive.ChannelWalkIn, Category: "newborn",
		Title:    "王某咨询新生儿落户能否一次办结",
		Text:     "群众王某到行政审批服务中心咨询：孩子刚出生，听说新生儿落户现在可以一次办结，想确认需要准备哪些材料，还要不要再跑医院和政务大厅。",
		Contact:  archive.Contact{Name: "王某", Phone: p.contact().Phone},
		Location: archive.Location{Township: "乌兰镇"},
	})
	s.wait(l, 10*time.Minute, 30*time.Minute).do("leader", dispatch(UnitApproval))
	s.wait(l, 5*time.Minute, 15*time.Minute).do("approval-officer", cmd(archive.ActSign, ""))
	p.at(s, p.on(7, 14, 15, 0)).do("approval-officer", cmd(archive.ActAnswer,
		"已为王某讲解新生儿落户“一件事一次办”流程：由政务服务中心“蒙速办·一次办”平台一次收集出生医学证明等材料，直接交行政审批服务中心审批落户，当日办结。"))
	p.at(s, p.on(7, 15, 10, 0)).do("approval-officer", visit(archive.Satisfied,
		"回访时王某说：“新生儿落户可以一次办结了，这是真的！”对办理结果非常满意。"))
	s.wait(l, 10*time.Minute, 30*time.Minute).do("approval-officer", cmd(archive.ActClose, ""))
}

// reunionPraise is a family's letter of thanks after officers reunited an
// elderly man with them after thirty years apart (23 October 2021); the
// family writes in traditional Chinese.
func (p *plan) reunionPraise() {
	l := p.l
	text, err := traditional("感谢信：我家老人孙某今年八十多岁，身患疾病，和家人失散了三十年。民警多方查证、锲而不舍地沟通联系，10月23日老人终于和家人团聚。全家人感激不尽，特来表扬！")
	if err != nil {
		p.fail(err)
	}
	title, err := traditional("感谢民警帮助失散三十年的老人与家人团聚")
	if err != nil {
		p.fail(err)
	}
	s := p.staffItem("wulan-officer", p.on(10, 26, 9, 50), archive.Submission{
		Kind: archive.KindPraise, Channel: archive.ChannelWalkIn, ChannelDetail: "家属送来感谢信", Category: "conduct",
		Title: title, Text: text,
		Contact:  archive.Contact{Name: "孙女士", Phone: p.contact().Phone},
		Location: archive.Location{Township: "乌兰镇"},
	})
	s.wait(l, 30*time.Minute, 2*time.Hour).do("leader", dispatch("wulan-station"))
	s.wait(l, 10*time.Minute, time.Hour).do("wulan-officer", cmd(archive.ActSign, ""))
	s.wait(l, 2*time.Hour, 6*time.Hour).do("wulan-head", cmd(archive.ActAnswer,
		"感谢您和家人的信任与肯定！帮助老人回家是我们应该做的，祝老人早日康复、阖家幸福。"))
	s.wait(l, 2*time.Hour, 6*time.Hour).do("wulan-officer", visit(archive.Satisfied, "电话回访家属，老人身体状况稳定，全家再次表示感谢。"))
	s.wait(l, 10*time.Minute, 30*time.Minute).do("wulan-head", cmd(archive.ActClose, ""))
}

// returned is an item dispatched to the wrong station, returned by it and
// dispatched again to the station that covers the place.
func (p *plan) returned() {
	l := p.l
	s := p.staffItem("command-centre-officer", p.on(6, 15, 9, 10), archive.Submission{
		Kind: archive.KindReport, Channel: archive.ChannelPhone, Category: "public-order",
		Title:    "工业园区附近夜间有人拉走废旧电缆",
		Text:     "群众来电反映：蒙西镇工业园区附近夜间常有人开车拉走厂区周边堆放的废旧电缆，怀疑是盗窃，希望派出所查一查。",
		Location: archive.Location{Township: "蒙西镇", Address: "蒙西镇工业园区"},
	})
	s.wait(l, 10*time.Minute, 30*time.Minute).do("leader", dispatch("qipanjing-station"))
	s.wait(l, 30*time.Minute, 2*time.Hour).do("qipanjing-officer", cmd(archive.ActReturn,
		"经核实，反映地点位于蒙西镇辖区，不属本所管辖，退回重新派单。"))
	s.wait(l, 10*time.Minute, 40*time.Minute).do("leader", dispatch("mengxi-station"))
	p.fromDispatched(s, flow{unit: "mengxi-station", start: true, visit: true, sat: archive.Satisfied,
		answer: "蒙西镇派出所在工业园区周边开展夜间巡逻蹲守，抓获盗窃废旧电缆的违法人员2名，已依法处理，并督促企业加强厂区物品管理。"})
}

// transferred is a walk-in question about a driving licence that the
// station's head transfers to the traffic police.
func (p *plan) transferred() {
	l := p.l
	s := p.staffItem("wulan-officer", p.on(5, 11, 10, 0), archive.Submission{
		Kind: archive.KindConsultation, Channel: archive.ChannelWalkIn, Unit: "wulan-station",
		Title:    "驾驶证记满12分如何恢复",
		Text:     "群众来所咨询：驾驶证一个记分周期内记满了12分，怎样参加学习和考试恢复驾驶资格？在哪里报名？",
		Location: archive.Location{Township: "乌兰镇"},
	})
	s.wait(l, 10*time.Minute, 30*time.Minute).do("leader", dispatch("wulan-station"))
	s.wait(l, 20*time.Minute, time.Hour).do("wulan-head", archive.Command{Action: archive.ActTransfer, Unit: UnitTraffic,
		Body: "该事项属车驾管业务，转交通管理大队办理。"})
	p.fromDispatched(s, flow{unit: UnitTraffic, visit: true, sat: archive.Satisfied,
		answer: "驾驶证记满12分的，需到交通管理大队参加7天的道路交通安全法律法规学习，学习期满后参加科目一考试，合格后恢复驾驶资格，可通过“交管12123”APP预约。"})
}

// extended is a dispute that needed five more working days because one
// party was away; the leader grants the extension and it is answered in the
// extended time.
func (p *plan) extended() {
	l := p.l
	s := p.staffItem("mukennaoer-officer", p.on(7, 5, 10, 30), archive.Submission{
		Kind: archive.KindHelp, Channel: archive.ChannelWalkIn, Category: "dispute", Unit: "mukennaoer-station",
		Title:    "两户牧民因饮水井发生纠纷",
		Text:     "群众来所反映：与邻居两户共用一口饮水井，因使用顺序和维修费用分摊问题多次争吵，请求派出所帮助调解。",
		Location: archive.Location{Township: "木肯淖尔镇", Village: "巴音淖尔嘎查"},
	})
	s.wait(l, 10*time.Minute, time.Hour).do("leader", dispatch("mukennaoer-station"))
	s.wait(l, 10*time.Minute, time.Hour).do("mukennaoer-officer", cmd(archive.ActSign, ""))
	s.wait(l, 10*time.Minute, time.Hour).do("mukennaoer-head", cmd(archive.ActStart, ""))
	ext := calendar.Limit{Amount: 5, Unit: calendar.WorkingDays}
	// Asked for on the afternoon of the due day, granted before it ends.
	p.at(s, s.due.Add(-3*time.Hour)).do("mukennaoer-officer", archive.Command{Action: archive.ActRequestExtension, Extension: &ext,
		Body: "一方当事人在外地务工，需待其返回后当面调解，申请延期5个工作日。"})
	s.wait(l, time.Hour, 2*time.Hour).do("leader", cmd(archive.ActGrantExtension, "同意延期5个工作日，请按期办结。"))
	newDue := l.Calendar().DueAfterExtension(s.due, ext).At
	p.at(s, l.WorkingAfter(s.due, l.Between(20*time.Hour, 24*time.Hour)))
	if !s.t.Before(newDue) {
		p.fail(fmt.Errorf("extended item answered after its extended due time"))
	}
	s.do("mukennaoer-head", cmd(archive.ActAnswer,
		"木肯淖尔镇派出所会同嘎查两委组织双方当面调解，商定饮水井按户轮流使用、维修费用按牲畜头数分摊，双方签订了调解协议。"))
	s.wait(l, 2*time.Hour, 10*time.Hour).do("mukennaoer-officer", visit(archive.BasicSatisfied, "电话回访，双方均已按协议执行，群众基本满意。"))
	s.wait(l, 10*time.Minute, time.Hour).do("mukennaoer-head", cmd(archive.ActClose, ""))
}

// supervised is an item that ran past its time limit; the leader supervises
// it (督办) and it is answered late, with the reason.
func (p *plan) supervised() {
	l := p.l
	s := p.staffItem("command-centre-officer", p.on(4, 8, 15, 0), archive.Submission{
		Kind: archive.KindComplaint, Channel: archive.ChannelPhone, Category: "public-order",
		Title:    "商铺占道堆货堵塞消防通道",
		Text:     "群众来电反映：棋盘井镇新井社区一家商铺门前长期占道堆放货物，堵塞了小区消防通道，多次劝说无效。",
		Location: archive.Location{Township: "棋盘井镇", Village: "新井社区"},
	})
	s.wait(l, 10*time.Minute, time.Hour).do("leader", dispatch("qipanjing-station"))
	s.wait(l, 10*time.Minute, 2*time.Hour).do("qipanjing-officer", cmd(archive.ActSign, ""))
	s.wait(l, time.Hour, 4*time.Hour).do("qipanjing-officer", cmd(archive.ActStart, ""))
	p.at(s, l.WorkingAfter(s.due, l.Between(30*time.Minute, 90*time.Minute))).do("leader", cmd(archive.ActSupervise,
		"该件已超过办理时限，请于2个工作日内办结并答复群众，说明超期原因。"))
	s.wait(l, 8*time.Hour, 14*time.Hour).do("qipanjing-head", cmd(archive.ActAnswer,
		"棋盘井派出所会同消防救援、市场监管部门现场检查，责令商铺清理占道货物，消防通道已恢复畅通，并将该处列入日常巡查。因需协调多部门联合检查，办理超期，特向您致歉。"))
	s.wait(l, 2*time.Hour, 8*time.Hour).do("qipanjing-officer", visit(archive.BasicSatisfied, "电话回访，消防通道已畅通，群众基本满意，希望今后办得再快些。"))
	s.wait(l, 10*time.Minute, time.Hour).do("qipanjing-head", cmd(archive.ActClose, ""))
}

// merged is two calls about the same broken traffic light; the second is
// merged into the first, which is handled for both.
func (p *plan) merged() {
	l := p.l
	a := p.staffItem("command-centre-officer", p.on(5, 24, 8, 50), archive.Submission{
		Kind: archive.KindComplaint, Channel: archive.ChannelPhone, Category: "traffic",
		Title:    "都斯图社区路口信号灯损坏",
		Text:     "群众来电反映：乌兰镇都斯图社区附近十字路口的信号灯坏了两天，车辆行人抢行，很危险。",
		Location: archive.Location{Township: "乌兰镇", Village: "都斯图社区"},
	})
	a.wait(l, 10*time.Minute, 30*time.Minute).do("leader", dispatch(UnitTraffic))
	a.wait(l, 10*time.Minute, 30*time.Minute).do("traffic-team-officer", cmd(archive.ActSign, ""))
	a.wait(l, 10*time.Minute, 30*time.Minute).do("traffic-team-officer", cmd(archive.ActStart, ""))
	// The second call came in on the traffic team's own line.
	b := p.staffItem(UnitTraffic+"-officer", p.on(5, 25, 9, 20), archive.Submission{
		Kind: archive.KindComplaint, Channel: archive.ChannelPhone, Category: "traffic",
		Title:    "路口红绿灯不亮",
		Text:     "群众来电：乌兰镇都斯图社区那个十字路口的红绿灯不亮了，早上上学的孩子过马路很危险，赶紧修一修。",
		Location: archive.Location{Township: "乌兰镇", Village: "都斯图社区"},
	})
	b.wait(l, 20*time.Minute, time.Hour)
	b.steps = append(b.steps, step{at: b.t, actor: "leader", into: a,
		cmd: archive.Command{Action: archive.ActMerge, Body: "同一路口信号灯故障的重复来电，合并办理。"}})
	p.at(a, p.on(5, 26, 11, 0)).do("traffic-team-officer", cmd(archive.ActAnswer,
		"交通管理大队已联系设备维护单位，信号灯已于5月26日修复，修复期间安排民警在路口指挥交通。"))
	a.wait(l, 2*time.Hour, 6*time.Hour).do("traffic-team-officer", visit(archive.Satisfied, "电话回访，信号灯已恢复正常，群众满意。"))
	a.wait(l, 10*time.Minute, time.Hour).do("traffic-team-officer", cmd(archive.ActClose, ""))
}

// invalid is a call with no matter in it, which the leader marks invalid.
func (p *plan) invalid() {
	l := p.l
	s := p.staffItem("command-centre-officer", p.on(8, 10, 11, 5), archive.Submission{
		Kind: archive.KindConsultation, Channel: archive.ChannelPhone, Unit: UnitCommand,
		Title:   "来电未说明事项即挂断",
		Text:    "来电人未说明具体事项即挂断，回拨两次无人接听。",
		Contact: archive.Contact{Phone: p.contact().Phone},
	})
	s.wait(l, 20*time.Minute, time.Hour).do("leader", cmd(archive.ActInvalidate, "无具体诉求，回拨无人接听，按无效件处理。"))
}

// stillOpen are four items of the last days of October that are still
// waiting — received, dispatched, signed and in progress — and so overdue
// for anyone looking at the demo today.
func (p *plan) stillOpen() {
	l := p.l
	// A call to the public-order team's own line, entered by the team: an
	// officer files into their own unit or the dispatch queue only.
	p.staffItem(UnitOrder+"-officer", p.on(10, 28, 15, 20), archive.Submission{
		Kind: archive.KindComplaint, Channel: archive.ChannelPhone, Category: "public-order",
		Title:    "小区车库电动车电瓶被盗",
		Text:     "群众来电反映：棋盘井镇新井社区一小区地下车库近期多次发生电动车电瓶被盗，希望派出所查一查，加强夜间巡逻。",
		Location: archive.Location{Township: "棋盘井镇", Village: "新井社区"},
	})

	s := p.staffItem("qipanjing-officer", p.on(10, 27, 10, 15), archive.Submission{
		Kind: archive.KindHelp, Channel: archive.ChannelWalkIn, Category: "dispute", Unit: "qipanjing-station",
		Title:    "退租押金纠纷请求调解",
		Text:     "群众来所反映：租住的房屋到期退租，房东以墙面损坏为由拒绝退还押金2000元，双方协商不成，请求派出所调解。",
		Location: archive.Location{Township: "棋盘井镇"},
	})
	s.wait(l, 20*time.Minute, time.Hour).do("leader", dispatch("qipanjing-station"))

	s = p.staffItem("sumitu-officer", p.on(10, 25, 11, 0), archive.Submission{
		Kind: archive.KindSuggestion, Channel: archive.ChannelVisit, ChannelDetail: "“百万警进千万家”入户走访",
		Category: "traffic", Unit: "sumitu-station",
		Title:    "公路两侧草场围栏被撞坏",
		Text:     "走访中牧民反映：查干淖尔嘎查附近公路两侧的草场围栏多处被过往车辆撞坏，牲畜容易跑到公路上，希望协调修复并加强路段管控。",
		Location: archive.Location{Township: "苏米图苏木", Village: "查干淖尔嘎查"},
	})
	s.wait(l, 20*time.Minute, time.Hour).do("leader", dispatch("sumitu-station"))
	s.wait(l, 10*time.Minute, time.Hour).do("sumitu-officer", cmd(archive.ActSign, ""))
	p.at(s, p.on(10, 29, 9, 0)).do("leader", cmd(archive.ActRemind, "请尽快协调公路部门修复围栏，并及时答复群众。"))

	s = p.staffItem("aerbasi-officer", p.on(10, 20, 14, 30), archive.Submission{
		Kind: archive.KindHelp, Channel: archive.ChannelPhone, Category: "dispute", Unit: "aerbasi-station",
		Title:    "合伙养羊散伙分配纠纷",
		Text:     "群众来电：与他人合伙养羊三年，散伙时对羊只和草场承包费的分配有争议，多次协商不成，请求派出所帮助调解。",
		Location: archive.Location{Township: "阿尔巴斯苏木", Village: "布龙湖嘎查"},
	})
	s.wait(l, 20*time.Minute, time.Hour).do("leader", dispatch("aerbasi-station"))
	s.wait(l, 10*time.Minute, time.Hour).do("aerbasi-officer", cmd(archive.ActSign, ""))
	s.wait(l, 10*time.Minute, time.Hour).do("aerbasi-head", cmd(archive.ActStart, ""))
	s.wait(l, time.Hour, 3*time.Hour).do("aerbasi-officer", cmd(archive.ActNote, "已分别联系双方当事人，约定待一方从外地返回后组织调解。"))
}
