package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/chorusmkt/chorus/internal/count"
)

// WriteText writes what an import did: the balance line, the counts per
// entity, and where the rejected rows are (sum.RejectsFile).
func (sum Summary) WriteText(w io.Writer) error {
	fmt.Fprintln(w, sum)
	for _, c := range []struct {
		name string
		c    *Counts
	}{{"customers", sum.Customers}, {"products", sum.Products}, {"events", sum.Events}} {
		if c.c != nil {
			fmt.Fprintf(w, "  %-9s inserted %d, updated %d, unchanged %d\n", c.name, c.c.Inserted, c.c.Updated, c.c.Unchanged)
		}
	}
	if sum.CustomersFromEvents > 0 {
		fmt.Fprintf(w, "  customers created from events: %d\n", sum.CustomersFromEvents)
	}
	if sum.NegativeAsRefund > 0 {
		fmt.Fprintf(w, "  purchases with a negative quantity or amount stored as refunds: %d\n", sum.NegativeAsRefund)
	}
	if sum.ConsentsAdded > 0 {
		fmt.Fprintf(w, "  consent ledger entries added: %d\n", sum.ConsentsAdded)
	}
	if len(sum.IgnoredColumns) > 0 {
		fmt.Fprintf(w, "  ignored columns (map them with --map COLUMN=FIELD): %s\n", strings.Join(sum.IgnoredColumns, ", "))
	}
	if sum.Rejected > 0 {
		where := "pass --rejects FILE to see them"
		if sum.RejectsFile != "" {
			where = "see " + sum.RejectsFile
		}
		fmt.Fprintf(w, "  %d rows rejected (%s): %s\n", sum.Rejected, where, count.List(sum.RejectReasons))
	}
	return nil
}
