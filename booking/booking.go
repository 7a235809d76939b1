// Package booking is the register of bookings at service points (预约): a
// point's weekly schedule of slots (regular, off-peak 错时, extended 延时 and
// holiday hours, each with its capacity), a citizen's booking of a slot on
// a day for a service from the portal without an account (name, phone, an
// elderly citizen's green channel 老年人绿色通道: a priority slot or a home
// visit), its code for the citizen to see or cancel it (kept hashed), its
// lifecycle (booked → attended | no-show | cancelled), its events of the one
// log, its figures, and the Service that books within capacity and lets a
// unit's staff work their points' bookings.
package booking

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/ratelimit"
	"minyi/register"
)

// Register is the bookings' name in the event log and the ledger summary.
const Register = "bookings"

// Noun names a booking in the register's messages.
var Noun = register.Noun{Zh: "预约", En: "booking"}

// Status is where a booking stands.
type Status string

// The statuses of a booking.
const (
	StatusBooked    Status = "booked"
	StatusAttended  Status = "attended"
	StatusNoShow    Status = "no_show"
	StatusCancelled Status = "cancelled"
)

// Statuses lists every status in order.
var Statuses = []Status{StatusBooked, StatusAttended, StatusNoShow, StatusCancelled}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Terminal reports whether nothing more happens to a booking in s.
func (s Status) Terminal() bool { return s != StatusBooked }

// Green is an elderly citizen's green channel (老年人绿色通道).
type Green string

// The green channel's forms.
const (
	GreenNone      Green = ""
	GreenPriority  Green = "priority"   // served first in the slot
	GreenHomeVisit Green = "home_visit" // staff come to the citizen
)

// Valid reports whether g is a known form of the green channel.
func (g Green) Valid() bool { return g == GreenNone || g == GreenPriority || g == GreenHomeVisit }

// Limits on a booking.
const (
	MaxNameRunes    = 50
	MaxNoteRunes    = 500
	MaxServiceRunes = 100
	// Ahead is how many days ahead a slot can be booked: tomorrow at the
	// earliest, the Ahead-th day at the latest.
	Ahead = 14
	// CodeLength is a booking code's length: 12 letters of 32 are 60 bits,
	// too many to guess at the code-guess limit's pace.
	CodeLength = 12
)

var (
	phonePattern = regexp.MustCompile(archive.PhonePattern)
	codePattern  = regexp.MustCompile(`^[` + codeAlphabet + `]{` + strconv.Itoa(CodeLength) + `}$`)
)

// codeAlphabet has no 0/O, 1/I/L: a code is read out over the phone.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// Booking is one citizen's place in a slot on a day.
type Booking struct {
	ID    int64  `json:"id"`
	Point int64  `json:"point"`
	Slot  int64  `json:"slot"`
	Unit  string `json:"unit"` // the point's, whose staff serve the booking
	Day   string `json:"date"` // YYYY-MM-DD, China time
	// Start, End and Kind are the slot's when booked: a later change of the
	// schedule does not move a booking.
	Start string `json:"start"`
	End   string `json:"end"`
	Kind  Kind   `json:"kind"`
	// ServiceID names a one-stop service (一件事) when the portal offers
	// them; Service is what the citizen comes for, as they chose it.
	ServiceID int64  `json:"service_id,omitempty"`
	Service   string `json:"service"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	IDNumber  string `json:"id_number,omitempty"`
	Elderly   bool   `json:"elderly"`
	Green     Green  `json:"green_channel,omitempty"`
	Note      string `json:"note,omitempty"`
	Status    Status `json:"status"`
	// CancelledBy is "citizen" or the member of staff who cancelled.
	CancelledBy string    `json:"cancelled_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`

	// Code is the citizen's booking code, only on the answer that books.
	Code string `json:"code,omitempty"`
	// CodeHash is how the code is kept (HashCode).
	CodeHash string `json:"-"`
	// Counted are the abuse limits' uses the store counts in the booking's
	// transaction; a use past its allowance refuses the booking.
	Counted []ratelimit.Use `json:"-"`
	// Capacity is the slot's, which the store books within.
	Capacity int `json:"-"`
	// Notice is the confirmation SMS the store writes to the outbox with the
	// booking; empty: none.
	Notice string `json:"-"`
	archive.Form
}

