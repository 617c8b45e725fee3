package abuse

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// GoodResult is what the good client saw.
type GoodResult struct {
	Answers  int // replies as expected
	Errors   int // wrong replies, ERR replies, replies not in within 5 s
	Refusals int // connects refused, or connections closed before a reply
	// Latency of the answers, from when each request was due (a late
	// reply delays the next request, and that delay counts).
	P50, P99, Max time.Duration
	FirstError    string `json:",omitempty"`
}

func (r GoodResult) String() string {
	s := fmt.Sprintf("%d answers, p50 %v, p99 %v, max %v, %d errors, %d refusals", r.Answers, r.P50, r.P99, r.Max, r.Errors, r.Refusals)
	if r.FirstError != "" {
		s += " (first: " + r.FirstError + ")"
	}
	return s
}

// Good sends req every interval on one connection from src ("" any
// address), reconnecting after a failure, until ctx ends; a reply is an
// answer when it starts with want.
func Good(ctx context.Context, addr, src, req, want string, interval time.Duration) GoodResult {
	var res GoodResult
	var lat []time.Duration
	fail := func(refused bool, what string) {
		if refused {
			res.Refusals++
		} else {
			res.Errors++
		}
		if res.FirstError == "" {
			res.FirstError = what
		}
	}
	d := dialer(src)
	var c net.Conn
	var r *bufio.Reader
	line := []byte(req + "\n")
	for due := time.Now(); ; due = due.Add(interval) {
		if w := time.Until(due); w > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(w):
			}
		}
		if ctx.Err() != nil {
			break
		}
		t0 := due
		if now := time.Now(); now.Sub(due) < time.Millisecond {
			t0 = now // on time: the timer's own lateness is not the server's
		}
		if c == nil {
			var err error
			if c, err = d.DialContext(ctx, "tcp", addr); err != nil {
				if ctx.Err() == nil {
					fail(true, "connect: "+err.Error())
				}
				c = nil
				continue
			}
			r = bufio.NewReader(c)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		_, err := c.Write(line)
		var reply string
		if err == nil {
			reply, err = r.ReadString('\n')
		}
		switch {
		case err != nil:
			fail(isRefusal(err), err.Error())
			c.Close()
			c = nil
		case !strings.HasPrefix(reply, want):
			fail(false, "reply "+strings.TrimSpace(reply))
		default:
			res.Answers++
			lat = append(lat, time.Since(t0))
		}
		if late := time.Since(due); late > interval {
			// Skip the requests that fell due while this one waited:
			// their delay is already counted in this one's latency.
			due = due.Add(late / interval * interval)
		}
	}
	if c != nil {
		c.Close()
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		res.P50, res.P99, res.Max = lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]
	}
	return res
}

// goodEnv carries a good client's arguments to a re-executed test binary.
const goodEnv = "POWERCHAIN_ABUSE_GOOD"

type goodArgs struct {
	Addr, Src, Req, Want string
	Interval, Dur        time.Duration
}

// GoodProcessMain, called first in a test binary's TestMain, makes the
// binary the good client when StartGood re-executed it: it runs, prints
// its result as JSON and exits.
func GoodProcessMain() {
	spec := os.Getenv(goodEnv)
	if spec == "" {
		return
	}
	var a goodArgs
	if err := json.Unmarshal([]byte(spec), &a); err != nil {
		fmt.Fprintln(os.Stderr, "good client:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.Dur)
	defer cancel()
	json.NewEncoder(os.Stdout).Encode(Good(ctx, a.Addr, a.Src, a.Req, a.Want, a.Interval))
	os.Exit(0)
}

// GoodProcess is a good client running in a process of its own, so that
// nothing it measures waits on the abusers' scheduler or locks.
type GoodProcess struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

// StartGood re-executes the running test binary as a good client for dur
// (its TestMain must call GoodProcessMain).
func StartGood(addr, src, req, want string, interval, dur time.Duration) (*GoodProcess, error) {
	spec, _ := json.Marshal(goodArgs{Addr: addr, Src: src, Req: req, Want: want, Interval: interval, Dur: dur})
	p := &GoodProcess{cmd: exec.Command(os.Args[0], "-test.run=^$")}
	p.cmd.Env = append(os.Environ(), goodEnv+"="+string(spec))
	p.cmd.Stdout, p.cmd.Stderr = &p.out, os.Stderr
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("good client: %w", err)
	}
	return p, nil
}

// Wait returns the good client's result once it has finished.
func (p *GoodProcess) Wait() (GoodResult, error) {
	var res GoodResult
	if err := p.cmd.Wait(); err != nil {
		return res, fmt.Errorf("good client: %w", err)
	}
	if err := json.Unmarshal(p.out.Bytes(), &res); err != nil {
		return res, fmt.Errorf("good client's result %q: %w", p.out.String(), err)
	}
	return res, nil
}

// isRefusal reports whether err is a server turning a connection away.
func isRefusal(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
