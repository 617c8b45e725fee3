// Package snmputil holds what the SNMP driver and the scanner both need
// from gosnmp: multi-OID GETs that survive SNMPv1's all-or-nothing
// noSuchName, and SNMPv3 USM settings from NUT's option names.
package snmputil

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/mib"
)

// Get reads oids in requests of at most max OIDs and returns the ones the
// agent has, keyed without a leading dot. An SNMPv1 agent fails a whole
// request for one missing OID (noSuchName with its index): that OID is
// dropped and the rest asked again. requests, when not nil, counts the
// requests sent.
func Get(g *gosnmp.GoSNMP, oids []string, max int, requests *int) (map[string]gosnmp.SnmpPDU, error) {
	out := map[string]gosnmp.SnmpPDU{}
	for len(oids) > 0 {
		n := min(len(oids), max)
		batch := append([]string(nil), oids[:n]...)
		oids = oids[n:]
		for len(batch) > 0 {
			if requests != nil {
				*requests++
			}
			pkt, err := g.Get(batch)
			if err != nil {
				return nil, fmt.Errorf("GET %d OIDs from %s: %w", len(batch), g.Target, err)
			}
			if pkt.Error == gosnmp.NoSuchName && pkt.ErrorIndex > 0 && int(pkt.ErrorIndex) <= len(batch) {
				batch = append(batch[:pkt.ErrorIndex-1], batch[pkt.ErrorIndex:]...)
				continue
			}
			if pkt.Error != gosnmp.NoError {
				return nil, fmt.Errorf("GET from %s: agent error %s", g.Target, pkt.Error)
			}
			for _, v := range pkt.Variables {
				switch v.Type {
				case gosnmp.NoSuchObject, gosnmp.NoSuchInstance, gosnmp.EndOfMibView, gosnmp.Null:
					continue
				}
				out[strings.TrimPrefix(v.Name, ".")] = v
			}
			break
		}
	}
	return out, nil
}

// V3 are NUT's SNMPv3 options (snmp-ups keys, nut-scanner -l -u -w -W -x -X).
type V3 struct {
	SecLevel, SecName          string
	AuthProtocol, AuthPassword string
	PrivProtocol, PrivPassword string
}

// Validate checks the options without using them.
func (o V3) Validate() error { return o.Apply(&gosnmp.GoSNMP{}) }

// Apply sets g up for SNMPv3 with these options.
func (o V3) Apply(g *gosnmp.GoSNMP) error {
	u := &gosnmp.UsmSecurityParameters{UserName: o.SecName, AuthenticationPassphrase: o.AuthPassword,
		PrivacyPassphrase: o.PrivPassword}
	if u.UserName == "" {
		return errors.New("SNMPv3 needs secName")
	}
	var flags gosnmp.SnmpV3MsgFlags
	switch o.SecLevel {
	case "", "noAuthNoPriv":
		flags = gosnmp.NoAuthNoPriv
	case "authNoPriv":
		flags = gosnmp.AuthNoPriv
	case "authPriv":
		flags = gosnmp.AuthPriv
	default:
		return fmt.Errorf("secLevel %q: want noAuthNoPriv, authNoPriv or authPriv", o.SecLevel)
	}
	auth := map[string]gosnmp.SnmpV3AuthProtocol{"": gosnmp.MD5, "MD5": gosnmp.MD5, "SHA": gosnmp.SHA,
		"SHA256": gosnmp.SHA256, "SHA384": gosnmp.SHA384, "SHA512": gosnmp.SHA512}
	priv := map[string]gosnmp.SnmpV3PrivProtocol{"": gosnmp.DES, "DES": gosnmp.DES, "AES": gosnmp.AES,
		"AES192": gosnmp.AES192, "AES256": gosnmp.AES256}
	var ok bool
	if u.AuthenticationProtocol, ok = auth[o.AuthProtocol]; !ok {
		return fmt.Errorf("authProtocol %q: want MD5, SHA, SHA256, SHA384 or SHA512", o.AuthProtocol)
	}
	if u.PrivacyProtocol, ok = priv[o.PrivProtocol]; !ok {
		return fmt.Errorf("privProtocol %q: want DES, AES, AES192 or AES256", o.PrivProtocol)
	}
	if flags == gosnmp.NoAuthNoPriv {
		u.AuthenticationProtocol = gosnmp.NoAuth
	}
	if flags != gosnmp.AuthPriv {
		u.PrivacyProtocol = gosnmp.NoPriv
	}
	if flags != gosnmp.NoAuthNoPriv && u.AuthenticationPassphrase == "" {
		return fmt.Errorf("secLevel %s needs authPassword", o.SecLevel)
	}
	if flags == gosnmp.AuthPriv && u.PrivacyPassphrase == "" {
		return errors.New("secLevel authPriv needs privPassword")
	}
	g.Version = gosnmp.Version3
	g.SecurityModel = gosnmp.UserSecurityModel
	g.MsgFlags = flags
	g.SecurityParameters = u
	return nil
}

