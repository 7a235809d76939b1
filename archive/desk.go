package archive

import (
	"minyi"

	"context"
	"time"
)

// DeskEntry is a question on the 24-hour online desk (24小時警局) as the
// public sees it: the question and the officers' public answer, never who
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
}

// DeskPage is one page of the online desk.
type DeskPage struct {
	Entries    []DeskEntry `json:"entries"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// Desk lists the published questions with their answers, newest first, or
// by relevance to query. A question appears once the citizen has agreed to
// publish it and staff have answered it in public; staff can withdraw it at
// any time (ActSetPublish).
func (s *Service) Desk(ctx context.Context, query, cursor string, limit int) (DeskPage, error) {
	page, err := s.Store.FindItems(ctx, Filter{Query: query, Public: true, Cursor: cursor, Limit: limit, Now: s.now()})
	if err != nil {
		return DeskPage{}, err
	}
	out := DeskPage{NextCursor: page.NextCursor, Entries: make([]DeskEntry, 0, len(page.Items))}
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

// OnDesk reports whether the item is shown on the public online desk.
func (it Item) OnDesk() bool {
	return it.Publish && it.PublicReply != "" &&
		(it.Status == StatusAnswered || it.Status == StatusVisited || it.Status == StatusClosed)
}

func deskEntry(it Item) DeskEntry {
	return DeskEntry{
		Number: it.Number, Kind: it.Kind, CategoryCode: it.CategoryCode, Title: it.Title, Text: it.Text,
		UnitCode: it.UnitCode, ReceivedAt: it.ReceivedAt, AnsweredAt: it.AnsweredAt, Answer: it.PublicReply,
	}
}

var errNotOnDesk = minyi.Errorf(minyi.ENotFound, "没有这条公开问答 / no such question on the online desk")
