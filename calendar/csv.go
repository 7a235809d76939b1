package calendar

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// DayKind says how an entry's date differs from the Monday–Friday week.
type DayKind string

const (
	// Holiday is a public holiday or adjusted day off: not a working day.
	Holiday DayKind = "holiday"
	// Workday is a weekend day made a working day (调休上班).
	Workday DayKind = "workday"
)

// DayKinds lists the kinds of entry.
var DayKinds = []DayKind{Holiday, Workday}

// DatePattern is the form of an entry's date; it must also be a real day.
const DatePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`

// Entry is one date that differs from the Monday–Friday week.
type Entry struct {
	Date string  `json:"date"` // YYYY-MM-DD
	Kind DayKind `json:"kind"`
	Name string  `json:"name"`
}

// dateLayout is the only date form accepted, so that dates sort as strings.
const dateLayout = "2006-01-02"

var csvHeader = []string{"date", "kind", "name"}

//go:embed cn-holidays.csv
var embeddedCSV string

var defaultEntries = sync.OnceValue(func() []Entry {
	entries, err := ParseCSV(strings.NewReader(embeddedCSV))
	if err != nil {
		panic("calendar: embedded cn-holidays.csv: " + err.Error())
	}
	return entries
})

// DefaultEntries returns the entries of the embedded cn-holidays.csv.
func DefaultEntries() []Entry {
	// A copy, so that callers cannot change what Default is built from.
	return slices.Clone(defaultEntries())
}

// parseDate returns the day of a YYYY-MM-DD date in Zone.
func parseDate(s string) (day, error) {
	t, err := time.ParseInLocation(dateLayout, s, Zone)
	// The round trip rejects forms time.Parse tolerates, which would break
	// sorting dates as strings and make duplicates undetectable.
	if err != nil || t.Format(dateLayout) != s {
		return 0, fmt.Errorf("date %q: not a valid YYYY-MM-DD date", s)
	}
	return dayOf(t), nil
}

// checkEntry validates one entry's fields and returns the day it names.
func checkEntry(e Entry) (day, error) {
	d, err := parseDate(e.Date)
	if err != nil {
		return 0, err
	}
	if !slices.Contains(DayKinds, e.Kind) {
		return 0, fmt.Errorf("kind %q: must be %s or %s", e.Kind, Holiday, Workday)
	}
	return d, nil
}

// ParseCSV reads entries in the date,kind,name format; the header line is required.
func ParseCSV(r io.Reader) ([]Entry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(csvHeader)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("line 1: missing header %q", strings.Join(csvHeader, ","))
	}
	if err != nil {
		return nil, err // csv.ParseError already names the line
	}
	// Spreadsheets on Chinese Windows often save UTF-8 with a byte order mark.
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	if !slices.Equal(header, csvHeader) {
		return nil, fmt.Errorf("line 1: header %q: want %q",
			strings.Join(header, ","), strings.Join(csvHeader, ","))
	}

	var entries []Entry
	seen := make(map[day]int) // day → line it was first seen on
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		e := Entry{Date: rec[0], Kind: DayKind(rec[1]), Name: rec[2]}
		d, err := checkEntry(e)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if first, dup := seen[d]; dup {
			return nil, fmt.Errorf("line %d: date %s: duplicate of line %d", line, e.Date, first)
		}
		seen[d] = line
		entries = append(entries, e)
	}
	return entries, nil
}

// WriteCSV writes entries in the format ParseCSV reads, sorted by date.
func WriteCSV(w io.Writer, entries []Entry) error {
	// Refuse what ParseCSV would refuse, so that the output always reads back.
	sorted, err := sortEntries(entries)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, e := range sorted {
		if err := cw.Write([]string{e.Date, string(e.Kind), e.Name}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// sortEntries validates entries and returns a copy sorted by date.
func sortEntries(entries []Entry) ([]Entry, error) {
	seen := make(map[day]int, len(entries))
	for i, e := range entries {
		d, err := checkEntry(e)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		if first, dup := seen[d]; dup {
			return nil, fmt.Errorf("entry %d: date %s: duplicate of entry %d", i+1, e.Date, first)
		}
		seen[d] = i + 1
	}
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b Entry) int { return strings.Compare(a.Date, b.Date) })
	return sorted, nil
}
