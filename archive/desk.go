package archive

import (
	"context"
	"strings"
	"time"
	"unicode"

	"minyi"
	"minyi/org"
	"minyi/register"
	"minyi/textsearch"
)

// DeskEntry is a question on the 24-hour online desk (24小時警局) as the
// public sees it: the reviewed public version of the title, question and
// answer (DeskVersion), never what was written to or by the citizen, who
// asked or how to reach them.
type DeskEntry struct {
	Number       string     `json:"number"`
	Kind         Kind       `json:"kind"`
	CategoryCode string     `json:"category,omitempty"`
	Title        string     `json:"title"`
	Text         string     `json:"text"`
	UnitCode     string     `json:"unit,omitempty"`
	ReceivedAt   time.Time  `json:"received_at"`
	AnsweredAt   *time.Time `json:"answered_at,omitempty"`
	Answer       string     `json:"answer"`
	// Asked is how many questions on the desk ask the same (SameQuestion),
	// this one among them, when the page shows the question once for
	// all of them; 0 when it does not group them.
	Asked int `json:"asked,omitempty"`
}

// DeskPage is one page of the online desk.
type DeskPage struct {
	Entries    []DeskEntry `json:"entries"`
	NextCursor string      `json:"next_cursor,omitempty"`
	// Total is how many questions the desk shows, or a search found,
	// when the store counts them; TotalCapped says more matched a search
	// than Total (the store stops counting there).
	Total       *int `json:"total,omitempty"`
	TotalCapped bool `json:"total_capped,omitempty"`
}

// Desk lists the published questions with their answers, each on its own
// (for staff who moderate them; citizens read DeskSorted), newest first, or
// by relevance to query. A question appears once the citizen has agreed to
// publish it and staff have answered it in public; staff can withdraw it at
// any time (ActSetPublish).
func (s *Service) Desk(ctx context.Context, query, cursor string, limit int) (DeskPage, error) {
	return s.desk(ctx, query, "", cursor, limit)
}

// DeskSorted is the desk as citizens read it: in the order sort
// (SortNewest, SortRelevance; "" for Desk's), with the count of what it
// shows or a search found. Without a search it shows each question once
// for all who asked it (DeskEntries), and counts those entries.
func (s *Service) DeskSorted(ctx context.Context, query, sort, cursor string, limit int) (DeskPage, error) {
	switch sort {
	case "", SortNewest, SortRelevance:
	default:
		return DeskPage{}, minyi.Invalid("sort", "排序方式无效", "sort must be newest or relevance")
	}
	if strings.TrimSpace(query) == "" {
		page, err := s.Store.DeskEntries(ctx, cursor, limit)
		if err != nil {
			return DeskPage{}, err
		}
		return deskPageOf(page), nil
	}
	return s.desk(ctx, query, sort, cursor, limit)
}

// DeskAsked lists, newest first, the questions on the desk asking the same
// as the question number (SameQuestion), it among them, with their count.
func (s *Service) DeskAsked(ctx context.Context, number, cursor string, limit int) (DeskPage, error) {
	page, err := s.Store.DeskAsked(ctx, number, cursor, limit)
	if err != nil {
		return DeskPage{}, err
	}
	if page.Total == 0 {
		return DeskPage{}, errNotOnDesk
	}
	return deskPageOf(page), nil
}

// deskPageOf is a page of the store's desk entries as the desk shows it,
// each question checked again on its row (see desk).
func deskPageOf(page DeskItems) DeskPage {
	total := page.Total
	out := DeskPage{NextCursor: page.NextCursor, Entries: make([]DeskEntry, 0, len(page.Items)), Total: &total}
	for i, it := range page.Items {
		if it.OnDesk() {
			e := deskEntry(it)
			if i < len(page.Asked) {
				e.Asked = page.Asked[i]
			}
			out.Entries = append(out.Entries, e)
		}
	}
	return out
}

