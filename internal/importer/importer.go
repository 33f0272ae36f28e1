// Package importer loads customers, products and behaviour events from the
// files merchants already have (CSV or JSONL, optionally gzip-compressed,
// the UCI Online Retail file, Shopify's customer export) without losing a
// row: every record read is stored, recognised as already stored, or
// written to a reject report with its line number, the reason and the raw
// text, and the four counts always add up to the rows read.
//
// Import streams: a parser goroutine turns records into batches of a few
// thousand rows while the calling goroutine writes the previous batch, so
// memory stays flat whatever the file size and parsing overlaps the
// database work.
package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/progress"
)

// Store is what an import writes to. It is the subset of store.Store the
// importer uses, declared here so that tests and other callers can pass
// any implementation.
type Store interface {
	UpsertCustomers(ctx context.Context, cs []customer.Customer) (customer.UpsertCounts, error)
	AddConsents(ctx context.Context, cs []customer.Consent) (added int, err error)
	Consents(ctx context.Context, customerID string) ([]customer.Consent, error)
	UpsertProducts(ctx context.Context, ps []catalog.Product) (inserted, updated, unchanged int, err error)
	InsertEvents(ctx context.Context, es []event.Event) (event.InsertCounts, error)
	// BulkLoad runs fn, which makes every write of an import with the
	// context given, as one long run of writes: a store for which that is
	// cheaper when it knows (SQLite defers its checkpoints) does so;
	// others call fn(ctx).
	BulkLoad(ctx context.Context, fn func(context.Context) error) error
}

// Entities an import can target.
const (
	Customers = "customers"
	Products  = "products"
	Events    = "events"
)

// Formats understood by Run.
const (
	FormatCSV              = "csv"
	FormatJSONL            = "jsonl"
	FormatOnlineRetail     = "online-retail"
	FormatShopifyCustomers = "shopify-customers"
)

// Formats lists the accepted --format values.
func Formats() []string {
	return []string{FormatCSV, FormatJSONL, FormatOnlineRetail, FormatShopifyCustomers}
}

// Options describe one import.
type Options struct {
	// Entity is customers, products or events. The online-retail format
	// always yields all three.
	Entity string
	// Path is the file to read; gzip is recognised by content.
	Path string
	// Input, when not nil, is read instead of opening Path (Path still
	// names the input in messages and picks the format by extension).
	Input io.Reader
	// Format is csv, jsonl, online-retail or shopify-customers; empty picks
	// csv or jsonl by Path's extension (.csv, .tsv, .jsonl, .ndjson, .json,
	// optionally followed by .gz).
	Format string
	// Map overrides the column mapping: heading -> field, attrs.KEY /
	// properties.KEY, or "-" to drop the column.
	Map map[string]string
	// TZ is the zone of timestamps written without one (default UTC).
	TZ *time.Location
	// DayFirst reads 01/02/2024 as 1 February. Without it (or DateFormat)
	// a date whose day and month could be swapped is rejected.
	DayFirst bool
	// MonthFirst reads 01/02/2024 as 2 January.
	MonthFirst bool
	// DateFormat is the one layout of the file's dates: a Go layout
	// (02/01/2006 15:04) or tokens (DD/MM/YYYY hh:mm, %d/%m/%Y).
	DateFormat string
	// Delimiter separates fields: "," ";" "|" "tab" or "whitespace" (runs
	// of spaces and tabs); empty sniffs comma, tab or semicolon.
	Delimiter string
	// NoHeader says the first line is data; columns are then named 1, 2, …
	// for --map (1=customer_id).
	NoHeader bool
	// Set gives a field the same value in every row that does not give it
	// (field -> value; --set type=purchase), e.g. for a file without a
	// type column.
	Set map[string]string
	// Encoding is the input's character set (default UTF-8; gbk, gb18030,
	// big5, latin1, windows-1252, utf-16).
	Encoding string
	// Rejects receives the reject report as CSV (line,reason,raw); nil
	// discards it (rejects are still counted).
	Rejects io.Writer
	// Progress is advanced by the bytes of the file read (compressed bytes
	// for gzip); nil reports nothing.
	Progress progress.Reporter
	// BatchSize is the rows per store call (default 10000 for events,
	// 5000 otherwise).
	BatchSize int
	// MaxFieldBytes bounds one field; larger fields reject their row
	// (default 1 MiB).
	MaxFieldBytes int
	// Now stamps consent entries and created times (default time.Now).
	Now func() time.Time
}

