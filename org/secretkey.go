package org

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"minyi"
)

// SecretKeyBytes is the length of a secret key: AES-256.
const SecretKeyBytes = 32

// sealedPrefix starts every value sealed by a SecretKey: "enc1" names the
// format (AES-256-GCM, a 12-byte random nonce before the ciphertext,
// base64url), then the id of the key, so that a value says which key it
// needs and a later version can hold several keys while they are rotated.
const sealedPrefix = "enc1:"

// SecretKey encrypts secrets kept at rest, such as staff TOTP secrets, so
// that a copy of the database (a backup, a dump) does not hold them in
// clear. It is given to the server, never stored in the database.
type SecretKey struct {
	id   string
	aead cipher.AEAD
}

// ErrNoSecretKey says a secret must be sealed or opened but the server was
// given no key.
var ErrNoSecretKey = &minyi.Error{Code: minyi.EUnavailable,
	Message: "服务器未配置密钥，无法保存动态验证码 / no secret key configured: TOTP secrets cannot be stored",
	Fields: []minyi.FieldError{{Field: "totp",
		Zh: "服务器未配置加密密钥，暂时无法开启动态验证码。请系统管理员用 --secret-key-file 或环境变量 MINYI_SECRET_KEY 提供密钥后重启服务。",
		En: "The server has no secret key, so a second factor cannot be set up yet. An administrator must start it with --secret-key-file or MINYI_SECRET_KEY."}}}

// WrongKeyError says a value was sealed with another key than the one given.
type WrongKeyError struct{ Sealed, Given string }

func (e *WrongKeyError) Error() string {
	return fmt.Sprintf("secret sealed with key %s, but the key given is %s", e.Sealed, e.Given)
}

// ParseSecretKey reads a key written as 32 bytes in hex or base64 (standard
// or URL alphabet, padded or not); spaces around it are ignored.
func ParseSecretKey(text string) (*SecretKey, error) {
	text = strings.TrimSpace(text)
	var raw []byte
	if b, err := hex.DecodeString(text); err == nil && len(b) == SecretKeyBytes {
		raw = b
	} else {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(text); err == nil && len(b) == SecretKeyBytes {
				raw = b
				break
			}
		}
	}
	if raw == nil {
		return nil, errors.New("a secret key must be 32 bytes written in base64 or hex, e.g. the output of: head -c 32 /dev/urandom | base64")
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append([]byte("minyi secret key id\x00"), raw...))
	return &SecretKey{id: hex.EncodeToString(sum[:4]), aead: aead}, nil
}

// NewSecretKeyText returns a fresh random key, base64, for a key file.
func NewSecretKeyText() string {
	b := make([]byte, SecretKeyBytes)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.StdEncoding.EncodeToString(b)
}

// ID names the key without revealing it: the first bytes of a hash.
func (k *SecretKey) ID() string { return k.id }

// Seal encrypts plain, bound to context (such as the owner's id), so that
// a sealed value copied to another owner's row does not open there.
func (k *SecretKey) Seal(plain, context string) string {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	out := k.aead.Seal(nonce, nonce, []byte(plain), []byte(context))
	return sealedPrefix + k.id + ":" + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a value from Seal with the same context.
func (k *SecretKey) Open(sealed, context string) (string, error) {
	id, ok := SealedKeyID(sealed)
	if !ok {
		return "", errors.New("not a sealed value")
	}
	if id != k.id {
		return "", &WrongKeyError{Sealed: id, Given: k.id}
	}
	b, err := base64.RawURLEncoding.DecodeString(sealed[len(sealedPrefix)+len(id)+1:])
	if err != nil || len(b) < k.aead.NonceSize() {
		return "", errors.New("sealed value damaged")
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, b[:n], b[n:], []byte(context))
	if err != nil {
		return "", fmt.Errorf("sealed value does not open with key %s (damaged, or moved from another row)", k.id)
	}
	return string(plain), nil
}

// SealedKeyID returns the id of the key that sealed v, and false when v
// is not sealed (a value stored in clear by an older version).
func SealedKeyID(v string) (string, bool) {
	rest, ok := strings.CutPrefix(v, sealedPrefix)
	if !ok {
		return "", false
	}
	id, _, ok := strings.Cut(rest, ":")
	return id, ok
}
