package rusage

import (
	"os"
	"strings"
)

// LoadAverage is the machine's 1, 5 and 15 minute load averages as
// /proc/loadavg writes them ("1.52 1.31 0.98"), "" where there is none:
// benchmarks print it, since wall times stretch when it exceeds the cores.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
