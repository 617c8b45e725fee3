package daemon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/nuttest"
)

// TestStartTLS: with CERTFILE in upsd.conf, STARTTLS upgrades the
// connection and a login and its rights work over TLS; a second STARTTLS
// is refused; plain-text clients keep working (NUT's upsc falls back).
func TestStartTLS(t *testing.T) {
	dir := rackDir(t)
	pool := nuttest.SelfSigned(t, filepath.Join(dir, "upsd.pem"))
	os.WriteFile(filepath.Join(dir, "upsd.conf"), []byte("CERTFILE "+filepath.Join(dir, "upsd.pem")+"\n"), 0o640)
	_, port := startDir(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cli := clienttest.Dial(ctx, t, fmt.Sprintf("127.0.0.1:%d", port))
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
