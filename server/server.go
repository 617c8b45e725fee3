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
	"sync"
	"sync/atomic"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/internal/lograte"
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
	// Guard, when set, may refuse an instant command before the driver
	// runs it (the power chain's guard: a command that would cut a load's
	// last healthy supply path); the client gets ERR INSTCMD-FAILED.
	Guard func(ctx context.Context, ups, cmd string) error
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
	tracking tracker
	conns    atomic.Int64
	rate     connRate
	warnings *lograte.Logger
	adopted  atomic.Int64 // sessions a ring has taken
	// subscribers counts SUBSCRIBE sessions; reloaded is closed at the
	// next Reload (a new MAXAGE changes what is stale), under mu.
	subscribers atomic.Int64
	reloaded    chan struct{}
	reloads     uint64 // Reloads so far; with reloaded, under mu
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
	s.mu.Lock()
	s.reloads++
	if s.reloaded != nil {
		close(s.reloaded)
		s.reloaded = nil
	}
	s.mu.Unlock()
}

// nextReload returns a channel closed at the next Reload, and how many
// reloads there have been.
func (s *Server) nextReload() (<-chan struct{}, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reloaded == nil {
		s.reloaded = make(chan struct{})
	}
	return s.reloaded, s.reloads
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
func (s *Server) FSD(ups string) bool { return s.store.FSD(ups) }

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