// Counts say what happened to the records of one entity.
type Counts struct {
	Inserted int `json:"inserted"`
	Updated  int `json:"updated"`
	// Unchanged are records already stored as they are (for events: the
	// natural key was already stored, or repeated within the file).
	Unchanged int `json:"unchanged"`
}

// Summary is the outcome of one import. Read = Imported + Updated +
// SkippedDuplicates + Rejected always holds when Run returns no error.
type Summary struct {
	Entity            string `json:"entity"`
	Format            string `json:"format"`
	File              string `json:"file"`
	Read              int    `json:"read"`
	Imported          int    `json:"imported"`
	Updated           int    `json:"updated"`
	SkippedDuplicates int    `json:"skipped_duplicates"`
	Rejected          int    `json:"rejected"`
	// Balanced reports that the four outcomes add up to Read.
	Balanced bool `json:"balanced"`
	// RejectReasons counts rejects by kind ("wrong column count", …).
	RejectReasons map[string]int `json:"reject_reasons,omitempty"`
	// Per-entity outcomes; online-retail fills all three.
	Customers *Counts `json:"customers,omitempty"`
	Products  *Counts `json:"products,omitempty"`
	Events    *Counts `json:"events,omitempty"`
	// ConsentsAdded counts consent ledger entries written (only changes
	// of state are written, so a re-import adds none).
	ConsentsAdded int `json:"consents_added"`
	// IgnoredColumns are headings that matched no field of an entity
	// without a free-form map (products).
	IgnoredColumns []string `json:"ignored_columns,omitempty"`
	// BlankLines were skipped; they are not rows.
	BlankLines int `json:"blank_lines,omitempty"`
	// CustomersFromEvents counts customers created because events named
	// them (the file holds no customer records).
	CustomersFromEvents int `json:"customers_from_events,omitempty"`
	// NegativeAsRefund counts purchase rows with a negative quantity or
	// amount, stored as refunds (returns).
	NegativeAsRefund int `json:"negative_purchases_as_refunds,omitempty"`
	// Truncated says the compressed file ended early: what was read before
	// the end is stored and counted, the rest is missing.
	Truncated     bool    `json:"truncated,omitempty"`
	Seconds       float64 `json:"seconds"`
	RowsPerSecond float64 `json:"rows_per_second"`
	// RejectsFile names the report of the rejected rows, for the text
	// ("": none was written).
	RejectsFile string `json:"-"`
}

func (s *Summary) balance() {
	s.Balanced = s.Read == s.Imported+s.Updated+s.SkippedDuplicates+s.Rejected
}

// String is the one-line human summary.
func (s Summary) String() string {
	eq := "="
	if !s.Balanced {
		eq = "≠"
	}
	return fmt.Sprintf("read %d %s imported %d + updated %d + skipped duplicates %d + rejected %d (%.1fs, %.0f rows/s)",
		s.Read, eq, s.Imported, s.Updated, s.SkippedDuplicates, s.Rejected, s.Seconds, s.RowsPerSecond)
}

// batch is the unit handed from the parser to the writer.
type batch struct {
	customers []customer.Customer
	consents  []consentIntent
	products  []catalog.Product
	events    []event.Event
	// eventCustomers are minimal records (an id) of customers the batch's
	// events name; they are not rows of the file.
	eventCustomers []customer.Customer
	// final marks the online-retail flush of customers and products,
	// whose counts do not describe rows.
	final bool
}

// consentIntent is a yes/no consent column value for one customer.
type consentIntent struct {
	customerID, channel string
	granted             bool
}

