package archive

import (
	"context"
	"time"

	"minyi"
)

// Open311 (GeoReport v2) is public: anybody may read the requests it shows,
// without a key. It shows the items outside systems filed through it and
// the items published on the online desk once answered; never who wrote
// them or how to reach them.

// Open311Visible reports whether anybody may read the item through Open311:
// it was filed through Open311, or it is a question on the online desk
// (Item.OnDesk), shown in its reviewed public version only. Filter.Open311
// selects the same items in the store.
func (it Item) Open311Visible() bool {
	return it.Channel == ChannelOpen311 || it.OnDesk()
}

// Open311Event is a public event with the channel of its item, which says
// whether Open311 may show its text: a desk question's replies and answers
// were written to the citizen and may name them. The item's contact and
// location are what Open311Reply looks for in the text of an Open311
// item's replies; they are never shown.
type Open311Event struct {
	Event
	Channel  Channel
	Contact  Contact
	Location Location
}

// Open311Withheld stands in Open311 for a reply or answer to an item filed
// through Open311 that holds personal data (Item.Open311Reply).
const Open311Withheld = "已答复（含个人信息，不公开）/ answered (holds personal details; not published)"

// Open311Reply is what anybody may read through Open311 of text staff
// wrote to the citizen of an item filed through Open311 (a public reply,
// an answer): the text itself when PersonalData finds nothing in it for
// the item, else Open311Withheld. Staff write these replies to the citizen
// and greet them by name ("王先生您好"); the desk's questions have reviewed
// public versions instead, and Open311 shows only those.
func (it Item) Open311Reply(text string) string {
	if text == "" || len(PersonalData(text, it.Contact, it.Location)) == 0 {
		return text
	}
	return Open311Withheld
}

// EventFilter selects the public events of Open311-visible items by time.
type EventFilter struct {
	From, To time.Time // at in [From, To)
	Limit    int       // at most this many (default 1000)
	Offset   int       // after skipping this many
}

// open311Chunk is how many items one store call fetches while paging.
const open311Chunk = 100

// Open311MaxDepth is how far into a list a client may page: anonymous
// readers must not make one request cost thousands of queries. Deeper
// lists are reached by narrowing the dates.
const Open311MaxDepth = 10_000

func checkDepth(page, size int) error {
	if page < 1 || size < 1 {
		return minyi.Invalid("page", "页码无效", "page must be 1 or more")
	}
	if (page-1)*size >= Open311MaxDepth {
		return minyi.Invalid("page", "翻页太深（最多前10000条），请缩小日期范围",
			"page goes past the first 10000 entries; narrow start_date and end_date")
	}
	return nil
}

// Open311Requests returns page (from 1) of size items readable through
// Open311 that match f, the most recently received first, without their
// contact. Pages are counted by walking the store's cursors, so they stay
// exact however the filter narrows the list.
func (s *Service) Open311Requests(ctx context.Context, f Filter, page, size int) ([]Item, error) {
	if err := checkDepth(page, size); err != nil {
		return nil, err
	}
	f.Open311, f.Sort, f.Cursor, f.Query, f.Now = true, SortNewest, "", "", s.now()
	skip := (page - 1) * size
	out := []Item{}
	for len(out) < size {
		f.Limit = min(open311Chunk, size-len(out))
		if skip > 0 {
			f.Limit = min(open311Chunk, skip)
		}
		p, err := s.Store.FindItems(ctx, f)
		if err != nil {
			return nil, err
		}
		if skip > 0 {
			skip -= len(p.Items)
		} else {
			out = append(out, p.Items...)
		}
		if p.NextCursor == "" {
			break
		}
		f.Cursor = p.NextCursor
	}
	return s.publicItems(ctx, out)
}

// Open311Request returns one item readable through Open311; any other
// number is not found, so the API does not tell which numbers exist.
func (s *Service) Open311Request(ctx context.Context, number string) (Item, error) {
	it, err := s.Store.Item(ctx, number)
	if minyi.ErrorCode(err) == minyi.ENotFound || (err == nil && !it.Open311Visible()) {
		return Item{}, minyi.Errorf(minyi.ENotFound, "没有这个诉求 / no such service request: %s", number)
	} else if err != nil {
		return Item{}, err
	}
	out, err := s.publicItems(ctx, []Item{it})
	if err != nil {
		return Item{}, err
	}
	return out[0], nil
}

// Open311Updates returns the public events (replies, answers and state
// changes) of the items readable through Open311 in f's window, oldest
// first by sequence, without actors, internal data or non-public bodies.
// A desk question's answer shows as the public version it published, if
// any, and its replies without their text; an Open311 item's replies and
// answers show only if they name nobody (Open311Reply).
func (s *Service) Open311Updates(ctx context.Context, f EventFilter) ([]Event, error) {
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	if err := checkDepth(f.Offset/f.Limit+1, f.Limit); err != nil {
		return nil, err
	}
	evs, err := s.Store.Open311Events(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(evs))
	for _, oe := range evs {
		e := oe.Event
		if !e.PublicView() {
			continue // the store filters too; this keeps a mismatch from leaking
		}
		switch {
		case !e.Public:
			e.Body = ""
		case oe.Channel == ChannelOpen311:
			e.Body = Item{Contact: oe.Contact, Location: oe.Location}.Open311Reply(e.Body)
		case oe.Channel != ChannelOpen311:
			// Answers since the desk had public versions carry the one
			// they published (Decide), empty when it named the citizen.
			e.Body = ""
			if e.Type == EventAnswered {
				e.Body = e.Data["desk_answer"]
			}
		}
		e.Actor, e.Data, e.Hash, e.PrevHash = "", nil, "", ""
		out = append(out, e)
	}
	return out, nil
}

// PublicLocation is where the item is as anybody may read it through
// Open311: the township and village. The street address and coordinates
// lead to a door, so they are shown only for an item filed through Open311
// whose citizen agreed (Location.ShareLocation), and never for a question
// on the online desk, whose citizens were promised that nothing
// identifying them is published.
func (it Item) PublicLocation() Location {
	if it.Channel == ChannelOpen311 && it.Location.ShareLocation && !it.Publish {
		return it.Location
	}
	return Location{Township: it.Location.Township, Village: it.Location.Village}
}

// publicItems turns items into what anybody may read through Open311:
// without what only staff and the citizen may know, at their public
// location, and updated when their last public event happened — an
// internal note or a look at the citizen's phone must not show as a change.
// A desk question shows its reviewed public version (DeskVersion), never
// what was written to or by the citizen; an Open311 item's latest reply
// shows only if it names nobody (Open311Reply).
func (s *Service) publicItems(ctx context.Context, items []Item) ([]Item, error) {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	updated, err := s.Store.PublicUpdated(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Item, len(items))
	for i, it := range items {
		if it.Channel == ChannelOpen311 {
			// Checked before the contact and the location go.
			it.PublicReply = it.Open311Reply(it.PublicReply)
		} else {
			it.Title, it.Text, it.PublicReply = it.DeskTitle, it.DeskText, it.DeskAnswer
		}
		it.Contact, it.AccessHash, it.ChannelDetail, it.Pending = Contact{}, "", "", nil
		it.Location = it.PublicLocation()
		it.UpdatedAt = it.ReceivedAt
		if t, ok := updated[it.ID]; ok {
			it.UpdatedAt = t
		}
		out[i] = it
	}
	return out, nil
}
