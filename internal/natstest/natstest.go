// Package natstest runs NATS servers (nats-server, in this process) on
// loopback for tests and benchmarks: one server with JetStream, or a
// cluster of servers joined by routes, and the certificates for TLS.
package natstest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/powerchain/powerchain/internal/waittest"
)

// Options are a server's options as tests start them: loopback, a port
// the kernel picks, JetStream storing in a temporary directory, no log.
func Options(t testing.TB) *server.Options {
	return &server.Options{
		Host:      "127.0.0.1",
		Port:      -1,
		JetStream: true,
		StoreDir:  t.TempDir(),
		NoLog:     true,
		NoSigs:    true,
		// JetStream takes what it finds free otherwise.
		JetStreamMaxMemory: 64 << 20,
		JetStreamMaxStore:  1 << 30,
	}
}

// Start starts a server with opts (Options, changed as the test needs)
// and stops it at the end of the test.
func Start(t testing.TB, opts *server.Options) *server.Server {
	t.Helper()
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatalf("nats-server: %v", err)
	}
	go s.Start()
	if !s.ReadyForConnections(20 * time.Second) {
		s.Shutdown()
		t.Fatal("nats-server not ready in 20 s")
	}
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	return s
}

// Server starts one server with JetStream.
func Server(t testing.TB) *server.Server { return Start(t, Options(t)) }

// Port is the port a server listens on for clients.
func Port(s *server.Server) int { return s.Addr().(*net.TCPAddr).Port }

// Restart starts a server again as it was, on port (Port of the one
// that was shut down) with the same store, as after an outage.
func Restart(t testing.TB, opts *server.Options, port int) *server.Server {
	t.Helper()
	cp := opts.Clone()
	cp.Port = port
	return Start(t, cp)
}

// freePorts returns n TCP ports on loopback free a moment ago.
func freePorts(t testing.TB, n int) []int {
	var lns []net.Listener
	defer func() {
		for _, l := range lns {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// Cluster starts n servers with JetStream joined by routes on loopback
// (a cluster named "powerchain") and waits until JetStream has a leader.
// opts are each server's options before they are started.
func Cluster(t testing.TB, n int) ([]*server.Server, []*server.Options) {
	t.Helper()
	ports := freePorts(t, n)
	var routes []*url.URL
	for _, p := range ports {
		routes = append(routes, &url.URL{Scheme: "nats-route", Host: "127.0.0.1:" + strconv.Itoa(p)})
	}
	var servers []*server.Server
	var opts []*server.Options
	for i := range n {
		o := Options(t)
		o.ServerName = fmt.Sprintf("n%d", i+1)
		o.Cluster = server.ClusterOpts{Name: "powerchain", Host: "127.0.0.1", Port: ports[i]}
		o.Routes = routes
		opts = append(opts, o)
		servers = append(servers, Start(t, o))
	}
	if !waittest.Until(30*time.Second, 50*time.Millisecond, func() bool {
		routed, leader := true, false
		for _, s := range servers {
			routed = routed && s.NumRoutes() >= n-1
			leader = leader || s.JetStreamIsLeader()
		}
		return routed && leader
	}) {
		t.Fatalf("NATS cluster of %d not formed in 30 s", n)
	}
	return servers, opts
}

// URL is a server's client URL.
func URL(s *server.Server) string { return s.ClientURL() }

// Certs are the files of a test CA and the certificates it signed.
type Certs struct {
	CA                    string // the CA's certificate (PEM)
	ServerCert, ServerKey string // for 127.0.0.1 and localhost
	ClientCert, ClientKey string // a client certificate
	pool                  *x509.CertPool
	server                tls.Certificate
}

// TLS writes a CA and a server and a client certificate into dir.
func TLS(t testing.TB, dir string) *Certs {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "powerchain test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	c := &Certs{CA: filepath.Join(dir, "ca.pem"), pool: x509.NewCertPool()}
	c.pool.AddCert(ca)
	write(t, c.CA, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	issue := func(name string, serial int64, usage x509.ExtKeyUsage, withIP bool) (string, string) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
		if withIP {
			tmpl.IPAddresses, tmpl.DNSNames = []net.IP{net.ParseIP("127.0.0.1")}, []string{"localhost"}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, _ := x509.MarshalECPrivateKey(key)
		certFile, keyFile := filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
		write(t, certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
		write(t, keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
		return certFile, keyFile
	}
	c.ServerCert, c.ServerKey = issue("server", 2, x509.ExtKeyUsageServerAuth, true)
	c.ClientCert, c.ClientKey = issue("client", 3, x509.ExtKeyUsageClientAuth, false)
	c.server, err = tls.LoadX509KeyPair(c.ServerCert, c.ServerKey)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func write(t testing.TB, path string, b []byte) {
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// ServerTLS is a server's TLS configuration that asks clients for a
// certificate of the CA.
func (c *Certs) ServerTLS() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c.server}, ClientCAs: c.pool,
		ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12}
}
