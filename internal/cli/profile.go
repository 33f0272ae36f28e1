package cli

import (
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Profiles name the files a long-running command writes its profiles to
// ("" skips one): the hidden flags of `chorus worker`, which `chorus bench
// send --profile DIR` runs its workers with.
type Profiles struct {
	CPU   string `flag:"cpuprofile,hidden"`
	Mem   string `flag:"memprofile,hidden"`
	Block string `flag:"blockprofile,hidden"`
	Mutex string `flag:"mutexprofile,hidden"`
	Trace string `flag:"trace,hidden"`
}

// Start starts a CPU profile, an execution trace and the block and mutex
// profiles (where goroutines waited: the stalls a CPU profile does not
// show) as p asks, and returns the function that stops them and writes
// the allocation, block and mutex profiles. A file that cannot be created
// is Invalid.
func (p Profiles) Start() (stop func(), err error) {
	var stops []func()
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	for _, s := range []struct {
		file, flag, what string
		start            func(*os.File) error
		stop             func()
	}{
		{p.CPU, "--cpuprofile", "the CPU profile", func(f *os.File) error { return pprof.StartCPUProfile(f) }, pprof.StopCPUProfile},
		{p.Trace, "--trace", "the execution trace", func(f *os.File) error { return trace.Start(f) }, trace.Stop},
	} {
		if s.file == "" {
			continue
		}
		f, err := os.Create(s.file)
		if err != nil {
			stopAll()
			return nil, apperr.Wrap(err, apperr.Invalid, "%s %s", s.flag, s.file)
		}
		if err := s.start(f); err != nil {
			f.Close()
			stopAll()
			return nil, apperr.Wrap(err, apperr.Internal, "start %s", s.what)
		}
		stops = append(stops, func() { s.stop(); f.Close() })
	}
	if p.Block != "" {
		runtime.SetBlockProfileRate(10_000) // a sample per 10 µs blocked
	}
	if p.Mutex != "" {
		runtime.SetMutexProfileFraction(10)
	}
	return func() {
		stopAll()
		writeProfile("allocs", p.Mem)
		writeProfile("block", p.Block)
		writeProfile("mutex", p.Mutex)
	}, nil
}

// writeProfile writes the named runtime profile to file ("" skips it);
// the allocation profile after a collection, so that it is current.
func writeProfile(name, file string) {
	if file == "" {
		return
	}
	f, err := os.Create(file)
	if err != nil {
		return
	}
	defer f.Close()
	if name == "allocs" {
		runtime.GC()
	}
	_ = pprof.Lookup(name).WriteTo(f, 0)
}
