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
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/nut"
)

// Client is one connection to a NUT server. Its methods are safe for
// concurrent use; requests are sent one at a time.
type Client struct {
	mu   sync.Mutex
	conn net.Conn
	r    *bufio.Reader
	addr string
}

// Dial connects to addr ("host:port"; the port defaults to 3493).
func Dial(ctx context.Context, addr string) (*Client, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(strings.Trim(addr, "[]"), fmt.Sprint(nut.DefaultPort))
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", addr, err)
	}
	return &Client{conn: conn, r: bufio.NewReaderSize(conn, 64<<10), addr: addr}, nil
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
	if err := tc.HandshakeContext(ctx); err != nil {
		return fmt.Errorf("STARTTLS: %w", err)
	}
	c.conn = tc
	c.r = bufio.NewReaderSize(tc, 64<<10)
	return nil
}

// deadline applies ctx to the connection for one exchange.
func (c *Client) deadline(ctx context.Context) func() bool {
	if dl, ok := ctx.Deadline(); ok {
		c.conn.SetDeadline(dl)
	} else {
		c.conn.SetDeadline(time.Time{})
	}
	return context.AfterFunc(ctx, func() { c.conn.SetDeadline(time.Unix(1, 0)) })
}

// roundTrip sends one request line and reads one reply line; c.mu held.
func (c *Client) roundTrip(ctx context.Context, req string) (string, error) {
	stop := c.deadline(ctx)
	defer stop()
	if _, err := c.conn.Write([]byte(req + "\n")); err != nil {
		return "", c.ctxErr(ctx, err)
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

func (c *Client) readLine(ctx context.Context) (string, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return "", c.ctxErr(ctx, err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func (c *Client) ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("%s: %w", c.addr, err)
}

// Command sends a request and returns the one-line reply. An ERR reply is
// returned as a nut.Error.
func (c *Client) Command(ctx context.Context, words ...string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.roundTrip(ctx, request(words))
}

// request joins words, quoting those that need it.
func request(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		if w == "" || strings.ContainsAny(w, " \t\"\\#=") {
			b.WriteString(nut.Quote(w))
		} else {
			b.WriteString(w)
		}
	}
	return b.String()
}

// List sends "LIST query…" and returns the words of every item line, with
// the leading item keyword removed ("VAR ups name value" → ups name value).
func (c *Client) List(ctx context.Context, query ...string) ([][]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := request(query)
	first, err := c.roundTrip(ctx, "LIST "+q)
	if err != nil {
		return nil, err
	}
	stop := c.deadline(ctx)
	defer stop()
	if first != "BEGIN LIST "+q {
		return nil, fmt.Errorf("LIST %s: unexpected reply %q", q, first)
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
		words, err := nut.SplitRequest(line)
		if err != nil || len(words) < 1 {
			return nil, fmt.Errorf("LIST %s: bad line %q", q, line)
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
	var out []string
	for _, it := range items {
		if len(it) >= 2 {
			out = append(out, it[1])
		}
	}
	return out, err
}

// Enum lists the allowed values of a variable (LIST ENUM).
func (c *Client) Enum(ctx context.Context, ups, name string) ([]string, error) {
	items, err := c.List(ctx, "ENUM", ups, name)
	var out []string
	for _, it := range items {
		if len(it) >= 3 {
			out = append(out, it[2])
		}
	}
	return out, err
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
	var out []string
	for _, it := range items {
		if len(it) >= 2 {
			out = append(out, it[1])
		}
	}
	return out, err
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
	c.mu.Lock()
	defer c.mu.Unlock()
	return expectOK(c.roundTrip(ctx, fmt.Sprintf("SET VAR %s %s %s", ups, name, nut.Quote(value))))
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
