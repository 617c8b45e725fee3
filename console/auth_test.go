package console

import (
	"testing"
	"time"
)

// TestSweepSessions: expired log-ins are forgotten, live ones kept.
func TestSweepSessions(t *testing.T) {
	c := &Console{sessions: map[string]*session{}}
	now := time.Now()
	c.sessions["old"] = &session{user: "a", expires: now.Add(-time.Minute)}
	c.sessions["new"] = &session{user: "b", expires: now.Add(time.Hour)}
	c.sweepSessions(now)
	if _, ok := c.sessions["old"]; ok || len(c.sessions) != 1 {
		t.Errorf("after the sweep: %v", c.sessions)
	}
}
