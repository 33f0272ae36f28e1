package main

import (
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// startProfiles starts a CPU profile to cpuFile and returns the function
// that stops it and writes the allocation profile to memFile ("" skips
// either). `chorus bench send --profile DIR` runs its workers with them.
func startProfiles(cpuFile, memFile string) (func(), error) {
	stop := func() {}
	if cpuFile != "" {
		f, err := os.Create(cpuFile)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "--cpuprofile %s", cpuFile)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, apperr.Wrap(err, apperr.Internal, "start the CPU profile")
		}
		stop = func() { pprof.StopCPUProfile(); f.Close() }
	}
	return func() {
		stop()
		if memFile == "" {
			return
		}
		if f, err := os.Create(memFile); err == nil {
			runtime.GC()
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}, nil
}
