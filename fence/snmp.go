package fence

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/internal/snmputil"
	"github.com/powerchain/powerchain/mib"
	"github.com/powerchain/powerchain/nut"
)

// SNMPPDU is fence_snmp_pdu: one agent for every PDU (and ATS) the SNMP
// mapping tables know — the same tables the snmp-ups driver and the
// scanner use — instead of one agent per vendor.
var SNMPPDU = &Agent{
	Name:      "fence_snmp_pdu",
	ShortDesc: "Fence agent for SNMP PDUs of every vendor powerchain's tables know",
	LongDesc: "fence_snmp_pdu is an I/O Fencing agent which switches outlets of network PDUs over SNMP v1, v2c or v3. " +
		"It identifies the PDU by its sysObjectID with powerchain's mapping tables (APC, Eaton, Raritan, ServerTech, Tripp Lite, …) " +
		"and uses their outlet status and control OIDs. With nut_server, a plug may name a host: every outlet that feeds it " +
		"according to that server's power chain is switched and verified.",
	VendorURL: "https://networkupstools.org",
	Params: []Param{
		{Name: "community", Short: "c", Long: "community", Arg: "community", Type: "string", Default: "private", Desc: "Set the community string"},
		{Name: "snmp_version", Short: "d", Long: "snmp-version", Arg: "version", Type: "select", Choices: []string{"1", "2c", "3"}, Default: "1", Desc: "Specifies SNMP version to use"},
		{Name: "snmp_sec_level", Short: "E", Long: "snmp-sec-level", Arg: "level", Type: "select", Choices: []string{"noAuthNoPriv", "authNoPriv", "authPriv"}, Desc: "Set security level"},
		{Name: "snmp_auth_prot", Short: "b", Long: "snmp-auth-prot", Arg: "prot", Type: "select", Choices: []string{"MD5", "SHA"}, Desc: "Set authentication protocol"},
		{Name: "snmp_priv_prot", Short: "B", Long: "snmp-priv-prot", Arg: "prot", Type: "select", Choices: []string{"DES", "AES"}, Desc: "Set privacy protocol"},
		{Name: "snmp_priv_passwd", Short: "P", Long: "snmp-priv-passwd", Arg: "pass", Type: "string", Desc: "Set privacy protocol password"},
		{Name: "snmp_priv_passwd_script", Short: "R", Long: "snmp-priv-passwd-script", Type: "string", Desc: "Script to run to retrieve privacy password"},
		{Name: "mibs", Long: "mibs", Arg: "name", Type: "string", Default: "auto", Desc: "Mapping table to use (auto, or a name such as apc_pdu)"},
		{Name: "nut_server", Long: "nut-server", Arg: "host[:port]", Type: "string", Desc: "A NUT server whose power chain (device.parent, device.host) says which outlets feed a host: plugs may then name hosts, and every outlet that feeds one (on this PDU and on the chain's other SNMP PDUs, with the same SNMP options) is switched"},
	},
	Open: openSNMP,
}

type snmpDevice struct {
	o       Options
	others  map[string]*snmpDevice // the chain's other PDUs, by address
	chain   *chain.Graph
	g       *gosnmp.GoSNMP
	m       *mib.MIB
	outlets []int
	status  mib.Var
	name    []mib.Var
	on, off string // command OID templates
	onV     int64
	offV    int64
}

