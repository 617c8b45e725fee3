// Package monitor is upsmon: it watches the power supplies of this host
// (upsmon.conf MONITOR lines) on any NUT servers, notifies as NUT's
// upsmon does, and shuts the host down when the power value of the
// supplies still delivering falls below MINSUPPLIES.
//
// Beyond NUT it reads the power chain: a supply whose own status is fine
// counts as lost when something upstream cuts it (a PDU outlet off, a UPS
// on battery and low, a device off), an OFF supply is lost, and the loss
// of redundancy is announced before the outage (NOREDUNDANCY). A PDU, ATS
// or power supply that publishes no ups.status (NUT's upsmon would call
// it dead) is judged as the chain judges it: delivering while its data is
// fresh and its input present.
package monitor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/nut"
)

// supply is one MONITOR line and what is known of it.
type supply struct {
	m   conf.Monitor
	id  string // chain ID: name@host:port
	cli *client.Client

	status    nut.Status
	devType   string
	heard     bool
	lastPoll  time.Time // last successful poll
	commOK    bool
	commKnown bool
	lastNoComm,
	lastRB,
	lastNonCrit time.Time
	cut       bool
	cutWhy    string
	unknownUp string
}

// Monitor is a running upsmon.
type Monitor struct {
	cfg      *conf.UpsmonConf
	Notifier *Notifier
	log      *slog.Logger
	sups     []*supply
	start    time.Time

	forced       chan struct{}
	shutdownOnce sync.Once
	shutdownDone chan struct{}
	noRedundancy bool
	tls          *tls.Config

	// PollOnly makes the monitor poll as NUT's upsmon does even where a
	// server offers change notification (set before Run).
	PollOnly bool
	push     *pushed

	// Cycle, when set, is called at the end of every cycle that read the
	// supplies and the power chain, with the chain as read: PowerWake
	// follows the power through it, and a service watchdog the
	// monitor's progress.
	Cycle func(ctx context.Context, g *chain.Graph)
}

// tlsConfig is the client side of STARTTLS from upsmon.conf: without
// CERTVERIFY the server's certificate is not checked (as NUT's upsmon),
// with it the certificates of CERTPATH (a PEM file or a directory of
// them) are the trusted roots.
func tlsConfig(cfg *conf.UpsmonConf) (*tls.Config, error) {
	if !cfg.CertVerify {
		return &tls.Config{InsecureSkipVerify: true}, nil
	}
	if cfg.CertPath == "" {
		return nil, errors.New("upsmon.conf: CERTVERIFY 1 needs CERTPATH")
	}
	files := []string{cfg.CertPath}
	if fi, err := os.Stat(cfg.CertPath); err != nil {
		return nil, fmt.Errorf("upsmon.conf CERTPATH: %w", err)
	} else if fi.IsDir() {
		files, _ = filepath.Glob(filepath.Join(cfg.CertPath, "*"))
	}
	pool := x509.NewCertPool()
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && pool.AppendCertsFromPEM(b) {
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("upsmon.conf CERTPATH %s: no PEM certificate", cfg.CertPath)
	}
	return &tls.Config{RootCAs: pool}, nil
}

// New makes a monitor from a parsed upsmon.conf.
func New(cfg *conf.UpsmonConf, log *slog.Logger) (*Monitor, error) {
	if log == nil {
		log = slog.Default()
	}
	if len(cfg.Monitors) == 0 {
		return nil, errors.New("upsmon.conf: no MONITOR lines")
	}
	if errs := cfg.Validate().Err(); errs != nil {
		return nil, errs
	}
	m := &Monitor{cfg: cfg, log: log, Notifier: &Notifier{cfg: cfg, log: log},
		forced: make(chan struct{}, 1), shutdownDone: make(chan struct{}), push: newPushed()}
	var err error
	if m.tls, err = tlsConfig(cfg); err != nil {
		return nil, err
	}
	for _, mon := range cfg.Monitors {
		m.sups = append(m.sups, &supply{m: mon, id: mon.System.UPS + "@" + server(mon.System)})
	}
	return m, nil
}

func server(n nut.UPSName) string {
	h := n.Host
	if h == "" {
		h = "localhost"
	}
	return chain.ServerAddr(h, n.Port)
}

// ForceShutdown starts the shutdown sequence now (upsmon -c fsd).
func (m *Monitor) ForceShutdown() {
	select {
	case m.forced <- struct{}{}:
	default:
	}
}

// ShutdownDone is closed once the shutdown command has run and the
// notifications are delivered.
func (m *Monitor) ShutdownDone() <-chan struct{} { return m.shutdownDone }

