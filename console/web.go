package console

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/powerchain/powerchain/dnssd"
	"github.com/powerchain/powerchain/nut"
)

//go:embed templates/*.html
var templateFS embed.FS

// staticFS holds the pages' style sheet and script, and uPlot (from the
// npm registry, with its licence).
//
//go:embed static
var staticFS embed.FS

// assetVersion is a hash of each static file, added to its URL so that
// browsers may keep it for good.
var assetVersion = func() map[string]string {
	out := map[string]string{}
	fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[strings.TrimPrefix(path, "static/")] = hex.EncodeToString(sum[:5])
		return nil
	})
	return out
}()

// staticURL is a static file's address, with its version.
func staticURL(name string) string { return "/static/" + name + "?v=" + assetVersion[name] }

// serveStatic serves the static files; a URL with the file's version
// may be kept for a year.
func serveStatic() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.URL.Query().Get("v"); v != "" && v == assetVersion[strings.TrimPrefix(r.URL.Path, "/static/")] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// Options configure a console.
type Options struct {
	Listen   string   // host:port; 127.0.0.1:8080 by default
	Sources  []string // NUT servers, host:port
	Interval time.Duration
	Timeout  time.Duration
	DBPath   string // SQLite history; "" for none
	ConfDir  string // for upsd.users (log-in)
	// A non-loopback Listen needs TLS (CertFile, KeyFile) or AllowRemote.
	CertFile, KeyFile string
	AllowRemote       bool
	// Places are the sites and racks of the sources, by address
	// (host:port); see ReadSources.
	Places map[string]Place
	// Browse adds the NUT servers announced with DNS-SD (_nut._tcp),
	// looking again every minute; a record's site= and rack= place the
	// server's devices.
	Browse bool
	// Feeds supply the devices of more servers than those polled (see
	// Feed).
	Feeds []Feed
	// NATS, when set, follows the servers that publish on NATS (serve
	// --nats) by subscription: a Feed (nats.go).
	NATS *NATSOptions
	Log  *slog.Logger
}

// Console is the web console.
type Console struct {
	opts   Options
	Poller *Poller
	store  *Store
	log    *slog.Logger
	tmpl   *template.Template
	reg    *prometheus.Registry

	mu       sync.Mutex
	sessions map[string]*session
	subs     map[chan string]struct{}
	// eventsVersion counts the batches of events recorded (the events
	// page's version).
	eventsVersion atomic.Uint64
	// nats is the fleet followed on NATS (Options.NATS), recorded when
	// history was last recorded then (nats.go).
	nats     *natsFeed
	recorded time.Time
}

