package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/nut"
)

// scripted is a connection whose server side is a fixed byte stream; what
// the client writes is kept.
type scripted struct {
	r      *bytes.Reader
	w      bytes.Buffer
	closed bool
}

func newScripted(reply string) *scripted { return &scripted{r: bytes.NewReader([]byte(reply))} }

func (s *scripted) Read(b []byte) (int, error) {
	if s.closed {
		return 0, net.ErrClosed
	}
	return s.r.Read(b)
}

func (s *scripted) Write(b []byte) (int, error) {
	if s.closed {
		return 0, net.ErrClosed
	}
	return s.w.Write(b)
}

func (s *scripted) Close() error                     { s.closed = true; return nil }
func (s *scripted) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (s *scripted) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 3493} }
func (s *scripted) SetDeadline(time.Time) error      { return nil }
func (s *scripted) SetReadDeadline(time.Time) error  { return nil }
func (s *scripted) SetWriteDeadline(time.Time) error { return nil }

// TestControlCharacters: no method sends a word holding a control
// character (a newline would end the request and run the rest as a second
// command); the error says which value and why, and nothing is written.
func TestControlCharacters(t *testing.T) {
	const inject = "30\nSET VAR ups1 battery.charge.low 7"
	calls := []struct {
		name string
		call func(context.Context, *Client) error
	}{
		{"Set value", func(ctx context.Context, c *Client) error { return c.Set(ctx, "ups1", "ups.delay.start", inject) }},
		{"Set name", func(ctx context.Context, c *Client) error { return c.Set(ctx, "ups1", "ups.delay.start\r", "30") }},
		{"Set device", func(ctx context.Context, c *Client) error { return c.Set(ctx, "ups1\x00", "ups.delay.start", "30") }},
		{"InstCmd", func(ctx context.Context, c *Client) error { return c.InstCmd(ctx, "ups1", "load.off\nFSD ups1") }},
		{"InstCmd parameter", func(ctx context.Context, c *Client) error { return c.InstCmd(ctx, "ups1", "load.off.delay", "5\t") }},
		{"Command", func(ctx context.Context, c *Client) error {
			_, err := c.Command(ctx, "GET", "VAR", "ups1", "x\x7f")
			return err
		}},
		{"Get", func(ctx context.Context, c *Client) error {
			_, err := c.Get(ctx, "ups1", "ups.status\nLOGOUT")
			return err
		}},
		{"Vars", func(ctx context.Context, c *Client) error { _, err := c.Vars(ctx, "ups1\n"); return err }},
		{"Authenticate user", func(ctx context.Context, c *Client) error { return c.Authenticate(ctx, "admin\nX", "pw") }},
		{"Authenticate password", func(ctx context.Context, c *Client) error { return c.Authenticate(ctx, "admin", "pw\x1b") }},
	}
	for _, tc := range calls {
		conn := newScripted("OK\nOK\nOK\n")
		c := NewClient(conn)
		err := tc.call(context.Background(), c)
		if !errors.Is(err, ErrControlChar) {
			t.Errorf("%s: err %v, want ErrControlChar", tc.name, err)
			continue
		}
		if !strings.Contains(err.Error(), "control character U+") {
			t.Errorf("%s: unclear error %q", tc.name, err)
		}
		if tc.name != "Authenticate password" && conn.w.Len() != 0 {
			t.Errorf("%s: sent %q", tc.name, conn.w.String())
		}
		if tc.name == "Authenticate password" && strings.Contains(conn.w.String(), "PASSWORD") {
			t.Errorf("%s: sent %q", tc.name, conn.w.String())
		}
	}
	// What may be sent still is: quotes, backslashes, #, spaces, UTF-8.
	conn := newScripted("OK\n")
	if err := NewClient(conn).Set(context.Background(), "ups1", "ups.id", `rack "7" \ #2 – é`); err != nil {
		t.Fatal(err)
	}
	if got, want := conn.w.String(), `SET VAR ups1 ups.id "rack \"7\" \\ \#2 – é"`+"\n"; got != want {
		t.Errorf("sent %q, want %q", got, want)
	}
}

