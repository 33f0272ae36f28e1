package deliverytest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"time"
)

// Action is what the server does with one message once its data is read.
type Action struct {
	// Code, Enhanced and Text make the reply; Code 0 accepts (250 2.0.0).
	// A 421 reply closes the connection after it, as RFC 5321 says.
	Code     int
	Enhanced string
	Text     string
	// Drop closes the connection without a reply. The message was
	// received and is stored: this is the window in which the peer has a
	// message the sender cannot know it delivered, so a retry arrives with
	// the same Message-ID.
	Drop bool
	// Stall holds the reply until the client gives up and disconnects (or
	// the server closes, or StallFor passes when it is set).
	Stall    bool
	StallFor time.Duration
}

// Faults are the scripted failures of an SMTPServer, drawn per message
// from a seeded generator. Rates are probabilities in [0, 1].
type Faults struct {
	// Replies maps an SMTP code (421, 451, 454, 550 …) to the share of
	// messages answered with it after their data.
	Replies map[int]float64
	// Drop is the share of messages whose connection is closed after the
	// data, without a reply (the message is stored).
	Drop float64
	// DropAtMail is the share of transactions whose connection is closed
	// at MAIL FROM (nothing is stored).
	DropAtMail float64
	// Stall is the share of messages whose reply is held (Action.Stall).
	Stall float64
	// Seed makes the draws repeatable.
	Seed uint64
}

// Envelope is one transaction as the server saw it.
type Envelope struct {
	Seq       int // 1-based order of the message's data at the server
	Conn      int // 1-based number of the connection it came on
	From      string
	To        []string
	MessageID string // without angle brackets
}

// Received is a message the server stored: accepted with 250, or
// received and then dropped (Action.Drop).
type Received struct {
	Envelope
	Accepted bool
	Data     []byte // the message, when the server keeps data
	At       time.Time
}

// SMTPStats are an SMTPServer's counts.
type SMTPStats struct {
	Connections    int         // accepted connections
	MaxConcurrent  int         // most connections open at once
	MaxPerConn     int         // most messages received on one connection
	Messages       int         // message data received (accepted, refused or dropped)
	Bytes          int64       // size of that data, as the client sent it less dot-stuffing
	Accepted       int         // answered 250
	Stored         int         // accepted + dropped after the data
	Distinct       int         // distinct Message-IDs stored
	Repeated       int         // stored messages whose Message-ID was stored before
	Replies        map[int]int // replies other than 250 to messages, by code
	Drops          int
	Stalls         int
	RefusedWhileDn int // connections refused while down with a greeting (DownGreeting)
	// Pipelined counts commands that arrived with more commands behind
	// them, before their reply was sent (RFC 2920 PIPELINING)
	Pipelined int
}

// SMTPServer is a fault-injecting SMTP server on a loopback port. It
// speaks enough ESMTP for real clients (EHLO, MAIL, RCPT, DATA, RSET,
// NOOP, QUIT, AUTH PLAIN/LOGIN, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES,
// SIZE, PIPELINING) and applies Faults, per-recipient rejections (Reject), a custom
// decision (Decide) and down periods (SetDown). It counts what it got by
// Message-ID, so tests can check nothing was lost and nothing doubled.
type SMTPServer struct {
	// Addr is host:port to connect to.
	Addr string

	mu       sync.Mutex
	ln       net.Listener
	faults   Faults
	rng      *rand.Rand
	decide   func(Envelope) Action
	rejects  []reject
	auth     map[string]string
	keep     bool
	noPipe   bool // do not offer PIPELINING
	sample   int  // keep the data of the first sample stored messages
	down     bool
	greet421 bool
	closed   bool
	conns    map[net.Conn]struct{}
	connSeq  int
	seq      int
	stats    SMTPStats
	ids      map[string]int
	received []Received
	quit     chan struct{}
	wg       sync.WaitGroup
}

type reject struct {
	match         func(string) bool
	code          int
	enhanced, txt string
	atData        bool // refuse the DATA command, not the RCPT
}

// SMTPOption configures an SMTPServer.
type SMTPOption func(*SMTPServer)

// WithFaults sets the scripted faults.
func WithFaults(f Faults) SMTPOption { return func(s *SMTPServer) { s.SetFaults(f) } }