// Run imports one file into st. It fails (with apperr.Invalid) when the
// file cannot be read as the named format at all: unknown format, missing
// required columns, a bad --map, non-UTF-8 text without --encoding.
// Row-level problems never fail the import; they are rejected, reported
// and counted. A store error aborts the import; the batches committed
// before it stay (a store's BulkLoad may commit several batches at once),
// and running the import again completes it.
func Run(ctx context.Context, st Store, opts Options) (sum Summary, err error) {
	start := time.Now()
	if err := opts.defaults(); err != nil {
		return sum, err
	}
	sum = Summary{Entity: opts.Entity, Format: opts.Format, File: opts.Path, RejectReasons: map[string]int{}}
	src, err := openSource(opts.Path, opts.Input, opts.Encoding)
	if err != nil {
		return sum, err
	}
	defer src.Close()

	// Batches written go back to the parser through free, so that an
	// import reuses a few batches rather than allocating (and growing) one
	// per BatchSize rows. The parser is faster than the writer, so one
	// batch waiting for it is enough to keep it busy; each more held 5 MB
	// (Online Retail: peak RSS 143-147 MB with 4 free and 2 waiting,
	// 130-141 MB with 2 and 1, in the same time).
	free := make(chan *batch, 2)
	p := &parser{opts: opts, sum: &sum, src: src, rejects: newRejectWriter(opts.Rejects), free: free}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan *batch, 1)
	perr := make(chan error, 1)
	go func() {
		defer close(ch)
		perr <- p.run(ctx, ch)
	}()
	w := &writer{st: st, sum: &sum, now: opts.Now().UTC().Truncate(time.Microsecond), source: p.consentSource()}
	var werr error
	writeAll := func(ctx context.Context) error {
		for b := range ch {
			if werr != nil {
				continue // drain so that the parser can finish
			}
			if werr = w.write(ctx, b); werr != nil {
				cancel()
				continue
			}
			select {
			case free <- b:
			default:
			}
		}
		return werr
	}
	if err := st.BulkLoad(ctx, writeAll); werr == nil && err != nil {
		werr = err
		cancel()
		for range ch { // BulkLoad failed before or after writeAll: let the parser finish
		}
	}
	err = <-perr
	if werr != nil {
		err = werr
	}
	if ferr := p.rejects.flush(); err == nil && ferr != nil {
		err = apperr.Wrap(ferr, apperr.Unavailable, "write reject report")
	}
	if len(sum.RejectReasons) == 0 {
		sum.RejectReasons = nil
	}
	for h := range p.ignored {
		sum.IgnoredColumns = append(sum.IgnoredColumns, h)
	}
	sort.Strings(sum.IgnoredColumns)
	sum.Seconds = time.Since(start).Seconds()
	if sum.Seconds > 0 {
		sum.RowsPerSecond = float64(sum.Read) / sum.Seconds
	}
	sum.balance()
	var te *truncatedError
	if errors.As(err, &te) {
		sum.Truncated = true
		return sum, apperr.New(apperr.Invalid, "import %s: the compressed file ends early (it was cut off after line %d): the %d rows read before the end are counted and stored (imported %d, updated %d, already stored %d, rejected %d); importing the complete file later adds only the rest",
			opts.Path, te.line, sum.Read, sum.Imported, sum.Updated, sum.SkippedDuplicates, sum.Rejected)
	}
	if err != nil {
		return sum, fmt.Errorf("import %s: %w", opts.Path, err)
	}
	if !sum.Balanced {
		return sum, apperr.New(apperr.Internal, "import %s: counts do not add up: %s", opts.Path, sum)
	}
	return sum, nil
}

