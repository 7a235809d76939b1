package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"minyi/calendar"
	"minyi/campaign"
	"minyi/indicator"
	"minyi/matter"
	"minyi/org"
	"minyi/publicity"
	"minyi/register"
)

// The seed's publicity and its period indicators, January–October 2021:
// “各级主流媒体上稿156篇、平安鄂托克、鄂托克公安微信公众号报道370篇，制作短视频
// 20个” and “共计破获刑事案件293起，查处行政案件854起”. Each is a count of
// records: pieces of the publicity ledger, and monthly entries of the two
// indicators per unit whose sum is the figure.
const (
	// MainstreamPieces is 各级主流媒体上稿156篇.
	MainstreamPieces = 156
	// WeChatPieces is 微信公众号报道370篇, on 平安鄂托克 and 鄂托克公安.
	WeChatPieces = 370
	// ShortVideos is 制作短视频20个.
	ShortVideos = 20
	// CriminalCasesSolved is 破获刑事案件293起.
	CriminalCasesSolved = 293
	// AdministrativeCases is 查处行政案件854起.
	AdministrativeCases = 854
)

// CorrectedEntry names the one month whose value was entered wrong and
// corrected by a later entry (the cell's history shows both): the Wulan
// station's criminal cases solved in May.
var CorrectedEntry = struct{ Indicator, Unit, Month string }{"criminal_cases_solved", "wulan-station", "2021-05"}

// publicityPart plans the publicity pieces and the indicators' monthly
// entries onto the loader's timeline. It draws from an RNG of its own, so
// that the parts before it make the choices they always made.
type publicityPart struct{}

func (publicityPart) Name() string { return "publicity and indicators" }

func (publicityPart) Load(_ context.Context, l *Loader) error {
	pp := &publicityPlan{l: l, rng: rand.New(rand.NewPCG(seedHi, seedLo+13)),
		pieces:     &publicity.Service{Store: l.Env.Store, Settings: l.Env.Store, Now: l.Now},
		indicators: &indicator.Service{Store: l.Env.Store, Now: l.Now},
		matters:    &matter.Service{Store: l.Env.Store, Items: l.Archive},
		campaigns:  &campaign.Service{Store: l.Env.Store, Now: l.Now}}
	pp.piecePlans()
	pp.entryPlans()
	return pp.err
}

type publicityPlan struct {
	l          *Loader
	rng        *rand.Rand
	pieces     *publicity.Service
	indicators *indicator.Service
	matters    *matter.Service
	campaigns  *campaign.Service
	// campaign is the demo campaign's id, looked up at its first use.
	campaign int64
	err      error
}

func (pp *publicityPlan) fail(err error) {
	if pp.err == nil {
		pp.err = err
	}
}

// filer is the account that records a unit's piece or value: its head, an
// officer or an auxiliary, the leader for the bureau itself.
func (pp *publicityPlan) filer(unit string) org.User {
	name := "leader"
	if u, ok := pp.l.Staff(unit, org.RoleUnitHead, org.RoleOfficer, org.RoleAuxiliary); ok && unit != UnitBureau {
		name = u.Name
	}
	u, err := pp.l.User(name)
	if err != nil {
		pp.fail(err)
	}
	return u
}

// at is a time of day between from and to o'clock on day, by the part's
// RNG.
func (pp *publicityPlan) at(day time.Time, from, to int) time.Time {
	return midnight(day).Add(time.Duration(from)*time.Hour + time.Duration(pp.rng.IntN((to-from)*60))*time.Minute)
}

// campaignID finds the demo campaign, created on the timeline before any
// piece that names it.
func (pp *publicityPlan) campaignID(ctx context.Context) (int64, error) {
	if pp.campaign != 0 {
		return pp.campaign, nil
	}
	leader, err := pp.l.User("leader")
	if err != nil {
		return 0, err
	}
	page, err := pp.campaigns.List(ctx, leader, campaign.Filter{Filter: register.Filter{Query: CampaignName, Limit: 5}})
	if err != nil {
		return 0, err
	}
	for _, c := range page.Items {
		if c.Name == CampaignName {
			pp.campaign = c.ID
			return c.ID, nil
		}
	}
	return 0, fmt.Errorf("campaign %s not found", CampaignName)
}

// ---- pieces ----

// theme is what a piece is about, as its title says it after the unit's
// name; campaign: a piece of the campaign (from its first day).
type theme struct {
	text     string
	campaign bool
}

var themes = []theme{
	{"开展反电信网络诈骗宣传进社区活动", false},
	{"深入嘎查牧户走访排查矛盾纠纷", true},
	{"为行动不便老人上门办理居民身份证", true},
	{"扎实开展“我为群众办实事”实践活动", true},
	{"开展党史学习教育专题党课", true},
	{"民辅警“带党徽、亮身份、树形象”进社区志愿服务", true},
	{"开展校园安全宣传和护学岗执勤", false},
	{"开展禁毒宣传进校园活动", false},
	{"节假日错时延时服务方便群众办事", true},
	{"破获一起盗窃案为群众挽回损失", false},
	{"开展夏季治安打击整治行动", false},
	{"走访慰问困难群众和老党员", true},
	{"开展道路交通安全宣传进企业", false},
	{"调解一起草场边界纠纷", true},
	{"开展“百万警进千万家”入户走访", true},
	{"举办“警营开放日”活动", false},
	{"开展防范养老诈骗宣传", false},
	{"牧区流动服务车送证上门", true},
}