// Identify picks the mapping table for the agent: the tables matching its
// sysObjectID (best first, the first whose Requires OID holds), else the
// first table (in detection order) whose probe OID answers — all probes
// in one request. only, when not "" or "auto", restricts the choice to
// the tables of that name (NUT's mibs option). It returns the table
// (nil when none fits), the agent's sysObjectID, and whether the table
// was chosen by probing.
func Identify(g *gosnmp.GoSNMP, only string, requests *int) (m *mib.MIB, sysOID string, probed bool, err error) {
	allowed := func(c *mib.MIB) bool { return only == "" || only == "auto" || c.Name == only }
	res, err := Get(g, []string{mib.SysObjectID}, 1, requests)
	if err != nil {
		return nil, "", false, err
	}
	if p, ok := res[mib.SysObjectID]; ok {
		sysOID = strings.TrimPrefix(fmt.Sprint(p.Value), ".")
	}
	holds := func(c *mib.MIB, have map[string]gosnmp.SnmpPDU) bool {
		if c.Requires == "" {
			return true
		}
		p, ok := have[c.Requires]
		return ok && gosnmp.ToBigInt(p.Value).Sign() != 0 && p.Type != gosnmp.OctetString
	}
	cands := mib.Candidates(sysOID)
	var need []string
	for _, c := range cands {
		if c.Requires != "" && allowed(c) {
			need = append(need, c.Requires)
		}
	}
	have, err := Get(g, need, 60, requests)
	if err != nil {
		return nil, sysOID, false, err
	}
	for _, c := range cands {
		if allowed(c) && holds(c, have) {
			return c, sysOID, false, nil
		}
	}
	var probes []string
	for _, c := range mib.All() {
		if c.ProbeOID != "" && allowed(c) {
			probes = append(probes, c.ProbeOID)
		}
	}
	have, err = Get(g, probes, 60, requests)
	if err != nil {
		return nil, sysOID, false, err
	}
	for _, c := range mib.All() {
		if _, ok := have[c.ProbeOID]; ok && c.ProbeOID != "" && allowed(c) && holds(c, have) {
			return c, sysOID, true, nil
		}
	}
	return nil, sysOID, false, nil
}

// Numbers returns the outlet (or group) numbers a table's count OID gives
// (1..n), or those a walk of its index column lists (the last
// sub-identifier of each row); absurd counts give none. bulk walks with
// GETBULK (v2c, v3).
func Numbers(g *gosnmp.GoSNMP, countOID, indexOID string, bulk bool, requests *int) ([]int, error) {
	var out []int
	switch {
	case countOID != "":
		res, err := Get(g, []string{countOID}, 1, requests)
		if err != nil {
			return nil, err
		}
		if p, ok := res[countOID]; ok && p.Type != gosnmp.OctetString {
			if n := gosnmp.ToBigInt(p.Value); n.IsInt64() && n.Int64() > 0 && n.Int64() <= 1024 {
				for i := 1; i <= int(n.Int64()); i++ {
					out = append(out, i)
				}
			}
		}
	case indexOID != "":
		rows := 0
		fn := func(p gosnmp.SnmpPDU) error {
			if rows++; rows > 4096 {
				return errors.New("walk: more than 4096 rows")
			}
			name := strings.TrimPrefix(p.Name, ".")
			if n, err := strconv.Atoi(name[strings.LastIndexByte(name, '.')+1:]); err == nil && n > 0 && len(out) < 1024 {
				out = append(out, n)
			}
			return nil
		}
		if requests != nil {
			*requests++ // at least one; gosnmp does not report its count
		}
		var err error
		if bulk {
			err = g.BulkWalk(indexOID, fn)
		} else {
			err = g.Walk(indexOID, fn)
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
