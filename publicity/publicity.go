// Package publicity is the register of published pieces (宣传报道台账): each
// report the bureau placed in the media, its channel, outlet, title and
// link, the matters it reports, its limits and validation, its events of
// the one log, and the Service that records, changes and lists pieces
// under the ledgers' rules of who sees what. A piece has no lifecycle: it
// was published, and its record may be corrected.
package publicity

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/pubchannel"
	"minyi/register"
)

// Register is the publicity pieces' name in the event log.
const Register = "publicity"

// Noun names a piece in the register's messages.
var Noun = register.Noun{Zh: "宣传报道", En: "publicity piece"}

// The types of the pieces' events.
const (
	EventRecorded = "recorded"
	EventChanged  = "changed"
)

// Limits on a piece.
const (
	MaxTitleRunes  = 200
	MaxOutletRunes = 100
	MaxLinkRunes   = 2000
	MaxNoteRunes   = 2000
	MaxMatters     = 50
	dayLayout      = "2006-01-02"
)

// Channel is where a piece was published.
type Channel string

// The channels a bureau reports its publicity by.
const (
	ChannelMainstream Channel = "mainstream_media"
	ChannelWeChat     Channel = "wechat"
	ChannelShortVideo Channel = "short_video"
	ChannelRadioTV    Channel = "radio_tv"
	ChannelNewspaper  Channel = "newspaper"
	ChannelWebsite    Channel = "website"
)

// ChannelInfo is a channel with its names, as lists and figures show it.
type ChannelInfo = pubchannel.Channel

// DefaultChannels are the channels a bureau starts with, in the order the
// periodic report names them; a bureau's own list is its setting
// pubchannel.Field (Service.Channels).
var DefaultChannels = pubchannel.Defaults

// Channels returns the codes of DefaultChannels.
func Channels() []Channel {
	out := make([]Channel, len(DefaultChannels))
	for i, c := range DefaultChannels {
		out[i] = Channel(c.Code)
	}
	return out
}

// Piece is one published piece.
type Piece struct {
	ID int64 `json:"id"`
	// Date is the day the piece was published, YYYY-MM-DD China time.
	Date    string  `json:"date"`
	Channel Channel `json:"channel"`
	// Outlet is the medium or account that carried it (平安鄂托克).
	Outlet string `json:"outlet"`
	Title  string `json:"title"`
	// Link is where the piece can be read, http or https; may be empty
	// for print or broadcast.
	Link string `json:"link,omitempty"`
	Unit string `json:"unit"`
	// Branch is the party branch the piece is attributed to, if any.
	Branch string `json:"branch,omitempty"`
	// Campaign is the id of the campaign the piece belongs to; 0: none.
	Campaign int64 `json:"campaign,omitempty"`
	// Matters are the ids of the practical matters the piece reports.
	Matters   []int64   `json:"matters"`
	Note      string    `json:"note,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`

	// Form is the page form the piece is recorded through, if any
	// (archive.FileOnce): a form sent twice records one piece.
	archive.Form `json:"-"`
}

// SearchText is what a search by words finds a piece by.
func (p Piece) SearchText() string {
	return p.Title + "\n" + p.Outlet + "\n" + p.Note
}

// Filter selects pieces for a list.
type Filter struct {
	register.Filter
	Units   []string // visibility: only these units' pieces (nil: all)
	Unit    string   // one unit
	Branch  string   // one party branch
	Channel Channel  // one channel
	From    string   // YYYY-MM-DD, inclusive, on the piece's date
	To      string
	// Campaign selects the pieces of one campaign (0: any).
	Campaign int64
}

// Page is one page of pieces, latest date first.
type Page = register.Page[Piece]

// Patch is a change to a piece: nil fields stay as they are.
type Patch struct {
	Date    *string  `json:"date"`
	Channel *Channel `json:"channel"`
	Outlet  *string  `json:"outlet"`
	Title   *string  `json:"title"`
	Link    *string  `json:"link"`
	Unit    *string  `json:"unit"`
	Branch  *string  `json:"branch"`
	// Campaign moves the piece into a campaign; 0 takes it out of one.
	Campaign *int64   `json:"campaign"`
	Matters  *[]int64 `json:"matters"`
	Note     *string  `json:"note"`
}

// Apply returns pc with p's fields set.
func (p Patch) Apply(pc Piece) Piece {
	register.SetIf(&pc.Date, p.Date)
	register.SetIf(&pc.Channel, p.Channel)
	register.SetIf(&pc.Outlet, p.Outlet)
	register.SetIf(&pc.Title, p.Title)
	register.SetIf(&pc.Link, p.Link)
	register.SetIf(&pc.Unit, p.Unit)
	register.SetIf(&pc.Branch, p.Branch)
	register.SetIf(&pc.Campaign, p.Campaign)
	if p.Matters != nil {
		pc.Matters = slices.Clone(*p.Matters)
	}
	register.SetIf(&pc.Note, p.Note)
	return pc
}

