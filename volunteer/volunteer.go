// Package volunteer is the register of volunteer activities (志願服務活動):
// the record of each activity staff took part in, its limits and
// validation, its events of the one log, and the Service that records,
// changes and lists activities under the items' rules of who sees what.
// An activity has no lifecycle: it happened, and its record may be
// corrected.
package volunteer

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/register"
)

// Register is the volunteer activities' name in the event log.
const Register = "volunteer_activities"

// Noun names a volunteer activity in the register's messages.
var Noun = register.Noun{Zh: "志愿服务活动", En: "volunteer activity"}

// The types of the activities' events.
const (
	EventRecorded = "recorded"
	EventChanged  = "changed"
)

// Limits on an activity record.
const (
	MaxTitleRunes       = 100
	MaxDescriptionRunes = 5000
	MaxPlaceRunes       = 200
	MaxAreaRunes        = 40 // a township's or village's name
	MaxParticipants     = 200
	MaxVolunteers       = 100000
	MaxServed           = 10000000
	MaxHours            = 1000 // an activity lasting weeks, counted in hours
	dayLayout           = "2006-01-02"
)

// MaxPhotos is how many photos an activity keeps; a create or a change
// adds at most archive.MaxPhotos of them at once, as an item's request
// carries (the request's size).
const MaxPhotos = 8

// Activity is one volunteer activity: who did it, when, where, and for how
// many people.
type Activity struct {
	ID int64 `json:"id"`
	// Date is the day of the activity, YYYY-MM-DD China time.
	Date  string `json:"date"`
	Title string `json:"title"`
	Unit  string `json:"unit"`
	// Branch is the party branch the activity is attributed to, if any.
	Branch string `json:"branch,omitempty"`
	// Participants are the user names of the staff who took part.
	Participants []string `json:"participants"`
	Volunteers   int      `json:"volunteers"`
	// Hours is how long the activity lasted, to the hundredth of an hour;
	// volunteer hours are Hours times Volunteers.
	Hours       float64   `json:"hours"`
	Served      int       `json:"served"`
	Township    string    `json:"township,omitempty"`
	Village     string    `json:"village,omitempty"`
	Place       string    `json:"place,omitempty"`
	Description string    `json:"description,omitempty"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`

	// Campaign is the id of the campaign the activity belongs to; 0: none.
	Campaign int64 `json:"campaign,omitempty"`
	// Photos are the activity's photos, in the order they were added.
	Photos []archive.PhotoInfo `json:"photos"`
	// NewPhotos are photos to add: Create's caller sets them, a change
	// adds Patch.AddPhotos; the store writes them in the record's
	// transaction and moves them to Photos.
	NewPhotos []archive.Photo `json:"-"`
	// RemovedPhotos are the photos a change removes (Patch.RemovePhotos),
	// for the store to delete in its transaction.
	RemovedPhotos []archive.PhotoInfo `json:"-"`

	// Form is the page form the record is created through, if any
	// (archive.FileOnce).
	archive.Form `json:"-"`
}

// Centihours returns Hours in hundredths of an hour, as stored.
func (a Activity) Centihours() int64 { return int64(math.Round(a.Hours * 100)) }

// SearchText is what a search by words finds an activity by.
func (a Activity) SearchText() string {
	return a.Title + "\n" + a.Description + "\n" + a.Township + " " + a.Village + " " + a.Place
}

// Filter selects activities for a list.
type Filter struct {
	register.Filter
	Units  []string // visibility: only these units' activities (nil: all)
	Unit   string   // one unit
	Branch string   // one party branch
	// Participant is the user name of a member of staff who took part.
	Participant string
	From        string // YYYY-MM-DD, inclusive, on the activity's date
	To          string
	// Campaign selects the activities of one campaign (0: any).
	Campaign int64
}

// Page is one page of activities, latest date first.
type Page = register.Page[Activity]

