// Package catalog holds the merchant's products.
package catalog

import (
	"context"
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
