package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/server"
)

// typedServer serves a device with string, number, enum and range
// variables and commands, the cases NUT's clients print differently.
func typedServer(t *testing.T) int {
	t.Helper()
	store := device.NewStore()
	d := device.New("ups1", "Typed UPS")
	d.Update(func(tx *device.Tx) {
		tx.Set("ups.status", "OL")
		tx.Set("ups.id", "rack \"7\"")
		tx.SetFlags("ups.id", device.RW|device.String)
		tx.SetAux("ups.id", 16)
		tx.Set("input.transfer.low", "103")
		tx.SetFlags("input.transfer.low", device.RW)
		for _, e := range []string{"100", "103", "106"} {
			tx.AddEnum("input.transfer.low", e)
		}
		tx.Set("ups.beeper.mode", "on")
		tx.SetFlags("ups.beeper.mode", device.RW|device.String)
		tx.SetAux("ups.beeper.mode", 4)
		tx.AddEnum("ups.beeper.mode", "on")
		tx.AddEnum("ups.beeper.mode", "off")
		tx.Set("ups.delay.shutdown", "20")
		tx.SetFlags("ups.delay.shutdown", device.RW)
		tx.AddRange("ups.delay.shutdown", device.Range{Min: "0", Max: "10"})
		tx.AddRange("ups.delay.shutdown", device.Range{Min: "15", Max: "600"})
		tx.Set("battery.charge.low", "10")
		tx.SetFlags("battery.charge.low", device.RW)
		tx.AddCmd("load.off")
		tx.AddCmd("beeper.toggle")
	})
	d.DataOK(time.Now().Add(time.Hour))
	store.Add(d)
	srv := server.New(store, &server.Config{Users: []conf.User{{Name: "admin", Password: "pw", Actions: []string{"SET"}, InstCmds: []string{"ALL"}}}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go srv.Serve(ctx, ln)
	return ln.Addr().(*net.TCPAddr).Port
}

// TestClientsMatchDebian runs Debian's upsc, upsrw and upscmd and
// powerchain's, with the same arguments against the same server, and
// compares what they print and their exit codes.
func TestClientsMatchDebian(t *testing.T) {
	nuttest.Require(t, nuttest.Upsc, nuttest.Upsrw, nuttest.Upscmd)
	port := typedServer(t)
	dir := binary(t, "upsc", "upsrw", "upscmd")
	host := fmt.Sprintf("127.0.0.1:%d", port)
	ups := "ups1@" + host
	cases := [][]string{
		{"upsc", ups},
		{"upsc", ups, "ups.id"},
		{"upsc", "-l", host},
		{"upsc", "-L", host},
		{"upsc", "-c", ups},
		{"upsc", "nope@" + host},
		{"upsc", ups, "no.such.var"},
		{"upsc", "ups1@127.0.0.1:1"},
		{"upsrw", ups},
		{"upsrw", "nope@" + host},
		{"upscmd", "-l", ups},
		{"upscmd", "-u", "admin", "-p", "pw", ups, "load.off"},
		{"upscmd", "-u", "admin", "-p", "bad", ups, "load.off"},
		{"upscmd", "-u", "admin", "-p", "pw", ups, "no.such.cmd"},
		{"upsrw", "-s", "ups.id=new", "-u", "admin", "-p", "pw", ups},
		{"upsrw", "-s", "ups.id=much too long for sixteen", "-u", "admin", "-p", "pw", ups},
	}
	run := func(bin string, args []string) (string, int) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s: %v", bin, err)
		}
		s := strings.ReplaceAll(string(out), "Init SSL without certificate database\n", "")
		return s, code
	}
	for _, c := range cases {
		want, wantCode := run("/usr/bin/"+c[0], c[1:])
		got, gotCode := run(dir+"/"+c[0], c[1:])
		if got != want || gotCode != wantCode {
			t.Errorf("%s:\n--- powerchain (exit %d)\n%s--- Debian NUT (exit %d)\n%s", strings.Join(c, " "), gotCode, got, wantCode, want)
		}
	}
}

// runClient runs a client binary and returns its output streams (NUT's
// "Init SSL" notice and the binary's own path taken out) and exit code.
func runClient(t *testing.T, bin string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Errorf("%s: %v", bin, err) // not Fatal: runs in goroutines too
		code = -1
	}
	clean := func(s string) string {
		s = strings.ReplaceAll(s, "Init SSL without certificate database\n", "")
		return strings.ReplaceAll(s, bin+":", filepath.Base(bin)+":")
	}
	return clean(o.String()), clean(e.String()), code
}

