//go:build !unix

package rusage

// CPUSeconds is unknown on this system.
func CPUSeconds() float64 { return 0 }

// PeakRSSMB is unknown on this system.
func PeakRSSMB() float64 { return 0 }
