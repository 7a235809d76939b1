package org

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"time"

	"minyi"
)

// A secret shown once — a new password, key, signing secret or token, or a
// citizen's contact just revealed — is shown on a page after a redirect, so
// that a reload never repeats the action that made it. Between the form
// and that page it waits in the database sealed under a key of its own,
// which the database never holds: the key goes to the browser that sent
// the form (web: a short-lived cookie scoped to the page), so neither a
// copy of the database nor the cookie alone yields the secret. The page
// deletes the row as it shows it.

// ShownOnceTTL is how long a secret waits to be shown; housekeeping
// removes it afterwards, and it is never shown late.
const ShownOnceTTL = 10 * time.Minute

// ShownOnce is a secret waiting to be shown once to the member of staff
// whose form made it.
type ShownOnce struct {
	ID        string // 128 random bits in hex: names the page, opens nothing
	Owner     int64  // the user who may see it
	Kind      string // what it is, for the page that shows it
	Sealed    string // the payload, sealed under a key the database never holds
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ShownOnceStore keeps secrets waiting to be shown.
type ShownOnceStore interface {
	PutShownOnce(ctx context.Context, s ShownOnce) error
	// ShownOnce returns the owner's secret with id if it has not expired
	// at now, else a not-found error.
	ShownOnce(ctx context.Context, id string, owner int64, now time.Time) (ShownOnce, error)
	// DeleteShownOnce removes the secret and reports whether it was there,
	// so that of two requests at once only one shows it.
	DeleteShownOnce(ctx context.Context, id string) (bool, error)
}

// shownOnceKeyBytes is the length of a secret's own key: AES-256.
const shownOnceKeyBytes = 32

// ErrShownOnceGone says a secret's page was shown already, expired, or is
// another's: which of them is not told.
var ErrShownOnceGone = minyi.Errorf(minyi.ENotFound,
	"这一页只显示一次，已经显示过或已过期。如未记下，请重新重置或新建 / This page is shown only once: it was shown already or has expired. If you did not note what it showed, reset or create it again")

// KeepShownOnce seals payload under a fresh random key and stores it for
// owner to see once. It returns the secret's id and its key (base64url),
// which the caller hands to the owner's browser and nowhere else.
func KeepShownOnce(ctx context.Context, st ShownOnceStore, owner int64, kind string, payload []byte, now time.Time) (id, key string, err error) {
	raw := make([]byte, 16)
	rand.Read(raw)
	id = hex.EncodeToString(raw)
	k := make([]byte, shownOnceKeyBytes)
	rand.Read(k)
	aead, err := shownOnceAEAD(k)
	if err != nil {
		return "", "", minyi.Internal(err)
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	sealed := aead.Seal(nonce, nonce, payload, shownOnceContext(id, owner, kind))
	s := ShownOnce{ID: id, Owner: owner, Kind: kind, Sealed: base64.RawURLEncoding.EncodeToString(sealed),
		CreatedAt: now, ExpiresAt: now.Add(ShownOnceTTL)}
	if err := st.PutShownOnce(ctx, s); err != nil {
		return "", "", err
	}
	return id, base64.RawURLEncoding.EncodeToString(k), nil
}

// TakeShownOnce opens owner's secret id, of one of kinds, with key and
// deletes it: it returns the secret's kind and payload once, and
// ErrShownOnceGone after, for another user, another kind, without the
// right key (another browser or session: then the secret stays for its
// own), or once it expired.
func TakeShownOnce(ctx context.Context, st ShownOnceStore, owner int64, kinds []string, id, key string, now time.Time) (kind string, payload []byte, err error) {
	if len(id) != 32 {
		return "", nil, ErrShownOnceGone
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", nil, ErrShownOnceGone
	}
	s, err := st.ShownOnce(ctx, id, owner, now)
	if minyi.ErrorCode(err) == minyi.ENotFound {
		return "", nil, ErrShownOnceGone
	} else if err != nil {
		return "", nil, err
	}
	if !slices.Contains(kinds, s.Kind) {
		return "", nil, ErrShownOnceGone
	}
	payload, err = openShownOnce(s, key)
	if err != nil {
		return "", nil, ErrShownOnceGone
	}
	deleted, err := st.DeleteShownOnce(ctx, id)
	if err != nil {
		return "", nil, err
	}
	if !deleted { // another request showed it meanwhile
		return "", nil, ErrShownOnceGone
	}
	return s.Kind, payload, nil
}

func openShownOnce(s ShownOnce, key string) ([]byte, error) {
	k, err := base64.RawURLEncoding.DecodeString(key)
	if err != nil || len(k) != shownOnceKeyBytes {
		return nil, errors.New("not a key")
	}
	aead, err := shownOnceAEAD(k)
	if err != nil {
		return nil, err
	}
	b, err := base64.RawURLEncoding.DecodeString(s.Sealed)
	if err != nil || len(b) < aead.NonceSize() {
		return nil, errors.New("sealed value damaged")
	}
	n := aead.NonceSize()
	return aead.Open(nil, b[:n], b[n:], shownOnceContext(s.ID, s.Owner, s.Kind))
}

func shownOnceAEAD(k []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// shownOnceContext binds a sealed payload to its row, so that it opens
// for no other id, owner or kind.
func shownOnceContext(id string, owner int64, kind string) []byte {
	return []byte("minyi shown once " + id + " user " + strconv.FormatInt(owner, 10) + " kind " + kind)
}
