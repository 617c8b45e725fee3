package snmputil

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/mib"
)

// How NUT 2.8.0's snmp-ups turns an agent's answer into a value
// (nut_snmp_get_int, decode_str and su_ups_get in drivers/snmp-ups.c).

// maxPointer bounds how many object identifiers pointing at objects the
// conversion follows.
const maxPointer = 2

// integer reads oid as a number: integers as they are, TimeTicks in
// seconds, text as C's strtol reads it (a number's leading digits, 0 for
// none), an object identifier as the number of the object it points to,
// else its last sub-identifier.
func (w *walk) integer(oid string) (int64, bool) { return w.integerAt(oid, 0) }

func (w *walk) integerAt(oid string, depth int) (int64, bool) {
	p, ok := w.r.get(oid)
	if !ok {
		return 0, false
	}
	switch p.Type {
	case gosnmp.OctetString, gosnmp.Opaque:
		b, _ := p.Value.([]byte)
		return strtol(string(b), 0), true
	case gosnmp.Integer, gosnmp.Counter32, gosnmp.Gauge32:
		return gosnmp.ToBigInt(p.Value).Int64(), true
	case gosnmp.TimeTicks:
		return gosnmp.ToBigInt(p.Value).Int64() / 100, true
	case gosnmp.ObjectIdentifier:
		target := strings.TrimPrefix(fmt.Sprint(p.Value), ".")
		if depth < maxPointer {
			if n, ok := w.integerAt(target, depth+1); ok {
				return n, true
			}
		}
		return strtol(target[strings.LastIndexByte(target, '.')+1:], 0), true
	}
	return 0, false
}

// maxText is the longest text NUT keeps from an answer (its buffer of
// SU_INFOSIZE bytes).
const maxText = 127

// text reads oid as text: strings as they are (as hexadecimal bytes when
// one of them is neither printable nor space, as Net-SNMP prints them),
// integers through the lookup (none without a match) or in decimal,
// TimeTicks in seconds, an object identifier as the text of the object
// it points to, else its last sub-identifier.
func (w *walk) text(oid string, l mib.Lookup) (string, bool) { return w.textAt(oid, l, 0) }

func (w *walk) textAt(oid string, l mib.Lookup, depth int) (string, bool) {
	p, ok := w.r.get(oid)
	if !ok {
		return "", false
	}
	switch p.Type {
	case gosnmp.OctetString, gosnmp.Opaque:
		b, _ := p.Value.([]byte)
		return octets(b), true
	case gosnmp.Integer, gosnmp.Counter32, gosnmp.Gauge32:
		n := gosnmp.ToBigInt(p.Value).Int64()
		if l != nil {
			return l.Text(n)
		}
		return strconv.FormatInt(n, 10), true
	case gosnmp.TimeTicks:
		return strconv.FormatInt(gosnmp.ToBigInt(p.Value).Int64()/100, 10), true
	case gosnmp.ObjectIdentifier:
		target := strings.TrimPrefix(fmt.Sprint(p.Value), ".")
		if depth < maxPointer {
			if s, ok := w.textAt(target, l, depth+1); ok {
				return s, true
			}
		}
		return target[strings.LastIndexByte(target, '.')+1:], true
	}
	return "", false
}

// octets is an OCTET STRING as NUT publishes it: the bytes, or "%02X "
// for each when one is neither printable ASCII nor space (empty when that
// does not fit NUT's buffer).
func octets(b []byte) string {
	hex := false
	for _, c := range b {
		if (c < ' ' || c > '~') && !isSpace(c) {
			hex = true
			break
		}
	}
	if !hex {
		if len(b) > maxText {
			b = b[:maxText]
		}
		return driver.Printable(b)
	}
	if len(b)*3+1 > maxText {
		return ""
	}
	var s strings.Builder
	for _, c := range b {
		fmt.Fprintf(&s, "%02X ", c)
	}
	return s.String()
}

func isSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

