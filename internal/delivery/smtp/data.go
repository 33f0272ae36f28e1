package smtp

import (
	"bytes"

	gsmtp "github.com/wneessen/go-mail/smtp"
)

// appendData appends msg to dst as the data of an SMTP DATA command
// (RFC 5321 §4.5.2): lines end in CRLF (a bare LF becomes CRLF), a line
// starting with a dot gets a second one, and the data ends with the
// line holding a single dot. It writes exactly what textproto's
// DotWriter writes for msg; doing it before a connection is taken keeps
// the byte-at-a-time work off the connection, and the data then goes out
// in one write instead of one per 4 KB buffer.
func appendData(dst, msg []byte) []byte {
	const (
		begin = iota
		beginLine
		inLine
		afterCR
	)
	state := begin
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		switch state {
		case afterCR:
			state = inLine
			if c == '\n' {
				state = beginLine
			}
			dst = append(dst, c)
			continue
		case begin, beginLine:
			state = inLine
			if c == '.' {
				dst = append(dst, '.')
			}
		}
		switch c {
		case '\r':
			state = afterCR
		case '\n':
			dst = append(dst, '\r')
			state = beginLine
		default:
			// the rest of the line in one copy
			k := bytes.IndexByte(msg[i:], '\n')
			if k < 0 {
				k = len(msg) - i
			}
			if r := bytes.IndexByte(msg[i:i+k], '\r'); r >= 0 {
				k = r
			}
			dst = append(dst, msg[i:i+k]...)
			i += k - 1
			continue
		}
		dst = append(dst, c)
	}
	switch state {
	case begin, inLine:
		dst = append(dst, '\r', '\n')
	case afterCR:
		dst = append(dst, '\n')
	}
	return append(dst, '.', '\r', '\n')
}

// writeData runs the DATA command on sc with data prepared by appendData
// and returns the server's reply to its end. It speaks through sc's
// textproto connection (TLS included) but not its DotWriter, so nothing
// is left for sc to close later.
func writeData(sc *gsmtp.Client, data []byte) (string, stage, error) {
	t := sc.Text
	id, err := t.Cmd("DATA")
	if err != nil {
		return "", atData, err
	}
	t.StartResponse(id)
	_, _, err = t.ReadResponse(354)
	t.EndResponse(id)
	if err != nil {
		return "", atData, err
	}
	if _, err := t.W.Write(data); err != nil {
		return "", atDot, err
	}
	if err := t.W.Flush(); err != nil {
		return "", atDot, err
	}
	_, resp, err := t.ReadResponse(250)
	if err != nil {
		return "", atDot, err
	}
	return resp, atDot, nil
}
