package archive

import (
	"context"
	"strings"

	"minyi"
)

// Limits on a canned reply; the body fits in a reply or an answer.
const (
	MaxCannedTitleRunes = 40
	MaxCannedBodyRunes  = MaxTextRunes
)

// CannedReply is a stock answer (常用答復) that staff start a reply from,
// offered for one category or, with CategoryCode empty, for every item.
type CannedReply struct {
	ID           int64  `json:"id"`
	CategoryCode string `json:"category,omitempty"`
	Title        string `json:"title"`
	Body         string `json:"body"`
	Active       bool   `json:"active"`
}

// Validate checks a canned reply before it is stored.
func (c CannedReply) Validate() error {
	var p minyi.Problems
	if c.CategoryCode != "" && !validCode(c.CategoryCode) {
		p.Add("category", "分类代码无效", "invalid category code")
	}
	checkText(&p, "title", c.Title, MaxCannedTitleRunes, true)
	checkText(&p, "body", c.Body, MaxCannedBodyRunes, true)
	return p.Err()
}

// CannedStore persists canned replies.
type CannedStore interface {
	CreateCannedReply(ctx context.Context, c *CannedReply) error
	UpdateCannedReply(ctx context.Context, c CannedReply) error
	Category(ctx context.Context, code string) (Category, error)
}

// AddCannedReply validates a canned reply and stores it; its category, if
// any, must exist.
func AddCannedReply(ctx context.Context, s CannedStore, c *CannedReply) error {
	if err := checkCanned(ctx, s, c); err != nil {
		return err
	}
	return s.CreateCannedReply(ctx, c)
}

// ChangeCannedReply validates and stores a changed canned reply.
func ChangeCannedReply(ctx context.Context, s CannedStore, c CannedReply) error {
	if err := checkCanned(ctx, s, &c); err != nil {
		return err
	}
	return s.UpdateCannedReply(ctx, c)
}

func checkCanned(ctx context.Context, s CannedStore, c *CannedReply) error {
	c.CategoryCode = strings.TrimSpace(c.CategoryCode)
	c.Title, c.Body = strings.TrimSpace(c.Title), strings.TrimSpace(c.Body)
	if err := c.Validate(); err != nil {
		return err
	}
	if c.CategoryCode == "" {
		return nil
	}
	if _, err := s.Category(ctx, c.CategoryCode); minyi.ErrorCode(err) == minyi.ENotFound {
		return minyi.Invalid("category", "分类不存在", "unknown category")
	} else if err != nil {
		return err
	}
	return nil
}
