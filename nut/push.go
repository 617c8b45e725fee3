package nut

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// powerchain's change notification, an extension of the protocol that
// NUT's clients never send (docs/push-protocol.md): SUBSCRIBE turns a
// session into a stream of the changes of some or all devices, each line
// numbered in the server's change feed.

// Subscribe is the extension's command: SUBSCRIBE <since> [<ups> …].
const Subscribe = "SUBSCRIBE"

// Where a stream starts: the last word of SUBSCRIBE's reply,
// "OK SUBSCRIBE <feed>:<seq> <start>".
const (
	// StartNow: the client asked for what happens next; it reads the
	// devices (after the reply) to know their state.
	StartNow = "NOW"
	// StartResumed: every change after the client's position follows,
	// so it has missed nothing.
	StartResumed = "RESUMED"
	// StartResync: changes after the client's position are no longer
	// held (or the server restarted): it reads the devices again.
	StartResync = "RESYNC"
)

// The kinds of line in a stream (Change.Kind).
const (
	ChangeVar     = "VAR"     // VAR <seq> <ups> <var> "<value>": set or changed, as GET VAR serves it
	ChangeDelVar  = "DELVAR"  // DELVAR <seq> <ups> <var>: the variable is gone
	ChangeMeta    = "META"    // META <seq> <ups>: types, enumerations, ranges, commands or description changed
	ChangeState   = "STATE"   // STATE <seq> <ups> <state>: OK, DATA-STALE or DRIVER-NOT-CONNECTED
	ChangeAdd     = "ADD"     // ADD <seq> <ups>: a device is new (or replaced); its variables follow
	ChangeRemove  = "REMOVE"  // REMOVE <seq> <ups>: the device is gone
	ChangePing    = "PING"    // PING <seq>: nothing happened for PingInterval
	ChangeDropped = "DROPPED" // DROPPED <seq> <reason> "<message>": the last line; the server closes
)

// StateOK is the state of a device whose data GET serves; any other state
// is the error GET answers instead (ErrDataStale, ErrDriverNotConnected).
const StateOK = "OK"

// Why a server ends a stream (the reason word of DROPPED).
const (
	// DropTooSlow: the client read its stream more slowly than changes
	// came, and fell further behind than the server holds changes.
	DropTooSlow = "TOO-SLOW"
	// DropShutdown: the server is stopping.
	DropShutdown = "SHUTDOWN"
)

// PingInterval is how long a stream stays silent at most: the server
// sends PING when it has sent nothing for that long, so a client that
// hears nothing for several intervals knows the server is gone.
const PingInterval = 15 * time.Second

// Position is a place in a server's change feed: the feed's identity
// (which changes when the server restarts) and a sequence number.
type Position struct {
	Feed string
	Seq  uint64
}

// String is the position as SUBSCRIBE takes it, "<feed>:<seq>"; the zero
// position is StartNow.
func (p Position) String() string {
	if p.Feed == "" {
		return StartNow
	}
	return p.Feed + ":" + strconv.FormatUint(p.Seq, 10)
}

// ParsePosition reads "<feed>:<seq>", or StartNow as the zero position.
func ParsePosition(s string) (Position, error) {
	if strings.EqualFold(s, StartNow) {
		return Position{}, nil
	}
	feed, seq, ok := strings.Cut(s, ":")
	n, err := strconv.ParseUint(seq, 10, 64)
	if !ok || feed == "" || err != nil {
		return Position{}, fmt.Errorf("position %q: want NOW or <feed>:<seq>", s)
	}
	for i := 0; i < len(feed); i++ {
		if c := feed[i]; c <= ' ' || c > '~' || c == '"' || c == '\\' || c == '#' {
			return Position{}, fmt.Errorf("position %q: bad feed name", s)
		}
	}
	return Position{Feed: feed, Seq: n}, nil
}

// Change is one line of a stream.
type Change struct {
	Seq  uint64
	Kind string // ChangeVar, ChangeState, …
	UPS  string // the device (all kinds but PING and DROPPED)
	// Name is the variable of VAR and DELVAR, the reason of DROPPED.
	Name string
	// Value is VAR's value, STATE's state, DROPPED's message.
	Value string
}

// AppendChange appends the line of c (with its newline) to b.
func AppendChange(b []byte, c Change) []byte {
	b = append(b, c.Kind...)
	b = append(b, ' ')
	b = strconv.AppendUint(b, c.Seq, 10)
	switch c.Kind {
	case ChangePing:
	case ChangeDropped:
		b = append(append(b, ' '), c.Name...)
		b = AppendQuoted(append(b, ' '), c.Value)
	default:
		b = append(append(b, ' '), c.UPS...)
		switch c.Kind {
		case ChangeVar:
			b = append(append(b, ' '), c.Name...)
			b = AppendQuoted(append(b, ' '), c.Value)
		case ChangeDelVar:
			b = append(append(b, ' '), c.Name...)
		case ChangeState:
			b = append(append(b, ' '), c.Value...)
		}
	}
	return append(b, '\n')
}

// ErrBadChange is wrapped by ParseChange's errors.
var ErrBadChange = errors.New("not a change line")

// ParseChange reads one line of a stream (without its newline).
func ParseChange(line string) (Change, error) {
	w, err := SplitRequest(line)
	if err != nil || len(w) < 2 {
		return Change{}, fmt.Errorf("%w: %q", ErrBadChange, line)
	}
	seq, err := strconv.ParseUint(w[1], 10, 64)
	if err != nil {
		return Change{}, fmt.Errorf("%w: sequence number in %q", ErrBadChange, line)
	}
	c := Change{Seq: seq, Kind: w[0]}
	var fields []*string // what the words after the sequence number are
	switch c.Kind {
	case ChangePing:
	case ChangeDropped:
		fields = []*string{&c.Name, &c.Value}
	case ChangeVar:
		fields = []*string{&c.UPS, &c.Name, &c.Value}
	case ChangeDelVar:
		fields = []*string{&c.UPS, &c.Name}
	case ChangeState:
		fields = []*string{&c.UPS, &c.Value}
	case ChangeAdd, ChangeRemove, ChangeMeta:
		fields = []*string{&c.UPS}
	default:
		return Change{}, fmt.Errorf("%w: unknown kind in %q", ErrBadChange, line)
	}
	if want := 2 + len(fields); len(w) != want {
		return Change{}, fmt.Errorf("%w: %d words in %q, want %d", ErrBadChange, len(w), line, want)
	}
	for i, f := range fields {
		*f = w[2+i]
	}
	return c, nil
}
