package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"minyi/store"
)

// reportFormats are the summary report's formats, each measured.
var reportFormats = []string{"json", "html", "md", "docx"}

// reportBench starts `minyi serve` on a generated database and asks, run
// by run, the bureau's summary report of a year in every format, each
// unit's, and the ledgers' workbook of the year (issue 14's targets: the
// bureau's ≤ 1 s, a unit's ≤ 300 ms, the workbook at ≥ 50,000 archive
// rows/s with the server's RSS ≤ 250 MB), against the floor of the same
// run: GET /healthz, the round trip every request pays. The workbook's
// rows are counted from the file received (each sheet's table range), its
// time is to the last byte, and the server's peak RSS is its high-water
// mark while it makes the workbook. Medians of the runs are printed.
func reportBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	data := fs.String("data", "", "SQLite data directory")
	database := fs.String("database", "", "postgres://… instead of SQLite")
	runs := fs.Int("runs", 3, "runs; medians are reported")
	year := fs.Int("year", 2024, "the year of the reports and the workbook")
	from := fs.String("workbook-from", "", "first day of the workbook (default 1 January of --year)")
	to := fs.String("workbook-to", "", "last day of the workbook (default 31 December of --year)")
	floorN := fs.Int("floor", 20, "requests of GET /healthz a run (the floor)")
	binFlag := fs.String("bin", "", "a minyi binary to serve with instead of building ./cmd/minyi")
	noWorkbook := fs.Bool("no-workbook", false, "ask only the reports")
	fs.Parse(args)
	dbArgs := []string{"--data", *data}
	url := *data
	if *database != "" {
		dbArgs, url = []string{"--database", *database}, *database
	}
	if url == "" {
		return fmt.Errorf("give --data DIR or --database URL")
	}
	first, last := fmt.Sprintf("%d-01-01", *year), fmt.Sprintf("%d-12-31", *year)
	if *from == "" {
		*from = first
	}
	if *to == "" {
		*to = last
	}
	units, err := reportUnits(ctx, url)
	if err != nil {
		return err
	}
	bin := *binFlag
	if bin == "" {
		if bin, err = buildMinyi(); err != nil {
			return err
		}
		defer os.RemoveAll(filepath.Dir(bin))
	}
	out, err := exec.CommandContext(ctx, bin, append([]string{"token", "create", "admin", "--label", "bench"}, dbArgs...)...).Output()
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	token := strings.TrimSpace(string(out))
	cmd := exec.CommandContext(ctx, bin, append(append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, noLimits...), dbArgs...)...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	base, err := waitReady(stdout)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 10 * time.Minute}
	get := func(path string, body io.Writer) (time.Duration, int64, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		defer resp.Body.Close()
		if body == nil {
			body = io.Discard
		}
		n, err := io.Copy(body, resp.Body)
		d := time.Since(t0)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", path, err)
		}
		if resp.StatusCode != 200 {
			return 0, 0, fmt.Errorf("%s: status %d", path, resp.StatusCode)
		}
		return d, n, nil
	}
	reportPath := func(unit, format string) string {
		p := "/api/v1/reports/summary?from=" + first + "&to=" + last + "&format=" + format
		if unit != "" {
			p += "&unit=" + unit
		}
		return p
	}
	// One untimed pass: a running server has its template parsed and its
	// pages cached as it would after the first report of the day.
	for _, f := range reportFormats {
		if _, _, err := get(reportPath("", f), nil); err != nil {
			return err
		}
	}

	var res reportResults
	pid := cmd.Process.Pid
	for run := range *runs {
		var r reportRun
		var floor latencies
		for range *floorN {
			d, _, err := get("/healthz", nil)
			if err != nil {
				return err
			}
			floor = append(floor, d)
		}
		r.floor = floor.quantile(0.5)
		r.bureau, r.unitP50, r.unitMax = map[string]time.Duration{}, map[string]time.Duration{}, map[string]time.Duration{}
		for _, f := range reportFormats {
			d, _, err := get(reportPath("", f), nil)
			if err != nil {
				return err
			}
			r.bureau[f] = d
			var byUnit latencies
			for _, u := range units {
				d, _, err := get(reportPath(u, f), nil)
				if err != nil {
					return err
				}
				byUnit = append(byUnit, d)
				if d > r.unitMax[f] {
					r.unitMax[f], r.slowestUnit = d, u
				}
			}
			r.unitP50[f] = byUnit.quantile(0.5)
		}
		if !*noWorkbook {
			resetPeak(pid)
			before := rssKB(pid)
			stop, peak := samplePeak(pid)
			var buf bytes.Buffer
			d, n, err := get("/api/v1/ledgers/export?from="+*from+"&to="+*to, &buf)
			stop()
			if err != nil {
				return err
			}
			sheets, err := workbookRows(buf.Bytes())
			if err != nil {
				return err
			}
			r.workbook = workbookRun{time: d, bytes: n, sheets: sheets, peakKB: max(*peak, hwmKB(pid)), beforeKB: before}
		}
		res.runs = append(res.runs, r)
		fmt.Println(r.line(run + 1))
	}
	res.print(os.Stdout, *year, len(units), *from, *to, !*noWorkbook)
	return nil
}

