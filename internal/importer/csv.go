package importer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// record is one logical row of the input: a CSV record (which may span
// several physical lines through quoted newlines) or one JSONL line.
type record struct {
	// Line is the 1-based physical line the record starts on.
	Line int
	// Fields are the decoded field values; they share one backing string
	// per record, so keeping one field keeps the record's text alive.
	Fields []string
	// Raw is the record as it appeared in the file, capped at rawCap bytes
	// (RawTruncated says when it was cut). It is reused by the next call.
	Raw          []byte
	RawTruncated bool
	// Reason, when not empty, says why the record cannot be used (a
	// malformed record); reading can continue after it.
	Reason string
}

// rawCap bounds the raw text kept per record for the reject report, so a
// 10 MB field costs 64 KiB of memory, not 10 MB.
const rawCap = 64 << 10

// DefaultMaxFieldBytes bounds one field. Larger fields are rejected with
// their row rather than held in memory.
const DefaultMaxFieldBytes = 1 << 20

// csvReader is a streaming RFC 4180 reader that, unlike encoding/csv, keeps
// the raw text and start line of every record, survives malformed records
// (reporting them and going on), and never holds more than maxField bytes
// of a field. It accepts CRLF or LF line ends, skips blank lines, and
// treats a quote inside an unquoted field literally (12" frame).
type csvReader struct {
	br       *bufio.Reader
	comma    byte
	maxField int

	line  int // physical lines consumed
	blank int // blank lines skipped
	eof   bool

	buf      []byte // decoded bytes of all fields of the current record
	ends     []int  // end offset in buf of each field
	fields   []string
	raw      []byte
	rawTrunc bool
}

func newCSVReader(r io.Reader, comma byte, maxField int) *csvReader {
	if maxField <= 0 {
		maxField = DefaultMaxFieldBytes
	}
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 64<<10 {
		br = bufio.NewReaderSize(r, 256<<10)
	}
	return &csvReader{br: br, comma: comma, maxField: maxField}
}

// readLine returns the next physical line without its line end (CR LF or
// LF), in pieces when it is longer than the buffer: more is true when the
// line continues in the next call. ok is false at the end of the input.
func (c *csvReader) readLine() (piece []byte, more bool, err error) {
	if c.eof {
		return nil, false, io.EOF
	}
	piece, err = c.br.ReadSlice('\n')
	switch {
	case err == nil:
		piece = piece[:len(piece)-1]
		if n := len(piece); n > 0 && piece[n-1] == '\r' {
			piece = piece[:n-1]
		}
		return piece, false, nil
	case errors.Is(err, bufio.ErrBufferFull):
		// A CR at the very end of a piece may be half of a CRLF; keep it in
		// the reader so that the next piece sees the pair.
		if n := len(piece); n > 1 && piece[n-1] == '\r' {
			c.br.UnreadByte()
			piece = piece[:n-1]
		}
		return piece, true, nil
	case errors.Is(err, io.EOF):
		c.eof = true
		if len(piece) == 0 {
			return nil, false, io.EOF
		}
		if n := len(piece); piece[n-1] == '\r' {
			piece = piece[:n-1]
		}
		return piece, false, nil
	default:
		return nil, false, err
	}
}

func (c *csvReader) appendRaw(b []byte) {
	if c.rawTrunc {
		return
	}
	if room := rawCap - len(c.raw); len(b) > room {
		c.raw = append(c.raw, b[:room]...)
		c.rawTrunc = true
		return
	}
	c.raw = append(c.raw, b...)
}

// Read returns the next record, or io.EOF after the last. Errors other
// than io.EOF come from the underlying reader and are fatal; a malformed
// record is returned with Reason set instead.
func (c *csvReader) Read() (*record, error) {
	const (
		fieldStart = iota
		unquoted
		quoted
		quoteInQuoted // saw a quote inside a quoted field: end or escape
	)
	c.buf = c.buf[:0]
	c.ends = c.ends[:0]
	c.raw = c.raw[:0]
	c.rawTrunc = false
	var (
		state      = fieldStart
		fieldLen   int // bytes of the current field, counted even when not kept
		tooLong    = -1
		startLine  = 0
		quoteLine  = 0
		lineBegins = true
	)
	endField := func() {
		c.ends = append(c.ends, len(c.buf))
		fieldLen = 0
		state = fieldStart
	}
	addByte := func(b byte) {
		fieldLen++
		if fieldLen > c.maxField {
			if tooLong < 0 {
				tooLong = len(c.ends)
			}
			// drop what we kept of this field: its row is rejected anyway
			if fieldLen == c.maxField+1 {
				start := 0
				if len(c.ends) > 0 {
					start = c.ends[len(c.ends)-1]
				}
				c.buf = c.buf[:start]
			}
			return
		}
		c.buf = append(c.buf, b)
	}
	addBytes := func(bs []byte) {
		if fieldLen+len(bs) <= c.maxField {
			fieldLen += len(bs)
			c.buf = append(c.buf, bs...)
			return
		}
		for _, x := range bs {
			addByte(x)
		}
	}
	for {
		piece, more, err := c.readLine()
		if err == io.EOF {
			if startLine == 0 {
				return nil, io.EOF
			}
			// the input ended inside a quoted field
			endField()
			rec := c.finish(startLine, tooLong)
			rec.Reason = fmt.Sprintf("unterminated quoted field: the quote opened on line %d is never closed before the end of the file", quoteLine)
			return rec, nil
		}
		if err != nil {
			return nil, err
		}
		if lineBegins {
			c.line++
			if startLine == 0 {
				if !more && len(bytes.TrimSpace(piece)) == 0 {
					c.blank++
					continue // blank line between records
				}
				startLine = c.line
			} else {
				c.appendRaw([]byte{'\n'})
			}
		}
		c.appendRaw(piece)
		for i := 0; i < len(piece); i++ {
			b := piece[i]
			switch state {
			case fieldStart:
				switch b {
				case '"':
					state = quoted
					quoteLine = c.line
				case c.comma:
					endField()
				default:
					state = unquoted
					addByte(b)
				}
			case unquoted:
				j := bytes.IndexByte(piece[i:], c.comma)
				if j < 0 {
					j = len(piece) - i
				}
				addBytes(piece[i : i+j])
				i += j
				if i < len(piece) {
					endField()
				}
			case quoted:
				// copy the run up to the next quote in one step
				j := bytes.IndexByte(piece[i:], '"')
				if j < 0 {
					j = len(piece) - i
				}
				addBytes(piece[i : i+j])
				i += j
				if i < len(piece) {
					state = quoteInQuoted
				}
			case quoteInQuoted:
				switch b {
				case '"':
					addByte('"')
					state = quoted
				case c.comma:
					endField()
				default:
					// text after a closing quote ("a"b): keep it, as a
					// lenient reader must for hand-edited files
					state = unquoted
					addByte(b)
				}
			}
		}
		lineBegins = !more
		if more {
			continue
		}
		switch state {
		case quoted:
			addByte('\n') // a newline inside quotes belongs to the field
			continue
		}
		endField()
		return c.finish(startLine, tooLong), nil
	}
}

func (c *csvReader) finish(line, tooLong int) *record {
	s := string(c.buf)
	c.fields = c.fields[:0]
	start := 0
	for _, end := range c.ends {
		c.fields = append(c.fields, s[start:end])
		start = end
	}
	rec := &record{Line: line, Fields: c.fields, Raw: c.raw, RawTruncated: c.rawTrunc}
	if tooLong >= 0 {
		rec.Reason = fmt.Sprintf("field %d is longer than the %d-byte limit", tooLong+1, c.maxField)
	}
	return rec
}
