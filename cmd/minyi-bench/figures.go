package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/wire"
	"minyi/reporting"
	"minyi/store"
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
