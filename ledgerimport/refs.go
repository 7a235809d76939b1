package ledgerimport

import (
	"strings"

	"minyi/campaign"
	"minyi/indicator"
	"minyi/org"
	"minyi/outcome"
	"minyi/pubchannel"
)

// refs finds units, branches and staff by what a spreadsheet writes for
// them: a code (user name) or the name people know them by.
type refs struct {
	units     []org.Unit
	branches  []org.Branch
	users     []org.User
	campaigns []campaign.Campaign
	// outcomes are the counted outcomes a matter may report now, which a
	// cell names by code or Chinese name (牛=5).
	outcomes []outcome.Key
	// channels are the publicity channels the bureau lists now, and
	// indicators the indicators defined.
	channels   []pubchannel.Channel
	indicators []indicator.Definition
}

// campaign reads a campaign by its name or id. An id is the register's to
// check (it answers for one that does not exist).
func (r *row) campaign(field string) int64 {
	s := strings.TrimSpace(r.cells[field])
	if s == "" {
		return 0
	}
	for _, c := range r.refs.campaigns {
		if same(c.Name, s) {
			return c.ID
		}
	}
	if id, ok := parseInt(strings.TrimPrefix(s, "#")); ok && id > 0 {
		return id
	}
	r.fail(field, "活动不存在："+s+"（填写活动名称或编号）", "no such campaign: "+s+" (write its name or id)")
	return 0
}

func same(a, b string) bool { return a == b || normalized(a) == normalized(b) }

// unit reads a unit by code or name; an unknown one is a problem of the row.
func (r *row) unit(field string) string {
	s := strings.TrimSpace(r.cells[field])
	if s == "" {
		return ""
	}
	for _, u := range r.refs.units {
		if u.Code == s || same(u.Name, s) {
			return u.Code
		}
	}
	r.fail(field, "单位不存在："+s+"（填写单位代码或名称）", "no such unit: "+s+" (write its code or name)")
	return ""
}

// branch reads a party branch by code or name, preferring one of unit
// when two branches share a name.
func (r *row) branch(field, unit string) string {
	s := strings.TrimSpace(r.cells[field])
	if s == "" {
		return ""
	}
	found := ""
	for _, b := range r.refs.branches {
		if b.Code == s {
			return b.Code
		}
		if same(b.Name, s) && (found == "" || b.UnitCode == unit) {
			found = b.Code
		}
	}
	if found == "" {
		r.fail(field, "党支部不存在："+s+"（填写支部代码或名称）", "no such party branch: "+s+" (write its code or name)")
	}
	return found
}

// person reads a member of staff by user name or by display name, which
// must then be unique.
func (r *row) person(field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	var named []string
	for _, u := range r.refs.users {
		if u.Name == s {
			return u.Name
		}
		if same(u.DisplayName, s) {
			named = append(named, u.Name)
		}
	}
	switch len(named) {
	case 1:
		return named[0]
	case 0:
		r.fail(field, "人员不存在："+s+"（填写账号或姓名）", "no such member of staff: "+s+" (write the user name or the name)")
	default:
		r.fail(field, "有多名人员叫"+s+"，请填写账号（"+strings.Join(named, "、")+"）",
			"several members of staff are called "+s+"; write the user name ("+strings.Join(named, ", ")+")")
	}
	return ""
}

// people reads a list of staff.
func (r *row) people(field string) []string {
	out := []string{}
	for _, s := range r.list(field) {
		if n := r.person(field, s); n != "" {
			out = append(out, n)
		}
	}
	return out
}
