package trackingbench

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLoadConn reads real net/http answers: a redirect without a body, a
// body framed by Content-Length, a server that closes the connection
// (the next request redials) and a chunked body (an error).
func TestLoadConn(t *testing.T) {
	var uas []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uas = append(uas, r.UserAgent())
		switch r.URL.Path {
		case "/r":
			w.Header().Set("Location", "https://shop.example/")
			w.WriteHeader(http.StatusFound)
		case "/body":
			w.Header().Set("Content-Length", "5")
			w.Write([]byte("hello"))
		case "/close":
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusNoContent)
		case "/chunked":
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(strings.Repeat("x", 5000)))
			w.(http.Flusher).Flush()
			w.Write([]byte("y"))
		}
	}))
	defer srv.Close()
	c := newLoadConn(strings.TrimPrefix(srv.URL, "http://"), userAgent)
	defer c.close()
	for i, tc := range []struct {
		path string
		code int
		err  bool
	}{{"/r", 302, false}, {"/body", 200, false}, {"/r", 302, false}, {"/close", 204, false}, {"/r", 302, false},
		{"/chunked", 0, true}, {"/body", 200, false}} {
		code, err := c.get(tc.path)
		if (err != nil) != tc.err || (!tc.err && code != tc.code) {
			t.Fatalf("request %d %s: %d, %v", i, tc.path, code, err)
		}
	}
	if len(uas) != 7 || uas[0] != userAgent {
		t.Errorf("user agents seen: %q", uas)
	}
}

// TestLoadConnAllocs: against a peer that answers every request with the
// same bytes (and allocates nothing itself), a request allocates nothing.
func TestLoadConnAllocs(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		br := bufio.NewReader(conn)
		answer := []byte("HTTP/1.1 302 Found\r\nLocation: https://shop.example/\r\nContent-Length: 0\r\n\r\n")
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				return
			}
			if len(line) == 2 {
				if _, err := conn.Write(answer); err != nil {
					return
				}
			}
		}
	}()
	c := newLoadConn(ln.Addr().String(), userAgent)
	defer c.close()
	allocs := testing.AllocsPerRun(500, func() {
		if code, err := c.get("/t/c/abc"); err != nil || code != 302 {
			t.Fatal(code, err)
		}
	})
	if allocs != 0 {
		t.Errorf("a request allocates %v times", allocs)
	}
}