// New prepares a console (opens the history database).
func New(o Options) (*Console, error) {
	if o.Listen == "" {
		o.Listen = "127.0.0.1:8080"
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	for i, src := range o.Sources {
		addr, err := ParseSource(src)
		if err != nil {
			return nil, err
		}
		o.Sources[i] = addr
	}
	c := &Console{opts: o, log: o.Log, sessions: map[string]*session{}, subs: map[chan string]struct{}{}}
	if o.DBPath != "" {
		st, err := OpenStore(o.DBPath, 0)
		if err != nil {
			return nil, err
		}
		st.Interval = o.Interval
		c.store = st
	}
	places := map[string]Place{}
	for src, p := range o.Places {
		addr, err := ParseSource(src)
		if err != nil {
			return nil, err
		}
		places[addr] = p
	}
	c.Poller = &Poller{Sources: o.Sources, Feeds: o.Feeds, Places: places, Interval: o.Interval, Timeout: o.Timeout, Log: o.Log, OnSnapshot: c.onSnapshot}
	if o.NATS != nil {
		if err := c.followNATS(o.NATS); err != nil {
			if c.store != nil {
				c.store.Close()
			}
			return nil, err
		}
	}
	t, err := template.New("").Funcs(pageFuncs).Funcs(template.FuncMap{"static": staticURL}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	c.tmpl = t
	c.reg = prometheus.NewRegistry()
	c.reg.MustRegister(collector{c.Poller})
	return c, nil
}

// ParseSource reads a NUT server's address as the console takes it,
// host[:port] (port 3493 by default, [v6] bracketed), and returns it as
// host:port.
func ParseSource(s string) (string, error) {
	host, port, err := nut.ParseHostPort(s)
	if err != nil {
		return "", fmt.Errorf("source %q is not host[:port]: %w", s, err)
	}
	if port == 0 {
		port = nut.DefaultPort
	}
	return net.JoinHostPort(host, strconv.Itoa(port)), nil
}

func (c *Console) onSnapshot(prev, cur *Snapshot) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.addEvents(ctx, c.ownEvents(diff(prev, cur), cur)); err != nil {
		c.log.Error("recording events failed", "err", err)
	}
	if c.store != nil && c.recordNow(cur) {
		if err := c.store.Record(ctx, cur); err != nil {
			c.log.Error("recording history failed", "err", err)
		}
	}
	c.broadcast("refresh")
}

// Run polls and serves until ctx ends; ready receives the bound address.
func (c *Console) Run(ctx context.Context, ready func(addr string)) error {
	host, _, err := net.SplitHostPort(c.opts.Listen)
	if err != nil {
		return fmt.Errorf("console listen %q: %w", c.opts.Listen, err)
	}
	tls := c.opts.CertFile != "" && c.opts.KeyFile != ""
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" && !tls && !c.opts.AllowRemote {
		return fmt.Errorf("console: %s is not a loopback address: give a TLS certificate and key, or allow it explicitly (--insecure-remote)", host)
	}
	ln, err := net.Listen("tcp", c.opts.Listen)
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	srv := &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second}
	if c.opts.Browse {
		go c.browse(ctx)
	}
	if c.nats != nil {
		go c.nats.run(ctx, c.Poller)
	}
	go c.Poller.Run(ctx)
	go func() {
		t := time.NewTicker(10 * time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				c.sweepSessions(now)
			}
		}
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if ready != nil {
		scheme := "http"
		if tls {
			scheme = "https"
		}
		ready(scheme + "://" + ln.Addr().String())
	}
	if tls {
		err = srv.ServeTLS(ln, c.opts.CertFile, c.opts.KeyFile)
	} else {
		err = srv.Serve(ln)
	}
	if c.store != nil {
		c.store.Close()
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Handler serves the pages, the API, SSE and /metrics.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", servePage(c, overview))
	mux.HandleFunc("GET /chain", servePage(c, c.chainView()))
	mux.HandleFunc("GET /device", servePage(c, c.deviceView()))
	mux.HandleFunc("GET /events", servePage(c, c.eventsView()))
	mux.HandleFunc("GET /events.csv", c.eventsCSV)
	mux.HandleFunc("GET /power", servePage(c, c.powerView()))
	mux.Handle("GET /static/", serveStatic())
	mux.HandleFunc("GET /login", servePage(c, loginView))
	mux.HandleFunc("POST /login", c.login)
	mux.HandleFunc("POST /logout", c.logout)
	c.apiRoutes(mux)
	mux.HandleFunc("POST /api/set", c.control)
	mux.HandleFunc("POST /api/cmd", c.control)
	mux.HandleFunc("POST /api/ack", c.ack)
	mux.Handle("GET /metrics", promhttp.HandlerFor(c.reg, promhttp.HandlerOpts{}))
	return securityHeaders(mux)
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "same-origin")
		// Scripts and styles from the console only (style attributes
		// draw the gauges).
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "+
			"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.ServeHTTP(w, r)
	})
}

func (c *Console) snapshot(ctx context.Context) *Snapshot {
	if s := c.Poller.Last(); s != nil {
		return s
	}
	return c.Poller.Refresh(ctx)
}

// browse adds DNS-SD-announced servers to the sources, every minute.
func (c *Console) browse(ctx context.Context) {
	for {
		found, via, err := dnssd.Browse(ctx, 3*time.Second)
		if err != nil {
			c.log.Warn("DNS-SD browse failed", "err", err)
		}
		var addrs []string
		for _, f := range found {
			if len(f.Addrs) > 0 && f.Port > 0 {
				addr := net.JoinHostPort(f.Addrs[0], strconv.Itoa(f.Port))
				addrs = append(addrs, addr)
				c.Poller.SetPlace(addr, Place{Site: f.Announcement.Site, Rack: f.Announcement.Rack})
			}
		}
		if added := c.Poller.AddSources(addrs...); len(added) > 0 {
			c.log.Info("NUT servers found by DNS-SD", "via", via, "servers", added)
			go c.Poller.Refresh(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Minute):
		}
	}
}

// DBPathIn is the default history file in a directory.
func DBPathIn(dir string) string { return filepath.Join(dir, "console.sqlite") }