// reportUnits are the units whose reports are asked: the stations,
// centres and teams, as the other benchmarks' mixes.
func reportUnits(ctx context.Context, url string) ([]string, error) {
	db, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, u := range units {
		if u.Kind == "station" || u.Kind == "centre" || u.Kind == "team" {
			codes = append(codes, u.Code)
		}
	}
	return codes, nil
}

// reportRun is what one run measured.
type reportRun struct {
	floor            time.Duration
	bureau           map[string]time.Duration // by format
	unitP50, unitMax map[string]time.Duration // by format, over the units
	slowestUnit      string
	workbook         workbookRun
}

// workbookRun is one download of the workbook.
type workbookRun struct {
	time             time.Duration
	bytes            int64
	sheets           []sheetRows
	peakKB, beforeKB int64
}

// archiveRows are the rows of the workbook's first sheet, the archive
// (民意档案), whose rate the target names.
func (w workbookRun) archiveRows() int {
	if len(w.sheets) == 0 {
		return 0
	}
	return w.sheets[0].rows
}

// allRows are the rows of every sheet.
func (w workbookRun) allRows() int {
	n := 0
	for _, s := range w.sheets {
		n += s.rows
	}
	return n
}

// rate is rows per second over the download's whole time.
func rate(rows int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(rows) / d.Seconds()
}

func (r reportRun) line(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "run %d: floor %s;", n, ms(r.floor))
	for _, f := range reportFormats {
		fmt.Fprintf(&b, " bureau %s %s, units p50 %s max %s;", f, ms(r.bureau[f]), ms(r.unitP50[f]), ms(r.unitMax[f]))
	}
	if w := r.workbook; w.time > 0 {
		fmt.Fprintf(&b, " workbook %d archive rows (%d in all) in %.2f s = %.0f archive rows/s, %.1f MB, server RSS %d → peak %d MB",
			w.archiveRows(), w.allRows(), w.time.Seconds(), rate(w.archiveRows(), w.time), float64(w.bytes)/1e6, w.beforeKB/1024, w.peakKB/1024)
	}
	return b.String()
}

// reportResults are the runs, summarised by their medians.
type reportResults struct{ runs []reportRun }

// med is the median over the runs of what pick reads of each.
func (res reportResults) med(pick func(reportRun) float64) float64 {
	xs := make([]float64, len(res.runs))
	for i, r := range res.runs {
		xs[i] = pick(r)
	}
	return median(xs)
}

func msOf(d time.Duration) float64 { return float64(d) / 1e6 }

