// Package count writes counts by name for people: "wrong column count 3,
// bad date 1", the largest first, never Go's map[…] syntax.
package count

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// List writes m as "name n, name n", the largest count first (ties by
// name); "none" when m is empty.
func List(m map[string]int) string {
	names := slices.Collect(maps.Keys(m))
	slices.SortFunc(names, func(x, y string) int { return cmp.Or(cmp.Compare(m[y], m[x]), strings.Compare(x, y)) })
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, m[n])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
