package report

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/indicator"
	"minyi/locale"
	"minyi/matter"
	"minyi/onestop"
	"minyi/org"
	"minyi/publicity"
	"minyi/register"
	"minyi/reporting"
)

// StoriesPerConcern is how many outcome stories a concern tells at most.
const StoriesPerConcern = 2

// Units lists the bureau's units (org.Service).
type Units interface {
	Units(ctx context.Context) ([]org.Unit, error)
}

// Service writes reports. Its figures come from the services every other
// figure comes from, so a report says what /staff/figures and the
// dashboard say.
type Service struct {
	Reports    *reporting.Service
	Campaigns  *campaign.Service
	Matters    *matter.Service
	OneStop    *onestop.Service
	Publicity  *publicity.Service
	Indicators *indicator.Service
	Org        Units
	// Items counts the online desk's replies (its answered questions
	// received in the period); nil: none.
	Items *archive.Service
	// Templates keeps the admins' templates; nil: the default only.
	Templates TemplateStore
	// Agency is the bureau's name, the scope of a report of all units.
	Agency string
	// Now is the clock that picks this year by default.
	Now func() time.Time
}

// errOtherUnit refuses another unit's report, naming the field as the
// ledger summary does.
var errOtherUnit = &minyi.Error{Code: minyi.EForbidden, Message: "只能查看本单位的数据 / you may only see your own unit's figures",
	Fields: []minyi.FieldError{{Field: "unit", Zh: "只能查看本单位的数据", En: "you may only see your own unit's figures"}}}

// Document writes the report of spec for u: who may read which unit is as
// for the ledger summary (a unit's staff their own unit, leaders and
// admins any). The period defaults to this year, or to the campaign's; a
// bad day, an unknown unit or campaign, script or language is refused
// naming the field. A period without records gives a report that says so.
func (s *Service) Document(ctx context.Context, u org.User, spec Spec) (Document, error) {
	in, err := s.Inputs(ctx, u, spec)
	if err != nil {
		return Document{}, err
	}
	tpl, err := s.Current(ctx)
	if err != nil {
		return Document{}, err
	}
	doc, err := Build(in, tpl)
	if err != nil {
		return Document{}, templateError(err).AsProblem()
	}
	return doc, nil
}

