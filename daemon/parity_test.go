package daemon

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// parityDir writes one config directory for both servers: two dummy-ups
// devices (one without a description), a user who may SET, and
// TRACKINGDELAY 1.
func parityDir(t *testing.T, nutPort int) *nuttest.Env {
	env := nuttest.NewEnv(t)
	env.WriteFile("ups.conf", "[ups1]\n\tdriver = dummy-ups\n\tport = ups.dev\n\tdesc = \"Probe UPS\"\n[ups2]\n\tdriver = dummy-ups\n\tport = ups.dev\n", 0o644)
	env.WriteFile("ups.dev", "ups.status: OL\nbattery.charge: 100\nups.id: abc\n", 0o644)
	env.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\nTRACKINGDELAY 1\n", nutPort), 0o640)
	env.WriteFile("upsd.users", "[admin]\n\tpassword = adminpw\n\tactions = SET\n\tinstcmds = ALL\n", 0o640)
	return env
}

// startBoth starts Debian's dummy-ups and upsd, and powerchain's daemon,
// on the same directory and returns their ports.
func startBoth(t *testing.T) (nutPort, pcPort int) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsrw)
	nutPort = nuttest.FreePort(t)
	env := parityDir(t, nutPort)
	env.StartDriver("ups1")
	env.StartDriver("ups2")
	time.Sleep(500 * time.Millisecond)
	env.StartUpsd()
	env.WaitUPS("ups1", nutPort)
	env.WaitUPS("ups2", nutPort)
	// SET VAR needs the variables' flags.
	env.WaitRW("ups1", nutPort, "ups.id")
	env.WaitRW("ups2", nutPort, "ups.id")
	_, pcPort = startDir(t, env.ConfDir)
	return nutPort, pcPort
}

// exchange sends each of writes in turn (100 ms apart, so that each is
// its own read on the server) and returns everything the server sends
// until it has been quiet for 500 ms or closed the connection.
func rawExchange(t *testing.T, port int, writes ...string) string {
	t.Helper()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i, w := range writes {
		if i > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		if _, err := c.Write([]byte(w)); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for {
		c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		n, err := c.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			if n, ok := err.(net.Error); !ok || !n.Timeout() {
				out.WriteString("<closed>")
			}
			return out.String()
		}
	}
}

var uuidRE = regexp.MustCompile(`[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}`)

// TestParityWithDebianUpsd sends the same bytes to Debian's upsd 2.8.0
// and to powerchain's server (same directory, same devices) and compares
// the replies byte for byte: how a request is delimited (a newline inside
// quotes or after a backslash does not end it, so a value cannot smuggle
// a second command), blank and comment-only lines, a request NUT's parser
// refuses (no reply), word limits, LIST UPS's and GET UPSDESC's words for
// a device without a description, and TRACKING.
func TestParityWithDebianUpsd(t *testing.T) {
	nutPort, pcPort := startBoth(t)
	login := "USERNAME admin\nPASSWORD adminpw\n"
	for _, tt := range []struct {
		name   string
		writes []string
	}{
		{"blank line", []string{"\n"}},
		{"blank line CRLF", []string{"\r\n"}},
		{"blanks only", []string{"   \t \n"}},
		{"comment only", []string{"# hello\n"}},
		{"control bytes only", []string{"\x01\x02\n"}},
		{"newline in a quoted word", []string{"GET VAR \"ups1\nups.status\" x\nVER\n"}},
		{"newline in a quoted value does not start a command", []string{login +
			"SET VAR ups1 ups.id \"a\nSET VAR ups1 battery.charge 7\"\nGET VAR ups1 battery.charge\n"}},
		{"backslash joins lines", []string{"GET VAR ups1 \\\nups.status\n"}},
		{"unescaped # in quotes: no reply", []string{"GET VAR \"ups1 # broken\n", "VER\n"}},
		{"a word past 512 characters", []string{"GET VAR ups1 " + strings.Repeat("x", 600) + "\n"}},
		{"= is a word", []string{"GET VAR ups1=ups.status\n"}},
		{"LIST UPS", []string{"LIST UPS\n"}},
		{"GET UPSDESC without a description", []string{"GET UPSDESC ups2\nGET UPSDESC ups1\n"}},
		{"GET TRACKING with tracking off", []string{"GET TRACKING 0B5E6E7A-0000-4000-8000-000000000000\n"}},
		{"SET TRACKING needs a login", []string{"SET TRACKING ON\n"}},
		{"GET TRACKING of an unknown id", []string{login + "SET TRACKING ON\nGET TRACKING 0B5E6E7A-0000-4000-8000-000000000000\nGET TRACKING\n"}},
		{"tracked SET VAR and INSTCMD", []string{login + "SET TRACKING ON\nSET VAR ups1 ups.id xyz\nINSTCMD ups1 load.off\n"}},
		{"words past those a command needs", []string{"VER x\nNETVER x\nHELP x\nLOGOUT x\nGET VAR ups1 ups.status extra\n" +
			"LIST CMD ups2 extra\nGET UPSDESC ups2 extra\nGET TRACKING a b\n"}},
		{"words past those a login command needs", []string{login + "LOGIN\nLOGIN ups1 x\nFSD\nPRIMARY\nINSTCMD ups1\nINSTCMD ups1 no.such.cmd a b\nSET VAR ups1 ups.id q extra\nSET TRACKING ON extra\nSET\n"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := uuidRE.ReplaceAllString(rawExchange(t, nutPort, tt.writes...), "<uuid>")
			got := uuidRE.ReplaceAllString(rawExchange(t, pcPort, tt.writes...), "<uuid>")
			if got != want {
				t.Errorf("%q:\npowerchain: %q\nNUT:        %q", tt.writes, got, want)
			}
		})
	}
}

