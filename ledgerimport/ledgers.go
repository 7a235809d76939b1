package ledgerimport

import (
	"context"
	"strconv"
	"strings"

	"minyi/archive"
	"minyi/eventlog"
	"minyi/matter"
	"minyi/measure"
	"minyi/org"
	"minyi/servicepoint"
	"minyi/volunteer"
)

// Ledger names a ledger that can be imported, as the API's paths do.
type Ledger string

// The ledgers that can be imported.
const (
	Matters    Ledger = "matters"
	Measures   Ledger = "measures"
	Points     Ledger = "service-points"
	Volunteers Ledger = "volunteer-activities"
	Publicity  Ledger = "publicity"
	Indicators Ledger = "indicator-entries"
)

// Ledgers lists them in the order pages offer them.
var Ledgers = []Ledger{Matters, Measures, Points, Volunteers, Publicity, Indicators}

// Column is one column of a ledger's sheet: its Chinese header, the
// record's field it fills (as errors name it), and what goes in it.
type Column struct {
	Header   string `json:"header"`
	Field    string `json:"field"`
	Required bool   `json:"required"`
	// Note says what to write, in Chinese and English.
	Note    string `json:"note"`
	NoteEn  string `json:"note_en"`
	Example string `json:"example"`
}

// spec is a ledger's sheet: its columns and how a row becomes a record of
// its register, created through the register's Service.
type spec struct {
	ledger  Ledger
	sheet   string // the data sheet's name
	title   string // the ledger's Chinese name
	columns []Column
	// run reads the rows into records, then asks dryRun (which may look at
	// the problems of reading) whether to write them.
	run func(ctx context.Context, s *Service, u org.User, rows []*row, also []eventlog.Event, dryRun func() bool) ([]any, []error, error)
}

func (s *spec) header(field string) string {
	if field == "" {
		return ""
	}
	for _, c := range s.columns {
		if c.Field == field {
			return c.Header
		}
	}
	for _, c := range s.columns { // "beneficiary" names the kind's column
		if strings.HasPrefix(c.Field, field+".") {
			return c.Header
		}
	}
	if i := strings.LastIndex(field, "."); i > 0 { // outcomes.cattle
		return s.header(field[:i])
	}
	return ""
}

// runWith adapts a register: build reads a row into its record, create is
// its Service's CreateMany.
func runWith[T any](build func(*row) T, create func(*Service) func(context.Context, org.User, []T, []eventlog.Event, bool) ([]T, []error, error)) func(context.Context, *Service, org.User, []*row, []eventlog.Event, func() bool) ([]any, []error, error) {
	return func(ctx context.Context, s *Service, u org.User, rows []*row, also []eventlog.Event, dryRun func() bool) ([]any, []error, error) {
		recs := make([]T, len(rows))
		for i, r := range rows {
			recs[i] = build(r)
		}
		out, refused, err := create(s)(ctx, u, recs, also, dryRun())
		written := make([]any, len(out))
		for i, o := range out {
			written[i] = o
		}
		return written, refused, err
	}
}

var (
	yesNo      = "填“是”或“否”，空为否"
	yesNoEn    = "是 (yes) or 否 (no); empty is no"
	dayNote    = "日期，如2021-09-13（也可用Excel日期格式）"
	dayNoteEn  = "a date such as 2021-09-13 (an Excel date cell is fine)"
	unitNote   = "单位代码或名称"
	unitNoteEn = "the unit's code or name"
	listNote   = "多个用顿号（、）或逗号分隔"
	listNoteEn = "several separated by 、 or commas"
	staffNote  = "账号或姓名（同名时填账号）；"
	staffEn    = "user names or names (the user name when two share a name); "
	campNote   = "所属活动的名称或编号；可空"
	campNoteEn = "the campaign's name or id; may be empty"
)

var classChoices = []Choice{
	{string(archive.ClassUrgent), []string{"烦心事", "急事速办", "烦心事（急事速办）"}},
	{string(archive.ClassHard), []string{"忧心事", "难事易办", "忧心事（难事易办）"}},
	{string(archive.ClassWorrying), []string{"操心事", "愁事实办", "操心事（愁事实办）"}},
	{string(archive.ClassHopeful), []string{"揪心事", "盼事速办", "揪心事（盼事速办）"}},
}

var beneficiaryChoices = []Choice{
	{string(matter.BeneficiaryPerson), []string{"个人", "本人"}},
	{string(matter.BeneficiaryHousehold), []string{"家庭", "户", "农户"}},
	{string(matter.BeneficiaryVillage), []string{"村", "嘎查", "社区", "村（嘎查）"}},
	{string(matter.BeneficiaryGroup), []string{"群体", "集体"}},
}