func openSNMP(ctx context.Context, o Options) (Device, error) {
	port := 161
	if p := o["ipport"]; p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("ipport %q", p)
		}
		port = n
	}
	g := &gosnmp.GoSNMP{Target: o["ip"], Port: uint16(port), Community: o["community"], Version: gosnmp.Version1,
		Timeout: 2 * time.Second, Retries: 1, Context: ctx, MaxOids: 48, MaxRepetitions: 24}
	switch o["snmp_version"] {
	case "", "1":
	case "2c":
		g.Version = gosnmp.Version2c
	case "3":
		priv, err := password(ctx, o, "snmp_priv_passwd", "snmp_priv_passwd_script")
		if err != nil {
			return nil, err
		}
		v3 := snmputil.V3{SecLevel: o["snmp_sec_level"], SecName: o["username"], AuthProtocol: o["snmp_auth_prot"],
			AuthPassword: o["password"], PrivProtocol: o["snmp_priv_prot"], PrivPassword: priv}
		if v3.SecLevel == "" {
			v3.SecLevel = "noAuthNoPriv"
			if v3.AuthPassword != "" {
				v3.SecLevel = "authNoPriv"
			}
			if priv != "" {
				v3.SecLevel = "authPriv"
			}
		}
		if err := v3.Apply(g); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("snmp_version %q: want 1, 2c or 3", o["snmp_version"])
	}
	if err := g.Connect(); err != nil {
		return nil, LoginError{err}
	}
	m, sysOID, _, err := snmputil.Identify(g, o["mibs"], nil)
	if err != nil {
		g.Conn.Close()
		return nil, LoginError{err}
	}
	if m == nil {
		g.Conn.Close()
		return nil, fmt.Errorf("the agent (sysObjectID %s) is no PDU the mapping tables know", sysOID)
	}
	d := &snmpDevice{g: g, m: m, o: o, others: map[string]*snmpDevice{}}
	for _, v := range m.Vars {
		switch v.Name {
		case "outlet.%i.status":
			d.status = v
		case "outlet.%i.desc", "outlet.%i.name":
			d.name = append(d.name, v)
		}
	}
	for _, c := range m.Cmds {
		switch c.Name {
		case "outlet.%i.load.on":
			d.on, d.onV = c.OID, c.Value
		case "outlet.%i.load.off":
			d.off, d.offV = c.OID, c.Value
		}
	}
	if d.status.OID == "" || d.on == "" || d.off == "" {
		g.Conn.Close()
		return nil, fmt.Errorf("mapping table %s has no switchable outlets", m.Name)
	}
	d.outlets, err = snmputil.Numbers(g, m.OutletCount, m.OutletIndex, g.Version != gosnmp.Version1, nil)
	if err != nil && len(d.outlets) == 0 {
		g.Conn.Close()
		return nil, LoginError{err}
	}
	return d, nil
}

func (d *snmpDevice) Close() error {
	for _, x := range d.others {
		x.g.Conn.Close()
	}
	return d.g.Conn.Close()
}

// addr is the agent's address as snmp-ups' port names it (host:port).
func (d *snmpDevice) addr() string { return snmpAddr(d.o["ip"], d.o["ipport"]) }

// snmpAddr normalises an SNMP agent's address: host:port, 161 by default.
func snmpAddr(host, port string) string {
	if h, p, err := net.SplitHostPort(host); err == nil {
		host, port = h, p
	}
	if port == "" {
		port = "161"
	}
	return net.JoinHostPort(host, port)
}

// graph reads the power chain from nut_server, once.
func (d *snmpDevice) graph(ctx context.Context) (*chain.Graph, error) {
	if d.chain == nil {
		h, p, err := nut.ParseHostPort(d.o["nut_server"])
		if err != nil {
			return nil, fmt.Errorf("nut_server: %w", err)
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		d.chain = chain.Discover(ctx, []string{chain.ServerAddr(h, p)}, chain.Options{MaxServers: 4})
	}
	return d.chain, nil
}

// pdus are the chain's devices that this agent's address serves.
func (d *snmpDevice) pdus(g *chain.Graph) map[string]bool {
	mine := map[string]bool{}
	for id, n := range g.Nodes {
		if n.Driver == "snmp-ups" && snmpAddr(n.DriverPort, "") == d.addr() {
			mine[id] = true
		}
	}
	return mine
}

// Hosts lists the hosts an outlet of this PDU feeds, when nut_server
// gives the power chain.
func (d *snmpDevice) Hosts(ctx context.Context) ([]Outlet, error) {
	if d.o["nut_server"] == "" {
		return nil, nil
	}
	g, err := d.graph(ctx)
	if err != nil {
		return nil, err
	}
	hosts := HostsFedBy(g, d.pdus(g), "")
	for i := range hosts {
		on, err := anyOn(ctx, d, hosts[i].ID)
		hosts[i].On, hosts[i].Known = on, err == nil
	}
	return hosts, nil
}

// Targets resolves a plug that is not an outlet of this PDU to the
// outlets that feed the host of that name, on this PDU and on the
// chain's other SNMP PDUs (opened with the same options).
func (d *snmpDevice) Targets(ctx context.Context, plug string) ([]Target, error) {
	if _, err := d.number(ctx, plug); err == nil || d.o["nut_server"] == "" {
		return nil, nil
	}
	g, err := d.graph(ctx)
	if err != nil {
		return nil, err
	}
	feeds, found, err := HostFeeds(g, plug)
	switch {
	case err != nil:
		return nil, err
	case !found:
		return nil, ErrNoPlug
	}
	var ts []Target
	for _, f := range feeds {
		n := g.Nodes[f.Device]
		if n.Driver != "snmp-ups" {
			return nil, fmt.Errorf("%s: %s is no SNMP PDU (driver %q): fence it with fence_nut", plug, f, n.Driver)
		}
		dev := d
		if a := snmpAddr(n.DriverPort, ""); a != d.addr() {
			if dev = d.others[a]; dev == nil {
				o := Options{}
				for k, v := range d.o {
					o[k] = v
				}
				o["ip"], o["ipport"], _ = net.SplitHostPort(a)
				x, err := openSNMP(ctx, o)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", f, err)
				}
				dev = x.(*snmpDevice)
				d.others[a] = dev
			}
		}
		ts = append(ts, Target{Dev: dev, Plug: strconv.Itoa(f.Outlet)})
	}
	return ts, nil
}

