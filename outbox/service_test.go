package outbox_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/outbox"
)

var ctx = context.Background()

// adminStore is outbox.AdminStore in memory, counting the writes.
type adminStore struct {
	hooks      []outbox.Webhook
	notices    []archive.Notice // newest first
	deliveries []outbox.Delivery
	writes     int
}

func (s *adminStore) CreateWebhook(_ context.Context, w *outbox.Webhook) error {
	s.writes++
	w.ID = int64(len(s.hooks) + 1)
	s.hooks = append(s.hooks, *w)
	return nil
}
func (s *adminStore) UpdateWebhook(_ context.Context, w outbox.Webhook) error {
	s.writes++
	s.hooks[w.ID-1] = w
	return nil
}
func (s *adminStore) Webhook(_ context.Context, id int64) (outbox.Webhook, error) {
	if id < 1 || int(id) > len(s.hooks) {
		return outbox.Webhook{}, minyi.Errorf(minyi.ENotFound, "no webhook")
	}
	return s.hooks[id-1], nil
}
func (s *adminStore) Webhooks(context.Context) ([]outbox.Webhook, error) { return s.hooks, nil }
func (s *adminStore) Notices(_ context.Context, f outbox.NoticeFilter) ([]archive.Notice, error) {
	return s.notices[:min(f.Limit, len(s.notices))], nil
}
func (s *adminStore) Deliveries(_ context.Context, f outbox.DeliveryFilter) ([]outbox.Delivery, error) {
	return s.deliveries[:min(f.Limit, len(s.deliveries))], nil
}
func (s *adminStore) OutboxCounts(context.Context, string) (map[string]int64, error) {
	return map[string]int64{archive.DeliverySent: 2}, nil
}

func newAdminStore() *adminStore {
	s := &adminStore{hooks: []outbox.Webhook{{ID: 1, Name: "partner", URL: "https://partner.example/hook", Events: []string{"*"}, Active: true}}}
	for id := int64(5); id > 0; id-- {
		s.notices = append(s.notices, archive.Notice{ID: id})
		s.deliveries = append(s.deliveries, outbox.Delivery{ID: id})
	}
	return s
}

// TestOutboxIsForAdministrators runs every door of the outbox's service as
// each role: only the administrator gets through; a refusal is forbidden
// and writes nothing.
func TestOutboxIsForAdministrators(t *testing.T) {
	doors := []struct {
		name string
		call func(*outbox.Service, org.User) error
	}{
		{"webhooks", func(s *outbox.Service, u org.User) error { _, err := s.Webhooks(ctx, u); return err }},
		{"webhook", func(s *outbox.Service, u org.User) error { _, err := s.Webhook(ctx, u, 1); return err }},
		{"add webhook", func(s *outbox.Service, u org.User) error {
			_, err := s.AddWebhook(ctx, u, &outbox.Webhook{Name: "new", URL: "https://other.example/", Events: []string{"*"}})
			return err
		}},
		{"deactivate webhook", func(s *outbox.Service, u org.User) error {
			return s.ChangeWebhook(ctx, u, outbox.Webhook{ID: 1, URL: "https://partner.example/hook", Events: []string{"*"}})
		}},
		{"notices", func(s *outbox.Service, u org.User) error {
			_, _, err := s.Notices(ctx, u, outbox.NoticeFilter{Limit: 2})
			return err
		}},
		{"deliveries", func(s *outbox.Service, u org.User) error {
			_, _, err := s.Deliveries(ctx, u, outbox.DeliveryFilter{Webhook: 1, Limit: 2})
			return err
		}},
		{"notice counts", func(s *outbox.Service, u org.User) error { _, err := s.NoticeCounts(ctx, u); return err }},
		{"delivery counts", func(s *outbox.Service, u org.User) error { _, err := s.DeliveryCounts(ctx, u); return err }},
	}
	roles := []org.Role{org.RoleAdmin, org.RoleLeader, org.RoleUnitHead, org.RoleOfficer, org.RoleAuxiliary, org.RolePartner}
	for _, d := range doors {
		for _, role := range roles {
			t.Run(d.name+" as "+string(role), func(t *testing.T) {
				st := newAdminStore()
				err := d.call(&outbox.Service{Store: st}, org.User{Name: "x", Role: role})
				if role == org.RoleAdmin {
					if err != nil {
						t.Fatalf("the administrator is refused: %v", err)
					}
					return
				}
				if minyi.ErrorCode(err) != minyi.EForbidden || st.writes != 0 {
					t.Fatalf("got %v after %d writes, want forbidden and none", err, st.writes)
				}
			})
		}
	}
}

