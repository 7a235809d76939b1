// Command testsummary reads `go test -json` on stdin and prints a short
// report: the output of failed tests, one line per package, and totals. It
// exits non-zero when a test failed, when a package failed to build, or when
// no test ran at all — "nothing ran" is never a pass.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	output := map[string][]string{} // package/test → lines
	var failed, skipped []string
	passed := 0
	pkgs := map[string]string{}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	for in.Scan() {
		var e event
		if err := json.Unmarshal(in.Bytes(), &e); err != nil {
			fmt.Println(in.Text()) // build errors arrive as plain text
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			output[key] = append(output[key], e.Output)
		case "pass":
			if e.Test == "" {
				pkgs[e.Package] = fmt.Sprintf("ok   %-40s %6.1fs", e.Package, e.Elapsed)
			} else {
				passed++
			}
		case "fail":
			if e.Test == "" {
				pkgs[e.Package] = fmt.Sprintf("FAIL %-40s %6.1fs", e.Package, e.Elapsed)
				if len(failed) == 0 || !strings.HasPrefix(failed[len(failed)-1], e.Package+" ") {
					failed = append(failed, key) // build failure or failure outside tests
				}
			} else {
				failed = append(failed, key)
			}
		case "skip":
			if e.Test == "" {
				pkgs[e.Package] = fmt.Sprintf("--   %-40s (no tests)", e.Package)
			} else {
				skipped = append(skipped, key)
			}
		}
	}
	for _, k := range failed {
		fmt.Printf("\n--- FAIL %s\n%s", k, strings.Join(output[k], ""))
	}
	names := make([]string, 0, len(pkgs))
	for p := range pkgs {
		names = append(names, p)
	}
	sort.Strings(names)
	fmt.Println()
	for _, p := range names {
		fmt.Println(pkgs[p])
	}
	for _, k := range skipped {
		reason := strings.TrimSpace(strings.Join(output[k], ""))
		fmt.Printf("skipped: %s: %s\n", k, lastLine(reason))
	}
	fmt.Printf("\n%d passed, %d failed, %d skipped\n", passed, len(failed), len(skipped))
	switch {
	case len(failed) > 0:
		os.Exit(1)
	case passed == 0:
		fmt.Println("no tests ran: that is a failure, not a pass")
		os.Exit(1)
	}
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
