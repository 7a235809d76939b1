package report

import (
	"strings"

	"minyi/archive"
)

// registerKeys are the keys each register answers (see internal/wire's
// Reports), and prefixes of keys it answers per code; a template may name
// any of them, and a figure a period has none of counts 0.
var registerKeys = map[string]struct{ keys, prefixes []string }{
	"items": {keys: []string{"received", "valid", "responded", "answered", "on_time", "closed", "visited", "satisfied",
		"basic_satisfied", "unsatisfied", "very_satisfied", "very_unsatisfied", "returned", "redone", "overdue_now"}},
	"meetings":             {keys: []string{"held", "attendees", "opinions", "opinions_closed"}},
	"matters":              {keys: []string{"done", "led", "on_time"}, prefixes: []string{"done_", "outcome_"}},
	"volunteer_activities": {keys: []string{"activities", "volunteers", "volunteer_hours", "served"}},
	"service_points":       {keys: []string{"active"}},
	"measures":             {keys: []string{"researched", "implemented", "withdrawn"}},
	"publicity":            {keys: []string{"pieces"}, prefixes: []string{"channel_"}},
	"indicators":           {prefixes: []string{""}},
	"disputes":             {keys: []string{"found", "resolved", "referred", "unresolved", "open", "overdue", "resolved_village", "village_share"}},
	"cases":                {keys: []string{"opened", "done", "proxy", "green_channel", "cancelled", "overdue"}, prefixes: []string{"opened_", "done_", "proxy_"}},
	"bookings":             {keys: []string{"booked", "attended", "cancelled", "no_show", "green_channel", "extended_hours"}},
	"surveys":              {keys: []string{"answers", "published", "items_created"}},
	// The report's own figures, derived from the items' overview.
	"opinions": {keys: []string{"collected", "resolved"}},
	"desk":     {keys: []string{"received", "replied", "closed"}},
	"channels": {prefixes: []string{""}},
	"rates":    {keys: []string{"response", "resolution", "satisfaction", "on_time"}},
	"campaign": {keys: []string{"meetings"}},
	"units":    {keys: []string{"ranked"}},
}

// countedAtTheMoment are the figures that count what stands at the moment
// of counting rather than what happened in the period: the items open and
// past due now whenever received, and the period's open cases past their
// step's due time now. An issued report holds them as of its issue; counted
// again later they differ without any late entry, so they are never a
// change since issue.
var countedAtTheMoment = map[string]bool{"items.overdue_now": true, "cases.overdue": true}

// CountedAtTheMoment reports whether key is a figure counted as of the
// moment of counting (shown as of issue, not compared with its live value).
func CountedAtTheMoment(key string) bool { return countedAtTheMoment[key] }

// KnownKey reports whether key ("register.key") is a figure a report may
// name.
func KnownKey(key string) bool {
	reg, k, ok := strings.Cut(key, ".")
	if !ok || k == "" {
		return false
	}
	rk, ok := registerKeys[reg]
	if !ok {
		return false
	}
	for _, x := range rk.keys {
		if x == k {
			return true
		}
	}
	for _, p := range rk.prefixes {
		if strings.HasPrefix(k, p) && len(k) > len(p) {
			return true
		}
	}
	return false
}

// CollectionChannels are the channels of the opinions collected
// (收集意见建议): boxes, QR codes, questionnaires and forums. The online
// desk is counted apart (desk.*), as the source does.
var CollectionChannels = []archive.Channel{archive.ChannelPaperBox, archive.ChannelOnlineBox, archive.ChannelQRCode,
	archive.ChannelSurvey, archive.ChannelForum}

// labels name the figures a report prints, in Chinese and English; a
// figure not named here is named by the caller's Labels, or its key.
var labels = map[string][2]string{
	"opinions.collected":                   {"收集意见建议（条）", "opinions collected"},
	"opinions.resolved":                    {"回应解决意见建议（条）", "opinions resolved"},
	"desk.received":                        {"“24小时警局”问政（条）", "questions on the online desk"},
	"desk.replied":                         {"“24小时警局”回复问政（条）", "online-desk questions answered in public"},
	"desk.closed":                          {"“24小时警局”问政办结（条）", "online-desk questions closed"},
	"rates.response":                       {"响应率", "response rate"},
	"rates.resolution":                     {"解决率", "resolution rate"},
	"rates.satisfaction":                   {"满意率", "satisfaction rate"},
	"rates.on_time":                        {"按时办结率", "on-time rate"},
	"campaign.meetings":                    {"活动部署会议（次）", "campaign meetings"},
	"units.ranked":                         {"参与排名单位（个）", "units ranked"},
	"items.received":                       {"收件（件）", "items received"},
	"items.answered":                       {"答复（件）", "items answered"},
	"items.closed":                         {"销号（件）", "items closed"},
	"meetings.held":                        {"座谈恳谈会（场）", "forums held"},
	"meetings.opinions":                    {"座谈会收集意见（条）", "opinions raised at forums"},
	"matters.done":                         {"办理实事（件）", "practical matters done"},
	"matters.led":                          {"民辅警领办实事（件）", "matters led by a named officer"},
	"matters.on_time":                      {"按期办结实事（件）", "matters done on time"},
	"measures.implemented":                 {"实施便民利民措施（条）", "convenience measures implemented"},
	"measures.researched":                  {"研究便民利民措施（条）", "convenience measures researched"},
	"service_points.active":                {"便民服务站点（个）", "service points"},
	"volunteer_activities.activities":      {"志愿服务活动（次）", "volunteer activities"},
	"volunteer_activities.volunteer_hours": {"志愿服务时长（小时）", "volunteer hours"},
	"disputes.found":                       {"排查矛盾纠纷（起）", "disputes found"},
	"disputes.resolved":                    {"化解矛盾纠纷（起）", "disputes resolved"},
	"disputes.resolved_village":            {"村级化解矛盾纠纷（起）", "disputes resolved at village level"},
	"indicators.criminal_cases_solved":     {"破获刑事案件（起）", "criminal cases solved"},
	"indicators.administrative_cases":      {"查处行政案件（起）", "administrative cases handled"},
	"cases.opened":                         {"一件事一次办受理（件）", "one-stop cases opened"},
	"cases.done":                           {"一件事一次办办结（件）", "one-stop cases done"},
	"cases.proxy":                          {"帮办代办（件）", "cases handled by an officer"},
	"publicity.pieces":                     {"宣传报道（篇）", "publicity pieces"},
	"surveys.answers":                      {"问卷答卷（份）", "questionnaire answers"},
	"surveys.published":                    {"发布问卷（份）", "questionnaires published"},
}

// classNames are the four concerns as the source names them, in its order:
// the class, its worry (烦心事…) and its promise (急事速办…).
var classNames = []struct {
	Class          archive.Class
	Worry, Promise string
	En             string
}{
	{archive.ClassUrgent, "烦心事", "急事速办", "Urgent matters done quickly"},
	{archive.ClassHard, "忧心事", "难事易办", "Hard matters made easy"},
	{archive.ClassWorrying, "操心事", "愁事实办", "Worries dealt with in earnest"},
	{archive.ClassHopeful, "揪心事", "盼事速办", "Hopes met quickly"},
}
