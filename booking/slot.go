package booking

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
)

// Kind is what hours a slot serves in.
type Kind string

// The kinds of slot.
const (
	KindRegular  Kind = "regular"  // 正常: office hours
	KindOffPeak  Kind = "off_peak" // 错时: staggered, e.g. over lunch
	KindExtended Kind = "extended" // 延时: into the evening
	KindHoliday  Kind = "holiday"  // 节假日: weekends and public holidays
)

// KindInfo is a kind with its names.
type KindInfo struct {
	Code   Kind
	Zh, En string
}

// Kinds are the kinds of slot, in the order pages offer them.
var Kinds = []KindInfo{
	{KindRegular, "正常", "regular hours"},
	{KindOffPeak, "错时", "off-peak"},
	{KindExtended, "延时", "extended hours"},
	{KindHoliday, "节假日", "weekends and holidays"},
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	return slices.ContainsFunc(Kinds, func(i KindInfo) bool { return i.Code == k })
}

// OutsideOfficeHours reports whether bookings in a slot of kind k count as
// off-peak or extended service (错时延时服务): every kind but regular.
func (k Kind) OutsideOfficeHours() bool { return k != KindRegular }

// Limits on a point's slots.
const (
	MaxSlots       = 50
	MaxCapacity    = 500
	MaxSlotService = 10
)

// Slot is one entry of a service point's weekly schedule: on its weekdays,
// from Start to End, Capacity citizens can be booked in.
type Slot struct {
	ID    int64 `json:"id"`
	Point int64 `json:"point"`
	// Weekdays are ISO weekdays, 1 Monday to 7 Sunday, ascending.
	Weekdays []int `json:"weekdays"`
	// Start and End are HH:MM, China time.
	Start    string `json:"start"`
	End      string `json:"end"`
	Kind     Kind   `json:"kind"`
	Capacity int    `json:"capacity"`
	// Services are what the slot offers, of the point's services; none:
	// all of them.
	Services []string `json:"services"`
}

// Weekday is t's ISO weekday, 1 Monday to 7 Sunday.
func Weekday(t time.Time) int {
	if d := int(t.Weekday()); d != 0 {
		return d
	}
	return 7
}

// OnDay reports whether the slot is held on day (China time): on one of
// its weekdays, and, unless it is a holiday slot, only on a working day of
// the calendar (working reports that), so that a regular Monday slot is not
// offered on a public holiday and a weekend slot is.
func (s Slot) OnDay(day time.Time, working bool) bool {
	if !slices.Contains(s.Weekdays, Weekday(day)) {
		return false
	}
	return s.Kind == KindHoliday || working
}

// clock parses HH:MM into minutes after midnight.
func clock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// StartsAt is when the slot starts on day (a China day).
func (s Slot) StartsAt(day time.Time) time.Time {
	m, _ := clock(s.Start)
	return archive.ChinaDay(day).Add(time.Duration(m) * time.Minute)
}

// CheckSlots validates a point's whole schedule, naming each problem's
// slot (slots[2].start), and returns it cleaned; services are the point's,
// which a slot may only narrow down.
func CheckSlots(slots []Slot, services []string) ([]Slot, error) {
	var p minyi.Problems
	if len(slots) > MaxSlots {
		p.Add("slots", "时段最多"+strconv.Itoa(MaxSlots)+"个", "at most "+strconv.Itoa(MaxSlots)+" slots")
		return slots, p.Err()
	}
	out := make([]Slot, 0, len(slots))
	for i, s := range slots {
		f := "slots[" + strconv.Itoa(i) + "]."
		zh := "第" + strconv.Itoa(i+1) + "个时段的"
		days := []int{}
		for _, d := range s.Weekdays {
			if d < 1 || d > 7 {
				p.Add(f+"weekdays", zh+"星期须为1（周一）到7（周日）", "weekdays must be 1 (Monday) to 7 (Sunday)")
				break
			}
			if !slices.Contains(days, d) {
				days = append(days, d)
			}
		}
		slices.Sort(days)
		if len(s.Weekdays) == 0 {
			p.Add(f+"weekdays", zh+"星期不能为空", "weekdays are required")
		}
		s.Weekdays = days
		s.Start, s.End = strings.TrimSpace(s.Start), strings.TrimSpace(s.End)
		start, okStart := clock(s.Start)
		end, okEnd := clock(s.End)
		if !okStart {
			p.Add(f+"start", zh+"开始时间须为HH:MM", "start must be HH:MM")
		}
		if !okEnd {
			p.Add(f+"end", zh+"结束时间须为HH:MM", "end must be HH:MM")
		}
		if okStart && okEnd && end <= start {
			p.Add(f+"end", zh+"结束时间须晚于开始时间", "end must be after start")
		}
		if !s.Kind.Valid() {
			p.Add(f+"kind", zh+"类型须为regular、off_peak、extended或holiday", "kind must be regular, off_peak, extended or holiday")
		}
		if s.Capacity < 1 || s.Capacity > MaxCapacity {
			p.Add(f+"capacity", zh+"可约人数须为1到"+strconv.Itoa(MaxCapacity), "capacity must be 1 to "+strconv.Itoa(MaxCapacity))
		}
		offered := []string{}
		for _, sv := range s.Services {
			sv = strings.TrimSpace(sv)
			if sv == "" || slices.Contains(offered, sv) {
				continue
			}
			if !slices.Contains(services, sv) {
				p.Add(f+"services", zh+"服务项目须为本站点的服务之一", "services must be among the point's services")
				break
			}
			offered = append(offered, sv)
		}
		// Counted as sent, as a point's services are: a list too long is
		// refused even when it repeats services.
		if len(s.Services) > MaxSlotService {
			p.Add(f+"services", zh+"服务项目最多"+strconv.Itoa(MaxSlotService)+"项", "at most "+strconv.Itoa(MaxSlotService)+" services")
		}
		s.Services = offered
		// Two slots of a point starting at the same time on the same day
		// would share one count of places (store: per point, day, start).
		for j, o := range out {
			if o.Start == s.Start && slices.ContainsFunc(o.Weekdays, func(d int) bool { return slices.Contains(s.Weekdays, d) }) {
				p.Add(f+"start", zh+"开始时间与第"+strconv.Itoa(j+1)+"个时段在同一天重复", "start repeats slot "+strconv.Itoa(j+1)+" on the same weekday")
				break
			}
		}
		out = append(out, s)
	}
	return out, p.Err()
}

// SlotsText is a schedule as its event records it: one slot a line,
// weekdays;start-end;kind;capacity;services.
func SlotsText(slots []Slot) string {
	lines := make([]string, len(slots))
	for i, s := range slots {
		days := make([]string, len(s.Weekdays))
		for j, d := range s.Weekdays {
			days[j] = strconv.Itoa(d)
		}
		lines[i] = strings.Join(days, ",") + ";" + s.Start + "-" + s.End + ";" + string(s.Kind) + ";" +
			strconv.Itoa(s.Capacity) + ";" + strings.Join(s.Services, "|")
	}
	return strings.Join(lines, "\n")
}

// Availability is a slot on one day and its free places.
type Availability struct {
	Slot
	Day    string `json:"date"`
	Booked int    `json:"booked"`
	Free   int    `json:"free"`
}
