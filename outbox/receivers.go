package outbox

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"minyi"
)

// Webhook receivers are partners on the public Internet. An administrator
// (or whoever holds an admin token) must not be able to point a webhook at
// the server's own network: the loopback interface, the bureau's intranet,
// a cloud's metadata service at 169.254.169.254. Addresses are checked
// where it counts, when a delivery connects, after DNS (a name may resolve
// to anything, and differently tomorrow); a URL naming such an address
// literally is refused already when the webhook is saved. An intranet
// receiver is reached only through an explicit allow-list
// (serve --webhook-allow).

// AllowList names the networks outside the public Internet that webhook
// receivers may be in.
type AllowList []netip.Prefix

// String lists the prefixes, comma-separated.
func (a AllowList) String() string {
	s := make([]string, len(a))
	for i, p := range a {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

// nonPublic are the networks beyond what netip's predicates name that are
// not the public Internet: a connection there reaches the server's own
// surroundings, or something that translates to them.
var nonPublic = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",       // "this network"
		"100.64.0.0/10",   // carrier-grade NAT (RFC 6598)
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // documentation
		"203.0.113.0/24",  // documentation
		"240.0.0.0/4",     // reserved, and the broadcast address
		"64:ff9b::/96",    // NAT64: an IPv4 address inside
		"64:ff9b:1::/48",  // local NAT64
		"100::/64",        // discard
		"2001::/32",       // Teredo: an IPv4 address inside
		"2001:db8::/32",   // documentation
		"2002::/16",       // 6to4: an IPv4 address inside
		"fec0::/10",       // site-local (deprecated, still routed by some)
		"::/96",           // IPv4-compatible (deprecated): an IPv4 address inside
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// public reports whether ip is on the public Internet.
func public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// Permits reports whether a webhook delivery may connect to ip: it is on
// the public Internet or in the allow-list.
func (a AllowList) Permits(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	if public(ip) {
		return true
	}
	for _, p := range a {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// CheckURL refuses a webhook URL whose host is an address (or localhost)
// that deliveries may not connect to. Names are left to the connection.
func (a AllowList) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return nil // Validate names the malformed URL
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	var ips []netip.Addr
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		ips = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}
	} else if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	}
	for _, ip := range ips {
		if !a.Permits(ip) {
			return minyi.Invalid("url", "不能指向本机、内网或保留地址（内网接收方须由运维以 --webhook-allow 放行）",
				"url must not point at this server, the intranet or a reserved address (operators allow intranet receivers with --webhook-allow)")
		}
	}
	return nil
}

// errNotPermitted is why a delivery's connection was refused.
var errNotPermitted = errors.New("the receiver's address is not on the public Internet nor in --webhook-allow")

// control checks the address a delivery is about to connect to, after
// DNS: every address a name resolves to goes through here.
func (a AllowList) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%s %s: %w", network, address, errNotPermitted)
	}
	if !a.Permits(ap.Addr()) {
		return fmt.Errorf("%s %s: %w", network, address, errNotPermitted)
	}
	return nil
}

// Client returns the HTTP client deliveries use: it connects only to
// addresses a permits, directly (an environment proxy would connect on our
// behalf, unchecked), and follows no redirect (a receiver could send us on
// to the intranet); a 3xx answer is a failed delivery.
func (a AllowList) Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: a.control}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   timeout,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