var matterStatusChoices = []Choice{
	{string(matter.StatusPlanned), []string{"已计划", "计划", "未开始"}},
	{string(matter.StatusInProgress), []string{"办理中", "进行中", "在办"}},
	{string(matter.StatusDone), []string{"已办结", "办结", "已完成", "完成"}},
	{string(matter.StatusDropped), []string{"已终止", "终止"}},
}

var measureStatusChoices = []Choice{
	{string(measure.StatusResearched), []string{"已研究", "研究中"}},
	{string(measure.StatusImplemented), []string{"已实施", "实施"}},
	{string(measure.StatusWithdrawn), []string{"已撤回", "撤回", "已撤销"}},
}

var pointStatusChoices = []Choice{
	{string(servicepoint.StatusActive), []string{"服务中", "运行", "正常", "启用"}},
	{string(servicepoint.StatusClosed), []string{"已关闭", "关闭", "停用"}},
}

func choiceNote(cs []Choice) string { return "可填：" + describe(cs, "、") }

var specs = map[Ledger]*spec{
	Matters: {ledger: Matters, sheet: "实事台账", title: "实事", columns: []Column{
		{"标题", "title", true, "实事的标题，不超过100字", "the matter's title, at most 100 characters", "帮助牧民追回被盗牛羊"},
		{"内容", "description", false, "实事的具体内容", "what the matter is about", "9月初牧民报称牛羊被盗，派出所立即组织追查。"},
		{"责任单位", "unit", true, unitNote, unitNoteEn, "城关派出所"},
		{"党支部", "branch", false, "党支部代码或名称", "the party branch's code or name", "城关派出所党支部"},
		{"活动", "campaign", false, campNote, campNoteEn, "我为群众办实事"},
		{"领办人", "lead", false, "领办民辅警的账号或姓名", "the lead officer's user name or name", "王警官"},
		{"参与人员", "participants", false, staffNote + listNote, staffEn + listNoteEn, "李警官、赵辅警"},
		{"受益对象类型", "beneficiary.kind", true, choiceNote(beneficiaryChoices), "person, household, village or group", "家庭"},
		{"受益对象名称", "beneficiary.name", false, "受益人、户主、村或群体的名称（个人信息将脱敏显示）", "the beneficiary's name (masked when personal)", "张某某"},
		{"受益对象电话", "beneficiary.phone", false, "手机或固定电话", "a mobile or landline number", "13800000000"},
		{"受益对象身份证号", "beneficiary.id_number", false, "18位身份证号码", "an 18-character ID number", ""},
		{"受益对象所在地", "beneficiary.place", false, "乡镇、村", "township and village", "巴彦塔拉镇东村"},
		{"诉求类别", "class", true, choiceNote(classChoices), "urgent, hard, worrying or hopeful (or their Chinese names)", "揪心事"},
		{"关联群众意见", "items", false, "群众意见的编号；" + listNote, "tracking numbers of the opinions answered; " + listNoteEn, ""},
		{"立项日期", "opened_on", false, dayNote + "；空为今天", dayNoteEn + "; empty is today", "2021-09-05"},
		{"办理时限（工作日）", "due_days", false, "工作日数；空按诉求类别", "working days; empty: by the concern class", ""},
		{"状态", "status", false, choiceNote(matterStatusChoices) + "；空为已计划", "planned, in_progress, done or dropped; empty is planned", "已办结"},
		{"办结日期", "done_on", false, "已办结的须填写；" + dayNote, "for a done matter; " + dayNoteEn, "2021-09-13"},
		{"成效故事", "story", false, "已办结的须填写", "required for a done matter", "经连续追查，追回被盗牛5头、羊53只，全部归还牧民。"},
		// The outcomes' note and example list the bureau's keys (Template).
		{"成效数量", "outcomes", false, "指标=数量，" + listNote, "key=number, several separated by 、", "牛=5、羊=53"},
		{"终止原因", "drop_reason", false, "已终止的须填写", "required for a dropped matter", ""},
		{"公开", "published", false, "是否在“我们办的实事”公开；" + yesNo, "shown on the public page; " + yesNoEn, "是"},
		{"受益人同意公开", "beneficiary_consent", false, yesNo, yesNoEn, "否"},
	}, run: runWith(buildMatter, func(s *Service) func(context.Context, org.User, []matter.Matter, []eventlog.Event, bool) ([]matter.Matter, []error, error) {
		return s.Matters.CreateMany
	})},
	Measures: {ledger: Measures, sheet: "便民利民措施", title: "便民利民措施", columns: []Column{
		{"措施名称", "title", true, "不超过100字", "at most 100 characters", "户籍业务延时服务"},
		{"实施单位", "unit", true, unitNote, unitNoteEn, "城关派出所"},
		{"党支部", "branch", false, "党支部代码或名称", "the party branch's code or name", ""},
		{"活动", "campaign", false, campNote, campNoteEn, "我为群众办实事"},
		{"便民内容", "changes", true, "措施为群众带来的改变", "what it changes for citizens", "工作日延时至19:00办理户籍业务"},
		{"关联群众意见", "items", false, "群众意见的编号；" + listNote, "tracking numbers; " + listNoteEn, ""},
		{"关联实事", "matters", false, "实事编号（数字）；" + listNote, "matter ids; " + listNoteEn, ""},
		{"状态", "status", false, choiceNote(measureStatusChoices) + "；空为已研究", "researched, implemented or withdrawn; empty is researched", "已实施"},
		{"研究日期", "researched_on", false, dayNote + "；空为今天", dayNoteEn + "; empty is today", "2021-06-01"},
		{"实施日期", "implemented_on", false, "已实施的须填写；" + dayNote, "for an implemented measure; " + dayNoteEn, "2021-06-15"},
		{"撤回原因", "withdraw_reason", false, "已撤回的须填写", "required for a withdrawn measure", ""},
	}, run: runWith(buildMeasure, func(s *Service) func(context.Context, org.User, []measure.Measure, []eventlog.Event, bool) ([]measure.Measure, []error, error) {
		return s.Measures.CreateMany
	})},
	Points: {ledger: Points, sheet: "便民服务站点", title: "便民服务站点", columns: []Column{
		{"站点名称", "name", true, "不超过100字", "at most 100 characters", "东村便民警务站"},
		{"单位", "unit", true, unitNote, unitNoteEn, "城关派出所"},
		{"乡镇", "township", false, "", "township", "巴彦塔拉镇"},
		{"村（社区）", "village", false, "", "village or community", "东村"},
		{"地址", "address", true, "", "the address", "东村村委会院内"},
		{"纬度", "latitude", false, "十进制度数，与经度同时填写", "decimal degrees, with the longitude", "43.65"},
		{"经度", "longitude", false, "十进制度数，与纬度同时填写", "decimal degrees, with the latitude", "122.26"},
		{"开放时间", "opening_hours", false, "", "opening hours as citizens are told", "周一至周六 8:00-19:00"},
		{"错时服务", "off_peak", false, yesNo, yesNoEn, "是"},
		{"延时服务", "extended_hours", false, yesNo, yesNoEn, "是"},
		{"服务项目", "services", false, listNote, listNoteEn, "户籍办理、身份证受理"},
		{"联系电话", "phone", false, "", "a mobile or landline number", "0475-1234567"},
		{"状态", "status", false, choiceNote(pointStatusChoices) + "；空为服务中", "active or closed; empty is active", "服务中"},
		{"开放日期", "opened_on", false, "站点开始服务的日期；" + dayNote + "；空为今天", "the day it began to serve; " + dayNoteEn + "; empty is today", "2021-04-01"},
		{"关闭日期", "closed_on", false, "仅已关闭的站点填写；" + dayNote + "；空为今天", "for a closed point only; " + dayNoteEn + "; empty is today", ""},
		{"活动", "campaign", false, campNote, campNoteEn, "我为群众办实事"},
	}, run: runWith(buildPoint, func(s *Service) func(context.Context, org.User, []servicepoint.Point, []eventlog.Event, bool) ([]servicepoint.Point, []error, error) {
		return s.Points.CreateMany
	})},
	Volunteers: {ledger: Volunteers, sheet: "志愿服务活动", title: "志愿服务活动", columns: []Column{
		{"活动日期", "date", true, dayNote, dayNoteEn, "2021-10-12"},
		{"活动名称", "title", true, "不超过100字", "at most 100 characters", "秋收护农志愿服务"},
		{"单位", "unit", true, unitNote, unitNoteEn, "城关派出所"},
		{"党支部", "branch", false, "党支部代码或名称", "the party branch's code or name", ""},
		{"活动", "campaign", false, campNote, campNoteEn, "我为群众办实事"},
		{"参加民警", "participants", false, staffNote + listNote, staffEn + listNoteEn, ""},
		{"志愿者人数", "volunteers", false, "整数", "a whole number", "6"},
		{"服务时长（小时）", "hours", false, "小时，可有两位小数", "hours, to the hundredth", "3.5"},
		{"服务群众人数", "served", false, "整数", "a whole number", "40"},
		{"乡镇", "township", false, "", "township", "巴彦塔拉镇"},
		{"村（社区）", "village", false, "", "village or community", "东村"},
		{"地点", "place", false, "", "the place", "东村玉米地"},
		{"活动内容", "description", false, "", "what was done", "帮助农户抢收玉米"},
	}, run: runWith(buildActivity, func(s *Service) func(context.Context, org.User, []volunteer.Activity, []eventlog.Event, bool) ([]volunteer.Activity, []error, error) {
		return s.Volunteers.CreateMany
	})},
}

