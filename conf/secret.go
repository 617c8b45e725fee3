package conf

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// Secret is a value that must never be shown: a password, an SNMP
// community or pass phrase. Formatted with any fmt verb, logged with
// log/slog, or marshalled as JSON or text, it is Hidden, so that no printer
// can leak it by forgetting a list. Reveal is the one way to its value,
// for the code that must use it (a login, a comparison, a file being
// written).
//
// fmt cannot call methods on unexported struct fields, and encoding/json
// writes map keys of a string type as they are: keep a Secret in an
// exported field or a value, never in a key.
type Secret string

// Hidden is what a Secret shows instead of its value.
const Hidden = "<secret>"

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String returns Hidden.
func (s Secret) String() string { return Hidden }

// Format writes Hidden for every verb (%q quotes it).
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		io.WriteString(f, strconv.Quote(Hidden))
		return
	}
	io.WriteString(f, Hidden)
}

// MarshalText returns Hidden.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Hidden), nil }

// MarshalJSON returns Hidden as a JSON string.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(Hidden)), nil }

// LogValue makes log/slog record Hidden.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Hidden) }

// everyValue marks a rule whose every value is secret.
const everyValue = -1

// secretRules are the settings whose values are secret, by file: the one
// list every printer (conf show/get, validation findings, driver
// variables, setup) consults through IsSecret. Keys compare without case
// (upsd reads upsd.users so; for the other files masking more is safe).
var secretRules = []struct {
	file, key string
	value     int // index in the entry's values, or everyValue
}{
	{UPSConfFile, "password", everyValue},     // netxml-ups, nut-ipmipsu, the dummy-ups repeater
	{UPSConfFile, "authPassword", everyValue}, // snmp-ups SNMPv3
	{UPSConfFile, "privPassword", everyValue}, // snmp-ups SNMPv3
	{UPSConfFile, "community", everyValue},    // snmp-ups SNMPv1/v2c: the community is the password
	{UsersFile, "password", everyValue},
	{UpsmonConfFile, "MONITOR", 3},       // MONITOR system powervalue username PASSWORD role
	{UpsmonConfFile, "CERTIDENT", 1},     // CERTIDENT name DBPASSWORD
	{UpsmonConfFile, "POWERWAKEUSER", 1}, // POWERWAKEUSER username PASSWORD (powerchain's)
	{UpsdConfFile, "CERTIDENT", 1},
}

// IsSecret reports whether value number i (0-based, after the key and
// any "=") of key in the file named file (ups.conf, upsd.users, …) is
// secret.
func IsSecret(file, key string, i int) bool {
	for _, r := range secretRules {
		if r.file == file && strings.EqualFold(r.key, key) && (r.value == everyValue || r.value == i) {
			return true
		}
	}
	return false
}

// driverLoginKeys name an account in ups.conf. A name is not secret, but
// NUT's drivers keep it out of their driver.parameter.* variables
// (VAR_SENSITIVE: snmp-ups secName, netxml-ups login), as they do the
// secrets.
var driverLoginKeys = []string{"username", "secName", "login"}

// DriverParameterHidden reports whether a driver keeps the ups.conf
// setting key out of its driver.parameter.* variables: the secrets and
// the login names.
func DriverParameterHidden(key string) bool {
	for _, k := range driverLoginKeys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return IsSecret(UPSConfFile, key, 0)
}
