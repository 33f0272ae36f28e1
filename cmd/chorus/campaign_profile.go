package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// profiles name the files a worker writes its profiles to ("" skips one).
type profiles struct {
	cpu, mem, block, mutex, trace string
}

// startProfiles starts a CPU profile, an execution trace and the block
// and mutex profiles (where goroutines waited: the stalls a CPU profile
// does not show) as p asks, and returns the function that stops them and
// writes the allocation, block and mutex profiles. `chorus bench send
// --profile DIR` runs its workers with them.
func startProfiles(p profiles) (func(), error) {
	var stops []func()
	stop := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	if p.cpu != "" {
		f, err := os.Create(p.cpu)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "--cpuprofile %s", p.cpu)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, apperr.Wrap(err, apperr.Internal, "start the CPU profile")
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if p.trace != "" {
		f, err := os.Create(p.trace)
		if err != nil {
			stop()
			return nil, apperr.Wrap(err, apperr.Invalid, "--trace %s", p.trace)
		}
		if err := trace.Start(f); err != nil {
			f.Close()
			stop()
			return nil, apperr.Wrap(err, apperr.Internal, "start the execution trace")
		}
		stops = append(stops, func() { trace.Stop(); f.Close() })
	}
	if p.block != "" {
		runtime.SetBlockProfileRate(10_000) // a sample per 10 µs blocked
	}
	if p.mutex != "" {
		runtime.SetMutexProfileFraction(10)
	}
	write := func(name, file string) {
		if file == "" {
			return
		}
		if f, err := os.Create(file); err == nil {
			if name == "allocs" {
				runtime.GC()
			}
			_ = pprof.Lookup(name).WriteTo(f, 0)
			f.Close()
		}
	}
	return func() {
		stop()
		write("allocs", p.mem)
		write("block", p.block)
		write("mutex", p.mutex)
	}, nil
}
