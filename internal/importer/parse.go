package importer

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

// parser is the reading half of an import: it turns records into batches
// and reports rejects. It runs in its own goroutine and owns the Read,
// Rejected, RejectReasons and BlankLines fields of the summary.
type parser struct {
	opts    Options
	sum     *Summary
	src     *source
	rejects *rejectWriter
	ignored map[string]bool

	ctx       context.Context
	ch        chan<- *batch
	free      <-chan *batch // batches the writer is done with
	cur       *batch
	curRows   int
	lastBytes int64

	dates *dateParser
	ords  ordinals
	// same numbers identical lines of events without an order id.
	same repeats
	tz   tzCache
	// sawUTF8 is set once a record held valid non-ASCII text: the file is
	// UTF-8, so a later invalid line is a damaged line, not the encoding.
	sawUTF8 bool
	// known are customer ids events named in this import (bounded), for
	// the customer records events create.
	known map[string]bool
	sets  []setValue
}

// setValue is one --set constant resolved to the schema.
type setValue struct {
	col column
	val string
}

// truncatedError is a compressed input that ends early.
type truncatedError struct{ line int }

func (e *truncatedError) Error() string {
	return fmt.Sprintf("the compressed file ends early, after line %d", e.line)
}

// readErr turns an error of the reader into the import's error. A gzip
// stream that ends early is not a service failure: what was read before
// it is flushed to the store and the import says what it kept.
func (p *parser) readErr(err error, line int) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		if ferr := p.flush(); ferr != nil {
			return ferr
		}
		return &truncatedError{line: line}
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) || errors.Is(err, gzip.ErrChecksum) {
		if ferr := p.flush(); ferr != nil {
			return ferr
		}
		return apperr.New(apperr.Invalid, "%s: the compressed file is damaged after line %d (%v); the rows read before it are stored", p.opts.Path, line, err)
	}
	return apperr.Wrap(err, apperr.Unavailable, "read %s", p.opts.Path)
}

// row is one record resolved to the fields of a schema.
type row struct {
	vals   []string
	extras []kv
}

type kv struct {
	key string
	val any
}

func (p *parser) consentSource() string {
	if p.opts.Format == FormatShopifyCustomers {
		return "shopify import"
	}
	return "import " + p.opts.Path
}

func (p *parser) run(ctx context.Context, ch chan<- *batch) error {
	p.ctx, p.ch = ctx, ch
	p.cur = p.newBatch()
	p.dates = newDateParser(p.opts.TZ)
	p.dates.dayFirst, p.dates.monthFirst = p.opts.DayFirst, p.opts.MonthFirst
	if p.opts.Format == FormatOnlineRetail && !p.opts.DayFirst {
		// The UCI release writes M/D/YYYY H:MM (12/1/2010 8:26).
		p.dates.monthFirst = true
	}
	if p.opts.DateFormat != "" {
		p.dates.layout, _ = dateLayout(p.opts.DateFormat) // validated
	}
	var err error
	switch p.opts.Format {
	case FormatOnlineRetail:
		err = p.runOnlineRetail()
	case FormatJSONL:
		err = p.runJSONL()
	default:
		err = p.runCSV()
	}
	if err != nil {
		return err
	}
	return p.flush()
}

// flush sends the current batch to the writer.
func (p *parser) flush() error {
	if p.curRows == 0 && len(p.cur.customers)+len(p.cur.products)+len(p.cur.events) == 0 && !p.cur.final {
		return nil
	}
	select {
	case p.ch <- p.cur:
	case <-p.ctx.Done():
		return p.ctx.Err()
	}
	p.cur, p.curRows = p.newBatch(), 0
	if n := p.src.counter.n.Load(); n > p.lastBytes {
		p.opts.Progress.Add(n - p.lastBytes)
		p.lastBytes = n
	}
	return nil
}

