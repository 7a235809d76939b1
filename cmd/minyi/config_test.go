package main

import (
	"io"
	"net"
	"strings"
	"testing"
)

// TestDemoListensOnLoopback: the demo publishes its passwords, so unless
// an address is chosen it must not be reachable from other machines.
func TestDemoListensOnLoopback(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"demo", []string{"--demo"}, nil, "127.0.0.1:8080"},
		{"demo with --addr", []string{"--demo", "--addr", ":9090"}, nil, ":9090"},
		{"demo with MINYI_ADDR", []string{"--demo"}, map[string]string{"MINYI_ADDR": "0.0.0.0:8081"}, "0.0.0.0:8081"},
		{"no demo", nil, nil, ":8080"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string { return tc.env[k] }
			fs, cfg := flags("serve", getenv, io.Discard)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			cfg.bindDemo(fs, getenv)
			if cfg.Addr != tc.want {
				t.Errorf("listens on %q, want %q", cfg.Addr, tc.want)
			}
		})
	}
	t.Run("start-up output", func(t *testing.T) {
		if msg := demoReach(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}); !strings.Contains(msg, "127.0.0.1:8080 only") {
			t.Errorf("loopback: %s", msg)
		}
		if msg := demoReach(&net.TCPAddr{IP: net.IPv4zero, Port: 8080}); !strings.Contains(msg, "WARNING") || !strings.Contains(msg, "other machines") {
			t.Errorf("all interfaces: %s", msg)
		}
	})
}

func TestWebhookAllowSetting(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  string
		want string // the allow-list, or "usage" for a usage error
	}{
		{"none by default", nil, "", ""},
		{"repeated and comma lists", []string{"--webhook-allow", "10.20.0.0/16", "--webhook-allow", "192.168.1.7, fd00::/8"}, "",
			"10.20.0.0/16,192.168.1.7/32,fd00::/8"},
		{"from the environment", nil, "10.0.0.0/8,127.0.0.1", "10.0.0.0/8,127.0.0.1/32"},
		{"the flag adds to the environment", []string{"--webhook-allow", "10.1.0.0/16"}, "10.0.0.0/8", "10.0.0.0/8,10.1.0.0/16"},
		{"not a network", []string{"--webhook-allow", "intranet"}, "", "usage"},
		{"bad environment", nil, "10.0.0.0/40", "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "MINYI_WEBHOOK_ALLOW" {
					return tt.env
				}
				return ""
			}
			fs, cfg := flags("serve", getenv, io.Discard)
			err := fs.Parse(tt.args)
			if err == nil {
				err = cfg.validate()
			} else {
				err = usageErr("%v", err)
			}
			switch {
			case tt.want == "usage":
				if exitCode(err) != 2 {
					t.Fatalf("got %v, want a usage error", err)
				}
			case err != nil:
				t.Fatal(err)
			case cfg.WebhookAllow.String() != tt.want:
				t.Errorf("allow-list %q, want %q", cfg.WebhookAllow, tt.want)
			}
		})
	}
}

// TestMemoryLimitSetting: serve's soft memory limit is 128 MiB unless the
// flag or MINYI_MEMORY_LIMIT says otherwise, left to the runtime when
// GOMEMLIMIT is set (unless the flag is given), and 0 or at least 64 MiB.
func TestMemoryLimitSetting(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want int64 // -1: a usage error
	}{
		{"default", nil, nil, defaultMemoryLimit},
		{"flag", []string{"--memory-limit", "200"}, nil, 200},
		{"environment", nil, map[string]string{"MINYI_MEMORY_LIMIT": "300"}, 300},
		{"off", []string{"--memory-limit", "0"}, nil, 0},
		{"GOMEMLIMIT rules", nil, map[string]string{"GOMEMLIMIT": "1GiB"}, 0},
		{"the flag over GOMEMLIMIT", []string{"--memory-limit", "128"}, map[string]string{"GOMEMLIMIT": "1GiB"}, 128},
		{"too small", []string{"--memory-limit", "10"}, nil, -1},
		{"negative", []string{"--memory-limit", "-1"}, nil, -1},
		{"bad environment", nil, map[string]string{"MINYI_MEMORY_LIMIT": "1GiB"}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, cfg := flags("serve", func(k string) string { return tc.env[k] }, io.Discard)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			err := cfg.validate()
			if tc.want < 0 {
				if exitCode(err) != 2 {
					t.Fatalf("memory limit %d: %v, want a usage error", cfg.MemoryLimit, err)
				}
				return
			}
			if err != nil || cfg.MemoryLimit != tc.want {
				t.Fatalf("memory limit %d (%v), want %d", cfg.MemoryLimit, err, tc.want)
			}
		})
	}
}