// WithKeepData makes the server keep each stored message's data (off by
// default, so that a benchmark sink does not grow).
func WithKeepData() SMTPOption { return func(s *SMTPServer) { s.keep = true } }

// WithKeepSample makes the server keep the data of the first n stored
// messages only: a benchmark sink that shows what was sent without
// growing with the run.
func WithKeepSample(n int) SMTPOption { return func(s *SMTPServer) { s.sample = n } }

// WithoutPipelining makes the server not offer PIPELINING (RFC 2920), as
// Mailpit does not: clients then wait for each reply. By default it
// offers it, as Postfix and the large mailbox providers do, reads
// commands in order from its buffer and sends their replies together
// once it has read every command a client sent at once.
func WithoutPipelining() SMTPOption { return func(s *SMTPServer) { s.noPipe = true } }

// WithAuth makes the server offer AUTH PLAIN and LOGIN and require it.
func WithAuth(user, pass string) SMTPOption {
	return func(s *SMTPServer) { s.auth = map[string]string{user: pass} }
}

// WithDecide sets a function that decides each message's fate after its
// data; it overrides Faults. It is called with the server's lock held
// released, and may block.
func WithDecide(fn func(Envelope) Action) SMTPOption { return func(s *SMTPServer) { s.decide = fn } }

// NewSMTPServer starts a server on 127.0.0.1 and a free port. Close it
// when done (tests: t.Cleanup(s.Close)).
func NewSMTPServer(opts ...SMTPOption) (*SMTPServer, error) {
	s := &SMTPServer{conns: map[net.Conn]struct{}{}, ids: map[string]int{}, quit: make(chan struct{}),
		rng: rand.New(rand.NewPCG(1, 2))}
	s.stats.Replies = map[int]int{}
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.ln, s.Addr = ln, ln.Addr().String()
	s.wg.Add(1)
	go s.serve(ln)
	return s, nil
}

// SetFaults replaces the scripted faults (and reseeds the generator).
func (s *SMTPServer) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.rng = rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))
}

// Reject answers RCPT TO for addresses that match (an exact address, or
// a suffix starting with "@" for a whole domain, or a prefix ending with
// "@" such as "unknown@") with code, e.g. 550 5.1.1 "user unknown".
func (s *SMTPServer) Reject(pattern string, code int, enhanced, text string) {
	s.addReject(pattern, code, enhanced, text, false)
}

// RejectData accepts RCPT TO for addresses that match (as in Reject) but
// answers the DATA command of their transaction with code, as a server
// with data-stage restrictions does (e.g. 451 4.7.1 greylisted); the
// transaction stays open until the client sends RSET.
func (s *SMTPServer) RejectData(pattern string, code int, enhanced, text string) {
	s.addReject(pattern, code, enhanced, text, true)
}

func (s *SMTPServer) addReject(pattern string, code int, enhanced, text string, atData bool) {
	p := strings.ToLower(pattern)
	m := func(a string) bool {
		a = strings.ToLower(a)
		switch {
		case strings.HasPrefix(p, "@"):
			return strings.HasSuffix(a, p)
		case strings.HasSuffix(p, "@"):
			return strings.HasPrefix(a, p)
		}
		return a == p
	}
	s.mu.Lock()
	s.rejects = append(s.rejects, reject{m, code, enhanced, text, atData})
	s.mu.Unlock()
}

// SetDown takes the server down or brings it back. Down closes every
// open connection and the listener, so new connections are refused, as
// with a crashed or unreachable server; up listens on the same address
// again.
func (s *SMTPServer) SetDown(down bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || down == s.down {
		return nil
	}
	s.down = down
	if down {
		s.ln.Close()
		for c := range s.conns {
			c.Close()
		}
		return nil
	}
	var ln net.Listener
	var err error
	for range 50 { // the port was just ours; a TIME_WAIT rarely delays it
		if ln, err = net.Listen("tcp", s.Addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("deliverytest: listen again on %s: %w", s.Addr, err)
	}
	s.ln = ln
	s.wg.Add(1)
	go s.serve(ln)
	return nil
}

// SetGreeting421 makes the server greet new connections with "421 4.3.2
// service not available" and close them (a server that is up but
// refusing work), or greet normally again.
func (s *SMTPServer) SetGreeting421(on bool) {
	s.mu.Lock()
	s.greet421 = on
	s.mu.Unlock()
}

// Close stops the server and closes every connection.
func (s *SMTPServer) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.quit)
	s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// Stats returns a snapshot of the counts.
