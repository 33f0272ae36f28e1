//go:build unix

// Package rusage reads the process's CPU time and peak memory, which
// benchmarks print beside wall time (these machines are shared).
package rusage

import (
	"runtime"
	"syscall"
	"time"
)

// CPUSeconds is the user+system CPU time this process has used, or 0 when
// the system cannot say. Benchmarks report it beside wall time because
// these machines are shared.
func CPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// PeakRSSMB is the process's peak resident set size in MiB, or 0 when the
// system cannot say. Linux reports KiB, macOS bytes.
func PeakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return float64(ru.Maxrss) / (1 << 20)
	}
	return float64(ru.Maxrss) / 1024
}
