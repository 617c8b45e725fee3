package lograte

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

// lines is what buf holds, a line an element.
func lines(buf *testlog.Buffer) []string {
	return strings.Split(strings.TrimSpace(buf.String()), "\n")
}

// TestOncePerCause: a thousand repeats of one cause make one line, a
// second cause has its own line, and the end of the interval brings a
// line with the count of the suppressed repeats.
func TestOncePerCause(t *testing.T) {
	var buf testlog.Buffer
	l := New(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}})), 2*time.Second) // longer than the loop takes even on a loaded machine
	for i := 0; i < 1000; i++ {
		l.Warn("MAXCONN reached", "from", "10.0.0.1")
	}
	l.Info("handshake failed", "from", "10.0.0.2")
	waittest.Until(20*time.Second, 10*time.Millisecond, func() bool { return len(lines(&buf)) >= 3 })
	want := []string{
		`level=WARN msg="MAXCONN reached" from=10.0.0.1`,
		`level=INFO msg="handshake failed" from=10.0.0.2`,
		`level=WARN msg="MAXCONN reached (repeated)" suppressed=999`,
	}
	if got := lines(&buf); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
