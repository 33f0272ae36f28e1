package importer

import (
	"errors"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

// onlineRetailColumns are the headings of the UCI Online Retail file.
var onlineRetailColumns = []string{"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"}

const (
	orInvoice = iota
	orStockCode
	orDescription
	orQuantity
	orInvoiceDate
	orUnitPrice
	orCustomerID
	orCountry
)

// accumulatorLimit bounds the customers or products held between flushes;
// beyond it they are written early, which keeps memory flat on files with
// millions of distinct ids at the cost of a few more updates.
const accumulatorLimit = 200_000

// orProduct is what the file says about one SKU so far. The title and
// price come from the latest line that is a real sale (positive quantity
// and price, not a cancellation), since adjustment lines carry notes such
// as "damaged" or "?" in place of a description; failing that, from the
// latest line with a description.
type orProduct struct {
	title string
	price float64
	at    time.Time
	prio  int // 2 a sale with a description, 1 a description, 0 neither
}

type orCustomer struct {
	country string
	at      time.Time
}

// runOnlineRetail reads the UCI Online Retail CSV: each line is an invoice
// line and yields an event (purchase, or refund for invoices starting with
// C); customers and products are gathered along the way and written at the
// end, one record per id.
func (p *parser) runOnlineRetail() error {
	cr := newCSVReader(p.src.r, ',', p.opts.MaxFieldBytes)
	headings, err := p.readHeader(cr)
	if err != nil {
		return err
	}
	idx := make([]int, len(onlineRetailColumns))
	for i, want := range onlineRetailColumns {
		idx[i] = -1
		for j, h := range headings {
			if normHeading(h) == normHeading(want) {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return apperr.New(apperr.Invalid, "%s is not an Online Retail file: column %s is missing (have %s)",
				p.opts.Path, want, strings.Join(headings, ", "))
		}
	}
	cr.expect = len(headings)
	customers := map[string]*orCustomer{}
	products := map[string]*orProduct{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			terr := p.readErr(err, cr.line)
			var te *truncatedError
			if errors.As(terr, &te) {
				// keep the customers and products gathered so far
				if ferr := p.flushOnlineRetail(customers, products); ferr != nil {
					return ferr
				}
			}
			return terr
		}
		p.sum.Read++
		if rec.Reason != "" {
			p.reject(rec, reject(reasonKind(rec.Reason), "%s", rec.Reason))
			continue
		}
		if ok, err := p.utf8OK(rec, headings); err != nil {
			return err
		} else if !ok {
			continue
		}
		if len(rec.Fields) != len(headings) {
			p.reject(rec, reject(KindColumns, "wrong column count: %d fields, the header has %d", len(rec.Fields), len(headings)))
			continue
		}
		f := func(i int) string { return strings.TrimSpace(rec.Fields[idx[i]]) }
		e := event.Event{Type: event.Purchase, Currency: "GBP", OrderID: f(orInvoice), SKU: f(orStockCode)}
		if e.OrderID == "" {
			p.reject(rec, reject(KindMissing, "InvoiceNo is empty"))
			continue
		}
		if e.SKU == "" {
			p.reject(rec, reject(KindMissing, "StockCode is empty"))
			continue
		}
		q, err := parseNumber(f(orQuantity))
		if err != nil || f(orQuantity) == "" {
			p.reject(rec, reject(KindNumber, "Quantity %q is not a number", f(orQuantity)))
			continue
		}
		at, err := p.dates.parse(f(orInvoiceDate))
		if err != nil {
			p.reject(rec, reject(KindDate, "InvoiceDate: %v", err))
			continue
		}
		price, err := parseNumber(f(orUnitPrice))
		if err != nil || f(orUnitPrice) == "" {
			p.reject(rec, reject(KindNumber, "UnitPrice %q is not a number", f(orUnitPrice)))
			continue
		}
		cancel := e.OrderID[0] == 'C' || e.OrderID[0] == 'c'
		if cancel {
			e.Type = event.Refund
			if q > 0 {
				q = -q
			}
		}
		e.Quantity, e.Amount, e.OccurredAt = q, round4(q*price), at
		e.CustomerID = normalizeID(f(orCustomerID))
		country := f(orCountry)
		if e.CustomerID == "" && country != "" {
			// a guest has no customer record to hold the country
			e.Properties = map[string]any{"country": country}
		}
		p.addEvent(e)

		if e.CustomerID != "" {
			c := customers[e.CustomerID]
			if c == nil {
				c = &orCustomer{}
				customers[e.CustomerID] = c
			}
			if country != "" && !at.Before(c.at) {
				c.country, c.at = country, at
			}
		}
		desc := f(orDescription)
		pr := products[e.SKU]
		if pr == nil {
			pr = &orProduct{}
			products[e.SKU] = pr
		}
		prio := 0
		if desc != "" {
			prio = 1
			if !cancel && q > 0 && price > 0 {
				prio = 2
			}
		}
		if prio > pr.prio || (prio == pr.prio && !at.Before(pr.at)) {
			pr.title, pr.price, pr.at, pr.prio = desc, price, at, prio
		}

		if len(customers) >= accumulatorLimit || len(products) >= accumulatorLimit {
			if err := p.flushOnlineRetail(customers, products); err != nil {
				return err
			}
			clear(customers)
			clear(products)
		}
		if err := p.rowDone(); err != nil {
			return err
		}
	}
	p.sum.BlankLines = cr.blank
	return p.flushOnlineRetail(customers, products)
}

// flushOnlineRetail sends the gathered customers and products, in id
// order so that runs are reproducible.
func (p *parser) flushOnlineRetail(customers map[string]*orCustomer, products map[string]*orProduct) error {
	if err := p.flush(); err != nil {
		return err
	}
	b := &batch{final: true}
	for id, c := range customers {
		b.customers = append(b.customers, customer.Customer{ID: id, Country: c.country})
	}
	sort.Slice(b.customers, func(i, j int) bool { return b.customers[i].ID < b.customers[j].ID })
	for sku, pr := range products {
		b.products = append(b.products, catalog.Product{SKU: sku, Title: pr.title, Price: pr.price, Currency: "GBP", Active: true})
	}
	sort.Slice(b.products, func(i, j int) bool { return b.products[i].SKU < b.products[j].SKU })
	p.cur = b
	return p.flush()
}
