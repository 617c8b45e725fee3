// Package nutsock speaks NUT's driver/server socket protocol
// (docs/sock-protocol.txt) on both ends:
//
//   - Attach feeds a device from a NUT driver's state socket
//     ($NUT_STATEPATH/<driver>-<device>), so powerchain's upsd can serve
//     NUT's own drivers (usbhid-ups, …);
//   - Serve publishes a device on such a socket, so NUT's upsd can use a
//     powerchain driver run as a NUT driver (dummy-ups -a NAME).
package nutsock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/nut"
)

// DefaultStatePath is where Debian's NUT keeps driver sockets.
const DefaultStatePath = "/run/nut"

// StatePath is $NUT_STATEPATH, else the default.
func StatePath() string {
	if p := os.Getenv("NUT_STATEPATH"); p != "" {
		return p
	}
	return DefaultStatePath
}

// SocketPath is where the driver of a device listens: <driver>-<device>.
func SocketPath(statePath, driverName, deviceName string) string {
	return filepath.Join(statePath, driverName+"-"+deviceName)
}

// Results of a driver's handlers (drivers/upshandler.h), sent back with
// TRACKING.
const (
	statHandled = 0
	statUnknown = 1
	statInvalid = 2
	statFailed  = 3
)

// Conn is a connection to a NUT driver socket that feeds one device.
type Conn struct {
	path string
	dev  *device.Device

	mu      sync.Mutex
	conn    net.Conn
	pending map[string]chan int
	nextID  int
	// gone is closed when the connection ends: a request waiting for
	// its answer fails then instead of waiting for its deadline.
	gone chan struct{}
}

// Attach connects to the driver socket at path and feeds dev until ctx
// ends or the driver goes away (then it returns an error; call again to
// reconnect). maxAge is the staleness limit: a silent driver is pinged
// after a third of it.
func Attach(ctx context.Context, path string, dev *device.Device, maxAge time.Duration) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return fmt.Errorf("driver socket: %w", err)
	}
	return AttachConn(ctx, conn, path, dev, maxAge)
}

// AttachConn is Attach on a connection already open to the driver socket
// at path; it closes conn when it returns. A caller that has to find out
// whether a driver answers keeps the connection it found out with: NUT
// 2.8.0's drivers never notice a client that closes without a word (they
// read its end of file again and again, and abort at their next update,
// writing to it), so a connection opened only to look must not be closed.
func AttachConn(ctx context.Context, conn net.Conn, path string, dev *device.Device, maxAge time.Duration) error {
	c := &Conn{path: path, dev: dev, conn: conn, pending: map[string]chan int{}, gone: make(chan struct{})}
	defer close(c.gone)
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if _, err := conn.Write([]byte("DUMPALL\n")); err != nil {
		return fmt.Errorf("driver socket %s: %w", path, err)
	}
	dev.SetHandler(c)
	defer dev.SetHandler(nil)
	// The reader applies what it reads itself: a driver's update is one
	// goroutine away from the device, as it is one poll loop away in
	// NUT's upsd. What is already read when a line arrives (the rest of
	// a dump, an update's other lines) becomes the same device version.
	st := &state{}
	st.heard(time.Now())
	readErr := make(chan error, 1)
	go func() {
		r := newLineReader(conn)
		for {
			words, err := r.next()
			if err != nil {
				readErr <- err
				return
			}
			batch := [][]string{words}
			for r.lineBuffered() {
				if words, err = r.next(); err != nil {
					break // the next call returns it again
				}
				batch = append(batch, words)
			}
			st.heard(time.Now())
			if err := c.applyBatch(st, batch); err != nil {
				readErr <- err
				conn.Close()
				return
			}
		}
	}()

	ping := time.NewTicker(maxAge / 3)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			conn.Close()
			<-readErr // the reader touches the device no more
			return nil
		case err := <-readErr:
			return fmt.Errorf("driver socket %s: %w", path, err)
		case now := <-ping.C:
			if now.Sub(st.lastHeardAt()) > maxAge/3 {
				c.send("PING\n")
			}
		}
	}
}

// state is what a connection has learnt of its driver.
type state struct {
	dumpDone, dataOK bool // the reader's alone

	mu        sync.Mutex
	lastHeard time.Time
}

// heard records when the driver last said something.
func (st *state) heard(t time.Time) {
	st.mu.Lock()
	st.lastHeard = t
	st.mu.Unlock()
}

func (st *state) lastHeardAt() time.Time {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.lastHeard
}

