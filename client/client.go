// Package client talks to NUT servers — powerchain's or NUT's own upsd —
// with NUT's network protocol: the Go counterpart of NUT's PyNUTClient.
package client

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/nut"
)

// DefaultTimeout bounds connecting and each exchange with a server (a
// request and its whole reply) unless a Dialer says otherwise; a context's
// earlier deadline still wins. NUT's own clients give up on a server that
// stays silent for 5 seconds (DEFAULT_NETWORK_TIMEOUT).
const DefaultTimeout = 5 * time.Second

// DefaultCommandTimeout bounds the exchanges of SET VAR and INSTCMD, which
// powerchain's server answers only once the device's driver has acted
// (it gives a driver up to 15 s).
const DefaultCommandTimeout = 20 * time.Second

// Limits on what a server may send, so that a broken or hostile one cannot
// make a client grow without bound before its timeout.
const (
	// MaxReplyLine is the longest reply line accepted.
	MaxReplyLine = 64 << 10
	// MaxListItems is the most items a LIST reply may hold.
	MaxListItems = 100_000
)

// readBuffer holds most reply lines whole.
const readBuffer = 4 << 10

// ErrControlChar is wrapped by the error a request returns when one of its
// words holds a control character: a newline would end the request early
// and the rest would run as another command, so none is ever sent.
var ErrControlChar = errors.New("NUT requests cannot carry control characters")

// CheckWord reports whether s can be sent as a word of a request: it must
// not hold a control character (ASCII 0–31 or DEL). Every method checks
// its words with it; callers use it to refuse bad input early.
func CheckWord(s string) error {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			return fmt.Errorf("%q contains control character %U: %w", s, rune(c), ErrControlChar)
		}
	}
	return nil
}

// A Dialer connects to NUT servers. The zero value uses DefaultTimeout and
// DefaultCommandTimeout.
type Dialer struct {
	// Timeout bounds connecting and each exchange (a request and its
	// whole reply) when the context has no earlier deadline. Zero means
	// DefaultTimeout; a negative value leaves only the context's bound.
	Timeout time.Duration
	// CommandTimeout does the same for SET and INSTCMD. Zero means
	// DefaultCommandTimeout; negative, only the context's bound.
	CommandTimeout time.Duration
}

func bound(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

// Dial connects to addr ("host:port"; the port defaults to 3493).
func (d *Dialer) Dial(ctx context.Context, addr string) (*Client, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(strings.Trim(addr, "[]"), fmt.Sprint(nut.DefaultPort))
	}
	nd := net.Dialer{Timeout: bound(d.Timeout, DefaultTimeout)}
	conn, err := nd.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", addr, err)
	}
	c := d.NewClient(conn)
	c.addr = addr
	return c, nil
}

// DialAs connects to a NUT server (Dial) and authenticates as user
// (USERNAME, PASSWORD); with user empty it does not. A refused login
// closes the connection and is the error.
func DialAs(ctx context.Context, addr, user, password string) (*Client, error) {
	c, err := Dial(ctx, addr)
	if err != nil || user == "" {
		return c, err
	}
	if err := c.Authenticate(ctx, user, password); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// NewClient speaks the protocol over a connection the caller established
// (a tunnel, a socket dialled another way, a test pipe).
func (d *Dialer) NewClient(conn net.Conn) *Client {
	return &Client{conn: conn, r: bufio.NewReaderSize(conn, readBuffer), addr: conn.RemoteAddr().String(),
		timeout: bound(d.Timeout, DefaultTimeout), cmdTimeout: bound(d.CommandTimeout, DefaultCommandTimeout)}
}

// Dial connects to addr ("host:port"; the port defaults to 3493) with the
// default timeouts.
func Dial(ctx context.Context, addr string) (*Client, error) {
	var d Dialer
	return d.Dial(ctx, addr)
}

// NewClient speaks the protocol over conn with the default timeouts.
func NewClient(conn net.Conn) *Client {
	var d Dialer
	return d.NewClient(conn)
}

// Client is one connection to a NUT server. Its methods are safe for
// concurrent use; requests are sent one at a time. After a timeout or a
// broken reply the connection is closed and every later request fails
// with the same error, as the next reply could belong to the old request.
type Client struct {
	mu                  sync.Mutex
	conn                net.Conn
	r                   *bufio.Reader
	addr                string
	timeout, cmdTimeout time.Duration
	broken              error
	ctxBound            bool // the exchange's deadline is the context's
}

// Close ends the connection (without LOGOUT).
func (c *Client) Close() error { return c.conn.Close() }

// Addr is the server address the client dialled.
func (c *Client) Addr() string { return c.addr }

// StartTLS upgrades the connection with STARTTLS.
func (c *Client) StartTLS(ctx context.Context, cfg *tls.Config) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	line, err := c.roundTrip(ctx, "STARTTLS")
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "OK STARTTLS") {
		return fmt.Errorf("STARTTLS: unexpected reply %q", line)
	}
	tc := tls.Client(c.conn, cfg)
	stop := c.deadline(ctx, c.timeout)
	err = tc.HandshakeContext(ctx)
	stop()
	if err != nil {
		return c.fail(ctx, fmt.Errorf("STARTTLS: %w", err))
	}
	c.conn = tc
	c.r = bufio.NewReaderSize(tc, readBuffer)
	return nil
}

