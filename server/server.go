// Package server is the NUT protocol server: it serves the devices of a
// device.Store to every NUT client (upsc, upsmon, PyNUTClient, …) with
// NUT 2.8's network protocol, its users and rights, MAXAGE staleness and
// STARTTLS. Every reply leaves in one write.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/internal/lograte"
	"github.com/powerchain/powerchain/nut"
)

// Config is what the server needs from upsd.conf and upsd.users. It can
// be replaced while serving (Reload) without dropping clients.
type Config struct {
	MaxAge  time.Duration // 0 = NUT's default, 15 s
	MaxConn int           // 0 = NUT's default, 1024
	Users   []conf.User
	TLS     *tls.Config // nil: STARTTLS answers FEATURE-NOT-CONFIGURED
	// Descriptions answer GET DESC and GET CMDDESC; nil loads NUT's
	// cmdvartab from its default place.
	Descriptions *Descriptions
	// Limits bound what one client can make the server do.
	Limits Limits
	// Sessions is how plain sessions are served; read when Serve starts.
	Sessions SessionPath
	// TrackingDelay is how long the result of a tracked SET VAR or
	// INSTCMD is kept (upsd.conf's TRACKINGDELAY; 0: NUT's hour).
	TrackingDelay time.Duration
}

func (c *Config) trackingDelay() time.Duration {
	if c.TrackingDelay <= 0 {
		return DefaultTrackingDelay
	}
	return c.TrackingDelay
}

func (c *Config) maxAge() time.Duration {
	if c.MaxAge <= 0 {
		return 15 * time.Second
	}
	return c.MaxAge
}

func (c *Config) maxConn() int {
	if c.MaxConn <= 0 {
		return 1024
	}
	return c.MaxConn
}

// Server serves one device store.
type Server struct {
	store *device.Store
	cfg   atomic.Pointer[Config]
	log   *slog.Logger

	mu       sync.Mutex
	sessions map[*session]struct{}
	fsd      sync.Map // device name → true: the forced-shutdown flag, read by every GET of ups.status
	tracking tracker
	conns    atomic.Int64
	rate     connRate
	warnings *lograte.Logger
	adopted  atomic.Int64 // sessions a ring has taken
}

// New returns a server for store.
func New(store *device.Store, cfg *Config) *Server {
	s := &Server{store: store, log: slog.Default(), sessions: map[*session]struct{}{}}
	s.warnings = lograte.New(s.log, warnEvery)
	s.Reload(cfg)
	return s
}

// Reload replaces the configuration; connected clients stay connected
// and their next request uses the new users and limits.
func (s *Server) Reload(cfg *Config) {
	cp := *cfg
	if cp.Descriptions == nil {
		cp.Descriptions = LoadDescriptions("")
	}
	cp.Limits = cp.Limits.withDefaults(cp.maxConn())
	s.cfg.Store(&cp)
}

func (s *Server) limits() *Limits { return &s.cfg.Load().Limits }

// warnEvery is how often one kind of warning a client can cause (MAXCONN,
// a refused line, an idle or stuck client) is logged at most; the next
// line says how many were left out.
const warnEvery = 10 * time.Second

// warn logs a warning a client can cause at will, rate-limited.
func (s *Server) warn(msg string, args ...any) { s.warnings.Warn(msg, args...) }

// Sessions is the number of client connections being served.
func (s *Server) Sessions() int { return int(s.conns.Load()) }

// FSD reports whether the forced-shutdown flag is set on a device.
func (s *Server) FSD(ups string) bool {
	_, set := s.fsd.Load(ups)
	return set
}

// Serve accepts connections on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	// Serve also returns on an accept error: the ring stops with it
	// rather than keep the wait above from ending.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rg, grp := s.ringFor(ctx, &wg)
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				s.closeAll()
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		if !s.admit(conn) {
			conn.Close()
			continue
		}
		s.conns.Add(1)
		if rg != nil && rg.adopt(conn, grp) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.serveSession(ctx, s.newSession(conn, hostOf(conn.RemoteAddr())))
		}()
	}
}

// admit decides whether a new connection is served: under MAXCONN, and
// its address within the connection rate.
func (s *Server) admit(conn net.Conn) bool {
	cfg := s.cfg.Load()
	if int(s.conns.Load()) >= cfg.maxConn() {
		s.warn("MAXCONN reached; refusing connections", "from", conn.RemoteAddr(), "maxconn", cfg.maxConn())
		return false
	}
	var addr netip.Addr
	if t, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		addr = t.AddrPort().Addr().Unmap()
	}
	if !s.rate.allow(addr, time.Now(), cfg.Limits) {
		s.warn("connection rate exceeded; refusing connections", "from", addr, "rate", cfg.Limits.ConnRate)
		return false
	}
	return true
}