// Patch is a change to an activity: nil fields stay as they are.
type Patch struct {
	Date         *string   `json:"date"`
	Title        *string   `json:"title"`
	Unit         *string   `json:"unit"`
	Branch       *string   `json:"branch"`
	Participants *[]string `json:"participants"`
	Volunteers   *int      `json:"volunteers"`
	Hours        *float64  `json:"hours"`
	Served       *int      `json:"served"`
	Township     *string   `json:"township"`
	Village      *string   `json:"village"`
	Place        *string   `json:"place"`
	Description  *string   `json:"description"`
	// Campaign moves the activity into a campaign; 0 takes it out of one.
	Campaign *int64 `json:"campaign"`
	// AddPhotos are photos to add (the API's add_photos, base64).
	AddPhotos []archive.Photo `json:"-"`
	// RemovePhotos are the ids of photos of the activity to remove.
	RemovePhotos []int64 `json:"remove_photos"`
}

// Apply returns a with p's fields set.
func (p Patch) Apply(a Activity) Activity {
	register.SetIf(&a.Date, p.Date)
	register.SetIf(&a.Title, p.Title)
	register.SetIf(&a.Unit, p.Unit)
	register.SetIf(&a.Branch, p.Branch)
	if p.Participants != nil {
		a.Participants = slices.Clone(*p.Participants)
	}
	register.SetIf(&a.Volunteers, p.Volunteers)
	register.SetIf(&a.Hours, p.Hours)
	register.SetIf(&a.Served, p.Served)
	register.SetIf(&a.Township, p.Township)
	register.SetIf(&a.Village, p.Village)
	register.SetIf(&a.Place, p.Place)
	register.SetIf(&a.Description, p.Description)
	register.SetIf(&a.Campaign, p.Campaign)
	a.NewPhotos, a.RemovedPhotos = slices.Clone(p.AddPhotos), nil
	if len(p.RemovePhotos) > 0 {
		kept := []archive.PhotoInfo{}
		for _, ph := range a.Photos {
			if slices.Contains(p.RemovePhotos, ph.ID) {
				a.RemovedPhotos = append(a.RemovedPhotos, ph)
			} else {
				kept = append(kept, ph)
			}
		}
		a.Photos = kept
	}
	return a
}

// checkPhotos checks the photos a create (field "photos") or a change
// ("add_photos") adds and how many the activity then keeps, and that a
// change removes only photos the activity has (remove is
// Patch.RemovePhotos). It returns the new photos described.
func (a Activity) checkPhotos(p *minyi.Problems, field string, remove []int64) []archive.Photo {
	photos := archive.CheckPhotos(p, field, a.NewPhotos, archive.MaxPhotos)
	if len(a.Photos)+len(photos) > MaxPhotos {
		p.Add(field, "每项活动最多"+itoa(MaxPhotos)+"张照片，已有"+itoa(len(a.Photos))+"张",
			"an activity keeps at most "+itoa(MaxPhotos)+" photos; it has "+itoa(len(a.Photos)))
	}
	for _, id := range remove {
		if !slices.ContainsFunc(a.RemovedPhotos, func(ph archive.PhotoInfo) bool { return ph.ID == id }) {
			p.Add("remove_photos", "该活动没有编号为"+strconv.FormatInt(id, 10)+"的照片",
				"the activity has no photo "+strconv.FormatInt(id, 10))
		}
	}
	return photos
}