// deadline bounds one exchange by ctx and the timeout d (0: none).
func (c *Client) deadline(ctx context.Context, d time.Duration) func() bool {
	var dl time.Time
	if d > 0 {
		dl = time.Now().Add(d)
	}
	c.ctxBound = false
	if cdl, ok := ctx.Deadline(); ok && (dl.IsZero() || !dl.Before(cdl)) {
		dl, c.ctxBound = cdl, true
	}
	c.conn.SetDeadline(dl)
	return context.AfterFunc(ctx, func() { c.conn.SetDeadline(time.Unix(1, 0)) })
}

// timeoutFor is the bound of a request by its first word.
func (c *Client) timeoutFor(req string) time.Duration {
	first, _, _ := strings.Cut(req, " ")
	if strings.EqualFold(first, "SET") || strings.EqualFold(first, "INSTCMD") {
		return c.cmdTimeout
	}
	return c.timeout
}

// roundTrip sends one request line and reads one reply line; c.mu held.
func (c *Client) roundTrip(ctx context.Context, req string) (string, error) {
	if c.broken != nil {
		return "", c.broken
	}
	if err := CheckWord(req); err != nil {
		return "", err
	}
	stop := c.deadline(ctx, c.timeoutFor(req))
	defer stop()
	if _, err := c.conn.Write([]byte(req + "\n")); err != nil {
		return "", c.fail(ctx, err)
	}
	line, err := c.readLine(ctx)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(line, "ERR ") {
		code, _, _ := strings.Cut(line[4:], " ")
		return "", nut.Error(code)
	}
	return line, nil
}

