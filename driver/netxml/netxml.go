// Package netxml is netxml-ups: Eaton (formerly MGE) UPSes through their
// network management cards' XML pages over HTTP, as NUT 2.8.0's driver
// of that name reads them (its "MGEXML/0.36" mapping, mgexml.tab): a
// connectivity test (GET /), product.xml (tried at /mgeups/product.xml,
// /product.xml and /ws/product.xml) naming the other pages, then at
// every poll the object page (getvalue.cgi), the summary page
// (upsprop.xml) and product.xml again; writable variables set through
// the card's form (POST /Forms/set_obj_2); with the "subscribe" flag,
// the card's alarm channel, whose alarms trigger a poll at once.
//
// Where NUT 2.8.0's driver does otherwise (see the README): the
// subscription works (NUT's reply parser refuses every reply, so with
// "subscribe" its data is always stale); a SET the card took is
// answered OK (NUT's reports a failure after sending it); values are
// XML-escaped in the form.
package netxml

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/nut"
)

func init() { driver.Register("netxml-ups", New) }

// Version is the mapping's version, published as driver.version.data:
// NUT 2.8.0's table, which this driver carries.
const Version = "MGEXML/0.36"

// Bounds on what is read from a card.
const (
	maxPage  = 1 << 20 // bytes of one page
	maxAlarm = 64 << 10
)

// productPages are where product.xml may be, tried in this order.
var productPages = []string{"/mgeups/product.xml", "/product.xml", "/ws/product.xml"}

// Options are netxml-ups' ups.conf settings.
type Options struct {
	URL              *url.URL
	Timeout          time.Duration // timeout, 5 s
	Subscribe        bool
	Login, Password  string
	ShutdownDuration int // shutdown_duration, 120 s
	ShutdownTimer    int // shutdown_timer, 0: none
	ConvertDeci      bool
	PollInterval     time.Duration
}

// ParseOptions reads a section's netxml-ups settings; port is the card's
// URL (http:// or https://, the scheme required as NUT requires it).
func ParseOptions(cfg driver.Config) (*Options, error) {
	o := &Options{Timeout: 5 * time.Second, ShutdownDuration: 120, PollInterval: driver.DefaultInterval}
	u, err := url.Parse(cfg.Port)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, driver.BadOption("port", fmt.Errorf("netxml-ups: port %q: want the card's URL, http://HOST[:PORT] or https://…", cfg.Port))
	}
	o.URL = &url.URL{Scheme: u.Scheme, Host: u.Host}
	num := func(key string, min int) (int, bool, error) {
		v, ok := cfg.Get(key)
		if !ok {
			return 0, false, nil
		}
		n := nut.Atoi(v)
		if n < min {
			return 0, false, driver.BadOption(key, fmt.Errorf("netxml-ups: %s %q: want a number of at least %d", key, v, min))
		}
		return n, true, nil
	}
	if n, ok, err := num("timeout", 1); err != nil {
		return nil, err
	} else if ok {
		o.Timeout = time.Duration(n) * time.Second
	}
	if n, ok, err := num("shutdown_duration", 0); err != nil {
		return nil, err
	} else if ok {
		o.ShutdownDuration = n
	}
	if n, ok, err := num("shutdown_timer", 0); err != nil {
		return nil, err
	} else if ok {
		o.ShutdownTimer = n
	}
	if n, ok, err := num("pollinterval", 1); err != nil {
		return nil, err
	} else if ok {
		o.PollInterval = time.Duration(n) * time.Second
	}
	_, o.Subscribe = cfg.Get("subscribe")
	_, o.ConvertDeci = cfg.Get("do_convert_deci")
	o.Login, _ = cfg.Get("login")
	o.Password, _ = cfg.Get("password")
	return o, nil
}

// Driver reads one card.
type Driver struct {
	name string
	opts *Options
	http *http.Client
	log  *slog.Logger
	wake driver.Waker

	mu      sync.Mutex
	st      *state
	product string // the product page that answered
	sub     *subscription
	// subFailed is why the last subscription failed ("" when it did
	// not): a refusal repeated at every poll is logged once.
	subFailed string
	// remapped: ups.mfr, model and serial were copied to device.*.
	remapped bool
}

// New makes the driver for a ups.conf section.
func New(cfg driver.Config) (driver.Driver, error) {
	o, err := ParseOptions(cfg)
	if err != nil {
		return nil, err
	}
	return &Driver{name: cfg.Name, opts: o, wake: driver.NewWaker(),
		http: &http.Client{Timeout: o.Timeout,
			Transport: &http.Transport{Proxy: nil, DialContext: (&net.Dialer{Timeout: o.Timeout}).DialContext,
				ResponseHeaderTimeout: o.Timeout, MaxIdleConnsPerHost: 1}},
		log: slog.With("device", cfg.Name, "driver", "netxml-ups")}, nil
}