// TestClientUsageMatchesDebian runs Debian's upsc, upscmd and upsrw and
// powerchain's with the same bad arguments and compares standard output,
// standard error and the exit code. NUT prints its usage on standard
// output and exits 0 even for an unknown option; where the case shows the
// usage, powerchain's own wording is accepted in place of NUT's.
//
// Left out on purpose, as powerchain is stricter: a name NUT reads oddly
// ("@host" is device "host" on host "host"; "u ps@h" is a device with a
// space) is refused before connecting, and bare IPv6 addresses
// ("ups@::1"), which NUT cannot parse, are accepted.
func TestClientUsageMatchesDebian(t *testing.T) {
	nuttest.Require(t, nuttest.Upsc, nuttest.Upsrw, nuttest.Upscmd)
	dir := binary(t, "upsc", "upsrw", "upscmd")
	refused := "ups1@127.0.0.1:" + fmt.Sprint(nuttest.FreePort(t))
	cases := []struct {
		args  []string
		usage bool // standard output is the usage text
	}{
		{args: []string{"upsc"}},
		{args: []string{"upsc", "-x"}, usage: true},
		{args: []string{"upsc", "-h"}, usage: true},
		{args: []string{"upsc", "--help"}, usage: true},
		{args: []string{"upsc", "-c"}},
		{args: []string{"upsc", ""}},
		{args: []string{"upsc", "ups@"}},
		{args: []string{"upsc", "ups@host:"}},
		{args: []string{"upsc", "ups@host:99999"}},
		{args: []string{"upsc", "ups@host:abc"}},
		{args: []string{"upsc", "ups@[::1"}},
		{args: []string{"upsc", "-l", "127.0.0.1:99999"}},
		{args: []string{"upsc", "-l", ""}},
		{args: []string{"upsc", "-L", "[::1"}},
		{args: []string{"upsc", refused, "a", "b"}},
		{args: []string{"upsc", "--", refused}},
		{args: []string{"upscmd"}, usage: true},
		{args: []string{"upscmd", "-x"}, usage: true},
		{args: []string{"upscmd", "-h"}, usage: true},
		{args: []string{"upscmd", "-l"}, usage: true},
		{args: []string{"upscmd", "-u"}, usage: true},
		{args: []string{"upscmd", "-p"}, usage: true},
		{args: []string{"upscmd", "-h", "-t", "abc"}, usage: true},
		{args: []string{"upscmd", "-t", "abc", "-h"}},
		{args: []string{"upscmd", "-t", "abc", refused, "load.off"}},
		{args: []string{"upscmd", "-t", "-5", refused, "load.off"}},
		{args: []string{"upscmd", "-t", "+5", refused, "load.off"}},
		{args: []string{"upscmd", "-t", "", refused, "load.off"}},
		{args: []string{"upscmd", "-t", "4294967296", refused, "load.off"}},
		{args: []string{"upscmd", "-t", " 5 ", refused, "load.off"}},
		{args: []string{"upscmd", refused}},
		{args: []string{"upscmd", refused, "load.off", "5", "extra"}},
		{args: []string{"upscmd", "ups@host:99999", "load.off"}},
		{args: []string{"upscmd", "", "load.off"}},
		{args: []string{"upsrw"}, usage: true},
		{args: []string{"upsrw", "-x"}, usage: true},
		{args: []string{"upsrw", "-s"}, usage: true},
		{args: []string{"upsrw", "-h"}, usage: true},
		{args: []string{"upsrw", "-t", "abc", refused}},
		{args: []string{"upsrw", "ups@host:99999"}},
		{args: []string{"upsrw", refused, "extra"}},
		{args: []string{"upsrw", "-s", "x=1", "-l", refused}},
	}
	for _, c := range cases {
		name := strings.Join(c.args, " ")
		wantOut, wantErr, wantCode := runClient(t, "/usr/bin/"+c.args[0], "", c.args[1:]...)
		gotOut, gotErr, gotCode := runClient(t, filepath.Join(dir, c.args[0]), "", c.args[1:]...)
		sameOut := gotOut == wantOut
		if c.usage {
			sameOut = strings.Contains(gotOut, "usage: "+c.args[0]) && strings.Contains(wantOut, "usage: "+c.args[0])
		}
		if !sameOut || gotErr != wantErr || gotCode != wantCode {
			t.Errorf("%s:\n--- powerchain (exit %d)\nstdout: %q\nstderr: %q\n--- Debian NUT (exit %d)\nstdout: %q\nstderr: %q",
				name, gotCode, gotOut, gotErr, wantCode, wantOut, wantErr)
		}
	}
}