func (s *SMTPServer) Stats() SMTPStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Replies = make(map[int]int, len(s.stats.Replies))
	for k, v := range s.stats.Replies {
		st.Replies[k] = v
	}
	st.Distinct = len(s.ids)
	return st
}

// Received returns the stored messages in order.
func (s *SMTPServer) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// IDs returns how often each Message-ID was stored.
func (s *SMTPServer) IDs() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.ids))
	for k, v := range s.ids {
		out[k] = v
	}
	return out
}

func (s *SMTPServer) serve(ln net.Listener) {
	defer s.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed || s.down {
			s.mu.Unlock()
			c.Close()
			continue
		}
		s.connSeq++
		n := s.connSeq
		s.conns[c] = struct{}{}
		s.stats.Connections++
		s.stats.MaxConcurrent = max(s.stats.MaxConcurrent, len(s.conns))
		g421 := s.greet421
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			if g421 {
				s.mu.Lock()
				s.stats.RefusedWhileDn++
				s.mu.Unlock()
				io.WriteString(c, "421 4.3.2 deliverytest: service not available, closing channel\r\n")
				return
			}
			s.session(c, n)
		}()
	}
}

const maxLine = 4096

type session struct {
	s        *SMTPServer
	c        net.Conn
	r        *bufio.Reader
	w        *bufio.Writer
	conn     int
	helo     bool
	authed   bool
	from     string
	to       []string
	messages int
	pipe     bool // PIPELINING offered: replies wait while commands are buffered
}

func (s *SMTPServer) session(c net.Conn, n int) {
	ss := &session{s: s, c: c, r: bufio.NewReaderSize(c, 64<<10), w: bufio.NewWriterSize(c, 4<<10), conn: n, pipe: !s.noPipe}
	defer ss.w.Flush() // replies held for commands that never came
	ss.reply("220 deliverytest ESMTP ready")
	for {
		c.SetReadDeadline(time.Now().Add(5 * time.Minute))
		line, err := ss.readLine()
		if err != nil {
			return
		}
		if ss.pipe && ss.r.Buffered() > 0 {
			s.count(func(st *SMTPStats) { st.Pipelined++ })
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			ss.helo = true
			ss.reset()
			ext := []string{"250-deliverytest greets " + arg, "250-8BITMIME", "250-SMTPUTF8", "250-ENHANCEDSTATUSCODES", "250-SIZE 52428800"}
			if ss.pipe {
				ext = append(ext, "250-PIPELINING")
			}
			if s.auth != nil {
				ext = append(ext, "250-AUTH PLAIN LOGIN")
			}
			ext = append(ext, "250 HELP")
			ss.reply(strings.Join(ext, "\r\n"))
		case "HELO":
			ss.helo = true
			ss.reset()
			ss.reply("250 deliverytest")
		case "AUTH":
			ss.authenticate(arg)
		case "MAIL":
			switch {
			case !ss.helo:
				ss.reply("503 5.5.1 say EHLO first")
			case s.auth != nil && !ss.authed:
				ss.reply("530 5.7.0 authentication required")
			case ss.from != "":
				ss.reply("503 5.5.1 nested MAIL command")
			default:
				if s.draw(func(f Faults) float64 { return f.DropAtMail }) {
					s.count(func(st *SMTPStats) { st.Drops++ })
					return
				}
				ss.from = addrArg(arg, "FROM:")
				ss.reply("250 2.1.0 sender ok")
			}
		case "RCPT":
			if ss.from == "" {
				ss.reply("503 5.5.1 need MAIL first")
				continue
			}
			rcpt := addrArg(arg, "TO:")
			if rj, ok := s.rejected(rcpt, false); ok {
				ss.reply(fmt.Sprintf("%d %s %s", rj.code, rj.enhanced, rj.txt))
				continue
			}
			ss.to = append(ss.to, rcpt)
			ss.reply("250 2.1.5 recipient ok")
		case "DATA":
			if len(ss.to) == 0 {
				ss.reply("503 5.5.1 need RCPT first")
				continue
			}
			if rj, ok := s.rejected(ss.to[0], true); ok {
				ss.reply(fmt.Sprintf("%d %s %s", rj.code, rj.enhanced, rj.txt))
				continue
			}
			ss.reply("354 end data with <CR><LF>.<CR><LF>")
			if !ss.data() {
				return
			}
		case "RSET":
			ss.reset()
			ss.reply("250 2.0.0 ok")
		case "NOOP":
			ss.reply("250 2.0.0 ok")
		case "VRFY":
			ss.reply("252 2.5.2 cannot verify")
		case "QUIT":
			ss.reply("221 2.0.0 bye")
			return
		case "STARTTLS":
			ss.reply("502 5.5.1 TLS is not offered here")
		default:
			ss.reply("500 5.5.2 command not recognised")
		}
	}
}

