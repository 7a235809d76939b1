package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"minyi/onestop"
	"minyi/org"
)

// The seed's one-stop figures, January–October 2021: the newborn
// registration that the government service centre collects once and hands
// to the bureau's approval centre (一件事一次办), “帮办、代办新生儿落户20余人”,
// and easier ID services for the elderly. They are cases of the services,
// moved through both agencies by their own users.
const (
	// NewbornProxyDone is 帮办、代办新生儿落户20余人: newborn registrations
	// completed through both agencies and handled for the family by an
	// officer of the approval centre.
	NewbornProxyDone = 23
	// NewbornOtherDone are the newborn registrations the families handled
	// themselves.
	NewbornOtherDone = 11
	// NewbornCancelled is the registration withdrawn by the family.
	NewbornCancelled = 1
	// IDCardGreen are the ID card re-issues for elderly applicants through
	// the green channel: IDCardHomeVisits of them by a home visit, handled by
	// the station's officer for the applicant, the rest with priority.
	IDCardGreen      = 4
	IDCardHomeVisits = 3
	// IDCardOther are the ID card re-issues without the green channel.
	IDCardOther = 2
)

// The demo's one-stop services.
const (
	ServiceNewborn = "newborn"
	ServiceIDCard  = "id-card-reissue"
)

// newbornMaterials are what the government service centre collects once.
var newbornMaterials = []string{"出生医学证明", "父母户口簿", "父母身份证", "结婚证"}

// onestopPart defines the one-stop services on the first day of the period
// and plans their cases onto the loader's timeline: each is opened, handed
// on and completed by the users of the units that own its steps.
type onestopPart struct{}

func (onestopPart) Name() string { return "onestop" }

func (onestopPart) Load(_ context.Context, l *Loader) error {
	p := &onestopPlan{l: l, svc: &onestop.Service{Store: l.Env.Store, Items: l.Archive}, ids: map[string]int64{}}
	for _, name := range []string{"admin", "partner", "approval-officer", "mengxi-officer"} {
		u, err := l.User(name)
		if err != nil {
			return err
		}
		p.users = append(p.users, u)
	}
	start := PeriodStart.Add(l.Calendar().Hours().Start)
	l.At(start, p.define)
	p.newborns()
	p.idCards()
	return nil
}

type onestopPlan struct {
	l     *Loader
	svc   *onestop.Service
	users []org.User // admin, partner, approval-officer, mengxi-officer
	ids   map[string]int64
}

func (p *onestopPlan) admin() org.User    { return p.users[0] }
func (p *onestopPlan) clerk() org.User    { return p.users[1] }
func (p *onestopPlan) approver() org.User { return p.users[2] }
func (p *onestopPlan) station() org.User  { return p.users[3] }

// define has the admin define the two services.
func (p *onestopPlan) define(ctx context.Context) error {
	for _, d := range []onestop.Definition{
		{Code: ServiceNewborn, Name: "新生儿落户", Active: true,
			Description: "出生一件事：政务服务中心一次收齐材料，经蒙速办平台移交公安局行政审批服务中心审批登记",
			Steps: []onestop.Step{
				{Name: "收件", Unit: UnitPartner, Materials: newbornMaterials, LimitDays: 1},
				{Name: "审批登记", Unit: UnitApproval, LimitDays: 3}}},
		{Code: ServiceIDCard, Name: "身份证补领（老年人）", Active: true,
			Description: "行动不便的老年人由派出所上门受理、采集人像，行政审批服务中心制证发证",
			Steps: []onestop.Step{
				{Name: "受理采集", Unit: "mengxi-station", Materials: []string{"户口簿"}, LimitDays: 2},
				{Name: "制证发证", Unit: UnitApproval, LimitDays: 10}}},
	} {
		got, err := p.svc.CreateDefinition(ctx, p.admin(), d)
		if err != nil {
			return fmt.Errorf("service %s: %w", d.Code, err)
		}
		p.ids[d.Code] = got.ID
	}
	return nil
}

// days picks n distinct working days of the period, in order, the last ones
// leaving a week to complete a case before the period ends.
func (p *onestopPlan) days(n int) []time.Time {
	all := p.l.WorkingDays(PeriodStart.AddDate(0, 0, 1), PeriodEnd.AddDate(0, 0, -7))
	picked := map[int]bool{}
	for len(picked) < n {
		picked[p.l.Rand.IntN(len(all))] = true
	}
	var out []time.Time
	for i := range all {
		if picked[i] {
			out = append(out, all[i])
		}
	}
	return out
}

