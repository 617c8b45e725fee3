package nutsock

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/internal/fuzztest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// fakeDriver listens on a driver socket and answers DUMPALL with dump,
// then keeps the connection open until the test ends.
func fakeDriver(t *testing.T, dump []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dummy-ups-x")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		t.Cleanup(func() { c.Close() })
		if l, err := bufio.NewReader(c).ReadString('\n'); err != nil || l != "DUMPALL\n" {
			return
		}
		c.Write(dump)
	}()
	return path
}

func lines(n int, format string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

// TestAttachBounds: a driver that sends a line too long, too many
// variables, commands or enumerations is cut off with an error that
// names the limit, and its device is stale; a real dump is served.
func TestAttachBounds(t *testing.T) {
	real, err := os.ReadFile("testdata/APC__Smart-UPS_1000__usbhid-ups__2.4.1__01.dumpall")
	if err != nil {
		t.Fatal(err)
	}
	long := "SETINFO ups.mfr \"" + strings.Repeat("x", MaxLine) + "\"\n"
	tests := []struct {
		name, dump, err string
	}{
		{"NUT's dummy-ups", string(real), ""},
		{"long line", "SETINFO ups.status OL\n" + long + "DUMPDONE\nDATAOK\n", "line longer than 16384 bytes"},
		{"no newline", strings.Repeat("x", MaxLine+1), "line longer than 16384 bytes"},
		{"too many variables", lines(driver.MaxVars+1, "SETINFO x.%d 1\n") + "DUMPDONE\nDATAOK\n", "more than 10000 variables"},
		{"too many commands", lines(driver.MaxCmds+1, "ADDCMD c.%d\n") + "DUMPDONE\nDATAOK\n", "more than 1000 instant commands"},
		{"too many enumerations", "SETINFO v 1\n" + lines(MaxEnums+1, "ADDENUM v %d\n") + "DUMPDONE\nDATAOK\n", "v: more than 1000 enumerations and ranges"},
	}
	for _, tt := range tests {
		dev := device.New("x", "")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errc := make(chan error, 1)
		go func() { errc <- Attach(ctx, fakeDriver(t, []byte(tt.dump)), dev, 15*time.Second) }()
		if tt.err == "" {
			for !dev.Snapshot().Connected || dev.Snapshot().Updated.IsZero() {
				if ctx.Err() != nil {
					t.Fatalf("%s: no data", tt.name)
				}
				time.Sleep(5 * time.Millisecond)
			}
			if got := dev.Snapshot().Value("ups.model"); got != "Smart-UPS 1000" {
				t.Errorf("%s: ups.model %q", tt.name, got)
			}
			cancel()
			if err := <-errc; err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		err := <-errc
		cancel()
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.err)
		}
		if s := dev.Snapshot(); !s.Updated.IsZero() {
			t.Errorf("%s: device fresh after the driver was cut off", tt.name)
		}
	}
}

// TestServeLongLine: a server that sends a line too long is disconnected.
func TestServeLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dummy-ups-x")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go Serve(ctx, path, device.New("x", ""))
	var c net.Conn
	var err error
	waittest.Until(5*time.Second, 5*time.Millisecond, func() bool {
		c, err = net.Dial("unix", path)
		return err == nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	go c.Write(bytes.Repeat([]byte("x"), MaxLine+1))
	if _, err := io.ReadAll(c); err != nil && !errors.Is(err, net.ErrClosed) {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("the server kept a connection that sent a line longer than MaxLine")
		}
	}
}

// FuzzAttach feeds bytes as a NUT driver would send them, through the
// reader and into a device: no panic, the device stays within its bounds
// (plus one batch), and no value carries a control character.
func FuzzAttach(f *testing.F) {
	fuzztest.AddFiles(f, "testdata/*.dumpall")
	f.Add([]byte("SETINFO ups.status \"OL\"\nTRACKING 1 0\nDELINFO ups.status\nADDRANGE v 1 2\nDELRANGE v 1 2\nDELENUM v a\nDELCMD x\nDATASTALE\nSETAUX v x\nPONG\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dev := device.New("x", "")
		c := &Conn{dev: dev, pending: map[string]chan int{"1": make(chan int, 1)}}
		r := newLineReader(bytes.NewReader(data))
		st := &state{}
		for {
			var batch [][]string
			for len(batch) < 64 {
				w, err := r.next()
				if err != nil {
					break
				}
				batch = append(batch, w)
			}
			if len(batch) == 0 {
				break
			}
			if err := c.applyBatch(st, batch); err != nil {
				break
			}
		}
		s := dev.Snapshot()
		if len(s.Vars) > driver.MaxVars+64 || len(s.Cmds) > driver.MaxCmds+64 {
			t.Fatalf("%d variables, %d commands", len(s.Vars), len(s.Cmds))
		}
		for _, v := range s.Vars {
			if strings.ContainsFunc(v.Name+v.Value, func(r rune) bool { return r < ' ' }) {
				t.Fatalf("control character in %q = %q", v.Name, v.Value)
			}
		}
	})
}

// TestRequestDriverGone: a SET waiting for its answer fails when the
// driver closes its socket, instead of waiting for its deadline.
func TestRequestDriverGone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dummy-ups-x")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		if l, err := r.ReadString('\n'); err != nil || l != "DUMPALL\n" {
			return
		}
		c.Write([]byte("SETINFO ups.status OL\nDUMPDONE\nDATAOK\n"))
		r.ReadString('\n') // the SET: the driver dies without answering
	}()
	dev := device.New("x", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go Attach(ctx, path, dev, 15*time.Second)
	if !waittest.Until(10*time.Second, 10*time.Millisecond, func() bool { return dev.Handler() != nil }) {
		t.Fatal("never attached")
	}
	h := dev.Handler()
	sctx, scancel := context.WithTimeout(ctx, time.Minute)
	defer scancel()
	err = h.SetVar(sctx, "ups.load", "1")
	if err == nil || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "closed before the driver answered") {
		t.Errorf("SET to a driver that went away: %v", err)
	}
}
