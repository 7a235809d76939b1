package main

import (
	"flag"
	"os"
	"runtime/pprof"
)

// runFlags are the settings every write benchmark shares: how many runs,
// on which disk or PostgreSQL server, and an optional CPU profile.
type runFlags struct {
	runs       *int
	dir        *string
	database   *string
	cpuProfile *string
}

func addRunFlags(fs *flag.FlagSet) runFlags {
	return runFlags{
		runs:       fs.Int("runs", 3, "runs; medians are reported"),
		dir:        fs.String("dir", "", "directory on the disk to measure (default: a temporary directory under ./tmp)"),
		database:   fs.String("database", "", "postgres://… to measure PostgreSQL instead of SQLite"),
		cpuProfile: fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file"),
	}
}

// profile starts the CPU profile if one was asked for; call the returned
// function when the benchmark ends.
func (f runFlags) profile() (stop func(), err error) {
	if *f.cpuProfile == "" {
		return func() {}, nil
	}
	out, err := os.Create(*f.cpuProfile)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); out.Close() }, nil
}
