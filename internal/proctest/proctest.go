// Package proctest ends the programs a test or benchmark started.
package proctest

import (
	"os/exec"
	"syscall"
	"time"
)

// Stop ends a started program and waits for it: SIGTERM, then SIGKILL
// when it has not exited after grace.
func Stop(cmd *exec.Cmd, grace time.Duration) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		cmd.Process.Kill()
		<-done
	}
}
