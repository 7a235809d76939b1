package loadgen

import (
	"encoding/base64"
	"fmt"
)

// GrassrootsRegisters is what the grassroots benchmark's requests name of a
// generated database: its units, party branches and one-stop services, the
// newest ids of disputes and cases (a deep page starts halfway down) and
// the questionnaires whose live results are asked for (none: no results).
type GrassrootsRegisters struct {
	Units, Branches []string
	Services        []int64
	LastDispute     int64
	LastCase        int64
	Surveys         []int64
}

// GrassrootsMix returns the grassroots benchmark's requests for a year.
// Each register's lists are four classes, named register/kind: list, the
// first page unfiltered; filter, each filter of the API (status, unit,
// branch, kind, township, risk, service, proxy, green channel, overdue, a
// month); q, words in either script (with the other filters too); and
// deep, a page halfway down the register through its cursor. summary is the
// ledger summary of the year for the bureau and for each unit, results the
// live results of each questionnaire given. Between them goes the
// baseline, class floor: GET /healthz, the round trip every request pays
// on the same server, client and machine (see LedgerMix).
func GrassrootsMix(g GrassrootsRegisters, year int) []Query {
	var qs []Query
	add := func(class, path string) {
		qs = append(qs, Query{class, path})
		if len(qs)%4 == 3 {
			qs = append(qs, Query{"floor", "/healthz"})
		}
	}
	y := fmt.Sprint(year)
	cursor := func(id int64) string { return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprint(id))) }
	add("disputes/list", "/api/v1/disputes?limit=20")
	add("disputes/list", "/api/v1/disputes?limit=20")
	for _, f := range []string{"status=resolved", "status=mediating", "overdue=true", "kind=land", "risk=high",
		"township=" + urlQuery("乌兰镇"), "from=" + y + "-03-01&to=" + y + "-03-31", "status=resolved&from=" + y + "-01-01&to=" + y + "-12-31"} {
		add("disputes/filter", "/api/v1/disputes?"+f+"&limit=20")
	}
	for _, u := range g.Units {
		add("disputes/filter", "/api/v1/disputes?unit="+u+"&limit=20")
	}
	for _, b := range g.Branches {
		add("disputes/filter", "/api/v1/disputes?branch="+b+"&limit=20")
	}
	for _, q := range []string{"纠纷", "草场", "糾紛", "工資", "拖欠 工资", "乌兰镇 草场"} {
		add("disputes/q", "/api/v1/disputes?q="+urlQuery(q)+"&limit=20")
	}
	add("disputes/q", "/api/v1/disputes?q="+urlQuery("草场")+"&status=resolved&limit=20")
	add("disputes/deep", "/api/v1/disputes?limit=20&cursor="+cursor(g.LastDispute/2))
	add("disputes/deep", "/api/v1/disputes?status=resolved&limit=20&cursor="+cursor(g.LastDispute/3))
	add("disputes/deep", "/api/v1/disputes?limit=100&cursor="+cursor(g.LastDispute/10))
	add("cases/list", "/api/v1/cases?limit=20")
	add("cases/list", "/api/v1/cases?limit=20")
	for _, f := range []string{"status=open", "status=done", "status=cancelled", "proxy=true", "green=true", "overdue=true",
		"from=" + y + "-03-01&to=" + y + "-03-31", "status=done&proxy=true&from=" + y + "-01-01&to=" + y + "-12-31"} {
		add("cases/filter", "/api/v1/cases?"+f+"&limit=20")
	}
	for _, u := range g.Units {
		add("cases/filter", "/api/v1/cases?unit="+u+"&limit=20")
	}
	for _, s := range g.Services {
		add("cases/filter", fmt.Sprintf("/api/v1/cases?service=%d&limit=20", s))
		add("cases/filter", fmt.Sprintf("/api/v1/cases?service=%d&status=open&limit=20", s))
	}
	for _, q := range []string{"乌兰镇", "蒙西鎮", "新召群众", "新生儿落户", "身份證"} {
		add("cases/q", "/api/v1/cases?q="+urlQuery(q)+"&limit=20")
	}
	add("cases/q", "/api/v1/cases?q="+urlQuery("乌兰镇")+"&status=open&limit=20")
	add("cases/deep", "/api/v1/cases?limit=20&cursor="+cursor(g.LastCase/2))
	add("cases/deep", "/api/v1/cases?status=done&limit=20&cursor="+cursor(g.LastCase/3))
	add("cases/deep", "/api/v1/cases?limit=100&cursor="+cursor(g.LastCase/10))
	for _, u := range g.Units {
		add("summary", "/api/v1/ledgers/summary?from="+y+"-01-01&to="+y+"-12-31&unit="+u)
	}
	for range 4 {
		add("summary", "/api/v1/ledgers/summary?from="+y+"-01-01&to="+y+"-12-31")
	}
	for _, s := range g.Surveys {
		for range 4 {
			add("results", fmt.Sprintf("/api/v1/surveys/%d/results", s))
		}
	}
	return qs
}
