package register

// Change is a change of a plain register's record (volunteer activities,
// service points, …) against the version its user read: the checks every
// such Update makes, in their one order, so that each register refuses alike.
// The service then stamps the record, finds its event and stores it.
type Change[T any] struct {
	// Record names the record in the stale-version conflict (Stale).
	Record Noun
	// Version is the version the user read; not positive is MissingVersion.
	Version int
	// Read returns the stored record if the actor may see it.
	Read func() (T, error)
	// Held returns the unit that holds a record and its version.
	Held func(T) (unit string, version int)
	// MayFile refuses a unit the actor may not keep records of
	// (archive.MayFile for the acting staff): asked of the unit before the
	// change, and after it, so that nobody moves a record out of or into a
	// unit not theirs.
	MayFile func(unit string) error
	// Apply returns the stored record with the change made.
	Apply func(before T) T
	// Check validates the changed record, given the stored one, and returns
	// it normalised.
	Check func(after, before T) (T, error)
}

// Run returns the stored record and the changed one, checked: refused
// without a version, when the actor may not see or file the record, when
// the version read is not the stored one (Stale, before anything of the
// change is looked at), or when the changed record is not valid.
func (c Change[T]) Run() (before, after T, err error) {
	var zero T
	if c.Version <= 0 {
		return zero, zero, MissingVersion()
	}
	before, err = c.Read()
	if err != nil {
		return zero, zero, err
	}
	unit, version := c.Held(before)
	if err := c.MayFile(unit); err != nil {
		return zero, zero, err
	}
	if version != c.Version {
		return zero, zero, Stale(c.Record)
	}
	after = c.Apply(before)
	unit, _ = c.Held(after)
	if err := c.MayFile(unit); err != nil {
		return zero, zero, err
	}
	if after, err = c.Check(after, before); err != nil {
		return zero, zero, err
	}
	return before, after, nil
}

// ChangedFields compares a record's fields (as its events write them) now
// and as they were, for keys in their order: data holds the new value of
// each that changed, changed names them, for an edit's event.
func ChangedFields(now, was map[string]string, keys ...string) (data map[string]string, changed []string) {
	data = map[string]string{}
	for _, k := range keys {
		if now[k] != was[k] {
			data[k] = now[k]
			changed = append(changed, k)
		}
	}
	return data, changed
}
