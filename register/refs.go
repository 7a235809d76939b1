package register

import (
	"context"
	"strings"

	"minyi"
	"minyi/org"
)

// Names cleans a list of user names or tracking numbers: trimmed, empty
// ones and repeats dropped, order kept; never nil.
func Names(list []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// CheckBranch adds a problem naming the field branch when branch is not
// one of branches, or is another unit's than unit: a record is attributed
// to a party branch of its own unit.
func CheckBranch(p *minyi.Problems, branches []org.Branch, branch, unit string) {
	for _, b := range branches {
		if b.Code == branch {
			if b.UnitCode != unit {
				p.Add("branch", "党支部不属于该单位", "branch belongs to another unit")
			}
			return
		}
	}
	p.Add("branch", "党支部不存在", "branch: unknown party branch")
}

// CheckStaff adds a problem naming field when name is no member of staff:
// no account of that name (user finds one), or a partner's, which reads but
// does no ledger work. zh is the field's Chinese, e.g. 参加民警.
func CheckStaff(ctx context.Context, p *minyi.Problems, user func(context.Context, string) (org.User, error), field, zh, name string) error {
	u, err := user(ctx, name)
	switch {
	case minyi.ErrorCode(err) == minyi.ENotFound:
		p.Add(field, zh+"“"+name+"”不存在", field+": no user named "+name)
	case err != nil:
		return err
	case !u.IsStaff():
		p.Add(field, zh+"“"+name+"”不是本局工作人员", field+": "+name+" is not staff")
	}
	return nil
}

// CheckCampaign adds a problem naming the field campaign when id, a ledger
// record's campaign, is negative or names no campaign (exists says whether
// one does); 0 is no campaign.
func CheckCampaign(ctx context.Context, p *minyi.Problems, exists func(context.Context, int64) (bool, error), id int64) error {
	switch {
	case id == 0:
		return nil
	case id < 0:
		p.Add("campaign", "活动编号须为正整数", "campaign must be a positive number")
		return nil
	}
	ok, err := exists(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		p.Add("campaign", "活动不存在", "campaign: no such campaign")
	}
	return nil
}

// UnitBranch is the unit and party branch a record is attributed to.
type UnitBranch struct{ Unit, Branch string }

// CheckUnitBranch adds a problem naming unit when now's unit does not
// exist (zh is how the register names its unit, e.g. 实施单位) and one
// naming branch when its branch is not of that unit (CheckBranch). Only
// what is new or changed against before (nil for a new record) is looked
// up, so an edit is not refused for a unit or branch that went since.
func CheckUnitBranch(ctx context.Context, p *minyi.Problems, l Lookups, zh string, now UnitBranch, before *UnitBranch) error {
	unitChanged := before == nil || now.Unit != before.Unit
	if now.Unit != "" && unitChanged {
		if _, err := l.Unit(ctx, now.Unit); minyi.ErrorCode(err) == minyi.ENotFound {
			p.Add("unit", zh+"不存在", "unit: unknown unit")
		} else if err != nil {
			return err
		}
	}
	if now.Branch != "" && (unitChanged || now.Branch != before.Branch) {
		branches, err := l.Branches(ctx)
		if err != nil {
			return err
		}
		CheckBranch(p, branches, now.Branch, now.Unit)
	}
	return nil
}
