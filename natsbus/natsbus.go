// Package natsbus puts a fleet of powerchain servers on NATS
// (docs/fleet.md): a Publisher sends one server's device changes, as
// SUBSCRIBE streams them, on subjects named by site, server and device,
// answers requests for a full read, and keeps events in a JetStream
// stream; a Follower keeps every device of many servers current from
// those subjects, resynchronising a server from a full read whenever it
// may have missed a message, and reads the events' history from the
// stream.
//
// Subjects (Prefix is "powerchain" unless set; every name is one token,
// escaped by Token):
//
//	P.<site>.<server>.<device>.vars   VAR and DELVAR lines of one device
//	P.<site>.<server>.<device>.state  ADD, REMOVE, META and STATE lines
//	P.<site>.<server>.<device>.info   the device's description, writable variables and commands (JSON)
//	P.<site>.<server>.<device>.event  an event (JSON), kept by the JetStream stream
//	P.<site>.<server>.snapshot        every device of the server (JSON)
//	P.<site>.<server>.ping            PING (alive) or DROPPED SHUTDOWN (stopping)
//	P.read, P.<site>.read, P.<site>.<server>.read   requests for a full read
package natsbus

import (
	"fmt"
	"strings"
)

// DefaultPrefix is the first token of every subject.
const DefaultPrefix = "powerchain"

// The last token of a device's subjects, and of a server's.
const (
	KindVars     = "vars"
	KindState    = "state"
	KindInfo     = "info"
	KindEvent    = "event"
	KindSnapshot = "snapshot"
	KindPing     = "ping"
	KindRead     = "read"
)

// Headers of the messages a Publisher sends.
const (
	// HeaderFeed names the server's change feed (nut.Position's Feed):
	// new at every start of the server.
	HeaderFeed = "Powerchain-Feed"
	// HeaderMsg numbers the messages of one server and feed, 1, 2, 3 …
	// over all its subjects: a follower that sees a number skipped
	// missed a message and reads the server again. A ping carries the
	// number of the last message.
	HeaderMsg = "Powerchain-Msg"
)

// Token escapes a name (a site, server or device) into one subject
// token: ASCII letters, digits, '-' and '_' stay, every other byte is
// '%' and two upper-case hexadecimal digits ("nas1.example.com" is
// "nas1%2Eexample%2Ecom"). The empty name is "%".
func Token(name string) string {
	if name == "" {
		return "%"
	}
	plain := true
	for i := 0; i < len(name) && plain; i++ {
		plain = tokenByte(name[i])
	}
	if plain {
		return name
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if tokenByte(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func tokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// Untoken reverses Token.
func Untoken(tok string) (string, error) {
	if tok == "%" {
		return "", nil
	}
	if !strings.Contains(tok, "%") {
		return tok, nil
	}
	var b strings.Builder
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(tok) {
			return "", fmt.Errorf("subject token %q: %% without two hexadecimal digits", tok)
		}
		hi, ok1 := unhex(tok[i+1])
		lo, ok2 := unhex(tok[i+2])
		if !ok1 || !ok2 {
			return "", fmt.Errorf("subject token %q: %% without two hexadecimal digits", tok)
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// Subjects names the subjects under a prefix.
type Subjects struct {
	// Prefix is the subjects' first token(s); DefaultPrefix when empty.
	Prefix string
}

func (s Subjects) prefix() string {
	if s.Prefix == "" {
		return DefaultPrefix
	}
	return s.Prefix
}

// Server is the subject of a server's own messages (KindSnapshot,
// KindPing, KindRead).
func (s Subjects) Server(site, server, kind string) string {
	return s.prefix() + "." + Token(site) + "." + Token(server) + "." + kind
}

// Device is the subject of a device's messages (KindVars, KindState,
// KindInfo, KindEvent).
func (s Subjects) Device(site, server, device, kind string) string {
	return s.prefix() + "." + Token(site) + "." + Token(server) + "." + Token(device) + "." + kind
}

// Site is the wildcard of every subject of a site ("" or "*": every
// site).
func (s Subjects) Site(site string) string {
	return s.prefix() + "." + siteToken(site) + ".>"
}

// Events is the wildcard of the events of a site ("" or "*": every
// site), the subjects the JetStream stream keeps.
func (s Subjects) Events(site string) string {
	return s.prefix() + "." + siteToken(site) + ".*.*." + KindEvent
}

// Read is where a full read of a site's servers ("" : every site's) is
// asked for.
func (s Subjects) Read(site string) string {
	if site == "" || site == "*" {
		return s.prefix() + "." + KindRead
	}
	return s.prefix() + "." + Token(site) + "." + KindRead
}

func siteToken(site string) string {
	if site == "" || site == "*" {
		return "*"
	}
	return Token(site)
}

// Parsed is a subject read back.
type Parsed struct {
	Site, Server string
	Device       string // "" for a server's own subjects
	Kind         string
}

// Parse reads a subject of the scheme; ok is false for any other
// subject (another prefix, a read request, a malformed token).
func (s Subjects) Parse(subject string) (p Parsed, ok bool) {
	rest, found := strings.CutPrefix(subject, s.prefix()+".")
	if !found {
		return p, false
	}
	toks := strings.Split(rest, ".")
	var names []string
	switch len(toks) {
	case 3:
		names = toks[:2]
	case 4:
		names = toks[:3]
	default:
		return p, false
	}
	p.Kind = toks[len(toks)-1]
	vals := make([]string, len(names))
	for i, t := range names {
		v, err := Untoken(t)
		if err != nil {
			return p, false
		}
		vals[i] = v
	}
	p.Site, p.Server = vals[0], vals[1]
	if len(vals) == 3 {
		p.Device = vals[2]
	}
	return p, true
}

// StreamName is the JetStream stream of the events under a prefix:
// "POWERCHAIN_EVENTS" for DefaultPrefix.
func (s Subjects) StreamName() string {
	var b strings.Builder
	for _, c := range strings.ToUpper(s.prefix()) {
		if c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String() + "_EVENTS"
}
