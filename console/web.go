package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/dnssd"
	"github.com/powerchain/powerchain/nut"
)

//go:embed templates/*.html
var templateFS embed.FS

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
	// Browse adds the NUT servers announced with DNS-SD (_nut._tcp),
	// looking again every minute.
	Browse bool
	Log    *slog.Logger
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
}

type session struct {
	user     string
	password conf.Secret
	expires  time.Time
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
		c.store = st
	}
	c.Poller = &Poller{Sources: o.Sources, Interval: o.Interval, Timeout: o.Timeout, Log: o.Log, OnSnapshot: c.onSnapshot}
	funcs := template.FuncMap{"statusClass": statusClass, "healthClass": healthClass, "power": func(d *Device) string {
		if w, ok := watts(d); ok {
			return strconv.FormatFloat(w, 'f', 0, 64)
		}
		return ""
	}}
	t, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
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

func statusClass(d *Device) string {
	st := " " + d.Vars["ups.status"] + " "
	switch {
	case d.Stale:
		return "stale"
	case strings.Contains(st, " LB ") || strings.Contains(st, " OFF ") || strings.Contains(st, " FSD "):
		return "bad"
	case strings.Contains(st, " OB ") || strings.Contains(st, " ALARM "):
		return "warn"
	}
	return "ok"
}

func healthClass(h chain.Health) string {
	switch h {
	case chain.Healthy:
		return "ok"
	case chain.Degraded:
		return "warn"
	}
	return "bad"
}

// watts is a device's real power: ups.realpower, input.realpower or
// outlet.realpower.
func watts(d *Device) (float64, bool) {
	for _, v := range []string{"ups.realpower", "input.realpower", "outlet.realpower"} {
		if f, ok := number(d.Vars[v]); ok {
			return f, true
		}
	}
	return 0, false
}

func (c *Console) onSnapshot(prev, cur *Snapshot) {
	evs := diff(prev, cur)
	if c.store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := c.store.AddEvents(ctx, evs); err != nil {
			c.log.Error("recording events failed", "err", err)
		}
		if err := c.store.Record(ctx, cur); err != nil {
			c.log.Error("recording history failed", "err", err)
		}
		cancel()
	}
	c.broadcast("refresh")
}

func (c *Console) broadcast(msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ch := range c.subs {
		select {
		case ch <- msg:
		default:
		}
	}
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
	go c.Poller.Run(ctx)
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
	mux.HandleFunc("GET /{$}", c.page("overview", c.overview))
	mux.HandleFunc("GET /chain", c.page("chain", c.chainPage))
	mux.HandleFunc("GET /device", c.page("device", c.devicePage))
	mux.HandleFunc("GET /events", c.page("events", c.eventsPage))
	mux.HandleFunc("GET /power", c.page("power", c.powerPage))
	mux.HandleFunc("GET /login", c.page("login", func(r *http.Request, d map[string]any) error { return nil }))
	mux.HandleFunc("POST /login", c.login)
	mux.HandleFunc("POST /logout", c.logout)
	mux.HandleFunc("GET /api/sources", c.api(func(r *http.Request, s *Snapshot) (any, error) { return s.Sources, nil }))
	mux.HandleFunc("GET /api/devices", c.api(func(r *http.Request, s *Snapshot) (any, error) { return nonNil(s.Devices), nil }))
	mux.HandleFunc("GET /api/device", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		d := s.Device(r.FormValue("source"), r.FormValue("ups"))
		if d == nil {
			return nil, errNotFound
		}
		return d, nil
	}))
	mux.HandleFunc("GET /api/chain", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		nodes := map[string]*chain.Node{}
		if s.Graph != nil && s.Graph.Nodes != nil {
			nodes = s.Graph.Nodes
		}
		return map[string]any{"nodes": nodes, "loads": nonNil(s.Loads)}, nil
	}))
	mux.HandleFunc("GET /api/whatif", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		return nonNil(s.Graph.WhatIf(r.FormValue("device"))), nil
	}))
	mux.HandleFunc("GET /api/power", c.api(func(r *http.Request, s *Snapshot) (any, error) { return powerUse(s), nil }))
	mux.HandleFunc("GET /api/events", c.api(func(r *http.Request, s *Snapshot) (any, error) { return c.events(r.Context(), 500) }))
	mux.HandleFunc("GET /api/history", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		if c.store == nil {
			return []Point{}, nil
		}
		pts, err := c.store.History(r.Context(), r.FormValue("source"), r.FormValue("ups"), r.FormValue("var"), time.Now().Add(-24*time.Hour))
		return nonNil(pts), err
	}))
	mux.HandleFunc("GET /api/stream", c.stream)
	mux.HandleFunc("POST /api/notify", c.notify)
	mux.HandleFunc("POST /api/set", c.control)
	mux.HandleFunc("POST /api/cmd", c.control)
	mux.Handle("GET /metrics", promhttp.HandlerFor(c.reg, promhttp.HandlerOpts{}))
	return securityHeaders(mux)
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

