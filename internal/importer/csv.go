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
//
// A quoted field may span lines. When one that does turns out to be an
// unbalanced quote (the record it makes has another field count than the
// header, the file ends inside it, or it grows past maxField), only the
// line the record began on is rejected: the lines it took in are read
// again as records of their own.
type csvReader struct {
	br       *bufio.Reader
	comma    byte
	maxField int
	// blanks splits fields on runs of spaces and tabs (CDNOW's
	// whitespace-separated file); quotes group a field within a line.
	blanks bool
	// expect is the field count of a record (the header's), 0 unknown.
	expect int

	line  int // physical lines consumed
	blank int // blank lines skipped
	eof   bool

	replay       [][]byte // physical lines to read again, oldest first
	pending      [][]byte // the current record's lines after its first
	pendingBytes int
	firstRaw     int  // bytes of raw that belong to the record's first line
	firstTrunc   bool // raw was capped within the first line
	noReplay     bool // the record's lines are no longer kept (a real huge field)

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
	if len(c.replay) > 0 {
		piece, c.replay = c.replay[0], c.replay[1:]
		return piece, false, nil
	}
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
	if c.blanks {
		return c.readBlanks()
	}
	c.buf = c.buf[:0]
	c.ends = c.ends[:0]
	c.raw = c.raw[:0]
	c.rawTrunc = false
	c.pending, c.pendingBytes, c.noReplay = nil, 0, false
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
			if c.recoverable() {
				return c.broken(startLine, quoteLine, "the file ends inside it"), nil
			}
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
				if len(c.pending) == 0 && !c.noReplay {
					c.firstRaw, c.firstTrunc = len(c.raw), c.rawTrunc
				}
				c.appendRaw([]byte{'\n'})
				if !c.noReplay {
					c.pending = append(c.pending, nil)
				}
			}
		}
		if len(c.pending) > 0 && !c.noReplay {
			last := &c.pending[len(c.pending)-1]
			*last = append(*last, piece...)
			if c.pendingBytes += len(piece); c.pendingBytes > c.maxField {
				if c.recoverable() {
					for more { // keep the whole line for reading again
						if piece, more, err = c.readLine(); err != nil && err != io.EOF {
							return nil, err
						}
						*last = append(*last, piece...)
					}
					return c.broken(startLine, quoteLine, fmt.Sprintf("it would grow past the %d-byte field limit", c.maxField)), nil
				}
				// A real field this long: stop keeping its lines; the
				// field limit rejects the record.
				c.pending, c.noReplay = nil, true
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
		if c.expect > 0 && len(c.ends) != c.expect && c.recoverable() {
			return c.broken(startLine, quoteLine, fmt.Sprintf("the record it makes has %d fields, the header %d", len(c.ends), c.expect)), nil
		}
		return c.finish(startLine, tooLong), nil
	}
}

// recoverable reports whether the current record's quoted field looks
// like an unbalanced quote rather than a field that spans lines: the line
// after its first, read on its own, is a record of the header's field
// count with its quotes closed.
func (c *csvReader) recoverable() bool {
	if c.expect <= 0 || c.noReplay || len(c.pending) == 0 {
		return false
	}
	fields, quoted := 1, false
	for _, b := range c.pending[0] {
		switch {
		case b == '"':
			quoted = !quoted
		case b == c.comma && !quoted:
			fields++
		}
	}
	return !quoted && fields == c.expect
}

// broken rejects the first line of the current record, whose quoted field
// ran into the following lines, and queues those lines to be read again.
func (c *csvReader) broken(startLine, quoteLine int, why string) *record {
	c.replay = append(c.pending, c.replay...)
	c.pending, c.pendingBytes = nil, 0
	c.line = startLine
	c.raw, c.rawTrunc = c.raw[:c.firstRaw], c.firstTrunc
	c.fields = c.fields[:0]
	return &record{Line: startLine, Fields: c.fields, Raw: c.raw, RawTruncated: c.rawTrunc,
		Reason: fmt.Sprintf("unbalanced quote: the quote opened on line %d is not closed on its line and reading on takes in the lines after it (%s); only line %d is rejected and reading resumes on line %d",
			quoteLine, why, startLine, startLine+1)}
}

// readBlanks reads one record of a whitespace-separated file: fields are
// separated by runs of spaces and tabs, leading and trailing blanks are
// ignored, and double quotes group a field that holds blanks (within one
// line).
func (c *csvReader) readBlanks() (*record, error) {
	for {
		c.raw, c.rawTrunc = c.raw[:0], false
		var line []byte
		tooLong := false
		first := true
		for {
			piece, more, err := c.readLine()
			if err == io.EOF {
				if first {
					return nil, io.EOF
				}
				break
			}
			if err != nil {
				return nil, err
			}
			if first {
				c.line++
				first = false
			}
			c.appendRaw(piece)
			if len(line)+len(piece) > c.maxField {
				tooLong = true
			} else {
				line = append(line, piece...)
			}
			if !more {
				break
			}
		}
		if !tooLong && len(bytes.TrimSpace(line)) == 0 {
			c.blank++
			continue
		}
		c.buf, c.ends = c.buf[:0], c.ends[:0]
		in, quoted, unclosed := false, false, false
		for i := 0; i < len(line); i++ {
			b := line[i]
			switch {
			case quoted && b == '"' && i+1 < len(line) && line[i+1] == '"':
				c.buf = append(c.buf, '"')
				i++
			case quoted && b == '"':
				quoted = false
			case quoted:
				c.buf = append(c.buf, b)
			case b == ' ' || b == '\t':
				if in {
					c.ends = append(c.ends, len(c.buf))
					in = false
				}
			case b == '"' && !in:
				in, quoted = true, true
			default:
				in = true
				c.buf = append(c.buf, b)
			}
		}
		if quoted {
			unclosed = true
		}
		if in {
			c.ends = append(c.ends, len(c.buf))
		}
		rec := c.finish(c.line, -1)
		switch {
		case tooLong:
			rec.Reason = fmt.Sprintf("line is longer than the %d-byte limit", c.maxField)
		case unclosed:
			rec.Reason = fmt.Sprintf("unbalanced quote on line %d", c.line)
		}
		return rec, nil
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