func oidFor(tmpl string, n int) string { return strings.ReplaceAll(tmpl, "%i", strconv.Itoa(n)) }

func (d *snmpDevice) Outlets(ctx context.Context) ([]Outlet, error) {
	var oids []string
	for _, n := range d.outlets {
		oids = append(oids, oidFor(d.status.OID, n))
		for _, v := range d.name {
			oids = append(oids, oidFor(v.OID, n))
		}
	}
	res, err := snmputil.Get(d.g, oids, 48, nil)
	if err != nil {
		return nil, err
	}
	var outs []Outlet
	for _, n := range d.outlets {
		o := Outlet{ID: strconv.Itoa(n)}
		for _, v := range d.name {
			if p, ok := res[oidFor(v.OID, n)]; ok {
				if b, isStr := p.Value.([]byte); isStr && len(b) > 0 {
					o.Alias = string(b)
					break
				}
			}
		}
		if p, ok := res[oidFor(d.status.OID, n)]; ok {
			o.On, o.Known = d.isOn(p)
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// isOn reads an outlet status through the table's lookup.
func (d *snmpDevice) isOn(p gosnmp.SnmpPDU) (on, known bool) {
	if p.Type == gosnmp.OctetString {
		return false, false
	}
	t, ok := d.status.Lookup.Text(gosnmp.ToBigInt(p.Value).Int64())
	if !ok {
		return false, false
	}
	switch t {
	case "on":
		return true, true
	case "off":
		return false, true
	}
	return false, false
}

func (d *snmpDevice) number(ctx context.Context, plug string) (int, error) {
	if n, err := strconv.Atoi(plug); err == nil {
		for _, o := range d.outlets {
			if o == n {
				return n, nil
			}
		}
		return 0, ErrNoPlug
	}
	outs, err := d.Outlets(ctx)
	if err != nil {
		return 0, err
	}
	o, err := ResolvePlug(outs, plug)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(o.ID)
}

func (d *snmpDevice) Status(ctx context.Context, plug string) (bool, error) {
	n, err := d.number(ctx, plug)
	if err != nil {
		return false, err
	}
	res, err := snmputil.Get(d.g, []string{oidFor(d.status.OID, n)}, 1, nil)
	if err != nil {
		return false, err
	}
	p, ok := res[oidFor(d.status.OID, n)]
	if !ok {
		return false, ErrNoPlug
	}
	on, known := d.isOn(p)
	if !known {
		return false, errors.New("outlet state unknown")
	}
	return on, nil
}

func (d *snmpDevice) Set(ctx context.Context, plug string, on bool) error {
	n, err := d.number(ctx, plug)
	if err != nil {
		return err
	}
	oid, v := oidFor(d.off, n), d.offV
	if on {
		oid, v = oidFor(d.on, n), d.onV
	}
	pkt, err := d.g.Set([]gosnmp.SnmpPDU{{Name: oid, Type: gosnmp.Integer, Value: int(v)}})
	if err != nil {
		return err
	}
	switch pkt.Error {
	case gosnmp.NoError:
	case gosnmp.NoAccess, gosnmp.AuthorizationError, gosnmp.NotWritable, gosnmp.ReadOnly:
		// a read-only community or user
		return fmt.Errorf("%w: agent refused the SET: %s", ErrDenied, pkt.Error)
	default:
		return fmt.Errorf("agent refused the SET: %s", pkt.Error)
	}
	return nil
}
