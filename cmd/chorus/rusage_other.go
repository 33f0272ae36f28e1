//go:build !unix

package main

// cpuSeconds is unknown on this system.
func cpuSeconds() float64 { return 0 }

// peakRSSMB is unknown on this system.
func peakRSSMB() float64 { return 0 }
