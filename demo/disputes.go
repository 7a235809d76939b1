package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"minyi/archive"
	"minyi/campaign"
	"minyi/dispute"
	"minyi/register"
)

// The seed's figures of the disputes found and resolved in January to
// October 2021 (累计排查矛盾纠纷数173起，已化解矛盾纠纷156起): the disputes
// register gives them as counts of its records.
const (
	// DisputesFound is 累计排查矛盾纠纷数173起.
	DisputesFound = 173
	// DisputesResolved is 已化解矛盾纠纷156起.
	DisputesResolved = 156
	// DisputesReferred are the disputes handed to a court, arbitration or
	// another agency, and DisputesUnresolved those that mediation could
	// not end; the rest of the 173 are still being mediated.
	DisputesReferred   = 6
	DisputesUnresolved = 2
)

// disputeSeed sets the disputes' stream of choices apart from the loader's.
const disputeSeed = 35

// disputeShares divide the 173 disputes among the units that find them:
// the township stations above all, the herding sumu's grassland disputes
// among them, and the public order team.
var disputeShares = []share{
	{"wulan-station", "branch-wulan", 34, 0},
	{"qipanjing-station", "branch-qipanjing", 31, 0},
	{"mengxi-station", "branch-mengxi", 28, 0},
	{"mukennaoer-station", "branch-mukennaoer", 24, 0},
	{"aerbasi-station", "branch-aerbasi", 26, 0},
	{"sumitu-station", "branch-sumitu", 22, 0},
	{UnitOrder, "branch-" + UnitOrder, 8, 0},
}

// disputeKindWeights weigh the kinds of a pastoral banner's disputes: grassland
// and land first, then neighbours and families.
var disputeKindWeights = []struct {
	kind    string
	weight  int
	summary []string
}{
	{"land", 30, []string{"{village}两户牧民因草场网围栏边界发生争执", "{village}村民之间因承包草场界限不清引发纠纷", "{village}因草场流转合同到期后续租问题发生争议"}},
	{"neighbours", 20, []string{"{village}邻里因房前道路通行问题发生口角", "{town}小区楼上楼下因漏水引发邻里纠纷", "{village}两户因院墙排水问题多次争吵"}},
	{"family", 15, []string{"{village}一对夫妻因家庭琐事发生争吵，女方回娘家", "{town}老人赡养费分担问题引发兄弟纠纷", "{village}离婚后子女抚养费给付问题产生纠纷"}},
	{"livestock", 12, []string{"{village}牧户羊群进入邻家草场啃食引发纠纷", "{village}走失牛只被他人收留，双方就饲养费发生争执", "{village}车辆撞伤牲畜，双方就赔偿数额争执"}},
	{"debt", 10, []string{"{town}个体户之间因货款拖欠发生纠纷", "{village}村民之间民间借贷到期未还引发纠纷"}},
	{"labour", 8, []string{"{town}工地务工人员讨要拖欠工资", "{village}雇工放牧工资结算发生争议"}},
	{"other", 5, []string{"{town}消费者与商户因商品质量发生纠纷", "{town}出租车司机与乘客因车费发生争执"}},
}

// disputePart plans the disputes of January to October 2021: each found by
// a unit's staff on a working day, mediated in one to three steps, and —
// 156 of them — resolved, most at village level (小事不出村) and visited
// again; a few referred or not resolved, and the latest still open. Every
// write goes through the disputes' service on the loader's clock.
type disputePart struct{}

func (disputePart) Name() string { return "disputes" }