// TestTimeouts: a server that accepts and never answers ends each request
// with a timeout error (the Dialer's bound, or the context's when it is
// earlier), the connection is closed, and later requests get the same
// error.
func TestTimeouts(t *testing.T) {
	addr := nuttest.SilentServer(t)
	d := &Dialer{Timeout: 100 * time.Millisecond, CommandTimeout: 150 * time.Millisecond}
	c, err := d.Dial(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(context.Background(), "ups1", "ups.status")
	if !errors.Is(err, os.ErrDeadlineExceeded) || !strings.Contains(err.Error(), "no reply in time") {
		t.Fatalf("Get from a silent server: %v", err)
	}
	if _, err2 := c.Vars(context.Background(), "ups1"); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("after a timeout: %v, want %v", err2, err)
	}
	for name, call := range map[string]func(context.Context, *Client) error{
		"InstCmd": func(ctx context.Context, c *Client) error { return c.InstCmd(ctx, "ups1", "load.off") },
		"List":    func(ctx context.Context, c *Client) error { _, err := c.ListUPS(ctx); return err },
	} {
		c, err := d.Dial(context.Background(), addr)
		if err != nil {
			t.Fatal(err)
		}
		if err := call(context.Background(), c); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("%s: %v", name, err)
		}
		// The context's deadline, when earlier, is the one reported.
		c, _ = (&Dialer{Timeout: time.Hour, CommandTimeout: time.Hour}).Dial(context.Background(), addr)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		if err := call(ctx, c); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s with a context deadline: %v", name, err)
		}
		cancel()
	}
}

// TestHostileReplies: replies that would grow a client without bound end
// the request with an error.
func TestHostileReplies(t *testing.T) {
	var many strings.Builder
	many.WriteString("BEGIN LIST UPS\n")
	for i := 0; i <= MaxListItems; i++ {
		fmt.Fprintf(&many, "UPS u%d \"\"\n", i)
	}
	for name, tc := range map[string]struct {
		reply string
		call  func(context.Context, *Client) error
		want  string
	}{
		"long line": {strings.Repeat("x", MaxReplyLine+1) + "\n",
			func(ctx context.Context, c *Client) error { _, err := c.Get(ctx, "u", "v"); return err }, "longer than"},
		"endless list": {many.String(),
			func(ctx context.Context, c *Client) error { _, err := c.ListUPS(ctx); return err }, "more than"},
		"bad list line": {"BEGIN LIST UPS\n\n",
			func(ctx context.Context, c *Client) error { _, err := c.ListUPS(ctx); return err }, "bad line"},
		"wrong list": {"BEGIN LIST VAR x\n",
			func(ctx context.Context, c *Client) error { _, err := c.ListUPS(ctx); return err }, "unexpected reply"},
		"eof": {"BEGIN LIST UPS\n",
			func(ctx context.Context, c *Client) error { _, err := c.ListUPS(ctx); return err }, "EOF"},
	} {
		conn := newScripted(tc.reply)
		err := tc.call(context.Background(), NewClient(conn))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
		if !conn.closed {
			t.Errorf("%s: the connection stays open after a broken reply", name)
		}
	}
	// An ERR reply to a LIST is the server's answer, not a broken stream.
	conn := newScripted("ERR UNKNOWN-UPS\nBEGIN LIST UPS\nEND LIST UPS\n")
	c := NewClient(conn)
	if _, err := c.Vars(context.Background(), "nope"); !errors.Is(err, nut.ErrUnknownUPS) {
		t.Errorf("ERR to LIST: %v", err)
	}
	if _, err := c.ListUPS(context.Background()); err != nil || conn.closed {
		t.Errorf("after ERR: %v (closed %v)", err, conn.closed)
	}
}