func init() {
	for l, sp := range pubindSpecs() {
		specs[l] = sp
	}
}

func buildMatter(r *row) matter.Matter {
	unit := r.unit("unit")
	m := matter.Matter{Title: r.text("title"), Description: r.text("description"), Unit: unit,
		Branch: r.branch("branch", unit), Lead: r.person("lead", r.text("lead")), Participants: r.people("participants"),
		Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryKind(r.choice("beneficiary.kind", beneficiaryChoices)),
			Name: r.text("beneficiary.name"), Phone: r.text("beneficiary.phone"), IDNumber: r.text("beneficiary.id_number"),
			Place: r.text("beneficiary.place")},
		Class: archive.Class(r.choice("class", classChoices)), Items: r.list("items"), OpenedOn: r.day("opened_on"),
		DueDays: r.integer("due_days"), Status: matter.Status(r.choice("status", matterStatusChoices)),
		DoneOn: r.day("done_on"), Story: r.text("story"), Outcomes: r.outcomes("outcomes"), DropReason: r.text("drop_reason"),
		Published: r.yes("published"), BeneficiaryConsent: r.yes("beneficiary_consent"), Campaign: r.campaign("campaign")}
	if m.Status == matter.StatusDone && m.DoneOn == "" && !r.failed("done_on") {
		r.fail("done_on", "已办结的实事须填写办结日期", "a done matter needs its done_on")
	}
	return m
}

