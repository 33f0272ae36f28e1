package smtp

import (
	"bufio"
	"bytes"
	"net/textproto"
	"strings"
	"testing"
)

// TestAppendDataMatchesDotWriter checks that the data prepared before a
// connection is taken is byte for byte what textproto's DotWriter, which
// go-mail's DATA writer is, would send.
func TestAppendDataMatchesDotWriter(t *testing.T) {
	long := strings.Repeat("x", 5000)
	for _, in := range []string{
		"",
		"a",
		"a\r\n",
		"a\n",
		".",
		".\r\n",
		"..a\r\n.b\r\n",
		"a\r\n.\r\nb",
		"a\rb\r\n",
		"a\r",
		"a\r\r\n.x",
		"\n\n.\n",
		"Subject: x\r\n\r\n" + long + "\r\n." + long + "\n",
		"From: a@b.example\r\nTo: c@d.example\r\n\r\n你好\r\n.点\r\n",
	} {
		var want bytes.Buffer
		bw := bufio.NewWriter(&want)
		w := textproto.NewWriter(bw).DotWriter()
		if _, err := w.Write([]byte(in)); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		bw.Flush()
		if got := appendData(nil, []byte(in)); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("appendData(%q)\n got %q\nwant %q", in, got, want.Bytes())
		}
		// appending keeps what dst held
		if got := appendData([]byte("keep"), []byte(in)); !bytes.Equal(got, append([]byte("keep"), want.Bytes()...)) {
			t.Errorf("appendData(keep, %q) = %q", in, got)
		}
	}
}
