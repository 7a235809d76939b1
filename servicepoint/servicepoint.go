// Package servicepoint is the register of service points (便民服務站點):
// where citizens get things done near home, with the hours they are open
// (including off-peak and extended hours, 錯時、延時服務) and the services
// they offer; its validation, its events of the one log, and the Service
// that records, changes and lists points under the items' rules of who
// sees what. A point is active or closed; nothing more happens to it.
package servicepoint

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/register"
)

// Register is the service points' name in the event log.
const Register = "service_points"

// Noun names a service point in the register's messages.
var Noun = register.Noun{Zh: "便民服务站点", En: "service point"}

// The types of the points' events.
const (
	EventRecorded = "recorded"
	EventChanged  = "changed"
)

// Status is whether a point serves citizens.
type Status string

// The statuses of a point.
const (
	StatusActive Status = "active"
	StatusClosed Status = "closed"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == StatusActive || s == StatusClosed }

// Limits on a service point record.
const (
	MaxNameRunes    = 100
	MaxAreaRunes    = 40 // a township's or village's name
	MaxAddressRunes = 200
	MaxHoursRunes   = 500
	MaxServices     = 50
	MaxServiceRunes = 100
)

var phonePattern = regexp.MustCompile(archive.PhonePattern)

// Point is one service point.
type Point struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Unit     string   `json:"unit"`
	Township string   `json:"township,omitempty"`
	Village  string   `json:"village,omitempty"`
	Address  string   `json:"address"`
	Lat      *float64 `json:"latitude,omitempty"`
	Lng      *float64 `json:"longitude,omitempty"`
	// OpeningHours are the opening hours as citizens are told them.
	OpeningHours string `json:"opening_hours,omitempty"`
	// OffPeak and Extended say that the point serves outside office
	// hours: at staggered times (錯時) and into the evening (延時).
	OffPeak  bool     `json:"off_peak"`
	Extended bool     `json:"extended_hours"`
	Services []string `json:"services"`
	Phone    string   `json:"phone,omitempty"`
	Status   Status   `json:"status"`
	// OpenedOn is the day the point opened and ClosedOn the day it closed
	// (YYYY-MM-DD, China time; empty while it serves): the ledger summary
	// counts a point active at the end of a period from them, whenever it
	// was recorded or closed.
	OpenedOn  string    `json:"opened_on"`
	ClosedOn  string    `json:"closed_on,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`

	// Campaign is the id of the campaign the point belongs to; 0: none.
	Campaign int64 `json:"campaign,omitempty"`

	// Form is the page form the record is created through, if any
	// (archive.FileOnce).
	archive.Form `json:"-"`
}

// SearchText is what a search by words finds a point by.
func (p Point) SearchText() string {
	return p.Name + "\n" + p.Township + " " + p.Village + " " + p.Address + "\n" + strings.Join(p.Services, " ")
}

// Filter selects points for a list.
type Filter struct {
	register.Filter
	Units  []string // visibility: only these units' points (nil: all)
	Unit   string   // one unit
	Status Status   // one status
	// Township selects the points of one township.
	Township string
	// Campaign selects the points of one campaign (0: any).
	Campaign int64
	// OpenOn selects the points open at the end of this day (YYYY-MM-DD):
	// opened by it and not closed by then, as the report counts
	// service_points.active at the end of its period.
	OpenOn string
}

// Page is one page of points, newest first.
type Page = register.Page[Point]

// Patch is a change to a point: nil fields stay as they are.
type Patch struct {
	Name         *string   `json:"name"`
	Unit         *string   `json:"unit"`
	Township     *string   `json:"township"`
	Village      *string   `json:"village"`
	Address      *string   `json:"address"`
	Lat          *float64  `json:"latitude"`
	Lng          *float64  `json:"longitude"`
	OpeningHours *string   `json:"opening_hours"`
	OffPeak      *bool     `json:"off_peak"`
	Extended     *bool     `json:"extended_hours"`
	Services     *[]string `json:"services"`
	Phone        *string   `json:"phone"`
	Status       *Status   `json:"status"`
	OpenedOn     *string   `json:"opened_on"`
	// ClosedOn is the closing day; closing without one closes the point
	// today, reopening clears it.
	ClosedOn *string `json:"closed_on"`
	// Campaign moves the point into a campaign; 0 takes it out of one.
	Campaign *int64 `json:"campaign"`
}

// Apply returns p with the patch's fields set.
func (c Patch) Apply(p Point) Point {
	register.SetIf(&p.Name, c.Name)
	register.SetIf(&p.Unit, c.Unit)
	register.SetIf(&p.Township, c.Township)
	register.SetIf(&p.Village, c.Village)
	register.SetIf(&p.Address, c.Address)
	if c.Lat != nil {
		v := *c.Lat
		p.Lat = &v
	}
	if c.Lng != nil {
		v := *c.Lng
		p.Lng = &v
	}
	register.SetIf(&p.OpeningHours, c.OpeningHours)
	register.SetIf(&p.OffPeak, c.OffPeak)
	register.SetIf(&p.Extended, c.Extended)
	if c.Services != nil {
		p.Services = slices.Clone(*c.Services)
	}
	register.SetIf(&p.Phone, c.Phone)
	reopened := c.Status != nil && *c.Status == StatusActive && p.Status == StatusClosed
	register.SetIf(&p.Status, c.Status)
	register.SetIf(&p.OpenedOn, c.OpenedOn)
	register.SetIf(&p.ClosedOn, c.ClosedOn)
	if reopened && c.ClosedOn == nil {
		p.ClosedOn = ""
	}
	register.SetIf(&p.Campaign, c.Campaign)
	return p
}

