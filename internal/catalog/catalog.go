// Package catalog holds the merchant's products.
package catalog

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Product is one sellable item, identified by SKU.
type Product struct {
	SKU           string    `json:"sku"`
	Title         string    `json:"title"`
	Description   string    `json:"description,omitempty"`
	Category      string    `json:"category,omitempty"` // path, levels separated by " > "
	Brand         string    `json:"brand,omitempty"`
	Price         float64   `json:"price"`
	Currency      string    `json:"currency,omitempty"`
	SellingPoints []string  `json:"selling_points,omitempty"`
	Tags          []string  `json:"tags,omitempty"`
	Stock         int       `json:"stock"`
	URL           string    `json:"url,omitempty"`
	ImageURL      string    `json:"image_url,omitempty"`
	Active        bool      `json:"active"`
	Language      string    `json:"language,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// CategorySep separates the levels of a category path.
const CategorySep = " > "

// CategoryPath splits Category into its levels.
func (p Product) CategoryPath() []string {
	if p.Category == "" {
		return nil
	}
	parts := strings.Split(p.Category, CategorySep)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// TopCategory is the first level of the category path, or "".
func (p Product) TopCategory() string {
	if path := p.CategoryPath(); len(path) > 0 {
		return path[0]
	}
	return ""
}

// Store is what the catalog needs from persistence. GetProduct returns an
// apperr.NotFound error for an unknown SKU.
type Store interface {
	UpsertProducts(ctx context.Context, ps []Product) (inserted, updated, unchanged int, err error)
	GetProduct(ctx context.Context, sku string) (Product, error)
	ListProducts(ctx context.Context) ([]Product, error)
}

// Page is the keyset page of ps (any order) after the SKU after: at most
// limit products in SKU order, and the After of the next page ("" when
// this is the last).
func Page(ps []Product, after string, limit int) ([]Product, string) {
	out := make([]Product, 0, min(limit, len(ps)))
	sorted := slices.SortedFunc(slices.Values(ps), func(a, b Product) int { return strings.Compare(a.SKU, b.SKU) })
	i, found := slices.BinarySearchFunc(sorted, after, func(p Product, k string) int { return strings.Compare(p.SKU, k) })
	if found {
		i++
	}
	for ; i < len(sorted) && len(out) < limit; i++ {
		out = append(out, sorted[i])
	}
	if i < len(sorted) && len(out) > 0 {
		return out, out[len(out)-1].SKU
	}
	return out, ""
}
