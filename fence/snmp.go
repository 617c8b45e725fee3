package fence

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/internal/snmputil"
	"github.com/powerchain/powerchain/mib"
)

// SNMPPDU is fence_snmp_pdu: one agent for every PDU (and ATS) the SNMP
// mapping tables know — the same tables the snmp-ups driver and the
// scanner use — instead of one agent per vendor.
var SNMPPDU = &Agent{
	Name:      "fence_snmp_pdu",
	ShortDesc: "Fence agent for SNMP PDUs of every vendor powerchain's tables know",
	LongDesc: "fence_snmp_pdu is an I/O Fencing agent which switches outlets of network PDUs over SNMP v1, v2c or v3. " +
		"It identifies the PDU by its sysObjectID with powerchain's mapping tables (APC, Eaton, Raritan, ServerTech, Tripp Lite, …) " +
		"and uses their outlet status and control OIDs.",
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
	},
	Open: openSNMP,
}

type snmpDevice struct {
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
	d := &snmpDevice{g: g, m: m}
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

func (d *snmpDevice) Close() error { return d.g.Conn.Close() }

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
