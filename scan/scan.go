// Package scan finds power devices, as NUT's nut-scanner does: SNMP
// agents (identified with package mib's tables), NUT servers and their
// devices, USB UPSes in sysfs (package usbups), and simulation files. A
// scan runs hosts concurrently (bounded) with a per-host timeout, so a
// range takes about one timeout, not hosts × timeout.
package scan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/powerchain/powerchain/conf"
)

// Buses, as nut-scanner's parsable output names them.
const (
	BusSNMP = "SNMP"
	BusUSB  = "USB"
	BusNUT  = "NUT"
	BusMDNS = "AVAHI"
)

// Device is one thing found: a ups.conf section to be.
type Device struct {
	Bus    string `json:"bus"`
	Driver string `json:"driver"`
	Port   string `json:"port"`
	Desc   string `json:"desc,omitempty"`
	// Options are further ups.conf keys, in output order.
	Options []Option `json:"options,omitempty"`
	// Warnings are sanity notes, written as comments in ups.conf form.
	Warnings []string `json:"warnings,omitempty"`
}

// Option is one ups.conf key of a found device.
type Option struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Get returns an option's value.
func (d Device) Get(key string) string {
	for _, o := range d.Options {
		if o.Key == key {
			return o.Value
		}
	}
	return ""
}

// Options shared by the network buses.
type Options struct {
	Timeout time.Duration // per request; nut-scanner's default is 5 s
	Retries int           // requests sent again after a timeout; nut-scanner sends none
	// Rate is the packets per second a range scan sends (DefaultRate
	// when 0): first requests to every address, retries, and the
	// identification of the hosts that answer.
	Rate int
	// Threads bounds the conversations with answering hosts held at once
	// (identifying an SNMP agent, logging in to a BMC); nut-scanner's
	// default is 512. Reaching every address is bounded by Rate and the
	// timeout instead.
	Threads int
	// Progress, when set, is called about four times a second during a
	// range scan and once at its end (Final).
	Progress func(Progress)
}

// Progress is how far the scan of a range on one bus has got.
type Progress struct {
	Bus      string
	Total    int           // addresses to scan
	Done     int           // addresses with a result: found, nothing there, silent
	Answered int           // addresses that answered the first request
	Refused  int           // addresses an ICMP error or the local firewall ruled out at once
	Silent   int           // addresses that never answered
	Late     int           // answers that came after their address's timeout, still counted
	Found    int           // devices found
	Sent     int           // first requests sent, retries included
	Sending  time.Duration // from the start to the last request sent
	Elapsed  time.Duration
	Final    bool // the last report for this bus
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return 5 * time.Second
	}
	return o.Timeout
}

func (o Options) threads() int {
	if o.Threads <= 0 {
		return 512
	}
	return o.Threads
}

func (o Options) retries() int { return max(o.Retries, 0) }

// tracker counts a range scan's progress and reports it to
// Options.Progress.
type tracker struct {
	report                                             func(Progress)
	bus                                                string
	total                                              int
	start                                              time.Time
	done, answered, refused, silent, late, found, sent atomic.Int64
	lastSent                                           atomic.Int64 // nanoseconds from start
	stop                                               chan struct{}
	stopped                                            sync.WaitGroup
}

func (o Options) track(bus string, total int) *tracker {
	t := &tracker{report: o.Progress, bus: bus, total: total, start: time.Now(), stop: make(chan struct{})}
	if t.report == nil {
		return t
	}
	t.stopped.Add(1)
	go func() {
		defer t.stopped.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-t.stop:
				return
			case <-tick.C:
				t.report(t.now(false))
			}
		}
	}()
	return t
}

func (t *tracker) now(final bool) Progress {
	return Progress{Bus: t.bus, Total: t.total, Done: int(t.done.Load()), Answered: int(t.answered.Load()),
		Refused: int(t.refused.Load()), Silent: int(t.silent.Load()), Late: int(t.late.Load()), Found: int(t.found.Load()),
		Sent: int(t.sent.Load()), Sending: time.Duration(t.lastSent.Load()), Elapsed: time.Since(t.start), Final: final}
}

// finish sends the last report.
func (t *tracker) finish() {
	if t.report == nil {
		return
	}
	close(t.stop)
	t.stopped.Wait()
	t.report(t.now(true))
}

