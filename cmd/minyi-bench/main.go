// Command minyi-bench measures minyi against the physical limits of the
// machine it runs on, in the same run, and prints ratios for BENCHMARKS.md.
//
//	minyi-bench intake   [--clients 32] [--duration 10s] [--runs 3] [--database URL]
//	minyi-bench generate --items 1000000 [--matters 100000 --activities 200000] [--disputes 100000 --cases 1000000 --answers 500000 --big-survey 50000] (--data DIR | --database URL)
//	minyi-bench queries  (--data DIR | --database URL) [--duration 30s] [--concurrency 2] [--pages | --ledgers | --disputes | --grassroots] [--bin minyi]
//	minyi-bench figures  (--data DIR | --database URL) [--runs 5] [--n 20] [--year 2024] [--grassroots]
//	minyi-bench report   (--data DIR | --database URL) [--runs 3] [--year 2024] [--workbook-from DAY --workbook-to DAY] [--bin minyi]
//	minyi-bench outbox   [--rate 1000] [--duration 10s] [--runs 3] [--database URL]
//	minyi-bench open311  [--clients 32] [--duration 10s] [--runs 3] [--database URL]
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: minyi-bench intake|generate|queries|figures|report|outbox|open311 [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "intake":
		err = intake(ctx, os.Args[2:])
	case "generate":
		err = generate(ctx, os.Args[2:])
	case "queries":
		err = queries(ctx, os.Args[2:])
	case "figures":
		err = figures(ctx, os.Args[2:])
	case "report":
		err = reportBench(ctx, os.Args[2:])
	case "outbox":
		err = outboxBench(ctx, os.Args[2:])
	case "open311":
		err = open311Bench(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown benchmark %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "minyi-bench:", err)
		os.Exit(1)
	}
}