func TestAddAndChangeWebhook(t *testing.T) {
	st := newAdminStore()
	now := time.Date(2026, 12, 4, 9, 0, 0, 123456789, time.UTC)
	s := &outbox.Service{Store: st, Now: func() time.Time { return now }}
	admin := org.User{Name: "boss", Role: org.RoleAdmin}
	w := outbox.Webhook{Name: " 合作方 ", URL: " https://x.example/in ", Events: []string{"closed"}, Active: true}
	secret, err := s.AddWebhook(ctx, admin, &w)
	if err != nil {
		t.Fatal(err)
	}
	got := st.hooks[w.ID-1]
	if secret == "" || got.Secret != secret || got.Name != "合作方" || got.URL != "https://x.example/in" ||
		got.CreatedBy != "boss" || !got.CreatedAt.Equal(now.Truncate(time.Microsecond)) {
		t.Fatalf("stored %+v", got)
	}
	// An inside address is refused unless the operator allows it.
	inside := outbox.Webhook{Name: "内网", URL: "http://10.1.2.3/hook", Events: []string{"*"}}
	if _, err := s.AddWebhook(ctx, admin, &inside); minyi.ErrorCode(err) != minyi.EInvalid {
		t.Fatalf("inside address: %v", err)
	}
	s.Allow = outbox.AllowList{netip.MustParsePrefix("10.0.0.0/8")}
	if _, err := s.AddWebhook(ctx, admin, &inside); err != nil {
		t.Fatalf("allowed inside address: %v", err)
	}
	// A change keeps the name and the secret.
	if err := s.ChangeWebhook(ctx, admin, outbox.Webhook{ID: w.ID, Name: "改名", URL: "https://y.example/", Events: []string{"*"}}); err != nil {
		t.Fatal(err)
	}
	if got := st.hooks[w.ID-1]; got.Name != "合作方" || got.Active || got.URL != "https://y.example/" {
		t.Fatalf("changed to %+v", got)
	}
	if err := s.ChangeWebhook(ctx, admin, outbox.Webhook{ID: w.ID, URL: "ftp://y.example/", Events: []string{"*"}}); minyi.ErrorCode(err) != minyi.EInvalid {
		t.Fatalf("bad url: %v", err)
	}
	if err := s.ChangeWebhook(ctx, admin, outbox.Webhook{ID: 99, URL: "https://y.example/", Events: []string{"*"}}); minyi.ErrorCode(err) != minyi.ENotFound {
		t.Fatalf("unknown webhook: %v", err)
	}
}

