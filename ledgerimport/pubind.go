package ledgerimport

import (
	"context"
	"strconv"
	"strings"
	"time"

	"minyi/calendar"
	"minyi/eventlog"
	"minyi/indicator"
	"minyi/org"
	"minyi/pubchannel"
	"minyi/publicity"
)

// The publicity ledger (宣传报道台账) and the period indicators' monthly
// values (工作指标), read as the other ledgers are: a channel and an
// indicator by code or Chinese name, a month as 2021-01, 2021年1月 or any
// day of it.

// pubindSpecs are the two ledgers' sheets, added to specs.
func pubindSpecs() map[Ledger]*spec {
	return map[Ledger]*spec{
		Publicity: {ledger: Publicity, sheet: "宣传报道台账", title: "宣传报道", columns: []Column{
			{"发布日期", "date", true, dayNote, dayNoteEn, "2021-09-13"},
			// The channels' note and example list the bureau's (Template).
			{"发布渠道", "channel", true, "渠道代码或中文名", "the channel's code or Chinese name", "微信公众号"},
			{"发布媒体", "outlet", true, "刊发的媒体或账号", "the medium or account that carried it", "平安鄂托克"},
			{"标题", "title", true, "不超过200字", "at most 200 characters", "民警帮助牧民追回被盗牛羊"},
			{"链接", "link", false, "以http://或https://开头的网址；报纸、广播可不填", "an http or https address; none for print or broadcast", "https://mp.weixin.qq.com/s/abc"},
			{"单位", "unit", true, unitNote, unitNoteEn, "城关派出所"},
			{"党支部", "branch", false, "党支部代码或名称", "the party branch's code or name", ""},
			{"活动", "campaign", false, campNote, campNoteEn, "我为群众办实事"},
			{"报道的实事", "matters", false, "实事编号（数字）；" + listNote, "matter ids; " + listNoteEn, ""},
			{"备注", "note", false, "", "a note", ""},
		}, run: runWith(buildPiece, func(s *Service) func(context.Context, org.User, []publicity.Piece, []eventlog.Event, bool) ([]publicity.Piece, []error, error) {
			return s.Publicity.CreateMany
		})},
		Indicators: {ledger: Indicators, sheet: "工作指标", title: "工作指标", columns: []Column{
			{"单位", "unit", true, unitNote, unitNoteEn, "城关派出所"},
			// The indicators' note and example list the bureau's (Template).
			{"指标", "indicator", true, "指标代码或名称", "the indicator's code or name", "破获刑事案件"},
			{"月份", "month", true, "如2021-01或2021年1月（也可填该月任一日期）", "e.g. 2021-01 or 2021年1月 (any day of the month is fine)", "2021-01"},
			{"数值", "value", true, "该月的数值，整数；已有数值的月份将被更正（原值保留在历史中）", "the month's value, a whole number; a month that has one is corrected (the old value stays in its history)", "27"},
			{"备注", "note", false, "更正时请说明原因", "when correcting, say why", ""},
		}, run: runEntries},
	}
}

func buildPiece(r *row) publicity.Piece {
	unit := r.unit("unit")
	pc := publicity.Piece{Date: r.day("date"), Channel: publicity.Channel(r.channel("channel")), Outlet: r.text("outlet"),
		Title: r.text("title"), Link: r.text("link"), Unit: unit, Branch: r.branch("branch", unit),
		Campaign: r.campaign("campaign"), Note: r.text("note"), Matters: []int64{}}
	for _, s := range r.list("matters") {
		id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
		if err != nil {
			r.fail("matters", "实事编号须为数字："+s, "matter ids are numbers: "+s)
			continue
		}
		pc.Matters = append(pc.Matters, id)
	}
	return pc
}

// runEntries reads the rows into entries, names the rows that repeat an
// earlier row's indicator, unit and month (a file gives a month one value),
// and enters them through the indicators' Service.
func runEntries(ctx context.Context, s *Service, u org.User, rows []*row, also []eventlog.Event, dryRun func() bool) ([]any, []error, error) {
	seen := map[string]int{}
	build := func(r *row) indicator.Entry {
		e := buildEntry(r)
		if len(r.errors) > 0 {
			return e
		}
		key := e.Indicator + "/" + e.Unit + "/" + e.Month
		if n, ok := seen[key]; ok {
			r.fail("month", "与第"+strconv.Itoa(n)+"行的指标、单位和月份相同：每月只能有一个数值",
				"the same indicator, unit and month as row "+strconv.Itoa(n)+": one value a month")
		} else {
			seen[key] = r.n
		}
		return e
	}
	return runWith(build, func(s *Service) func(context.Context, org.User, []indicator.Entry, []eventlog.Event, bool) ([]indicator.Entry, []error, error) {
		return s.Indicators.EnterMany
	})(ctx, s, u, rows, also, dryRun)
}

