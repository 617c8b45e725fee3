// Package lograte logs repeated warnings once per cause per interval: a
// hostile client that makes the same warning thousands of times a second
// gets one line per interval, and the next line (or, when the repeats
// stop, a closing line) says how many were suppressed.
package lograte

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// maxCauses bounds the causes remembered at once; past it, a new cause
// is logged without suppression (its repeats still count nowhere).
const maxCauses = 1024

// Logger logs through log, once per cause per Every.
type Logger struct {
	log   *slog.Logger
	every time.Duration

	mu     sync.Mutex
	causes map[string]*cause
}

type cause struct {
	level      slog.Level
	last       time.Time // when the cause was last logged
	suppressed int       // since then
	timer      *time.Timer
}

// New returns a Logger writing to log (slog.Default() when nil) at most
// once per cause per every.
func New(log *slog.Logger, every time.Duration) *Logger {
	if log == nil {
		log = slog.Default()
	}
	return &Logger{log: log, every: every, causes: map[string]*cause{}}
}

// Warn logs msg with args at warning level unless msg was logged less
// than the interval ago; then it only counts.
func (l *Logger) Warn(msg string, args ...any) { l.Log(slog.LevelWarn, msg, args...) }

// Info is Warn at info level.
func (l *Logger) Info(msg string, args ...any) { l.Log(slog.LevelInfo, msg, args...) }

// Log logs msg (the cause) at level, or counts it when it was logged less
// than the interval ago. The line after a suppression carries
// "suppressed", the number of lines left out since the previous one.
func (l *Logger) Log(level slog.Level, msg string, args ...any) {
	now := time.Now()
	l.mu.Lock()
	c := l.causes[msg]
	if c == nil {
		if len(l.causes) >= maxCauses {
			l.mu.Unlock()
			l.log.Log(context.Background(), level, msg, args...)
			return
		}
		c = &cause{level: level}
		l.causes[msg] = c
	}
	if !c.last.IsZero() && now.Sub(c.last) < l.every {
		c.suppressed++
		if c.timer == nil {
			// Say how many were left out if nothing logs this cause
			// again by the end of the interval.
			c.timer = time.AfterFunc(c.last.Add(l.every).Sub(now), func() { l.summarize(msg) })
		}
		l.mu.Unlock()
		return
	}
	n := c.suppressed
	c.last, c.suppressed = now, 0
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	l.mu.Unlock()
	if n > 0 {
		args = append(args, "suppressed", n)
	}
	l.log.Log(context.Background(), level, msg, args...)
}

// summarize logs the count of a cause's suppressed lines at the end of
// its interval, and forgets the cause when there were none.
func (l *Logger) summarize(msg string) {
	l.mu.Lock()
	c := l.causes[msg]
	if c == nil {
		l.mu.Unlock()
		return
	}
	c.timer = nil
	n, level := c.suppressed, c.level
	if n == 0 {
		delete(l.causes, msg)
		l.mu.Unlock()
		return
	}
	c.suppressed, c.last = 0, time.Now()
	// Come back once more: a cause quiet for a whole interval is
	// forgotten, so the map holds only causes still repeating.
	c.timer = time.AfterFunc(l.every, func() { l.summarize(msg) })
	l.mu.Unlock()
	l.log.Log(context.Background(), level, msg+" (repeated)", "suppressed", n)
}
