//go:build !linux

package server

import "testing"

func requireRing(t *testing.T) { t.Skip("io_uring is Linux's") }

func onRingThread() bool { return false }
