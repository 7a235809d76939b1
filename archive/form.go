package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"

	"minyi"
)

// Page forms that file something (the write-in form, staff entry, a
// meeting) carry a form token: a random secret put into the form each time
// it is shown. Sending the same form twice — a reload of the answer, a
// double click, a retry after an answer that never arrived — files once:
// the second sending gets what the first filed. The store keeps only the
// token's hash (FormKey) with what it filed, in the transaction that files
// it, so this holds across servers and after a crash.

// FormResult is what a form filed: an item's number, a meeting's id, or
// the id of a record of another Register (a ledger's: FileOnce).
type FormResult struct {
	Number   string
	Meeting  int64
	Register string
	Record   int64
}

// FormStore finds what a form filed. CreateItem and meeting.Store's
// CreateMeeting record Item.FormKey and meeting.Meeting.FormKey in their
// transactions and refuse a key already recorded with an EConflict error;
// the ledgers' stores do the same with their records' Form.
type FormStore interface {
	// FormResult returns what the form with key filed, or ENotFound.
	FormResult(ctx context.Context, key string) (FormResult, error)
}

var errNoFormStore = errors.New("archive: the store does not keep form results")

var formTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{32,128}$`)

// checkFormToken refuses a token that cannot have come from one of our
// forms: a short one could be guessed, and with it someone else's receipt.
func checkFormToken(token string) error {
	if token != "" && !formTokenPattern.MatchString(token) {
		return minyi.Invalid("form_token", "表单已失效，请刷新页面后重新填写", "the form is no longer valid: reload it and fill it in again")
	}
	return nil
}

// FormKey is how a form token is stored: hashed, so that a copy of the
// database cannot be used to read anyone's receipt.
func FormKey(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("minyi form\x00" + token))
	return hex.EncodeToString(sum[:])
}

// formAccessCode is the access code of an item filed through a form: drawn
// from the token, so that a second sending shows the citizen the same code
// although only its hash is stored, and only to whoever holds the token.
func formAccessCode(token string) string {
	sum := sha256.Sum256([]byte("minyi access code\x00" + token))
	return accessCodeOf(sum[:8])
}

// formStore returns the Store's form side.
func (s *Service) formStore() (FormStore, error) {
	fs, ok := s.Store.(FormStore)
	if !ok {
		return nil, minyi.Internal(errNoFormStore)
	}
	return fs, nil
}

// formResult returns what the form with token filed; ok is false when it
// filed nothing yet.
func (s *Service) formResult(ctx context.Context, token string) (r FormResult, ok bool, err error) {
	fs, err := s.formStore()
	if err != nil {
		return r, false, err
	}
	r, err = fs.FormResult(ctx, FormKey(token))
	if minyi.ErrorCode(err) == minyi.ENotFound {
		return r, false, nil
	}
	return r, err == nil, err
}

// Form is the page form a record is created through, in one shape for
// every ledger (matters, measures, volunteer activities, service points,
// campaigns): embedded in the record, never read from or written to JSON,
// so only a page sets it. The record's store notes FormKey, with the
// register and the record's id, in the transaction that creates it, and
// refuses a key already noted with an EConflict error.
type Form struct {
	// FormToken is the page form's token; empty when the record does not
	// come from a page form (the API, an import, the demo).
	FormToken string `json:"-"`
	// FormKey is the token's hash, set by FileOnce for the store.
	FormKey string `json:"-"`
}

// FileOnce creates a record of register reg through create once per page
// form f: a form sent again — a reload of the answer, a double click, the
// same form on another server or after a restart — gets, through get, the
// record its first sending created, and creates nothing. Two sendings at
// once both pass the first look; the store refuses the second's key in its
// transaction, which rolls back, and the second gets the first's record.
// store is the register's store, which must implement FormStore when
// f.FormToken is set; without a token, create runs as it is.
func FileOnce[T any](ctx context.Context, store any, reg string, f *Form, get func(id int64) (T, error), create func() (T, error)) (T, error) {
	var zero T
	f.FormKey = ""
	if f.FormToken == "" {
		return create()
	}
	if err := checkFormToken(f.FormToken); err != nil {
		return zero, err
	}
	fs, ok := store.(FormStore)
	if !ok {
		return zero, minyi.Internal(errNoFormStore)
	}
	key := FormKey(f.FormToken)
	if id, err := formRecord(ctx, fs, reg, key); err != nil || id != 0 {
		if err != nil {
			return zero, err
		}
		return get(id)
	}
	f.FormKey = key
	t, err := create()
	if minyi.ErrorCode(err) == minyi.EConflict {
		if id, ferr := formRecord(ctx, fs, reg, key); ferr != nil {
			return zero, ferr
		} else if id != 0 {
			return get(id)
		}
	}
	return t, err
}

// formRecord returns the id of the record of register reg that the form
// with key created, or 0 when it created none yet. A key that filed
// something else (the token of another form) is a form no longer valid.
func formRecord(ctx context.Context, fs FormStore, reg, key string) (int64, error) {
	r, err := fs.FormResult(ctx, key)
	if minyi.ErrorCode(err) == minyi.ENotFound {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if r.Register != reg || r.Record == 0 {
		return 0, minyi.Invalid("form_token", "表单已失效，请刷新页面后重新填写", "the form is no longer valid: reload it and fill it in again")
	}
	return r.Record, nil
}

// FormRecord returns the id of the record of register reg that the page
// form with token created, or 0 when it created none yet: a page asks it
// first, to send a form sent again to its record without filing anything.
func (s *Service) FormRecord(ctx context.Context, reg, token string) (int64, error) {
	if err := checkFormToken(token); err != nil || token == "" {
		return 0, err
	}
	fs, err := s.formStore()
	if err != nil {
		return 0, err
	}
	return formRecord(ctx, fs, reg, FormKey(token))
}