// Validate checks a point as of now and returns it cleaned: text trimmed,
// services without repeats, no opening day today, a closed point without
// its closing day closed today. That its unit exists is the Service's to
// check.
func (p Point) Validate(now time.Time) (Point, error) {
	var pr minyi.Problems
	p.Name = archive.CheckNamedText(&pr, "name", "站点名称", p.Name, MaxNameRunes, true)
	p.Unit = strings.TrimSpace(p.Unit)
	if p.Unit == "" {
		pr.Add("unit", "请选择单位", "unit is required")
	}
	p.Township = archive.CheckNamedText(&pr, "township", "乡镇", p.Township, MaxAreaRunes, false)
	p.Village = archive.CheckNamedText(&pr, "village", "村（社区）", p.Village, MaxAreaRunes, false)
	p.Address = archive.CheckNamedText(&pr, "address", "地址", p.Address, MaxAddressRunes, true)
	switch {
	case (p.Lat == nil) != (p.Lng == nil):
		pr.Add("latitude", "经纬度须同时填写", "latitude and longitude go together")
	case p.Lat != nil:
		if bad(*p.Lat, 90) {
			pr.Add("latitude", "纬度须在-90到90之间", "latitude must be between -90 and 90")
		}
		if bad(*p.Lng, 180) {
			pr.Add("longitude", "经度须在-180到180之间", "longitude must be between -180 and 180")
		}
	}
	p.OpeningHours = archive.CheckNamedText(&pr, "opening_hours", "开放时间", p.OpeningHours, MaxHoursRunes, false)
	p.Services = checkServices(&pr, p.Services)
	p.Phone = strings.ReplaceAll(archive.CheckNamedText(&pr, "phone", "联系电话", p.Phone, archive.MaxPhoneRunes, false), " ", "")
	if p.Phone != "" && !phonePattern.MatchString(p.Phone) {
		pr.Add("phone", "联系电话格式不正确", "phone must be an 11-digit mobile or a landline number")
	}
	if !p.Status.Valid() {
		pr.Add("status", "状态须为active（服务中）或closed（已关闭）", "status must be active or closed")
	}
	p.OpenedOn = archive.CheckDay(&pr, "opened_on", "开放日期", p.OpenedOn, now)
	switch {
	case p.Status == StatusClosed:
		p.ClosedOn = archive.CheckDay(&pr, "closed_on", "关闭日期", p.ClosedOn, now)
		if p.OpenedOn != "" && p.ClosedOn != "" && p.ClosedOn < p.OpenedOn {
			pr.Add("closed_on", "关闭日期不能早于开放日期", "closed_on cannot be before opened_on")
		}
	case strings.TrimSpace(p.ClosedOn) != "":
		pr.Add("closed_on", "服务中的站点没有关闭日期", "an active point has no closed_on")
	}
	return p, pr.Err()
}

func bad(v, limit float64) bool { return math.IsNaN(v) || v < -limit || v > limit }

func checkServices(p *minyi.Problems, services []string) []string {
	out := []string{}
	for _, s := range services {
		var q minyi.Problems
		s = archive.CheckText(&q, "services", s, MaxServiceRunes, false)
		// Services are stored one per line: a line break inside one would
		// come back as several.
		if len(q) > 0 || strings.ContainsAny(s, "\n\r\t") {
			p.Add("services", "每项服务不能超过"+itoa(MaxServiceRunes)+"字，且不能含控制字符",
				"each service must be at most "+itoa(MaxServiceRunes)+" characters without control characters")
			return services
		}
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	// Counted as sent: a list too long for the form is refused even when
	// it repeats services.
	if len(services) > MaxServices {
		p.Add("services", "服务项目最多"+itoa(MaxServices)+"项", "at most "+itoa(MaxServices)+" services")
	}
	return out
}

func coord(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// fields are a point's values as its events record them.
func (p Point) fields() map[string]string {
	return map[string]string{
		"name": p.Name, "unit": p.Unit, "township": p.Township, "village": p.Village, "address": p.Address,
		"latitude": coord(p.Lat), "longitude": coord(p.Lng), "opening_hours": p.OpeningHours,
		"off_peak": strconv.FormatBool(p.OffPeak), "extended_hours": strconv.FormatBool(p.Extended),
		"services": strings.Join(p.Services, "\n"), "phone": p.Phone, "status": string(p.Status),
		"opened_on": p.OpenedOn, "closed_on": p.ClosedOn, "campaign": campaignOf(p.Campaign),
	}
}

// campaignOf is a campaign id as events record it: "" for none.
func campaignOf(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// Recorded returns the log's event of a stored point (p.ID assigned).
func (p Point) Recorded() eventlog.Event {
	return p.event(EventRecorded, p.CreatedBy, p.CreatedAt, "", p.fields())
}

// Changed returns the log's event of the change from before to p, made by
// actor at p.UpdatedAt: the fields that changed, with their new values.
// ok is false when nothing changed.
func (p Point) Changed(before Point, actor string) (e eventlog.Event, ok bool) {
	old, now := before.fields(), p.fields()
	data := map[string]string{}
	for k, v := range now {
		if old[k] != v {
			data[k] = v
		}
	}
	if len(data) == 0 {
		return eventlog.Event{}, false
	}
	from := ""
	if before.Status != p.Status {
		from = string(before.Status)
	}
	return p.event(EventChanged, actor, p.UpdatedAt, from, data), true
}

func (p Point) event(typ, actor string, at time.Time, from string, data map[string]string) eventlog.Event {
	e := eventlog.Event{Register: Register, RecordID: p.ID, Record: strconv.FormatInt(p.ID, 10),
		Type: typ, Actor: actor, At: at, Data: data}
	if typ == EventRecorded || from != "" {
		e.From, e.To = from, string(p.Status)
	}
	return e
}

func itoa(n int) string { return strconv.Itoa(n) }
