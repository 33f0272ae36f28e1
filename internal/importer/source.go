package importer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// encodings are the --encoding names understood besides UTF-8.
var encodings = map[string]encoding.Encoding{
	"gbk":          simplifiedchinese.GBK,
	"gb2312":       simplifiedchinese.GBK, // GBK is a superset
	"gb18030":      simplifiedchinese.GB18030,
	"big5":         traditionalchinese.Big5,
	"latin1":       charmap.ISO8859_1,
	"iso-8859-1":   charmap.ISO8859_1,
	"windows-1252": charmap.Windows1252,
	"cp1252":       charmap.Windows1252,
	"utf-16":       unicode.UTF16(unicode.LittleEndian, unicode.UseBOM),
}

// EncodingNames lists the accepted --encoding values.
func EncodingNames() []string {
	return []string{"utf-8", "gbk", "gb18030", "big5", "latin1", "windows-1252", "utf-16"}
}

// countingReader counts the bytes read from the file itself (compressed
// bytes for gzip), which is what a progress bar over the file size needs.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// source is an opened input: decompressed, decoded to UTF-8, BOM removed.
type source struct {
	r       *bufio.Reader
	counter *countingReader
	size    int64 // file size in bytes, -1 when unknown
	closers []io.Closer
}

func (s *source) Close() error {
	var err error
	for i := len(s.closers) - 1; i >= 0; i-- {
		if cerr := s.closers[i].Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// openSource opens path (or uses in when not nil), decompressing gzip
// (recognised by its magic bytes, whatever the name) and converting from
// enc to UTF-8.
func openSource(path string, in io.Reader, enc string) (*source, error) {
	s := &source{size: -1}
	if in == nil {
		f, err := os.Open(path)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "cannot open %s", path)
		}
		s.closers = append(s.closers, f)
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			s.size = st.Size()
		}
		in = f
	}
	s.counter = &countingReader{r: in}
	br := bufio.NewReaderSize(s.counter, 256<<10)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			s.Close()
			return nil, apperr.Wrap(err, apperr.Invalid, "%s looks gzip-compressed but cannot be read", path)
		}
		s.closers = append(s.closers, zr)
		r = zr
	}
	switch e := strings.ToLower(strings.TrimSpace(enc)); e {
	case "", "utf-8", "utf8":
	default:
		codec, ok := encodings[e]
		if !ok {
			s.Close()
			return nil, apperr.New(apperr.Invalid, "unknown --encoding %q (use one of %s)", enc, strings.Join(EncodingNames(), ", "))
		}
		r = transform.NewReader(r, codec.NewDecoder())
	}
	s.r = bufio.NewReaderSize(r, 256<<10)
	// A UTF-8 byte order mark would otherwise become part of the first
	// column's name.
	if bom, _ := s.r.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		s.r.Discard(3)
	}
	return s, nil
}
