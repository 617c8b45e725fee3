// Package record is nut-recorder: it records what a device of a NUT
// server does into dummy-ups's .seq format, so that dummy-ups (NUT's or
// powerchain's) plays it again. Where the server offers change
// notification (powerchain's SUBSCRIBE, docs/push-protocol.md) every
// change is heard as it happens, and nothing that lasts a second or more
// is lost between polls; elsewhere (NUT's upsd) the device is read every
// interval, as NUT's nut-recorder.sh reads it.
package record

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/nut"
)

// DefaultInterval is the time between reads of a server that offers no
// change notification (nut-recorder.sh's).
const DefaultInterval = 5 * time.Second

// Options of a recording.
type Options struct {
	// Interval between reads where the server offers no change
	// notification (DefaultInterval when zero).
	Interval time.Duration
	// Duration of the recording; zero records until the context ends.
	Duration time.Duration
	// Poll reads every Interval even where the server offers change
	// notification.
	Poll bool
	// Log is where reconnections and gaps are told (slog.Default when nil).
	Log *slog.Logger
}

// Result says how a recording went.
type Result struct {
	Push    bool          // changes were heard as they happened
	Steps   int           // TIMER steps written
	Changes int           // variable lines written in the steps
	Gaps    int           // times the connection was lost
	Elapsed time.Duration // from the first read to the end
	Skipped int           // variables no .seq line can hold
}

// recorder is one recording.
type recorder struct {
	ups   nut.UPSName
	addr  string
	o     Options
	log   *slog.Logger
	seq   *Seq
	res   Result
	start time.Time
	// ctl reads the device (nil after a failure: read dials again).
	ctl *client.Client
}

// read reads the device whole, connecting first when needed; a failure
// that is not the server's answer drops the connection.
func (r *recorder) read(ctx context.Context) ([]client.Var, error) {
	if r.ctl == nil {
		c, err := client.Dial(ctx, r.addr)
		if err != nil {
			return nil, err
		}
		r.ctl = c
	}
	vars, err := r.ctl.Vars(ctx, r.ups.UPS)
	var ne nut.Error
	if err != nil && !errors.As(err, &ne) {
		r.ctl.Close()
		r.ctl = nil
	}
	return vars, err
}

// Record records the device ups into w until ctx ends or o.Duration has
// passed. The device must answer at the start (an unknown device, a
// server that cannot be reached or data that is stale is an error then);
// later failures are logged and retried, the file keeping the last
// state it heard.
func Record(ctx context.Context, ups nut.UPSName, w io.Writer, o Options) (Result, error) {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	r := &recorder{ups: ups, o: o, log: o.Log}
	if r.log == nil {
		r.log = slog.Default()
	}
	r.addr = ups.Addr()
	defer func() {
		if r.ctl != nil {
			r.ctl.Close()
		}
	}()

	var sub *client.Subscription
	if !o.Poll {
		sc, err := client.Dial(ctx, r.addr)
		if err != nil {
			return r.res, err
		}
		// Subscribe before the first read: a change while it reads is
		// then on the stream too.
		sub, err = sc.Subscribe(ctx, nut.Position{}, ups.UPS)
		switch {
		case errors.Is(err, client.ErrNoPush):
			sc.Close()
		case err != nil:
			sc.Close()
			return r.res, fmt.Errorf("%s: %w", ups, err)
		}
	}
	vars, err := r.read(ctx)
	if err != nil {
		if sub != nil {
			sub.Close()
		}
		return r.res, fmt.Errorf("%s: %w", ups, err)
	}
	r.start = time.Now()
	how := fmt.Sprintf("read every %s (the server offers no change notification)", o.Interval)
	switch {
	case sub != nil:
		how = "every change as the server told it (change notification)"
	case o.Poll:
		how = fmt.Sprintf("read every %s", o.Interval)
	}
	header := fmt.Sprintf("dummy-ups sequence of %s recorded by powerchain record\nfrom %s: %s",
		ups, r.start.UTC().Format(time.RFC3339), how)
	if r.seq, err = NewSeq(w, header, r.start, vars); err != nil {
		return r.res, err
	}

	if o.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, r.start.Add(o.Duration))
		defer cancel()
	}
	if sub != nil {
		r.res.Push = true
		err = r.push(ctx, sub)
	} else {
		err = r.poll(ctx)
	}
	end := time.Now()
	if dl, ok := ctx.Deadline(); ok && o.Duration > 0 && end.After(dl) {
		end = dl
	}
	if cerr := r.seq.Close(end); err == nil {
		err = cerr
	}
	r.res.Elapsed = end.Sub(r.start)
	r.res.Skipped, r.res.Steps, r.res.Changes = r.seq.Skipped, r.seq.Steps, r.seq.Changes
	return r.res, err
}