func (disputePart) Load(_ context.Context, l *Loader) error {
	// The disputes draw from a stream of their own, seeded as the loader's:
	// a part planned before them then does not move their figures (those
	// docs/API.md shows), and the parts after them draw as they did.
	shared := l.Rand
	l.Rand = rand.New(rand.NewPCG(seedHi, seedLo+disputeSeed))
	defer func() { l.Rand = shared }()
	svc := &dispute.Service{Store: l.Env.Store, Items: l.Archive, Settings: l.Env.Store}
	lp := &ledgerPlan{l: l, campaigns: &campaign.Service{Store: l.Env.Store, Now: l.Now}}
	lp.linked = map[string]bool{}
	var units []share
	for _, s := range disputeShares {
		for range s.n {
			units = append(units, s)
		}
	}
	if len(units) != DisputesFound {
		return fmt.Errorf("dispute shares add up to %d, want %d", len(units), DisputesFound)
	}
	units = shuffled(l, units)
	// The outcome of each dispute, in a shuffled order: the open ones are
	// the last found, so they are given the latest days below.
	open := DisputesFound - DisputesResolved - DisputesReferred - DisputesUnresolved
	ends := make([]dispute.Action, 0, DisputesFound)
	for _, x := range []struct {
		a dispute.Action
		n int
	}{{dispute.ActResolve, DisputesResolved}, {dispute.ActRefer, DisputesReferred}, {dispute.ActNotResolve, DisputesUnresolved}} {
		for range x.n {
			ends = append(ends, x.a)
		}
	}
	ends = shuffled(l, ends)
	for i, s := range units {
		var end dispute.Action
		found := l.WorkingDay(PeriodStart, date(10, 8))
		if i < open {
			found = l.WorkingDay(date(9, 20), PeriodEnd) // still being mediated at the period's end
		} else {
			end = ends[i-open]
		}
		lp.disputePlan(svc, s, found, end)
	}
	return lp.err
}

// disputeState is a planned dispute once written: its id and version (and
// the kind of the item it was found through), for the steps that follow it
// on the timeline.
type disputeState struct {
	id      int64
	version int
	// kind is the kind of the item it was found through, if any.
	kind string
}