// closeAll closes the connections of the sessions goroutines serve; the
// ring closes its own when the context ends.
func (s *Server) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ss := range s.sessions {
		if ss.conn != nil {
			ss.conn.Close()
		}
	}
}

// SessionPath is how a server serves plain (not TLS) sessions.
type SessionPath int

const (
	// DefaultPath is the path chosen by measurement (docs/ARCHITECTURE.md).
	DefaultPath SessionPath = iota
	// RingPath serves plain sessions from the process's io_uring ring
	// where the kernel allows one (Linux 6.1 or later), a goroutine each
	// elsewhere; requests that may block move their session to a
	// goroutine.
	RingPath
	// GoroutinePath serves each session from a goroutine.
	GoroutinePath
)

// defaultPath is what DefaultPath means.
const defaultPath = RingPath

// String names the path ("ring", "goroutines"); DefaultPath is named
// after the path it stands for.
func (p SessionPath) String() string {
	if p == DefaultPath {
		p = defaultPath
	}
	if p == RingPath {
		return "ring"
	}
	return "goroutines"
}

// ParseSessionPath reads "ring" or "goroutines" ("" is DefaultPath).
func ParseSessionPath(s string) (SessionPath, error) {
	switch s {
	case "":
		return DefaultPath, nil
	case "ring", "io_uring":
		return RingPath, nil
	case "goroutines":
		return GoroutinePath, nil
	}
	return DefaultPath, fmt.Errorf("session path %q: want ring or goroutines", s)
}

// dispatch runs one request; it reports whether the session ends.
func (ss *session) dispatch(ctx context.Context, w []string) bool {
	cmd := strings.ToUpper(w[0])
	args := w[1:]
	switch cmd {
	case "LOGIN", "PRIMARY", "MASTER", "FSD", "SET", "INSTCMD":
		if !ss.hasUser {
			ss.err(nut.ErrUsernameRequired)
			return false
		}
		if !ss.hasPass {
			ss.err(nut.ErrPasswordRequired)
			return false
		}
	}
	switch cmd {
	case "VER", "NETVER", "PROTVER", "HELP":
		if len(args) != 0 {
			ss.err(nut.ErrInvalidArgument)
			return false
		}
	}
	switch cmd {
	case "VER":
		ss.reply(nut.ServerVersion + "\n")
	case "NETVER", "PROTVER":
		ss.reply(nut.ProtocolVersion + "\n")
	case "HELP":
		ss.reply("Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS\n")
	case "STARTTLS":
		return ss.startTLS()
	case "GET":
		ss.get(args)
	case "LIST":
		ss.list(args)
	case "USERNAME":
		switch {
		case len(args) != 1:
			ss.err(nut.ErrInvalidArgument)
		case ss.hasUser:
			ss.err(nut.ErrAlreadySetUsername)
		default:
			ss.user, ss.hasUser = args[0], true
			ss.reply("OK\n")
		}
	case "PASSWORD":
		switch {
		case len(args) != 1:
			ss.err(nut.ErrInvalidArgument)
		case ss.hasPass:
			ss.err(nut.ErrAlreadySetPassword)
		default:
			ss.password, ss.hasPass = args[0], true
			ss.reply("OK\n")
		}
	case "LOGIN":
		ss.login(args)
	case "LOGOUT":
		if len(args) != 0 {
			ss.err(nut.ErrInvalidArgument)
			return false
		}
		ss.reply("OK Goodbye\n")
		return true
	case "PRIMARY", "MASTER":
		if len(args) != 1 {
			ss.err(nut.ErrInvalidArgument)
		} else if _, ok := ss.s.store.Get(args[0]); !ok {
			ss.err(nut.ErrUnknownUPS)
		} else if !ss.allowed("MASTER") {
			ss.err(nut.ErrAccessDenied)
		} else {
			ss.reply("OK " + cmd + "-GRANTED\n")
		}
	case "FSD":
		ss.fsd(args)
	case "SET":
		ss.set(ctx, args)
	case "INSTCMD":
		ss.instcmd(ctx, args)
	default:
		ss.err(nut.ErrUnknownCommand)
	}
	return false
}