// poll reads the device every Interval and records what differs; a read
// that fails is logged (once until one succeeds) and the connection made
// again at the next tick.
func (r *recorder) poll(ctx context.Context) error {
	tick := time.NewTicker(r.o.Interval)
	defer tick.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		vars, err := r.read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.failed(&failing, err)
			continue
		}
		if failing {
			r.log.Info("recording again", "ups", r.ups.String())
			failing = false
		}
		if err := r.sync(time.Now(), vars); err != nil {
			return err
		}
	}
}

func (r *recorder) failed(failing *bool, err error) {
	if !*failing {
		r.res.Gaps++
		r.log.Warn("cannot read the device; the recording keeps its last state", "ups", r.ups.String(), "err", err)
	}
	*failing = true
}

// sync records a whole reading of the device.
func (r *recorder) sync(t time.Time, vars []client.Var) error {
	if err := r.seq.Sync(t, vars); err != nil {
		return err
	}
	return r.seq.Flush(t)
}

// change is a line of the stream, or why it ended.
type change struct {
	c   nut.Change
	err error
	at  time.Time
}

// push records the changes of a subscription as they come; a lost
// subscription is resumed where the server still holds what followed,
// else the device is read again. Steps are written once their second is
// over.
func (r *recorder) push(ctx context.Context, sub *client.Subscription) error {
	retry := time.Second
	tick := time.NewTicker(time.Second / 4)
	defer tick.Stop()
	for {
		lines := make(chan change, 64)
		sctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				c, err := sub.Next(sctx)
				select {
				case lines <- change{c, err, time.Now()}:
				case <-sctx.Done():
					return
				}
				if err != nil {
					return
				}
			}
		}()
		err := r.follow(ctx, lines, tick.C)
		stop()
		sub.Close()
		<-done
		pos := sub.Pos()
		if dl, ok := ctx.Deadline(); err == nil || ctx.Err() != nil || ok && !time.Now().Before(dl) {
			return nil // the end (a read may see the deadline before ctx does)
		}
		r.res.Gaps++
		r.log.Warn("change notification lost; subscribing again", "ups", r.ups.String(), "err", err)
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(retry):
			}
			retry = min(2*retry, 30*time.Second)
			var serr error
			if sub, serr = r.resubscribe(ctx, pos); serr == nil {
				retry = time.Second
				break
			}
			r.log.Debug("subscribing again failed", "ups", r.ups.String(), "err", serr)
		}
	}
}

// resubscribe subscribes after pos; when the server no longer holds
// what followed (or restarted), the device is read again.
func (r *recorder) resubscribe(ctx context.Context, pos nut.Position) (*client.Subscription, error) {
	sc, err := client.Dial(ctx, r.addr)
	if err != nil {
		return nil, err
	}
	sub, err := sc.Subscribe(ctx, pos, r.ups.UPS)
	if err != nil {
		sc.Close()
		return nil, err
	}
	if sub.Resumed() {
		r.log.Info("recording again: nothing was missed", "ups", r.ups.String())
		return sub, nil
	}
	vars, err := r.read(ctx)
	if err != nil {
		sub.Close()
		return nil, err
	}
	r.log.Info("recording again: the device read whole after the gap", "ups", r.ups.String())
	return sub, r.sync(time.Now(), vars)
}

// follow applies the stream's lines until it ends (its error) or ctx
// does (nil).
func (r *recorder) follow(ctx context.Context, lines <-chan change, tick <-chan time.Time) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-tick:
			if err := r.seq.Flush(now); err != nil {
				return err
			}
		case l := <-lines:
			if l.err != nil {
				return l.err
			}
			if err := r.apply(ctx, l); err != nil {
				return err
			}
		}
	}
}

// apply records one line of the stream.
func (r *recorder) apply(ctx context.Context, l change) error {
	c := l.c
	switch c.Kind {
	case nut.ChangeVar:
		return r.seq.Set(l.at, c.Name, c.Value)
	case nut.ChangeDelVar:
		return r.seq.Delete(l.at, c.Name)
	case nut.ChangeState:
		if c.Value != "OK" {
			r.log.Warn("the device's data is not fresh; the recording keeps its last state", "ups", r.ups.String(), "state", c.Value)
		}
	case nut.ChangeAdd:
		// Replaced (its configuration changed): read it whole.
		vars, err := r.read(ctx)
		if err != nil {
			return err
		}
		return r.sync(l.at, vars)
	case nut.ChangeRemove:
		r.log.Warn("the device is gone from the server; the recording keeps its last state", "ups", r.ups.String())
	}
	return nil
}