// get fetches a page of the card (answering its authentication with
// login and password), at most maxPage bytes.
func (d *Driver) get(ctx context.Context, path string) ([]byte, error) {
	return d.do(ctx, http.MethodGet, path, "", nil)
}

// do sends a request; a 401 is answered once with the login, as neon
// answers the card's challenge.
func (d *Driver) do(ctx context.Context, method, path, ctype string, body []byte) ([]byte, error) {
	for try := 0; ; try++ {
		u := *d.opts.URL
		u.Path = path
		req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("User-Agent", "powerchain netxml-ups ("+Version+")")
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if try > 0 {
			req.SetBasicAuth(d.opts.Login, d.opts.Password)
		}
		resp, err := d.http.Do(req)
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxPage+1))
		resp.Body.Close()
		switch {
		case err != nil:
			return nil, fmt.Errorf("%s %s: %w", method, path, err)
		case resp.StatusCode == http.StatusUnauthorized && try == 0:
			continue
		case resp.StatusCode/100 != 2:
			return nil, fmt.Errorf("%s %s: %s", method, path, resp.Status)
		case len(b) > maxPage:
			return nil, fmt.Errorf("%s %s: more than %d bytes", method, path, maxPage)
		}
		return b, nil
	}
}

// Connect tests the card, reads product.xml (which names the other
// pages), subscribes to alarms when asked, and publishes the writable
// variables empty, as NUT's driver does.
func (d *Driver) Connect(ctx context.Context, dev *device.Device) (driver.Schedule, error) {
	if _, err := d.get(ctx, "/"); err != nil {
		return driver.Schedule{}, fmt.Errorf("connectivity test: %w", err)
	}
	st := newState()
	st.convertDeci, st.shutdownDuration = d.opts.ConvertDeci, d.opts.ShutdownDuration
	var errs []error
	product := ""
	for _, p := range productPages {
		b, err := d.get(ctx, p)
		if err == nil {
			err = st.parse(b)
		}
		if errors.Is(err, errV4) {
			return driver.Schedule{}, err
		}
		if err == nil {
			product = p
			break
		}
		errs = append(errs, err)
	}
	if product == "" {
		return driver.Schedule{}, fmt.Errorf("no product page: %w", errors.Join(errs...))
	}
	st.set("driver.version.data", Version)
	st.set("driver.parameter.pollinterval", strconv.Itoa(int(d.opts.PollInterval/time.Second)))
	for _, r := range mapping().all {
		if r.nut != "" && r.flags&rw != 0 {
			if _, ok := st.vals[r.nut]; !ok {
				st.set(r.nut, "")
			}
		}
	}
	d.mu.Lock()
	d.st, d.product, d.remapped = st, product, false
	d.mu.Unlock()
	if d.opts.Subscribe {
		d.subscribe(ctx)
	}
	dev.SetHandler(d)
	return driver.Schedule{Interval: d.opts.PollInterval, StaleAfter: 1, Wake: d.wake}, nil
}

// Poll reads the object page, the summary page and product.xml; the
// data is stale when two of the three fail (as with NUT).
func (d *Driver) Poll(ctx context.Context, _ driver.Class) (func(*device.Tx), error) {
	d.mu.Lock()
	pages := []string{d.st.pages.getObject, d.st.pages.summary, d.product}
	d.mu.Unlock()
	if d.opts.Subscribe && !d.subscribed() {
		d.subscribe(ctx)
	}
	var errs []error
	for _, p := range pages {
		if p == "" {
			errs = append(errs, errors.New("product.xml names no such page"))
			continue
		}
		b, err := d.get(ctx, p)
		if err == nil {
			d.mu.Lock()
			err = d.st.parse(b)
			d.mu.Unlock()
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
		}
	}
	if len(errs) > 1 {
		return nil, errors.Join(errs...)
	}
	d.mu.Lock()
	if !d.remapped {
		// NUT's drivers copy these once, after their first update.
		for _, n := range []string{"mfr", "model", "serial"} {
			if v, ok := d.st.vals["ups."+n]; ok {
				d.st.set("device."+n, v)
			}
		}
		d.remapped = true
	}
	d.mu.Unlock()
	return d.publish(), nil
}

