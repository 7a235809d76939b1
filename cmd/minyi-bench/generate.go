package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/demo"
	"minyi/loadgen"
	"minyi/store"
)

// generate fills a database with the demo bureau, n generated items and,
// when asked, the campaign ledgers: practical matters and volunteer
// activities, disputes, and questionnaire answers.
func generate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("generate", flag.ExitOnError)
	items := fs.Int("items", 1_000_000, "items to generate")
	matters := fs.Int("matters", 0, "practical matters to generate (the ledger benchmark: 100000)")
	activities := fs.Int("activities", 0, "volunteer activities to generate (the ledger benchmark: 200000)")
	disputes := fs.Int("disputes", 0, "disputes to generate (the disputes benchmark: 100000)")
	cases := fs.Int("cases", 0, "one-stop cases to generate, of the demo's services (issue 13's benchmark: 1000000)")
	answers := fs.Int("answers", 0, "questionnaire answers to generate (the questionnaires benchmark: 500000)")
	bigSurvey := fs.Int("big-survey", 50_000, "answers of the first questionnaire, whose live results the benchmark asks (the others get at most as many)")
	data := fs.String("data", "", "SQLite data directory")
	database := fs.String("database", "", "postgres://… instead of SQLite")
	batch := fs.Int("batch", 2000, "items per transaction")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same archive)")
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
	policy := archive.Policy{Calendar: calendar.Default()}
	if empty, err := db.Empty(ctx); err != nil {
		return err
	} else if empty {
		if _, err := demo.Load(ctx, demo.Env{Store: db, Policy: policy}); err != nil {
			return err
		}
	}
	g, err := loadgen.New(ctx, db, policy, *seed)
	if err != nil {
		return err
	}
	start := time.Now()
	last := start
	err = g.Generate(ctx, db, *items, *batch, func(done int) {
		if time.Since(last) > 10*time.Second || done == *items {
			last = time.Now()
			fmt.Printf("%d items, %.0f items/s\n", done, float64(done)/time.Since(start).Seconds())
		}
	})
	if err != nil {
		return err
	}
	fmt.Printf("generated %d items in %s\n", *items, time.Since(start).Round(time.Second))
	if *cases > 0 {
		if err := generateCases(ctx, db, policy.Calendar, *cases, *batch, *seed); err != nil {
			return err
		}
	}
	if *matters == 0 && *activities == 0 && *disputes == 0 && *answers == 0 {
		return nil
	}
	lg, err := loadgen.NewLedgers(ctx, db, policy.Calendar, *seed)
	if err != nil {
		return err
	}
	start, last = time.Now(), time.Now()
	err = lg.Generate(ctx, db, *matters, *activities, *batch, func(m, a int) {
		if time.Since(last) > 10*time.Second || (m == *matters && a == *activities) {
			last = time.Now()
			fmt.Printf("%d matters, %d volunteer activities, %.0f records/s\n", m, a, float64(m+a)/time.Since(start).Seconds())
		}
	})
	if err != nil {
		return err
	}
	fmt.Printf("generated %d matters and %d volunteer activities in %s\n", *matters, *activities, time.Since(start).Round(time.Second))
	if *disputes > 0 {
		start, last = time.Now(), time.Now()
		err = lg.GenerateDisputes(ctx, db, *disputes, *batch, func(done int) {
			if time.Since(last) > 10*time.Second || done == *disputes {
				last = time.Now()
				fmt.Printf("%d disputes, %.0f disputes/s\n", done, float64(done)/time.Since(start).Seconds())
			}
		})
		if err != nil {
			return err
		}
		fmt.Printf("generated %d disputes in %s\n", *disputes, time.Since(start).Round(time.Second))
	}
	if *answers == 0 {
		return nil
	}
	start, last = time.Now(), time.Now()
	surveys, err := lg.GenerateSurveys(ctx, db, *answers, *bigSurvey, *batch, func(done int) {
		if time.Since(last) > 10*time.Second || done == *answers {
			last = time.Now()
			fmt.Printf("%d answers, %.0f answers/s\n", done, float64(done)/time.Since(start).Seconds())
		}
	})
	if err != nil {
		return err
	}
	fmt.Printf("generated %d answers to %d questionnaires in %s (questionnaire %d has %d)\n", *answers, len(surveys),
		time.Since(start).Round(time.Second), surveys[0].ID, surveys[0].Answers)
	return nil
}

// generateCases stores n one-stop cases of the demo's services.
func generateCases(ctx context.Context, db *store.DB, cal *calendar.Calendar, n, batch int, seed uint64) error {
	g, err := loadgen.NewCases(ctx, db, cal, seed)
	if err != nil {
		return err
	}
	start, last := time.Now(), time.Now()
	err = g.Generate(ctx, db, n, batch, func(done int) {
		if time.Since(last) > 10*time.Second || done == n {
			last = time.Now()
			fmt.Printf("%d one-stop cases, %.0f cases/s\n", done, float64(done)/time.Since(start).Seconds())
		}
	})
	if err == nil {
		fmt.Printf("generated %d one-stop cases in %s\n", n, time.Since(start).Round(time.Second))
	}
	return err
}
