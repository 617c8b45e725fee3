package dummy_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// dumps are the DDL files served side by side with Debian's dummy-ups:
// UPSes of several drivers, one with ups.serial, and a PDU with outlets.
var dumps = []string{
	"APC__Back-UPS_ES_750__usbhid-ups__2.6.4__01.dev",
	"APC__Smart-UPS_1000__usbhid-ups__2.4.1__01.dev",
	"APC__Smart-UPS_5000_RM__snmp-ups__2.8.0__01.dev",
	"Ablerex__MARS_MS3000RT__blazer_ser__2.7.2__01.dev",
	"Eaton__EPDU_MI_38U-A__snmp-ups__2.7.4__01.dev",
	"Powercom__RPT-600AP__usbhid-ups__2.7.2__01.dev",
}

const users = "[admin]\n\tpassword = adminpw\n\tactions = SET\n\tinstcmds = ALL\n"

// TestSameAsNUTDummyUPS serves DDL dumps with Debian's dummy-ups + upsd
// and with powerchain, and compares the replies byte for byte: the
// variables, their types and descriptions, enumerations and ranges, the
// writable variables, the instant commands and their descriptions, and
// SET VAR of a string longer than 16 characters (ups.serial is a string
// of 32 in NUT's table).
func TestSameAsNUTDummyUPS(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS)
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	var conf strings.Builder
	for i, f := range dumps {
		abs, err := filepath.Abs(filepath.Join("../../testdata/ddl", f))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&conf, "[d%d]\n\tdriver = dummy-ups\n\tport = %s\n\tdesc = \"%s\"\n", i, abs, strings.SplitN(f, "__", 3)[1])
	}

	env := nuttest.NewEnv(t)
	port := nuttest.FreePort(t)
	env.WriteFile("ups.conf", conf.String(), 0o644)
	env.WriteUpsd(port, users)
	var names []string
	for i := range dumps {
		names = append(names, fmt.Sprintf("d%d", i))
	}
	env.StartNUT(names...)
	for i := range dumps {
		env.WaitVar(fmt.Sprintf("d%d", i), port, "ups.mfr") // ups.status says WAIT before the dump
	}

	dir := t.TempDir()
	for name, content := range map[string]string{"ups.conf": conf.String(), "upsd.users": users} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	ours := servetest.Serve(t, daemon.Options{ConfDir: dir}).String()
	nut := dial(t, fmt.Sprintf("127.0.0.1:%d", port))
	pc := dial(t, ours)
	for i := range dumps {
		pc.waitData(t, fmt.Sprintf("d%d", i))
	}

	for i, f := range dumps {
		ups := fmt.Sprintf("d%d", i)
		var queries []string
		queries = append(queries, "LIST CMD "+ups, "LIST RW "+ups, "LIST VAR "+ups)
		for _, l := range strings.Split(nut.ask(t, "LIST VAR "+ups), "\n") {
			w := strings.Fields(l)
			if len(w) < 3 || w[0] != "VAR" || strings.HasPrefix(w[2], "driver.") {
				continue
			}
			for _, q := range []string{"GET TYPE", "GET DESC", "LIST ENUM", "LIST RANGE"} {
				queries = append(queries, q+" "+ups+" "+w[2])
			}
		}
		for _, l := range strings.Split(nut.ask(t, "LIST CMD "+ups), "\n") {
			if w := strings.Fields(l); len(w) == 3 && w[0] == "CMD" {
				queries = append(queries, "GET CMDDESC "+ups+" "+w[2])
			}
		}
		diffs := 0
		wants, gots := nut.askAll(t, queries), pc.askAll(t, queries)
		for i, q := range queries {
			want, got := withoutDriverVars(wants[i]), withoutDriverVars(gots[i])
			if got != want {
				if diffs++; diffs <= 5 {
					t.Errorf("%s: %s:\npowerchain: %q\nNUT 2.8.0:  %q", f, q, got, want)
				}
			}
		}
		if diffs > 5 {
			t.Errorf("%s: %d replies differ in all", f, diffs)
		}
	}

	// SET VAR, as a user with SET rights, on both.
	for _, s := range []*raw{nut, pc} {
		for _, l := range []string{"USERNAME admin", "PASSWORD adminpw"} {
			if r := s.ask(t, l); r != "OK" {
				t.Fatalf("%s: %q", l, r)
			}
		}
	}
	const serial = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for _, q := range []string{`SET VAR d0 ups.serial "` + serial + `"`, `SET VAR d0 battery.charge 42`,
		`SET VAR d0 no.such.var 1`, `SET VAR d0 ups.serial "` + strings.Repeat("x", 33) + `"`} {
		if got, want := pc.ask(t, q), nut.ask(t, q); got != want {
			t.Errorf("%s:\npowerchain: %q\nNUT 2.8.0:  %q", q, got, want)
		}
	}
	for _, s := range []*raw{nut, pc} {
		s.waitReply(t, "GET VAR d0 ups.serial", `VAR d0 ups.serial "`+serial+`"`)
		s.waitReply(t, "GET VAR d0 battery.charge", `VAR d0 battery.charge "42"`)
	}
	for _, q := range []string{"GET TYPE d0 ups.serial", "GET TYPE d0 battery.charge", "LIST RW d0"} {
		if got, want := withoutDriverVars(pc.ask(t, q)), withoutDriverVars(nut.ask(t, q)); got != want {
			t.Errorf("after SET, %s:\npowerchain: %q\nNUT 2.8.0:  %q", q, got, want)
		}
	}

	// NUT's load.off does nothing; so does powerchain's, without
	// simulate_switching.
	pc.ask(t, "INSTCMD d0 load.off")
	if got, want := pc.ask(t, "GET VAR d0 ups.status"), nut.ask(t, "GET VAR d0 ups.status"); got != want {
		t.Errorf("after INSTCMD load.off: powerchain %q, NUT %q", got, want)
	}
}

