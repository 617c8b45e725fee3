package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/spf13/pflag"

	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/natsbus"
)

// natsFlags are serve's and console's NATS options (docs/fleet.md):
// NATS's own means of authentication and TLS.
type natsFlags struct {
	conn   natsbus.ConnOptions
	prefix string
	site   string
	domain string
}

// register adds the flags; site is what --nats-site says for the
// command.
func (f *natsFlags) register(fs *pflag.FlagSet, site string) {
	fs.StringVar(&f.conn.URL, "nats", "", "NATS server(s) to publish on or follow from (nats://host:4222, comma-separated; docs/fleet.md)")
	fs.StringVar(&f.conn.Creds, "nats-creds", "", "NATS credentials file (user JWT and NKey seed)")
	fs.StringVar(&f.conn.NKey, "nats-nkey", "", "file holding the NATS user's NKey seed")
	fs.StringVar(&f.conn.User, "nats-user", "", "NATS user name")
	fs.StringVar(&f.conn.PasswordFile, "nats-password-file", "", "file holding the NATS user's password")
	fs.StringVar(&f.conn.CA, "nats-ca", "", "PEM CA file verifying the NATS servers' certificates")
	fs.StringVar(&f.conn.Cert, "nats-cert", "", "PEM client certificate for NATS (with --nats-key)")
	fs.StringVar(&f.conn.Key, "nats-key", "", "PEM key of --nats-cert")
	fs.StringVar(&f.prefix, "nats-prefix", natsbus.DefaultPrefix, "first token of the NATS subjects")
	fs.StringVar(&f.domain, "nats-domain", "", "JetStream domain of the events' stream (a leaf node's clients name the hub's)")
	fs.StringVar(&f.site, "nats-site", "", site)
}

// check refuses NATS options without --nats.
func (f *natsFlags) check(fs *pflag.FlagSet) error {
	if f.conn.URL != "" {
		return nil
	}
	var set []string
	fs.Visit(func(fl *pflag.Flag) {
		if strings.HasPrefix(fl.Name, "nats-") {
			set = append(set, "--"+fl.Name)
		}
	})
	if len(set) > 0 {
		return fmt.Errorf("%s without --nats", strings.Join(set, ", "))
	}
	return nil
}

// natsStreamFlags are serve's bounds of the events' stream and its
// periodic full reads (natsbus.Publisher.Stream, SnapshotEvery).
type natsStreamFlags struct {
	stream        natsbus.StreamOptions
	maxBytes      byteSize
	snapshotEvery time.Duration
}

func (f *natsStreamFlags) register(fs *pflag.FlagSet) {
	fs.DurationVar(&f.stream.MaxAge, "nats-stream-max-age", 0, "keep events this long when creating the events' stream (default 168h)")
	fs.Var(&f.maxBytes, "nats-stream-max-bytes", "most bytes of events the stream keeps when creating it: a number, with K, M, G or T (powers of 1024; default 256M)")
	fs.Int64Var(&f.stream.MaxPerDevice, "nats-stream-max-per-device", 0, "most events of one device the stream keeps when creating it (default 10000)")
	fs.IntVar(&f.stream.Replicas, "nats-stream-replicas", 0, "replicas of the events' stream when creating it, 1 to 5 (default: 3 on a cluster that can place them, else 1)")
	fs.DurationVar(&f.snapshotEvery, "nats-snapshot-every", 0, "also publish a full read of the devices this often (default: only when needed)")
}

