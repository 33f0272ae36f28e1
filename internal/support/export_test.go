package support

// Exported for the external tests.

// Coverage is Index.coverage of the question q.
func (ix *Index) Coverage(q, lang string, p Passage) float64 {
	return ix.coverage(q, p)
}