var errNotFound = errors.New("not found")

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (c *Console) snapshot(ctx context.Context) *Snapshot {
	if s := c.Poller.Last(); s != nil {
		return s
	}
	return c.Poller.Refresh(ctx)
}

func (c *Console) api(fn func(*http.Request, *Snapshot) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r, c.snapshot(r.Context()))
		w.Header().Set("Content-Type", "application/json")
		switch {
		case errors.Is(err, errNotFound):
			w.WriteHeader(http.StatusNotFound)
			json.NewEncoder(w).Encode(map[string]string{"error": "not found"})
			return
		case err != nil:
			w.WriteHeader(http.StatusInternalServerError)
			json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(v)
	}
}

func (c *Console) events(ctx context.Context, n int) ([]Event, error) {
	if c.store == nil {
		return []Event{}, nil
	}
	evs, err := c.store.Events(ctx, n)
	if evs == nil {
		evs = []Event{}
	}
	return evs, err
}

// csrfToken returns the visitor's token (a cookie, submitted back with
// every form: double-submit).
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie("pc_csrf"); err == nil && len(ck.Value) == 32 {
		return ck.Value
	}
	t := randomHex(16)
	http.SetCookie(w, &http.Cookie{Name: "pc_csrf", Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return t
}

func checkCSRF(r *http.Request) bool {
	ck, err := r.Cookie("pc_csrf")
	form := r.FormValue("csrf")
	if form == "" {
		form = r.Header.Get("X-CSRF-Token")
	}
	return err == nil && len(ck.Value) == 32 && subtle.ConstantTimeCompare([]byte(ck.Value), []byte(form)) == 1
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (c *Console) sessionOf(r *http.Request) *session {
	ck, err := r.Cookie("pc_session")
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sessions[ck.Value]
	if s == nil || time.Now().After(s.expires) {
		delete(c.sessions, ck.Value)
		return nil
	}
	return s
}

func (c *Console) page(name string, fill func(*http.Request, map[string]any) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		data := map[string]any{"Page": name, "Title": strings.ToUpper(name[:1]) + name[1:], "CSRF": csrfToken(w, r),
			"Snap": c.snapshot(r.Context()), "User": "", "Error": r.FormValue("error")}
		if s := c.sessionOf(r); s != nil {
			data["User"] = s.user
		}
		if err := fill(r, data); err != nil {
			if errors.Is(err, errNotFound) {
				http.NotFound(w, r)
				return
			}
			data["Error"] = err.Error()
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := c.tmpl.ExecuteTemplate(w, name+".html", data); err != nil {
			c.log.Error("rendering a page failed", "page", name, "err", err)
		}
	}
}

type counts struct{ OB, LB, Stale, AtRisk int }

func (c *Console) overview(r *http.Request, d map[string]any) error {
	s := d["Snap"].(*Snapshot)
	var n counts
	for _, dev := range s.Devices {
		st := " " + dev.Vars["ups.status"] + " "
		if strings.Contains(st, " OB ") {
			n.OB++
		}
		if strings.Contains(st, " LB ") {
			n.LB++
		}
		if dev.Stale {
			n.Stale++
		}
	}
	for _, l := range s.Loads {
		if l.Health == chain.AtRisk {
			n.AtRisk++
		}
	}
	d["Counts"] = n
	return nil
}

func (c *Console) chainPage(r *http.Request, d map[string]any) error {
	s := d["Snap"].(*Snapshot)
	d["SVG"] = chainSVG(s.Graph)
	if id := r.FormValue("whatif"); id != "" {
		d["WhatIf"] = id
		d["Lost"] = s.Graph.WhatIf(id)
	}
	return nil
}

type varRow struct {
	Name, Value string
	RW          bool
}

type chart struct {
	Name string
	SVG  template.HTML
}

func (c *Console) devicePage(r *http.Request, d map[string]any) error {
	s := d["Snap"].(*Snapshot)
	dev := s.Device(r.FormValue("source"), r.FormValue("ups"))
	if dev == nil {
		return errNotFound
	}
	d["Dev"] = dev
	d["Title"] = dev.Name
	rw := map[string]bool{}
	for _, v := range dev.RW {
		rw[v] = true
	}
	var rows []varRow
	for k, v := range dev.Vars {
		rows = append(rows, varRow{k, v, rw[k]})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	d["Vars"] = rows
	if c.store != nil {
		var charts []chart
		for _, v := range HistoryVars {
			pts, err := c.store.History(r.Context(), dev.Source, dev.Name, v, time.Now().Add(-24*time.Hour))
			if err == nil && len(pts) > 1 {
				charts = append(charts, chart{v, lineSVG(pts)})
			}
		}
		d["Charts"] = charts
	}
	return nil
}

func (c *Console) eventsPage(r *http.Request, d map[string]any) error {
	evs, err := c.events(r.Context(), 500)
	d["Events"] = evs
	return err
}

type powerRow struct {
	Name, Source string
	Watts        float64
}

// powerUse sums real power per device, per chain root and per server.
func powerUse(s *Snapshot) map[string][]powerRow {
	var devs []powerRow
	sites := map[string]float64{}
	byID := map[string]float64{}
	for _, d := range s.Devices {
		if w, ok := watts(d); ok {
			devs = append(devs, powerRow{d.Name, d.Source, w})
			sites[d.Source] += w
			byID[d.Name+"@"+d.Source] = w
		}
	}
	// A root's chain draws what its direct children draw (or the root's
	// own reading when it has one).
	var chains []powerRow
	if s.Graph != nil {
		for _, root := range s.Graph.Roots() {
			w, ok := byID[root.ID]
			if !ok {
				for _, ch := range s.Graph.Children(root.ID) {
					w += byID[ch.ID]
				}
			}
			chains = append(chains, powerRow{Name: root.Name + "@" + root.Server, Watts: w})
		}
	}
	var siteRows []powerRow
	for k, v := range sites {
		siteRows = append(siteRows, powerRow{Name: k, Watts: v})
	}
	sort.Slice(siteRows, func(i, j int) bool { return siteRows[i].Name < siteRows[j].Name })
	return map[string][]powerRow{"devices": nonNil(devs), "chains": nonNil(chains), "sites": nonNil(siteRows)}
}

func (c *Console) powerPage(r *http.Request, d map[string]any) error {
	p := powerUse(d["Snap"].(*Snapshot))
	d["Power"], d["Chains"], d["Sites"] = p["devices"], p["chains"], p["sites"]
	return nil
}

// login checks a NUT user of upsd.users and opens a session; the
// password is kept in memory only, to act on the servers as that user.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	if !checkCSRF(r) {
		http.Error(w, "bad or missing CSRF token", http.StatusForbidden)
		return
	}
	user, pass := r.FormValue("username"), r.FormValue("password")
	ok := false
	if cd, err := conf.LoadDir(c.opts.ConfDir); err == nil {
		if u, found := cd.Users().User(user); found && u.Password != "" &&
			subtle.ConstantTimeCompare([]byte(u.Password.Reveal()), []byte(pass)) == 1 {
			ok = true
		}
	}
	if !ok {
		c.log.Warn("console log-in refused", "user", user, "from", r.RemoteAddr)
		http.Redirect(w, r, "/login?error="+urlQuery("wrong user or password"), http.StatusSeeOther)
		return
	}
	tok := randomHex(24)
	c.mu.Lock()
	c.sessions[tok] = &session{user: user, password: conf.Secret(pass), expires: time.Now().Add(8 * time.Hour)}
	c.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "pc_session", Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	c.log.Info("console log-in", "user", user, "from", r.RemoteAddr)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func urlQuery(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, " ", "+"), "&", "%26")
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if !checkCSRF(r) {
		http.Error(w, "bad or missing CSRF token", http.StatusForbidden)
		return
	}
	if ck, err := r.Cookie("pc_session"); err == nil {
		c.mu.Lock()
		delete(c.sessions, ck.Value)
		c.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: "pc_session", Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// control runs SET VAR or INSTCMD on the device's server as the logged-in
// user: the server's own rights decide.
func (c *Console) control(w http.ResponseWriter, r *http.Request) {
	s := c.sessionOf(r)
	switch {
	case s == nil:
		http.Error(w, "log in first", http.StatusUnauthorized)
		return
	case !checkCSRF(r):
		http.Error(w, "bad or missing CSRF token", http.StatusForbidden)
		return
	}
	src, ups := r.FormValue("source"), r.FormValue("ups")
	if !c.Poller.Known(src) {
		http.Error(w, "unknown source", http.StatusBadRequest)
		return
	}
	for _, k := range []string{"ups", "cmd", "var", "value"} {
		if err := client.CheckWord(r.FormValue(k)); err != nil {
			http.Error(w, k+": "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	what := ""
	err := func() error {
		cl, err := client.Dial(ctx, src)
		if err != nil {
			return err
		}
		defer cl.Close()
		if err := cl.Authenticate(ctx, s.user, s.password.Reveal()); err != nil {
			return err
		}
		if strings.HasSuffix(r.URL.Path, "/cmd") {
			what = "INSTCMD " + r.FormValue("cmd")
			return cl.InstCmd(ctx, ups, r.FormValue("cmd"))
		}
		what = fmt.Sprintf("SET %s = %q", r.FormValue("var"), r.FormValue("value"))
		return cl.Set(ctx, ups, r.FormValue("var"), r.FormValue("value"))
	}()
	ev := Event{At: time.Now(), Source: src, Device: ups, Kind: "control", Message: fmt.Sprintf("%s by %s", what, s.user)}
	if err != nil {
		ev.Message += ": " + err.Error()
	}
	if c.store != nil {
		c.store.AddEvents(context.Background(), []Event{ev})
	}
	c.log.Info("console control", "user", s.user, "source", src, "ups", ups, "what", what, "err", err)
	back := "/device?source=" + src + "&ups=" + ups
	if err != nil {
		if r.Header.Get("Accept") == "application/json" {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		http.Redirect(w, r, back+"&error="+urlQuery(err.Error()), http.StatusSeeOther)
		return
	}
	go func() { // show the result soon
		time.Sleep(300 * time.Millisecond)
		c.Poller.Refresh(context.Background())
	}()
	if r.Header.Get("Accept") == "application/json" {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"ok":true}`)
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// stream sends "refresh" events (SSE) after every poll.
func (c *Console) stream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	ch := make(chan string, 4)
	c.mu.Lock()
	c.subs[ch] = struct{}{}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.subs, ch)
		c.mu.Unlock()
	}()
	fmt.Fprint(w, ": powerchain\n\n")
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-ch:
			fmt.Fprintf(w, "event: %s\ndata: {}\n\n", msg)
			fl.Flush()
		}
	}
}

// notify records a monitor's notification (upsmon's NOTIFYCMD running
// "powerchain console-notify"): loopback callers only, form fields type,
// ups, message, host.
func (c *Console) notify(w http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		http.Error(w, "notifications are taken from loopback only", http.StatusForbidden)
		return
	}
	typ, ups, msg := r.FormValue("type"), r.FormValue("ups"), r.FormValue("message")
	if typ == "" || len(typ) > 32 || len(ups) > 256 || len(msg) > 1024 {
		http.Error(w, "want type (≤ 32), ups, message", http.StatusBadRequest)
		return
	}
	ev := Event{At: time.Now(), Source: r.FormValue("host"), Device: ups, Kind: "notify", Message: typ + ": " + msg}
	if c.store != nil {
		if err := c.store.AddEvents(r.Context(), []Event{ev}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	c.broadcast("refresh")
	w.WriteHeader(http.StatusNoContent)
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
				addrs = append(addrs, net.JoinHostPort(f.Addrs[0], strconv.Itoa(f.Port)))
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
