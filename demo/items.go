package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
)

// slot is where and when one of the 60 opinions was collected.
type slot struct {
	channel  archive.Channel
	detail   string
	received time.Time
	entered  time.Time
	filer    string // "" when the citizen wrote in online
	town     string
	unit     string // preset by a QR code
}

// collection plans the 60 opinions collected through boxes, QR codes,
// questionnaires and forums, every one answered and closed out (回应解决).
func (p *plan) collection() {
	l := p.l
	var slots []slot

	// Paper slips are entered by the officer who empties the box.
	boxes := []struct{ unit, detail string }{
		{"wulan-station", "乌兰镇派出所户籍大厅意见收集箱"},
		{"qipanjing-station", "棋盘井派出所大厅意见收集箱"},
		{UnitApproval, "行政审批服务中心大厅意见收集箱"},
		{"mengxi-station", "蒙西镇派出所大厅意见收集箱"},
	}
	for i := range 16 {
		b := boxes[i%len(boxes)]
		received := l.OfficeTime(l.WorkingDay(PeriodStart, PeriodEnd))
		town := unitTownship(b.unit)
		if b.unit == UnitApproval {
			town = pick(l, townships)
		}
		slots = append(slots, slot{channel: archive.ChannelPaperBox, detail: b.detail, received: received,
			entered: l.WorkingAfter(received, l.Between(20*time.Minute, 3*time.Hour)), filer: p.staff(b.unit, org.RoleOfficer), town: town})
	}
	for range 12 {
		received := l.OfficeTime(l.WorkingDay(PeriodStart, PeriodEnd))
		slots = append(slots, slot{channel: archive.ChannelOnlineBox, detail: "“平安鄂托克”微信公众号意见箱",
			received: received, entered: received, town: pick(l, townships)})
	}
	for range 10 {
		received := l.OfficeTime(l.WorkingDay(PeriodStart, PeriodEnd))
		town := pick(l, townships)
		st := stationOf(town)
		slots = append(slots, slot{channel: archive.ChannelQRCode, detail: st.name + "办事大厅“我为群众办实事”二维码",
			received: received, entered: received, town: town, unit: st.code})
	}
	// Questionnaires come back in rounds and are typed in over the next days.
	rounds := []time.Time{date(4, 16), date(6, 25), date(9, 17)}
	for i := range 10 {
		r := i % len(rounds)
		day := l.OnOrAfterWorkingDay(rounds[r])
		received := day.Add(16 * time.Hour)
		slots = append(slots, slot{channel: archive.ChannelSurvey,
			detail:   fmt.Sprintf("“我为群众办实事”群众意见调查问卷（第%d轮）", r+1),
			received: received, entered: l.WorkingAfter(received, l.Between(time.Hour, 12*time.Hour)),
			filer: p.staff(UnitCommand, org.RoleOfficer), town: pick(l, townships)})
	}
	// Opinions raised at a forum are entered from its minutes that afternoon.
	forums := []struct {
		month      time.Month
		day        int
		town, name string
	}{
		{3, 18, "乌兰镇", "乌兰镇群众代表“意见座谈恳谈会”"},
		{4, 22, "棋盘井镇", "棋盘井镇企业职工和个体工商户座谈会"},
		{6, 10, "苏米图苏木", "苏米图苏木牧民群众恳谈会"},
		{8, 19, "蒙西镇", "蒙西镇社区居民意见座谈会"},
	}
	for _, f := range forums {
		day := l.OnOrAfterWorkingDay(date(f.month, f.day))
		st := stationOf(f.town)
		for k := range 3 {
			received := day.Add(9*time.Hour + 30*time.Minute + time.Duration(k*25)*time.Minute)
			slots = append(slots, slot{channel: archive.ChannelForum, detail: f.name, received: received,
				entered: day.Add(14*time.Hour + time.Duration(k*10)*time.Minute), filer: st.short + "-head", town: f.town})
		}
	}
	slices.SortStableFunc(slots, func(a, b slot) int { return a.received.Compare(b.received) })
	if len(slots) != CollectedOpinions {
		p.fail(fmt.Errorf("planned %d opinions, want %d", len(slots), CollectedOpinions))
		return
	}

	// A few answers come late and a few citizens are unsatisfied at first, so
	// the rates show what a real year looks like.
	order := shuffled(l, seq(len(slots)))
	late := order[:4]
	redo := order[4:7]
	box := shuffled(l, templatesFor(forBox))
	written := 0 // citizen-written slips, a third of them in traditional
	for i, sl := range slots {
		t := box[i%len(box)]
		trad := false
		if sl.channel != archive.ChannelForum {
			trad = written%3 == 1
			written++
		}
		anonymous := (sl.channel == archive.ChannelPaperBox || sl.channel == archive.ChannelOnlineBox) && l.Chance(0.2)
		sub, v := p.submission(t, sl.channel, sl.town, trad, anonymous, false, boxClosers)
		sub.ChannelDetail, sub.Unit = sl.detail, sl.unit
		s := p.newStory(sub, sl.filer, sl.received, sl.entered)
		f := flow{
			unit:   p.target(t, sl.town),
			start:  l.Chance(0.6),
			late:   slices.Contains(late, i),
			redo:   slices.Contains(redo, i) && !anonymous && t.kind != archive.KindPraise,
			visit:  !anonymous,
			sat:    satisfaction(l, 0.8),
			answer: render(t.answer, v),
		}
		if anonymous {
			f.closeNote = anonymousBoxNote
		}
		p.handle(s, f)
	}
}

