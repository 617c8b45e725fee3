package nutsock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/nut"
)

// Serve publishes dev on a NUT driver socket at path until ctx ends: each
// connected server (NUT's upsd or powerchain's) gets the full state on
// DUMPALL and every change after it, and its SET and INSTCMD requests go
// to the device's handler.
func Serve(ctx context.Context, path string, dev *device.Device) error {
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return fmt.Errorf("%s: %w", path, ErrSocketInUse)
	}
	os.Remove(path) // a stale socket of a dead driver
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("driver socket: %w", err)
	}
	// upsd may run as another user (nut); the socket directory guards it.
	os.Chmod(path, 0o660)
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	defer os.Remove(path)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			serveConn(ctx, conn, dev)
		}()
	}
}

// serveConn talks to one server.
func serveConn(ctx context.Context, conn net.Conn, dev *device.Device) {
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	var wmu sync.Mutex
	write := func(b []byte) error {
		wmu.Lock()
		defer wmu.Unlock()
		conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		_, err := conn.Write(b)
		return err
	}
	dumped := make(chan *device.Snapshot, 1)
	// Changes after the dump are sent as differences.
	go func() {
		var last *device.Snapshot
		select {
		case last = <-dumped:
		case <-ctx.Done():
			return
		}
		for {
			ch := dev.Changed()
			select {
			case <-ctx.Done():
				return
			case <-ch:
			}
			cur := dev.Snapshot()
			if b := diff(last, cur); len(b) > 0 {
				if write(b) != nil {
					conn.Close()
					return
				}
			}
			last = cur
		}
	}()
	r := newLineReader(conn)
	first := true
	for {
		w, err := r.next()
		if err != nil {
			return
		}
		switch strings.ToUpper(w[0]) {
		case "DUMPALL":
			snap := dev.Snapshot()
			if write(dump(snap)) != nil {
				return
			}
			if first {
				dumped <- snap
				first = false
			}
		case "PING":
			write([]byte("PONG\n"))
		case "SET", "INSTCMD":
			go func() {
				code := handle(ctx, dev, w)
				if id := trackingID(w); id != "" {
					write([]byte(fmt.Sprintf("TRACKING %s %d\n", id, code)))
				}
			}()
		}
	}
}

func trackingID(w []string) string {
	for i := 0; i+1 < len(w); i++ {
		if strings.EqualFold(w[i], "TRACKING") {
			return w[i+1]
		}
	}
	return ""
}

// handle runs a SET or INSTCMD from the server and returns NUT's status.
func handle(ctx context.Context, dev *device.Device, w []string) int {
	h := dev.Handler()
	if h == nil {
		return statUnknown
	}
	args := w[1:]
	if i := indexFold(args, "TRACKING"); i >= 0 {
		args = args[:i]
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	var err error
	switch strings.ToUpper(w[0]) {
	case "SET":
		if len(args) != 2 {
			return statInvalid
		}
		err = h.SetVar(ctx, args[0], args[1])
	case "INSTCMD":
		if len(args) < 1 || len(args) > 2 {
			return statInvalid
		}
		param := ""
		if len(args) == 2 {
			param = args[1]
		}
		err = h.InstCmd(ctx, args[0], param)
	}
	switch {
	case err == nil:
		return statHandled
	case errors.Is(err, device.ErrCmdUnhandled):
		return statUnknown
	case errors.Is(err, nut.ErrCmdNotSupported), errors.Is(err, nut.ErrInvalidArgument), errors.Is(err, nut.ErrReadonly):
		return statInvalid
	default:
		return statFailed
	}
}

func indexFold(list []string, s string) int {
	for i, x := range list {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}

// varLines writes the lines that describe one variable.
func varLines(b []byte, v device.Var) []byte {
	b = append(b, "SETINFO "...)
	b = append(b, v.Name...)
	b = append(b, ' ')
	b = nut.AppendQuoted(b, v.Value)
	b = append(b, '\n')
	if f := flagWords(v.Flags); f != "" {
		b = fmt.Appendf(b, "SETFLAGS %s%s\n", v.Name, f)
	}
	if v.Aux > 0 {
		b = fmt.Appendf(b, "SETAUX %s %d\n", v.Name, v.Aux)
	}
	for _, e := range v.Enum {
		b = fmt.Appendf(b, "ADDENUM %s %s\n", v.Name, nut.Quote(e))
	}
	for _, r := range v.Ranges {
		b = fmt.Appendf(b, "ADDRANGE %s %s %s\n", v.Name, r.Min, r.Max)
	}
	return b
}

func flagWords(f device.Flag) string {
	s := ""
	if f&device.RW != 0 {
		s += " RW"
	}
	if f&device.String != 0 {
		s += " STRING"
	}
	if f&device.Number != 0 {
		s += " NUMBER"
	}
	return s
}

// dump is the full state as a reply to DUMPALL.
func dump(s *device.Snapshot) []byte {
	var b []byte
	if !s.Connected || s.Updated.IsZero() {
		b = append(b, "DATASTALE\n"...)
	}
	for _, v := range s.Vars {
		b = varLines(b, v)
	}
	for _, c := range s.Cmds {
		b = fmt.Appendf(b, "ADDCMD %s\n", c)
	}
	if s.Connected && !s.Updated.IsZero() {
		b = append(b, "DATAOK\n"...)
	}
	return append(b, "DUMPDONE\n"...)
}

// diff is what changed from a to b, as driver lines.
func diff(a, b *device.Snapshot) []byte {
	var out []byte
	for _, v := range b.Vars {
		old, ok := a.Var(v.Name)
		if !ok || old.Value != v.Value || old.Flags != v.Flags || old.Aux != v.Aux ||
			strings.Join(old.Enum, "\x00") != strings.Join(v.Enum, "\x00") || len(old.Ranges) != len(v.Ranges) {
			out = varLines(out, v)
		}
	}
	for _, v := range a.Vars {
		if _, ok := b.Var(v.Name); !ok {
			out = fmt.Appendf(out, "DELINFO %s\n", v.Name)
		}
	}
	for _, c := range b.Cmds {
		if !a.HasCmd(c) {
			out = fmt.Appendf(out, "ADDCMD %s\n", c)
		}
	}
	for _, c := range a.Cmds {
		if !b.HasCmd(c) {
			out = fmt.Appendf(out, "DELCMD %s\n", c)
		}
	}
	okA := a.Connected && !a.Updated.IsZero()
	okB := b.Connected && !b.Updated.IsZero()
	switch {
	case okB && (!okA || len(out) > 0 || !b.Updated.Equal(a.Updated)):
		out = append(out, "DATAOK\n"...)
	case !okB && okA:
		out = append(out, "DATASTALE\n"...)
	}
	return out
}