func (o *Options) defaults() error {
	switch o.Entity {
	case Customers, Products, Events:
	default:
		return apperr.New(apperr.Invalid, "unknown entity %q: import customers, products or events", o.Entity)
	}
	if o.Format == "" {
		o.Format = formatFromName(o.Path)
		if o.Format == "" {
			return apperr.New(apperr.Invalid, "cannot tell the format of %s from its name: pass --format (%s)", o.Path, strings.Join(Formats(), ", "))
		}
	}
	switch o.Format {
	case FormatCSV, FormatJSONL, FormatOnlineRetail:
	case FormatShopifyCustomers:
		if o.Entity != Customers {
			return apperr.New(apperr.Invalid, "the shopify-customers format holds customers: run `chorus import customers`")
		}
	default:
		return apperr.New(apperr.Invalid, "unknown format %q (use %s)", o.Format, strings.Join(Formats(), ", "))
	}
	if o.Format == FormatOnlineRetail {
		o.Entity = Events // one file yields all three; events are its rows
		if len(o.Map) > 0 || len(o.Set) > 0 || o.Delimiter != "" || o.NoHeader {
			return apperr.New(apperr.Invalid, "--map, --set, --delimiter and --no-header do not apply to the online-retail format, whose columns are fixed")
		}
	}
	if o.Format == FormatJSONL && (o.Delimiter != "" || o.NoHeader) {
		return apperr.New(apperr.Invalid, "--delimiter and --no-header apply to CSV files, not JSON Lines")
	}
	if o.DayFirst && o.MonthFirst {
		return apperr.New(apperr.Invalid, "--day-first and --month-first contradict each other")
	}
	if _, err := delimiter(o.Delimiter); err != nil {
		return err
	}
	if o.DateFormat != "" {
		if _, err := dateLayout(o.DateFormat); err != nil {
			return err
		}
	}
	if o.TZ == nil {
		o.TZ = time.UTC
	}
	if o.BatchSize <= 0 {
		// Events are cheap per row and each store call is a transaction
		// (a commit, a WAL flush on SQLite, a temporary table on
		// PostgreSQL): bigger batches measured 25% faster on Online Retail.
		// Customers and products read back each batch before writing, so
		// they stay smaller.
		o.BatchSize = 5000
		if o.Entity == Events {
			o.BatchSize = 10000
		}
	}
	if o.MaxFieldBytes <= 0 {
		o.MaxFieldBytes = DefaultMaxFieldBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Progress == nil {
		o.Progress = progress.Nop{}
	}
	return nil
}

// formatFromName picks csv or jsonl by extension, looking through .gz.
func formatFromName(name string) string {
	n := strings.ToLower(filepath.Base(name))
	n = strings.TrimSuffix(n, ".gz")
	switch filepath.Ext(n) {
	case ".csv", ".tsv", ".txt":
		return FormatCSV
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL
	}
	return ""
}

// Reject is one row that could not be imported.
type Reject struct {
	Line   int    `json:"line"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
	Raw    string `json:"raw"`
}

// rowError is why a row is rejected: a kind for counting and a message
// that tells the user what is wrong with the row.
type rowError struct{ kind, msg string }

func (e *rowError) Error() string { return e.msg }

func reject(kind, format string, args ...any) *rowError {
	return &rowError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Reject kinds.
const (
	KindMalformed = "malformed row"
	KindColumns   = "wrong column count"
	KindTooLong   = "field too long"
	KindNumber    = "bad number"
	KindDate      = "bad date"
	KindMissing   = "missing value"
	KindValue     = "bad value"
	KindJSON      = "bad JSON"
	KindQuote     = "unbalanced quote"
	KindEncoding  = "not UTF-8"
)

// rejectWriter writes the reject report as CSV: line, reason, raw row.
type rejectWriter struct {
	w   *csv.Writer
	err error
}

func newRejectWriter(w io.Writer) *rejectWriter {
	r := &rejectWriter{}
	if w != nil {
		r.w = csv.NewWriter(w)
		r.err = r.w.Write([]string{"line", "reason", "raw"})
	}
	return r
}

func (r *rejectWriter) write(rj Reject) {
	if r.w == nil || r.err != nil {
		return
	}
	r.err = r.w.Write([]string{strconv.Itoa(rj.Line), rj.Reason, rj.Raw})
}

func (r *rejectWriter) flush() error {
	if r.w == nil {
		return nil
	}
	r.w.Flush()
	if r.err != nil {
		return r.err
	}
	return r.w.Error()
}

// ReadRejects parses a reject report written by Run.
func ReadRejects(r io.Reader) ([]Reject, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || recs[0][0] != "line" {
		return nil, errors.New("not a reject report: header line,reason,raw missing")
	}
	out := make([]Reject, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		n, err := strconv.Atoi(rec[0])
		if err != nil {
			return nil, fmt.Errorf("reject report: bad line number %q", rec[0])
		}
		out = append(out, Reject{Line: n, Reason: rec[1], Raw: rec[2]})
	}
	return out, nil
}
