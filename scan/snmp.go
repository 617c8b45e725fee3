package scan

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"sync"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/internal/snmputil"
	"github.com/powerchain/powerchain/mib"
)

// SNMPOptions configure the SNMP bus.
type SNMPOptions struct {
	Options
	Community string       // v1/v2c community; "public" when empty
	V2c       bool         // ask with SNMPv2c instead of v1 (nut-scanner uses v1)
	V3        *snmputil.V3 // SNMPv3 instead of a community
	Port      int          // agent port; 161 when 0
}

// SNMP finds the agents of a range with one paced sweep (a GET of
// sysObjectID, or for SNMPv3 an engine discovery, to every address; see
// sweep) and identifies each agent that answers, while the sweep goes
// on, with the mapping tables: by sysObjectID, else by the first table
// whose probe OID answers (all probes in one request). One device per
// answering agent, in address order.
func SNMP(ctx context.Context, hosts []netip.Addr, o SNMPOptions) []Device {
	pace := newPacer(o.Rate)
	probe, err := snmpSweep(o)
	if err != nil {
		slog.Warn("SNMP scan", "err", err)
		return nil
	}
	return discover(ctx, hosts, o.Options, BusSNMP, pace, probe, func(ctx context.Context, h netip.Addr) []Device {
		if d, err := probeSNMP(ctx, h, o, pace); err == nil && d != nil {
			return []Device{*d}
		}
		return nil
	})
}

// snmpSweep is the sweep's exchange: a GET of sysObjectID with the
// community (any answer, noSuchName included, is an agent), or SNMPv3's
// engine discovery, which every v3 agent answers with a report whatever
// the user.
func snmpSweep(o SNMPOptions) (datagram, error) {
	g, err := o.client(context.Background(), netip.Addr{})
	if err != nil {
		return datagram{}, err
	}
	var decoding sync.Mutex // gosnmp's decoder sets fields of g
	return datagram{
		port: o.port(),
		request: func(id uint32) ([]byte, error) {
			if g.Version == gosnmp.Version3 {
				p := &gosnmp.SnmpPacket{Version: gosnmp.Version3, MsgFlags: gosnmp.Reportable, MsgID: id, RequestID: id,
					SecurityModel: gosnmp.UserSecurityModel, SecurityParameters: &gosnmp.UsmSecurityParameters{}, PDUType: gosnmp.GetRequest}
				return p.MarshalMsg()
			}
			p := &gosnmp.SnmpPacket{Version: g.Version, Community: g.Community, PDUType: gosnmp.GetRequest, RequestID: id,
				Variables: []gosnmp.SnmpPDU{{Name: mib.SysObjectID, Type: gosnmp.Null}}}
			return p.MarshalMsg()
		},
		answers: func(b []byte, id uint32) bool {
			decoding.Lock()
			defer decoding.Unlock()
			p, err := g.SnmpDecodePacket(b)
			if err != nil {
				return false
			}
			if g.Version == gosnmp.Version3 {
				return p.MsgID == id
			}
			return p.PDUType == gosnmp.GetResponse && p.RequestID == id
		},
	}, nil
}

func (o SNMPOptions) port() int {
	if o.Port == 0 {
		return 161
	}
	return o.Port
}

// client is a gosnmp client for host with the options' version and
// credentials, each request paced when pace is given.
func (o SNMPOptions) client(ctx context.Context, h netip.Addr) (*gosnmp.GoSNMP, error) {
	g := &gosnmp.GoSNMP{Target: h.String(), Port: uint16(o.port()), Version: gosnmp.Version1, Community: o.Community,
		Timeout: o.timeout(), Retries: o.retries(), Context: ctx, MaxOids: 60}
	if g.Community == "" {
		g.Community = "public"
	}
	if o.V2c {
		g.Version = gosnmp.Version2c
	}
	if o.V3 != nil {
		if err := o.V3.Apply(g); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// probeSNMP identifies the agent at h, its requests paced by pace.
func probeSNMP(ctx context.Context, h netip.Addr, o SNMPOptions, pace *pacer) (*Device, error) {
	port := o.port()
	g, err := o.client(ctx, h)
	if err != nil {
		return nil, err
	}
	g.PreSend = func(*gosnmp.GoSNMP) { pace.wait(ctx) }
	if err := g.Connect(); err != nil {
		return nil, err
	}
	defer g.Conn.Close()
	m, sysOID, probed, err := snmputil.Identify(g, "", nil)
	if err != nil || m == nil {
		return nil, err // silent, or an SNMP agent but no power device we know
	}
	var warn []string
	if probed {
		warn = append(warn, fmt.Sprintf("%s: sysObjectID %s is not in the tables; %q chosen because it answers its probe OID", h, sysOID, m.Name))
	}
	info, _ := snmputil.Get(g, []string{m.Model(), mib.SysDescr}, 2, nil)
	desc := text(info[m.Model()])
	if desc == "" {
		desc = text(info[mib.SysDescr])
	}
	d := &Device{Bus: BusSNMP, Driver: "snmp-ups", Port: hostPort(h, port, 161), Desc: desc, Warnings: warn}
	d.Options = append(d.Options, Option{"mibs", m.Name})
	switch {
	case o.V3 != nil:
		d.Options = append(d.Options, Option{"snmp_version", "v3"}, Option{"secLevel", nonEmpty(o.V3.SecLevel, "noAuthNoPriv")},
			Option{"secName", o.V3.SecName})
		if o.V3.AuthPassword != "" {
			d.Options = append(d.Options, Option{"authPassword", o.V3.AuthPassword}, Option{"authProtocol", nonEmpty(o.V3.AuthProtocol, "MD5")})
		}
		if o.V3.PrivPassword != "" {
			d.Options = append(d.Options, Option{"privPassword", o.V3.PrivPassword}, Option{"privProtocol", nonEmpty(o.V3.PrivProtocol, "DES")})
		}
	default:
		d.Options = append(d.Options, Option{"community", g.Community})
		if o.V2c {
			d.Options = append(d.Options, Option{"snmp_version", "v2c"})
		}
	}
	return d, nil
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// text renders a PDU's value as a description.
func text(p gosnmp.SnmpPDU) string {
	switch v := p.Value.(type) {
	case nil:
		return ""
	case []byte:
		return printable(string(v))
	default:
		return printable(fmt.Sprint(v))
	}
}

// maxDesc bounds a description taken from a device's answer.
const maxDesc = 128

// printable makes text a device sent fit a ups.conf description, which
// NUT holds in printable ASCII: control characters dropped, other
// characters written as '?', no surrounding space, at most maxDesc bytes.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < ' ' || r == 0x7f:
			continue
		case r > '~':
			r = '?'
		}
		b.WriteRune(r)
	}
	out := strings.TrimSpace(b.String())
	if len(out) > maxDesc {
		out = strings.TrimSpace(out[:maxDesc])
	}
	return out
}

// hostPort is the address as ups.conf's port wants it: the port only when
// not the default.
func hostPort(h netip.Addr, port, def int) string {
	s := h.String()
	if port == def {
		return s
	}
	if h.Is6() {
		s = "[" + s + "]"
	}
	return s + ":" + strconv.Itoa(port)
}
