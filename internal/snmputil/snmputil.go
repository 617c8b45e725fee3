// Package snmputil holds what the SNMP driver, the scanner and the fence
// agent share: multi-OID GETs that survive SNMPv1's all-or-nothing
// noSuchName, SNMPv3 USM settings from NUT's option names, the
// identification of an agent's mapping table (Identify), and the reading
// of an agent by its table as NUT's snmp-ups reads it (Table).
package snmputil

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/mib"
)

// Get reads oids in requests of at most most OIDs and returns the ones the
// agent has, keyed without a leading dot. An SNMPv1 agent fails a whole
// request for one missing OID (noSuchName with its index): that OID is
// dropped, the ones before it are asked again later, and the requests
// that follow are half as large (doubling again after answers), so that
// an agent lacking many OIDs is not sent the same long request again
// for each. requests, when not nil, counts the requests sent. most is
// bounded by g.MaxOids.
func Get(g *gosnmp.GoSNMP, oids []string, most int, requests *int) (map[string]gosnmp.SnmpPDU, error) {
	if g.MaxOids > 0 && most > g.MaxOids {
		most = g.MaxOids // gosnmp refuses a larger request
	}
	most = cmp.Or(most, 1)
	out := map[string]gosnmp.SnmpPDU{}
	queue := append([]string(nil), oids...)
	size := most
	for len(queue) > 0 {
		n := min(len(queue), size)
		batch := queue[:n]
		if requests != nil {
			*requests++
		}
		pkt, err := g.Get(batch)
		if err != nil {
			return nil, fmt.Errorf("GET %d OIDs from %s: %w", len(batch), g.Target, err)
		}
		if i := int(pkt.ErrorIndex) - 1; pkt.Error == gosnmp.NoSuchName && i >= 0 && i < n {
			queue = append(slices.Clone(queue[i+1:]), queue[:i]...)
			size = max(size/2, 1)
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
		queue = queue[n:]
		size = min(size*2, most)
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

// Identify picks the mapping table for the agent as NUT 2.8.0's snmp-ups
// does, and then as powerchain adds:
//
//  1. the tables whose sysObjectID is the agent's (compared exactly), in
//     detection order: the first whose model row answers;
//  2. else the first table, in detection order, whose model row answers;
//  3. else, for an agent that lacks the model OID, the table its
//     sysObjectID names (exactly, then as a subtree) — or, where it names
//     none, a table whose probe OID answers (nut-scanner's way) — whose
//     other rows answer most; none when no row answers.
//
// only, when not "" or "auto", restricts the choice to the table of that
// name (NUT's mibs option; NUT then tries only step 2). A table with a
// Requires OID also needs it to hold. All the model and probe OIDs go in
// one request. It returns the table (nil when none fits), the agent's
// sysObjectID, and whether the table was chosen without its sysObjectID
// (step 2).
func Identify(g *gosnmp.GoSNMP, only string, requests *int) (m *mib.MIB, sysOID string, probed bool, err error) {
	res, err := Get(g, []string{mib.SysObjectID}, 1, requests)
	if err != nil {
		return nil, "", false, err
	}
	if p, ok := res[mib.SysObjectID]; ok {
		sysOID = strings.TrimPrefix(fmt.Sprint(p.Value), ".")
	}
	auto := only == "" || only == "auto"
	var tables []*mib.MIB
	for _, c := range mib.All() {
		if auto || c.Name == only {
			tables = append(tables, c)
		}
	}
	var need []string
	for _, c := range tables {
		need = append(need, c.Model(), c.ProbeOID)
		if c.Requires != "" {
			need = append(need, c.Requires)
		}
	}
	have, err := Get(g, dedupe(need), 60, requests)
	if err != nil {
		return nil, sysOID, false, err
	}
	holds := func(c *mib.MIB) bool {
		if c.Requires == "" {
			return true
		}
		p, ok := have[c.Requires]
		return ok && p.Type != gosnmp.OctetString && gosnmp.ToBigInt(p.Value).Sign() != 0
	}
	confirmed := func(c *mib.MIB) bool {
		_, ok := have[c.Model()]
		return ok && holds(c)
	}
	if auto {
		for _, c := range tables {
			if slices.Contains(c.SysOIDs, sysOID) && confirmed(c) {
				return c, sysOID, false, nil
			}
		}
	}
	for _, c := range tables {
		if confirmed(c) {
			return c, sysOID, true, nil
		}
	}
	cands := tables
	if auto {
		cands = mib.Candidates(sysOID)
	}
	if auto && len(cands) == 0 {
		for _, c := range tables {
			if _, ok := have[c.ProbeOID]; ok {
				cands = append(cands, c)
			}
		}
	}
	var best *mib.MIB
	bestScore := 0
	for _, c := range cands {
		if c.Requires != "" && !holds(c) {
			continue
		}
		n, err := answering(g, c, requests)
		if err != nil {
			return nil, sysOID, false, err
		}
		if n > bestScore {
			best, bestScore = c, n
		}
	}
	return best, sysOID, false, nil
}

// answering counts the rows of a table the agent answers (a daisy
// chain's unit 0 or 1, a template's instance 1), the system group aside.
func answering(g *gosnmp.GoSNMP, m *mib.MIB, requests *int) (int, error) {
	var oids []string
	for _, v := range m.Vars {
		if v.OID == "" || v.Is(mib.Absent) || strings.HasPrefix(v.OID, "1.3.6.1.2.1.1.") {
			continue
		}
		for _, u := range []string{"0", "1"} {
			oids = append(oids, strings.ReplaceAll(strings.ReplaceAll(v.OID, "%u", u), "%i", "1"))
			if !strings.Contains(v.OID, "%u") {
				break
			}
		}
	}
	oids = dedupe(oids)
	if len(oids) > 256 {
		oids = oids[:256]
	}
	got, err := Get(g, oids, 60, requests)
	return len(got), err
}

func dedupe(l []string) []string {
	seen := map[string]bool{}
	out := l[:0:0]
	for _, s := range l {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
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