// disputePlan plans one dispute of unit s found on day found, its
// mediation and its end (none: still open at the period's end).
func (lp *ledgerPlan) disputePlan(svc *dispute.Service, s share, found time.Time, end dispute.Action) {
	l := lp.l
	workers := lp.workers(s.unit)
	finder, decider := pick(l, workers), lp.decider(s.unit)
	town := lp.townOf(s.unit)
	village := pick(l, villages[town])
	// The weights add up to 100: a draw of 0–99 falls in one kind's range.
	kind := disputeKindWeights[len(disputeKindWeights)-1]
	for n, w, i := l.Rand.IntN(100), 0, 0; i < len(disputeKindWeights); i++ {
		if w += disputeKindWeights[i].weight; n < w {
			kind = disputeKindWeights[i]
			break
		}
	}
	risk := dispute.RiskLow
	switch r := l.Rand.IntN(20); {
	case r == 0:
		risk = dispute.RiskHigh
	case r < 6:
		risk = dispute.RiskMedium
	}
	source := []dispute.Source{dispute.SourceVisit, dispute.SourceVisit, dispute.SourceVisit, dispute.SourceReport,
		dispute.SourceReport, dispute.SourceMeeting}[l.Rand.IntN(6)]
	d := dispute.Dispute{FoundOn: found.Format(time.DateOnly), Kind: kind.kind, Township: town, Village: village, Risk: risk,
		Source: source, Unit: s.unit, Branch: s.branch,
		Summary: strings.NewReplacer("{town}", town, "{village}", village).Replace(pick(l, kind.summary)),
		Parties: []dispute.Party{lp.party(dispute.PartyApplicant), lp.party(dispute.PartyRespondent)}}
	st := &disputeState{}
	at := l.OfficeTime(found)
	l.At(at, func(ctx context.Context) error {
		// Found once the campaign had begun, it is one of the campaign's
		// (the campaign runs to the end of the year).
		if !found.Before(CampaignStart) {
			id, err := lp.campaignID(ctx)
			if err != nil {
				return err
			}
			d.Campaign = id
		}
		// Found on a visit or a report rather than at a meeting: when the
		// unit holds an item of the disputes' category on a matter of this
		// kind, received in the six weeks before, the dispute is that
		// item's, found through it.
		if source != dispute.SourceMeeting {
			it, err := lp.disputeItem(ctx, finder, s.unit, at)
			if err != nil {
				return err
			}
			if it.Number != "" {
				// The item's matter is the dispute: its kind and title.
				d.Source, d.Item, d.Summary, d.Kind = dispute.SourceItem, it.Number, it.Title, disputeItemKind(it)
				st.kind = d.Kind
				if it.Location.Township == town && it.Location.Village != "" {
					d.Village = it.Location.Village
				}
			}
		}
		got, err := svc.Create(ctx, lp.user(finder), d)
		if err != nil {
			return fmt.Errorf("dispute %s: %w", d.Summary, err)
		}
		st.id, st.version = got.ID, got.Version
		return nil
	})
	act := func(at time.Time, by string, cmd dispute.Command) {
		l.At(at, func(ctx context.Context) error {
			cmd.Day = archive.ChinaDay(at).Format(time.DateOnly)
			if cmd.Action == dispute.ActResolve && st.kind != "" && st.kind != kind.kind {
				// Found through an item of another kind than drawn: an
				// agreement of the item's kind, chosen without a draw.
				cmd.Agreement = agreements[st.kind][int(st.id)%len(agreements[st.kind])]
			}
			got, err := svc.Act(ctx, lp.user(by), st.id, &st.version, cmd)
			if err != nil {
				return fmt.Errorf("dispute %d %s: %w", st.id, cmd.Action, err)
			}
			st.version = got.Version
			return nil
		})
	}
	// One to three mediation steps, a few working days apart; the police
	// take part in each, the village committee or the people's mediation
	// committee in most, a lawyer now and then.
	steps := 1 + l.Rand.IntN(3)
	if end == "" {
		steps = 1 + l.Rand.IntN(2)
	}
	day := found
	for i := range steps {
		if i > 0 || l.Chance(0.5) {
			day = l.WorkingDay(day.AddDate(0, 0, 1), day.AddDate(0, 0, 6))
		}
		if day.After(PeriodEnd) || day.IsZero() {
			break
		}
		with := []dispute.Participant{dispute.WithPolice}
		if l.Chance(0.7) {
			with = append(with, dispute.WithVillage)
		}
		if l.Chance(0.5) {
			with = append(with, dispute.WithMediation)
		}
		if kind.kind == "debt" || kind.kind == "labour" || l.Chance(0.08) {
			with = append(with, dispute.WithLawyer)
		}
		at = later(l.OfficeTime(day), at.Add(time.Minute))
		act(at, pick(l, workers), dispute.Command{Action: dispute.ActMediate, With: with, Notes: pick(l, mediationNotes)})
	}
	if end == "" {
		return
	}
	endDay := l.WorkingDay(day.AddDate(0, 0, 1), earlier(day.AddDate(0, 0, 10), PeriodEnd))
	if endDay.IsZero() {
		endDay = day
	}
	at = later(l.OfficeTime(endDay), at.Add(time.Minute))
	switch end {
	case dispute.ActResolve:
		level := dispute.LevelVillage
		switch r := l.Rand.IntN(20); {
		case r < 2:
			level = dispute.LevelCounty
		case r < 5:
			level = dispute.LevelTownship
		}
		act(at, decider, dispute.Command{Action: dispute.ActResolve, Level: level, Agreement: pick(l, agreements[kind.kind])})
		// Most resolved disputes are visited again within a month.
		if l.Chance(0.85) {
			visit := l.WorkingDay(endDay.AddDate(0, 0, 7), endDay.AddDate(0, 0, 30))
			if !visit.IsZero() && !visit.After(PeriodEnd) {
				act(later(l.OfficeTime(visit), at.Add(time.Minute)), pick(l, workers),
					dispute.Command{Action: dispute.ActFollowUp, Result: pick(l, followUpResults)})
			}
		}
	case dispute.ActRefer:
		to := pick(l, []dispute.Referral{dispute.ToCourt, dispute.ToArbitration, dispute.ToAgency})
		whom := map[dispute.Referral]string{dispute.ToCourt: "鄂托克旗人民法院", dispute.ToArbitration: "鄂托克旗劳动人事争议仲裁委员会",
			dispute.ToAgency: "鄂托克旗农牧局"}[to]
		act(at, decider, dispute.Command{Action: dispute.ActRefer, To: to, Whom: whom, Reason: "双方分歧较大，引导通过法定途径解决"})
	case dispute.ActNotResolve:
		act(at, decider, dispute.Command{Action: dispute.ActNotResolve, Reason: "一方拒不接受调解，已告知其通过诉讼途径解决，持续关注"})
	}
}

// disputeItemKinds name the kind of dispute an item's title and text
// speak of, by words in them; the first that matches is the kind.
var disputeItemKinds = []struct {
	kind  string
	words []string
}{
	{"labour", []string{"工资", "工資", "欠薪", "拖欠"}},
	{"livestock", []string{"羊", "牛", "牲畜", "牲口"}},
	{"land", []string{"草场", "草場", "边界", "邊界", "围栏", "圍欄"}},
	{"family", []string{"夫妻", "赡养", "贍養", "离婚", "離婚"}},
	{"debt", []string{"欠款", "借款", "押金", "货款", "貨款"}},
	{"neighbours", []string{"邻居", "鄰居", "邻里", "鄰里", "楼上", "樓上"}},
}

