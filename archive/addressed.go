package archive

import (
	"time"

	"minyi/org"
)

// Addressed says why a new item was the business of one unit from the start
// (issue 15 §7): the unit then has it at once, dispatched by the system, and
// can sign for it, answer it or return it to the bureau without waiting for
// the bureau to dispatch what was never in doubt.
type Addressed string

// Why an item is addressed to a unit.
const (
	// AddressedQRCode: a citizen scanned the unit's QR poster, which
	// promises that the message goes straight to that unit.
	AddressedQRCode Addressed = "qr_code"
	// AddressedByUnit: the unit's own staff entered it into their unit (a
	// slip from its box, a visit, a call or a walk-in at its desk).
	AddressedByUnit Addressed = "by_unit"
	// AddressedMeeting: it was raised at a meeting the unit hosted and
	// filed into the host unit.
	AddressedMeeting Addressed = "meeting"
)

// addressing is why sub, filed by staff (nil for a citizen or an outside
// client), is addressed to its unit, or "" when it is not and waits for the
// bureau's dispatch: a citizen's QR item naming its unit, or an item staff
// file into their own unit. A category's default unit addresses nothing:
// the bureau routes by category.
func addressing(staff *org.User, sub Submission) Addressed {
	switch {
	case sub.Unit == "":
		return ""
	case staff == nil && sub.Channel == ChannelQRCode:
		return AddressedQRCode
	case staff != nil && staff.UnitCode == sub.Unit:
		return AddressedByUnit
	}
	return ""
}

// address hands a new item, addressed to unit u for why, to that unit when
// u takes the items addressed to it (org.Unit.TakesAddressed): it returns
// the item dispatched and the event recording why, by the system at now.
// Otherwise the item stays in the bureau's dispatch queue and ok is false.
func address(it Item, u org.Unit, why Addressed, now time.Time) (Item, Event, bool) {
	if why == "" || u.Code != it.UnitCode || it.Status != StatusReceived || !u.TakesAddressed() {
		return it, Event{}, false
	}
	e := newEvent(it, ActorSystem, now, StatusDispatched, "直接交本单位办理 / addressed to the unit")
	e.Type = EventDispatched
	e.Data = map[string]string{"unit": u.Code, "from_unit": "", "addressed": string(why)}
	return Apply(it, e), e, true
}
