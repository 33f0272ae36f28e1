package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/importer"
)

// The data routes: customers, products and events in batches through the
// importer the CLI's `chorus import` runs (same validation, row-level
// rejects, the saved segments following), and keyset-paged reads.

// maxBatch is the most records one batch request holds.
const maxBatch = 50000

// CustomerIn is a customer as the API upserts it: the importer's fields.
// An empty field never clears a stored value.
type CustomerIn struct {
	ID            string         `json:"id" required:"true" minLength:"1"`
	Name          string         `json:"name,omitempty"`
	Email         string         `json:"email,omitempty"`
	Phone         string         `json:"phone,omitempty"`
	Gender        string         `json:"gender,omitempty" description:"female, male or other"`
	BirthYear     int            `json:"birth_year,omitempty"`
	Occupation    string         `json:"occupation,omitempty"`
	City          string         `json:"city,omitempty"`
	Province      string         `json:"province,omitempty"`
	Country       string         `json:"country,omitempty"`
	Address       string         `json:"address,omitempty"`
	TimeZone      string         `json:"time_zone,omitempty" description:"IANA zone, e.g. Asia/Shanghai"`
	Language      string         `json:"language,omitempty" description:"zh, en, …"`
	Interests     []string       `json:"interests,omitempty"`
	Tags          []string       `json:"tags,omitempty"`
	Attrs         map[string]any `json:"attrs,omitempty"`
	CreatedAt     string         `json:"created_at,omitempty" description:"RFC 3339 time or date"`
	ConsentEmail  *bool          `json:"consent_email,omitempty"`
	ConsentSMS    *bool          `json:"consent_sms,omitempty"`
	ConsentWeChat *bool          `json:"consent_wechat,omitempty"`
	ConsentPush   *bool          `json:"consent_push,omitempty"`
}

// ProductIn is a product as the API upserts it.
type ProductIn struct {
	SKU           string   `json:"sku" required:"true" minLength:"1"`
	Title         string   `json:"title,omitempty"`
	Description   string   `json:"description,omitempty"`
	Category      string   `json:"category,omitempty" description:"path, levels separated by ' > '"`
	Brand         string   `json:"brand,omitempty"`
	Price         *float64 `json:"price,omitempty"`
	Currency      string   `json:"currency,omitempty"`
	SellingPoints []string `json:"selling_points,omitempty"`
	Tags          []string `json:"tags,omitempty"`
	Stock         *int     `json:"stock,omitempty"`
	URL           string   `json:"url,omitempty"`
	ImageURL      string   `json:"image_url,omitempty"`
	Active        *bool    `json:"active,omitempty"`
	Language      string   `json:"language,omitempty"`
}

// EventIn is one behaviour event as the API ingests it.
type EventIn struct {
	CustomerID string         `json:"customer_id,omitempty" description:"empty for a guest"`
	Type       string         `json:"type" required:"true" description:"view, cart, purchase, refund, open, click, unsubscribe, delivered, bounce, complaint, search"`
	SKU        string         `json:"sku,omitempty"`
	Quantity   *float64       `json:"quantity,omitempty"`
	Price      *float64       `json:"price,omitempty"`
	Amount     *float64       `json:"amount,omitempty"`
	Currency   string         `json:"currency,omitempty"`
	OrderID    string         `json:"order_id,omitempty"`
	Channel    string         `json:"channel,omitempty"`
	Campaign   string         `json:"campaign,omitempty"`
	OccurredAt string         `json:"occurred_at" required:"true" description:"RFC 3339 time"`
	Properties map[string]any `json:"properties,omitempty"`
}

type customersBatch struct {
	Customers []CustomerIn `json:"customers" required:"true" minItems:"1" maxItems:"50000"`
}

type productsBatch struct {
	Products []ProductIn `json:"products" required:"true" minItems:"1" maxItems:"50000"`
}

type eventsBatch struct {
	Events []EventIn `json:"events" required:"true" minItems:"1" maxItems:"50000"`
}

// BatchResult is what a batch did: the importer's counts and the records
// it rejected (Line is the record's 1-based position in the batch).
type BatchResult struct {
	Read       int               `json:"read"`
	Imported   int               `json:"imported"`
	Updated    int               `json:"updated"`
	Duplicates int               `json:"skipped_duplicates"`
	Rejected   int               `json:"rejected"`
	Rejects    []importer.Reject `json:"rejects"`
	// SegmentsChanged is how many memberships of saved segments changed.
	SegmentsChanged int `json:"segments_changed"`
}

// batchRoute is a batch upsert of entity: the body is {"ENTITY": [..]}
// documented by doc (the typed records). Each record goes to the
// importer as one JSON line as sent, so that a malformed record is a
// reject of its own (with its position) rather than a failed batch, and
// the importer's rules (the CLI's) are the only ones.
func (s *Server) batchRoute(path, entity, summary string, doc any) apiRoute {
	return apiRoute{Method: http.MethodPost, Path: path, Action: auth.WriteData, Tag: "data", Summary: summary,
		Req: doc, Resp: new(BatchResult),
		run: func(r *http.Request, body []byte) (any, string, error) {
			recs, err := batchRecords(body, entity)
			if err != nil {
				return nil, "", err
			}
			res, err := ingest(r.Context(), s.deps.App, entity, recs)
			return res, "", err
		}}
}

// batchRecords are the records of {"ENTITY": [...]}, each raw.
func batchRecords(body []byte, entity string) ([]json.RawMessage, error) {
	var top map[string]json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, apperr.New(apperr.Invalid, "the request needs a JSON body: {\"%s\": [...]}", entity)
	}
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, jsonError(err)
	}
	for k := range top {
		if k != entity {
			return nil, apperr.New(apperr.Invalid, "unknown field %q in the request body: send {\"%s\": [...]}", k, entity)
		}
	}
	var recs []json.RawMessage
	if err := json.Unmarshal(top[entity], &recs); err != nil {
		return nil, apperr.New(apperr.Invalid, "%s: want an array of objects", entity)
	}
	return recs, nil
}

