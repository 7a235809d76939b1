package archive

import (
	"context"
	"strings"

	"minyi"
	"minyi/org"
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

// CannedReplies lists the active replies offered for items of category,
// its own first, then the general ones, to staff starting a reply.
func (s *Config) CannedReplies(ctx context.Context, category string) ([]CannedReply, error) {
	return s.Store.CannedReplies(ctx, category)
}

// AllCannedReplies lists every canned reply, in use or not, by category,
// for actor, an administrator.
func (s *Config) AllCannedReplies(ctx context.Context, actor org.User) ([]CannedReply, error) {
	if err := org.CheckManage(actor); err != nil {
		return nil, err
	}
	return s.Store.AllCannedReplies(ctx)
}

// CannedReply returns the canned reply with id for actor, an administrator.
func (s *Config) CannedReply(ctx context.Context, actor org.User, id int64) (CannedReply, error) {
	all, err := s.AllCannedReplies(ctx, actor)
	if err != nil {
		return CannedReply{}, err
	}
	for _, c := range all {
		if c.ID == id {
			return c, nil
		}
	}
	return CannedReply{}, errNoCannedReply
}

var errNoCannedReply = minyi.Errorf(minyi.ENotFound, "没有这条常用答复 / no such canned reply")

// AddCannedReply validates a canned reply and stores it for actor, an
// administrator; its category, if any, must exist.
func (s *Config) AddCannedReply(ctx context.Context, actor org.User, c *CannedReply) error {
	if err := org.CheckManage(actor); err != nil {
		return err
	}
	if err := s.checkCanned(ctx, c); err != nil {
		return err
	}
	return s.Store.CreateCannedReply(ctx, c)
}

// ChangeCannedReply validates and stores a changed canned reply for actor,
// an administrator.
func (s *Config) ChangeCannedReply(ctx context.Context, actor org.User, c CannedReply) error {
	if err := org.CheckManage(actor); err != nil {
		return err
	}
	if err := s.checkCanned(ctx, &c); err != nil {
		return err
	}
	return s.Store.UpdateCannedReply(ctx, c)
}

func (s *Config) checkCanned(ctx context.Context, c *CannedReply) error {
	c.CategoryCode = strings.TrimSpace(c.CategoryCode)
	c.Title, c.Body = strings.TrimSpace(c.Title), strings.TrimSpace(c.Body)
	if err := c.Validate(); err != nil {
		return err
	}
	if c.CategoryCode == "" {
		return nil
	}
	if _, err := s.Store.Category(ctx, c.CategoryCode); minyi.ErrorCode(err) == minyi.ENotFound {
		return minyi.Invalid("category", "分类不存在", "unknown category")
	} else if err != nil {
		return err
	}
	return nil
}