// Request is what a citizen sends to book.
type Request struct {
	Point     int64  `json:"point"`
	Slot      int64  `json:"slot"`
	Day       string `json:"date"`
	ServiceID int64  `json:"service_id"`
	Service   string `json:"service"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	IDNumber  string `json:"id_number"`
	Elderly   bool   `json:"elderly"`
	Green     Green  `json:"green_channel"`
	Note      string `json:"note"`
	// FormToken is the page form's (archive.FileOnce); never from JSON.
	FormToken string `json:"-"`
}

// Validate checks what the citizen wrote, as of now: every field named.
// That the slot exists, is held that day and has a place is the Service's.
func (r Request) Validate(now time.Time) (Request, time.Time, error) {
	var p minyi.Problems
	if r.Point <= 0 {
		p.Add("point", "请选择服务站点", "point is required")
	}
	if r.Slot <= 0 {
		p.Add("slot", "请选择时段", "slot is required")
	}
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(r.Day), calendar.Zone)
	today := archive.ChinaDay(now)
	switch {
	case err != nil:
		p.Add("date", "预约日期须为YYYY-MM-DD格式", "date must be YYYY-MM-DD")
	case !day.After(today):
		p.Add("date", "预约日期须在今天以后", "date must be after today")
	case day.After(today.AddDate(0, 0, Ahead)):
		p.Add("date", "只能预约"+strconv.Itoa(Ahead)+"天以内", "date must be within "+strconv.Itoa(Ahead)+" days")
	}
	r.Day = strings.TrimSpace(r.Day)
	if r.ServiceID < 0 {
		p.Add("service_id", "服务编号无效", "service_id must be a positive number")
	}
	r.Service = archive.CheckNamedText(&p, "service", "办理事项", r.Service, MaxServiceRunes, false)
	r.Name = archive.CheckNamedText(&p, "name", "姓名", r.Name, MaxNameRunes, true)
	r.Phone = strings.ReplaceAll(strings.TrimSpace(r.Phone), " ", "")
	switch {
	case r.Phone == "":
		p.Add("phone", "请填写手机号码", "phone is required")
	case !phonePattern.MatchString(r.Phone):
		p.Add("phone", "手机号码格式不正确", "phone must be an 11-digit mobile or a landline number")
	}
	r.IDNumber = strings.ToUpper(strings.TrimSpace(r.IDNumber))
	if r.IDNumber != "" && !archive.ValidIDNumber(r.IDNumber) {
		p.Add("id_number", "身份证号码不正确", "id_number is not a valid resident ID number")
	}
	if !r.Green.Valid() {
		p.Add("green_channel", "绿色通道须为priority（优先办理）或home_visit（上门服务）", "green_channel must be priority or home_visit")
	} else if r.Green != GreenNone && !r.Elderly {
		p.Add("green_channel", "绿色通道仅限老年人", "the green channel is for elderly citizens")
	}
	r.Note = archive.CheckNamedText(&p, "note", "备注", r.Note, MaxNoteRunes, false)
	return r, day, p.Err()
}

// NewCode returns a random booking code.
func NewCode() string {
	b := make([]byte, CodeLength)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return codeOf(b)
}

// FormCode is the code of a booking made through a page form: drawn from
// the form's token, so that the form sent again shows the same code
// although only its hash is kept.
func FormCode(token string) string {
	sum := sha256.Sum256([]byte("minyi booking code\x00" + token))
	return codeOf(sum[:CodeLength])
}

func codeOf(b []byte) string {
	out := make([]byte, len(b))
	for i := range b {
		out[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(out)
}

// CleanCode is a code as typed (lower case, spaces, dashes) in its form;
// ok is false when it cannot be a code.
func CleanCode(s string) (string, bool) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
	return s, codePattern.MatchString(s)
}

// HashCode is how a booking code is kept: never in the clear.
func HashCode(code string) string {
	sum := sha256.Sum256([]byte("minyi booking\x00" + code))
	return hex.EncodeToString(sum[:])
}

// Masked is the booking as staff without need to know see it: phone and ID
// number masked as items' contacts are, and the name too for staff who do
// not serve the point (nameToo).
func (b Booking) Masked(nameToo bool) Booking {
	c := archive.MaskContact(archive.Contact{Name: b.Name, Phone: b.Phone, IDNumber: b.IDNumber})
	b.Phone, b.IDNumber = c.Phone, c.IDNumber
	if nameToo {
		b.Name = c.Name
	}
	return b
}

// SearchText is what a search by words finds a booking by.
func (b Booking) SearchText() string { return b.Name + "\n" + b.Service + "\n" + b.Note }

// record is the booking's id as the log names it.
func (b Booking) record() string { return strconv.FormatInt(b.ID, 10) }

// Booked returns the log's event of a stored booking (b.ID assigned). It
// holds no personal data: the log is read by auditors, the row by staff.
func (b Booking) Booked() eventlog.Event {
	return eventlog.Event{Register: Register, RecordID: b.ID, Record: b.record(), Type: EventBooked,
		Actor: "citizen", At: b.CreatedAt, To: string(StatusBooked),
		Data: map[string]string{"point": strconv.FormatInt(b.Point, 10), "slot": strconv.FormatInt(b.Slot, 10),
			"date": b.Day, "start": b.Start, "kind": string(b.Kind), "service": b.Service,
			"elderly": strconv.FormatBool(b.Elderly), "green_channel": string(b.Green)}}
}

// Filter selects bookings for a list.
type Filter struct {
	register.Filter
	Units  []string // visibility: only these units' points (nil: all)
	Unit   string
	Point  int64
	Day    string // one day
	From   string // on or after
	To     string // on or before
	Status Status
	// Green: only green-channel bookings.
	Green bool
}

// Page is one page of bookings, by day and start.
type Page = register.Page[Booking]

// ConfirmationText is the SMS confirming a booking, with the code.
func ConfirmationText(bureau, point string, b Booking) string {
	return "【" + bureau + "】您已预约" + point + " " + b.Day + " " + b.Start + "-" + b.End +
		"，预约码" + b.Code + "，凭码可查看或取消预约。"
}

// Patch is staff's correction of a booking: nil fields stay as they are.
type Patch struct {
	Service *string `json:"service"`
	Elderly *bool   `json:"elderly"`
	Green   *Green  `json:"green_channel"`
	Note    *string `json:"note"`
}

// Apply returns b with the patch's fields set.
func (c Patch) Apply(b Booking) Booking {
	register.SetIf(&b.Service, c.Service)
	register.SetIf(&b.Elderly, c.Elderly)
	register.SetIf(&b.Green, c.Green)
	register.SetIf(&b.Note, c.Note)
	return b
}

// checkEdit validates what a correction may change, naming each field.
func (b Booking) checkEdit() (Booking, error) {
	var p minyi.Problems
	b.Service = archive.CheckNamedText(&p, "service", "办理事项", b.Service, MaxServiceRunes, false)
	b.Note = archive.CheckNamedText(&p, "note", "备注", b.Note, MaxNoteRunes, false)
	switch {
	case !b.Green.Valid():
		p.Add("green_channel", "绿色通道须为priority（优先办理）或home_visit（上门服务）", "green_channel must be priority or home_visit")
	case b.Green != GreenNone && !b.Elderly:
		p.Add("green_channel", "绿色通道仅限老年人", "the green channel is for elderly citizens")
	}
	return b, p.Err()
}

// editFields are a booking's correctable values as its change event
// records them; the note is recorded as changed, never its words, which
// may name people.
func (b Booking) editFields() map[string]string {
	return map[string]string{"service": b.Service, "elderly": strconv.FormatBool(b.Elderly),
		"green_channel": string(b.Green), "note": strconv.Itoa(len([]rune(b.Note)))}
}
