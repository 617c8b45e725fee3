package monitor_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/monitor"
)

// TestMonitorTLS: upsmon.conf's FORCESSL, CERTVERIFY and CERTPATH. The
// monitor logs in (NUMLOGINS 1) only when the TLS requirements hold.
func TestMonitorTLS(t *testing.T) {
	certs := t.TempDir()
	nuttest.SelfSigned(t, filepath.Join(certs, "server.pem"))
	nuttest.SelfSigned(t, filepath.Join(certs, "other.pem"))
	for _, tc := range []struct {
		name      string
		serverTLS bool
		upsmon    string
		login     bool
	}{
		{"plain server, TLS tried", false, "", true},
		{"plain server, FORCESSL", false, "FORCESSL 1\n", false},
		{"TLS server, no verification", true, "FORCESSL 1\n", true},
		{"TLS server, CERTVERIFY with its certificate", true, "FORCESSL 1\nCERTVERIFY 1\nCERTPATH " + filepath.Join(certs, "server.pem.crt") + "\n", true},
		{"TLS server, CERTVERIFY with another certificate", true, "CERTVERIFY 1\nCERTPATH " + filepath.Join(certs, "other.pem.crt") + "\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			upsd := ""
			if tc.serverTLS {
				upsd = "CERTFILE " + filepath.Join(certs, "server.pem") + "\n"
			}
			dir, srv, _ := oneUPS(t, upsd)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			text := fmt.Sprintf("MONITOR ups1@%s 1 mon monpw primary\nPOLLFREQ 1\n%s", srv, tc.upsmon)
			m, err := monitor.New(conf.ParseUpsmonConf(conf.Parse(filepath.Join(dir, "upsmon.conf"), []byte(text))), slog.Default())
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			mctx, mcancel := context.WithCancel(ctx)
			go func() { m.Run(mctx); close(done) }()
			defer func() { mcancel(); <-done }()

			cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
			defer ccancel()
			admin := clienttest.Dial(cctx, t, srv)
			wait := 2500 * time.Millisecond // two poll periods
			if tc.login {
				wait = 8 * time.Second
			}
			n := 0
			waittest.Until(wait, 50*time.Millisecond, func() bool {
				if n, err = admin.NumLogins(cctx, "ups1"); err != nil {
					t.Fatal(err)
				}
				return n > 0
			})
			if (n > 0) != tc.login {
				t.Errorf("NUMLOGINS %d; want a login: %v", n, tc.login)
			}
		})
	}
}

// TestDebianUpsmonForceSSL: Debian's upsmon with FORCESSL 1 upgrades its
// connection to powerchain's server with STARTTLS and logs in.
func TestDebianUpsmonForceSSL(t *testing.T) {
	nuttest.Require(t, debianUpsmon)
	certs := t.TempDir()
	nuttest.SelfSigned(t, filepath.Join(certs, "server.pem"))
	_, srv, d := oneUPS(t, "CERTFILE "+filepath.Join(certs, "server.pem")+"\n")
	startDebianUpsmon(t, fmt.Sprintf("MONITOR ups1@%s 1 mon monpw primary\nFORCESSL 1\n", srv))
	if !waittest.Until(10*time.Second, 50*time.Millisecond, func() bool {
		ls := d.Server().Logins()
		return len(ls) == 1 && ls[0].TLS && ls[0].User == "mon"
	}) {
		t.Fatal("Debian upsmon did not log in over TLS")
	}
}

// oneUPS serves one dummy UPS (OL) with the users of benchUsers from a
// new directory with powerchain's server until the test ends; upsdConf
// is upsd.conf's text. It returns the directory, the server's address and
// the daemon.
func oneUPS(t testing.TB, upsdConf string) (dir, addr string, d *daemon.Daemon) {
	t.Helper()
	dir = t.TempDir()
	for name, text := range map[string]string{
		"ups.conf": "[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n", "ups1.dev": "ups.status: OL\nbattery.charge: 100\n",
		"upsd.users": benchUsers, "upsd.conf": upsdConf} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	d, tcp := servetest.Start(t, daemon.Options{ConfDir: dir})
	addr = tcp.String()
	waitDevice(t, addr, "ups1")
	return dir, addr, d
}

// waitDevice waits (at most 10 s) until the server has the device's
// data: it listens before its drivers have connected, and until then
// answers ERR DRIVER-NOT-CONNECTED as NUT's upsd does.
func waitDevice(t testing.TB, addr, ups string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := clienttest.Dial(ctx, t, addr)
	for {
		_, err := c.Get(ctx, ups, "ups.status")
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never had ups.status: %v", ups, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