func (ss *session) startTLS() bool {
	cfg := ss.s.cfg.Load().TLS
	switch {
	case ss.tls:
		ss.err(nut.ErrAlreadySSLMode)
		return false
	case cfg == nil:
		ss.err(nut.ErrFeatureNotConfigured)
		return false
	}
	ss.reply("OK STARTTLS\n")
	if !ss.flush() {
		return true
	}
	tc := tls.Server(ss.conn, cfg)
	ss.conn.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		ss.s.warnings.Info("STARTTLS handshake failed", "from", ss.addr, "err", err)
		return true
	}
	ss.conn.SetDeadline(time.Time{})
	ss.s.mu.Lock()
	ss.conn, ss.tls = tc, true
	ss.s.mu.Unlock()
	ss.deadline, ss.readDeadline = time.Time{}, time.Time{}
	// Bytes sent before the handshake are not requests (NUT's upsd
	// starts TLS on a fresh read too).
	ss.start, ss.n = 0, 0
	return false
}

// userFor returns the session's user when the password matches.
func (ss *session) userFor() (conf.User, bool) {
	for _, u := range ss.s.cfg.Load().Users {
		if u.Name == ss.user {
			return u, u.Password.Reveal() == ss.password && u.Password != ""
		}
	}
	return conf.User{}, false
}

// allowed checks an action as NUT's user_checkaction does; the upsmon
// roles grant LOGIN (both), MASTER and FSD (primary).
func (ss *session) allowed(action string) bool {
	u, ok := ss.userFor()
	if !ok {
		return false
	}
	switch u.Upsmon {
	case "primary", "master":
		if action == "LOGIN" || action == "MASTER" || action == "FSD" {
			return true
		}
	case "secondary", "slave":
		if action == "LOGIN" {
			return true
		}
	}
	return u.Can(action)
}

func (ss *session) login(args []string) {
	if len(args) != 1 {
		ss.err(nut.ErrInvalidArgument)
		return
	}
	if ss.loginUPS != "" {
		ss.err(nut.ErrAlreadyLoggedIn)
		return
	}
	if _, ok := ss.s.store.Get(args[0]); !ok {
		ss.err(nut.ErrUnknownUPS)
		return
	}
	if !ss.allowed("LOGIN") {
		ss.err(nut.ErrAccessDenied)
		return
	}
	ss.s.mu.Lock()
	ss.loginUPS = args[0]
	ss.s.mu.Unlock()
	ss.s.log.Info("user logged in", "user", ss.user, "from", ss.addr, "ups", args[0], "tls", ss.tls)
	ss.reply("OK\n")
}

func (ss *session) fsd(args []string) {
	if len(args) != 1 {
		ss.err(nut.ErrInvalidArgument)
		return
	}
	if _, ok := ss.s.store.Get(args[0]); !ok {
		ss.err(nut.ErrUnknownUPS)
		return
	}
	if !ss.allowed("FSD") {
		ss.err(nut.ErrAccessDenied)
		return
	}
	ss.s.fsd.Store(args[0], true)
	ss.s.log.Warn("forced shutdown set", "ups", args[0], "by", ss.user, "from", ss.addr)
	ss.reply("OK FSD-SET\n")
}

// available returns a device's snapshot when its data may be served, or
// sends the error that says why not.
func (ss *session) available(name string) (*device.Snapshot, bool) {
	d, ok := ss.s.store.Get(name)
	if !ok {
		ss.err(nut.ErrUnknownUPS)
		return nil, false
	}
	snap := d.Snapshot()
	if !snap.Connected {
		ss.err(nut.ErrDriverNotConnected)
		return nil, false
	}
	if snap.Stale(ss.now, ss.s.cfg.Load().maxAge()) {
		ss.err(nut.ErrDataStale)
		return nil, false
	}
	return snap, true
}

// statusValue is ups.status as served: "FSD " first when the flag is set.
func (ss *session) statusValue(ups string, v device.Var) string {
	if v.Name == "ups.status" && ss.s.FSD(ups) {
		return "FSD " + v.Value
	}
	return v.Value
}

