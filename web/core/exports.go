package core

import (
	"slices"
	"strings"

	"minyi/archive"
	"minyi/booking"
	"minyi/campaign"
	"minyi/dispute"
	"minyi/indicator"
	"minyi/matter"
	"minyi/measure"
	"minyi/meeting"
	"minyi/onestop"
	"minyi/publicity"
	"minyi/servicepoint"
	"minyi/survey"
	"minyi/volunteer"
	"minyi/xlsx"
)

// The registers' tables: the columns of each list as a spreadsheet and the
// row of one record, declared once for the API's format=csv|xlsx, the
// staff pages' export links and the ledgers' workbook. Personal data come
// as the list gives them (masked); codes as their Chinese names.

// col, num, day and moment are columns of a text, a number, a day and a
// moment.
func col(h string) xlsx.Column    { return xlsx.Column{Header: h, Kind: xlsx.Text} }
func num(h string) xlsx.Column    { return xlsx.Column{Header: h, Kind: xlsx.Number} }
func day(h string) xlsx.Column    { return xlsx.Column{Header: h, Kind: xlsx.Date} }
func moment(h string) xlsx.Column { return xlsx.Column{Header: h, Kind: xlsx.DateTime} }

// list joins a record's list of names or numbers as the ledgers write
// them (ledgerimport reads them back the same way).
func list(xs []string) string { return strings.Join(xs, "、") }

// ItemsExport is the archive's list (民意档案): the inbox and its searches.
var ItemsExport = Export[archive.Item]{Title: "民意档案", File: "items", Reveals: true,
	Columns: []xlsx.Column{col("编号"), moment("收集时间"), moment("录入时间"), col("渠道"), col("类型"), col("类别"), col("分类"),
		col("标题"), col("内容"), col("承办单位"), col("状态"), moment("办理期限"), moment("答复时间"), col("按时答复"),
		col("答复"), col("满意度"), moment("销号时间"), col("联系人"), col("联系电话"), col("乡镇（苏木）"), col("村（嘎查）")},
	Row: func(n Names, it archive.Item) []any {
		onTime := ""
		if it.AnsweredAt != nil {
			onTime = YesNo(it.OnTime)
		}
		return []any{it.Number, Moment(it.ReceivedAt), Moment(it.EnteredAt), archive.LabelOf(archive.Channels, string(it.Channel)),
			archive.LabelOf(archive.Kinds, string(it.Kind)), archive.LabelOf(archive.Classes, string(it.Class)), n.Code(codeCategory, it.CategoryCode),
			it.Title, it.Text, n.Unit(it.UnitCode), archive.LabelOf(archive.Statuses, string(it.Status)), Moment(it.DueAt),
			MomentOf(it.AnsweredAt), onTime, it.PublicReply, archive.LabelOf(archive.Satisfactions, string(it.Satisfaction)),
			MomentOf(it.ClosedAt), it.Contact.Name, it.Contact.Phone, it.Location.Township, it.Location.Village}
	}}

// MattersExport is the practical matters' ledger (实事台账).
var MattersExport = Export[matter.Matter]{Title: "实事台账", File: "matters", Reveals: true,
	Columns: []xlsx.Column{num("编号"), col("实事名称"), col("责任单位"), col("党支部"), col("领办人"), col("参与人"), col("类别"),
		col("状态"), day("启动日期"), moment("期限"), day("办结日期"), col("服务对象"), col("服务对象电话"), col("地点"),
		col("成效"), col("回应的民意"), col("活动"), col("内容")},
	Row: func(n Names, m matter.Matter) []any {
		return []any{m.ID, m.Title, n.Unit(m.Unit), n.Branch(m.Branch), m.Lead, list(m.Participants),
			archive.LabelOf(archive.Classes, string(m.Class)), m.Status.Label(), Day(m.OpenedOn), Moment(m.DueAt), Day(m.DoneOn),
			m.Beneficiary.Name, m.Beneficiary.Phone, m.Beneficiary.Place, m.Story, list(m.Items), n.Campaign(m.Campaign), m.Description}
	}}

// MeasuresExport is the convenience measures' ledger (便民利民措施).
var MeasuresExport = Export[measure.Measure]{Title: "便民利民措施", File: "measures",
	Columns: []xlsx.Column{num("编号"), col("措施名称"), col("责任单位"), col("党支部"), col("为群众带来的改变"), col("状态"),
		day("研究日期"), day("实施日期"), day("撤销日期"), col("撤销原因"), col("来源民意"), col("活动")},
	Row: func(n Names, m measure.Measure) []any {
		return []any{m.ID, m.Title, n.Unit(m.Unit), n.Branch(m.Branch), m.Changes, m.Status.Label(), Day(m.ResearchedOn),
			Day(m.ImplementedOn), Day(m.WithdrawnOn), m.WithdrawReason, list(m.Items), n.Campaign(m.Campaign)}
	}}

