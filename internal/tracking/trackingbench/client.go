package trackingbench

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"time"
)

// loadConn is one keep-alive HTTP/1.1 connection of the load generator.
// The generator shares the machine's cores with the server it measures,
// so it must cost little and the same for every handler: it writes each
// GET from prepared bytes into a reused buffer and reads the response's
// status line and headers in place, discarding the body by its
// Content-Length. A request allocates nothing. net/http's client would
// do the same work with two goroutines and a dozen allocations per
// request, which on two cores is CPU taken from the server.
//
// It speaks only what a redirect or pixel answer needs: a status line,
// headers, and a body framed by Content-Length (or none). Anything else
// (a chunked body, a malformed line) is an error and the connection is
// redialled.
type loadConn struct {
	addr string
	conn net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
	// head is every request's bytes after the path: the protocol, Host,
	// User-Agent and the blank line.
	head []byte
}

func newLoadConn(addr, userAgent string) *loadConn {
	head := []byte(" HTTP/1.1\r\nHost: " + addr + "\r\nUser-Agent: " + userAgent + "\r\nAccept: */*\r\n\r\n")
	return &loadConn{addr: addr, head: head}
}

var (
	errResponse   = errors.New("malformed HTTP response")
	errChunked    = errors.New("response body without Content-Length")
	errConnClosed = errors.New("server closed the connection")
)

// get sends GET path and returns the response's status code. On an error
// the connection is closed; the next get dials again.
func (c *loadConn) get(path string) (int, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
		if err != nil {
			return 0, err
		}
		c.conn = conn
		if c.br == nil {
			c.br = bufio.NewReaderSize(conn, 4096)
			c.bw = bufio.NewWriterSize(conn, 4096)
		} else {
			c.br.Reset(conn)
			c.bw.Reset(conn)
		}
	}
	code, keep, err := c.roundTrip(path)
	if err != nil || !keep {
		c.close()
	}
	if err == nil && code == 0 {
		err = errResponse
	}
	return code, err
}

func (c *loadConn) roundTrip(path string) (code int, keep bool, err error) {
	c.bw.WriteString("GET ")
	c.bw.WriteString(path)
	c.bw.Write(c.head)
	if err := c.bw.Flush(); err != nil {
		return 0, false, err
	}
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errConnClosed
		}
		return 0, false, err
	}
	// "HTTP/1.1 302 Found\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, false, errResponse
	}
	code, ok := digits(line[9:12])
	if !ok {
		return 0, false, errResponse
	}
	length, keep := 0, true
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return 0, false, errResponse
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, errResponse
		}
		value = bytes.TrimSpace(value)
		switch {
		case asciiEqualFold(name, "Content-Length"):
			n, ok := digits(value)
			if !ok || n > 1<<30 {
				return 0, false, errResponse
			}
			length = n
		case asciiEqualFold(name, "Transfer-Encoding"):
			return 0, false, errChunked
		case asciiEqualFold(name, "Connection"):
			keep = !asciiEqualFold(value, "close")
		}
	}
	if _, err := c.br.Discard(length); err != nil {
		return 0, false, err
	}
	return code, keep, nil
}

func (c *loadConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// digits reads a decimal number of at most 10 digits.
func digits(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// asciiEqualFold reports whether b equals s ignoring ASCII case.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