// desk lists every question matching query (all if empty), each on its own.
func (s *Service) desk(ctx context.Context, query, sort, cursor string, limit int) (DeskPage, error) {
	page, err := s.Store.FindItems(ctx, Filter{Query: query, Public: true, Sort: sort, Cursor: cursor, Limit: limit, Now: s.now()})
	if err != nil {
		return DeskPage{}, err
	}
	out := DeskPage{NextCursor: page.NextCursor, Entries: make([]DeskEntry, 0, len(page.Items)),
		Total: page.Total, TotalCapped: page.TotalCapped}
	for _, it := range page.Items {
		// The desk's search index alone chose these; the rule is checked
		// again on the rows themselves, so that an index out of step (a
		// server of an older version writing during an upgrade) can never
		// show what is no longer published. A page may come out short.
		if it.OnDesk() {
			out.Entries = append(out.Entries, deskEntry(it))
		}
	}
	return out, nil
}

// DeskQuestion returns one published question.
func (s *Service) DeskQuestion(ctx context.Context, number string) (DeskEntry, error) {
	it, err := s.Store.Item(ctx, number)
	if err != nil {
		return DeskEntry{}, err
	}
	if !it.OnDesk() {
		return DeskEntry{}, errNotOnDesk
	}
	return deskEntry(it), nil
}

// OnDesk reports whether the item is shown on the public online desk: the
// citizen agreed, it is answered, and its public version passed review.
func (it Item) OnDesk() bool {
	return it.Publish && it.DeskAnswer != "" &&
		(it.Status == StatusAnswered || it.Status == StatusVisited || it.Status == StatusClosed)
}

func deskEntry(it Item) DeskEntry {
	return DeskEntry{
		Number: it.Number, Kind: it.Kind, CategoryCode: it.CategoryCode, Title: it.DeskTitle, Text: it.DeskText,
		UnitCode: it.UnitCode, ReceivedAt: it.ReceivedAt, AnsweredAt: it.AnsweredAt, Answer: it.DeskAnswer,
	}
}

// DeskReview is an item's public version under review, with the personal
// data found in it.
type DeskReview struct {
	Item     Item // contact masked
	Version  DeskVersion
	Findings []Finding
}

// ReviewDesk checks a public version of an item for u, who may publish it:
// v, or without it the draft (Item.DeskDraft). The check needs the
// citizen's unmasked contact, which stays here; only the spans of the
// version's own text are returned.
func (s *Service) ReviewDesk(ctx context.Context, u org.User, number string, v *DeskVersion) (DeskReview, error) {
	it, err := s.visible(ctx, u, number)
	if err != nil {
		return DeskReview{}, err
	}
	if err := lifecycle.Permit(ActSetPublish, register.ActorFor(u), it.UnitCode); err != nil {
		return DeskReview{}, err
	}
	draft := it.DeskDraft()
	if v != nil {
		var p minyi.Problems
		draft = draft.edited(&p, *v)
	}
	r := DeskReview{Version: draft, Findings: it.CheckDesk(draft)}
	it.Contact = MaskContact(it.Contact)
	r.Item = it
	return r, nil
}

// DeskItems is a page of the online desk as the store reads it: the
// questions and, when the page shows each question once for all who asked
// it, how many asked (Asked, by index); NextCursor continues it; Total
// counts what the list holds in all.
type DeskItems struct {
	Items      []Item
	Asked      []int
	NextCursor string
	Total      int
}

// SameQuestion is what questions asking the same share, so that the desk
// shows them once: the public title folded as search folds it (script,
// width, case), without white space and punctuation. It is "" for a title
// of neither letters nor digits, which asks nothing in particular.
func SameQuestion(title string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return r
		}
		return -1
	}, textsearch.Normalize(title))
}

var errNotOnDesk = minyi.Errorf(minyi.ENotFound, "没有这条公开问答 / no such question on the online desk")