// VolunteerExport is the volunteer activities' ledger (志愿服务活动).
var VolunteerExport = Export[volunteer.Activity]{Title: "志愿服务活动", File: "volunteer-activities",
	Columns: []xlsx.Column{num("编号"), day("日期"), col("活动名称"), col("单位"), col("党支部"), col("参加民警"), num("志愿者人数"),
		num("时长（小时）"), num("服务群众人数"), col("乡镇（苏木）"), col("村（嘎查）"), col("地点"), col("活动")},
	Row: func(n Names, a volunteer.Activity) []any {
		return []any{a.ID, Day(a.Date), a.Title, n.Unit(a.Unit), n.Branch(a.Branch), list(a.Participants), a.Volunteers,
			a.Hours, a.Served, a.Township, a.Village, a.Place, n.Campaign(a.Campaign)}
	}}

// PointsExport is the service points' ledger (便民服务站点).
var PointsExport = Export[servicepoint.Point]{Title: "便民服务站点", File: "service-points",
	Columns: []xlsx.Column{num("编号"), col("站点名称"), col("单位"), col("乡镇（苏木）"), col("村（嘎查）"), col("地址"), col("服务时间"),
		col("错时服务"), col("延时服务"), col("服务项目"), col("电话"), col("状态"), day("启用日期"), day("关闭日期"), col("活动")},
	Row: func(n Names, p servicepoint.Point) []any {
		return []any{p.ID, p.Name, n.Unit(p.Unit), p.Township, p.Village, p.Address, p.OpeningHours, YesNo(p.OffPeak), YesNo(p.Extended),
			list(p.Services), p.Phone, n.Label("point_status.", string(p.Status)), Day(p.OpenedOn), Day(p.ClosedOn), n.Campaign(p.Campaign)}
	}}

// PublicityExport is the publicity ledger (宣传报道).
var PublicityExport = Export[publicity.Piece]{Title: "宣传报道", File: "publicity",
	Columns: []xlsx.Column{num("编号"), day("发布日期"), col("渠道"), col("媒体/账号"), col("标题"), col("链接"), col("单位"), col("党支部"),
		col("活动"), col("备注")},
	Row: func(n Names, p publicity.Piece) []any {
		return []any{p.ID, Day(p.Date), n.Code(codePublicity, string(p.Channel)), p.Outlet, p.Title, p.Link, n.Unit(p.Unit),
			n.Branch(p.Branch), n.Campaign(p.Campaign), p.Note}
	}}

// EntriesExport is the period indicators' entries (工作指标).
var EntriesExport = Export[indicator.Entry]{Title: "工作指标", File: "indicator-entries",
	Columns: []xlsx.Column{num("编号"), col("指标"), col("单位"), col("月份"), num("数值"), col("备注"), col("现行"), num("更正的记录"),
		col("填报人"), moment("填报时间")},
	Row: func(n Names, e indicator.Entry) []any {
		var supersedes any
		if e.Supersedes != 0 {
			supersedes = e.Supersedes
		}
		return []any{e.ID, n.Code(codeIndicator, e.Indicator), n.Unit(e.Unit), e.Month, e.Value, e.Note, YesNo(e.Current), supersedes,
			e.CreatedBy, Moment(e.CreatedAt)}
	}}

// DisputesExport is the disputes' ledger (矛盾纠纷排查化解台账); the
// parties as every reader sees them, masked.
var DisputesExport = Export[dispute.Dispute]{Title: "矛盾纠纷", File: "disputes", Reveals: true,
	Columns: []xlsx.Column{num("编号"), day("排查日期"), col("纠纷类型"), col("乡镇（苏木）"), col("村（嘎查）"), col("当事人"), col("风险等级"),
		col("来源"), col("来源民意"), col("单位"), col("党支部"), col("简要情况"), col("状态"), moment("化解期限"), col("超期"),
		num("调解次数"), day("办结日期"), col("化解层级"), col("协议"), col("移交"), col("活动")},
	Row: func(n Names, d dispute.Dispute) []any {
		parties := make([]string, len(d.Parties))
		for i, p := range d.Parties {
			parties[i] = strings.TrimSpace(p.Name + " " + p.Phone)
		}
		referred := strings.TrimSpace(n.Label("dispute_to.", string(d.ReferredTo)) + " " + d.ReferredWhom)
		return []any{d.ID, Day(d.FoundOn), n.Code(codeDisputeKind, d.Kind), d.Township, d.Village, list(parties),
			n.Label("dispute_risk.", string(d.Risk)), n.Label("dispute_source.", string(d.Source)), d.Item, n.Unit(d.Unit),
			n.Branch(d.Branch), d.Summary, d.Status.Label(), Moment(d.DueAt), YesNo(d.Overdue), len(d.Mediations), Day(d.ClosedOn),
			n.Label("dispute_level.", string(d.Level)), d.Agreement, referred, n.Campaign(d.Campaign)}
	}}