func TestMaskURL(t *testing.T) {
	tests := []struct{ name, url, want string }{
		{"wecom key", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa",
			"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****5aaa"},
		{"dingtalk token", "https://oapi.dingtalk.com/robot/send?access_token=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
			"https://oapi.dingtalk.com/robot/send?access_token=****b1a0"},
		{"short values and order kept", "https://x.example/in?b=2&a=abcdefgh&flag&empty=", "https://x.example/in?b=****&a=****&flag&empty="},
		{"password", "https://user:s3cret@x.example/in", "https://user:****@x.example/in"},
		{"a name alone", "https://glpat-0123456789abcdef@x.example/in?a=1", "https://****@x.example/in?a=****"},
		{"a name with an empty password", "https://glpat-0123456789abcdef:@x.example/in", "https://****@x.example/in"},
		{"an escaped name alone", "https://to%2Fken%40x@x.example/in", "https://****@x.example/in"},
		{"an empty name", "https://@x.example/in", "https://@x.example/in"},
		{"nothing to hide", "https://partner.example/hook", "https://partner.example/hook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outbox.MaskURL(tt.url); got != tt.want {
				t.Errorf("MaskURL(%q) = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}

// TestUserNameKeptWhenSavedAsShown: an address whose user name alone is
// its credential is shown with the name masked, and a change that sends
// the masked address back keeps the stored name.
func TestUserNameKeptWhenSavedAsShown(t *testing.T) {
	st := newAdminStore()
	s := &outbox.Service{Store: st}
	admin := org.User{Name: "boss", Role: org.RoleAdmin}
	w := outbox.Webhook{Name: "合作方", URL: "https://glpat-0123456789abcdef@x.example/in", Events: []string{"*"}, Active: true}
	if _, err := s.AddWebhook(ctx, admin, &w); err != nil {
		t.Fatal(err)
	}
	if w.URL != "https://****@x.example/in" {
		t.Fatalf("shown %q", w.URL)
	}
	if err := s.ChangeWebhook(ctx, admin, outbox.Webhook{ID: w.ID, URL: w.URL, Events: []string{"closed"}}); err != nil {
		t.Fatal(err)
	}
	if got := st.hooks[w.ID-1]; got.URL != "https://glpat-0123456789abcdef@x.example/in" || len(got.Events) != 1 {
		t.Errorf("stored %+v", got)
	}
}

// TestRobotURLMasked: a robot's address, which holds its key, is stored
// whole but shown masked after saving; a change that sends the masked
// address back keeps the key, a new address replaces it, and a new address
// with the mask in it is refused, changing nothing.
func TestRobotURLMasked(t *testing.T) {
	st := newAdminStore()
	s := &outbox.Service{Store: st}
	admin := org.User{Name: "boss", Role: org.RoleAdmin}
	key := "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7e2d-4bc4-97a0-0ec2c1fa5aaa"
	shown := "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****5aaa"
	w := outbox.Webhook{Name: "值班群", URL: key, Format: outbox.FormatWeCom, Active: true}
	if _, err := s.AddWebhook(ctx, admin, &w); err != nil {
		t.Fatal(err)
	}
	if w.URL != shown || st.hooks[w.ID-1].URL != key {
		t.Fatalf("after adding: shown %q, stored %q", w.URL, st.hooks[w.ID-1].URL)
	}
	got, err := s.Webhook(ctx, admin, w.ID)
	if err != nil || got.URL != shown {
		t.Fatalf("one webhook: %q %v", got.URL, err)
	}
	all, err := s.Webhooks(ctx, admin)
	if err != nil || all[w.ID-1].URL != shown || all[0].URL != "https://partner.example/hook" || st.hooks[w.ID-1].URL != key {
		t.Fatalf("the list: %+v %v", all, err)
	}
	for _, c := range []struct {
		name, url, stored string
		code              string
	}{
		{"saved as shown keeps the key", shown, key, ""},
		{"a mask in another address", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****5aab", key, minyi.EInvalid},
		{"a new key", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=new-key-0001", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=new-key-0001", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := s.ChangeWebhook(ctx, admin, outbox.Webhook{ID: w.ID, URL: c.url, Active: false})
			if minyi.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("got %v, want %q", err, c.code)
			}
			if got := st.hooks[w.ID-1]; got.URL != c.stored {
				t.Errorf("stored %q, want %q", got.URL, c.stored)
			}
		})
	}
}

func TestOutboxPagesAndCounts(t *testing.T) {
	s := &outbox.Service{Store: newAdminStore()}
	admin := org.User{Role: org.RoleAdmin}
	tests := []struct {
		limit    int
		want     int
		wantNext int64
	}{
		{2, 2, 4}, {4, 4, 2}, {5, 5, 0}, {10, 5, 0},
	}
	for _, tt := range tests {
		ns, next, err := s.Notices(ctx, admin, outbox.NoticeFilter{Limit: tt.limit})
		if err != nil || len(ns) != tt.want || next != tt.wantNext {
			t.Errorf("notices limit %d: %d rows, next %d, %v; want %d, %d", tt.limit, len(ns), next, err, tt.want, tt.wantNext)
		}
		ds, next, err := s.Deliveries(ctx, admin, outbox.DeliveryFilter{Limit: tt.limit})
		if err != nil || len(ds) != tt.want || next != tt.wantNext {
			t.Errorf("deliveries limit %d: %d rows, next %d, %v; want %d, %d", tt.limit, len(ds), next, err, tt.want, tt.wantNext)
		}
	}
	c, err := s.NoticeCounts(ctx, admin)
	if err != nil || len(c) != len(outbox.States) || c[archive.DeliverySent] != 2 || c[archive.DeliveryPending] != 0 {
		t.Fatalf("counts %v, %v: want every state", c, err)
	}
}