// withoutDriverVars drops the lines of driver.* variables, which name the
// driver and its version and so differ by design.
func withoutDriverVars(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if w := strings.Fields(l); len(w) >= 3 && strings.HasPrefix(w[2], "driver.") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// raw is a NUT protocol connection that returns replies as they are.
type raw struct {
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *raw {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &raw{c: c, r: bufio.NewReader(c)}
}

// ask sends one request and returns its reply without the final newline:
// one line, or a whole BEGIN … END block.
func (s *raw) ask(t *testing.T, req string) string {
	t.Helper()
	return s.askAll(t, []string{req})[0]
}

// askAll sends requests pipelined (NUT's upsd writes a list line by line,
// and one request at a time would wait for delayed ACKs) and returns
// their replies.
func (s *raw) askAll(t *testing.T, reqs []string) []string {
	t.Helper()
	s.c.SetDeadline(time.Now().Add(30 * time.Second))
	werr := make(chan error, 1)
	go func() {
		_, err := io.WriteString(s.c, strings.Join(reqs, "\n")+"\n")
		werr <- err
	}()
	out := make([]string, len(reqs))
	for i, req := range reqs {
		out[i] = s.read(t, req)
	}
	if err := <-werr; err != nil {
		t.Fatal(err)
	}
	return out
}

// read reads one reply.
func (s *raw) read(t *testing.T, req string) string {
	t.Helper()
	var lines []string
	for {
		l, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("%s: %v", req, err)
		}
		l = strings.TrimSuffix(l, "\n")
		lines = append(lines, l)
		if !strings.HasPrefix(lines[0], "BEGIN ") || strings.HasPrefix(l, "END ") {
			return strings.Join(lines, "\n")
		}
	}
}

// waitReply asks until the reply is want, for at most 10 s (NUT's upsd
// answers SET before its driver has applied it).
func (s *raw) waitReply(t *testing.T, req, want string) {
	t.Helper()
	var got string
	if !waittest.Until(10*time.Second, 50*time.Millisecond, func() bool {
		got = s.ask(t, req)
		return got == want
	}) {
		t.Errorf("%s: %q, want %q", req, got, want)
	}
}

// waitData waits until a device answers GET VAR ups.status.
func (s *raw) waitData(t *testing.T, ups string) {
	t.Helper()
	if !waittest.Until(10*time.Second, 20*time.Millisecond, func() bool {
		return strings.HasPrefix(s.ask(t, "GET VAR "+ups+" ups.status"), "VAR ")
	}) {
		t.Fatalf("%s never got data", ups)
	}
}