// disputeItemKind is the kind of dispute item speaks of, "" when none.
func disputeItemKind(it archive.Item) string {
	for _, k := range disputeItemKinds {
		for _, w := range k.words {
			if strings.Contains(it.Title, w) || strings.Contains(it.Text, w) {
				return k.kind
			}
		}
	}
	return ""
}

// disputeItem is an item of unit's of the disputes' category on a kind of
// dispute (disputeItemKind), received in the 45 days before at and linked
// to no dispute yet, that finder may see; none (a zero Item) when there is
// none. It reads the archive only, so the demo's stream of choices is as
// it was.
func (lp *ledgerPlan) disputeItem(ctx context.Context, finder, unit string, at time.Time) (archive.Item, error) {
	from := at.AddDate(0, 0, -45)
	page, err := lp.l.Archive.List(ctx, lp.user(finder), archive.Filter{Unit: unit, Category: "dispute", From: &from, To: &at,
		Sort: "oldest", Filter: register.Filter{Limit: 50}})
	if err != nil {
		return archive.Item{}, fmt.Errorf("items of disputes: %w", err)
	}
	for _, it := range page.Items {
		if !lp.linked[it.Number] && disputeItemKind(it) != "" {
			lp.linked[it.Number] = true
			return it, nil
		}
	}
	return archive.Item{}, nil
}

// campaignID finds the demo campaign, created on the timeline before the
// first day of its ledgers, and remembers it.
func (lp *ledgerPlan) campaignID(ctx context.Context) (int64, error) {
	if lp.campaign != 0 {
		return lp.campaign, nil
	}
	page, err := lp.campaigns.List(ctx, lp.user("leader"), campaign.Filter{Filter: register.Filter{Query: CampaignName, Limit: 5}})
	if err != nil {
		return 0, err
	}
	for _, c := range page.Items {
		if c.Name == CampaignName {
			lp.campaign = c.ID
			return c.ID, nil
		}
	}
	return 0, fmt.Errorf("campaign %s not found", CampaignName)
}

// party is a made-up party: a surname and given name, and a mobile number
// of the made-up kind.
func (lp *ledgerPlan) party(role dispute.PartyRole) dispute.Party {
	l := lp.l
	return dispute.Party{Name: pick(l, surnames) + pick(l, givenNames), Role: role,
		Phone: "139" + strconv.Itoa(10000000+l.Rand.IntN(89999999))}
}

var givenNames = []string{"建国", "秀英", "巴图", "其其格", "德力格尔", "海军", "桂兰", "文明", "那仁", "玉梅", "志刚", "乌力吉"}

var mediationNotes = []string{
	"民警到场分别听取双方意见，讲解相关法律政策，双方情绪趋于平稳",
	"会同村（嘎查）委会召集双方面对面协商，初步达成调解意向",
	"联合人民调解委员会实地查看现场，核实争议事实",
	"组织双方及亲属再次协商，就主要分歧逐项沟通",
}

var agreements = map[string][]string{
	"land":       {"双方同意以原网围栏为界，各自管护，互不越界", "经实地丈量，双方按确权面积重新划定界线"},
	"neighbours": {"双方互相谅解，约定共同维护通行道路", "责任方负责维修并赔偿损失，双方握手言和"},
	"family":     {"双方达成和解，约定互相体谅、共同照顾家庭", "兄弟三人约定按月分担老人赡养费"},
	"livestock":  {"羊群主人赔偿草场损失，并加固网围栏", "双方协商确定赔偿数额，当场履行"},
	"debt":       {"债务人出具还款计划，分三期还清欠款", "双方确认欠款数额，约定年底前还清"},
	"labour":     {"雇主当场结清拖欠工资", "双方确认工资数额，约定十日内支付"},
	"other":      {"商户退还货款，双方无其他争议", "双方互相道歉，按计价器金额支付车费"},
}

var followUpResults = []string{
	"回访双方，协议已履行，关系恢复正常",
	"电话回访，双方对调解结果满意，未再发生纠纷",
	"入户回访，赔偿款已付清，双方无异议",
}