func buildEntry(r *row) indicator.Entry {
	e := indicator.Entry{Unit: r.unit("unit"), Indicator: r.indicator("indicator"), Month: r.month("month"), Note: r.text("note")}
	// A value not read is passed on as -1, which the service refuses too,
	// so that the row is refused whatever else it holds.
	s := strings.TrimSpace(r.cells["value"])
	if s == "" {
		r.fail("value", "请填写数值", "value is required")
		e.Value = -1
		return e
	}
	if n, ok := parseInt(s); ok {
		e.Value = n
	} else {
		r.fail("value", "须为整数："+s, "must be a whole number: "+s)
		e.Value = -1
	}
	return e
}

// channel reads a publicity channel by code, Chinese or English name; one
// the bureau does not list is the register's to refuse, as it refuses one
// by the API.
func (r *row) channel(field string) string {
	s := strings.TrimSpace(r.cells[field])
	if c, ok := pubchannel.Find(r.refs.channels, s); ok {
		return c.Code
	}
	if s != "" && !pubchannel.ValidCode(s) {
		r.fail(field, "发布渠道不存在："+s+"（填写渠道代码或中文名）", "no such channel: "+s+" (write its code or Chinese name)")
	}
	return s
}

// indicator reads an indicator by code, Chinese or English name.
func (r *row) indicator(field string) string {
	s := strings.TrimSpace(r.cells[field])
	if s == "" {
		return ""
	}
	for _, d := range r.refs.indicators {
		if d.Code == s || same(d.Name, s) || strings.EqualFold(d.NameEn, s) {
			return d.Code
		}
	}
	r.fail(field, "指标不存在："+s+"（填写指标代码或名称）", "no such indicator: "+s+" (write its code or name)")
	return ""
}

// month reads a month written as 2021-01, 2021-1, 2021/01, 2021年1月, or as
// any day of it (an Excel date cell too).
func (r *row) month(field string) string {
	s := strings.TrimSpace(r.cells[field])
	if s == "" {
		return ""
	}
	t := strings.TrimSuffix(strings.NewReplacer("年", "-", "/", "-", ".", "-").Replace(s), "月")
	if m, err := time.ParseInLocation("2006-1", t, calendar.Zone); err == nil {
		return m.Format("2006-01")
	}
	if d, ok := parseDay(s); ok {
		return d[:7]
	}
	r.fail(field, "月份格式不正确（应为YYYY-MM，如2021-01）："+s, "not a month (YYYY-MM, e.g. 2021-01): "+s)
	return ""
}

// channelsColumn is the channel's column with the bureau's channels in its
// notes, as code（中文）.
func channelsColumn(c Column, cs []pubchannel.Channel) Column {
	zh, en := make([]string, len(cs)), make([]string, len(cs))
	for i, x := range cs {
		zh[i], en[i] = x.Code+"（"+x.Zh+"）", x.Code+" ("+x.En+")"
	}
	c.Note += "：" + strings.Join(zh, "、")
	c.NoteEn += ": " + strings.Join(en, ", ")
	return c
}

// indicatorsColumn is the indicator's column with the indicators that take
// entries now in its notes.
func indicatorsColumn(c Column, ds []indicator.Definition) Column {
	var zh, en []string
	for _, d := range ds {
		if d.Active {
			zh, en = append(zh, d.Code+"（"+d.Name+"）"), append(en, d.Code+" ("+d.NameEn+")")
		}
	}
	c.Note += "：" + strings.Join(zh, "、")
	c.NoteEn += ": " + strings.Join(en, ", ")
	return c
}

// channels are the publicity channels the bureau lists now.
func (s *Service) channels(ctx context.Context) ([]pubchannel.Channel, error) {
	if s.Publicity == nil {
		return pubchannel.Defaults, nil
	}
	return s.Publicity.Channels(ctx)
}

// indicators are the indicators defined, to name by code or name.
func (s *Service) indicators(ctx context.Context, u org.User) ([]indicator.Definition, error) {
	if s.Indicators == nil {
		return nil, nil
	}
	return s.Indicators.Definitions(ctx, u)
}