// trackingOnBoth runs f as a subtest against Debian's upsd and against
// powerchain, each with a connection logged in as admin with SET
// TRACKING ON; ask sends a line and returns its one-line reply, trimmed.
func trackingOnBoth(t *testing.T, f func(t *testing.T, ask func(req string) string)) {
	nutPort, pcPort := startBoth(t)
	for _, s := range []struct {
		name string
		port int
	}{{"NUT", nutPort}, {"powerchain", pcPort}} {
		t.Run(s.name, func(t *testing.T) {
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.port), 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			r := bufio.NewReader(c)
			ask := func(req string) string {
				t.Helper()
				if _, err := c.Write([]byte(req + "\n")); err != nil {
					t.Fatal(err)
				}
				line, err := r.ReadString('\n')
				if err != nil {
					t.Fatalf("%s: %v", req, err)
				}
				return strings.TrimSpace(line)
			}
			ask("USERNAME admin")
			ask("PASSWORD adminpw")
			ask("SET TRACKING ON")
			f(t, ask)
		})
	}
}

// TestTrackingDelayLikeNUT: a tracked SET VAR's result can be read with
// GET TRACKING, then is forgotten once TRACKINGDELAY (1 s here) has
// passed — on Debian's upsd and on powerchain alike.
func TestTrackingDelayLikeNUT(t *testing.T) {
	trackingOnBoth(t, func(t *testing.T, ask func(string) string) {
		reply := ask("SET VAR ups1 ups.id t1")
		id, ok := strings.CutPrefix(reply, "OK TRACKING ")
		if !ok || !uuidRE.MatchString(id) {
			t.Fatalf("tracked SET VAR: %q", reply)
		}
		if got := ask("GET TRACKING " + id); got != "PENDING" && got != "SUCCESS" {
			t.Errorf("GET TRACKING at once: %q", got)
		}
		time.Sleep(3 * time.Second) // past the delay (and NUT's 2 s poll)
		ask("VER")                  // NUT sweeps at the top of its loop
		if got := ask("GET TRACKING " + id); got != "ERR UNKNOWN" {
			t.Errorf("GET TRACKING after TRACKINGDELAY: %q, want ERR UNKNOWN", got)
		}
	})
}

// TestTrackedInstCmdLikeNUT: the result of a tracked INSTCMD that the
// driver lists but does nothing with (NUT's dummy-ups and load.off; powerchain's
// dummy-ups without simulate_switching) reads ERR UNKNOWN on both servers.
func TestTrackedInstCmdLikeNUT(t *testing.T) {
	trackingOnBoth(t, func(t *testing.T, ask func(string) string) {
		reply := ask("INSTCMD ups1 load.off")
		id, ok := strings.CutPrefix(reply, "OK TRACKING ")
		if !ok {
			t.Fatalf("tracked INSTCMD: %q", reply)
		}
		var got string
		waittest.Until(10*time.Second, 100*time.Millisecond, func() bool {
			got = ask("GET TRACKING " + id)
			return got != "PENDING"
		})
		if got != "ERR UNKNOWN" {
			t.Errorf("GET TRACKING of load.off: %q, want ERR UNKNOWN", got)
		}
	})
}
