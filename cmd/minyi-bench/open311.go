package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/wire"
	"minyi/org"
	"minyi/store"
	"minyi/web"
)

// open311Bench files items through Open311's POST requests and through the
// JSON API's POST /api/v1/items on the same server and database, one after
// the other in each run, and compares their throughput and p99.
func open311Bench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("open311", flag.ExitOnError)
	clients := fs.Int("clients", 32, "concurrent HTTP clients")
	duration := fs.Duration("duration", 10*time.Second, "length of each measurement")
	rf := addRunFlags(fs)
	fs.Parse(args)
	stop, err := rf.profile()
	if err != nil {
		return err
	}
	defer stop()

	var ratios, apiRates, o311Rates, apiP99s, o311P99s []float64
	for run := 1; run <= *rf.runs; run++ {
		dbURL, cleanup, err := target(*rf.dir, *rf.database, run)
		if err != nil {
			return err
		}
		api, o311, err := open311Run(ctx, dbURL, *clients, *duration)
		cleanup()
		if err != nil {
			return err
		}
		fmt.Printf("run %d: JSON API %.0f items/s (p99 %s); Open311 POST %.0f items/s (p99 %s); ratio %.2f\n",
			run, api.rate, ms(api.p99), o311.rate, ms(o311.p99), o311.rate/api.rate)
		ratios, apiRates, o311Rates = append(ratios, o311.rate/api.rate), append(apiRates, api.rate), append(o311Rates, o311.rate)
		apiP99s, o311P99s = append(apiP99s, float64(api.p99)), append(o311P99s, float64(o311.p99))
	}
	fmt.Printf("median of %d runs: JSON API %.0f/s p99 %s; Open311 %.0f/s p99 %s; Open311 ÷ JSON API %.2f (%d clients)\n",
		*rf.runs, median(apiRates), ms(time.Duration(median(apiP99s))), median(o311Rates), ms(time.Duration(median(o311P99s))), median(ratios), *clients)
	return nil
}

type throughput struct {
	rate     float64 // answers per second
	p50, p99 time.Duration
}

func open311Run(ctx context.Context, dbURL string, clients int, d time.Duration) (api, o311 throughput, err error) {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return api, o311, err
	}
	defer db.Close()
	unit := org.Unit{Code: "station", Name: "城区派出所", Kind: org.UnitStation}
	if err := org.NewService(db).AddUnit(ctx, org.Operator("bench"), &unit); err != nil {
		return api, o311, err
	}
	cat := archive.Category{Code: "hukou", Name: "户籍", UnitCode: "station", Active: true,
		Limit: calendar.Limit{Amount: 3, Unit: calendar.WorkingDays}}
	if err := archive.NewConfig(db, nil).AddCategory(ctx, org.Operator("bench"), &cat); err != nil {
		return api, o311, err
	}
	key, err := org.NewService(db).CreateAPIKey(ctx, org.Operator("bench"), &org.APIKey{Name: "bench", RatePerMinute: 100000})
	if err != nil {
		return api, o311, err
	}
	svc := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	// No abuse limits (web.Limits{} is every limit off): the whole load
	// comes from one address, as `serve --intake-limit 0 …` would take it.
	srv, err := web.New(wire.Web(db, svc, wire.Options{}), web.Config{Dialect: db.Dialect(), Limits: web.Limits{}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return api, o311, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return api, o311, err
	}
	httpSrv := &http.Server{Handler: srv.Handler()}
	go httpSrv.Serve(ln)
	defer httpSrv.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}, Timeout: 30 * time.Second}

	const text = "新生儿落户需要带哪些材料？"
	api, err = hammer(clients, d, func() (*http.Response, error) {
		body, _ := json.Marshal(map[string]any{"kind": "help", "channel": "online_box", "category": "hukou",
			"text": text, "location": map[string]any{"address": "乌兰镇政府路1号"}, "contact": map[string]any{"phone": "13900001111"}})
		return client.Post(base+"/api/v1/items", "application/json", bytes.NewReader(body))
	}, http.StatusCreated)
	if err != nil {
		return api, o311, fmt.Errorf("JSON API: %w", err)
	}
	form := url.Values{"api_key": {key}, "service_code": {"hukou"}, "description": {text},
		"address_string": {"乌兰镇政府路1号"}, "phone": {"13900001111"}}.Encode()
	o311, err = hammer(clients, d, func() (*http.Response, error) {
		return client.Post(base+"/open311/v2/requests.json", "application/x-www-form-urlencoded", strings.NewReader(form))
	}, http.StatusOK)
	if err != nil {
		return api, o311, fmt.Errorf("Open311: %w", err)
	}
	return api, o311, nil
}

// hammer has clients send requests as fast as they are answered for d and
// counts the answers with status want; any other answer is an error.
func hammer(clients int, d time.Duration, send func() (*http.Response, error), want int) (throughput, error) {
	var mu sync.Mutex
	var lat latencies
	var failure error
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local latencies
			for time.Now().Before(deadline) {
				t0 := time.Now()
				resp, err := send()
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != want {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					mu.Lock()
					failure = err
					mu.Unlock()
					return
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if failure != nil {
		return throughput{}, failure
	}
	return throughput{rate: float64(len(lat)) / time.Since(start).Seconds(), p50: lat.quantile(0.5), p99: lat.quantile(0.99)}, nil
}
