//go:build !linux

package server

import (
	"context"
	"net"
	"sync"
)

// ring is Linux's io_uring path; elsewhere a goroutine serves each session.
type ring struct{}

func (s *Server) startRing(context.Context, *sync.WaitGroup) *ring { return nil }

func (*ring) adopt(net.Conn) bool { return false }
