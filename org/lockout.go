package org

import "time"

// Login throttling. Failed logins (wrong passwords, wrong second-factor
// codes, wrong current passwords) are counted three ways within
// LockoutWindow: for a name from one client address, which locks that
// name for that address only; for a name from every address, at a much
// higher bar, so that guessing from many addresses still stops; and for
// one address whatever names it tries, at the configured per-address rate.
// A failure from one address therefore cannot lock an officer out of
// logging in from another, unless it comes from many addresses at once.
const (
	LockoutWindow          = 15 * time.Minute
	MaxFailuresFromAddress = 5   // per name and address within LockoutWindow
	MaxFailuresPerName     = 100 // per name from all addresses within LockoutWindow
)

// LoginFailures counts recent failed logins: for one name from every
// address, for that name from one address, and from that address for any
// name.
type LoginFailures struct {
	Name, NameFromAddress, Address int
}

// Locked reports whether another login attempt must be refused, given the
// failures and the most failures allowed from one address for any names
// in its period (0: no per-address limit).
func (f LoginFailures) Locked(perAddress int) bool {
	return f.NameFromAddress >= MaxFailuresFromAddress || f.Name >= MaxFailuresPerName ||
		(perAddress > 0 && f.Address >= perAddress)
}