// newBatch returns an empty batch: one the writer is done with, or a new
// one with room for BatchSize events.
func (p *parser) newBatch() *batch {
	select {
	case b := <-p.free:
		*b = batch{customers: b.customers[:0], consents: b.consents[:0], products: b.products[:0], events: b.events[:0], eventCustomers: b.eventCustomers[:0]}
		return b
	default:
	}
	b := &batch{}
	if p.opts.Entity == Events {
		b.events = make([]event.Event, 0, p.opts.BatchSize)
	}
	return b
}

// rowDone counts one stored-bound row and sends the batch when full.
func (p *parser) rowDone() error {
	p.curRows++
	if p.curRows >= p.opts.BatchSize {
		return p.flush()
	}
	return nil
}

func (p *parser) reject(rec *record, e *rowError) {
	p.sum.Rejected++
	p.sum.RejectReasons[e.kind]++
	raw := string(rec.Raw)
	if rec.RawTruncated {
		raw += "…[truncated]"
	}
	p.rejects.write(Reject{Line: rec.Line, Kind: e.kind, Reason: e.msg, Raw: raw})
}

// checkUTF8 fails the import at the first record that is not UTF-8: a
// file in another encoding would otherwise be stored as mojibake.
func checkUTF8(rec *record, headings []string) error {
	line := rec.Line
	for i, f := range rec.Fields {
		if utf8.ValidString(f) {
			line += strings.Count(f, "\n")
			continue
		}
		off := 0
		for off < len(f) {
			r, size := utf8.DecodeRuneInString(f[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
		line += strings.Count(f[:off], "\n")
		col := fmt.Sprintf("column %d", i+1)
		if i < len(headings) {
			col = fmt.Sprintf("column %d (%s)", i+1, headings[i])
		}
		return apperr.New(apperr.Invalid,
			"line %d, %s is not valid UTF-8 (byte 0x%02X): the file is in another encoding; pass --encoding gbk (or gb18030, big5, latin1, windows-1252)",
			line, col, f[off])
	}
	return nil
}

// sniffComma picks the delimiter from the first line: the most frequent
// of comma, tab and semicolon, so that European (;) and TSV exports work.
func (p *parser) sniffComma() byte {
	if d, _ := delimiter(p.opts.Delimiter); d != 0 {
		return d
	}
	if strings.HasSuffix(strings.TrimSuffix(strings.ToLower(p.opts.Path), ".gz"), ".tsv") {
		return '\t'
	}
	head, _ := p.src.r.Peek(64 << 10)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	best, n := byte(','), bytes.Count(head, []byte{','})
	for _, c := range []byte{'\t', ';'} {
		if k := bytes.Count(head, []byte{c}); k > n {
			best, n = c, k
		}
	}
	return best
}

// readHeader reads the first record as column headings.
func (p *parser) readHeader(cr *csvReader) ([]string, error) {
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, apperr.New(apperr.Invalid, "%s is empty: expected a header line", p.opts.Path)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "read %s", p.opts.Path)
	}
	if rec.Reason != "" {
		return nil, apperr.New(apperr.Invalid, "line %d: cannot read the header: %s", rec.Line, rec.Reason)
	}
	if err := checkUTF8(rec, nil); err != nil {
		return nil, err
	}
	h := make([]string, len(rec.Fields))
	for i, f := range rec.Fields {
		h[i] = strings.TrimSpace(f)
	}
	return h, nil
}

func (p *parser) schema() *schema {
	switch p.opts.Entity {
	case Customers:
		return customerSchema
	case Products:
		return productSchema
	}
	return eventSchema
}

// requireColumns fails when a header cannot yield valid rows at all.
func (p *parser) requireColumns(s *schema, cols []column, headings []string) error {
	need := func(what string, fields ...int) error {
		for _, f := range fields {
			if has(cols, f) {
				return nil
			}
		}
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = s.fields[f]
		}
		return apperr.New(apperr.Invalid, "%s: no column gives %s (need %s; have %s); name one with --map COLUMN=%s",
			p.opts.Path, what, strings.Join(names, " or "), strings.Join(headings, ", "), names[0])
	}
	switch s {
	case customerSchema:
		return need("the customer's identity", cID, cEmail, cPhone)
	case productSchema:
		return need("the SKU", pSKU)
	default:
		if err := need("the event type", eType); err != nil {
			return err
		}
		return need("the time of the event", eOccurredAt)
	}
}

