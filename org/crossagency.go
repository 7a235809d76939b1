package org

import "slices"

// Cross-agency work (一件事一次办). A one-stop case passes through steps,
// each owned by a unit — the bureau's own or a partner agency's, such as
// the government service centre (政务服务中心, UnitPartner). These two rules
// are the only place where a partner does more than read: its users do the
// work of the steps their own unit owns. Every register of cross-agency
// work asks them, and nothing else, who may act and who may see.

// CanActForUnit reports whether a member of unit own with role r may do the
// work of a step owned by unit: the admin and leaders on any unit's steps
// (Role.SeesAll); everyone else — partners included — on their own unit's
// steps only.
func (r Role) CanActForUnit(own, unit string) bool {
	return r.SeesAll() || (r.Valid() && own != "" && own == unit)
}

// CanActForUnit reports whether u may do the work of a step owned by unit
// (Role.CanActForUnit); a disabled account does nothing.
func (u User) CanActForUnit(unit string) bool {
	return !u.Disabled && u.Role.CanActForUnit(u.UnitCode, unit)
}

// CanSeeCrossAgency reports whether u may see a record of cross-agency work
// whose steps are owned by units: the admin and leaders see every one,
// everyone else — partners included — those with a step of their own unit.
func (u User) CanSeeCrossAgency(units []string) bool {
	return u.SeesAll() || (u.UnitCode != "" && slices.Contains(units, u.UnitCode))
}
