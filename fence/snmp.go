package fence

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
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
	o      Options
	others map[string]*snmpDevice // the chain's other PDUs, by address
	chain  *chain.Graph
	g      *gosnmp.GoSNMP
	table  *snmputil.Table
	cmds   map[string]snmputil.Command // outlet commands, from the first read
	first  *snmputil.Reading           // the first read, used by the first look at the outlets
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
	d, err := readOutlets(g, m)
	if err != nil {
		g.Conn.Close()
		return nil, err
	}
	d.o, d.others = o, map[string]*snmpDevice{}
	return d, nil
}

// readOutlets reads the PDU by its table, as the snmp-ups driver does,
// and keeps its outlet commands.
func readOutlets(g *gosnmp.GoSNMP, m *mib.MIB) (*snmpDevice, error) {
	unit, err := snmputil.FindUnit(g, m, nil)
	if err != nil {
		return nil, LoginError{err}
	}
	t := &snmputil.Table{MIB: m, Unit: unit}
	if m.OutletIndex != "" {
		outlets, err := snmputil.Numbers(g, "", m.OutletIndex, g.Version != gosnmp.Version1, nil)
		if err != nil && len(outlets) == 0 {
			return nil, LoginError{err}
		}
		t.Instances = map[mib.Kind][]int{mib.Outlets: outlets}
	}
	r, err := t.Read(g, snmputil.Full, nil)
	if err != nil {
		return nil, LoginError{err}
	}
	d := &snmpDevice{g: g, table: t, cmds: map[string]snmputil.Command{}, first: r}
	for _, c := range r.Commands {
		if c.Cmd.Kind() == mib.Outlets {
			d.cmds[c.Name] = c
		}
	}
	if len(d.cmds) == 0 {
		return nil, fmt.Errorf("mapping table %s has no switchable outlets on this agent", m.Name)
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
	return withStatus(ctx, d, HostsFedBy(g, d.pdus(g), "")), nil
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
	feeds, err := hostFeeds(g, plug)
	if err != nil {
		return nil, err
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

// read returns the PDU's variables: the first read's, then fresh ones.
func (d *snmpDevice) read() (*snmputil.Reading, error) {
	if r := d.first; r != nil {
		d.first = nil
		return r, nil
	}
	return d.table.Read(d.g, snmputil.Full, nil)
}

// outletNumber is N of outlet.N.<rest>.
func outletNumber(name, rest string) (int, bool) {
	s, ok := strings.CutPrefix(name, "outlet.")
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, "."+rest)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func (d *snmpDevice) Outlets(ctx context.Context) ([]Outlet, error) {
	r, err := d.read()
	if err != nil {
		return nil, err
	}
	var nums []int
	for name := range d.cmds {
		if n, ok := outletNumber(name, "load.on"); ok {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	var outs []Outlet
	for _, n := range nums {
		o := Outlet{ID: strconv.Itoa(n)}
		for _, k := range []string{"desc", "name"} {
			if s := r.Vars[fmt.Sprintf("outlet.%d.%s", n, k)]; s != "" {
				o.Alias = s
				break
			}
		}
		o.On, o.Known = isOn(r.Vars[fmt.Sprintf("outlet.%d.status", n)])
		outs = append(outs, o)
	}
	return outs, nil
}

// isOn reads an outlet status as the table's lookup gave it.
func isOn(status string) (on, known bool) {
	switch status {
	case "on":
		return true, true
	case "off":
		return false, true
	}
	return false, false
}

func (d *snmpDevice) number(ctx context.Context, plug string) (int, error) {
	if n, err := strconv.Atoi(plug); err == nil {
		if _, ok := d.cmds[fmt.Sprintf("outlet.%d.load.on", n)]; ok {
			return n, nil
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
	r, err := d.read()
	if err != nil {
		return false, err
	}
	s, ok := r.Vars[fmt.Sprintf("outlet.%d.status", n)]
	if !ok {
		return false, ErrNoPlug
	}
	on, known := isOn(s)
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
	name := fmt.Sprintf("outlet.%d.load.off", n)
	if on {
		name = fmt.Sprintf("outlet.%d.load.on", n)
	}
	c, ok := d.cmds[name]
	if !ok {
		return fmt.Errorf("outlet %d cannot be switched %s", n, map[bool]string{true: "on", false: "off"}[on])
	}
	pkt, err := d.g.Set([]gosnmp.SnmpPDU{{Name: c.OID, Type: gosnmp.Integer, Value: int(c.Cmd.Value)}})
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
