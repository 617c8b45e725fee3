package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"time"

	"github.com/powerchain/powerchain/nut"
)

// writeTimeout bounds one reply's write: a client that stops reading is
// dropped instead of holding its session forever.
const writeTimeout = 10 * time.Second

type session struct {
	s        *Server
	conn     net.Conn // nil while a ring serves the session
	addr     string
	user     string
	pass     string
	hasUser  bool
	hasPass  bool
	loginUPS string
	tracking bool
	tls      bool
	// in[start:n] are the bytes received and not yet answered; len(in)
	// is the longest request the session accepts.
	in       []byte
	start, n int
	out      []byte
	words    []string
	// now is when the batch of requests being answered was read: one
	// clock reading serves the staleness checks and the write deadline.
	now time.Time
	// heard is when the client last completed a request (or connected).
	heard time.Time
	// deadline and readDeadline are the deadlines last set on conn.
	deadline, readDeadline time.Time
}

// newSession registers a session; conn is nil for one a ring serves.
func (s *Server) newSession(conn net.Conn, addr string) *session {
	now := time.Now()
	ss := &session{s: s, conn: conn, addr: addr, in: make([]byte, s.limits().MaxLine), now: now, heard: now}
	s.mu.Lock()
	s.sessions[ss] = struct{}{}
	s.mu.Unlock()
	return ss
}

// endSession forgets a session and closes its connection (a ring closes
// its own).
func (s *Server) endSession(ss *session) {
	s.mu.Lock()
	delete(s.sessions, ss)
	s.mu.Unlock()
	if ss.conn != nil {
		ss.conn.Close()
	}
	s.conns.Add(-1)
}

// Why answer stopped.
type pause int

const (
	needMore  pause = iota // no complete request in the buffer
	batchFull              // a batch is answered: send its replies first
	quit                   // the session ends once the replies are out
	handOver               // the next request may block: a ring hands the session to a goroutine
)

// answer answers the complete requests in the session's buffer, a batch
// at most (Limits.MaxPipelined requests, or replyCap bytes of replies),
// appending the replies to ss.out. On a ring (onRing) it stops before a
// request that may block, leaving it in the buffer.
func (ss *session) answer(ctx context.Context, onRing bool) pause {
	ss.now = time.Now()
	lim := ss.s.limits()
	for k := 0; ; k++ {
		if k >= lim.MaxPipelined || len(ss.out) >= replyCap {
			return batchFull
		}
		b := ss.in[ss.start:ss.n]
		m := nut.RequestLen(b)
		if m < 0 {
			if len(b) < len(ss.in) {
				return needMore
			}
			ss.s.warn("request too long; closing the connection", "from", ss.addr, "limit", len(ss.in))
			ss.err(nut.ErrTooLong)
			return quit
		}
		words, err := nut.AppendWords(ss.words[:0], b[:m])
		ss.words = words
		if onRing && len(words) > 0 && mayBlock(words[0]) {
			return handOver
		}
		ss.start += m
		ss.heard = ss.now
		switch {
		case err != nil:
			// NUT's upsd answers nothing to a request its parser refuses.
			ss.s.warn("unparsable request ignored", "from", ss.addr, "err", err)
		case len(words) == 0:
			ss.err(nut.ErrUnknownCommand)
		case ss.dispatch(ctx, words):
			return quit
		}
	}
}

// compact moves the unanswered bytes to the front of the buffer.
func (ss *session) compact() {
	if ss.start > 0 {
		ss.n = copy(ss.in, ss.in[ss.start:ss.n])
		ss.start = 0
	}
}

// serveSession answers a session's requests in a goroutine until the
// client leaves; a reply a ring had begun goes out first.
func (s *Server) serveSession(ctx context.Context, ss *session) {
	defer s.endSession(ss)
	if !ss.flush() {
		return
	}
	for ctx.Err() == nil {
		p := ss.answer(ctx, false)
		if !ss.flush() || p == quit {
			return
		}
		switch {
		case p == batchFull:
			// Let the other sessions have their turn.
			runtime.Gosched()
		case ss.start == ss.n:
			// A client that waits for each reply (all of NUT's do) has
			// nothing more to read yet: letting the other sessions run
			// first makes the next read find its request instead of
			// costing an empty read syscall and a park per request under
			// load (10-15% more GET VAR/s with 10-1,000 saturating
			// clients; the price is a longer p99 tail then, as yielded
			// sessions queue behind others).
			runtime.Gosched()
			fallthrough
		default:
			if !ss.read() {
				return
			}
		}
	}
}

// read receives more of the client's bytes. It gives up when the client
// has completed no request for the idle timeout.
func (ss *session) read() bool {
	ss.compact()
	idle := ss.s.limits().IdleTimeout
	for {
		// Moving the deadline costs a timer update: it moves only when
		// it has fallen behind by an eighth of the idle time.
		if due := ss.heard.Add(idle); due.Sub(ss.readDeadline) > idle/8 {
			ss.readDeadline = due
			ss.conn.SetReadDeadline(due)
		}
		m, err := ss.conn.Read(ss.in[ss.n:])
		if m > 0 {
			ss.n += m
			return true
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if time.Since(ss.heard) < idle {
				ss.readDeadline = time.Time{} // a request came since it was set
				continue
			}
			ss.s.warn("idle client disconnected", "from", ss.addr, "idle", idle)
		}
		return false
	}
}

func hostOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return h
}

func (ss *session) reply(s string) { ss.out = append(ss.out, s...) }

func (ss *session) replyf(format string, args ...any) { ss.out = fmt.Appendf(ss.out, format, args...) }

func (ss *session) err(e nut.Error) { ss.out = append(append(append(ss.out, "ERR "...), e...), '\n') }

// flush sends the pending reply in one write.
func (ss *session) flush() bool {
	if len(ss.out) == 0 {
		return true
	}
	// Moving the deadline costs a timer update; at tens of thousands of
	// replies a second that shows, so it moves at most once a second
	// (a stuck client is dropped after writeTimeout-1s to writeTimeout).
	now := ss.now
	if ss.deadline.Sub(now) < writeTimeout-time.Second {
		ss.deadline = now.Add(writeTimeout)
		ss.conn.SetWriteDeadline(ss.deadline)
	}
	_, err := ss.conn.Write(ss.out)
	ss.sent()
	if errors.Is(err, os.ErrDeadlineExceeded) {
		ss.s.warn("client not reading its replies disconnected", "from", ss.addr, "timeout", writeTimeout)
	}
	return err == nil
}

// sent empties the reply buffer once its bytes are out, keeping it for
// the next reply unless a big LIST grew it.
func (ss *session) sent() {
	if cap(ss.out) > replyCap {
		ss.out = nil
	} else {
		ss.out = ss.out[:0]
	}
}
