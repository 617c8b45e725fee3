package usbhid

import (
	"fmt"
	"strings"
)

// status is the set of status bits the Status rows feed; ups.status,
// ups.alarm and input.transfer.reason are derived from it after each
// update (statusWords, alarmTexts). The bits persist until a row
// changes them.
type status uint32

const (
	stOnline status = 1 << iota
	stDischrg
	stChrg
	stLowBatt
	stOverload
	stReplaceBatt
	stShutdownImm
	stTrim
	stBoost
	stBypassAuto
	stBypassMan
	stOff
	stCal
	stOverheat
	stCommFault
	stDepleted
	stTimeLimitExp
	stFullyCharged
	stAwaitingPower
	stFanFail
	stNoBattery
	stBattVoltLo
	stBattVoltHi
	stChargerFail
	stVRange
	stFRange
)

// statusNames are the words Status lookups use, as NUT's status_info
// names them.
var statusNames = map[string]status{
	"online": stOnline, "dischrg": stDischrg, "chrg": stChrg, "lowbatt": stLowBatt,
	"overload": stOverload, "replacebatt": stReplaceBatt, "shutdownimm": stShutdownImm,
	"trim": stTrim, "boost": stBoost, "bypassauto": stBypassAuto, "bypassman": stBypassMan,
	"off": stOff, "cal": stCal, "overheat": stOverheat, "commfault": stCommFault,
	"depleted": stDepleted, "timelimitexp": stTimeLimitExp, "fullycharged": stFullyCharged,
	"awaitingpower": stAwaitingPower, "fanfail": stFanFail, "nobattery": stNoBattery,
	"battvoltlo": stBattVoltLo, "battvolthi": stBattVoltHi, "chargerfail": stChargerFail,
	"vrange": stVRange, "frange": stFRange,
}

// apply sets or clears ("!word") the bit a status word names; unknown
// words change nothing.
func (s *status) apply(word string) {
	clear := strings.HasPrefix(word, "!")
	bit, ok := statusNames[strings.ToLower(strings.TrimPrefix(word, "!"))]
	if !ok {
		return
	}
	if clear {
		*s &^= bit
	} else {
		*s |= bit
	}
}

// words returns ups.status (without ALARM), in NUT's order; onlineDischarge
// is the onlinedischarge option: OL with DISCHRG means on battery.
func (s status) words(onlineDischarge bool) []string {
	var w []string
	has := func(b status) bool { return s&b != 0 }
	switch {
	case !has(stOnline):
		w = append(w, "OB")
	case has(stDischrg) && onlineDischarge:
		w = append(w, "OB")
	default:
		w = append(w, "OL")
	}
	if has(stDischrg) && !has(stDepleted) {
		w = append(w, "DISCHRG")
	}
	if has(stChrg) && !has(stFullyCharged) {
		w = append(w, "CHRG")
	}
	if has(stLowBatt | stTimeLimitExp | stShutdownImm) {
		w = append(w, "LB")
	}
	if has(stOverload) {
		w = append(w, "OVER")
	}
	if has(stReplaceBatt) {
		w = append(w, "RB")
	}
	if has(stTrim) {
		w = append(w, "TRIM")
	}
	if has(stBoost) {
		w = append(w, "BOOST")
	}
	if has(stBypassAuto | stBypassMan) {
		w = append(w, "BYPASS")
	}
	if has(stOff) {
		w = append(w, "OFF")
	}
	if has(stCal) {
		w = append(w, "CAL")
	}
	return w
}

// alarms returns the ups.alarm texts the bits imply, in NUT's order.
func (s status) alarms() []string {
	var a []string
	for _, x := range []struct {
		bit  status
		text string
	}{
		{stReplaceBatt, "Replace battery!"}, {stShutdownImm, "Shutdown imminent!"},
		{stFanFail, "Fan failure!"}, {stNoBattery, "No battery installed!"},
		{stBattVoltLo, "Battery voltage too low!"}, {stBattVoltHi, "Battery voltage too high!"},
		{stChargerFail, "Battery charger fail!"}, {stOverheat, "Temperature too high!"},
		{stCommFault, "Internal UPS fault!"}, {stAwaitingPower, "Awaiting power!"},
		{stBypassAuto, "Automatic bypass mode!"}, {stBypassMan, "Manual bypass mode!"},
	} {
		if s&x.bit != 0 {
			a = append(a, x.text)
		}
	}
	return a
}

// transferReason is input.transfer.reason ("" to remove it).
func (s status) transferReason() string {
	switch {
	case s&stVRange != 0:
		return "input voltage out of range"
	case s&stFRange != 0:
		return "input frequency out of range"
	}
	return ""
}

// hexText prints a value as 8 hexadecimal digits.
func hexText(_ *Conv, v float64) (string, bool) { return fmt.Sprintf("%08x", int64(v)), true }

// stringID reads the USB string descriptor the value indexes.
func stringID(c *Conv, v float64) (string, bool) { return c.String(int(v)) }

// dateText reads a HID/SBS date: day in bits 0-4, month in 5-8, years
// since 1980 above.
func dateText(_ *Conv, v float64) (string, bool) {
	n := int64(v)
	if n == 0 {
		return "not set", true
	}
	return fmt.Sprintf("%04d/%02d/%02d", 1980+(n>>9), (n>>5)&0x0f, n&0x1f), true
}

// dateValue packs a YYYY/MM/DD date; 0 when it does not fit.
func dateValue(_ *Conv, s string) (float64, bool) {
	var y, m, d int64
	fmt.Sscanf(s, "%d/%d/%d", &y, &m, &d)
	if y-1980 > 127 || m > 12 || d > 31 {
		return 0, true
	}
	return float64((y-1980)<<9 + m<<5 + d), true
}

// kelvinCelsius converts kelvins to °C, unless the value is already in
// °C (some firmwares): only 273..373 is taken as kelvins.
func kelvinCelsius(_ *Conv, v float64) (string, bool) {
	if v >= 273 && v <= 373 {
		return fmt.Sprintf("%.1f", v-273.15), true
	}
	return fmt.Sprintf("%.1f", v), true
}

// nonzeroText is a Status conversion (a table's nonzero=WORD) where any
// non-zero value sets the word (firmwares whose wrong exponent turns 1
// into 1e-7 still read true).
func nonzeroText(word string) textFunc {
	return func(_ *Conv, v float64) (string, bool) {
		if v != 0 {
			return word, true
		}
		return "!" + word, true
	}
}

// maskText is a Status conversion (mask=BITS word=WORD) of one bit of a
// status word: set, the word; clear, its negation. A word starting with
// "!" reads the other way.
func maskText(bits int64, word string) textFunc {
	set, clear := word, "!"+word
	if w, ok := strings.CutPrefix(word, "!"); ok {
		set, clear = word, w
	}
	return func(_ *Conv, v float64) (string, bool) {
		if int64(v)&bits != 0 {
			return set, true
		}
		return clear, true
	}
}

// scaledText (scale=FACTOR format=VERB) prints a value times a factor
// with a printf verb.
func scaledText(factor float64, format string) textFunc {
	return func(_ *Conv, v float64) (string, bool) {
		return fmt.Sprintf(format, v*factor), true
	}
}

// stateScaledText prints a value times a factor the subdriver's state
// holds (a model's scale, set at Setup), with a printf verb.
func stateScaledText[S any](format string, factor func(*S) float64) textFunc {
	return func(c *Conv, v float64) (string, bool) {
		return fmt.Sprintf(format, v*factor(c.State().(*S))), true
	}
}