func (ss *session) get(args []string) {
	if len(args) < 1 {
		ss.err(nut.ErrInvalidArgument)
		return
	}
	sub := strings.ToUpper(args[0])
	a := args[1:]
	if n, ok := getArgs[sub]; ok && len(a) < n { // NUT ignores words past those it needs
		ss.err(nut.ErrInvalidArgument)
		return
	}
	switch sub {
	case "NUMLOGINS":
		if _, ok := ss.s.store.Get(a[0]); !ok {
			ss.err(nut.ErrUnknownUPS)
			return
		}
		ss.replyf("NUMLOGINS %s %d\n", a[0], ss.s.numLogins(a[0]))
	case "UPSDESC":
		d, ok := ss.s.store.Get(a[0])
		if !ok {
			ss.err(nut.ErrUnknownUPS)
			return
		}
		desc := d.Snapshot().Desc
		if desc == "" {
			desc = "Unavailable"
		}
		ss.replyf("UPSDESC %s %s\n", a[0], nut.Quote(desc))
	case "VAR":
		if strings.HasPrefix(strings.ToLower(a[1]), "server.") {
			switch strings.ToLower(a[1]) {
			case "server.info":
				ss.replyf("VAR %s server.info %s\n", a[0], nut.Quote(nut.ServerVersion))
			case "server.version":
				ss.replyf("VAR %s server.version \"2.8.0\"\n", a[0])
			default:
				ss.err(nut.ErrVarNotSupported)
			}
			return
		}
		snap, ok := ss.available(a[0])
		if !ok {
			return
		}
		v, ok := snap.Var(a[1])
		if !ok {
			ss.err(nut.ErrVarNotSupported)
			return
		}
		ss.out = append(ss.out, "VAR "...)
		ss.out = append(ss.out, a[0]...)
		ss.out = append(ss.out, ' ')
		ss.out = append(ss.out, v.Name...)
		ss.out = append(ss.out, ' ')
		ss.out = nut.AppendQuoted(ss.out, ss.statusValue(a[0], v))
		ss.out = append(ss.out, '\n')
	case "TYPE":
		snap, ok := ss.available(a[0])
		if !ok {
			return
		}
		v, ok := snap.Var(a[1])
		if !ok {
			ss.err(nut.ErrVarNotSupported)
			return
		}
		ss.replyf("TYPE %s %s%s\n", a[0], a[1], typeWords(v))
	case "DESC":
		if _, ok := ss.s.store.Get(a[0]); !ok {
			ss.err(nut.ErrUnknownUPS)
			return
		}
		ss.replyf("DESC %s %s %s\n", a[0], a[1], nut.Quote(ss.s.cfg.Load().Descriptions.Var(a[1])))
	case "CMDDESC":
		if _, ok := ss.s.store.Get(a[0]); !ok {
			ss.err(nut.ErrUnknownUPS)
			return
		}
		ss.replyf("CMDDESC %s %s %s\n", a[0], a[1], nut.Quote(ss.s.cfg.Load().Descriptions.Cmd(a[1])))
	case "TRACKING":
		switch {
		case len(a) == 0 && ss.tracking:
			ss.reply("ON\n")
		case len(a) == 0:
			ss.reply("OFF\n")
		case !ss.tracking:
			ss.err(nut.ErrFeatureNotConfigured)
		default:
			ss.reply(ss.s.tracking.get(a[0], ss.now, ss.s.cfg.Load().trackingDelay()) + "\n")
		}
	default:
		ss.err(nut.ErrInvalidArgument)
	}
}

// Arguments each GET and LIST form takes after its keyword.
var (
	getArgs  = map[string]int{"NUMLOGINS": 1, "UPSDESC": 1, "VAR": 2, "TYPE": 2, "DESC": 2, "CMDDESC": 2}
	listArgs = map[string]int{"UPS": 0, "VAR": 1, "RW": 1, "CMD": 1, "CLIENT": 1, "ENUM": 2, "RANGE": 2}
)

// typeWords is the TYPE reply after the variable name.
func typeWords(v device.Var) string {
	var b strings.Builder
	if v.Flags&device.RW != 0 {
		b.WriteString(" RW")
	}
	if len(v.Enum) > 0 {
		b.WriteString(" ENUM")
	}
	if len(v.Ranges) > 0 {
		b.WriteString(" RANGE")
	}
	if v.Flags&device.String != 0 {
		fmt.Fprintf(&b, " STRING:%d", v.Aux)
	} else {
		b.WriteString(" NUMBER")
	}
	return b.String()
}

func (s *Server) numLogins(ups string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for ss := range s.sessions {
		if ss.loginUPS == ups {
			n++
		}
	}
	return n
}

// Login is a client logged in to a device (NUT's LOGIN, as upsmon does).
type Login struct {
	Addr string // client address
	User string
	UPS  string
	TLS  bool // the connection went through STARTTLS
}