// TestClientsGiveUpOnASilentServer: against a server that accepts and
// never answers, Debian's clients give up after 5 s (their network
// timeout) with "Server disconnected" and exit 1; powerchain's do the same.
// (Debian's upsc first tries STARTTLS and logs a notice about it too.)
func TestClientsGiveUpOnASilentServer(t *testing.T) {
	nuttest.Require(t, nuttest.Upsc, nuttest.Upsrw, nuttest.Upscmd)
	dir := binary(t, "upsc", "upsrw", "upscmd")
	addr := nuttest.SilentServer(t)
	ups := "ups1@" + addr
	cases := [][]string{
		{"upsc", ups},
		{"upsc", "-l", addr},
		{"upsrw", ups},
		{"upscmd", "-l", ups},
		{"upscmd", "-u", "admin", "-p", "pw", ups, "load.off"},
	}
	// Every run waits out the timeout: all at once.
	type result struct {
		stderr string
		code   int
	}
	got, want := make([]result, len(cases)), make([]result, len(cases))
	var wg sync.WaitGroup
	for i, args := range cases {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, want[i].stderr, want[i].code = runClient(t, "/usr/bin/"+args[0], "", args[1:]...)
		}()
		go func() {
			defer wg.Done()
			_, got[i].stderr, got[i].code = runClient(t, filepath.Join(dir, args[0]), "", args[1:]...)
		}()
	}
	wg.Wait()
	for i, args := range cases {
		wantLast := lastLine(want[i].stderr)
		if got[i].code != want[i].code || lastLine(got[i].stderr) != wantLast || !strings.Contains(wantLast, "disconnected") {
			t.Errorf("%s: powerchain exit %d %q; Debian exit %d %q", strings.Join(args, " "), got[i].code, got[i].stderr, want[i].code, want[i].stderr)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestClientsRefuseControlCharacters: a value with a newline would end
// the SET request early and run the rest as a second command; upsrw and
// upscmd refuse it before connecting, with a clear error, and the server
// sees nothing.
func TestClientsRefuseControlCharacters(t *testing.T) {
	port := typedServer(t)
	dir := binary(t, "upsc", "upsrw", "upscmd")
	ups := fmt.Sprintf("ups1@127.0.0.1:%d", port)
	for _, c := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"upsrw", "-s", "ups.id=30\nSET VAR ups1 battery.charge.low 7", "-u", "admin", "-p", "pw", ups}, "", "Error: value: \"30\\nSET VAR ups1 battery.charge.low 7\" contains control character U+000A"},
		{[]string{"upsrw", "-s", "ups.id", "-u", "admin", "-p", "pw", ups}, "ok\rSET VAR ups1 battery.charge.low 7\n", "Error: value: \"ok\\rSET VAR"},
		{[]string{"upsrw", "-s", "ups.id\tx=1", "-u", "admin", "-p", "pw", ups}, "", "Error: variable: "},
		{[]string{"upsrw", "-s", "ups.id=1", "-u", "admin\nX", "-p", "pw", ups}, "", "Error: username: "},
		{[]string{"upsrw", "-s", "ups.id=1", "-u", "admin", "-p", "pw\n", ups}, "", "Error: password: the password contains a control character"},
		{[]string{"upscmd", "-u", "admin", "-p", "pw", ups, "load.off\nSET VAR ups1 battery.charge.low 7"}, "", "Error: command: "},
		{[]string{"upscmd", "-u", "admin", "-p", "pw", ups, "load.off", "5\x01"}, "", "Error: value: "},
	} {
		out, errs, code := runClient(t, filepath.Join(dir, c.args[0]), c.stdin, c.args[1:]...)
		if code != 1 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "NUT requests cannot carry control characters") {
			t.Errorf("%q: exit %d\nstdout %q\nstderr %q\nwant %q", c.args, code, out, errs, c.want)
		}
		if strings.Contains(errs, "pw\n") {
			t.Errorf("%q: the password is printed: %q", c.args, errs)
		}
	}
	for v, want := range map[string]string{"battery.charge.low": "10", "ups.id": `rack "7"`} {
		if out, _, _ := runClient(t, filepath.Join(dir, "upsc"), "", ups, v); strings.TrimSpace(out) != want {
			t.Errorf("%s = %q after the refused requests, want %q", v, out, want)
		}
	}
}