func buildMeasure(r *row) measure.Measure {
	unit := r.unit("unit")
	m := measure.Measure{Title: r.text("title"), Unit: unit, Branch: r.branch("branch", unit), Changes: r.text("changes"),
		Items: r.list("items"), Status: measure.Status(r.choice("status", measureStatusChoices)),
		ResearchedOn: r.day("researched_on"), ImplementedOn: r.day("implemented_on"), WithdrawReason: r.text("withdraw_reason"),
		Campaign: r.campaign("campaign")}
	for _, s := range r.list("matters") {
		id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
		if err != nil {
			r.fail("matters", "实事编号须为数字："+s, "matter ids are numbers: "+s)
			continue
		}
		m.Matters = append(m.Matters, id)
	}
	if m.Status == measure.StatusImplemented && m.ImplementedOn == "" && !r.failed("implemented_on") {
		r.fail("implemented_on", "已实施的措施须填写实施日期", "an implemented measure needs its implemented_on")
	}
	return m
}

func buildPoint(r *row) servicepoint.Point {
	return servicepoint.Point{Name: r.text("name"), Unit: r.unit("unit"), Township: r.text("township"),
		Village: r.text("village"), Address: r.text("address"), Lat: r.number("latitude"), Lng: r.number("longitude"),
		OpeningHours: r.text("opening_hours"), OffPeak: r.yes("off_peak"), Extended: r.yes("extended_hours"),
		Services: r.list("services"), Phone: r.text("phone"), Status: servicepoint.Status(r.choice("status", pointStatusChoices)),
		OpenedOn: r.day("opened_on"), ClosedOn: r.day("closed_on"), Campaign: r.campaign("campaign")}
}

func buildActivity(r *row) volunteer.Activity {
	unit := r.unit("unit")
	a := volunteer.Activity{Date: r.day("date"), Title: r.text("title"), Unit: unit, Branch: r.branch("branch", unit),
		Participants: r.people("participants"), Volunteers: r.integer("volunteers"), Served: r.integer("served"),
		Township: r.text("township"), Village: r.text("village"), Place: r.text("place"), Description: r.text("description"),
		Campaign: r.campaign("campaign")}
	if h := r.number("hours"); h != nil {
		a.Hours = *h
	}
	return a
}
