package client

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/powerchain/powerchain/nut"
)

// Change notification: powerchain's server pushes the changes of its
// devices to a client that subscribes (docs/push-protocol.md); NUT's upsd
// does not, and its clients poll.

// ErrNoPush is returned by Subscribe when the server offers no change
// notification (NUT's upsd answers SUBSCRIBE with ERR UNKNOWN-COMMAND, and
// logs nothing): the caller polls. The connection stays usable.
var ErrNoPush = errors.New("the server offers no change notification")

// ErrSubscribed is returned by requests on a connection that carries a
// subscription: it answers none.
var ErrSubscribed = errors.New("the connection carries a subscription and answers no request")

// DroppedError is why the server ended a subscription (its DROPPED line).
type DroppedError struct {
	Reason  string // nut.DropTooSlow, nut.DropShutdown, …
	Message string
}

func (e *DroppedError) Error() string {
	return fmt.Sprintf("subscription dropped by the server: %s (%s)", e.Reason, e.Message)
}

// Offers reports whether the server lists a command in its HELP reply
// (powerchain's server lists nut.Subscribe).
func (c *Client) Offers(ctx context.Context, command string) (bool, error) {
	line, err := c.Command(ctx, "HELP")
	if err != nil {
		return false, err
	}
	for _, w := range strings.Fields(line) {
		if strings.EqualFold(w, command) {
			return true, nil
		}
	}
	return false, nil
}

// Subscription is a stream of changes on a connection of its own (after
// Subscribe the Client answers no request). Its methods are for one
// goroutine.
type Subscription struct {
	c     *Client
	start nut.Position
	how   string
	pos   nut.Position
}

// Subscribe asks the server for the changes of the named devices (none:
// every device, and those added later), after since: the zero Position
// for what happens next, or the last position a former subscription
// reached (Subscription.Pos) to resume it. When Resumed reports false
// the caller reads the devices (LIST VAR, GET) on another connection,
// after this call, to know their state: changes from then on arrive in
// order with Next. A server without change notification returns
// ErrNoPush.
func (c *Client) Subscribe(ctx context.Context, since nut.Position, ups ...string) (*Subscription, error) {
	req, err := request(append([]string{nut.Subscribe, since.String()}, ups...))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	line, err := c.roundTrip(ctx, req)
	if errors.Is(err, nut.ErrUnknownCommand) {
		return nil, ErrNoPush
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nut.Subscribe, err)
	}
	w := strings.Fields(line)
	if len(w) != 4 || w[0] != "OK" || w[1] != nut.Subscribe {
		return nil, c.fail(ctx, fmt.Errorf("%s: unexpected reply %q", nut.Subscribe, line))
	}
	start, err := nut.ParsePosition(w[2])
	if err != nil || start.Feed == "" {
		return nil, c.fail(ctx, fmt.Errorf("%s: unexpected reply %q", nut.Subscribe, line))
	}
	switch w[3] {
	case nut.StartNow, nut.StartResumed, nut.StartResync:
	default:
		return nil, c.fail(ctx, fmt.Errorf("%s: unexpected reply %q", nut.Subscribe, line))
	}
	c.broken = ErrSubscribed
	return &Subscription{c: c, start: start, how: w[3], pos: start}, nil
}

// Start is the position the stream starts after, and how it starts:
// nut.StartNow, nut.StartResumed or nut.StartResync.
func (s *Subscription) Start() (nut.Position, string) { return s.start, s.how }

// Resumed reports whether the stream continues a former one without a
// gap: every change after the position given to Subscribe follows. When
// false, what the caller knew of the devices is out of date.
func (s *Subscription) Resumed() bool { return s.how == nut.StartResumed }

// Pos is the position of the last line read: give it to Subscribe to
// resume after a lost connection.
func (s *Subscription) Pos() nut.Position { return s.pos }

// Silence is how long Next waits for a line at most (the server sends
// one at least every nut.PingInterval) before it takes the server for
// gone.
const Silence = 3 * nut.PingInterval

// Next returns the next change. PING lines are not returned. A DROPPED
// line ends the subscription with a *DroppedError; so does any other
// error (the connection is closed then).
func (s *Subscription) Next(ctx context.Context) (nut.Change, error) {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if c.broken != ErrSubscribed {
			return nut.Change{}, c.broken
		}
		stop := c.deadline(ctx, Silence)
		line, err := c.readLine(ctx)
		stop()
		if err != nil {
			return nut.Change{}, err
		}
		ch, err := nut.ParseChange(line)
		if err != nil {
			return nut.Change{}, c.fail(ctx, err)
		}
		if ch.Seq < s.pos.Seq {
			return nut.Change{}, c.fail(ctx, fmt.Errorf("%s: change %d after %d", nut.Subscribe, ch.Seq, s.pos.Seq))
		}
		s.pos.Seq = ch.Seq
		switch ch.Kind {
		case nut.ChangePing:
			continue
		case nut.ChangeDropped:
			return nut.Change{}, c.fail(ctx, &DroppedError{Reason: ch.Name, Message: ch.Value})
		}
		return ch, nil
	}
}

// Close ends the subscription and its connection.
func (s *Subscription) Close() error { return s.c.Close() }
