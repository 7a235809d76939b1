package core

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/ratelimit"
)

// Limits are the abuse limits of citizens' doors, each a number of uses per
// period and per client address (or per tracking number); the zero Rate is
// no limit, which is also what a zero Config gives.
type Limits struct {
	// Intake caps the items filed anonymously (JSON API without a token,
	// the write-in page) per address.
	Intake ratelimit.Rate
	// CodeGuess caps the wrong access codes per tracking number and per
	// address; beyond it even the right code waits for the window's end.
	CodeGuess ratelimit.Rate
	// LoginFailures caps the failed logins per address, whatever names they
	// try (per name, see org.LoginFailures).
	LoginFailures ratelimit.Rate
	// Open311Read caps the Open311 reads per address. It is counted in
	// each server's memory: reads are public and cheap, and a database
	// write per read would cost more than the abuse it stops.
	Open311Read ratelimit.Rate
}

// clientKey is the context key of the client's address.
type clientKey struct{}

// ClientAddress works out the client's address once per request, for the
// limits and the logs: the peer's address, or, when the peer is a trusted
// proxy, the right-most address in X-Forwarded-For that is not a trusted
// proxy (the left of the header is whatever the client chose to send).
func (s *Base) ClientAddress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := clientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.Config.TrustedProxies)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, a)))
	})
}

func clientAddr(remote string, forwarded []string, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	a = a.Unmap()
	var hops []string
	for _, h := range forwarded {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0 && isTrusted(a, trusted); i-- {
		hop, err := parseHop(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a trusted proxy would not write this: the proxy is the client we know
		}
		a = hop.Unmap()
	}
	return a
}

// parseHop reads one address of X-Forwarded-For. Some proxies write the
// client's port too (198.51.100.1:4711, [2001:db8::7]:443); refusing those
// would count every client as the proxy, and one client could then use up
// the limits of all.
func parseHop(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return a, err
		}
		a = ap.Addr()
	}
	return a, nil
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// RemoteHost is the client's address as text, for the logs and the limits.
func RemoteHost(r *http.Request) string {
	if a, ok := r.Context().Value(clientKey{}).(netip.Addr); ok && a.IsValid() {
		return a.String()
	}
	return clientAddr(r.RemoteAddr, nil, nil).String()
}

// LimitSubject is what an address's limits count, the failed logins of an
// address included: the address, or its /64 for IPv6, since one subscriber
// usually holds a whole /64 and could otherwise try from a fresh address
// each time.
func LimitSubject(r *http.Request) string {
	a, err := netip.ParseAddr(RemoteHost(r))
	if err != nil {
		return RemoteHost(r)
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// IntakeUse is the use of the intake limit by an anonymous filing from the
// client's address, which the store counts in the item's own transaction
// (archive.Item.Counted); staff file without a limit.
func (s *Base) IntakeUse(r *http.Request) []ratelimit.Use {
	if _, ok := UserFrom(r.Context()); ok {
		return nil
	}
	if use, ok := s.Limiter.Use("intake", s.Config.Limits.Intake, LimitSubject(r), true); ok {
		return []ratelimit.Use{use}
	}
	return nil
}

// WithAccessCode runs check, a citizen's access to item number by access
// code, within the code-guess limits of the number and of the client's
// address: once either has had its wrong codes, every attempt is refused
// until the window ends, the right code too, so that guessing cannot go on
// at the limit's pace by slipping in a known code. Wrong codes (and unknown
// numbers) are counted.
func (s *Base) WithAccessCode(r *http.Request, number string, check func() error) error {
	rate := s.Config.Limits.CodeGuess
	if rate.Off() {
		return check()
	}
	ctx := r.Context()
	subjects := [][2]string{{"code-item", number}, {"code-addr", LimitSubject(r)}}
	for _, sub := range subjects {
		if err := s.Limiter.Check(ctx, sub[0], rate, sub[1]); err != nil {
			return err
		}
	}
	err := check()
	if minyi.ErrorCode(err) == minyi.ENotFound {
		for _, sub := range subjects {
			if terr := s.Limiter.Take(ctx, sub[0], rate, sub[1]); terr != nil && minyi.ErrorCode(terr) != minyi.ETooMany {
				return terr
			}
		}
	}
	return err
}

// status is StatusOf err's code, having set Retry-After when err says
// when to come back.
func Status(w http.ResponseWriter, err error) int {
	if d := minyi.RetryAfter(err); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	}
	return StatusOf(minyi.ErrorCode(err))
}