// stories are the pieces on the seed's four stories, each a few days after
// its matter was done, reporting that matter.
var pieceStories = []struct {
	matter, unit string
	days         []int // days after the matter was done, one piece each
	channels     []publicity.Channel
	outlets      []string
	title        string
	done         time.Time
}{
	{"侦破“鄂托克旗系列牲畜盗窃案”并返还被盗牲畜", UnitCriminal, []int{0, 2}, []publicity.Channel{publicity.ChannelWeChat, publicity.ChannelMainstream},
		[]string{"平安鄂托克", "鄂尔多斯日报"}, "鄂托克旗公安局召开系列牲畜盗窃案退赃大会，5头牛、53只羊物归原主", date(9, 13)},
	{"为乌兰镇中学孤儿学生申请助学金", "wulan-station", []int{1}, []publicity.Channel{publicity.ChannelWeChat},
		[]string{"鄂托克公安"}, "乌兰镇派出所民警为孤儿学生申请助学金", date(9, 10)},
	{"组织全体民辅警帮助缺少劳力的居民抢收玉米", "mengxi-station", []int{1, 2}, []publicity.Channel{publicity.ChannelWeChat, publicity.ChannelShortVideo},
		[]string{"平安鄂托克", "鄂托克公安"}, "蒙西镇派出所民辅警帮助缺少劳力的群众抢收玉米", date(10, 22)},
	{"帮助与家人失散三十年的八旬老人寻亲团聚", "wulan-station", []int{2, 4}, []publicity.Channel{publicity.ChannelWeChat, publicity.ChannelMainstream},
		[]string{"平安鄂托克", "鄂尔多斯电视台"}, "失散三十年，八旬老人在民警帮助下与家人团聚", date(10, 23)},
}

var mainstreamOutlets = []string{"鄂尔多斯日报", "内蒙古日报", "鄂尔多斯电视台", "鄂托克旗融媒体中心", "内蒙古法制报", "北方新报", "人民公安报", "学习强国鄂尔多斯学习平台"}

// pieceUnits are the units pieces are attributed to, the political office
// (which runs the bureau's publicity) most often.
var pieceUnits = []string{UnitPolitical, UnitPolitical, UnitPolitical, "wulan-station", "qipanjing-station", "mengxi-station",
	"mukennaoer-station", "aerbasi-station", "sumitu-station", UnitCriminal, UnitOrder, UnitTraffic, UnitNarcotics, UnitApproval, UnitCommand}

// unitName is a unit's name as a title says it.
func unitName(code string) string {
	for _, s := range stations {
		if s.code == code {
			return s.name
		}
	}
	for _, u := range otherUnits {
		if u.Code == code {
			return strings.TrimSuffix(u.Name, "（警务督察）")
		}
	}
	return "鄂托克旗公安局"
}

// piecePlans plans the pieces of each channel spread over January–October,
// the story pieces among them.
func (pp *publicityPlan) piecePlans() {
	counts := map[publicity.Channel]int{publicity.ChannelMainstream: MainstreamPieces, publicity.ChannelWeChat: WeChatPieces,
		publicity.ChannelShortVideo: ShortVideos}
	for _, s := range pieceStories {
		for i, d := range s.days {
			counts[s.channels[i]]--
			pp.piece(s.unit, s.channels[i], s.outlets[i], s.title, s.done.AddDate(0, 0, d), s.matter)
		}
	}
	first, last := date(1, 4), date(10, 29)
	span := last.Sub(first).Hours() / 24
	for _, c := range []publicity.Channel{publicity.ChannelMainstream, publicity.ChannelWeChat, publicity.ChannelShortVideo} {
		n := counts[c]
		for i := range n {
			day := first.AddDate(0, 0, int((float64(i)+pp.rng.Float64())*span/float64(n)))
			unit := pieceUnits[pp.rng.IntN(len(pieceUnits))]
			th := themes[pp.rng.IntN(len(themes))]
			var outlet string
			switch c {
			case publicity.ChannelMainstream:
				outlet = mainstreamOutlets[pp.rng.IntN(len(mainstreamOutlets))]
			case publicity.ChannelWeChat:
				outlet = []string{"平安鄂托克", "鄂托克公安"}[i%2]
			default:
				outlet = "鄂托克公安"
			}
			title := unitName(unit) + th.text
			if c == publicity.ChannelShortVideo {
				title = "【短视频】" + title
			}
			pc := pp.piece(unit, c, outlet, title, day, "")
			pc.campaign = th.campaign && !day.Before(CampaignStart)
		}
	}
}

// plannedPiece is a piece planned; campaign: it belongs to the campaign.
type plannedPiece struct {
	campaign bool
}