// Run watches until ctx ends or the host has been shut down, and its
// notifications are delivered.
func (m *Monitor) Run(ctx context.Context) error {
	m.start = time.Now()
	defer m.Notifier.Wait()
	defer func() {
		for _, s := range m.sups {
			if s.cli != nil {
				s.cli.Close()
			}
		}
	}()
	if !m.PollOnly {
		wctx, stop := context.WithCancel(ctx)
		defer m.watchAll(wctx)()
		defer stop()
	}
	for {
		m.pollAll(ctx)
		// As NUT's upsmon, the next cycle comes POLLFREQ after this one ends.
		if m.recalc(ctx) || m.wait(ctx, time.Now()) {
			return nil
		}
	}
}

// pollFreq is POLLFREQALERT while a supply is on battery, else POLLFREQ.
func (m *Monitor) pollFreq() time.Duration {
	for _, s := range m.sups {
		if s.status.Has(nut.OB) {
			return m.cfg.PollFreqAlert.Seconds()
		}
	}
	return m.cfg.PollFreq.Seconds()
}

// pollAll reads every supply (in parallel) and then the power chain.
func (m *Monitor) pollAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, s := range m.sups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.poll(ctx, s)
		}()
	}
	wg.Wait()
	servers := map[string]bool{}
	var list []string
	for _, s := range m.sups {
		srv := server(s.m.System)
		if !servers[srv] {
			servers[srv] = true
			list = append(list, srv)
		}
	}
	g := chain.Discover(ctx, list, chain.Options{Source: chain.NUTSource{Timeout: m.cfg.DeadTime.Seconds() / 3}})
	m.push.heed(g, m.sups)
	for _, s := range m.sups {
		cut, why, unknown := g.UpstreamCut(s.id)
		// A PDU, ATS or power supply judged by its input: no input is a
		// supply cut as well (its own data fresh: stale data is DEADTIME's).
		if n := g.Nodes[s.id]; !cut && n != nil && !n.Stale && n.Err == "" && n.JudgedByInput() {
			if h, hwhy := chain.InputHealth(n.Readings); h != chain.Healthy {
				cut, why = true, hwhy
			}
		}
		if cut != s.cut {
			if cut {
				m.log.Warn("supply cut upstream", "ups", s.m.System.String(), "why", why)
				m.Notifier.Notify(ctx, SupplyLost, s.m.System.String())
			} else {
				m.Notifier.Notify(ctx, SupplyOK, s.m.System.String())
			}
		}
		if unknown != "" && unknown != s.unknownUp {
			m.log.Warn("power chain partly unknown", "ups", s.m.System.String(), "why", unknown)
		}
		s.cut, s.cutWhy, s.unknownUp = cut, why, unknown
	}
	// One line a cycle at -D, as NUT's upsmon logs its polls: tests of a
	// separate upsmon count these.
	m.log.Debug("cycle ended", "supplies", len(m.sups))
	if m.Cycle != nil {
		m.Cycle(ctx, g)
	}
}

// poll reads one supply's status, logging in as upsmon does.
func (m *Monitor) poll(ctx context.Context, s *supply) {
	name := s.m.System.String()
	ctx, cancel := context.WithTimeout(ctx, m.cfg.DeadTime.Seconds()/2)
	defer cancel()
	err := m.connect(ctx, s)
	if err == nil && s.devType == "" {
		s.devType, _ = s.cli.Get(ctx, s.m.System.UPS, "device.type")
	}
	var st string
	if err == nil {
		st, err = s.cli.Get(ctx, s.m.System.UPS, "ups.status")
		// PDUs, ATSes and power supplies may have no status: the chain
		// judges them by their input.
		if errors.Is(err, nut.ErrVarNotSupported) && chain.StatusOptional(s.devType) {
			st, err = "", nil
		}
	}
	now := time.Now()
	if err != nil {
		var ne nut.Error
		if !errors.As(err, &ne) || (ne != nut.ErrDataStale && ne != nut.ErrDriverNotConnected) {
			if s.cli != nil {
				s.cli.Close()
				s.cli = nil
			}
		}
		if s.commOK || !s.commKnown {
			if s.commKnown {
				m.Notifier.Notify(ctx, CommBad, name)
			}
			m.log.Warn("poll failed", "ups", name, "err", err)
		}
		s.commOK, s.commKnown = false, true
		since := s.lastPoll
		if since.IsZero() {
			since = m.start
		}
		warn := m.cfg.NoCommWarnTime.Seconds()
		if now.Sub(since) > warn && now.Sub(s.lastNoComm) > warn {
			m.Notifier.Notify(ctx, NoComm, name)
			s.lastNoComm = now
		}
		return
	}
	if !s.commOK {
		if s.commKnown {
			m.Notifier.Notify(ctx, CommOK, name)
		}
		s.commOK, s.commKnown = true, true
	}
	s.lastPoll = now
	m.update(ctx, s, st)
}

