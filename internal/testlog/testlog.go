// Package testlog captures what code under test logs with log/slog.
package testlog

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Buffer collects log output; goroutines may write while a test reads.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Main is a package's TestMain that runs its tests with the default logger
// discarding everything, so that what the code under test logs does not
// bury the test output.
func Main(m *testing.M) {
	Silence()
	os.Exit(m.Run())
}

// Silence makes the default logger discard everything.
func Silence() {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// Capture makes the default logger write text lines to a new Buffer until
// the test ends, and returns the Buffer.
func Capture(t testing.TB) *Buffer {
	b := &Buffer{}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(b, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return b
}

// At is a slog.Handler that notes when a record with its Message was
// first logged (a benchmark's "the monitor decided" moment); it keeps
// nothing else.
type At struct {
	Message string
	at      atomic.Int64
}

// Time returns when the message was first logged, and whether it was.
func (a *At) Time() (time.Time, bool) {
	ns := a.at.Load()
	return time.Unix(0, ns), ns != 0
}

// Enabled is true: every record is looked at.
func (a *At) Enabled(context.Context, slog.Level) bool { return true }

// WithAttrs returns a itself.
func (a *At) WithAttrs([]slog.Attr) slog.Handler { return a }

// WithGroup returns a itself.
func (a *At) WithGroup(string) slog.Handler { return a }

// Handle notes the record's time if it is the first with the message.
func (a *At) Handle(_ context.Context, r slog.Record) error {
	if r.Message == a.Message {
		a.at.CompareAndSwap(0, r.Time.UnixNano())
	}
	return nil
}