// Logins lists the clients logged in to devices.
func (s *Server) Logins() []Login {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Login
	for ss := range s.sessions {
		if ss.loginUPS != "" {
			out = append(out, Login{Addr: ss.addr, User: ss.user, UPS: ss.loginUPS, TLS: ss.tls})
		}
	}
	return out
}

type listVarKey struct{ fsd bool }

func (ss *session) list(args []string) {
	if len(args) < 1 {
		ss.err(nut.ErrInvalidArgument)
		return
	}
	sub := strings.ToUpper(args[0])
	a := args[1:]
	n, ok := listArgs[sub]
	if !ok || len(a) < n { // NUT ignores words past those it needs
		ss.err(nut.ErrInvalidArgument)
		return
	}
	if sub == "UPS" {
		ss.reply("BEGIN LIST UPS\n")
		for _, d := range ss.s.store.Devices() {
			desc := d.Snapshot().Desc
			if desc == "" {
				desc = "Description unavailable" // as NUT's LIST UPS; its GET UPSDESC says "Unavailable"
			}
			ss.out = append(ss.out, "UPS "...)
			ss.out = append(ss.out, d.Name()...)
			ss.out = append(ss.out, ' ')
			ss.out = nut.AppendQuoted(ss.out, desc)
			ss.out = append(ss.out, '\n')
		}
		ss.reply("END LIST UPS\n")
		return
	}
	if sub == "CLIENT" {
		if _, ok := ss.s.store.Get(a[0]); !ok {
			ss.err(nut.ErrUnknownUPS)
			return
		}
		ss.replyf("BEGIN LIST CLIENT %s\n", a[0])
		ss.s.mu.Lock()
		for o := range ss.s.sessions {
			if o.loginUPS == a[0] {
				ss.replyf("CLIENT %s %s\n", a[0], o.addr)
			}
		}
		ss.s.mu.Unlock()
		ss.replyf("END LIST CLIENT %s\n", a[0])
		return
	}
	snap, ok := ss.available(a[0])
	if !ok {
		return
	}
	ups := a[0]
	switch sub {
	case "VAR":
		key := listVarKey{fsd: ss.s.FSD(ups)}
		if b, ok := snap.Cache.Load(key); ok {
			ss.out = append(ss.out, b.([]byte)...)
			return
		}
		var b []byte
		b = fmt.Appendf(b, "BEGIN LIST VAR %s\n", ups)
		for _, v := range snap.Vars {
			b = append(b, "VAR "...)
			b = append(b, ups...)
			b = append(b, ' ')
			b = append(b, v.Name...)
			b = append(b, ' ')
			val := v.Value
			if key.fsd && v.Name == "ups.status" {
				val = "FSD " + val
			}
			b = nut.AppendQuoted(b, val)
			b = append(b, '\n')
		}
		b = fmt.Appendf(b, "END LIST VAR %s\n", ups)
		snap.Cache.Store(key, b)
		ss.out = append(ss.out, b...)
	case "RW":
		ss.replyf("BEGIN LIST RW %s\n", ups)
		for _, v := range snap.Vars {
			if v.Flags&device.RW != 0 {
				ss.replyf("RW %s %s %s\n", ups, v.Name, nut.Quote(v.Value))
			}
		}
		ss.replyf("END LIST RW %s\n", ups)
	case "CMD":
		ss.replyf("BEGIN LIST CMD %s\n", ups)
		for _, c := range snap.Cmds {
			ss.replyf("CMD %s %s\n", ups, c)
		}
		ss.replyf("END LIST CMD %s\n", ups)
	case "ENUM", "RANGE":
		v, ok := snap.Var(a[1])
		if !ok {
			ss.err(nut.ErrVarNotSupported)
			return
		}
		ss.replyf("BEGIN LIST %s %s %s\n", sub, ups, a[1])
		if sub == "ENUM" {
			for _, e := range v.Enum {
				ss.replyf("ENUM %s %s %s\n", ups, a[1], nut.Quote(e))
			}
		} else {
			for _, r := range v.Ranges {
				ss.replyf("RANGE %s %s %s %s\n", ups, a[1], nut.Quote(r.Min), nut.Quote(r.Max))
			}
		}
		ss.replyf("END LIST %s %s %s\n", sub, ups, a[1])
	}
}

// driverTimeout bounds how long a SET or INSTCMD may wait for a driver.
const driverTimeout = 15 * time.Second

