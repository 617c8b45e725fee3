package nut

import "strings"

// StatusFlag is one word of ups.status that NUT's clients know.
type StatusFlag uint32

// The words of ups.status, with NUT's meaning (docs/new-drivers.txt).
const (
	OL      StatusFlag = 1 << iota // on line: mains is present
	OB                             // on battery: mains is not present
	LB                             // low battery
	HB                             // high battery
	RB                             // the battery needs to be replaced
	CHRG                           // the battery is charging
	DISCHRG                        // the battery is discharging
	BYPASS                         // the bypass is active: no battery protection
	CAL                            // runtime calibration (on battery)
	OFF                            // not supplying power to the load
	OVER                           // overloaded
	TRIM                           // trimming incoming voltage
	BOOST                          // boosting incoming voltage
	FSD                            // forced shutdown (set by upsd for a primary upsmon)
	ALARM                          // an alarm is set (ups.alarm says which)
	ECO                            // economy mode (NUT 2.8.1 and later)
)

var flagNames = []string{"OL", "OB", "LB", "HB", "RB", "CHRG", "DISCHRG", "BYPASS",
	"CAL", "OFF", "OVER", "TRIM", "BOOST", "FSD", "ALARM", "ECO"}

// String is the flag's word, "OL" for OL; a set of several flags is
// written with spaces between, in the order of the constants.
func (f StatusFlag) String() string {
	var words []string
	for i, name := range flagNames {
		if f&(1<<i) != 0 {
			words = append(words, name)
		}
	}
	return strings.Join(words, " ")
}

// LookupStatusFlag returns the flag a word names, case-insensitively as
// NUT's upsmon compares them (strcasecmp); false for a word NUT's clients
// do not know.
func LookupStatusFlag(word string) (StatusFlag, bool) {
	for i, name := range flagNames {
		if strings.EqualFold(word, name) {
			return 1 << i, true
		}
	}
	return 0, false
}

// Status is a device's ups.status: the words as the driver wrote them and
// the flags among them NUT's clients know. The zero Status is the empty
// one, which NUT's upsmon reads as a device that is gone.
type Status struct {
	flags StatusFlag
	words []string
}

// ParseStatus reads the value of ups.status: words separated by blanks,
// known ones compared without regard to case (as NUT's upsmon does), the
// others kept as they are (WAIT, which upsd shows before a driver's first
// data, or a vendor's word).
func ParseStatus(s string) Status {
	var st Status
	st.words = strings.Fields(s)
	for _, w := range st.words {
		if f, ok := LookupStatusFlag(w); ok {
			st.flags |= f
		}
	}
	return st
}

// Has reports whether every flag of f is set.
func (s Status) Has(f StatusFlag) bool { return f != 0 && s.flags&f == f }

// HasAny reports whether any flag of f is set.
func (s Status) HasAny(f StatusFlag) bool { return s.flags&f != 0 }

// HasWord reports whether the status holds a word, known or not
// (case-insensitively).
func (s Status) HasWord(w string) bool {
	if f, ok := LookupStatusFlag(w); ok {
		return s.Has(f)
	}
	for _, x := range s.words {
		if strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}

// Flags is the set of known flags.
func (s Status) Flags() StatusFlag { return s.flags }

// IsEmpty reports whether there is no word at all: NUT's upsmon treats
// an empty ups.status as a device that is gone.
func (s Status) IsEmpty() bool { return len(s.words) == 0 }

// LowOnBattery reports whether the device is on battery and low (OB LB)
// and not calibrating: NUT's upsmon does not count OB LB during a
// calibration (CAL) as critical.
func (s Status) LowOnBattery() bool { return s.Has(OB|LB) && !s.Has(CAL) }

// Critical reports whether NUT's upsmon would shut its host down for this
// status alone: forced shutdown (FSD), or LowOnBattery.
func (s Status) Critical() bool { return s.Has(FSD) || s.LowOnBattery() }

// String writes the words back as they were read, one space between.
func (s Status) String() string { return strings.Join(s.words, " ") }
