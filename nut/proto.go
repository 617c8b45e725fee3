package nut

import (
	"bytes"
	"errors"
	"strings"

	"github.com/powerchain/powerchain/internal/parseconf"
)

// Protocol facts of NUT 2.8.0.
const (
	// ProtocolVersion is what NETVER and PROTVER answer.
	ProtocolVersion = "1.3"
	// ServerVersion is the VER banner; clients only display it.
	ServerVersion = "Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/"
	// MaxLineLength bounds a request line; longer ones get ERR TOO-LONG... and
	// the connection is closed, as NUT's upsd does with its read buffer.
	MaxLineLength = 4096
)

// Error is a NUT protocol error code, sent as "ERR CODE".
type Error string

func (e Error) Error() string { return "ERR " + string(e) }

// The ERR codes of docs/net-protocol.txt.
const (
	ErrAccessDenied         Error = "ACCESS-DENIED"
	ErrUnknownUPS           Error = "UNKNOWN-UPS"
	ErrVarNotSupported      Error = "VAR-NOT-SUPPORTED"
	ErrCmdNotSupported      Error = "CMD-NOT-SUPPORTED"
	ErrInvalidArgument      Error = "INVALID-ARGUMENT"
	ErrInstCmdFailed        Error = "INSTCMD-FAILED"
	ErrSetFailed            Error = "SET-FAILED"
	ErrReadonly             Error = "READONLY"
	ErrTooLong              Error = "TOO-LONG"
	ErrFeatureNotSupported  Error = "FEATURE-NOT-SUPPORTED"
	ErrFeatureNotConfigured Error = "FEATURE-NOT-CONFIGURED"
	ErrAlreadySSLMode       Error = "ALREADY-SSL-MODE"
	ErrDriverNotConnected   Error = "DRIVER-NOT-CONNECTED"
	ErrDataStale            Error = "DATA-STALE"
	ErrAlreadyLoggedIn      Error = "ALREADY-LOGGED-IN"
	ErrInvalidPassword      Error = "INVALID-PASSWORD"
	ErrAlreadySetPassword   Error = "ALREADY-SET-PASSWORD"
	ErrInvalidUsername      Error = "INVALID-USERNAME"
	ErrAlreadySetUsername   Error = "ALREADY-SET-USERNAME"
	ErrUsernameRequired     Error = "USERNAME-REQUIRED"
	ErrPasswordRequired     Error = "PASSWORD-REQUIRED"
	ErrUnknownCommand       Error = "UNKNOWN-COMMAND"
	ErrInvalidValue         Error = "INVALID-VALUE"
	ErrUnknown              Error = "UNKNOWN"
	ErrFailed               Error = "FAILED"
)

// SplitRequest splits a request line into words with NUT's parser rules.
func SplitRequest(line string) ([]string, error) { return parseconf.SplitLine(line) }

// ErrParse is a request NUT's parser refuses (an unescaped # inside
// quotes); upsd answers nothing to it.
var ErrParse = errors.New("unbalanced word due to unescaped # in quotes")

// RequestLen returns how many bytes the request at the start of b takes,
// through the newline that ends it as NUT's parser reads a client's
// bytes: a newline inside quotes or after a backslash does not end a
// request. It returns -1 when b holds no complete request yet. A request
// the parser refuses runs to the end of its physical line.
func RequestLen(b []byte) int {
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 {
		return -1
	}
	if bytes.IndexByte(b[:nl], '"') < 0 && bytes.IndexByte(b[:nl], '\\') < 0 {
		return nl + 1
	}
	n, ok := parseconf.LineLen(b)
	if n < 0 || ok {
		return n
	}
	if i := bytes.IndexByte(b[n-1:], '\n'); i >= 0 {
		return n + i
	}
	return -1
}

// AppendWords splits one request (as RequestLen delimits it) into words
// with NUT's parser rules, appending them to dst. A plain request —
// printable words separated by blanks, none longer than NUT keeps — is
// split without the full parser, into one string allocation.
func AppendWords(dst []string, req []byte) ([]string, error) {
	if n := len(req); n > 0 && req[n-1] == '\n' {
		req = req[:n-1]
	}
	words, start := 0, -1
	for i, c := range req {
		switch {
		case c == ' ' || c == '\t':
			if start >= 0 && i-start > parseconf.WordLenLimit {
				return slowWords(dst, req)
			}
			start = -1
		case c < ' ' || c > '~' || c == '"' || c == '\\' || c == '#' || c == '=':
			return slowWords(dst, req)
		case start < 0:
			start = i
			if words++; words > parseconf.ArgLimit {
				return slowWords(dst, req)
			}
		}
	}
	if start >= 0 && len(req)-start > parseconf.WordLenLimit {
		return slowWords(dst, req)
	}
	s := string(req)
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		if j > i {
			dst = append(dst, s[i:j])
		}
		i = j
	}
	return dst, nil
}

func slowWords(dst []string, req []byte) ([]string, error) {
	words, err := parseconf.SplitLine(string(req))
	if err != nil {
		return dst, ErrParse
	}
	return append(dst, words...), nil
}

// Quote writes s as a quoted protocol word: "…" with \, " and # escaped.
func Quote(s string) string { return `"` + parseconf.Encode(s) + `"` }

// AppendQuoted appends Quote(s) to b without extra allocation.
func AppendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	if !strings.ContainsAny(s, "\\\"#") {
		b = append(b, s...)
	} else {
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '\\', '"', '#':
				b = append(b, '\\')
			}
			b = append(b, s[i])
		}
	}
	return append(b, '"')
}

// clientMessages are what NUT's client library prints for each ERR code
// (upscli_strerror), so that our clients print what NUT's do.
var clientMessages = map[Error]string{
	ErrVarNotSupported: "Variable not supported by UPS", ErrUnknownUPS: "Unknown UPS",
	ErrAccessDenied: "Access denied", ErrPasswordRequired: "Password required",
	"PASSWORD-INCORRECT": "Password incorrect", "MISSING-ARGUMENT": "Missing argument",
	ErrDataStale: "Data stale", "VAR-UNKNOWN": "Variable unknown", ErrAlreadyLoggedIn: "Already logged in",
	ErrAlreadySetPassword: "Already set password", "UNKNOWN-TYPE": "Unknown variable type",
	"UNKNOWN-VAR": "Unknown variable", ErrReadonly: "Read-only variable", ErrTooLong: "New value is too long",
	ErrInvalidValue: "Invalid value for variable", ErrSetFailed: "Set command failed",
	"UNKNOWN-INSTCMD": "Unknown instant command", ErrInstCmdFailed: "Instant command failed",
	ErrCmdNotSupported: "Instant command not supported", ErrInvalidUsername: "Invalid username",
	ErrAlreadySetUsername: "Already set username", ErrUnknownCommand: "Unknown command",
	ErrInvalidPassword: "Invalid password", ErrUsernameRequired: "Username required",
	ErrDriverNotConnected: "Driver not connected", ErrInvalidArgument: "Invalid argument",
}

// Message is the text NUT's clients print for the error.
func (e Error) Message() string {
	if m, ok := clientMessages[e]; ok {
		return m
	}
	return "Unknown error"
}