// desk plans the 137 questions on the 24-hour police desk (“24小时警局”
// 问政), each answered publicly; most are visited back and closed.
func (p *plan) desk() {
	l := p.l
	received := make([]time.Time, DeskReplies)
	for i := range received {
		received[i] = l.OfficeTime(l.WorkingDay(PeriodStart, PeriodEnd))
	}
	slices.SortFunc(received, time.Time.Compare)
	// Cycling through the templates while every third item is traditional
	// gives each question in both scripts (the count is not a multiple of 3).
	desk := shuffled(l, templatesFor(forDesk))
	recent := date(10, 18)
	for i, r := range received {
		t := desk[i%len(desk)]
		anonymous := l.Chance(0.15)
		town := pick(l, townships)
		sub, v := p.submission(t, archive.ChannelOnlineDesk, town, i%3 == 1, anonymous, true, deskClosers)
		sub.ChannelDetail = "“24小时警局”网上问政"
		sub.Publish = true
		s := p.newStory(sub, "", r, r)
		f := flow{
			unit:   p.target(t, town),
			start:  l.Chance(0.3),
			late:   l.Chance(0.05),
			redo:   !anonymous && t.kind != archive.KindPraise && l.Chance(0.02),
			visit:  !anonymous,
			sat:    satisfaction(l, 0.85),
			answer: pick(l, replyOpeners) + render(t.answer, v),
		}
		switch {
		case !r.Before(recent) || l.Chance(0.07):
			// Recent answers still wait for their return visit.
			f.stopAt = archive.StatusAnswered
		case anonymous:
			f.closeNote = anonymousDeskNote
		}
		p.handle(s, f)
	}
}

// submission renders a template into what the citizen sent.
func (p *plan) submission(t tmpl, ch archive.Channel, town string, trad, anonymous, opener bool, closers []string) (archive.Submission, vars) {
	l := p.l
	v := vars{town: town, village: pick(l, villages[town]), who: pick(l, relatives)}
	text := render(t.text, v) + pick(l, closers)
	if opener {
		text = pick(l, deskOpeners) + text
	}
	title := t.title
	if trad {
		var err error
		if text, err = traditional(text); err != nil {
			p.fail(err)
		}
		if title, err = traditional(title); err != nil {
			p.fail(err)
		}
	}
	sub := archive.Submission{
		Kind: t.kind, Channel: ch, Category: t.cat, Title: title, Text: text,
		Location: archive.Location{Township: town},
	}
	if strings.Contains(t.text, "{village}") {
		sub.Location.Village = v.village
	}
	if anonymous {
		sub.Contact = archive.Contact{Anonymous: true}
	} else {
		sub.Contact = p.contact()
	}
	return sub, v
}

// contact makes up a citizen's contact: a family name with a courtesy title
// and a phone number from a block used only for the demo (1390000xxxx).
func (p *plan) contact() archive.Contact {
	l := p.l
	return archive.Contact{
		Name:  pick(l, surnames) + pick(l, honorific),
		Phone: fmt.Sprintf("1390000%04d", l.Rand.IntN(10000)),
	}
}

// target is the unit that handles an item written from town.
func (p *plan) target(t tmpl, town string) string {
	switch t.unit {
	case "":
		if c := p.cats[t.cat]; c != nil {
			return c.UnitCode
		}
		p.fail(fmt.Errorf("template %q: unknown category %q", t.title, t.cat))
		return ""
	case unitStation:
		return stationOf(town).code
	}
	return t.unit
}

// templatesFor returns the templates for one use, in source order.
func templatesFor(use int) []tmpl {
	var out []tmpl
	for _, t := range templates {
		if t.use&use != 0 {
			out = append(out, t)
		}
	}
	return out
}

// satisfaction is satisfied with probability p, otherwise basically satisfied.
func satisfaction(l *Loader, p float64) archive.Satisfaction {
	if l.Chance(p) {
		return archive.Satisfied
	}
	return archive.BasicSatisfied
}

// unitTownship returns the township a station covers, or 乌兰镇, the seat of
// the banner, for the bureau's other units.
func unitTownship(code string) string {
	for _, s := range stations {
		if s.code == code {
			return s.township
		}
	}
	return "乌兰镇"
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// date is midnight of a day of 2021, China time.
func date(month time.Month, day int) time.Time {
	return time.Date(2021, month, day, 0, 0, 0, 0, calendar.Zone)
}