// readLine reads one reply line of at most MaxReplyLine bytes; c.mu held.
func (c *Client) readLine(ctx context.Context) (string, error) {
	line, err := c.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		long := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) && len(long) <= MaxReplyLine {
			line, err = c.r.ReadSlice('\n')
			long = append(long, line...)
		}
		if len(long) > MaxReplyLine {
			return "", c.fail(ctx, fmt.Errorf("reply line longer than %d bytes", MaxReplyLine))
		}
		line = long
	}
	if err != nil {
		return "", c.fail(ctx, err)
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// fail closes the connection after an error that leaves it in an unknown
// state and returns the error every later request gets; c.mu held.
func (c *Client) fail(ctx context.Context, err error) error {
	timedOut := errors.Is(err, os.ErrDeadlineExceeded)
	switch {
	case ctx.Err() != nil:
		err = ctx.Err()
	case timedOut && c.ctxBound:
		err = context.DeadlineExceeded
	case timedOut:
		err = fmt.Errorf("%s: no reply in time: %w", c.addr, err)
	default:
		err = fmt.Errorf("%s: %w", c.addr, err)
	}
	c.broken = err
	c.conn.Close()
	return err
}

// Command sends a request and returns the one-line reply. An ERR reply is
// returned as a nut.Error.
func (c *Client) Command(ctx context.Context, words ...string) (string, error) {
	req, err := request(words)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.roundTrip(ctx, req)
}

// request joins words, quoting those that need it; a word with a control
// character is refused.
func request(words []string) (string, error) {
	var b strings.Builder
	for i, w := range words {
		if err := CheckWord(w); err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		if w == "" || strings.ContainsAny(w, " \t\"\\#=") {
			b.WriteString(nut.Quote(w))
		} else {
			b.WriteString(w)
		}
	}
	return b.String(), nil
}

// List sends "LIST query…" and returns the words of every item line, with
// the leading item keyword removed ("VAR ups name value" → ups name value).
func (c *Client) List(ctx context.Context, query ...string) ([][]string, error) {
	q, err := request(query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken != nil {
		return nil, c.broken
	}
	stop := c.deadline(ctx, c.timeout)
	defer stop()
	if _, err := c.conn.Write([]byte("LIST " + q + "\n")); err != nil {
		return nil, c.fail(ctx, err)
	}
	first, err := c.readLine(ctx)
	if err != nil {
		return nil, err
	}
	if code, isErr := strings.CutPrefix(first, "ERR "); isErr {
		code, _, _ = strings.Cut(code, " ")
		return nil, nut.Error(code)
	}
	if first != "BEGIN LIST "+q {
		return nil, c.fail(ctx, fmt.Errorf("LIST %s: unexpected reply %q", q, first))
	}
	var items [][]string
	for {
		line, err := c.readLine(ctx)
		if err != nil {
			return nil, err
		}
		if line == "END LIST "+q {
			return items, nil
		}
		if len(items) == MaxListItems {
			return nil, c.fail(ctx, fmt.Errorf("LIST %s: more than %d items", q, MaxListItems))
		}
		words, err := nut.SplitRequest(line)
		if err != nil || len(words) < 1 {
			return nil, c.fail(ctx, fmt.Errorf("LIST %s: bad line %q", q, line))
		}
		items = append(items, words[1:])
	}
}

// UPS is a device a server offers.
type UPS struct {
	Name string
	Desc string
}

// ListUPS lists the server's devices.
func (c *Client) ListUPS(ctx context.Context) ([]UPS, error) {
	items, err := c.List(ctx, "UPS")
	if err != nil {
		return nil, err
	}
	out := make([]UPS, 0, len(items))
	for _, it := range items {
		if len(it) >= 2 {
			out = append(out, UPS{Name: it[0], Desc: it[1]})
		}
	}
	return out, nil
}

// Var is a variable and its value.
type Var struct {
	Name  string
	Value string
}

func pairs(items [][]string) []Var {
	out := make([]Var, 0, len(items))
	for _, it := range items {
		if len(it) >= 3 {
			out = append(out, Var{Name: it[1], Value: it[2]})
		}
	}
	return out
}

// Vars lists a device's variables (LIST VAR).
func (c *Client) Vars(ctx context.Context, ups string) ([]Var, error) {
	items, err := c.List(ctx, "VAR", ups)
	return pairs(items), err
}

// RW lists a device's writable variables (LIST RW).
func (c *Client) RW(ctx context.Context, ups string) ([]Var, error) {
	items, err := c.List(ctx, "RW", ups)
	return pairs(items), err
}

// Commands lists a device's instant commands (LIST CMD).
func (c *Client) Commands(ctx context.Context, ups string) ([]string, error) {
	items, err := c.List(ctx, "CMD", ups)
	return column(items, 1), err
}

// Enum lists the allowed values of a variable (LIST ENUM).
func (c *Client) Enum(ctx context.Context, ups, name string) ([]string, error) {
	items, err := c.List(ctx, "ENUM", ups, name)
	return column(items, 2), err
}

// Range is an allowed interval of a variable.
type Range struct{ Min, Max string }

// Ranges lists the allowed intervals of a variable (LIST RANGE).
func (c *Client) Ranges(ctx context.Context, ups, name string) ([]Range, error) {
	items, err := c.List(ctx, "RANGE", ups, name)
	var out []Range
	for _, it := range items {
		if len(it) >= 4 {
			out = append(out, Range{it[2], it[3]})
		}
	}
	return out, err
}

// Clients lists the addresses of the clients logged in to a device.
func (c *Client) Clients(ctx context.Context, ups string) ([]string, error) {
	items, err := c.List(ctx, "CLIENT", ups)
	return column(items, 1), err
}

// column returns word i of each list item that has it.
func column(items [][]string, i int) []string {
	var out []string
	for _, it := range items {
		if len(it) > i {
			out = append(out, it[i])
		}
	}
	return out
}

// get sends "GET what args…" and returns the reply's words after the echo.
func (c *Client) get(ctx context.Context, what string, args ...string) ([]string, error) {
	line, err := c.Command(ctx, append([]string{"GET", what}, args...)...)
	if err != nil {
		return nil, err
	}
	words, err := nut.SplitRequest(line)
	if err != nil {
		return nil, err
	}
	if len(words) < 1+len(args) || words[0] != what {
		return nil, fmt.Errorf("GET %s: unexpected reply %q", what, line)
	}
	return words[1+len(args):], nil
}

func one(ws []string, err error) (string, error) {
	if err != nil {
		return "", err
	}
	if len(ws) == 0 {
		return "", errors.New("empty reply")
	}
	return ws[0], nil
}

// Get returns a variable's value (GET VAR).
func (c *Client) Get(ctx context.Context, ups, name string) (string, error) {
	return one(c.get(ctx, "VAR", ups, name))
}

// Type returns a variable's type words (GET TYPE): RW, ENUM, STRING:n, RANGE, NUMBER.
func (c *Client) Type(ctx context.Context, ups, name string) ([]string, error) {
	return c.get(ctx, "TYPE", ups, name)
}

// Desc returns a variable's description (GET DESC).
func (c *Client) Desc(ctx context.Context, ups, name string) (string, error) {
	return one(c.get(ctx, "DESC", ups, name))
}

// CmdDesc returns an instant command's description (GET CMDDESC).
func (c *Client) CmdDesc(ctx context.Context, ups, name string) (string, error) {
	return one(c.get(ctx, "CMDDESC", ups, name))
}

// UPSDesc returns a device's description (GET UPSDESC).
func (c *Client) UPSDesc(ctx context.Context, ups string) (string, error) {
	return one(c.get(ctx, "UPSDESC", ups))
}

// NumLogins returns how many clients are logged in to a device.
func (c *Client) NumLogins(ctx context.Context, ups string) (int, error) {
	s, err := one(c.get(ctx, "NUMLOGINS", ups))
	if err != nil {
		return 0, err
	}
	var n int
	_, err = fmt.Sscan(s, &n)
	return n, err
}

func expectOK(line string, err error) error {
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "OK") {
		return fmt.Errorf("unexpected reply %q", line)
	}
	return nil
}

// Authenticate sends USERNAME and PASSWORD.
func (c *Client) Authenticate(ctx context.Context, user, password string) error {
	if err := expectOK(c.Command(ctx, "USERNAME", user)); err != nil {
		return fmt.Errorf("USERNAME: %w", err)
	}
	// NUT's clients send the password unquoted; quote only when needed.
	if err := expectOK(c.Command(ctx, "PASSWORD", password)); err != nil {
		return fmt.Errorf("PASSWORD: %w", err)
	}
	return nil
}

// Login attaches to a device as a monitor (LOGIN).
func (c *Client) Login(ctx context.Context, ups string) error {
	return expectOK(c.Command(ctx, "LOGIN", ups))
}

// Primary claims the primary role for a device (PRIMARY).
func (c *Client) Primary(ctx context.Context, ups string) error {
	return expectOK(c.Command(ctx, "PRIMARY", ups))
}

// FSD sets the forced-shutdown flag of a device.
func (c *Client) FSD(ctx context.Context, ups string) error {
	return expectOK(c.Command(ctx, "FSD", ups))
}

// Set changes a variable (SET VAR).
func (c *Client) Set(ctx context.Context, ups, name, value string) error {
	req, err := request([]string{"SET", "VAR", ups, name})
	if err != nil {
		return err
	}
	if err := CheckWord(value); err != nil {
		return err
	}
	// NUT's upsrw always quotes the value.
	c.mu.Lock()
	defer c.mu.Unlock()
	return expectOK(c.roundTrip(ctx, req+" "+nut.Quote(value)))
}

// InstCmd runs an instant command, with an optional parameter.
func (c *Client) InstCmd(ctx context.Context, ups, cmd string, param ...string) error {
	return expectOK(c.Command(ctx, append([]string{"INSTCMD", ups, cmd}, param...)...))
}

// Logout says goodbye and closes the connection.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.Command(ctx, "LOGOUT")
	c.Close()
	return err
}
