package ledgerimport

import (
	"context"
	"strings"

	"minyi/org"
	"minyi/outcome"
)

// Sheet is one sheet of a template: its name and rows of cells.
type Sheet struct {
	Name string
	Rows [][]string
}

// Template returns a ledger's template for u: the data sheet with the
// headers alone (filled in and uploaded; an example row there would be
// imported by whoever forgot to delete it), the notes explaining every
// column, a sheet with an example row, and the units and party branches u
// may import into, with their codes.
// outcomesColumn is the outcomes' column with the keys the bureau accepts
// now in its notes, as code（中文）, and an example naming the first two.
func outcomesColumn(c Column, keys []outcome.Key) Column {
	zh, en := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		zh[i], en[i] = k.Code+"（"+k.Zh+"）", k.Code+" ("+k.En+")"
	}
	c.Note += "；指标写代码或中文名：" + strings.Join(zh, "、")
	c.NoteEn += "; a key by its code or Chinese name: " + strings.Join(en, ", ")
	var example []string
	for i, n := range []string{"5", "53"} {
		if i < len(keys) {
			example = append(example, keys[i].Zh+"="+n)
		}
	}
	c.Example = strings.Join(example, "、")
	return c
}

func (s *Service) Template(ctx context.Context, u org.User, l Ledger) ([]Sheet, error) {
	sp, err := specOf(l)
	if err != nil {
		return nil, err
	}
	if err := mayImport(u); err != nil {
		return nil, err
	}
	keys, err := s.outcomes(ctx)
	if err != nil {
		return nil, err
	}
	channels, err := s.channels(ctx)
	if err != nil {
		return nil, err
	}
	defs, err := s.indicators(ctx, u)
	if err != nil {
		return nil, err
	}
	headers := make([]string, len(sp.columns))
	example := make([]string, len(sp.columns))
	notes := [][]string{{"列名", "必填", "填写说明", "Notes", "示例"}}
	for i, c := range sp.columns {
		switch {
		case c.Field == "outcomes":
			c = outcomesColumn(c, keys)
		case c.Field == "channel" && sp.ledger == Publicity:
			c = channelsColumn(c, channels)
		case c.Field == "indicator":
			c = indicatorsColumn(c, defs)
		}
		headers[i], example[i] = c.Header, c.Example
		req := ""
		if c.Required {
			req = "是"
		}
		notes = append(notes, []string{c.Header, req, c.Note, c.NoteEn, c.Example})
	}
	notes = append(notes, []string{}, []string{"说明", "", "第一行为列名，请勿修改；从第二行起每行一条记录。任何一行有错误时都不会导入，错误按行号和列名列出。同一文件不能重复导入。",
		"Row 1 holds the headers; one record per row below. Nothing is imported while any row has a problem; problems are named by row and column. The same file is not imported twice."})
	units, err := s.Store.Units(ctx)
	if err != nil {
		return nil, err
	}
	branches, err := s.Store.Branches(ctx)
	if err != nil {
		return nil, err
	}
	refs := [][]string{{"单位代码", "单位名称", "党支部代码", "党支部名称"}}
	for _, un := range units {
		if !u.CanSeeUnit(un.Code) {
			continue
		}
		refs = append(refs, []string{un.Code, un.Name})
		for _, b := range branches {
			if b.UnitCode == un.Code {
				refs = append(refs, []string{"", "", b.Code, b.Name})
			}
		}
	}
	return []Sheet{
		{Name: sp.sheet, Rows: [][]string{headers}},
		{Name: "填写说明", Rows: notes},
		{Name: "示例", Rows: [][]string{headers, example}},
		{Name: "单位和党支部", Rows: refs},
	}, nil
}
