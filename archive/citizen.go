package archive

import "time"

// CitizenItem is an item as the citizen who holds its access code sees it.
// It is an allow-list: a field of Item reaches the citizen only when it is
// copied here, so a field added to Item later stays internal until someone
// decides otherwise (TestCitizenViewIsAnAllowList). Left out on purpose:
// the pending extension (an officer's internal reason and user name), the
// channel detail (which box, station or outside system), the concern class,
// the counters of returns, redos, extensions and supervisions, the on-time
// flag, the item merged into, the location's finer detail and the stored
// access hash.
type CitizenItem struct {
	Number       string       `json:"number"`
	Version      int          `json:"version"` // the rating command needs it
	Kind         Kind         `json:"kind"`
	Channel      Channel      `json:"channel"`
	CategoryCode string       `json:"category,omitempty"`
	Title        string       `json:"title"`
	Text         string       `json:"text"`
	Status       Status       `json:"status"`
	UnitCode     string       `json:"unit,omitempty"`
	Contact      Contact      `json:"contact"` // their own, masked
	Publish      bool         `json:"publish"` // their own consent to the online desk
	ReceivedAt   time.Time    `json:"received_at"`
	EnteredAt    time.Time    `json:"entered_at"` // the time limit runs from it
	DueAt        time.Time    `json:"due_at"`
	RespondedAt  *time.Time   `json:"responded_at,omitempty"`
	AnsweredAt   *time.Time   `json:"answered_at,omitempty"`
	ClosedAt     *time.Time   `json:"closed_at,omitempty"`
	Satisfaction Satisfaction `json:"satisfaction,omitempty"` // their own rating
	PublicReply  string       `json:"public_reply,omitempty"`
	Photos       []PhotoInfo  `json:"photos,omitempty"`
	// CanRate says whether the citizen may rate the answer now.
	CanRate bool `json:"can_rate"`
	// CanAdd says whether the citizen may add information now (until the
	// item is crossed off), CanWithdraw whether they may withdraw it
	// (until it is answered).
	CanAdd      bool `json:"can_add"`
	CanWithdraw bool `json:"can_withdraw"`
}

// CitizenEvent is one step of the citizen's timeline: what happened and
// when, and the text of a public reply or answer; never who did it, nor
// internal data such as units or hashes.
type CitizenEvent struct {
	// Seq is the event's place in the log, which an answer's files name
	// (AttachmentInfo.Seq); pages and the API pair them by it, it is not
	// shown.
	Seq  int64     `json:"-"`
	Type EventType `json:"type"`
	At   time.Time `json:"at"`
	From Status    `json:"from,omitempty"`
	To   Status    `json:"to,omitempty"`
	Body string    `json:"body,omitempty"`
	// Attachments are an answer's files, when the view was given them
	// (CitizenView.WithAttachments).
	Attachments []AttachmentInfo `json:"attachments,omitempty"`
}

// CitizenView is the citizen's own item with its public timeline.
type CitizenView struct {
	Item   CitizenItem    `json:"item"`
	Events []CitizenEvent `json:"events"`
	// Redo, while the item is being done again (重辦) after the citizen's
	// unsatisfied rating or a reopening, says since when and, when the
	// citizen gave it by rating, their own reason; nil otherwise.
	Redo *CitizenRedo `json:"redo,omitempty"`
}

// CitizenRedo is the item's redo as its citizen sees it: never the
// reason a leader or an officer wrote, only the citizen's own.
type CitizenRedo struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// WithAttachments returns v with each answer's files (of files, the
// item's answers' files) listed under it, without their place in the log.
func (v CitizenView) WithAttachments(files []AttachmentInfo) CitizenView {
	evs := make([]CitizenEvent, len(v.Events))
	copy(evs, v.Events)
	for i, e := range evs {
		if e.Type != EventAnswered {
			continue
		}
		for _, f := range files {
			if f.Seq == e.Seq {
				f.Seq = 0
				evs[i].Attachments = append(evs[i].Attachments, f)
			}
		}
	}
	v.Events = evs
	return v
}

// Answer is the last answer of the timeline, which the tracking page shows
// first and in full; nil before the item is answered.
func (v CitizenView) Answer() *CitizenEvent {
	for i := len(v.Events) - 1; i >= 0; i-- {
		if v.Events[i].Type == EventAnswered {
			return &v.Events[i]
		}
	}
	return nil
}

// Overdue reports whether the item is open and past its due time at now.
func (c CitizenItem) Overdue(now time.Time) bool { return c.Status.Open() && now.After(c.DueAt) }

// ForCitizen is it as its citizen may see it, contact masked.
func ForCitizen(it Item) CitizenItem {
	return CitizenItem{
		Number: it.Number, Version: it.Version, Kind: it.Kind, Channel: it.Channel, CategoryCode: it.CategoryCode,
		Title: it.Title, Text: it.Text, Status: it.Status, UnitCode: it.UnitCode, Contact: MaskContact(it.Contact),
		Publish: it.Publish, ReceivedAt: it.ReceivedAt, EnteredAt: it.EnteredAt, DueAt: it.DueAt, RespondedAt: it.RespondedAt,
		AnsweredAt: it.AnsweredAt, ClosedAt: it.ClosedAt, Satisfaction: it.Satisfaction,
		PublicReply: it.PublicReply, Photos: it.Photos, CanRate: Allowed(it, ActRate, Citizen),
		CanAdd: Allowed(it, ActAddInfo, Citizen), CanWithdraw: mayWithdraw(it),
	}
}

// mayWithdraw reports whether the citizen may withdraw it now: decided as
// the withdrawal itself is (decideWithdraw), so the page never offers a
// button the rules refuse.
func mayWithdraw(it Item) bool {
	_, err := Decide(it, Command{Action: ActWithdraw, Version: it.Version}, Citizen, time.Time{}, Policy{}, nil)
	return err == nil
}

// CitizenViewOf is the item with its events as its citizen may see them.
func CitizenViewOf(it Item, evs []Event) CitizenView {
	v := CitizenView{Item: ForCitizen(it), Events: citizenEvents(evs)}
	if e, ok := LastRedo(evs); ok && it.Status.Open() {
		v.Redo = &CitizenRedo{At: e.At}
		if e.Type == EventRated {
			v.Redo.Reason = e.Body
		}
	}
	return v
}

// citizenEvents keeps the events a citizen may see (Event.PublicView), as
// they see them: the body only of public replies and answers and of what
// they wrote themselves (an addition, a rating, a withdrawal), so that the
// reason of an internal step never shows.
func citizenEvents(evs []Event) []CitizenEvent {
	out := make([]CitizenEvent, 0, len(evs))
	for _, e := range evs {
		if !e.PublicView() {
			continue
		}
		ce := CitizenEvent{Seq: e.Seq, Type: e.Type, At: e.At, From: e.From, To: e.To}
		if e.Public || e.Actor == ActorCitizen {
			ce.Body = e.Body
		}
		out = append(out, ce)
	}
	return out
}