// Inputs reads everything a report of spec is written from.
func (s *Service) Inputs(ctx context.Context, u org.User, spec Spec) (Inputs, error) {
	if err := spec.Check(); err != nil {
		return Inputs{}, err
	}
	if spec.Unit != "" && !u.CanSeeUnit(spec.Unit) {
		return Inputs{}, errOtherUnit
	}
	in := Inputs{Agency: s.Agency, UnitNames: map[string]string{}, Stories: map[archive.Class][]Story{}}
	units, err := s.Org.Units(ctx)
	if err != nil {
		return Inputs{}, err
	}
	for _, un := range units {
		in.UnitNames[un.Code] = un.Name
		if un.Kind == org.UnitBureau && in.Agency == "" {
			in.Agency = un.Name
		}
	}
	if spec.Unit != "" {
		name, ok := in.UnitNames[spec.Unit]
		if !ok {
			return Inputs{}, minyi.Invalid("unit", "单位不存在", "unit: no such unit")
		}
		in.UnitName = name
	}
	if spec.Campaign < 0 {
		return Inputs{}, minyi.Invalid("campaign", "活动编号须为正整数", "campaign must be a positive number")
	}
	if spec.Campaign > 0 {
		c, err := s.Campaigns.Get(ctx, u, spec.Campaign)
		if minyi.ErrorCode(err) == minyi.ENotFound {
			return Inputs{}, minyi.Invalid("campaign", "活动不存在", "campaign: no such campaign")
		} else if err != nil {
			return Inputs{}, err
		}
		spec.From, spec.To = cmp.Or(spec.From, c.From), cmp.Or(spec.To, c.To)
		info := campaignInfo(c)
		in.Campaign = &info
	}
	f := reporting.Filter{From: spec.From, To: spec.To, Unit: spec.Unit, Campaign: spec.Campaign}.ThisYearByDefault(s.now().In(calendar.Zone))
	if err := f.CheckPeriod(); err != nil {
		return Inputs{}, err
	}
	spec.From, spec.To = f.From, f.To
	in.Spec = spec
	if spec.Script == Hant {
		in.Convert = func(t string) string { return locale.Default().Convert(locale.Hant, t) }
	}
	err = reporting.Parallel(ctx,
		func(ctx context.Context) (err error) { in.Report, err = s.Reports.Report(ctx, u, f); return err },
		func(ctx context.Context) (err error) { in.Overview, err = s.Reports.Overview(ctx, u, f); return err },
		func(ctx context.Context) error { return s.stories(ctx, u, f, in.UnitNames, in.Stories) },
		func(ctx context.Context) (err error) { in.DeskReplies, err = s.deskReplies(ctx, u, f); return err },
		func(ctx context.Context) error { return s.names(ctx, u, &in) },
		func(ctx context.Context) error {
			if in.Campaign != nil {
				return nil
			}
			cs, err := s.periodCampaigns(ctx, u, f)
			in.Campaigns = cs
			return err
		},
	)
	if err != nil {
		return Inputs{}, err
	}
	return in, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// campaignInfo is what a report tells of c.
func campaignInfo(c campaign.Campaign) CampaignInfo {
	info := CampaignInfo{ID: c.ID, Name: c.Name, From: c.From, To: c.To, Plan: strings.TrimSpace(c.Plan) != ""}
	for _, m := range c.Meetings {
		info.Meetings = append(info.Meetings, MeetingInfo{Day: m.Day, Kind: m.Kind.Label()})
	}
	return info
}

// periodCampaigns are the campaigns whose period meets f's, with their
// meetings.
func (s *Service) periodCampaigns(ctx context.Context, u org.User, f reporting.Filter) ([]CampaignInfo, error) {
	page, err := s.Campaigns.List(ctx, u, campaign.Filter{Filter: register.Filter{Limit: 100}, From: f.From, To: f.To})
	if err != nil {
		return nil, err
	}
	var out []CampaignInfo
	for _, c := range page.Items {
		full, err := s.Campaigns.Get(ctx, u, c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, campaignInfo(full))
	}
	slices.SortFunc(out, func(a, b CampaignInfo) int { return cmp.Or(strings.Compare(a.From, b.From), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// stories reads the outcome stories of each concern: the done matters of
// f's period, unit and campaign that u may see with a story, published
// ones first, each the most recently done first (then the newest),
// StoriesPerConcern of them; a story that names its beneficiary (as
// matter.Service.Tellable finds) is passed over.
func (s *Service) stories(ctx context.Context, u org.User, f reporting.Filter, unitNames map[string]string, out map[archive.Class][]Story) error {
	var mu sync.Mutex
	fns := make([]func(context.Context) error, len(classNames))
	for i, c := range classNames {
		fns[i] = func(ctx context.Context) error {
			// Published matters first: their stories were written to be
			// told; then any other done matter with a story.
			var ms []matter.Matter
			seen := map[int64]bool{}
			for _, published := range []bool{true, false} {
				// Their count is not needed (NoTotal): it was the larger
				// part of a unit's report after its figures.
				page, err := s.Matters.List(ctx, u, matter.Filter{Filter: register.Filter{Limit: 100}, Status: matter.StatusDone,
					Class: c.Class, From: f.From, To: f.To, Unit: f.Unit, Campaign: f.Campaign, Published: published, NoTotal: true})
				if err != nil {
					return err
				}
				var found []matter.Matter
				for _, m := range page.Items {
					if strings.TrimSpace(m.Story) != "" && !seen[m.ID] {
						found = append(found, m)
						seen[m.ID] = true
					}
				}
				slices.SortFunc(found, func(a, b matter.Matter) int {
					return cmp.Or(strings.Compare(b.DoneOn, a.DoneOn), cmp.Compare(b.ID, a.ID))
				})
				// A report is published text: a story naming its
				// beneficiary is not told, as on the public pages.
				for _, m := range found {
					if len(ms) >= StoriesPerConcern {
						break
					}
					ok, err := s.Matters.Tellable(ctx, m.ID)
					if err != nil {
						return err
					}
					if ok {
						ms = append(ms, m)
					}
				}
				if len(ms) >= StoriesPerConcern {
					break
				}
			}
			var stories []Story
			for _, m := range ms[:min(len(ms), StoriesPerConcern)] {
				st := Story{Matter: m.ID, Title: m.Title, Unit: cmp.Or(unitNames[m.Unit], m.Unit), DoneOn: m.DoneOn, Text: strings.TrimSpace(m.Story)}
				for _, p := range m.StoryPhotos {
					st.Photos = append(st.Photos, p.ID)
				}
				stories = append(stories, st)
			}
			mu.Lock()
			out[c.Class] = stories
			mu.Unlock()
			return nil
		}
	}
	return reporting.Parallel(ctx, fns...)
}

// names reads the names of the figures per code: the one-stop services,
// the publicity channels, the indicators and the matters' outcomes.
func (s *Service) names(ctx context.Context, u org.User, in *Inputs) error {
	page, err := s.OneStop.Definitions(ctx, u, onestop.DefinitionFilter{Filter: register.Filter{Limit: 100}})
	if err != nil {
		return err
	}
	for _, d := range page.Items {
		in.Services = append(in.Services, Named{Code: d.Code, Zh: d.Name, En: d.Name, ID: d.ID})
	}
	chs, err := s.Publicity.Channels(ctx)
	if err != nil {
		return err
	}
	for _, c := range chs {
		in.PublicityChannels = append(in.PublicityChannels, Named{Code: c.Code, Zh: c.Zh, En: c.En})
	}
	defs, err := s.Indicators.Definitions(ctx, u)
	if err != nil {
		return err
	}
	outcomes, err := s.Matters.Outcomes(ctx)
	if err != nil {
		return err
	}
	en := in.Spec.Lang == En
	in.Label = func(key string) (string, bool) {
		reg, k, _ := strings.Cut(key, ".")
		switch reg {
		case indicator.Register:
			for _, d := range defs {
				if d.Code == k {
					if en {
						return d.NameEn, true
					}
					return d.Name, true
				}
			}
		case matter.Register:
			code, ok := strings.CutPrefix(k, "outcome_")
			if !ok {
				break
			}
			for _, o := range outcomes {
				if o.Code == code {
					if en {
						return "outcome: " + o.En, true
					}
					return "成效：" + o.Label(), true
				}
			}
		}
		return "", false
	}
	return nil
}

// deskReplies counts the online desk's replies (回复): the questions
// received in f's period that are answered and published on the desk, the
// list of /staff?queue=all&public=true of the period.
func (s *Service) deskReplies(ctx context.Context, u org.User, f reporting.Filter) (int64, error) {
	if s.Items == nil {
		return 0, nil
	}
	from, err1 := time.ParseInLocation(time.DateOnly, f.From, calendar.Zone)
	to, err2 := time.ParseInLocation(time.DateOnly, f.To, calendar.Zone)
	if err1 != nil || err2 != nil {
		return 0, nil
	}
	to = to.AddDate(0, 0, 1)
	page, err := s.Items.List(ctx, u, archive.Filter{Filter: register.Filter{Limit: 1}, Public: true, Unit: f.Unit, From: &from, To: &to})
	if err != nil || page.Total == nil {
		return 0, err
	}
	return int64(*page.Total), nil
}
