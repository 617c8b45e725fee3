package driver

import (
	"bytes"
	"strings"
)

// Bounds on what a driver takes from a source it does not control (a
// simulation file, a NUT driver's socket, an upstream server). Readers
// refuse more with an error that names the limit.
const (
	// MaxVars is the most variables one device may have.
	MaxVars = 10000
	// MaxCmds is the most instant commands one device may have.
	MaxCmds = 1000
)

// Printable is a device's bytes as a value NUT can carry: up to the first
// NUL (where NUT's C strings end), without control characters (a newline
// in a value would end a protocol line).
func Printable(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, string(b))
}