// check refuses values the stream cannot have (nats is whether --nats
// is given: without it natsFlags.check has refused the flags).
func (f *natsStreamFlags) check(fs *pflag.FlagSet, nats bool) error {
	if !nats {
		return nil
	}
	f.stream.MaxBytes = int64(f.maxBytes)
	for _, c := range []struct {
		name string
		bad  bool
		want string
	}{
		{"nats-stream-max-age", f.stream.MaxAge <= 0, "a duration above zero"},
		{"nats-stream-max-bytes", f.stream.MaxBytes <= 0, "a size above zero"},
		{"nats-stream-max-per-device", f.stream.MaxPerDevice <= 0, "a number above zero"},
		{"nats-stream-replicas", f.stream.Replicas < 1 || f.stream.Replicas > 5, "1 to 5"},
		{"nats-snapshot-every", f.snapshotEvery <= 0, "a duration above zero"},
	} {
		if fs.Changed(c.name) && c.bad {
			return fmt.Errorf("--%s %s: want %s", c.name, fs.Lookup(c.name).Value, c.want)
		}
	}
	return nil
}

// byteSize is a number of bytes written as a number with K, M, G or T
// (powers of 1024; "KiB", "MB" and "B" read alike).
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Type() string { return "size" }

func (b *byteSize) Set(s string) error {
	num := strings.TrimRight(strings.ToUpper(strings.TrimSpace(s)), "IB")
	shift := 0
	if i := strings.IndexAny(num, "KMGT"); i >= 0 && i == len(num)-1 {
		shift = 10 * (1 + strings.IndexByte("KMGT", num[i]))
		num = num[:i]
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64>>shift {
		return fmt.Errorf("%q is not a size (a number, with K, M, G or T)", s)
	}
	*b = byteSize(n << shift)
	return nil
}

// natsServe publishes serve's devices on NATS.
type natsServe struct {
	f          *natsFlags
	stream     natsStreamFlags
	name, addr string
	nc         *nats.Conn
	port       int
	done       chan struct{}
}

// serve connects to NATS for serve. A NATS server that does not answer
// is no error: serve runs, and publishes once it answers.
func (f *natsFlags) serve(name, addr string, stream natsStreamFlags) (*natsServe, error) {
	if name == "" {
		name, _ = os.Hostname()
	}
	f.conn.Name = "powerchain serve " + name
	nc, err := natsbus.Connect(f.conn)
	if err != nil {
		return nil, err
	}
	return &natsServe{f: f, stream: stream, name: name, addr: addr, nc: nc}, nil
}

// ready notes the port of the first listener (daemon.Options.Ready).
func (s *natsServe) ready(addrs []net.Addr) {
	for _, a := range addrs {
		if t, ok := a.(*net.TCPAddr); ok {
			s.port = t.Port
			return
		}
	}
}

// start publishes the daemon's devices until ctx ends, under
// --nats-site, else the server's site (daemon.Place: --site or upsd.conf's
// POWERCHAIN_SITE at start; a reload does not move it), else "default".
// The full reads say the server's site and rack as they are at start.
func (s *natsServe) start(ctx context.Context, d *daemon.Daemon) {
	site, rack := d.Place()
	if s.f.site == "" {
		s.f.site = site
		if s.f.site == "" {
			s.f.site = "default"
		}
	}
	if s.addr == "" {
		s.addr = s.name
		if s.port != 0 {
			s.addr = net.JoinHostPort(s.name, strconv.Itoa(s.port))
		}
	}
	p := &natsbus.Publisher{Conn: s.nc, Server: d.Server(), Store: d.Store(), Subjects: natsbus.Subjects{Prefix: s.f.prefix},
		Site: s.f.site, Name: s.name, Addr: s.addr, Place: natsbus.Place{Site: site, Rack: rack}, Domain: s.f.domain, Stream: s.stream.stream, SnapshotEvery: s.stream.snapshotEvery}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		defer s.nc.Close()
		if err := p.Run(ctx); err != nil {
			slog.Error("publishing on NATS failed", "err", err)
		}
	}()
}

// wait waits a moment at most for the publisher to tell its followers
// that the server stops.
func (s *natsServe) wait() {
	if s.done == nil {
		s.nc.Close()
		return
	}
	select {
	case <-s.done:
	case <-time.After(3 * time.Second):
	}
}
