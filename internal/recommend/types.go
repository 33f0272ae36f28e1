// Package recommend ranks products for customers: recency-weighted
// popularity, item-to-item co-occurrence, implicit-feedback matrix
// factorisation, content similarity and a tuned hybrid blend, with business
// rules and an explanation per item, and an honest offline evaluation.
package recommend

// Item is one recommended product.
type Item struct {
	SKU   string  `json:"sku"`
	Title string  `json:"title,omitempty"`
	Score float64 `json:"score"`
	// Reason explains the item to people ("bought together with …").
	Reason string `json:"reason"`
	// Source names the recommender(s) that contributed.
	Source string `json:"source"`
}