func (ss *session) set(ctx context.Context, args []string) {
	if len(args) < 2 { // NUT ignores words past those it needs
		ss.err(nut.ErrInvalidArgument)
		return
	}
	if strings.EqualFold(args[0], "TRACKING") {
		switch strings.ToUpper(args[1]) {
		case "ON":
			ss.tracking = true
		case "OFF":
			ss.tracking = false
		default:
			ss.err(nut.ErrInvalidArgument)
			return
		}
		ss.reply("OK\n")
		return
	}
	if len(args) < 4 || !strings.EqualFold(args[0], "VAR") {
		ss.err(nut.ErrInvalidArgument)
		return
	}
	ups, name, value := args[1], args[2], args[3]
	d, ok := ss.s.store.Get(ups)
	if !ok {
		ss.err(nut.ErrUnknownUPS)
		return
	}
	if !ss.allowed("SET") {
		ss.err(nut.ErrAccessDenied)
		return
	}
	snap, ok := ss.available(ups)
	if !ok {
		return
	}
	v, ok := snap.Var(name)
	if !ok {
		ss.err(nut.ErrVarNotSupported)
		return
	}
	if v.Flags&device.RW == 0 {
		ss.err(nut.ErrReadonly)
		return
	}
	if v.Flags&device.String != 0 && v.Aux > 0 && len(value) > v.Aux {
		ss.err(nut.ErrTooLong)
		return
	}
	if len(v.Enum) > 0 && !contains(v.Enum, value) {
		ss.err(nut.ErrInvalidValue)
		return
	}
	ss.s.log.Info("set variable", "ups", ups, "var", name, "value", value, "user", ss.user, "from", ss.addr)
	ss.drive(ctx, d, func(ctx context.Context, h device.Handler) error { return h.SetVar(ctx, name, value) }, nut.ErrSetFailed)
}

func (ss *session) instcmd(ctx context.Context, args []string) {
	if len(args) < 2 {
		ss.err(nut.ErrInvalidArgument)
		return
	}
	ups, cmd, param := args[0], args[1], ""
	if len(args) == 3 { // as NUT: a fourth word drops the parameter too
		param = args[2]
	}
	d, ok := ss.s.store.Get(ups)
	if !ok {
		ss.err(nut.ErrUnknownUPS)
		return
	}
	// Bad credentials first (NUT checks them last): a command no device
	// has then tells a client whether its login is good without running
	// anything, which fence_nut's monitor relies on.
	u, pwOK := ss.userFor()
	if !pwOK {
		ss.err(nut.ErrAccessDenied)
		return
	}
	snap, ok := ss.available(ups)
	if !ok {
		return
	}
	if !snap.HasCmd(cmd) {
		ss.err(nut.ErrCmdNotSupported)
		return
	}
	if !u.CanRun(cmd) || d.Explicit(cmd) && !u.Names(cmd) {
		ss.err(nut.ErrAccessDenied)
		return
	}
	ss.s.log.Info("instant command", "ups", ups, "cmd", cmd, "param", param, "user", ss.user, "from", ss.addr)
	ss.drive(ctx, d, func(ctx context.Context, h device.Handler) error { return h.InstCmd(ctx, cmd, param) }, nut.ErrInstCmdFailed)
}

// drive hands a write to the device's driver and answers OK, OK TRACKING
// id, or the error (failure code when the driver says no).
func (ss *session) drive(ctx context.Context, d *device.Device, fn func(context.Context, device.Handler) error, fail nut.Error) {
	h := d.Handler()
	if h == nil {
		ss.err(nut.ErrDriverNotConnected)
		return
	}
	run := func() error {
		cctx, cancel := context.WithTimeout(ctx, driverTimeout)
		defer cancel()
		return fn(cctx, h)
	}
	defer func() { ss.now = time.Now() }() // the driver may have taken seconds
	if ss.tracking {
		id := ss.s.tracking.add(ss.now, ss.s.cfg.Load().trackingDelay())
		go func() {
			res := "SUCCESS"
			if err := run(); err != nil {
				res = "ERR FAILED"
				if errors.Is(err, nut.ErrInvalidArgument) {
					res = "ERR INVALID-ARGUMENT"
				}
			}
			ss.s.tracking.set(id, res)
		}()
		ss.replyf("OK TRACKING %s\n", id)
		return
	}
	if err := run(); err != nil {
		ss.s.log.Warn("driver refused", "ups", d.Name(), "err", err)
		var ne nut.Error
		if errors.As(err, &ne) {
			ss.err(ne)
		} else {
			ss.err(fail)
		}
		return
	}
	ss.reply("OK\n")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
