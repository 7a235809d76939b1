// Package register holds what every register shares — the archive's items
// today, and the registers that follow (meetings, practical matters,
// measures, …): who acts (Actor); the table saying which roles may take
// which action from which state, and its check (Table); which actions a user
// can take now, found by running the register's own rules (Available); and
// the shape of a list (Filter, Page). A register declares its table and
// reuses the rest. The package is pure: no storage, no HTTP.
package register

import (
	"minyi"
	"minyi/org"
)

// Actor is whoever issues a command: a member of staff, or someone outside
// the agency — a citizen holding a record's access code, an outside system —
// with an empty Role.
type Actor struct {
	Name     string
	Role     org.Role
	UnitCode string
}

// ActorFor returns the actor for a member of staff.
func ActorFor(u org.User) Actor { return Actor{Name: u.Name, Role: u.Role, UnitCode: u.UnitCode} }

// IsCitizen reports whether the actor is not staff (Role empty).
func (a Actor) IsCitizen() bool { return a.Role == "" }

// MayRevealAll returns nil when u may read in full the personal data of
// every record of a register u sees, as an export with reveal asks: may
// (the register's rule for one record, e.g. matter.MayReveal) allows it for
// a record of u's own unit, which leaders and admins' cover every unit,
// and u's account is not disabled.
func MayRevealAll(u org.User, may func(actor Actor, unit string) error) error {
	if u.Disabled {
		return minyi.Errorf(minyi.EForbidden, "账号已停用 / account disabled")
	}
	return may(ActorFor(u), u.UnitCode)
}