// each runs probe on every host with at most o.Threads at once and
// returns the devices in host order. A cancelled ctx stops new probes;
// what was found is still returned.
func each[H any](ctx context.Context, hosts []H, o Options, probe func(context.Context, H) []Device) []Device {
	results := make([][]Device, len(hosts))
	sem := make(chan struct{}, o.threads())
	var wg sync.WaitGroup
	for i, h := range hosts {
		select {
		case <-ctx.Done():
		case sem <- struct{}{}:
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = probe(ctx, h)
		}()
	}
	wg.Wait()
	return flatten(results)
}

// connectEach runs connect on every host, starting them at o.Rate and
// holding at most openFiles() at once: a connection to a silent host
// costs a file and a goroutine while it waits, not a thread. It returns
// the devices in host order; a cancelled ctx starts no more. connect
// counts its host as answered, refused or silent; connectEach counts it
// sent, done and its devices found.
func connectEach(ctx context.Context, hosts []netip.Addr, o Options, tr *tracker, connect func(context.Context, netip.Addr) []Device) []Device {
	pace := newPacer(o.Rate)
	files := make(chan struct{}, openFiles())
	results := make([][]Device, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		if !pace.wait(ctx) {
			break
		}
		select {
		case files <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		tr.sentOne()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-files }()
			results[i] = connect(ctx, h)
			tr.found.Add(int64(len(results[i])))
			tr.done.Add(1)
		}()
	}
	wg.Wait()
	return flatten(results)
}

// sentOne counts a request sent.
func (t *tracker) sentOne() {
	t.sent.Add(1)
	t.lastSent.Store(int64(time.Since(t.start)))
}

// failed counts a host whose connection failed: silent when it timed
// out, refused otherwise (a reset, an ICMP error).
func (t *tracker) failed(err error) {
	var ne net.Error
	if errors.Is(err, context.Canceled) {
		return // interrupted: no result
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		t.silent.Add(1)
	} else {
		t.refused.Add(1)
	}
}

// flatten joins per-host results in host order.
func flatten(results [][]Device) []Device {
	var out []Device
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}

// WriteUPSConf writes devices as ups.conf sections, as nut-scanner's
// default output does ([nutdev1] …), with warnings as comments. Every
// value goes through conf.Quote and conf.CheckValue: a device with a
// value NUT cannot hold (an agent's description of control characters,
// say) is not written; a comment stands in its place, the others are
// written, and the error names what was left out.
func WriteUPSConf(w io.Writer, devs []Device) error {
	var b strings.Builder
	var errs []error
	for i, d := range devs {
		name := fmt.Sprintf("nutdev%d", i+1)
		kv := d.settings()
		var sec strings.Builder
		var err error
		for _, warn := range d.Warnings {
			fmt.Fprintf(&sec, "# WARNING: %s\n", comment(warn))
		}
		fmt.Fprintf(&sec, "[%s]\n", name)
		for _, o := range kv {
			var q string
			if q, err = conf.Quote(o.Value, true); err == nil {
				err = conf.CheckValue(conf.UPSConfFile, name, o.Key, o.Value)
			}
			if err != nil {
				err = fmt.Errorf("%s device at %s not written: %s: %w", d.Driver, d.Port, o.Key, err)
				break
			}
			fmt.Fprintf(&sec, "\t%s = %s\n", o.Key, q)
		}
		if err != nil {
			errs = append(errs, err)
			fmt.Fprintf(&b, "# [%s] not written: %s\n", name, comment(err.Error()))
			continue
		}
		b.WriteString(sec.String())
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// settings are the device's ups.conf keys in output order.
func (d Device) settings() []Option {
	kv := []Option{{"driver", d.Driver}, {"port", d.Port}}
	if d.Desc != "" {
		kv = append(kv, Option{"desc", d.Desc})
	}
	return append(kv, d.Options...)
}

// comment makes s safe as the text of a one-line comment.
func comment(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// WriteParsable writes nut-scanner's parsable form:
// BUS:driver="…",port="…",desc="…",key="…", each value quoted as
// conf.Quote does (a value it refuses is written as Go quotes it).
func WriteParsable(w io.Writer, devs []Device) error {
	var b strings.Builder
	for _, d := range devs {
		b.WriteString(d.Bus + ":")
		for i, o := range d.settings() {
			q, err := conf.Quote(o.Value, true)
			if err != nil {
				q = strconv.Quote(o.Value)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(o.Key + "=" + q)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the devices as a JSON array.
func WriteJSON(w io.Writer, devs []Device) error {
	if devs == nil {
		devs = []Device{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(devs)
}