func (res reportResults) print(w io.Writer, year, units int, from, to string, workbook bool) {
	floor := res.med(func(r reportRun) float64 { return msOf(r.floor) })
	fmt.Fprintf(w, "medians of %d runs, the reports of %d-01-01..%d-12-31 (the bureau's and %d units'), floor GET /healthz p50 %.2f ms:\n", len(res.runs), year, year, units, floor)
	for _, f := range reportFormats {
		b := res.med(func(r reportRun) float64 { return msOf(r.bureau[f]) })
		up := res.med(func(r reportRun) float64 { return msOf(r.unitP50[f]) })
		um := res.med(func(r reportRun) float64 { return msOf(r.unitMax[f]) })
		fmt.Fprintf(w, "  %-4s bureau %8.1f ms (%6.0f× floor, target 1000: %s)   units p50 %7.1f ms  max %7.1f ms (%5.0f× floor, target 300: %s)\n",
			f, b, b/floor, met(b <= 1000), up, um, um/floor, met(um <= 300))
	}
	if !workbook || len(res.runs) == 0 {
		return
	}
	secs := res.med(func(r reportRun) float64 { return r.workbook.time.Seconds() })
	arch := res.med(func(r reportRun) float64 { return rate(r.workbook.archiveRows(), r.workbook.time) })
	all := res.med(func(r reportRun) float64 { return rate(r.workbook.allRows(), r.workbook.time) })
	peak := res.med(func(r reportRun) float64 { return float64(r.workbook.peakKB) / 1024 })
	before := res.med(func(r reportRun) float64 { return float64(r.workbook.beforeKB) / 1024 })
	mb := res.med(func(r reportRun) float64 { return float64(r.workbook.bytes) / 1e6 })
	fmt.Fprintf(w, "  workbook %s..%s: %.2f s to the last byte (%.0f× floor), %.1f MB\n", from, to, secs, secs*1000/floor, mb)
	for _, s := range res.runs[0].workbook.sheets {
		fmt.Fprintf(w, "    %9d rows  %s\n", s.rows, s.sheet)
	}
	fmt.Fprintf(w, "    archive rows/s %.0f (target ≥ 50,000: %s), all rows/s %.0f\n", arch, met(arch >= 50_000), all)
	fmt.Fprintf(w, "    server RSS %.0f MB before, peak %.0f MB while making it (target ≤ 250: %s)\n", before, peak, met(peak <= 250))
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// sheetRows is a sheet of a workbook and its rows, the header left out.
type sheetRows struct {
	sheet string
	rows  int
}

// tableRef reads the rows of an exported table's range ("A1:R166001": the
// header and 166,000 rows).
var tableRef = regexp.MustCompile(`^[A-Z]+1:[A-Z]+([0-9]+)$`)

// workbookRows counts each sheet's rows in a workbook written by
// xlsx.WriteTables: every sheet is one Excel table over its header and
// rows, so the table's range says how many rows it holds without reading
// the sheet. A table of no rows still spans a second, empty row; its
// sheet's data then has no cell in row 2.
func workbookRows(b []byte) ([]sheetRows, error) {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("the workbook: %w", err)
	}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[f.Name] = f
	}
	read := func(name string, v any) error {
		f, ok := files[name]
		if !ok {
			return fmt.Errorf("the workbook has no %s", name)
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return xml.NewDecoder(rc).Decode(v)
	}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := read("xl/workbook.xml", &book); err != nil {
		return nil, err
	}
	type rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	var bookRels rels
	if err := read("xl/_rels/workbook.xml.rels", &bookRels); err != nil {
		return nil, err
	}
	target := func(r rels, id, dir string) string {
		for _, rel := range r.Rels {
			if rel.ID == id {
				if strings.HasPrefix(rel.Target, "/") {
					return strings.TrimPrefix(rel.Target, "/")
				}
				return filepath.Clean(filepath.Join(dir, rel.Target))
			}
		}
		return ""
	}
	var out []sheetRows
	for _, s := range book.Sheets {
		sheet := target(bookRels, s.ID, "xl")
		var sheetRels rels
		if err := read(filepath.Join(filepath.Dir(sheet), "_rels", filepath.Base(sheet)+".rels"), &sheetRels); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.Name, err)
		}
		var table struct {
			Ref string `xml:"ref,attr"`
		}
		tablePart := ""
		for _, rel := range sheetRels.Rels {
			if strings.HasSuffix(rel.Target, ".xml") && strings.Contains(rel.Target, "tables/") {
				tablePart = target(sheetRels, rel.ID, filepath.Dir(sheet))
			}
		}
		if tablePart == "" {
			return nil, fmt.Errorf("sheet %s has no table", s.Name)
		}
		if err := read(tablePart, &table); err != nil {
			return nil, err
		}
		rows, err := rowsOfRef(table.Ref)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.Name, err)
		}
		if rows == 1 && !hasRow2(files[sheet]) {
			rows = 0
		}
		out = append(out, sheetRows{s.Name, rows})
	}
	return out, nil
}

// rowsOfRef is the rows of a table's range below its header row.
func rowsOfRef(ref string) (int, error) {
	m := tableRef.FindStringSubmatch(ref)
	if m == nil {
		return 0, fmt.Errorf("table range %q is not A1:Xn", ref)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 2 {
		return 0, fmt.Errorf("table range %q has no row below its header", ref)
	}
	return n - 1, nil
}

// hasRow2 reports whether a sheet's XML holds a row numbered 2: a table of
// no rows spans an empty one.
func hasRow2(f *zip.File) bool {
	if f == nil {
		return false
	}
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return bytes.Contains(b, []byte(`<row r="2"`))
}

// resetPeak clears a process's high-water mark of resident memory (Linux:
// clear_refs 5), so that hwmKB then reads the peak of what follows. Where
// it cannot, the samples of samplePeak stand alone.
func resetPeak(pid int) {
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// hwmKB reads a process's peak resident memory (VmHWM) from /proc.
func hwmKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	return statusKB(string(b), "VmHWM:")
}

// statusKB reads a field in kB of /proc/PID/status.
func statusKB(status, field string) int64 {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// samplePeak reads a process's resident memory every 50 ms until stop is
// called, keeping the largest in *peak (kB).
func samplePeak(pid int) (stop func(), peak *int64) {
	peak = new(int64)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if rss := rssKB(pid); rss > *peak {
				*peak = rss
			}
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); wg.Wait() }, peak
}