// ingest writes recs (one batch) through the importer as JSON lines.
func ingest(ctx context.Context, a *app.App, entity string, recs []json.RawMessage) (BatchResult, error) {
	if len(recs) == 0 {
		return BatchResult{}, apperr.New(apperr.Invalid, "the batch holds no %s", entity)
	}
	if len(recs) > maxBatch {
		return BatchResult{}, apperr.New(apperr.TooLarge, "a batch holds at most %d %s; this one has %d", maxBatch, entity, len(recs))
	}
	var in bytes.Buffer
	in.Grow(len(recs) * 160)
	for _, rec := range recs {
		if err := json.Compact(&in, rec); err != nil { // one line per record
			in.WriteString(`"not a JSON object"`)
		}
		in.WriteByte('\n')
	}
	var rejects bytes.Buffer
	out, err := a.Import(ctx, importer.Options{Entity: entity, Path: entity + " (API batch).jsonl", Input: &in,
		Format: importer.FormatJSONL, Rejects: &rejects, BatchSize: len(recs)})
	if err != nil {
		return BatchResult{}, err
	}
	s := out.Summary
	res := BatchResult{Read: s.Read, Imported: s.Imported, Updated: s.Updated, Duplicates: s.SkippedDuplicates,
		Rejected: s.Rejected, Rejects: []importer.Reject{}}
	for _, c := range out.Segments {
		res.SegmentsChanged += len(c.Joined) + len(c.Left)
	}
	if s.Rejected > 0 {
		rj, err := importer.ReadRejects(&rejects)
		if err != nil {
			return res, apperr.Wrap(err, apperr.Internal, "read the reject report")
		}
		res.Rejects = rj
	}
	if out.SegmentsErr != nil {
		return res, apperr.Wrap(out.SegmentsErr, apperr.Unavailable, "the batch is stored, but the saved segments could not follow it (chorus segment refresh)")
	}
	return res, nil
}

type customerID struct {
	ID string `path:"id" description:"the shop's customer id"`
}

func (s *Server) getCustomer(ctx context.Context, req *customerID) (customer.Customer, error) {
	return s.deps.App.Store.GetCustomer(ctx, req.ID)
}

// CustomerPage is one keyset page; Next is the After of the next page,
// "" after the last.
type CustomerPage struct {
	Customers []customer.Customer `json:"customers"`
	Next      string              `json:"next"`
}

type listCustomers struct {
	After string `query:"after" description:"the next value of the previous page"`
	Limit int    `query:"limit" minimum:"1" maximum:"1000" default:"100"`
}

// searchCustomers is a POST so that what is searched (a name, an email)
// stays out of URLs and access logs.
type searchCustomers struct {
	Query string `json:"query" description:"an id prefix, or part of a name, email or phone"`
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty" minimum:"1" maximum:"1000"`
}

func (s *Server) listCustomers(ctx context.Context, req *listCustomers) (CustomerPage, error) {
	return s.customerPage(ctx, customer.Search{After: req.After, Limit: req.Limit})
}

func (s *Server) searchCustomers(ctx context.Context, req *searchCustomers) (CustomerPage, error) {
	return s.customerPage(ctx, customer.Search{After: req.After, Limit: req.Limit, Query: req.Query})
}

func (s *Server) customerPage(ctx context.Context, q customer.Search) (CustomerPage, error) {
	if q.Limit == 0 {
		q.Limit = 100
	}
	if q.Limit < 1 || q.Limit > customer.MaxPage {
		return CustomerPage{}, apperr.New(apperr.Invalid, "limit %d: want 1 to %d", q.Limit, customer.MaxPage)
	}
	if s.deps.Customers == nil {
		return CustomerPage{}, apperr.New(apperr.Unavailable, "customer search is not available on this server")
	}
	cs, err := s.deps.Customers.SearchCustomers(ctx, customer.Search{After: q.After, Limit: q.Limit + 1, Query: q.Query})
	if err != nil {
		return CustomerPage{}, err
	}
	page := CustomerPage{Customers: cs}
	if len(cs) > q.Limit {
		page.Customers, page.Next = cs[:q.Limit], cs[q.Limit-1].ID
	}
	if page.Customers == nil {
		page.Customers = []customer.Customer{}
	}
	return page, nil
}

type productSKU struct {
	SKU string `path:"sku"`
}

func (s *Server) getProduct(ctx context.Context, req *productSKU) (catalog.Product, error) {
	return s.deps.App.Store.GetProduct(ctx, req.SKU)
}

// ProductPage is one keyset page of products in SKU order.
type ProductPage struct {
	Products []catalog.Product `json:"products"`
	Next     string            `json:"next"`
}

type listProducts struct {
	After string `query:"after"`
	Limit int    `query:"limit" minimum:"1" maximum:"1000" default:"100"`
}

func (s *Server) listProducts(ctx context.Context, req *listProducts) (ProductPage, error) {
	limit := req.Limit
	if limit == 0 {
		limit = 100
	}
	if limit < 1 || limit > 1000 {
		return ProductPage{}, apperr.New(apperr.Invalid, "limit %d: want 1 to 1000", limit)
	}
	ps, err := s.deps.App.Store.ListProducts(ctx)
	if err != nil {
		return ProductPage{}, err
	}
	ps, next := catalog.Page(ps, req.After, limit)
	return ProductPage{Products: ps, Next: next}, nil
}

// itoa is strconv.Itoa, for audit targets.
func itoa(n int) string { return strconv.Itoa(n) }
