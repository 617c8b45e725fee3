package natsbus

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	natsserver "github.com/nats-io/nats-server/v2/server"

	"github.com/powerchain/powerchain/internal/natstest"
)

// docConfigs are the nats-server configuration files docs/fleet.md
// shows, by their first line's comment.
func docConfigs(t *testing.T) map[string]string {
	b, err := os.ReadFile("../docs/fleet.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range regexp.MustCompile("(?s)```conf\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		first, _, _ := strings.Cut(m[1], "\n")
		out[first] = m[1]
	}
	if len(out) != 4 {
		t.Fatalf("docs/fleet.md: %d configuration files, want 4", len(out))
	}
	return out
}

// TestDocConfigs: the configuration files of docs/fleet.md are read by
// nats-server (with their paths made this test's).
func TestDocConfigs(t *testing.T) {
	dir := t.TempDir()
	certs := natstest.TLS(t, dir)
	for from, to := range map[string]string{certs.ClientCert: "leaf.pem", certs.ClientKey: "leaf-key.pem"} {
		b, _ := os.ReadFile(from)
		os.WriteFile(filepath.Join(dir, to), b, 0o600)
	}
	t.Setenv("POWERCHAIN_SERVE_PASSWORD", "s")
	t.Setenv("POWERCHAIN_CONSOLE_PASSWORD", "c")
	confs := docConfigs(t)
	var users string
	for first, c := range confs {
		if strings.Contains(first, "powerchain-users.conf") {
			users = c
		}
	}
	os.WriteFile(filepath.Join(dir, "powerchain-users.conf"), []byte(users), 0o600)
	for first, c := range confs {
		c = strings.NewReplacer("/etc/nats/", dir+"/", "/var/lib/nats", filepath.Join(dir, "store")).Replace(c)
		path := filepath.Join(dir, "test.conf")
		os.WriteFile(path, []byte(c), 0o600)
		if _, err := natsserver.ProcessConfigFile(path); err != nil {
			t.Errorf("%s: %v", first, err)
		}
	}
}

// TestDocPermissions: the users of docs/fleet.md may do what serve and
// console do, and serve's stream is made and read.
func TestDocPermissions(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("POWERCHAIN_SERVE_PASSWORD", "s3rve")
	t.Setenv("POWERCHAIN_CONSOLE_PASSWORD", "c0nsole")
	for first, c := range docConfigs(t) {
		if strings.Contains(first, "powerchain-users.conf") {
			os.WriteFile(filepath.Join(dir, "powerchain-users.conf"), []byte(c), 0o600)
		}
	}
	path := filepath.Join(dir, "nats.conf")
	os.WriteFile(path, []byte("listen: 127.0.0.1:-1\njetstream { store_dir: "+filepath.Join(dir, "js")+" }\ninclude ./powerchain-users.conf\n"), 0o600)
	opts, err := natsserver.ProcessConfigFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opts.NoLog, opts.NoSigs = true, true
	ns := natstest.Start(t, opts)
	pw := func(name, password string) string {
		f := filepath.Join(dir, name)
		os.WriteFile(f, []byte(password+"\n"), 0o600)
		return f
	}
	conn := func(user, file string) ConnOptions {
		return ConnOptions{URL: ns.ClientURL(), User: user, PasswordFile: file}
	}
	pub, err := Connect(conn("serve", pw("serve", "s3rve")))
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	sub, err := Connect(conn("console", pw("console", "c0nsole")))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	r := newRack("ups1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go (&Publisher{Conn: pub, Server: r.srv, Store: r.store, Site: "paris", Name: "nas1", Addr: "nas1:3493"}).Run(ctx)
	var ev events
	f := &Follower{Conn: sub, Durable: "console-doc", OnEvents: ev.add}
	go f.Run(ctx)
	waitView(t, f, []string{"nas1 alive=true addr=nas1:3493", `nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL`}, "ups.status")
	r.set("ups1", "ups.status", "OB")
	waitEvents(t, &ev, `nas1/ups1 status: ups.status "OL" → "OB"`)
}
