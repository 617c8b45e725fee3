package netxml

import (
	"fmt"
	"strings"

	"github.com/powerchain/powerchain/nut"
)

// row is one line of the table: an XML object and the NUT variable it
// gives ("" for objects that only set status bits), with how its value
// is converted (nil: published as it is).
type row struct {
	nut   string
	flags rowFlag
	xml   string
	conv  conv
}

// rowFlag marks a row: rw (a writable variable, published empty at
// start as NUT does), static (set once, never changed after).
type rowFlag int

const (
	rw rowFlag = 1 << iota
	static
)

// conv turns an object's value into the variable's, or says not to
// publish it (false); it may set status bits and other variables of the
// state.
type conv func(s *state, v string) (string, bool)

// statusBit is one of the card's status conditions, kept between polls
// (only an object about it sets or clears it).
type statusBit uint32

const (
	online statusBit = 1 << iota
	dischrg
	chrg
	lowBatt
	overload
	replaceBatt
	shutdownImm
	trim
	boost
	bypassAuto
	bypassMan
	off
	overheat
	commFault
	internalFault
	fanFail
	noBattery
	battVoltLo
	battVoltHi
	chargerFail
	vRange
	fRange
	fuseFault
	cal
)

// first is the value's first byte (0 for an empty value).
func first(v string) byte {
	if v == "" {
		return 0
	}
	return v[0]
}

// bit sets b when the value starts with '1', else clears it.
func bit(b statusBit) conv {
	return func(s *state, v string) (string, bool) {
		s.setBit(b, first(v) == '1')
		return "", false
	}
}

// yesBit is bit that also takes a value starting with "Yes".
func yesBit(b statusBit) conv {
	return func(s *state, v string) (string, bool) {
		s.setBit(b, first(v) == '1' || len(v) >= 3 && strings.EqualFold(v[:3], "yes"))
		return "", false
	}
}

// zeroBit sets b when the value starts with '0' (the object says the
// opposite: Good, Present).
func zeroBit(b statusBit) conv {
	return func(s *state, v string) (string, bool) {
		s.setBit(b, first(v) == '0')
		return "", false
	}
}

// charging and discharging: a card that says both is discharging.
func charging(s *state, v string) (string, bool) {
	s.setBit(chrg, first(v) == '1')
	return "", false
}

func discharging(s *state, v string) (string, bool) {
	s.setBit(dischrg, first(v) == '1')
	if first(v) == '1' {
		s.setBit(chrg, false)
	}
	return "", false
}

// words maps a value starting with '1' and '0' to two words, anything
// else to "<unknown>".
func words(one, zero string) conv {
	return func(_ *state, v string) (string, bool) {
		switch first(v) {
		case '1':
			return one, true
		case '0':
			return zero, true
		}
		return "<unknown>", true
	}
}

// lookup maps a number to a word; other numbers are not published.
func lookup(m map[int]string) conv {
	return func(_ *state, v string) (string, bool) {
		w, ok := m[nut.Atoi(v)]
		return w, ok
	}
}

var (
	beeper      = map[int]string{1: "disabled", 2: "enabled", 3: "muted"}
	sensitivity = map[int]string{0: "normal", 1: "high", 2: "low"}
	dryContact  = map[int]string{0: "opened", 1: "closed"}
	upsType     = map[int]string{1: "offline / line interactive", 2: "online", 3: "online - unitary/parallel",
		4: "online - parallel with hot standy", 5: "online - hot standby redundancy"} // NUT's spelling
)

// divide prints a whole number divided, with two decimals (A·s to Ah,
// percent to a factor).
func divide(by float32) conv {
	return func(_ *state, v string) (string, bool) {
		return fmt.Sprintf("%.2f", float32(nut.Atoi(v))/by), true
	}
}

// deci is NUT's convert_deci: the value as it is, unless do_convert_deci
// (old MGE firmware that sent ten times the value).
func deci(s *state, v string) (string, bool) {
	if s.convertDeci {
		return fmt.Sprintf("%.1f", 0.1*float32(nut.Atoi(v))), true
	}
	return v, true
}

// ignoreIfZero leaves out a zero (a phase-to-phase voltage the card does
// not measure).
func ignoreIfZero(s *state, v string) (string, bool) {
	if nut.Atoi(v) == 0 {
		return "", false
	}
	return deci(s, v)
}

// splitDateTime sets ups.date from "DATE TIME" (or DATE-TIME) and gives
// the time.
func splitDateTime(s *state, v string) (string, bool) {
	date, rest := cutAny(v, " -")
	s.set("ups.date", date)
	tm, _ := cutAny(rest, " ")
	return tm, true
}

// cutAny is C's strtok: the first token of s delimited by any of the
// bytes in sep (leading ones skipped), and the rest after its
// delimiter.
func cutAny(s, sep string) (tok, rest string) {
	s = strings.TrimLeft(s, sep)
	if i := strings.IndexAny(s, sep); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// testResult also sets CAL while a test runs.
func testResult(s *state, v string) (string, bool) {
	s.setBit(cal, false)
	switch nut.Atoi(v) {
	case 1:
		return "done and passed", true
	case 2:
		return "done and warning", true
	case 3:
		return "done and error", true
	case 4:
		return "aborted", true
	case 5:
		s.setBit(cal, true)
		return "in progress", true
	case 6:
		return "no test initiated", true
	case 7:
		return "test scheduled", true
	}
	return "", false
}

// ambient publishes the ambient sensor's limits only for a Transverse
// card.
func ambient(s *state, v string) (string, bool) {
	return v, s.transverse
}

// timerShutdown (DelayBeforeShutdown): a countdown at or below
// shutdown_duration means a shutdown is pending (FSD); the value is
// published as it is.
func timerShutdown(s *state, v string) (string, bool) {
	n := nut.Atoi(v)
	pending := n > -1 && n <= s.shutdownDuration
	s.setBit(shutdownImm, pending)
	s.shutdownPending = pending
	return v, true
}

// shutdownImminent (System.RunTimeToShutdown, no variable): "0" is FSD,
// anything else ("NONE", "-1") is not, unless the countdown above
// already says a shutdown is pending.
func shutdownImminent(s *state, v string) (string, bool) {
	if s.shutdownPending {
		return "", false
	}
	s.setBit(shutdownImm, first(v) == '0' && nut.Atoi(v) == 0)
	return "", false
}
