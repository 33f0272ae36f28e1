package content

import (
	"context"
	"strconv"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/recommend"
)

// ProfileSource gives the PII-free profile (画像) of a customer; the
// insight area implements it. NotFound for an unknown customer.
type ProfileSource interface {
	Profile(ctx context.Context, customerID string) (insight.Profile, error)
}

// Recommender ranks products for a customer; the recommend area
// implements it.
type Recommender interface {
	Recommend(ctx context.Context, customerID string, n int) ([]recommend.Item, error)
}

// CoPurchases gives, for each SKU, the catalog titles of the products
// bought in the same orders (most first, at most n); the insight area
// implements it from orders only, never naming a customer.
type CoPurchases interface {
	BoughtWith(ctx context.Context, skus []string, n int) (map[string][]string, error)
}

// Audience resolves a segment name to its members; the segment area
// implements it. An unknown segment is a NotFound error.
type Audience interface {
	Members(ctx context.Context, segment string) ([]string, error)
}

// Catalog is the product lookup the studio needs.
type Catalog interface {
	GetProduct(ctx context.Context, sku string) (catalog.Product, error)
	ListProducts(ctx context.Context) ([]catalog.Product, error)
}

// Customers is the customer lookup the studio needs (first names for slot
// filling, language).
type Customers interface {
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
}

func itoa(i int) string { return strconv.Itoa(i) }
