package natsbus

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// ConnOptions say how to reach NATS, with NATS's own means of
// authentication and TLS.
type ConnOptions struct {
	// URL is one server or several, comma-separated
	// (nats://host:4222, tls://host:4222; user:password@ allowed).
	URL string
	// Name is the connection's name in the servers' monitoring.
	Name string
	// Creds is a credentials file (a user JWT and its NKey seed, as nsc
	// writes it).
	Creds string
	// NKey is a file holding an NKey seed (SU…).
	NKey string
	// User and the file holding the password.
	User, PasswordFile string
	// CA verifies the servers' certificates (PEM); Cert and Key are a
	// client certificate for servers that ask for one.
	CA, Cert, Key string
	Log           *slog.Logger
}

// Connect connects to NATS. A server that does not answer yet is no
// error: the connection keeps trying in the background (as after any
// loss), so a NATS outage never stops the caller. Unreadable credential
// or certificate files are.
func Connect(o ConnOptions) (*nats.Conn, error) {
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	if o.URL == "" {
		return nil, errors.New("nats: no server URL")
	}
	opts := []nats.Option{
		nats.Name(o.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.RetryOnFailedConnect(true),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if err != nil {
				log.Warn("NATS connection lost; reconnecting", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("NATS connection back", "server", nc.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(nc *nats.Conn, s *nats.Subscription, err error) {
			subj := ""
			if s != nil {
				subj = s.Subject
			}
			log.Warn("NATS error", "subject", subj, "err", err)
		}),
	}
	if o.Creds != "" {
		if err := readable(o.Creds); err != nil {
			return nil, fmt.Errorf("nats credentials: %w", err)
		}
		opts = append(opts, nats.UserCredentials(o.Creds))
	}
	if o.NKey != "" {
		opt, err := nats.NkeyOptionFromSeed(o.NKey)
		if err != nil {
			return nil, fmt.Errorf("nats nkey %s: %w", o.NKey, err)
		}
		opts = append(opts, opt)
	}
	if o.User != "" || o.PasswordFile != "" {
		pass := ""
		if o.PasswordFile != "" {
			b, err := os.ReadFile(o.PasswordFile)
			if err != nil {
				return nil, fmt.Errorf("nats password: %w", err)
			}
			pass = strings.TrimRight(string(b), "\r\n")
		}
		opts = append(opts, nats.UserInfo(o.User, pass))
	}
	if o.CA != "" {
		if err := readable(o.CA); err != nil {
			return nil, fmt.Errorf("nats CA: %w", err)
		}
		opts = append(opts, nats.RootCAs(o.CA))
	}
	if o.Cert != "" || o.Key != "" {
		if o.Cert == "" || o.Key == "" {
			return nil, errors.New("nats: a client certificate needs both the certificate and its key")
		}
		for _, f := range []string{o.Cert, o.Key} {
			if err := readable(f); err != nil {
				return nil, fmt.Errorf("nats client certificate: %w", err)
			}
		}
		opts = append(opts, nats.ClientCert(o.Cert, o.Key))
	}
	nc, err := nats.Connect(o.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("nats %s: %w", redact(o.URL), err)
	}
	return nc, nil
}

func readable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return f.Close()
}

// redact hides passwords in URLs for messages.
func redact(urls string) string {
	var out []string
	for _, u := range strings.Split(urls, ",") {
		if at := strings.LastIndex(u, "@"); at >= 0 {
			scheme, rest, ok := strings.Cut(u[:at], "://")
			if ok {
				user, _, _ := strings.Cut(rest, ":")
				u = scheme + "://" + user + ":<secret>" + u[at:]
			}
		}
		out = append(out, u)
	}
	return strings.Join(out, ",")
}