// CasesExport is the one-stop cases (一件事一次办); the applicant as the
// reader sees them.
var CasesExport = Export[onestop.Case]{Title: "一件事一次办", File: "onestop-cases",
	Columns: []xlsx.Column{num("编号"), col("事项"), col("受理单位"), col("申请人"), col("申请人电话"), col("状态"), col("当前环节"),
		col("帮办代办"), col("绿色通道"), col("超期"), day("受理日期"), day("办结日期"), day("撤销日期"), col("撤销原因")},
	Row: func(n Names, c onestop.Case) []any {
		step := ""
		if c.Step >= 0 && c.Step < len(c.Steps) && c.Status == onestop.StatusOpen {
			step = c.Steps[c.Step].Name
		}
		return []any{c.ID, c.ServiceName, n.Unit(c.Unit), c.Applicant.Name, c.Applicant.Phone, c.Status.Label(), step, c.Proxy,
			n.Label("green.", string(c.Green)), YesNo(c.Overdue), Day(c.OpenedOn), Day(c.DoneOn), Day(c.CancelledOn), c.CancelReason}
	}}

// ServicesExport is the one-stop services (一件事) defined.
var ServicesExport = Export[onestop.Definition]{Title: "一件事事项", File: "onestop-services",
	Columns: []xlsx.Column{num("编号"), col("代码"), col("名称"), col("说明"), col("启用"), num("环节数"), col("环节")},
	Row: func(n Names, d onestop.Definition) []any {
		steps := make([]string, len(d.Steps))
		for i, st := range d.Steps {
			steps[i] = st.Name + "（" + n.Unit(st.Unit) + "）"
		}
		return []any{d.ID, d.Code, d.Name, d.Description, YesNo(d.Active), len(d.Steps), strings.Join(steps, " → ")}
	}}

// BookingsExport is the bookings of the service points (预约); names and
// phones as the reader sees them.
var BookingsExport = Export[booking.Booking]{Title: "预约", File: "bookings",
	Columns: []xlsx.Column{num("编号"), day("日期"), col("时段"), col("单位"), col("事项"), col("姓名"), col("电话"), col("老年人"),
		col("绿色通道"), col("状态"), moment("预约时间")},
	Row: func(n Names, b booking.Booking) []any {
		return []any{b.ID, Day(b.Day), b.Start + "–" + b.End, n.Unit(b.Unit), b.Service, b.Name, b.Phone, YesNo(b.Elderly),
			n.Label("green.", string(b.Green)), n.Label("bookings.status.", string(b.Status)), Moment(b.CreatedAt)}
	}}

// SurveysExport is the questionnaires (调查问卷) with their answers'
// count; each questionnaire's results are its own workbook.
var SurveysExport = Export[survey.Survey]{Title: "调查问卷", File: "surveys",
	Columns: []xlsx.Column{num("编号"), col("问卷"), col("单位"), col("状态"), day("开始日期"), day("截止日期"), day("发布日期"),
		day("结束日期"), num("题数"), num("答卷数"), col("活动")},
	Row: func(n Names, s survey.Survey) []any {
		return []any{s.ID, s.Title, n.Unit(s.Unit), s.Status.Label(), Day(s.OpensOn), Day(s.ClosesOn), Day(s.PublishedOn),
			Day(s.ClosedOn), len(s.Questions), s.Answers, n.Campaign(s.Campaign)}
	}}

// CampaignsExport is the campaigns (活动).
var CampaignsExport = Export[campaign.Campaign]{Title: "活动", File: "campaigns",
	Columns: []xlsx.Column{num("编号"), col("名称"), day("开始日期"), day("结束日期"), num("动员会议"), num("文件"), col("目标")},
	Row: func(n Names, c campaign.Campaign) []any {
		targets := make([]string, 0, len(c.Targets))
		for k, v := range c.Targets {
			targets = append(targets, k+"="+formatInt(v))
		}
		slices.Sort(targets)
		return []any{c.ID, c.Name, Day(c.From), Day(c.To), len(c.Meetings), len(c.Documents), strings.Join(targets, "；")}
	}}

// MeetingsExport is the meetings (座谈会记录) with how many opinions each
// raised and how many of those are closed out, as their list shows them.
var MeetingsExport = Export[meeting.Meeting]{Title: "座谈会记录", File: "meetings",
	Columns: []xlsx.Column{num("编号"), day("日期"), col("地点"), col("主办单位"), col("参会群体"), num("参会人数"),
		num("意见（件）"), num("已销号（件）"), col("纪要"), col("录入人"), moment("录入时间")},
	Row: func(n Names, m meeting.Meeting) []any {
		return []any{m.ID, Day(m.Day()), m.Place, n.Unit(m.HostUnit), list(m.AttendeeGroups), m.Attendees,
			m.Opinions, m.Closed, m.Minutes, m.CreatedBy, Moment(m.CreatedAt)}
	}}
