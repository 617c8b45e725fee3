//go:build !linux

package server

import (
	"context"
	"net"
	"sync"
)

// ring is Linux's io_uring path; elsewhere a goroutine serves each session.
type (
	ring       struct{}
	serveGroup struct{}
)

func (s *Server) ringFor(context.Context, *sync.WaitGroup) (*ring, *serveGroup) { return nil, nil }

func (*ring) adopt(net.Conn, *serveGroup) bool { return false }