func (m *Monitor) connect(ctx context.Context, s *supply) error {
	if s.cli != nil {
		return nil
	}
	c, err := client.Dial(ctx, server(s.m.System))
	if err != nil {
		return err
	}
	if err := m.startTLS(ctx, c, s); err != nil {
		c.Close()
		return err
	}
	if err := c.Authenticate(ctx, s.m.Username, s.m.Password.Reveal()); err != nil {
		c.Close()
		return err
	}
	if err := c.Login(ctx, s.m.System.UPS); err != nil && !errors.Is(err, nut.ErrAlreadyLoggedIn) {
		c.Close()
		return fmt.Errorf("LOGIN %s: %w", s.m.System.UPS, err)
	}
	if s.m.Role == "primary" {
		if err := c.Primary(ctx, s.m.System.UPS); err != nil {
			// NUT servers before 2.8 know only MASTER.
			if _, err2 := c.Command(ctx, "MASTER", s.m.System.UPS); err2 != nil {
				m.log.Warn("primary role not granted", "ups", s.m.System.String(), "err", err)
			}
		}
	}
	s.cli = c
	return nil
}

// startTLS tries STARTTLS as NUT's upsmon does: a server without TLS is
// used in plain text unless FORCESSL is set; a failed handshake is an
// error (the connection is unusable after it).
func (m *Monitor) startTLS(ctx context.Context, c *client.Client, s *supply) error {
	cfg := m.tls.Clone()
	if !cfg.InsecureSkipVerify {
		cfg.ServerName = s.m.System.Host
		if cfg.ServerName == "" {
			cfg.ServerName = "localhost"
		}
	}
	err := c.StartTLS(ctx, cfg)
	var ne nut.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ne) && !m.cfg.ForceSSL:
		return nil // the server has no TLS: plain text, as NUT
	case errors.As(err, &ne):
		return fmt.Errorf("FORCESSL: %s has no TLS: %w", server(s.m.System), err)
	default:
		return err
	}
}

// update applies a new ups.status and notifies the changes.
func (m *Monitor) update(ctx context.Context, s *supply, raw string) {
	name := s.m.System.String()
	next := nut.ParseStatus(raw)
	was := s.status
	s.status, s.heard = next, true
	// A flag that appears: the notifications of NUT's upsmon.
	appeared := func(f nut.StatusFlag) bool { return next.Has(f) && !was.Has(f) }
	switch {
	case next.Has(nut.OL) && was.Has(nut.OB):
		m.Notifier.Notify(ctx, Online, name)
	case appeared(nut.OB):
		m.Notifier.Notify(ctx, OnBatt, name)
	}
	if appeared(nut.LB) {
		m.Notifier.Notify(ctx, LowBatt, name)
	}
	if appeared(nut.FSD) {
		m.Notifier.Notify(ctx, FSD, name)
	}
	if appeared(nut.CAL) {
		m.Notifier.Notify(ctx, Cal, name)
	}
	if next.Has(nut.RB) && time.Since(s.lastRB) > m.cfg.RBWarnTime.Seconds() {
		m.Notifier.Notify(ctx, ReplBatt, name)
		s.lastRB = time.Now()
	}
}

// lost reports whether a supply no longer counts toward MINSUPPLIES, and
// why: NUT's rules (FSD; on battery and low, for a secondary after
// HOSTSYNC; dead while last known on battery) and the chain's (OFF; cut
// upstream; a power supply with no data).
func (m *Monitor) lost(s *supply, now time.Time) (bool, string) {
	dead := s.lastPoll.IsZero() && now.Sub(m.start) > m.cfg.DeadTime.Seconds() ||
		!s.lastPoll.IsZero() && now.Sub(s.lastPoll) > m.cfg.DeadTime.Seconds()
	switch {
	case s.status.Has(nut.FSD):
		return true, "forced shutdown"
	case dead && s.status.Has(nut.OB):
		return true, "dead while on battery"
	case dead && s.devType == "psu":
		return true, "power supply with no data"
	case s.status.Has(nut.OFF):
		return true, "off"
	case s.cut:
		return true, s.cutWhy
	case s.status.LowOnBattery():
		if s.m.Role == "primary" || now.Sub(s.lastNonCrit) > m.cfg.HostSync.Seconds() {
			return true, "on battery and low"
		}
	}
	return false, ""
}