// publish sets the status from the bits and returns the state as one
// device version.
func (d *Driver) publish() func(*device.Tx) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.commit()
	vals := make(map[string]string, len(d.st.vals))
	for k, v := range d.st.vals {
		vals[k] = v
	}
	return func(tx *device.Tx) {
		tx.Each(func(name string) {
			if _, ok := vals[name]; !ok && d.owns(name) {
				tx.Delete(name)
			}
		})
		for k, v := range vals {
			tx.Set(k, v)
			if r, ok := mapping().byNUT[k]; ok && r.flags&rw != 0 {
				tx.SetFlags(k, device.RW)
			}
		}
	}
}

// owns reports whether the driver publishes a variable (those it may
// delete: ups.alarm, input.transfer.reason).
func (d *Driver) owns(name string) bool {
	return name == "ups.alarm" || name == "input.transfer.reason"
}

// Close ends the alarm subscription.
func (d *Driver) Close() {
	d.mu.Lock()
	sub := d.sub
	d.sub = nil
	d.mu.Unlock()
	if sub != nil {
		sub.close()
	}
	d.http.CloseIdleConnections()
}

// SetVar writes a variable through the card's form, then polls.
func (d *Driver) SetVar(ctx context.Context, name, value string) error {
	r, ok := mapping().byNUT[name]
	if !ok || r.flags&rw == 0 {
		return nut.ErrReadonly
	}
	if err := d.setObject(ctx, r.xml, value); err != nil {
		d.log.Warn("SET failed", "var", name, "err", err)
		return nut.ErrSetFailed
	}
	d.wake.Ask(driver.Full)
	return nil
}

// InstCmd: the cards' XML offers no commands (nor does NUT's driver).
func (d *Driver) InstCmd(context.Context, string, string) error {
	return nut.ErrCmdNotSupported
}

// formBoundary is the multipart boundary NUT's driver uses.
const formBoundary = "NUT-NETXML-UPS-OBJECTS"

