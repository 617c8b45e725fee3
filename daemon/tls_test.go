package daemon

import (
	"context"
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
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/internal/nuttest"
)

// selfSigned writes a PEM file with a certificate for 127.0.0.1 and its
// key, as upsd.conf's CERTFILE holds them, and returns a pool trusting it.
func selfSigned(t *testing.T, path string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "powerchain test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	pemBytes := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})...)
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

// TestStartTLS: with CERTFILE in upsd.conf, STARTTLS upgrades the
// connection and a login and its rights work over TLS; a second STARTTLS
// is refused; plain-text clients keep working (NUT's upsc falls back).
func TestStartTLS(t *testing.T) {
	dir := rackDir(t)
	pool := selfSigned(t, filepath.Join(dir, "upsd.pem"))
	os.WriteFile(filepath.Join(dir, "upsd.conf"), []byte("CERTFILE "+filepath.Join(dir, "upsd.pem")+"\n"), 0o640)
	_, port := startDir(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cli, err := client.Dial(ctx, fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	if err := cli.StartTLS(ctx, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Command(ctx, "STARTTLS"); err == nil || !strings.Contains(err.Error(), "ALREADY-SSL-MODE") {
		t.Errorf("second STARTTLS: %v", err)
	}
	if err := cli.Authenticate(ctx, "admin", "adminpw"); err != nil {
		t.Fatal(err)
	}
	if err := cli.InstCmd(ctx, "pdu1", "outlet.1.load.off"); err != nil {
		t.Errorf("INSTCMD over TLS: %v", err)
	}
	if v, err := cli.Get(ctx, "pdu1", "outlet.1.status"); err != nil || v != "off" {
		t.Errorf("after INSTCMD over TLS: %q %v", v, err)
	}
	// A client that does not trust the certificate fails the handshake
	// and the server goes on serving others.
	bad, err := client.Dial(ctx, fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.StartTLS(ctx, &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "127.0.0.1"}); err == nil {
		t.Error("untrusted certificate accepted")
	}
	bad.Close()
	if os.Getenv("CI") != "" || fileExists(nuttest.Upsc) {
		env := nuttest.NewEnv(t)
		out, err := env.Output(nuttest.Upsc, fmt.Sprintf("pdu1@127.0.0.1:%d", port), "device.type")
		if err != nil || !strings.Contains(out, "pdu") {
			t.Errorf("Debian upsc against a TLS-capable server: %v %s", err, out)
		}
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