// recalc sums the power of the supplies still delivering and starts the
// shutdown when it is below MINSUPPLIES; it reports whether it did.
func (m *Monitor) recalc(ctx context.Context) bool {
	now := time.Now()
	val, best := 0, 0
	for _, s := range m.sups {
		if lost, why := m.lost(s, now); lost {
			m.log.Debug("supply lost", "ups", s.m.System.String(), "why", why)
			continue
		}
		if !s.status.LowOnBattery() { // NUT's update_crittimer
			s.lastNonCrit = now
		}
		val += s.m.PowerValue
		if s.m.PowerValue > best {
			best = s.m.PowerValue
		}
	}
	min := m.cfg.MinSupplies.Int()
	if val < min {
		m.log.Error("power value below MINSUPPLIES: shutting down", "value", val, "minsupplies", min)
		m.forceShutdown(ctx, m.supplyNames(func(s *supply) bool { lost, _ := m.lost(s, now); return lost }))
		return true
	}
	total := 0
	for _, s := range m.sups {
		total += s.m.PowerValue
	}
	// Redundancy: the host could lose its best remaining supply and live.
	redundant := val-best >= min
	possible := total-bestPV(m.sups) >= min
	switch {
	case possible && !redundant && !m.noRedundancy:
		m.noRedundancy = true
		m.Notifier.Notify(ctx, NoRedundancy, m.delivering(now))
	case redundant && m.noRedundancy:
		m.noRedundancy = false
		m.Notifier.Notify(ctx, RedundancyOK, m.delivering(now))
	}
	return false
}

func bestPV(sups []*supply) int {
	b := 0
	for _, s := range sups {
		if s.m.PowerValue > b {
			b = s.m.PowerValue
		}
	}
	return b
}

// delivering names the supplies still delivering.
func (m *Monitor) delivering(now time.Time) string {
	return m.supplyNames(func(s *supply) bool { lost, _ := m.lost(s, now); return !lost })
}

// supplyNames names the supplies that match, as a notification's UPSNAME
// ("ups1@host:port, ups2@host:port").
func (m *Monitor) supplyNames(match func(*supply) bool) string {
	var names []string
	for _, s := range m.sups {
		if match(s) {
			names = append(names, s.m.System.String())
		}
	}
	return strings.Join(names, ", ")
}

// forceShutdown is NUT's sequence: a primary sets FSD on its devices and
// waits up to HOSTSYNC for the secondaries to log out; then SHUTDOWN is
// notified, FINALDELAY passes, POWERDOWNFLAG is written (primary) and
// SHUTDOWNCMD runs — once. ups names the supplies whose loss shuts the
// host down (every supply for a forced shutdown): SHUTDOWN carries them
// as UPSNAME, where NUT's upsmon leaves it empty.
func (m *Monitor) forceShutdown(ctx context.Context, ups string) {
	m.shutdownOnce.Do(func() {
		defer close(m.shutdownDone)
		defer m.Notifier.Wait() // SHUTDOWN's own included
		primary := false
		for _, s := range m.sups {
			if s.m.Role != "primary" || s.cli == nil {
				continue
			}
			primary = true
			fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if err := s.cli.FSD(fctx, s.m.System.UPS); err != nil {
				m.log.Error("setting FSD failed", "ups", s.m.System.String(), "err", err)
			}
			cancel()
		}
		if primary {
			deadline := time.Now().Add(m.cfg.HostSync.Seconds())
			for time.Now().Before(deadline) && m.secondariesLeft(ctx) {
				time.Sleep(250 * time.Millisecond)
			}
		}
		m.log.Error("Executing automatic power-fail shutdown")
		m.Notifier.Notify(ctx, Shutdown, ups)
		select {
		case <-ctx.Done():
		case <-time.After(m.cfg.FinalDelay.Seconds()):
		}
		if primary && m.cfg.PowerDownFlag != "" {
			if err := os.WriteFile(m.cfg.PowerDownFlag, []byte("upsmon-shutdown-file\n"), 0o644); err != nil {
				m.log.Error("POWERDOWNFLAG", "err", err)
			}
		}
		if m.cfg.ShutdownCmd == "" {
			m.log.Error("no SHUTDOWNCMD in upsmon.conf: the host is not shut down")
			return
		}
		cmd := exec.Command("/bin/sh", "-c", m.cfg.ShutdownCmd)
		if out, err := cmd.CombinedOutput(); err != nil {
			m.log.Error("SHUTDOWNCMD failed", "cmd", m.cfg.ShutdownCmd, "err", err, "output", string(out))
		}
	})
}

// secondariesLeft reports whether other clients are still logged in to a
// device this primary manages.
func (m *Monitor) secondariesLeft(ctx context.Context) bool {
	for _, s := range m.sups {
		if s.m.Role != "primary" || s.cli == nil {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		n, err := s.cli.NumLogins(cctx, s.m.System.UPS)
		cancel()
		if err == nil && n > 1 {
			return true
		}
	}
	return false
}
