package scan

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

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

// SNMP asks each host for its sysObjectID and identifies it with the
// mapping tables: by sysObjectID, else by the first table whose probe OID
// answers (all probes in one request). One device per answering agent.
func SNMP(ctx context.Context, hosts []netip.Addr, o SNMPOptions) []Device {
	return each(ctx, hosts, o.Options, func(ctx context.Context, h netip.Addr) []Device {
		d, err := probeSNMP(ctx, h, o)
		if err != nil || d == nil {
			return nil
		}
		return []Device{*d}
	})
}

func probeSNMP(ctx context.Context, h netip.Addr, o SNMPOptions) (*Device, error) {
	port := o.Port
	if port == 0 {
		port = 161
	}
	g := &gosnmp.GoSNMP{Target: h.String(), Port: uint16(port), Version: gosnmp.Version1, Community: o.Community,
		Timeout: o.timeout(), Retries: 0, Context: ctx, MaxOids: 60}
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
		return fmt.Sprint(v)
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