// Validate checks a piece and returns it cleaned: text trimmed, repeated
// matters dropped. That its channel is one the bureau lists, and that its
// unit, branch, campaign and matters exist, is the Service's to check.
func (pc Piece) Validate(now time.Time) (Piece, error) {
	var p minyi.Problems
	pc.Date = strings.TrimSpace(pc.Date)
	if pc.Date == "" {
		p.Add("date", "请填写发布日期", "date is required")
	} else if d, err := time.ParseInLocation(dayLayout, pc.Date, calendar.Zone); err != nil {
		p.Add("date", "发布日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD")
	} else if d.After(archive.ChinaDay(now)) {
		p.Add("date", "发布日期不能晚于今天", "date cannot be in the future")
	} else if d.Year() < 2000 {
		p.Add("date", "发布日期过早", "date is too early")
	}
	if pc.Channel == "" {
		p.Add("channel", "请选择发布渠道", "channel is required")
	} else if !pubchannel.ValidCode(string(pc.Channel)) {
		p.Add("channel", "发布渠道无效", "unknown channel")
	}
	pc.Outlet = archive.CheckNamedText(&p, "outlet", "发布媒体", pc.Outlet, MaxOutletRunes, true)
	pc.Title = archive.CheckNamedText(&p, "title", "标题", pc.Title, MaxTitleRunes, true)
	pc.Link = strings.TrimSpace(pc.Link)
	if pc.Link != "" {
		if len(pc.Link) > MaxLinkRunes {
			p.Add("link", "链接过长", "link is too long")
		} else if u, err := url.Parse(pc.Link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.Add("link", "链接须为http或https网址", "link must be an http or https URL")
		}
	}
	pc.Unit = strings.TrimSpace(pc.Unit)
	if pc.Unit == "" {
		p.Add("unit", "请选择单位", "unit is required")
	}
	pc.Branch = strings.TrimSpace(pc.Branch)
	if pc.Campaign < 0 {
		p.Add("campaign", "专项行动编号无效", "campaign must be a campaign id")
	}
	if len(pc.Matters) > MaxMatters {
		p.Add("matters", "最多关联"+strconv.Itoa(MaxMatters)+"件实事", "at most "+strconv.Itoa(MaxMatters)+" matters")
	}
	var ms []int64
	for _, id := range pc.Matters {
		if id <= 0 {
			p.Add("matters", "实事编号无效", "matters must be matter ids")
			break
		}
		if !slices.Contains(ms, id) {
			ms = append(ms, id)
		}
	}
	if ms == nil {
		ms = []int64{}
	}
	pc.Matters = ms
	pc.Note = archive.CheckNamedText(&p, "note", "备注", pc.Note, MaxNoteRunes, false)
	return pc, p.Err()
}

// fieldKeys are the keys of fields, in the order a change names them.
var fieldKeys = []string{"date", "channel", "outlet", "title", "link", "unit", "branch", "campaign", "matters", "note"}

// fields are a piece's values as its events record them.
func (pc Piece) fields() map[string]string {
	ms := make([]string, len(pc.Matters))
	for i, id := range pc.Matters {
		ms[i] = strconv.FormatInt(id, 10)
	}
	campaign := ""
	if pc.Campaign != 0 {
		campaign = strconv.FormatInt(pc.Campaign, 10)
	}
	return map[string]string{
		"date": pc.Date, "channel": string(pc.Channel), "outlet": pc.Outlet, "title": pc.Title, "link": pc.Link,
		"unit": pc.Unit, "branch": pc.Branch, "campaign": campaign, "matters": strings.Join(ms, ","), "note": pc.Note,
	}
}

// Recorded returns the log's event of a stored piece (ID assigned).
func (pc Piece) Recorded() eventlog.Event {
	return pc.event(EventRecorded, pc.CreatedBy, pc.CreatedAt, pc.fields())
}

// Changed returns the log's event of the change from before to pc, made
// by actor at pc.UpdatedAt: the fields that changed, with their new
// values. ok is false when nothing changed.
func (pc Piece) Changed(before Piece, actor string) (e eventlog.Event, ok bool) {
	data, changed := register.ChangedFields(pc.fields(), before.fields(), fieldKeys...)
	if len(changed) == 0 {
		return eventlog.Event{}, false
	}
	return pc.event(EventChanged, actor, pc.UpdatedAt, data), true
}

func (pc Piece) event(typ, actor string, at time.Time, data map[string]string) eventlog.Event {
	return eventlog.Event{Register: Register, RecordID: pc.ID, Record: strconv.FormatInt(pc.ID, 10),
		Type: typ, Actor: actor, At: at, Data: data}
}
