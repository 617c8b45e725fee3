package main

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strings"
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
