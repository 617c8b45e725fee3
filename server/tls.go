package server

import (
	"context"
	"crypto/tls"
	"time"

	"github.com/powerchain/powerchain/nut"
)

// STARTTLS (NUT's netssl.c).

func (ss *session) startTLS(context.Context, string, []string) bool {
	cfg := ss.s.cfg.Load().TLS
	switch {
	case ss.tls:
		ss.err(nut.ErrAlreadySSLMode)
		return false
	case cfg == nil:
		ss.err(nut.ErrFeatureNotConfigured)
		return false
	}
	ss.reply("OK STARTTLS\n")
	if !ss.flush() {
		return true
	}
	tc := tls.Server(ss.conn, cfg)
	ss.conn.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		ss.s.warnings.Info("STARTTLS handshake failed", "from", ss.addr, "err", err)
		return true
	}
	ss.conn.SetDeadline(time.Time{})
	ss.s.mu.Lock()
	ss.conn, ss.tls = tc, true
	ss.s.mu.Unlock()
	ss.deadline, ss.readDeadline = time.Time{}, time.Time{}
	// Bytes sent before the handshake are not requests (NUT's upsd
	// starts TLS on a fresh read too).
	ss.start, ss.n = 0, 0
	return false
}