func (p *parser) runCSV() error {
	cr := newCSVReader(p.src.r, p.sniffComma(), p.opts.MaxFieldBytes)
	cr.blanks = isWhitespace(p.opts.Delimiter)
	var (
		headings []string
		first    *record // with --no-header, the first record is data
		err      error
	)
	if p.opts.NoHeader {
		if first, err = cr.Read(); err == io.EOF {
			return apperr.New(apperr.Invalid, "%s is empty", p.opts.Path)
		} else if err != nil {
			return p.readErr(err, cr.line)
		}
		cp := *first
		cp.Raw = append([]byte(nil), first.Raw...)
		cp.Fields = append([]string(nil), first.Fields...)
		first = &cp
		for i := range first.Fields {
			headings = append(headings, strconv.Itoa(i+1))
		}
	} else if headings, err = p.readHeader(cr); err != nil {
		return err
	}
	cr.expect = len(headings)
	s := p.schema()
	m, err := newMapper(s, p.opts.Map)
	if err != nil {
		return err
	}
	cols, err := m.header(headings)
	if err != nil {
		return err
	}
	p.ignored = m.ignored
	if p.sets, err = resolveSets(s, p.opts.Set, cols, headings); err != nil {
		return err
	}
	if err := p.requireColumns(s, append(cols, setColumns(p.sets)...), headings); err != nil {
		return err
	}
	r := &row{vals: make([]string, len(s.fields))}
	for {
		rec := first
		if first != nil {
			first = nil
		} else {
			rec, err = cr.Read()
		}
		if err == io.EOF {
			p.sum.BlankLines = cr.blank
			return nil
		}
		if err != nil {
			return p.readErr(err, cr.line)
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
		clear(r.vals)
		r.extras = r.extras[:0]
		for i, f := range rec.Fields {
			c := cols[i]
			switch {
			case c.field >= 0:
				r.vals[c.field] = f
			case c.extra != "" && strings.TrimSpace(f) != "":
				r.extras = append(r.extras, kv{c.extra, strings.TrimSpace(f)})
			}
		}
		p.applySets(r)
		if rerr := p.convert(r); rerr != nil {
			p.reject(rec, rerr)
			continue
		}
		if err := p.rowDone(); err != nil {
			return err
		}
	}
}

func reasonKind(reason string) string {
	switch {
	case strings.HasPrefix(reason, "field ") || strings.HasPrefix(reason, "line is longer"):
		return KindTooLong
	case strings.HasPrefix(reason, "unbalanced quote"):
		return KindQuote
	}
	return KindMalformed
}

// utf8OK checks rec's text. In a file shown to be UTF-8 (an earlier record
// held valid non-ASCII text) an invalid record is a damaged line: it is
// rejected, saying what it reads as in GBK, and ok is false. Before that,
// invalid text means the file is in another encoding: the import fails
// and says which --encoding to pass.
func (p *parser) utf8OK(rec *record, headings []string) (ok bool, err error) {
	for _, f := range rec.Fields {
		if !utf8.ValidString(f) {
			if !p.sawUTF8 {
				return false, checkUTF8(rec, headings)
			}
			msg := "the line is not valid UTF-8 although the rest of the file is"
			if gbk, err := simplifiedchinese.GBK.NewDecoder().String(string(rec.Raw)); err == nil && utf8.ValidString(gbk) {
				msg += fmt.Sprintf("; read as GBK it says %.120q: fix the line (or pass --encoding gbk if the whole file is GBK)", gbk)
			}
			p.reject(rec, reject(KindEncoding, "%s", msg))
			return false, nil
		}
	}
	if !p.sawUTF8 {
		for _, f := range rec.Fields {
			for i := 0; i < len(f); i++ {
				if f[i] >= 0x80 {
					p.sawUTF8 = true
					return true, nil
				}
			}
		}
	}
	return true, nil
}

func (p *parser) runJSONL() error {
	lr := newCSVReader(p.src.r, 0, p.opts.MaxFieldBytes)
	s := p.schema()
	m, err := newMapper(s, p.opts.Map)
	if err != nil {
		return err
	}
	p.ignored = m.ignored
	if p.sets, err = resolveSets(s, p.opts.Set, nil, nil); err != nil {
		return err
	}
	keyCols := map[string]column{}
	r := &row{vals: make([]string, len(s.fields))}
	by := make([]string, len(s.fields)) // the key that gave each field, this line
	var line []byte
	rec := &record{}
	for {
		// assemble one physical line, bounded by the field limit
		line = line[:0]
		tooLong := false
		first := true
		for {
			piece, more, err := lr.readLine()
			if err == io.EOF {
				if first {
					return nil
				}
				break
			}
			if err != nil {
				return p.readErr(err, lr.line)
			}
			if first {
				lr.line++
				first = false
			}
			if len(line)+len(piece) > p.opts.MaxFieldBytes {
				tooLong = true
			} else {
				line = append(line, piece...)
			}
			if !more {
				break
			}
		}
		if !tooLong && len(bytes.TrimSpace(line)) == 0 {
			p.sum.BlankLines++
			continue
		}
		p.sum.Read++
		rec.Line = lr.line
		rec.Raw, rec.RawTruncated = line, false
		if len(line) > rawCap {
			rec.Raw, rec.RawTruncated = line[:rawCap], true
		}
		if tooLong {
			p.reject(rec, reject(KindTooLong, "line is longer than the %d-byte limit", p.opts.MaxFieldBytes))
			continue
		}
		rec.Fields = append(rec.Fields[:0], string(line))
		if ok, err := p.utf8OK(rec, nil); err != nil {
			return err
		} else if !ok {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
			msg := "not a JSON object"
			var ute *json.UnmarshalTypeError
			switch {
			case errors.As(err, &ute):
				msg += ": the line holds a JSON " + ute.Value
			case err != nil:
				msg += ": " + strings.TrimPrefix(err.Error(), "json: ")
			}
			p.reject(rec, reject(KindJSON, "%s", msg))
			continue
		}
		clear(r.vals)
		clear(by)
		r.extras = r.extras[:0]
		twice := -1 // a field two keys map to
		for k, v := range obj {
			c, ok := keyCols[k]
			if !ok {
				c = m.column(k)
				keyCols[k] = c
			}
			switch {
			case c.field >= 0 && by[c.field] != "":
				twice = c.field
			case c.field >= 0:
				r.vals[c.field], by[c.field] = jsonString(v), k
			case c.extra != "" && v != nil:
				r.extras = append(r.extras, kv{c.extra, jsonValue(v)})
			}
		}
		if twice >= 0 {
			// two names of one field (customer_id and user_id): a CSV
			// header like it is refused; here the map's order would pick
			// the value, so the line is rejected
			var keys []string
			for k := range obj {
				if keyCols[k].field == twice {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			p.reject(rec, reject(KindValue, "keys %q and %q both map to %s; keep one, or drop one with --map %q=-",
				keys[0], keys[1], s.fields[twice], keys[1]))
			continue
		}
		p.applySets(r)
		if rerr := p.convert(r); rerr != nil {
			p.reject(rec, rerr)
			continue
		}
		if err := p.rowDone(); err != nil {
			return err
		}
	}
}

// jsonString renders a JSON value as the text a CSV cell would hold.
func jsonString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonValue turns decoded numbers into float64 (as stored JSON reads
// back), leaving other values as they are.
func jsonValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case map[string]any:
		for k, e := range x {
			x[k] = jsonValue(e)
		}
	case []any:
		for i, e := range x {
			x[i] = jsonValue(e)
		}
	}
	return v
}

// convert turns a resolved row into the entity and adds it to the batch.
func (p *parser) convert(r *row) *rowError {
	switch p.opts.Entity {
	case Customers:
		c, consents, err := p.customerFromRow(r)
		if err != nil {
			return err
		}
		p.cur.customers = append(p.cur.customers, c)
		p.cur.consents = append(p.cur.consents, consents...)
	case Products:
		pr, err := p.productFromRow(r)
		if err != nil {
			return err
		}
		p.cur.products = append(p.cur.products, pr)
	default:
		e, err := p.eventFromRow(r)
		if err != nil {
			return err
		}
		p.addEvent(e)
	}
	return nil
}

// addEvent numbers repeated identical lines (within an order, or among
// recent lines without one) and adds e. In the generic formats the first
// event of a customer not seen in this import also adds a minimal
// customer record, so that events alone make customers.
func (p *parser) addEvent(e event.Event) {
	e.Ordinal = 0
	e.Key = e.NaturalKey()
	var k int
	if e.OrderID != "" {
		k = p.ords.next(e.OrderID, e.Key)
	} else {
		k = p.same.next(e.Key)
	}
	if k > 0 {
		e.Ordinal = k
		e.Key = e.NaturalKey()
	}
	p.cur.events = append(p.cur.events, e)
	if e.CustomerID != "" && p.opts.Format != FormatOnlineRetail {
		if p.known == nil || len(p.known) >= accumulatorLimit {
			// Forgetting only costs an upsert that finds the record.
			p.known = make(map[string]bool, 1024)
		}
		if !p.known[e.CustomerID] {
			p.known[e.CustomerID] = true
			p.cur.eventCustomers = append(p.cur.eventCustomers, customer.Customer{ID: e.CustomerID})
		}
	}
}

// repeatWindow is how many recent distinct lines without an order id keep
// their counts: identical lines of such files (CDNOW: one customer's two
// identical purchases of a day) are adjacent or nearly so.
const repeatWindow = 1 << 17

// repeats numbers identical events without an order id: the k-th
// identical line gets ordinal k, so real repeats are kept and a re-import
// of the same file produces the same keys.
type repeats struct {
	n    map[int64]int
	fifo []int64
	pos  int
}

func (r *repeats) next(key int64) int {
	if r.n == nil {
		r.n = make(map[int64]int, 1024)
	}
	k, ok := r.n[key]
	if !ok {
		if len(r.fifo) < repeatWindow {
			r.fifo = append(r.fifo, key)
		} else {
			delete(r.n, r.fifo[r.pos])
			r.fifo[r.pos] = key
			r.pos = (r.pos + 1) % repeatWindow
		}
	}
	r.n[key] = k + 1
	return k
}

// orderWindow is how many recent orders keep their line counts. Lines of
// one order are contiguous in exports, or nearly so (one Online Retail
// invoice reappears six lines later); a window rather than every order
// keeps memory flat.
const orderWindow = 4096

// ordinals numbers identical lines within an order: the k-th identical
// line gets ordinal k, so real repeats are kept and a re-import of the
// same file produces the same keys.
type ordinals struct {
	orders map[string]map[int64]int
	fifo   []string
	next_  int
}

func (o *ordinals) next(order string, key int64) int {
	if o.orders == nil {
		o.orders = make(map[string]map[int64]int, orderWindow)
	}
	m, ok := o.orders[order]
	if !ok {
		if len(o.fifo) < orderWindow {
			o.fifo = append(o.fifo, order)
		} else {
			delete(o.orders, o.fifo[o.next_])
			o.fifo[o.next_] = order
			o.next_ = (o.next_ + 1) % orderWindow
		}
		m = make(map[int64]int, 4)
		o.orders[order] = m
	}
	k := m[key]
	m[key] = k + 1
	return k
}

// consentChannels maps consent fields to ledger channels.
var consentChannels = []struct {
	field   int
	channel string
}{
	{cConsentEmail, customer.ChannelEmail},
	{cConsentSMS, customer.ChannelSMS},
	{cConsentWeChat, customer.ChannelWeChat},
	{cConsentPush, customer.ChannelPush},
}
