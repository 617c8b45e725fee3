package conf

import (
	"fmt"
	"strings"

	"github.com/powerchain/powerchain/internal/parseconf"
)

// Quote is the one way this project writes a value into a NUT config
// file (conf's edits, setup, the scanner's ups.conf output): it returns
// v as one word that NUT's parser (common/parseconf.c) reads back as v.
// \, " and # are escaped; the word is put in double quotes when it is
// empty or holds a space, "=" or ";" (NUT's Augeas lenses read ";" as a
// comment outside quotes), or when always is true.
//
// A value NUT cannot hold is an error that says why, never a word that
// reads back as something else: a byte outside printable ASCII (NUT drops
// control characters and bytes past 0x7f), or more than 512 characters
// (NUT keeps the first 512 of a word). The error does not repeat the value,
// which may be a secret.
func Quote(v string, always bool) (string, error) {
	if err := checkValueChars(v); err != nil {
		return "", err
	}
	if len(v) > parseconf.WordLenLimit {
		return "", fmt.Errorf("%d characters: NUT's parser keeps at most %d of a word", len(v), parseconf.WordLenLimit)
	}
	enc := parseconf.Encode(v)
	if always || v == "" || strings.ContainsAny(v, " =;") {
		return `"` + enc + `"`, nil
	}
	return enc, nil
}

// checkValueChars refuses what NUT's parser drops: control characters
// and bytes outside ASCII (DEL, which it keeps, is refused too: no
// client shows it).
func checkValueChars(v string) error {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7e {
			return fmt.Errorf("character %q at byte %d: NUT's config files hold printable ASCII only (0x20-0x7e)", c, i+1)
		}
	}
	return nil
}

// NUT 2.8.0's limits on what its drivers and upsd pass on.
const (
	// maxVarValue is ST_MAX_VALUE_LEN - 1: drivers cut a variable's value,
	// escaped for the protocol, to 255 characters.
	maxVarValue = 255
	// maxReplyLine is upsd's reply buffer: a longer reply line is cut
	// and loses its newline, which garbles every reply after it.
	maxReplyLine = 512
)

// CheckValue says why NUT 2.8.0 cannot take v as the value of key in
// section of a file of kind file (ups.conf, …) beyond what Quote refuses,
// or returns nil: a desc longer than upsd's reply to GET UPSDESC can
// carry, an override.* or default.* value longer than a driver keeps.
func CheckValue(file, section, key, v string) error {
	if file != UPSConfFile || section == "" {
		return nil
	}
	enc := len(parseconf.Encode(v))
	switch {
	case key == "desc":
		// UPSDESC <name> "<desc>"\n
		if max := maxReplyLine - len("UPSDESC ") - len(section) - len(` ""`) - 1; enc > max {
			return fmt.Errorf("desc of %d characters (\\, \" and # count twice): NUT's upsd replies in lines of at most %d bytes, "+
				"which leaves %d for the description of [%s]; a longer one is cut and garbles LIST UPS", enc, maxReplyLine, max, section)
		}
	case strings.HasPrefix(key, "override.") || strings.HasPrefix(key, "default."):
		_, name, _ := strings.Cut(key, ".")
		max := maxVarValue
		// VAR <ups> <name> "<value>"\n
		if line := maxReplyLine - len("VAR ") - len(section) - len(name) - len(`  ""`) - 1; line < max {
			max = line
		}
		if enc > max {
			return fmt.Errorf("%s: value of %d characters (\\, \" and # count twice): NUT's drivers and upsd pass on at most %d", key, enc, max)
		}
	}
	return nil
}

// checkWord rejects keys and section names NUT would not read back as
// one bare word.
func checkWord(what, s string) error {
	if s == "" {
		return fmt.Errorf("%s must not be empty", what)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c > '~' || c == '=' || c == '#' || c == '"' || c == '\\' {
			return fmt.Errorf("%s %q: character %q is not allowed", what, s, c)
		}
	}
	if s[0] == '[' {
		return fmt.Errorf("%s %q must not start with [", what, s)
	}
	return nil
}

// encodeValues writes the values of key in section as NUT words, quoting
// where needed, and keeping quotes when the entry being edited already
// used them; first is the number of words before the values (the key,
// and "=").
func (f *File) encodeValues(section, key string, values []string, old Entry, first int) (string, error) {
	wasQuoted := false
	if old.Line != nil {
		if len(old.Line.Spans) > first {
			wasQuoted = old.Line.Raw[old.Line.Spans[first].Start] == '"'
		}
	}
	if n := first + len(values); n > parseconf.ArgLimit {
		return "", fmt.Errorf("%s: %s: %d words: NUT reads at most %d words of a line", f.Path, dotted(section, key), n, parseconf.ArgLimit)
	}
	if first == 1 && len(values) > 0 && values[0] == "=" {
		return "", fmt.Errorf("%s: %s: a first value \"=\" reads as \"key = value\"", f.Path, dotted(section, key))
	}
	parts := make([]string, len(values))
	for i, v := range values {
		q, err := Quote(v, wasQuoted)
		if err == nil && i == 0 {
			err = CheckValue(f.Name(), section, key, v)
		}
		if err != nil {
			return "", fmt.Errorf("%s: %s: %w", f.Path, dotted(section, key), err)
		}
		parts[i] = q
	}
	return strings.Join(parts, " "), nil
}
