package monitor

import (
	"context"
	"net"
	"os"
	"strings"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/dnssd"
	"github.com/powerchain/powerchain/nut"
)

// Announce publishes with DNS-SD (_nut._tcp), until ctx ends, each NUT
// server on this host for whose devices this upsmon is primary: NUT's own
// upsd does not announce itself, so the upsmon that manages it does, with
// the role "primary", the server's protocol version, its devices and
// types, the chain's roots and the hosts the devices feed — what a new
// node needs to join (powerchain setup). A server that does not answer
// yet is asked again every POLLFREQ. Servers on other hosts are not
// announced (the record would point at this host).
func (m *Monitor) Announce(ctx context.Context) {
	seen := map[string]bool{}
	for _, s := range m.sups {
		srv := server(s.m.System)
		if s.m.Role != "primary" || seen[srv] || !nut.IsLocalHost(s.m.System.Host) {
			continue
		}
		seen[srv] = true
		go m.announce(ctx, srv)
	}
}

func (m *Monitor) announce(ctx context.Context, srv string) {
	_, portText, _ := net.SplitHostPort(srv)
	port := nut.DefaultPort
	if p, err := net.LookupPort("tcp", portText); err == nil {
		port = p
	}
	var a dnssd.Announcement
	for {
		var err error
		if a, err = serverAnnouncement(ctx, srv, m.cfg.DeadTime.Seconds()/2); err == nil {
			break
		}
		m.log.Debug("not announcing yet: the server does not answer", "server", srv, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(m.cfg.PollFreq.Seconds()):
		}
	}
	host, _ := os.Hostname()
	svc := dnssd.Service{Instance: dnssd.UpsmonInstanceName(host, port), Port: port, TXT: a.TXT()}
	via, withdrawn, err := dnssd.Publish(ctx, svc, m.log)
	if err != nil {
		m.log.Warn("not announced with DNS-SD", "server", srv, "err", err)
		return
	}
	m.log.Info("announced", "service", dnssd.ServiceType, "name", svc.Instance, "server", srv, "via", via)
	<-withdrawn
}

// serverAnnouncement asks a server what its announcement says.
func serverAnnouncement(ctx context.Context, srv string, timeout time.Duration) (dnssd.Announcement, error) {
	a := dnssd.Announcement{Role: dnssd.RolePrimary, Protocol: nut.ProtocolVersion}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	c, err := client.Dial(cctx, srv)
	if err == nil {
		if v, verr := c.Command(cctx, "NETVER"); verr == nil && v != "" {
			a.Protocol = strings.TrimSpace(v)
		}
		c.Close()
	}
	cancel()
	if err != nil {
		return a, err
	}
	g := chain.Discover(ctx, []string{srv}, chain.Options{MaxServers: 1, Source: chain.NUTSource{Timeout: timeout}})
	for _, id := range g.IDs() {
		n := g.Nodes[id]
		if n.Server != srv || n.Err != "" {
			continue
		}
		a.Devices = append(a.Devices, dnssd.DeviceInfo{Name: n.Name, Type: n.Type, Root: n.Parent.IsMains(), Host: n.Host})
	}
	return a, nil
}