// piece plans one piece published on day, reporting the matter titled
// matterTitle of unit if any.
func (pp *publicityPlan) piece(unit string, c publicity.Channel, outlet, title string, day time.Time, matterTitle string) *plannedPiece {
	planned := &plannedPiece{}
	by := pp.filer(unit)
	pc := publicity.Piece{Channel: c, Outlet: outlet, Title: title, Unit: unit, Branch: branchOf(unit)}
	if c == publicity.ChannelWeChat {
		pc.Link = "https://mp.weixin.qq.com/s/" + token(pp.rng, 22)
	}
	pp.l.At(pp.at(day, 9, 21), func(ctx context.Context) error {
		pc.Date = pp.l.Now().In(calendar.Zone).Format(time.DateOnly)
		if planned.campaign || matterTitle != "" {
			id, err := pp.campaignID(ctx)
			if err != nil {
				return err
			}
			pc.Campaign = id
		}
		if matterTitle != "" {
			leader, err := pp.l.User("leader")
			if err != nil {
				return err
			}
			page, err := pp.matters.List(ctx, leader, matter.Filter{Filter: register.Filter{Query: matterTitle, Limit: 5}, Unit: unit})
			if err != nil {
				return err
			}
			for _, m := range page.Items {
				if m.Title == matterTitle {
					pc.Matters = []int64{m.ID}
				}
			}
			if len(pc.Matters) == 0 {
				return fmt.Errorf("piece %s: matter %s not found", title, matterTitle)
			}
		}
		if _, err := pp.pieces.Create(ctx, by, pc); err != nil {
			return fmt.Errorf("piece %s: %w", title, err)
		}
		return nil
	})
	return planned
}

const tokenChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

func token(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = tokenChars[rng.IntN(len(tokenChars))]
	}
	return string(b)
}

// ---- indicators ----

// weight is a unit's share of an indicator's figure.
type weight struct {
	unit string
	w    float64
}

// indicatorShares divide the two figures: criminal cases mostly by the
// criminal investigation team and the big towns' stations, administrative
// cases by the public order team and the stations.
var indicatorShares = []struct {
	code  string
	total int64
	units []weight
}{
	{"criminal_cases_solved", CriminalCasesSolved, []weight{{UnitCriminal, 38}, {UnitNarcotics, 8}, {"wulan-station", 14},
		{"qipanjing-station", 16}, {"mengxi-station", 7}, {"mukennaoer-station", 5}, {"aerbasi-station", 6}, {"sumitu-station", 6}}},
	{"administrative_cases", AdministrativeCases, []weight{{UnitOrder, 16}, {UnitTraffic, 10}, {UnitNarcotics, 6}, {"wulan-station", 20},
		{"qipanjing-station", 22}, {"mengxi-station", 8}, {"mukennaoer-station", 6}, {"aerbasi-station", 6}, {"sumitu-station", 6}}},
}

// split divides total by weights, in whole numbers that add up to it
// (largest remainder).
func split(total int64, weights []float64) []int64 {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	out := make([]int64, len(weights))
	rem := make([]float64, len(weights))
	left := total
	for i, w := range weights {
		exact := float64(total) * w / sum
		out[i] = int64(exact)
		rem[i] = exact - float64(out[i])
		left -= out[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// entryPlans plans each unit's value of each month, entered in the first
// days of the next month by the unit; the one corrected month is entered
// one too high and corrected two working days later.
func (pp *publicityPlan) entryPlans() {
	for _, ind := range indicatorShares {
		ws := make([]float64, len(ind.units))
		for i, u := range ind.units {
			ws[i] = u.w
		}
		for i, perUnit := range split(ind.total, ws) {
			unit := ind.units[i].unit
			months := make([]float64, 10)
			for m := range months {
				months[m] = 0.7 + 0.6*pp.rng.Float64()
			}
			for m, v := range split(perUnit, months) {
				month := time.Month(m + 1)
				key := fmt.Sprintf("2021-%02d", m+1)
				days := pp.l.WorkingDays(date(month+1, 1), date(month+1, 8))
				if month == time.October {
					days = pp.l.WorkingDays(date(11, 1), date(11, 1))
				}
				day := days[pp.rng.IntN(len(days))]
				by := pp.filer(unit)
				e := indicator.Entry{Indicator: ind.code, Unit: unit, Month: key, Value: v}
				corrected := ind.code == CorrectedEntry.Indicator && unit == CorrectedEntry.Unit && key == CorrectedEntry.Month
				if corrected {
					wrong := e
					wrong.Value = v + 1
					pp.enter(by, wrong, pp.at(day, 9, 11))
					e.Note = "核对后更正：一起案件重复统计"
					day = pp.l.WorkingDays(day.AddDate(0, 0, 1), day.AddDate(0, 0, 10))[1]
				}
				pp.enter(by, e, pp.at(day, 9, 17))
			}
		}
	}
}

func (pp *publicityPlan) enter(by org.User, e indicator.Entry, at time.Time) {
	pp.l.At(at, func(ctx context.Context) error {
		if _, err := pp.indicators.Enter(ctx, by, e); err != nil {
			return fmt.Errorf("indicator %s %s %s: %w", e.Indicator, e.Unit, e.Month, err)
		}
		return nil
	})
}