// newborns plans the newborn registrations: the service centre opens each
// with every material collected and hands it on within the hour or two; the
// approval centre registers it within its three working days, or one was
// withdrawn by the family.
func (p *onestopPlan) newborns() {
	n := NewbornProxyDone + NewbornOtherDone + NewbornCancelled
	days := p.days(n)
	proxied := p.l.Rand.Perm(n)[:NewbornProxyDone]
	cancelled := -1
	for i := range n {
		if !slices.Contains(proxied, i) {
			cancelled = i // the last one not handled for the family
		}
	}
	for i, day := range days {
		opened := p.l.OfficeTime(day)
		handed := p.l.WorkingAfter(opened, p.l.Between(10*time.Minute, 2*time.Hour))
		done := p.l.WorkingAfter(handed, p.l.Between(time.Hour, 14*time.Hour))
		c := p.applicant()
		o := onestop.Opening{Applicant: c, Received: newbornMaterials}
		if slices.Contains(proxied, i) {
			o.Proxy = p.approver().Name
		}
		kase := new(onestop.Case)
		p.l.At(opened, func(ctx context.Context) error {
			o.Service = p.ids[ServiceNewborn]
			got, err := p.svc.Open(ctx, p.clerk(), o)
			*kase = got
			return err
		})
		p.l.At(handed, func(ctx context.Context) error {
			return p.act(ctx, p.clerk(), kase, onestop.Command{Action: onestop.ActAdvance})
		})
		if i == cancelled {
			p.l.At(done, func(ctx context.Context) error {
				return p.act(ctx, p.approver(), kase, onestop.Command{Action: onestop.ActCancel, Reason: "家长申请撤回，改日补齐后再办"})
			})
			continue
		}
		p.l.At(done, func(ctx context.Context) error {
			return p.act(ctx, p.approver(), kase, onestop.Command{Action: onestop.ActComplete})
		})
	}
}

// idCards plans the ID card re-issues for elderly applicants: the station
// opens each (a home visit for those who cannot come, handled by its
// officer for them), the approval centre makes and issues the card.
func (p *onestopPlan) idCards() {
	n := IDCardGreen + IDCardOther
	days := p.days(n)
	for i, day := range days {
		opened := p.l.OfficeTime(day)
		handed := p.l.WorkingAfter(opened, p.l.Between(30*time.Minute, 3*time.Hour))
		done := p.l.WorkingAfter(handed, p.l.Between(8*time.Hour, 40*time.Hour))
		o := onestop.Opening{Applicant: p.applicant(), Received: []string{"户口簿"}}
		switch {
		case i < IDCardHomeVisits:
			o.Green, o.Proxy = onestop.GreenHomeVisit, p.station().Name
		case i < IDCardGreen:
			o.Green = onestop.GreenPriority
		}
		kase := new(onestop.Case)
		p.l.At(opened, func(ctx context.Context) error {
			o.Service = p.ids[ServiceIDCard]
			got, err := p.svc.Open(ctx, p.station(), o)
			*kase = got
			return err
		})
		p.l.At(handed, func(ctx context.Context) error {
			return p.act(ctx, p.station(), kase, onestop.Command{Action: onestop.ActAdvance})
		})
		p.l.At(done, func(ctx context.Context) error {
			return p.act(ctx, p.approver(), kase, onestop.Command{Action: onestop.ActComplete})
		})
	}
}

// act takes cmd on the case as u, against the version last seen.
func (p *onestopPlan) act(ctx context.Context, u org.User, kase *onestop.Case, cmd onestop.Command) error {
	v := kase.Version
	got, err := p.svc.Act(ctx, u, kase.ID, &v, cmd)
	if err != nil {
		return fmt.Errorf("case %d %s: %w", kase.ID, cmd.Action, err)
	}
	*kase = got
	return nil
}

// applicant makes up an applicant as the items' contacts are made up: a
// family name with a courtesy title and a phone from the demo's block.
func (p *onestopPlan) applicant() onestop.Applicant {
	return onestop.Applicant{Name: pick(p.l, surnames) + pick(p.l, honorific), Phone: fmt.Sprintf("1390000%04d", p.l.Rand.IntN(10000))}
}
