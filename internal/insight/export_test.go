package insight

// Exported for the external tests in store_test.go, which cannot live in
// package insight: the store imports packages that import insight.
var (
	RetailEvents         = retailEvents
	ExactEdges           = exactEdges
	SameCounts           = sameCounts
	PandasRecencyEdges   = pandasRecencyEdges
	PandasFrequencyEdges = pandasFrequencyEdges
	PandasGrid           = pandasGrid
)
