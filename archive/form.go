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

// FormResult is what a form filed: an item's number or a meeting's id.
type FormResult struct {
	Number  string
	Meeting int64
}

// FormStore finds what a form filed. CreateItem and meeting.Store's
// CreateMeeting record Item.FormKey and meeting.Meeting.FormKey in their
// transactions and refuse a key already recorded with an EConflict error.
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