func (ss *session) reset() { ss.from, ss.to = "", nil }

// reply sends s, or with PIPELINING holds it while more of the client's
// commands are buffered, so that the replies to commands sent at once go
// back at once (RFC 2920 §3.2).
func (ss *session) reply(s string) {
	ss.w.WriteString(s)
	ss.w.WriteString("\r\n")
	if !ss.pipe || ss.r.Buffered() == 0 {
		ss.w.Flush()
	}
}

func (ss *session) readLine() (string, error) {
	b, err := ss.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) || len(b) > maxLine {
		return "", errors.New("line too long")
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func (ss *session) authenticate(arg string) {
	s := ss.s
	if s.auth == nil {
		ss.reply("502 5.5.1 AUTH not offered")
		return
	}
	mech, rest, _ := strings.Cut(arg, " ")
	var user, pass string
	switch strings.ToUpper(mech) {
	case "PLAIN":
		if rest == "" {
			ss.reply("334 ")
			rest, _ = ss.readLine()
		}
		b, err := base64.StdEncoding.DecodeString(rest)
		parts := strings.Split(string(b), "\x00")
		if err != nil || len(parts) != 3 {
			ss.reply("501 5.5.2 bad PLAIN response")
			return
		}
		user, pass = parts[1], parts[2]
	case "LOGIN":
		ss.reply("334 VXNlcm5hbWU6")
		u, _ := ss.readLine()
		ss.reply("334 UGFzc3dvcmQ6")
		p, _ := ss.readLine()
		ub, _ := base64.StdEncoding.DecodeString(u)
		pb, _ := base64.StdEncoding.DecodeString(p)
		user, pass = string(ub), string(pb)
	default:
		ss.reply("504 5.5.4 mechanism not supported")
		return
	}
	if want, ok := s.auth[user]; !ok || want != pass {
		ss.reply("535 5.7.8 authentication credentials invalid")
		return
	}
	ss.authed = true
	ss.reply("235 2.7.0 authentication succeeded")
}

// data reads a message and applies its fate; false ends the session.
func (ss *session) data() bool {
	s := ss.s
	var buf bytes.Buffer
	var msgID string
	var size int64
	inHeader := true
	s.mu.Lock()
	keep := s.keep || len(s.received) < s.sample
	s.mu.Unlock()
	for {
		ss.c.SetReadDeadline(time.Now().Add(5 * time.Minute))
		b, err := ss.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A very long line: keep reading it.
			size += int64(len(b))
			if keep {
				buf.Write(b)
			}
			continue
		}
		if err != nil {
			return false
		}
		if len(b) == 3 && b[0] == '.' && b[1] == '\r' {
			break
		}
		if b[0] == '.' {
			b = b[1:]
		}
		if inHeader {
			if len(b) <= 2 {
				inHeader = false
			} else if msgID == "" && len(b) > 11 && strings.EqualFold(string(b[:11]), "Message-ID:") {
				msgID = strings.Trim(strings.TrimSpace(string(b[11:])), "<>")
			}
		}
		size += int64(len(b))
		if keep {
			buf.Write(b)
		}
	}
	ss.messages++
	s.mu.Lock()
	s.seq++
	s.stats.Bytes += size
	env := Envelope{Seq: s.seq, Conn: ss.conn, From: ss.from, To: ss.to, MessageID: msgID}
	s.stats.Messages++
	s.stats.MaxPerConn = max(s.stats.MaxPerConn, ss.messages)
	decide := s.decide
	var act Action
	if decide == nil {
		act = s.drawAction()
	}
	s.mu.Unlock()
	if decide != nil {
		act = decide(env)
	}
	ss.reset()
	store := func(accepted bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if accepted {
			s.stats.Accepted++
		}
		s.stats.Stored++
		if s.ids[env.MessageID] > 0 {
			s.stats.Repeated++
		}
		s.ids[env.MessageID]++
		r := Received{Envelope: env, Accepted: accepted, At: time.Now()}
		if keep && (s.keep || len(s.received) < s.sample) {
			r.Data = append([]byte(nil), buf.Bytes()...)
		}
		s.received = append(s.received, r)
	}
	if act.Stall {
		s.count(func(st *SMTPStats) { st.Stalls++ })
		var timeout <-chan time.Time
		if act.StallFor > 0 {
			t := time.NewTimer(act.StallFor)
			defer t.Stop()
			timeout = t.C
		}
		gone := make(chan struct{})
		var peekErr error
		go func() { // the client hanging up ends the stall
			ss.c.SetReadDeadline(time.Time{})
			_, peekErr = ss.r.Peek(1)
			close(gone)
		}()
		select {
		case <-gone:
			return false
		case <-s.quit:
			return false
		case <-timeout:
			ss.c.SetReadDeadline(time.Now()) // release the watcher
			<-gone
			var ne net.Error
			if !errors.As(peekErr, &ne) || !ne.Timeout() {
				return false
			}
			// The reader holds the deadline error; nothing was buffered.
			ss.r = bufio.NewReaderSize(ss.c, 64<<10)
		}
	}
	switch {
	case act.Drop:
		store(false)
		s.count(func(st *SMTPStats) { st.Drops++ })
		return false
	case act.Code == 0 || act.Code/100 == 2:
		store(true)
		ss.reply(fmt.Sprintf("250 2.0.0 ok: queued as Q%06d", env.Seq))
		return true
	default:
		s.count(func(st *SMTPStats) { st.Replies[act.Code]++ })
		enh, txt := act.Enhanced, act.Text
		if enh == "" {
			enh = defaultEnhanced(act.Code)
		}
		if txt == "" {
			txt = "deliverytest scripted failure"
		}
		ss.reply(fmt.Sprintf("%d %s %s", act.Code, enh, txt))
		return act.Code != 421
	}
}