// mult is a scale, 1 when the table gives none.
func mult(m float64) float64 {
	if m == 0 {
		return 1
	}
	return m
}

// number is n scaled, as NUT prints it: an integer when the C int of the
// value equals it as a float, else two digits after the point.
func number(m float64, n int64) string {
	f := float64(n) * mult(m)
	i := int32(math.MinInt32) // what C's (int) gives out of range on amd64
	if f > math.MinInt32-1 && f < math.MaxInt32+1 {
		i = int32(f)
	}
	if math.Abs(float64(float32(i)-float32(f))) <= 1.1920929e-07 {
		return strconv.Itoa(int(i))
	}
	return strconv.FormatFloat(float64(float32(f)), 'f', 2, 32)
}

// strtol is C's strtol: leading spaces, a sign, then digits in the base
// (0: 0x for hexadecimal, 0 for octal, else decimal) as far as they go; 0
// when there are none; the limits of int64 on overflow.
func strtol(s string, base int) int64 {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if (base == 0 || base == 16) && i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && i+2 < len(s) && digit(s[i+2]) < 16 {
		base, i = 16, i+2
	} else if base == 0 && i < len(s) && s[i] == '0' {
		base = 8
	} else if base == 0 {
		base = 10
	}
	var n uint64
	over := false
	for ; i < len(s); i++ {
		d := digit(s[i])
		if d >= base {
			break
		}
		if n > (math.MaxUint64-uint64(d))/uint64(base) {
			over = true
		}
		n = n*uint64(base) + uint64(d)
	}
	switch {
	case neg && (over || n > 1<<63):
		return math.MinInt64
	case neg:
		return -int64(n)
	case over || n > math.MaxInt64:
		return math.MaxInt64
	}
	return int64(n)
}

func digit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// atoi is C's atoi.
func atoi(s string) int { return int(strtol(s, 10)) }

// usDate turns mm/dd/yyyy into yyyy-mm-dd as NUT's
// su_usdate_to_isodate_info_fun does (strptime, then strftime %F of what
// was parsed: 1900-01-00 for nothing).
func usDate(s string) string {
	mon, day, year := 0, 0, 0
	rest := s
	num := func(lo, hi, width int) (int, bool) {
		rest = strings.TrimLeft(rest, " ")
		n, i := 0, 0
		for i < len(rest) && i < width && rest[i] >= '0' && rest[i] <= '9' {
			n = n*10 + int(rest[i]-'0')
			i++
		}
		if i == 0 || n < lo || n > hi {
			return 0, false
		}
		rest = rest[i:]
		return n, true
	}
	sep := func() bool {
		if strings.HasPrefix(rest, "/") {
			rest = rest[1:]
			return true
		}
		return false
	}
	if m, ok := num(1, 12, 2); ok {
		mon = m - 1
		if sep() {
			if d, ok := num(1, 31, 2); ok {
				day = d
				if sep() {
					if y, ok := num(0, 9999, 4); ok {
						year = y - 1900
					}
				}
			}
		}
	}
	return fmt.Sprintf("%d-%02d-%02d", year+1900, mon+1, day)
}

// sensorUnit reads an EATON-SENSOR-MIB temperatureUnit.
func sensorUnit(n int64) int {
	switch n {
	case 0:
		return tempKelvin
	case 1:
		return tempCelsius
	case 2:
		return tempFahrenheit
	}
	return tempUnknown
}

// sensorTemp converts tenths of a degree in unit to whole degrees
// Celsius, with NUT's integer arithmetic; "" when the unit is unknown.
func sensorTemp(unit int, n int64) string {
	switch unit {
	case tempKelvin:
		return strconv.FormatInt(int64(float64(n/10)-273.15), 10)
	case tempCelsius:
		return strconv.FormatInt(n/10, 10)
	case tempFahrenheit:
		return strconv.FormatInt((n/10-32)*5/9, 10)
	}
	return ""
}