// Validate checks an activity and returns it cleaned: text trimmed, hours
// to the hundredth, duplicate participants dropped. That its unit, branch
// and participants exist is the Service's to check.
func (a Activity) Validate(now time.Time) (Activity, error) {
	var p minyi.Problems
	a.Date = strings.TrimSpace(a.Date)
	if a.Date == "" {
		p.Add("date", "请填写活动日期", "date is required")
	} else if d, err := time.ParseInLocation(dayLayout, a.Date, calendar.Zone); err != nil {
		p.Add("date", "活动日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD")
	} else if d.After(archive.ChinaDay(now)) {
		p.Add("date", "活动日期不能晚于今天", "date cannot be in the future")
	} else if d.Year() < 2000 {
		p.Add("date", "活动日期过早", "date is too early")
	}
	a.Title = archive.CheckNamedText(&p, "title", "活动名称", a.Title, MaxTitleRunes, true)
	a.Unit = strings.TrimSpace(a.Unit)
	if a.Unit == "" {
		p.Add("unit", "请选择单位", "unit is required")
	}
	a.Branch = strings.TrimSpace(a.Branch)
	a.Participants = checkNames(&p, a.Participants)
	if a.Volunteers < 0 || a.Volunteers > MaxVolunteers {
		p.Add("volunteers", "志愿者人数须在0到"+itoa(MaxVolunteers)+"之间", "volunteers must be between 0 and "+itoa(MaxVolunteers))
	}
	if math.IsNaN(a.Hours) || a.Hours < 0 || a.Hours > MaxHours {
		p.Add("hours", "服务时长须在0到"+itoa(MaxHours)+"小时之间", "hours must be between 0 and "+itoa(MaxHours))
	} else {
		a.Hours = float64(a.Centihours()) / 100
	}
	if a.Served < 0 || a.Served > MaxServed {
		p.Add("served", "服务群众人数须在0到"+itoa(MaxServed)+"之间", "served must be between 0 and "+itoa(MaxServed))
	}
	a.Township = archive.CheckNamedText(&p, "township", "乡镇", a.Township, MaxAreaRunes, false)
	a.Village = archive.CheckNamedText(&p, "village", "村（社区）", a.Village, MaxAreaRunes, false)
	a.Place = archive.CheckNamedText(&p, "place", "地点", a.Place, MaxPlaceRunes, false)
	a.Description = archive.CheckNamedText(&p, "description", "活动内容", a.Description, MaxDescriptionRunes, false)
	return a, p.Err()
}

// checkNames trims the participants' user names and drops repeats.
func checkNames(p *minyi.Problems, names []string) []string {
	out := register.Names(names)
	// Counted as sent: a list too long for the form is refused even when
	// it repeats names.
	if len(names) > MaxParticipants {
		p.Add("participants", "参加民警最多"+itoa(MaxParticipants)+"人", "at most "+itoa(MaxParticipants)+" participants")
	}
	return out
}

// fields are an activity's values as its events record them.
func (a Activity) fields() map[string]string {
	return map[string]string{
		"date": a.Date, "title": a.Title, "unit": a.Unit, "branch": a.Branch,
		"participants": strings.Join(a.Participants, ","), "volunteers": itoa(a.Volunteers),
		"hours": strconv.FormatFloat(a.Hours, 'f', -1, 64), "served": itoa(a.Served),
		"township": a.Township, "village": a.Village, "place": a.Place, "campaign": campaignOf(a.Campaign),
	}
}

// campaignOf is a campaign id as events record it: "" for none.
func campaignOf(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// Recorded returns the log's event of a stored activity (a.ID assigned).
func (a Activity) Recorded() eventlog.Event {
	data := a.fields()
	if len(a.NewPhotos) > 0 {
		data["photos"] = archive.PhotoSums(a.NewPhotos)
	}
	return a.event(EventRecorded, a.CreatedBy, a.CreatedAt, data)
}

// Changed returns the log's event of the change from before to a, made by
// actor at a.UpdatedAt: the fields that changed, with their new values.
// ok is false when nothing changed.
func (a Activity) Changed(before Activity, actor string) (e eventlog.Event, ok bool) {
	old, now := before.fields(), a.fields()
	data := map[string]string{}
	for k, v := range now {
		if old[k] != v {
			data[k] = v
		}
	}
	body := ""
	if a.Description != before.Description {
		body = a.Description
		data["description"] = "changed"
	}
	if len(a.NewPhotos) > 0 {
		data["photos_added"] = archive.PhotoSums(a.NewPhotos)
	}
	if len(a.RemovedPhotos) > 0 {
		removed := make([]archive.Photo, len(a.RemovedPhotos))
		for i, ph := range a.RemovedPhotos {
			removed[i].PhotoInfo = ph
		}
		data["photos_removed"] = archive.PhotoSums(removed)
	}
	if len(data) == 0 {
		return eventlog.Event{}, false
	}
	e = a.event(EventChanged, actor, a.UpdatedAt, data)
	e.Body = body
	return e, true
}

func (a Activity) event(typ, actor string, at time.Time, data map[string]string) eventlog.Event {
	body := ""
	if typ == EventRecorded {
		body = a.Description
	}
	return eventlog.Event{Register: Register, RecordID: a.ID, Record: strconv.FormatInt(a.ID, 10),
		Type: typ, Actor: actor, At: at, Body: body, Data: data}
}

func itoa(n int) string { return strconv.Itoa(n) }
