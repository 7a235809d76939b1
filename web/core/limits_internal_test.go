package core

import (
	"net/netip"
	"testing"
)

func TestClientAddressIsTheRightMostUntrustedHop(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, c := range []struct {
		name, remote string
		xff          []string
		trusted      []netip.Prefix
		want         string
	}{
		{"no proxy", "192.0.2.1:5000", nil, proxies, "192.0.2.1"},
		{"header ignored from an untrusted peer", "192.0.2.1:5000", []string{"198.51.100.1"}, proxies, "192.0.2.1"},
		{"header ignored without trusted proxies", "10.0.0.1:5000", []string{"198.51.100.1"}, nil, "10.0.0.1"},
		{"one trusted proxy", "10.0.0.1:5000", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"the client's own claim on the left is skipped", "10.0.0.1:5000", []string{"203.0.113.5, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"a chain of trusted proxies", "10.0.0.1:5000", []string{"198.51.100.1, 10.2.2.2", "10.3.3.3"}, proxies, "198.51.100.1"},
		{"all trusted: the left-most", "10.0.0.1:5000", []string{"10.2.2.2"}, proxies, "10.2.2.2"},
		{"garbage stops the walk", "10.0.0.1:5000", []string{"198.51.100.1, junk"}, proxies, "10.0.0.1"},
		{"IPv6 peer", "[fd00::1]:5000", []string{"2001:db8::7"}, proxies, "2001:db8::7"},
		{"a proxy that writes the port", "10.0.0.1:5000", []string{"203.0.113.5, 198.51.100.1:4711"}, proxies, "198.51.100.1"},
		{"a proxy that writes an IPv6 port", "10.0.0.1:5000", []string{"[2001:db8::7]:443"}, proxies, "2001:db8::7"},
		{"a port on a trusted hop", "10.0.0.1:5000", []string{"198.51.100.1, 10.2.2.2:80"}, proxies, "198.51.100.1"},
		{"IPv4 in IPv6", "[::ffff:192.0.2.1]:5000", nil, proxies, "192.0.2.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := clientAddr(c.remote, c.xff, c.trusted).String(); got != c.want {
				t.Errorf("%s", got)
			}
		})
	}
}
