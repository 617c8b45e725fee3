package main

import (
	"context"
	"fmt"
	"log/slog"
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

// natsServe publishes serve's devices on NATS.
type natsServe struct {
	f          *natsFlags
	name, addr string
	nc         *nats.Conn
	port       int
	done       chan struct{}
}

// serve connects to NATS for serve. A NATS server that does not answer
// is no error: serve runs, and publishes once it answers.
func (f *natsFlags) serve(name, addr string) (*natsServe, error) {
	if name == "" {
		name, _ = os.Hostname()
	}
	if f.site == "" {
		f.site = "default"
	}
	f.conn.Name = "powerchain serve " + name
	nc, err := natsbus.Connect(f.conn)
	if err != nil {
		return nil, err
	}
	return &natsServe{f: f, name: name, addr: addr, nc: nc}, nil
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

// start publishes the daemon's devices until ctx ends.
func (s *natsServe) start(ctx context.Context, d *daemon.Daemon) {
	if s.addr == "" {
		s.addr = s.name
		if s.port != 0 {
			s.addr = net.JoinHostPort(s.name, strconv.Itoa(s.port))
		}
	}
	p := &natsbus.Publisher{Conn: s.nc, Server: d.Server(), Store: d.Store(), Subjects: natsbus.Subjects{Prefix: s.f.prefix},
		Site: s.f.site, Name: s.name, Addr: s.addr, Domain: s.f.domain}
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