func defaultEnhanced(code int) string {
	switch code {
	case 421:
		return "4.3.2"
	case 451:
		return "4.3.0"
	case 454:
		return "4.7.0"
	case 550:
		return "5.1.1"
	case 552:
		return "5.2.2"
	case 554:
		return "5.7.1"
	}
	if code/100 == 5 {
		return "5.0.0"
	}
	return "4.0.0"
}

// drawAction draws a message's fate from the faults; s.mu is held.
func (s *SMTPServer) drawAction() Action {
	f := s.faults
	x := s.rng.Float64()
	if x < f.Drop {
		return Action{Drop: true}
	}
	x -= f.Drop
	if x < f.Stall {
		return Action{Stall: true}
	}
	x -= f.Stall
	codes := make([]int, 0, len(f.Replies))
	for c := range f.Replies {
		codes = append(codes, c)
	}
	// a fixed order, so a seed gives the same script every run
	for i := 1; i < len(codes); i++ {
		for j := i; j > 0 && codes[j] < codes[j-1]; j-- {
			codes[j], codes[j-1] = codes[j-1], codes[j]
		}
	}
	for _, c := range codes {
		if x < f.Replies[c] {
			return Action{Code: c}
		}
		x -= f.Replies[c]
	}
	return Action{}
}

func (s *SMTPServer) draw(rate func(Faults) float64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := rate(s.faults)
	return r > 0 && s.rng.Float64() < r
}

func (s *SMTPServer) count(fn func(*SMTPStats)) {
	s.mu.Lock()
	fn(&s.stats)
	s.mu.Unlock()
}

func (s *SMTPServer) rejected(addr string, atData bool) (reject, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rejects {
		if r.atData == atData && r.match(addr) {
			return r, true
		}
	}
	return reject{}, false
}

// addrArg extracts the address of "FROM:<a@b> BODY=8BITMIME".
func addrArg(arg, prefix string) string {
	arg = strings.TrimSpace(arg)
	if len(arg) >= len(prefix) && strings.EqualFold(arg[:len(prefix)], prefix) {
		arg = strings.TrimSpace(arg[len(prefix):])
	}
	if i := strings.IndexByte(arg, '>'); strings.HasPrefix(arg, "<") && i > 0 {
		return arg[1:i]
	}
	a, _, _ := strings.Cut(arg, " ")
	return a
}
