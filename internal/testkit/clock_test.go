package testkit

import (
	"sync"
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	t0 := time.Date(2021, 3, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	c := NewClock(t0)
	if got := c.Now(); !got.Equal(t0) || got.Location() != t0.Location() {
		t.Fatalf("Now = %v, want %v in its zone", got, t0)
	}
	if got := c.Advance(time.Hour); !got.Equal(t0.Add(time.Hour)) || !c.Now().Equal(got) {
		t.Fatalf("Advance = %v, Now = %v", got, c.Now())
	}
	c.Set(t0)
	if !c.Now().Equal(t0) {
		t.Fatalf("after Set: %v", c.Now())
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				c.Advance(time.Minute)
				c.Now()
			}
		}()
	}
	wg.Wait()
	if want := t0.Add(800 * time.Minute); !c.Now().Equal(want) {
		t.Fatalf("after concurrent advances: %v, want %v", c.Now(), want)
	}
}
