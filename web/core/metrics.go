package core

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are what /metrics reports: every route's requests and latency
// (Instrument), and the items filed and the actions applied, which the
// handlers that do them count.
type Metrics struct {
	registry *prometheus.Registry
	Requests *prometheus.CounterVec
	Latency  *prometheus.HistogramVec
	Created  *prometheus.CounterVec
	Actions  *prometheus.CounterVec
	// Handler serves the registry in Prometheus' text format.
	Handler http.Handler
}

func newMetrics(reg *prometheus.Registry) *Metrics {
	m := &Metrics{
		registry: reg,
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minyi_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "minyi_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
		Created: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minyi_items_created_total", Help: "Items filed, by channel.",
		}, []string{"channel"}),
		Actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minyi_item_actions_total", Help: "Lifecycle actions applied, by action.",
		}, []string{"action"}),
	}
	reg.MustRegister(m.Requests, m.Latency, m.Created, m.Actions,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.Handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}
