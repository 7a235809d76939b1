package org

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"minyi"
)

func TestNewTOTP(t *testing.T) {
	k, err := NewTOTP("城关公安局", "admin")
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Secret) != 32 { // 160 bits in base32
		t.Fatalf("secret %q: want 32 base32 characters", k.Secret)
	}
	u, err := url.Parse(k.URL)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("URL %q", k.URL)
	}
	q := u.Query()
	if q.Get("secret") != k.Secret || q.Get("issuer") != "城关公安局" || q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Fatalf("URL %q", k.URL)
	}
	if !strings.HasSuffix(u.Path, ":admin") {
		t.Fatalf("URL %q does not name the account", k.URL)
	}
	again, _ := NewTOTP("城关公安局", "admin")
	if again.Secret == k.Secret {
		t.Fatal("two secrets are equal: they are not random")
	}
}

// The RFC 6238 test vector for SHA-1 (appendix B), cut to six digits: at
// 59 s the eight-digit code is 94287082.
func TestTOTPCodeMatchesRFC6238(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	got, err := TOTPCode(secret, time.Unix(59, 0))
	if err != nil || got != "287082" {
		t.Fatalf("code %q, %v; want 287082", got, err)
	}
}

func TestCheckTOTP(t *testing.T) {
	secret := "JBSWY3DPEHPK3PXP"
	now := time.Date(2026, 5, 4, 9, 30, 10, 0, time.UTC)
	step := TOTPStep(now)
	code := func(offset int64) string {
		c, err := TOTPCode(secret, time.Unix((step+offset)*TOTPPeriod, 0))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	wrong := code(0)
	wrong = string('0'+(wrong[0]-'0'+1)%10) + wrong[1:]
	tests := []struct {
		name     string
		secret   string
		code     string
		lastStep int64
		want     int64 // the step accepted; 0: refused
	}{
		{"current code", secret, code(0), 0, step},
		{"with a space, as apps show it", secret, code(0)[:3] + " " + code(0)[3:], 0, step},
		{"phone 30 s behind", secret, code(-1), 0, step - 1},
		{"phone 30 s ahead", secret, code(1), 0, step + 1},
		{"phone 60 s behind", secret, code(-2), 0, 0},
		{"phone 60 s ahead", secret, code(2), 0, 0},
		{"wrong code", secret, wrong, 0, 0},
		{"used already", secret, code(0), step, 0},
		{"older than the last used", secret, code(-1), step, 0},
		{"newer than the last used", secret, code(1), step, step + 1},
		{"five digits", secret, code(0)[:5], 0, 0},
		{"letters", secret, "12345a", 0, 0},
		{"empty", secret, "", 0, 0},
		{"no secret", "", code(0), 0, 0},
		{"other secret", "KRSXG5CTMVRXEZLU", code(0), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckTOTP(tt.secret, tt.code, now, tt.lastStep)
			if tt.want == 0 {
				if err == nil || minyi.ErrorCode(err) != minyi.EInvalid {
					t.Fatalf("accepted as step %d (err %v)", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("step %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}