// setObject posts one object to /Forms/set_obj_2 as NUT's driver does:
// a multipart form whose file "Configuration.xml" is a SET_OBJECT
// document.
func (d *Driver) setObject(ctx context.Context, object, value string) error {
	var doc bytes.Buffer
	fmt.Fprintf(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<SET_OBJECT>\r\n  <OBJECT name=\"%s\">%s</OBJECT>\r\n</SET_OBJECT>\r\n",
		html.EscapeString(object), html.EscapeString(value))
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if err := w.SetBoundary(formBoundary); err != nil {
		return err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="Configuration.xml"`)
	h.Set("Content-Type", "application/octet-stream")
	part, err := w.CreatePart(h)
	if err != nil {
		return err
	}
	part.Write(doc.Bytes())
	w.Close()
	_, err = d.do(ctx, http.MethodPost, "/Forms/set_obj_2", w.FormDataContentType(), body.Bytes())
	return err
}

// subscription is the card's alarm channel: a TCP connection on which
// it sends ALARM documents.
type subscription struct {
	conn net.Conn
	done chan struct{}
}

func (s *subscription) close() {
	s.conn.Close()
	<-s.done
}

func (d *Driver) subscribed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.sub == nil {
		return false
	}
	select {
	case <-d.sub.done:
		d.sub = nil
		return false
	default:
		return true
	}
}

// subscribe asks the card for its alarms; a failure is tried again at
// the next poll (the pages are polled either way), and logged once while
// its reason stays the same.
func (d *Driver) subscribe(ctx context.Context) {
	sub, err := d.openSubscription(ctx)
	d.mu.Lock()
	last := d.subFailed
	if err != nil {
		d.subFailed = err.Error()
	} else {
		d.subFailed, d.sub = "", sub
	}
	d.mu.Unlock()
	if err != nil {
		if err.Error() != last {
			d.log.Warn("alarm subscription failed; polling only, asking again at every poll (logged again only if the reason changes)", "err", err)
		}
		return
	}
	if last != "" {
		d.log.Info("alarm subscription open")
	}
	go d.readAlarms(sub)
}

func (d *Driver) openSubscription(ctx context.Context) (*subscription, error) {
	d.mu.Lock()
	pg := d.st.pages
	d.mu.Unlock()
	if pg.subscribe == "" {
		return nil, errors.New("product.xml names no subscription page")
	}
	host, _ := os.Hostname()
	if pg.configure != "" {
		if b, err := d.get(ctx, pg.configure); err == nil {
			d.mu.Lock()
			d.st.set("driver.hostname", host)
			d.st.parse(b)
			d.mu.Unlock()
		}
	}
	timer := "NONE"
	if d.opts.ShutdownTimer > 0 {
		timer = strconv.Itoa(d.opts.ShutdownTimer)
	}
	body := fmt.Sprintf("<?xml version=\"1.0\"?>\n<Subscribe>\n<Class>netxml-ups v%s</Class>\n<Type>connected socket</Type>\n"+
		"<HostName>%s</HostName>\n<XMLClientParameters>\n<ShutdownDuration>%d</ShutdownDuration>\n<ShutdownTimer>%s</ShutdownTimer>\n"+
		"<AutoConfig>LOCAL</AutoConfig>\n<OutletGroup>1</OutletGroup>\n</XMLClientParameters>\n<Warning></Warning>\n</Subscribe>\n",
		"powerchain", html.EscapeString(host), d.opts.ShutdownDuration, timer)
	reply, err := d.do(ctx, http.MethodPost, pg.subscribe, "", []byte(body))
	if err != nil {
		return nil, err
	}
	port, secret, err := parseSubscribeReply(reply)
	if err != nil {
		return nil, err
	}
	dl := net.Dialer{Timeout: d.opts.Timeout}
	conn, err := dl.DialContext(ctx, "tcp", net.JoinHostPort(d.opts.URL.Hostname(), strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("alarm channel: %w", err)
	}
	conn.SetDeadline(time.Now().Add(d.opts.Timeout))
	if _, err := fmt.Fprintf(conn, "<Subscription Identification=\"%d\"></Subscription>\x00", secret); err != nil {
		conn.Close()
		return nil, fmt.Errorf("alarm channel: %w", err)
	}
	buf := make([]byte, 512)
	n, err := conn.Read(buf)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("alarm channel: %w", err)
	}
	if ans := strings.TrimRight(string(buf[:n]), "\x00\r\n"); !strings.EqualFold(ans, `<Subscription Answer="ok"></Subscription>`) {
		conn.Close()
		return nil, fmt.Errorf("alarm channel: the card answered %q", driver.Printable([]byte(ans)))
	}
	conn.SetDeadline(time.Time{})
	return &subscription{conn: conn, done: make(chan struct{})}, nil
}

// parseSubscribeReply finds the alarm channel's port and secret in the
// card's reply (not well-formed XML: lines such as <Port>4679</Port>),
// numbers in C's notation (decimal, 0x hex, 0 octal).
func parseSubscribeReply(b []byte) (port, secret int, err error) {
	port, secret = -1, -1
	for _, line := range strings.FieldsFunc(string(b), func(r rune) bool { return r == '\r' || r == '\n' }) {
		line = strings.TrimSpace(line)
		for _, f := range []struct {
			tag string
			to  *int
		}{{"<port>", &port}, {"<secret>", &secret}} {
			if len(line) >= len(f.tag) && strings.EqualFold(line[:len(f.tag)], f.tag) {
				v := line[len(f.tag):]
				if i := strings.IndexByte(v, '<'); i >= 0 {
					v = v[:i]
				}
				n, perr := strconv.ParseInt(strings.TrimSpace(v), 0, 64)
				if perr != nil || n < 0 || n > 1<<32-1 {
					return 0, 0, fmt.Errorf("subscription reply: bad %s %q", f.tag, driver.Printable([]byte(v)))
				}
				*f.to = int(n)
			}
		}
	}
	if port < 1 || port > 65535 || secret < 0 {
		return 0, 0, fmt.Errorf("subscription reply without a port and a secret: %q", driver.Printable(b[:min(len(b), 200)]))
	}
	return port, secret, nil
}

// readAlarms applies the card's ALARM documents as they come and asks
// for a poll at once; a channel silent for 180 s is closed (and
// subscribed again at the next poll), as NUT does.
func (d *Driver) readAlarms(sub *subscription) {
	defer close(sub.done)
	buf := make([]byte, maxAlarm)
	for {
		sub.conn.SetReadDeadline(time.Now().Add(180 * time.Second))
		n, err := sub.conn.Read(buf)
		if n > 0 {
			msg := bytes.ReplaceAll(buf[:n], []byte{0}, nil)
			d.mu.Lock()
			perr := d.st.parse(msg)
			d.mu.Unlock()
			if perr != nil {
				d.log.Debug("alarm not understood", "err", perr)
			}
			d.wake.Ask(driver.Full)
		}
		if err != nil {
			sub.conn.Close()
			d.log.Info("alarm channel closed; subscribing again at the next poll", "err", err)
			return
		}
	}
}
