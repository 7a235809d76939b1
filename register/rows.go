package register

import (
	"context"
	"errors"

	"minyi"
	"minyi/org"
)

// CheckRows checks every record of a batch (a file's import) with check and
// answers the records as check cleaned them and each record's refusal, nil
// for a record found good. A refusal is what the record's own content
// earns (invalid, forbidden, illegal: the importer is told which row);
// any other error (storage, the database unreachable) fails the whole
// batch and is answered alone.
func CheckRows[T any](recs []T, check func(T) (T, error)) (out []T, refused []error, bad bool, err error) {
	out, refused = make([]T, len(recs)), make([]error, len(recs))
	for i, r := range recs {
		c, err := check(r)
		switch minyi.ErrorCode(err) {
		case "":
			out[i] = c
		case minyi.EInvalid, minyi.EForbidden, minyi.EIllegal, minyi.ENotFound:
			refused[i], bad = err, true
		default:
			return nil, nil, false, err
		}
	}
	return out, refused, bad, nil
}

// Renamed returns err with its fields renamed by names (a command's "day"
// becoming the record's "done_on"), so that a refusal names the field the
// user wrote; other errors and fields are as they were.
func Renamed(err error, names map[string]string) error {
	var e *minyi.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]minyi.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		c.Fields[i] = f
	}
	return &c
}

// Both is the refusal of a row found by two checks (the importer's right to
// the unit, the record's own validation), so that a row names every
// problem at once: the fields of both, or the one that is not a row's
// refusal (a failure) alone.
func Both(a, b error) error {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	for _, err := range []error{a, b} {
		switch minyi.ErrorCode(err) {
		case minyi.EInvalid, minyi.EForbidden, minyi.EIllegal, minyi.ENotFound:
		default:
			return err
		}
	}
	var p minyi.Problems
	for _, err := range []error{a, b} {
		var e *minyi.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			return a // a refusal of the whole row: it says enough
		}
		p = append(p, e.Fields...)
	}
	return p.Err()
}

// Lookups are the reads that a batch's rows repeat: units by code, the
// party branches and staff by name. A register's Store embeds it.
type Lookups interface {
	Unit(ctx context.Context, code string) (org.Unit, error)
	Branches(ctx context.Context) ([]org.Branch, error)
	UserByName(ctx context.Context, name string) (org.User, error)
}

// Cached answers l's Lookups once per key for one batch (Refs); a
// register's CreateMany puts it in front of its Store (see batchStore in
// matter, measure, servicepoint and volunteer).
func Cached(l Lookups) Lookups { return &cached{next: l} }

type cached struct {
	next Lookups
	refs Refs
}

func (c *cached) Unit(ctx context.Context, code string) (org.Unit, error) {
	return c.refs.Unit(ctx, code, c.next.Unit)
}

func (c *cached) Branches(ctx context.Context) ([]org.Branch, error) {
	return c.refs.Branches(ctx, c.next.Branches)
}

func (c *cached) UserByName(ctx context.Context, name string) (org.User, error) {
	return c.refs.UserByName(ctx, name, c.next.UserByName)
}

// Refs remembers, for one batch, the units, branches and staff its records
// name: a file of 10,000 rows names the same few again and again, and each
// lookup is a round trip to the database. Its zero value is ready; it is
// not safe for concurrent use.
type Refs struct {
	units    map[string]refAnswer[org.Unit]
	users    map[string]refAnswer[org.User]
	branches *refAnswer[[]org.Branch]
}

type refAnswer[T any] struct {
	v   T
	err error
}

// Unit answers get(ctx, code) once per code.
func (r *Refs) Unit(ctx context.Context, code string, get func(context.Context, string) (org.Unit, error)) (org.Unit, error) {
	if r.units == nil {
		r.units = map[string]refAnswer[org.Unit]{}
	}
	return remember(ctx, r.units, code, get)
}

// UserByName answers get(ctx, name) once per name.
func (r *Refs) UserByName(ctx context.Context, name string, get func(context.Context, string) (org.User, error)) (org.User, error) {
	if r.users == nil {
		r.users = map[string]refAnswer[org.User]{}
	}
	return remember(ctx, r.users, name, get)
}

// Branches answers get(ctx) once.
func (r *Refs) Branches(ctx context.Context, get func(context.Context) ([]org.Branch, error)) ([]org.Branch, error) {
	if r.branches == nil {
		v, err := get(ctx)
		r.branches = &refAnswer[[]org.Branch]{v, err}
	}
	return r.branches.v, r.branches.err
}

// remember answers get for key once; a failure (not a refusal) is not
// remembered.
func remember[T any](ctx context.Context, m map[string]refAnswer[T], key string, get func(context.Context, string) (T, error)) (T, error) {
	if a, ok := m[key]; ok {
		return a.v, a.err
	}
	v, err := get(ctx, key)
	if code := minyi.ErrorCode(err); code == "" || code == minyi.ENotFound {
		m[key] = refAnswer[T]{v, err}
	}
	return v, err
}
