package content

import "io"

// Detail is an item with its audit trail, oldest entry first: what a
// reviewer looks at (`chorus content review show`, the API's item).
type Detail struct {
	Item  Item    `json:"item"`
	Audit []Audit `json:"audit"`
}

// WriteText writes the item and its trail for a reviewer.
func (d Detail) WriteText(w io.Writer) error { return d.Item.WriteText(w, d.Audit) }
