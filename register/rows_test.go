package register

import (
	"context"
	"errors"
	"testing"

	"minyi"
	"minyi/org"
)

// countedLookups answers from fixed units and counts the questions asked,
// failing while down.
type countedLookups struct {
	asked map[string]int
	down  bool
}

func (c *countedLookups) answer(key string) error {
	c.asked[key]++
	if c.down {
		return errors.New("database unreachable")
	}
	return nil
}

func (c *countedLookups) Unit(_ context.Context, code string) (org.Unit, error) {
	if err := c.answer("unit " + code); err != nil {
		return org.Unit{}, err
	}
	if code != "a" {
		return org.Unit{}, minyi.Errorf(minyi.ENotFound, "unit not found")
	}
	return org.Unit{Code: code}, nil
}

func (c *countedLookups) Branches(context.Context) ([]org.Branch, error) {
	if err := c.answer("branches"); err != nil {
		return nil, err
	}
	return []org.Branch{{Code: "b1", UnitCode: "a"}}, nil
}

func (c *countedLookups) UserByName(_ context.Context, name string) (org.User, error) {
	if err := c.answer("user " + name); err != nil {
		return org.User{}, err
	}
	return org.User{Name: name}, nil
}

// TestCached: a batch asks its store each unit, user and the branches
// once, a unit not found included; a failure is asked again.
func TestCached(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		down bool
		ask  func(l Lookups)
		want map[string]int
	}{
		{"units", false, func(l Lookups) {
			for _, code := range []string{"a", "a", "x", "x", "a"} {
				_, _ = l.Unit(ctx, code)
			}
		}, map[string]int{"unit a": 1, "unit x": 1}},
		{"branches and staff", false, func(l Lookups) {
			for range 3 {
				_, _ = l.Branches(ctx)
				_, _ = l.UserByName(ctx, "li")
			}
			_, _ = l.UserByName(ctx, "wang")
		}, map[string]int{"branches": 1, "user li": 1, "user wang": 1}},
		{"failures are asked again", true, func(l Lookups) {
			_, _ = l.Unit(ctx, "a")
			_, _ = l.Unit(ctx, "a")
			_, _ = l.UserByName(ctx, "li")
			_, _ = l.UserByName(ctx, "li")
		}, map[string]int{"unit a": 2, "user li": 2}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := &countedLookups{asked: map[string]int{}, down: tt.down}
			tt.ask(Cached(store))
			if len(store.asked) != len(tt.want) {
				t.Errorf("asked %v, want %v", store.asked, tt.want)
			}
			for k, n := range tt.want {
				if store.asked[k] != n {
					t.Errorf("asked %q %d times, want %d", k, store.asked[k], n)
				}
			}
		})
	}
}

// TestCachedAnswers: the cached answers are the store's.
func TestCachedAnswers(t *testing.T) {
	ctx := context.Background()
	l := Cached(&countedLookups{asked: map[string]int{}})
	for range 2 {
		if u, err := l.Unit(ctx, "a"); err != nil || u.Code != "a" {
			t.Errorf("Unit(a) = %v, %v", u, err)
		}
		if _, err := l.Unit(ctx, "x"); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("Unit(x) error %v, want not_found", err)
		}
		if b, err := l.Branches(ctx); err != nil || len(b) != 1 || b[0].Code != "b1" {
			t.Errorf("Branches = %v, %v", b, err)
		}
		if u, err := l.UserByName(ctx, "li"); err != nil || u.Name != "li" {
			t.Errorf("UserByName(li) = %v, %v", u, err)
		}
	}
}
