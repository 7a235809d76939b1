package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/wire"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
	"minyi/survey"
)

// figures measures, in this process on a generated database, what the
// ledger summary and the branch ranking cost without HTTP, and the
// matters' figures against their baseline in the same run: the same counts
// made as before the on-time count was SQL aggregation, reading every done
// matter of the period and judging its due day here. The two must agree;
// each run alternates them and the medians of the runs are reported.
func figures(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("figures", flag.ExitOnError)
	data := fs.String("data", "", "SQLite data directory")
	database := fs.String("database", "", "postgres://… instead of SQLite")
	runs := fs.Int("runs", 5, "runs; medians are reported")
	reps := fs.Int("n", 20, "calls of each kind a run")
	year := fs.Int("year", 2024, "the year asked for")
	grassroots := fs.Bool("grassroots", false, "measure each register's figures of the year (every reporting source), the ledger summary and the live results of questionnaires of at least --survey-answers answers against a row read by its key, instead of the matters' figures against their old way")
	surveyAnswers := fs.Int64("survey-answers", 50_000, "the fewest answers of a questionnaire whose results are measured (--grassroots)")
	fs.Parse(args)
	url := *data
	if *database != "" {
		url = *database
	}
	if url == "" {
		return fmt.Errorf("give --data DIR or --database URL")
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	reports := wire.Reports(db, items)
	leader, err := db.UserByName(ctx, "leader")
	if err != nil {
		return err
	}
	f := reporting.Filter{From: fmt.Sprintf("%d-01-01", *year), To: fmt.Sprintf("%d-12-31", *year)}
	if *grassroots {
		surveys := &survey.Service{Store: db, Items: items, Now: items.Clock}
		return grassrootsFigures(ctx, db, reports, surveys, leader, f, *surveyAnswers, *runs, *reps)
	}
	kinds := []struct {
		name string
		call func() (int64, error) // the on-time count, to check old against new
	}{
		{"matters, row by row (baseline)", func() (int64, error) { return oldMatterFigures(ctx, db.Writer(), f) }},
		{"matters, aggregated", func() (int64, error) {
			figs, err := db.MatterFigures(ctx, f)
			return figs["on_time"], err
		}},
		{"by branch, row by row (baseline)", func() (int64, error) { return oldByBranch(ctx, db.Writer(), f) }},
		{"by branch, aggregated", func() (int64, error) {
			figs, err := db.MatterFiguresByBranch(ctx, f)
			var n int64
			for _, b := range figs {
				n += b["on_time"]
			}
			return n, err
		}},
		{"volunteer figures", func() (int64, error) {
			_, err := db.ActivityFigures(ctx, f)
			return 0, err
		}},
		{"volunteer by branch", func() (int64, error) {
			_, err := db.ActivityFiguresByBranch(ctx, f)
			return 0, err
		}},
		{"measures figures", func() (int64, error) {
			_, err := db.MeasureFigures(ctx, f)
			return 0, err
		}},
		{"points figures", func() (int64, error) {
			_, err := db.PointFigures(ctx, f)
			return 0, err
		}},
		{"ledger summary", func() (int64, error) {
			r, err := reports.Summary(ctx, leader, f)
			return r.Figure("matters", "on_time"), err
		}},
		{"branch ranking", func() (int64, error) {
			branches, err := db.Branches(ctx)
			if err != nil {
				return 0, err
			}
			rows, err := reports.BranchRanking(ctx, leader, f, branches)
			var n int64
			for _, r := range rows {
				n += r.Figure(reporting.FigureKey{Register: "matters", Key: "on_time"})
			}
			return n, err
		}},
	}
	p50s, p95s := make([][]float64, len(kinds)), make([][]float64, len(kinds))
	for run := range *runs {
		lat := make([]latencies, len(kinds))
		counts := make([]int64, len(kinds))
		for range *reps {
			for k, kind := range kinds {
				t0 := time.Now()
				n, err := kind.call()
				if err != nil {
					return fmt.Errorf("%s: %w", kind.name, err)
				}
				lat[k] = append(lat[k], time.Since(t0))
				counts[k] = n
			}
		}
		for _, k := range []int{1, 3} {
			if counts[k] != counts[k-1] {
				return fmt.Errorf("run %d: %s counts %d on time, %s %d", run+1, kinds[k].name, counts[k], kinds[k-1].name, counts[k-1])
			}
		}
		fmt.Printf("run %d:", run+1)
		for k := range kinds {
			p50s[k] = append(p50s[k], float64(lat[k].quantile(0.5))/1e6)
			p95s[k] = append(p95s[k], float64(lat[k].quantile(0.95))/1e6)
			fmt.Printf(" %s p50 %s;", kinds[k].name, ms(lat[k].quantile(0.5)))
		}
		fmt.Println()
	}
	fmt.Printf("medians of %d runs of %d calls each, year %d:\n", *runs, *reps, *year)
	for k, kind := range kinds {
		ratio := ""
		if k == 1 || k == 3 {
			ratio = fmt.Sprintf("  baseline/aggregated p50 %.2f", median(p50s[k-1])/median(p50s[k]))
		}
		fmt.Printf("  %-34s p50 %7.1f ms  p95 %7.1f ms%s\n", kind.name, median(p50s[k]), median(p95s[k]), ratio)
	}
	return nil
}

// oldMatterFigures is MatterFigures as it was before the on-time count was
// aggregated: the class counts, then every done matter of the period read
// and its due day judged here, then the outcomes. It answers the on-time
// count.
func oldMatterFigures(ctx context.Context, db *sql.DB, f reporting.Filter) (int64, error) {
	where := fmt.Sprintf(" WHERE matters.done_on >= '%s' AND matters.done_on <= '%s' AND matters.status = 'done'", f.From, f.To)
	if err := drain(ctx, db, "SELECT class, COUNT(*), SUM(CASE WHEN lead <> '' THEN 1 ELSE 0 END) FROM matters"+where+" GROUP BY class", nil); err != nil {
		return 0, err
	}
	var n int64
	err := drain(ctx, db, "SELECT done_on, due_at FROM matters"+where, func(rows *sql.Rows) error {
		var done string
		var due int64
		if err := rows.Scan(&done, &due); err != nil {
			return err
		}
		if done <= time.UnixMicro(due).In(calendar.Zone).Format(time.DateOnly) {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, drain(ctx, db, "SELECT matter_outcomes.key, SUM(matter_outcomes.value) FROM matters JOIN matter_outcomes ON matter_outcomes.matter_id = matters.id"+
		where+" GROUP BY matter_outcomes.key", nil)
}

// oldByBranch is MatterFiguresByBranch as it was: every done matter of a
// branch in the period read, counted here. It answers the on-time count.
func oldByBranch(ctx context.Context, db *sql.DB, f reporting.Filter) (int64, error) {
	var n int64
	byBranch := map[string]int64{}
	err := drain(ctx, db, fmt.Sprintf("SELECT branch_code, lead, done_on, due_at FROM matters WHERE matters.done_on >= '%s' AND matters.done_on <= '%s' AND matters.status = 'done' AND matters.branch_code <> ''", f.From, f.To),
		func(rows *sql.Rows) error {
			var branch, lead, done string
			var due int64
			if err := rows.Scan(&branch, &lead, &done, &due); err != nil {
				return err
			}
			byBranch[branch]++
			if done <= time.UnixMicro(due).In(calendar.Zone).Format(time.DateOnly) {
				n++
			}
			return nil
		})
	return n, err
}

// drain runs q and hands each row to scan (nil: reads past them).
func drain(ctx context.Context, db *sql.DB, q string, scan func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if scan != nil {
			if err := scan(rows); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}

// grassrootsFigures measures, in this process (no HTTP), what each
// register's figures of f's period cost (every source of the ledger
// summary, each as the summary calls it), the whole summary, and, for each
// questionnaire given, its live results; against the baseline of the same
// run: one row of the disputes read by its primary key, the cheapest read
// of the same database on the same disk. Calls alternate kind by kind; the
// medians of the runs' p50 and p95 are reported, with their ratio to the
// baseline's p50.
func grassrootsFigures(ctx context.Context, db *store.DB, reports *reporting.Service, surveys *survey.Service, leader org.User,
	f reporting.Filter, minAnswers int64, runs, reps int) error {
	type kind struct {
		name string
		call func() error
	}
	var last int64
	if err := db.Writer().QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 1) FROM disputes").Scan(&last); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []kind{{"a dispute by its key (baseline)", func() error {
		var found string
		return db.Writer().QueryRowContext(ctx, fmt.Sprintf("SELECT found_on FROM disputes WHERE id = %d", 1+rng.Int64N(last))).Scan(&found)
	}}}
	f.Now = time.Now()
	for _, s := range reports.Sources {
		kinds = append(kinds, kind{s.Register() + " figures", func() error {
			_, err := s.Figures(ctx, f)
			return err
		}})
	}
	kinds = append(kinds, kind{"ledger summary", func() error {
		_, err := reports.Summary(ctx, leader, f)
		return err
	}})
	rows, err := db.Writer().QueryContext(ctx, fmt.Sprintf("SELECT id, answers FROM surveys WHERE answers >= %d ORDER BY id LIMIT 3", minAnswers))
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return err
		}
		kinds = append(kinds, kind{fmt.Sprintf("results of survey %d (%d answers)", id, n), func() error {
			_, err := surveys.Results(ctx, leader, id, survey.ResultFilter{})
			return err
		}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	p50s, p95s := make([][]float64, len(kinds)), make([][]float64, len(kinds))
	for run := range runs {
		lat := make([]latencies, len(kinds))
		for range reps {
			for k, kind := range kinds {
				t0 := time.Now()
				if err := kind.call(); err != nil {
					return fmt.Errorf("%s: %w", kind.name, err)
				}
				lat[k] = append(lat[k], time.Since(t0))
			}
		}
		fmt.Printf("run %d:", run+1)
		for k := range kinds {
			p50s[k] = append(p50s[k], float64(lat[k].quantile(0.5))/1e6)
			p95s[k] = append(p95s[k], float64(lat[k].quantile(0.95))/1e6)
			fmt.Printf(" %s p50 %s;", kinds[k].name, ms(lat[k].quantile(0.5)))
		}
		fmt.Println()
	}
	fmt.Printf("medians of %d runs of %d calls each, %s to %s:\n", runs, reps, f.From, f.To)
	base := median(p50s[0])
	for k, kind := range kinds {
		fmt.Printf("  %-34s p50 %7.2f ms  p95 %7.2f ms  p50/baseline %7.1f\n", kind.name, median(p50s[k]), median(p95s[k]), median(p50s[k])/base)
	}
	return nil
}
