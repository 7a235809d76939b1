package store

// SetManyMatches sets the number of a search's matches above which a
// ledger's list reads its rows by day, and returns the function restoring
// it: the tests run both ways on the same records.
func SetManyMatches(n int) (restore func()) {
	old := manyMatches
	manyMatches = n
	return func() { manyMatches = old }
}