// applyBatch carries out a batch of driver lines as one device version,
// then checks the device's bounds.
func (c *Conn) applyBatch(st *state, batch [][]string) error {
	touched := map[string]bool{}
	c.dev.Update(func(tx *device.Tx) {
		for _, w := range batch {
			switch strings.ToUpper(w[0]) {
			case "DUMPDONE":
				st.dumpDone = true
			case "DATAOK":
				st.dataOK = true
			case "DATASTALE":
				st.dataOK = false
			case "TRACKING":
				c.tracked(w)
			case "ADDENUM", "ADDRANGE":
				if len(w) > 1 {
					touched[w[1]] = true
				}
				apply(tx, w)
			default:
				apply(tx, w)
			}
		}
	})
	if err := checkLimits(c.dev.Snapshot(), touched); err != nil {
		c.dev.MarkStale()
		return err
	}
	if st.dumpDone && st.dataOK {
		c.dev.DataOK(st.lastHeardAt())
	} else if st.dumpDone {
		c.dev.MarkStale()
	}
	return nil
}

// apply carries out one driver line on the device.
func apply(tx *device.Tx, w []string) {
	arg := func(i int) string {
		if i < len(w) {
			return w[i]
		}
		return ""
	}
	switch strings.ToUpper(w[0]) {
	case "SETINFO":
		if len(w) >= 3 {
			tx.Set(w[1], w[2])
		}
	case "DELINFO":
		tx.Delete(arg(1))
	case "ADDENUM":
		if len(w) >= 3 {
			tx.AddEnum(w[1], w[2])
		}
	case "DELENUM":
		if len(w) >= 3 {
			tx.DelEnum(w[1], w[2])
		}
	case "ADDRANGE":
		if len(w) >= 4 {
			tx.AddRange(w[1], device.Range{Min: w[2], Max: w[3]})
		}
	case "DELRANGE":
		if len(w) >= 4 {
			tx.DelRange(w[1], device.Range{Min: w[2], Max: w[3]})
		}
	case "SETAUX":
		if n, err := strconv.Atoi(arg(2)); err == nil {
			tx.SetAux(w[1], n)
		}
	case "SETFLAGS":
		if len(w) >= 2 {
			var f device.Flag
			for _, fl := range w[2:] {
				switch strings.ToUpper(fl) {
				case "RW":
					f |= device.RW
				case "STRING":
					f |= device.String
				case "NUMBER":
					f |= device.Number
				}
			}
			tx.SetFlags(w[1], f)
		}
	case "ADDCMD":
		tx.AddCmd(arg(1))
	case "DELCMD":
		tx.DeleteCmd(arg(1))
	}
}

func (c *Conn) send(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err := c.conn.Write([]byte(s))
	return err
}

func (c *Conn) tracked(w []string) {
	if len(w) < 3 {
		return
	}
	c.mu.Lock()
	ch, ok := c.pending[w[1]]
	delete(c.pending, w[1])
	c.mu.Unlock()
	if ok {
		n, _ := strconv.Atoi(w[2])
		ch <- n
	}
}

// request sends a SET or INSTCMD with a TRACKING id and waits for the
// driver's result (NUT 2.8 drivers answer TRACKING id code).
func (c *Conn) request(ctx context.Context, line string) error {
	c.mu.Lock()
	c.nextID++
	id := fmt.Sprintf("powerchain-%d-%d", os.Getpid(), c.nextID)
	ch := make(chan int, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	if err := c.send(line + " TRACKING " + id + "\n"); err != nil {
		return err
	}
	select {
	case code := <-ch:
		switch code {
		case statHandled:
			return nil
		case statInvalid:
			return nut.ErrInvalidArgument
		case statUnknown:
			return fmt.Errorf("driver answered %d: %w", code, device.ErrCmdUnhandled)
		default:
			return fmt.Errorf("driver answered %d", code)
		}
	case <-c.gone:
		return fmt.Errorf("driver socket %s closed before the driver answered", c.path)
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return ctx.Err()
	}
}

// SetVar forwards SET VAR to the driver.
func (c *Conn) SetVar(ctx context.Context, name, value string) error {
	return c.request(ctx, "SET "+name+" "+nut.Quote(value))
}

// InstCmd forwards INSTCMD to the driver.
func (c *Conn) InstCmd(ctx context.Context, name, param string) error {
	line := "INSTCMD " + name
	if param != "" {
		line += " " + nut.Quote(param)
	}
	return c.request(ctx, line)
}

// ErrSocketInUse means another driver already serves the socket.
var ErrSocketInUse = errors.New("driver socket in use by a running driver")
