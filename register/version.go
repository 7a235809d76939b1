package register

import (
	"time"

	"minyi"
)

// Every register changes a record only against the version its user read
// (optimistic locking), and reads one clock a test can stop; these are the
// words and the clock they share, so that every register says them alike.

// MissingVersion is the refusal of a change sent without the version it was
// made from, naming the field version.
func MissingVersion() error {
	return minyi.Invalid("version", "请提供版本号（version）", "version is required")
}

// Stale is the conflict of a change made from a version of a record n names
// that is no longer the stored one: someone changed it meanwhile. Services
// return it when they see the stale version, stores when an update loses
// the race.
func Stale(n Noun) error {
	return minyi.Errorf(minyi.EConflict, "该%s在您打开后已有变动（他人修改，或同一表单提交了两次），请刷新后重试 / this %s changed after you opened it (someone else changed it, or the same form was sent twice); reload and try again", n.Zh, n.En)
}

// StaleVersion is Stale naming both versions, got the one read and have the
// stored one, for registers whose users compare them (the archive's items).
func StaleVersion(n Noun, got, have int) error {
	return minyi.Errorf(minyi.EConflict, "该%s在您打开后已有变动（您的版本%d，当前版本%d），请刷新后重试 / the %s has changed since you opened it (your version %d, current %d); reload and retry",
		n.Zh, got, have, n.En, got, have)
}

// Now reads clock, a service's Now field: nil is time.Now.
func Now(clock func() time.Time) time.Time {
	if clock == nil {
		return time.Now()
	}
	return clock()
}
